import re

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, new_test_user, tagged

from .common import SalesOrgCommon

CJK = re.compile(r"[\u3400-\u9fff]")


@tagged("post_install", "-at_install")
class TestSalesTrainingJoin(SalesOrgCommon):
    """Joining a unit in a role with a training programme enrols the person; while it runs, a role
    asking for training first keeps leads and orders out of their name."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.program = cls.env["sales.training.program"].create({
            "name": "T Clerk Training", "role_id": cls.role_clerk.id,
            "step_ids": [Command.create({"sequence": 1, "name": "T Workshop", "step_type": "workshop",
                                         "duration_days": 3}),
                         Command.create({"sequence": 2, "name": "T Phone", "step_type": "phone",
                                         "day_offset": 3})],
        })
        cls.role_clerk.training_required = True
        cls.Enrolment = cls.env["sales.training.enrolment"]
        cls.newcomer = new_test_user(cls.env, login="t_newcomer", groups="base.group_user", name="T Newcomer")

    def join(self, user, team, role):
        return self.env["crm.team.member"].create({"user_id": user.id, "crm_team_id": team.id, "role_id": role.id})

    def enrolments(self, user):
        return self.Enrolment.search([("user_id", "=", user.id)])

    # ------------------------------------------------------------------
    # Joining
    # ------------------------------------------------------------------

    def test_joining_a_role_enrols_once(self):
        member = self.join(self.newcomer, self.east_business, self.role_clerk)
        enrolment = self.enrolments(self.newcomer)
        self.assertEqual(len(enrolment), 1)
        self.assertEqual(enrolment.program_id, self.program)
        self.assertEqual(enrolment.team_id, self.east_business)
        self.assertEqual(enrolment.date_start, self.env.company._sales_org_today())
        self.assertEqual(enrolment.state, "planned")

        member.crm_team_id = self.shanghai  # a move within the role
        member.role_id = self.role_rep
        member.role_id = self.role_clerk  # back while the training runs
        self.assertEqual(self.enrolments(self.newcomer), enrolment)

        enrolment.sudo().state = "done"
        member.role_id = self.role_rep
        member.role_id = self.role_clerk  # already trained
        self.assertEqual(self.enrolments(self.newcomer), enrolment)

    def test_other_role_or_move_within_the_role_enrols_nobody(self):
        self.join(self.newcomer, self.north, self.role_rep)  # no programme
        self.assertFalse(self.enrolments(self.newcomer))
        # the clerk held the role before the programme existed: moving units starts nothing
        clerk_member = self.env["crm.team.member"].search([("user_id", "=", self.clerk_east.id)])
        clerk_member.crm_team_id = self.shanghai
        self.join(self.clerk_east, self.north, self.role_clerk)  # stock CRM archives the Shanghai seat
        self.assertFalse(clerk_member.active)
        self.assertFalse(self.enrolments(self.clerk_east))

    def test_role_change_and_reactivation_enrol(self):
        rep_member = self.env["crm.team.member"].search([("user_id", "=", self.rep_north.id)])
        rep_member.role_id = self.role_clerk
        enrolment = self.enrolments(self.rep_north)
        self.assertEqual(enrolment.program_id, self.program)
        self.assertEqual(enrolment.team_id, self.north)

        enrolment.sudo().action_cancel()
        rep_member.active = False  # left
        self.assertEqual(self.enrolments(self.rep_north), enrolment)
        rep_member.active = True  # back in the role: trained from the start again
        self.assertEqual(len(self.enrolments(self.rep_north)), 2)
        self.assertEqual((self.enrolments(self.rep_north) - enrolment).state, "planned")

    def test_joining_costs_the_same_for_2_or_6_people(self):
        people = [new_test_user(self.env, login=f"t_join_{i}", groups="base.group_user") for i in range(18)]
        Member = self.env["crm.team.member"]

        def join(batch):
            return Member.create([{"user_id": user.id, "crm_team_id": self.north.id, "role_id": self.role_clerk.id}
                                  for user in batch])

        # the whole joining, whatever the rest of the database: as many queries for 2 as for 6
        join(people[:1])  # warm the caches
        counts = []
        for batch in (people[1:3], people[3:9]):
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            join(batch)
            self.env.flush_all()
            counts.append(self.env.cr.sql_log_count - before)
        self.assertEqual(counts[0], counts[1])
        # the enrolment itself, pinned
        self.program.active = False
        members = join(people[9:])
        self.program.active = True
        members[0]._sales_training_enrol(set())  # warm the caches
        for batch in (members[1:3], members[3:9]):
            self.env.flush_all()
            self.env.invalidate_all()
            with self.assertQueryCount(31):
                batch._sales_training_enrol(set())
                self.env.flush_all()
        self.assertEqual(len(self.Enrolment.search([("user_id", "in", [user.id for user in people])])), 18)

    # ------------------------------------------------------------------
    # Held back from leads and orders
    # ------------------------------------------------------------------

    def test_no_lead_in_a_trainees_name(self):
        self.join(self.newcomer, self.east_business, self.role_clerk)
        Lead = self.env["crm.lead"].with_user(self.manager)
        with self.assertRaisesRegex(UserError, "T Newcomer is still in training \\(T Clerk Training\\)"):
            Lead.create({"name": "T For the newcomer", "user_id": self.newcomer.id})
        lead = self.leads[self.rep_shanghai]
        with self.assertRaises(UserError):
            lead.with_user(self.manager).write({"user_id": self.newcomer.id})
        self.assertEqual(lead.user_id, self.rep_shanghai)
        # the trainee entering a lead would make it theirs
        with self.assertRaisesRegex(UserError, "You are still in training"):
            self.env["crm.lead"].with_user(self.newcomer).create({"name": "T Mine"})
        unowned = self.env["crm.lead"].with_user(self.newcomer).create({"name": "T For my manager", "user_id": False})
        self.assertFalse(unowned.user_id)
        # anyone else, and the trainee once trained
        Lead.create({"name": "T For the rep", "user_id": self.rep_shanghai.id})
        self.enrolments(self.newcomer).sudo().state = "done"
        lead.with_user(self.manager).write({"user_id": self.newcomer.id})
        self.assertEqual(lead.user_id, self.newcomer)

    def test_a_training_of_a_role_without_the_option_holds_nobody_back(self):
        self.env["sales.training.program"].create({
            "name": "T Rep Training", "role_id": self.role_rep.id,
            "step_ids": [Command.create({"name": "T Calls", "step_type": "phone"})],
        })
        self.join(self.newcomer, self.north, self.role_rep)
        self.assertTrue(self.enrolments(self.newcomer))
        lead = self.env["crm.lead"].create({"name": "T Rep lead", "user_id": self.newcomer.id})
        self.assertEqual(lead.user_id, self.newcomer)

    def test_no_order_in_a_trainees_name(self):
        self.join(self.newcomer, self.east_business, self.role_clerk)
        Order = self.env["sale.order"].with_user(self.manager)
        line = [Command.create({"product_id": self.product.id, "product_uom_qty": 1})]
        with self.assertRaisesRegex(UserError, "T Newcomer is still in training"):
            Order.create({"partner_id": self.customer.id, "user_id": self.newcomer.id, "order_line": line})
        order = self.orders[self.rep_shanghai]
        with self.assertRaises(UserError):
            order.with_user(self.manager).write({"user_id": self.newcomer.id})
        self.assertEqual(order.user_id, self.rep_shanghai)
        # the customer's salesperson, taken by a new quotation
        customer = self.env["res.partner"].create({"name": "T Newcomer's customer", "user_id": self.newcomer.id})
        with self.assertRaises(UserError):
            self.env["sale.order"].create({"partner_id": customer.id})
        with self.assertRaisesRegex(UserError, "You are still in training"):
            self.env["sale.order"].with_user(self.newcomer).create({"partner_id": self.customer.id})

    def test_quotation_conversion_and_merge_refuse_a_trainee(self):
        # the clerk's lead predates their training: it stays theirs, nothing new is put in their name
        self.Enrolment._enrol([{"user_id": self.clerk_east.id, "program_id": self.program.id,
                                "team_id": self.east_business.id, "company_id": self.env.company.id,
                                "date_start": self.env.company._sales_org_today()}])
        opportunity = self.leads[self.clerk_east]
        opportunity.with_user(self.clerk_east).name = "T Renamed by the clerk"
        context = opportunity.with_user(self.manager).action_new_quotation()["context"]
        with self.assertRaisesRegex(UserError, "Clerk_East is still in training"):
            with Form(self.env["sale.order"].with_user(self.manager).with_context(**context)):
                pass

        lead = self.env["crm.lead"].create({"name": "T Raw lead", "type": "lead", "user_id": False})
        wizard = Form(self.env["crm.lead2opportunity.partner"].with_user(self.manager).with_context(
            active_model="crm.lead", active_id=lead.id, active_ids=lead.ids))
        wizard.name = "convert"
        wizard.action = "nothing"
        wizard.user_id = self.clerk_east
        with self.assertRaises(UserError):
            wizard.save().action_apply()
        self.assertFalse(lead.user_id)

        merge = self.env["crm.merge.opportunity"].create({
            "opportunity_ids": [Command.set(self.leads_of(self.rep_shanghai, self.rep_north).ids)],
            "user_id": self.clerk_east.id,
        })
        with self.assertRaises(UserError):
            merge.action_merge()

    def test_automatic_assignment_passes_over_trainees(self):
        team = self.env["crm.team"].create({"name": "T Assigned", "parent_id": self.east_business.id,
                                            "assignment_domain": "[('name', '=like', 'T %')]"})
        rep = new_test_user(self.env, login="t_assigned_rep", groups="base.group_user", name="T Assigned Rep")
        members = self.env["crm.team.member"].create([
            {"user_id": user.id, "crm_team_id": team.id, "role_id": role.id, "assignment_max": 300}
            for user, role in [(self.newcomer, self.role_clerk), (rep, self.role_rep)]])
        self.assertEqual(members.mapped("training_held_back"), [True, False])
        leads = self.env["crm.lead"].create([{"name": f"T Incoming {i}", "user_id": False, "team_id": team.id}
                                             for i in range(4)])
        team._action_assign_leads(force_quota=True, creation_delta_days=0)
        self.assertEqual(leads.user_id, rep)

        self.enrolments(self.newcomer).sudo().state = "done"
        more = self.env["crm.lead"].create([{"name": f"T Later {i}", "user_id": False, "team_id": team.id}
                                            for i in range(4)])
        team._action_assign_leads(force_quota=True, creation_delta_days=0)
        self.assertIn(self.newcomer, more.user_id)

    # ------------------------------------------------------------------
    # Demo
    # ------------------------------------------------------------------

    def test_demo_programmes(self):
        program = self.env.ref("sales_team_org.training_program_order_clerk", raise_if_not_found=False)
        if not program:
            self.skipTest("sales_team_org is installed without its demo data")
        manager_program = self.env.ref("sales_team_org.training_program_business_manager")
        for programme, role in [(manager_program, "role_business_manager"), (program, "role_order_clerk")]:
            self.assertEqual(programme.role_id, self.env.ref(f"sales_team_org.{role}"))
            self.assertEqual(len(programme.step_ids), 7)
            for text in [programme.name, *programme.step_ids.mapped("name")]:
                self.assertRegex(text, CJK)
                self.assertNotIn("得", text)
        self.assertEqual(program.name, "业务跟单的培训计划")
        self.assertEqual(program.duration_days, 25)
        self.assertEqual(max(program.step_ids[:4].mapped(lambda s: s.day_offset + s.duration_days)), 4)
        self.assertTrue(program.role_id.training_required)
        trainee = self.env.ref("sales_team_org.user_clerk_4")
        enrolment = self.enrolments(trainee)
        self.assertEqual(enrolment.state, "in_progress")
        self.assertEqual(enrolment.step_ids.sorted("sequence")[0].state, "passed")
        with self.assertRaisesRegex(UserError, "吴磊"):
            self.env["crm.lead"].create({"name": "T For the trainee", "user_id": trainee.id})
