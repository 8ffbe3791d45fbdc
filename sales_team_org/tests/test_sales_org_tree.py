from psycopg2 import IntegrityError

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import SalesOrgCommon


@tagged("post_install", "-at_install")
class TestSalesOrgTree(SalesOrgCommon):

    def visible_leads(self, person):
        all_leads = self.leads_of(*self.people)
        return self.env["crm.lead"].with_user(person).search([("id", "in", all_leads.ids)])

    def test_parent_store_and_names(self):
        self.assertEqual(self.shanghai.complete_name, "T HQ / T East / T East Business / T Shanghai Phone")
        below_east = self.env["crm.team"].search([("id", "child_of", self.east.id)])
        self.assertEqual(below_east, self.east | self.east_business | self.shanghai)
        self.assertEqual(self.hq.child_count, 2)

    def test_existing_teams_are_top_units(self):
        """The teams a database had before the module are the top units of its tree; with real
        CRM data, before and after an upgrade, tools/check_existing_crm.py checks the same."""
        sales = self.env.ref("sales_team.team_sales_department")
        self.assertFalse(sales.parent_id)
        self.assertEqual(sales.unit_type, "team")
        self.assertEqual(sales.complete_name, sales.name)
        self.assertEqual(sales.parent_path, f"{sales.id}/")

    def test_loop_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "T East cannot be placed under T Shanghai Phone"):
            self.east.parent_id = self.shanghai
        with self.assertRaises(ValidationError):
            self.hq.write({"parent_id": self.hq.id})
        self.assertFalse(self.hq.parent_id)

    def test_units_of(self):
        """Each person's units, with the units they lead and every unit below them when asked:
        one query whatever the number of people."""
        Member = self.env["crm.team.member"]
        people = self.director | self.manager | self.rep_shanghai
        self.assertEqual(Member._units_of(people.ids), {
            self.director.id: {self.hq.id}, self.manager.id: {self.east_business.id},
            self.rep_shanghai.id: {self.shanghai.id},
        })
        self.assertEqual(Member._units_of(people.ids, led=True), {
            self.director.id: {self.hq.id, self.east.id, self.north.id, self.east_business.id, self.shanghai.id},
            self.manager.id: {self.east_business.id, self.shanghai.id},
            self.rep_shanghai.id: {self.shanghai.id},
        })
        self.assertEqual(Member._units_of(people.ids, led=True)[self.manager.id],
                         set(self.manager.sales_org_team_ids.ids) | {self.east_business.id})
        self.assertEqual(Member._units_of([]), {})
        closed = self.env["crm.team"].create({"name": "T Closed", "parent_id": self.shanghai.id})
        closed.active = False
        self.assertNotIn(closed.id, Member._units_of(self.manager.ids, led=True)[self.manager.id],
                         "a unit closed below one's own is no longer one to file under")
        for led in (False, True):
            for size in (2, 6):
                self.env.invalidate_all()
                with self.assertQueryCount(1):
                    Member._units_of(self.people[:size].ids, led=led)

    def test_unit_with_sub_units_cannot_be_deleted(self):
        with self.assertRaisesRegex(UserError, "T East"):
            self.east.unlink()
        self.assertTrue(self.east.exists())
        empty = self.env["crm.team"].create({"name": "T Empty", "parent_id": self.shanghai.id})
        empty.unlink()
        self.assertFalse(empty.exists())

    def test_moving_a_person_changes_visibility_at_once(self):
        self.assertNotIn(self.leads[self.rep_north], self.visible_leads(self.regional_east))
        membership = self.env["crm.team.member"].search([("user_id", "=", self.rep_north.id)])
        membership.crm_team_id = self.shanghai
        # a lead filed under a unit belongs to that unit: the one filed under North stays North's
        self.assertIn(self.leads[self.rep_north], self.visible_leads(self.regional_north))
        self.assertNotIn(self.leads[self.rep_north], self.visible_leads(self.regional_east))
        # what the rep files from now on is the new unit's, seen at once by its leaders
        new_lead = self.env["crm.lead"].with_user(self.rep_north).create({"name": "T After the move"})
        self.assertEqual(new_lead.team_id, self.shanghai)
        def sees(person):
            return bool(new_lead.with_user(person).search([("id", "=", new_lead.id)]))

        self.assertEqual([sees(p) for p in (self.regional_east, self.supervisor, self.regional_north)],
                         [True, True, False])

    def test_moving_a_leader_changes_what_they_see(self):
        self.assertEqual(self.visible_leads(self.supervisor), self.leads_of(self.supervisor, self.rep_shanghai))
        membership = self.env["crm.team.member"].search([("user_id", "=", self.supervisor.id)])
        membership.crm_team_id = self.north
        self.assertEqual(
            self.visible_leads(self.supervisor),
            self.leads_of(self.supervisor, self.regional_north, self.rep_north),
        )

    def test_moving_a_unit_changes_visibility_at_once(self):
        moved = self.leads_of(self.supervisor, self.rep_shanghai)
        self.assertLessEqual(moved, self.visible_leads(self.regional_east))
        self.shanghai.parent_id = self.north
        self.assertFalse(moved & self.visible_leads(self.regional_east))
        self.assertFalse(moved & self.visible_leads(self.manager))
        self.assertLessEqual(moved, self.visible_leads(self.regional_north))
        self.assertEqual(self.shanghai.complete_name, "T HQ / T North / T Shanghai Phone")

    def test_new_unit_manager_sees_the_unit(self):
        self.assertEqual(self.visible_leads(self.rep_north), self.leads[self.rep_north])
        self.shanghai.user_id = self.rep_north
        self.rep_north.groups_id = [(4, self.env.ref("sales_team_org.group_sale_unit_leader").id)]
        self.assertEqual(
            self.visible_leads(self.rep_north),
            self.leads_of(self.rep_north, self.supervisor, self.rep_shanghai),
        )

    def test_headcount(self):
        Headcount = self.env["sales.org.headcount"]
        plan = Headcount.create([
            {"team_id": self.shanghai.id, "role_id": self.role_rep.id, "planned_count": 3},
            {"team_id": self.shanghai.id, "role_id": self.role_supervisor.id, "planned_count": 1},
        ])
        self.assertEqual(plan.mapped("actual_count"), [1, 1])
        self.assertEqual(plan.mapped("gap"), [2, 0])
        self.assertEqual(self.shanghai.planned_headcount, 4)
        self.assertEqual(self.shanghai.actual_headcount, 2)
        new_rep = self.env["res.users"].create({"name": "New Rep", "login": "t_new_rep"})
        self.env["crm.team.member"].create({
            "crm_team_id": self.shanghai.id, "user_id": new_rep.id, "role_id": self.role_rep.id,
        })
        self.shanghai.invalidate_recordset(["actual_headcount"])
        plan.invalidate_recordset(["actual_count"])
        self.assertEqual(self.shanghai.actual_headcount, 3)
        self.assertEqual(plan[0].actual_count, 2)
        self.assertEqual(self.role_rep.actual_headcount, 3)
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            Headcount.create({"team_id": self.shanghai.id, "role_id": self.role_rep.id, "planned_count": 1})

    def test_people_chart_follows_the_tree(self):
        Member = self.env["crm.team.member"]

        def reports_to(person):
            return Member.search([("user_id", "=", person.id)]).parent_member_id.user_id

        self.assertFalse(reports_to(self.director))
        self.assertEqual(reports_to(self.regional_east), self.director)
        self.assertEqual(reports_to(self.manager), self.regional_east)
        self.assertEqual(reports_to(self.clerk_east), self.manager)
        self.assertEqual(reports_to(self.supervisor), self.manager)
        self.assertEqual(reports_to(self.rep_shanghai), self.supervisor)
        self.assertEqual(reports_to(self.rep_north), self.regional_north)
        # the Shanghai group moves under North: its leader now reports to North's director
        self.shanghai.parent_id = self.north
        self.assertEqual(reports_to(self.supervisor), self.regional_north)
        # the supervisor leaves: the rep reports to the nearest leader above
        Member.search([("user_id", "=", self.supervisor.id)]).action_archive()
        self.assertEqual(reports_to(self.rep_shanghai), self.regional_north)
