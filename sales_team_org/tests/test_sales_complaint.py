from datetime import date, timedelta

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import SalesOrgCommon

MARCH = date(2026, 3, 1)
SUBMIT_QUERIES = 25


@tagged("post_install", "-at_install")
class TestSalesComplaint(SalesOrgCommon):
    """客户投诉与索赔: logged from a call, routed up the tree to the nearest customer service unit,
    worked with corrective and preventive actions, closed with the customer's satisfaction, and
    analysed per region and month."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.service_leader = new_test_user(env, login="t_service_leader", groups="base.group_user",
                                           name="T Service Leader")
        cls.service_agent = new_test_user(env, login="t_service_agent", groups="base.group_user",
                                          name="T Service Agent")
        cls.service = env["crm.team"].create({
            "name": "T Customer Service", "unit_type": "service", "parent_id": cls.hq.id,
            "user_id": cls.service_leader.id,
        })
        env["crm.team.member"].create([
            {"crm_team_id": cls.service.id, "user_id": cls.service_leader.id, "role_id": cls.role_supervisor.id},
            {"crm_team_id": cls.service.id, "user_id": cls.service_agent.id, "role_id": cls.role_clerk.id},
        ])
        cls.region = env["sales.org.region"].create({"name": "T East Region", "code": "T-ER"})
        cls.east.region_id = cls.region
        cls.east_business.region_id = cls.region
        cls.shanghai.region_id = cls.region
        cls.customer.is_company = True
        cls.other_customer = env["res.partner"].create({"name": "T Other Customer", "is_company": True})
        cls.quality = env.ref("sales_team_org.complaint_category_quality")
        cls.delivery = env.ref("sales_team_org.complaint_category_delivery")
        cls.company_b = env["res.company"].create({"name": "T Company B"})
        cls.outsider = new_test_user(env, login="t_cs_outsider", groups="base.group_user", name="T Outsider",
                                     company_id=cls.company_b.id, company_ids=[Command.set(cls.company_b.ids)])
        b_hq = env["crm.team"].create({"name": "T B HQ", "company_id": cls.company_b.id})
        env["crm.team.member"].create({"crm_team_id": b_hq.id, "user_id": cls.outsider.id,
                                       "role_id": cls.role_director.id})
        cls.today = env.company._sales_org_today()
        cls.Complaint = env["sales.complaint"]

    def log(self, user=None, **values):
        user = user or self.rep_shanghai
        return self.Complaint.with_user(user).create({
            "partner_id": self.customer.id, "category_id": self.quality.id, "description": "<p>Noisy motor</p>",
            **values,
        })

    def submitted(self, **values):
        complaint = self.log(**values)
        complaint.action_submit()
        return complaint

    def handle_activities(self, complaint):
        kind = self.env.ref("sales_team_org.mail_activity_type_complaint")
        return complaint.sudo().activity_ids.filtered(lambda activity: activity.activity_type_id == kind)

    # ------------------------------------------------------------------
    # Round trip
    # ------------------------------------------------------------------

    def test_round_trip_from_a_call_to_closed(self):
        report = self.env["sales.daily.report"].with_user(self.rep_shanghai).create({
            "date": self.today,
            "line_ids": [Command.create({"partner_id": self.customer.id, "contact_name": "Mr Wang",
                                         "subject": "Gate noise", "lead_id": self.leads[self.rep_shanghai].id})],
        })
        line = report.line_ids
        with self.assertRaises(AccessError):
            line.with_user(self.manager).action_log_complaint()
        action = line.with_user(self.rep_shanghai).action_log_complaint()
        self.assertEqual(action["res_model"], "sales.complaint")
        with Form(self.Complaint.with_user(self.rep_shanghai).with_context(**action["context"])) as form:
            form.category_id = self.quality
            form.severity = "high"
            form.claim_amount = 1200
            form.description = "<p>The motor is noisy</p>"
        complaint = form.record
        self.assertRecordValues(complaint, [{
            "partner_id": self.customer.id, "contact_name": "Mr Wang", "daily_report_line_id": line.id,
            "user_id": self.rep_shanghai.id, "team_id": self.shanghai.id, "region_id": self.region.id,
            "state": "draft", "date": self.today, "claim_amount": 1200,
        }])
        self.assertRegex(complaint.name, r"^KS/\d{4}/\d{4,}$")

        complaint.action_submit()
        self.assertRecordValues(complaint, [{
            "state": "open", "service_team_id": self.service.id, "responsible_id": self.service_leader.id,
        }])
        self.assertEqual(self.handle_activities(complaint).user_id, self.service_leader)

        leader_view = complaint.with_user(self.service_leader)
        leader_view.action_start()
        leader_view.write({"root_cause": "A faulty batch of motors"})
        leader_view.write({"action_ids": [Command.create({
            "kind": "corrective", "description": "Replace the motor", "owner_id": self.service_agent.id,
            "date_deadline": self.today + timedelta(days=3),
        })]})
        corrective = complaint.action_ids
        self.assertRecordValues(corrective, [{"state": "open", "owner_id": self.service_agent.id,
                                              "service_team_id": self.service.id}])
        self.assertRecordValues(corrective.activity_id, [{
            "user_id": self.service_agent.id, "res_id": complaint.id, "res_model": "sales.complaint",
            "date_deadline": self.today + timedelta(days=3),
        }])
        self.assertEqual(complaint.open_action_count, 1)

        with self.assertRaises(AccessError):  # the rep neither owns it nor leads the service unit
            corrective.with_user(self.rep_shanghai).action_done()
        activity = corrective.activity_id
        corrective.with_user(self.service_agent).action_done()
        self.assertRecordValues(corrective, [{"state": "done", "done_date": self.today}])
        self.assertFalse(activity.active, "the owner's activity is done with the action")

        with self.assertRaisesRegex(UserError, "resolution"):
            leader_view.action_close()
        leader_view.write({"resolution": "Motor replaced"})
        with self.assertRaisesRegex(UserError, "satisfaction"):
            leader_view.action_close()
        self.assertEqual(complaint.state, "in_progress")
        leader_view.write({"satisfaction": "4"})
        leader_view.action_close()
        self.assertRecordValues(complaint, [{"state": "closed", "close_date": self.today}])
        self.assertFalse(self.handle_activities(complaint), "the leader's activity is done with the complaint")
        with self.assertRaises(UserError):
            leader_view.write({"resolution": "Changed afterwards"})
        self.assertEqual(self.customer.with_user(self.rep_shanghai).sales_complaint_count, 1)

        leader_view.action_reopen()
        self.assertRecordValues(complaint, [{"state": "in_progress", "close_date": False}])
        self.assertEqual(self.handle_activities(complaint).user_id, self.service_leader)

    def test_action_done_from_the_chatter_closes_the_action(self):
        complaint = self.submitted()
        complaint.with_user(self.service_agent).write({"action_ids": [Command.create({
            "kind": "preventive", "description": "Test every motor", "owner_id": self.service_agent.id,
            "date_deadline": self.today})]})
        action = complaint.action_ids
        action.activity_id.with_user(self.service_agent).action_feedback(feedback="Done")
        self.assertRecordValues(action, [{"state": "done", "done_date": self.today}])

    def test_routed_to_the_demo_service_unit(self):
        rep = self.env.ref("sales_team_org.user_rep_east")
        complaint = self.Complaint.with_user(rep).create({
            "partner_id": self.env.ref("sales_team_org.partner_shanghai_hengda").id, "category_id": self.quality.id,
        })
        complaint.action_submit()
        self.assertRecordValues(complaint, [{
            "team_id": self.env.ref("sales_team_org.team_east_business_1").id,
            "service_team_id": self.env.ref("sales_team_org.team_service").id,
            "responsible_id": self.env.ref("sales_team_org.user_service").id,
            "region_id": self.env.ref("sales_team_org.region_east").id,
        }])
        demo = self.env.ref("sales_team_org.complaint_hengda_noise")
        self.assertEqual(demo.service_team_id, self.env.ref("sales_team_org.team_service"))

    def test_routed_to_the_unit_itself_without_a_service_unit_above(self):
        alone = self.env["crm.team"].create({"name": "T Alone", "user_id": self.rep_north.id})
        self.env["crm.team.member"].create({"crm_team_id": alone.id, "user_id": self.rep_north.id,
                                            "role_id": self.role_rep.id})
        complaint = self.log(self.rep_north, team_id=alone.id)
        complaint.action_submit()
        self.assertRecordValues(complaint, [{"service_team_id": alone.id, "responsible_id": self.rep_north.id}])

    def test_a_draft_is_its_reporters(self):
        """Routed when submitted: the service unit neither reads a draft nor counts it."""
        draft = self.log(date=MARCH)
        self.assertRecordValues(draft, [{"service_team_id": False, "responsible_id": False}])
        for user in (self.service_leader, self.service_agent):
            with self.subTest(user=user.login):
                self.assertFalse(self.Complaint.with_user(user).search([("id", "=", draft.id)]))
        self.assertFalse(self.env["sales.complaint.report"].search([("complaint_id", "=", draft.id)]))
        self.assertEqual(self.monthly(self.regional_east)._monthly_data()["total"]["count"], 0)

    def test_routing_follows_the_tree(self):
        """The service unit's leader moves away and another takes the unit: the complaints being
        handled follow, their activity with them; the former leader no longer reads them."""
        complaint = self.submitted()
        complaint.with_user(self.service_leader).action_start()
        new_leader = new_test_user(self.env, login="t_service_leader2", groups="base.group_user",
                                   name="T New Service Leader")
        self.env["crm.team.member"].create({"crm_team_id": self.service.id, "user_id": new_leader.id,
                                            "role_id": self.role_supervisor.id})
        self.service.user_id = new_leader
        self.assertRecordValues(complaint, [{"service_team_id": self.service.id, "responsible_id": new_leader.id}])
        self.assertEqual(self.handle_activities(complaint).user_id, new_leader)
        self.env["crm.team.member"].search(
            [("crm_team_id", "=", self.service.id), ("user_id", "=", self.service_leader.id)]).crm_team_id = self.north
        self.assertFalse(self.Complaint.with_user(self.service_leader).search([("id", "=", complaint.id)]))
        for method in ("action_cancel", "action_close"):
            with self.subTest(method=method), self.assertRaises(AccessError):
                getattr(complaint.with_user(self.service_leader), method)()
        with self.assertRaises(AccessError):
            complaint.with_user(self.service_leader).write({"root_cause": "Still mine"})
        complaint.with_user(new_leader).write({"root_cause": "Found by the new leader"})
        complaint.with_user(new_leader).action_cancel()
        self.assertEqual(complaint.state, "cancelled")

    # ------------------------------------------------------------------
    # Bad input
    # ------------------------------------------------------------------

    def test_negative_claim_refused_nothing_written(self):
        count = self.Complaint.search_count([])
        with self.assertRaises(ValidationError) as caught:
            self.log(claim_amount=-100)
        self.assertIn("below zero", str(caught.exception))
        self.assertEqual(self.Complaint.search_count([]), count)
        complaint = self.log(claim_amount=100)
        with self.assertRaises(ValidationError) as caught:
            complaint.with_user(self.rep_shanghai).write({"claim_amount": -1})
        self.assertIn("below zero", str(caught.exception))
        self.assertEqual(complaint.claim_amount, 100)

    def test_date_to_come_refused(self):
        count = self.Complaint.search_count([])
        with self.assertRaises(ValidationError) as caught:
            self.log(date=self.today + timedelta(days=1))
        self.assertIn("still to come", str(caught.exception))
        self.assertEqual(self.Complaint.search_count([]), count)

    def test_order_and_invoice_the_reporter_reads_only(self):
        hidden_order = self.orders[self.rep_north]  # the same customer's, another rep's
        hidden_invoice = self.env["account.move"].create({
            "move_type": "out_invoice", "partner_id": self.customer.id, "invoice_user_id": self.rep_north.id})
        self.assertFalse(hidden_invoice.with_user(self.rep_shanghai)._filtered_access("read"))
        count = self.Complaint.search_count([])
        for values in ({"order_id": hidden_order.id}, {"invoice_id": hidden_invoice.id}):
            with self.subTest(values=values):
                with self.assertRaises(AccessError):
                    self.log(**values)
                self.assertEqual(self.Complaint.search_count([]), count)
        complaint = self.log()
        for values in ({"order_id": hidden_order.id}, {"invoice_id": hidden_invoice.id}):
            with self.subTest(values=values), self.assertRaises(AccessError):
                complaint.with_user(self.rep_shanghai).write(values)
        self.assertRecordValues(complaint, [{"order_id": False, "invoice_id": False}])

    def test_log_from_a_call_on_someone_elses_opportunity(self):
        """The call's opportunity went to another rep since: only the orders the rep reads are proposed."""
        lead = self.leads[self.rep_shanghai]
        own, other = self.orders[self.rep_shanghai], self.orders[self.rep_north]
        (own | other).opportunity_id = lead
        (own | other).action_confirm()
        report = self.env["sales.daily.report"].with_user(self.rep_shanghai).create({
            "date": self.today,
            "line_ids": [Command.create({"partner_id": self.customer.id, "subject": "Call", "lead_id": lead.id})],
        })
        lead.user_id = self.rep_north
        self.assertFalse(lead.with_user(self.rep_shanghai)._filtered_access("read"))
        action = report.line_ids.with_user(self.rep_shanghai).action_log_complaint()
        self.assertEqual(action["context"]["default_order_id"], own.id)

    def test_copy_is_a_new_draft_of_the_copier(self):
        complaint = self.submitted()
        complaint.with_user(self.service_agent).write({"root_cause": "Found", "resolution": "Refunded",
                                                       "satisfaction": "5"})
        complaint.with_user(self.service_agent).action_close()
        for user in (self.rep_shanghai, self.supervisor):
            with self.subTest(user=user.login):
                copy = complaint.with_user(user).copy()
                self.assertRecordValues(copy, [{
                    "state": "draft", "user_id": user.id, "partner_id": self.customer.id,
                    "category_id": self.quality.id, "root_cause": False, "resolution": False, "satisfaction": False,
                    "close_date": False, "service_team_id": False, "responsible_id": False,
                }])
                self.assertNotEqual(copy.name, complaint.name)
                self.assertFalse(copy.action_ids)

    def test_action_deadline_from_today_on(self):
        complaint = self.submitted()
        agent = complaint.with_user(self.service_agent)
        yesterday = self.today - timedelta(days=1)
        with self.assertRaises(ValidationError) as caught:
            agent.write({"action_ids": [Command.create({
                "description": "Call back", "owner_id": self.service_agent.id, "date_deadline": yesterday})]})
        self.assertIn("already past", str(caught.exception))
        self.assertFalse(self.env["sales.complaint.action"].search([("complaint_id", "=", complaint.id)]))
        agent.write({"action_ids": [Command.create({
            "description": "Call back", "owner_id": self.service_agent.id, "date_deadline": self.today})]})
        action = complaint.action_ids.with_user(self.service_agent)
        with self.assertRaises(ValidationError):
            action.write({"date_deadline": yesterday})
        self.assertEqual(action.date_deadline, self.today)
        # a deadline gone past stays as long as nobody moves it
        action.flush_recordset()
        self.env.cr.execute("UPDATE sales_complaint_action SET date_deadline = %s WHERE id = %s",
                            (yesterday, action.id))
        action.invalidate_recordset()
        action.write({"description": "Call back twice"})
        self.assertRecordValues(action, [{"description": "Call back twice", "date_deadline": yesterday,
                                          "is_late": True}])

    def test_submit_query_count(self):
        """Submitting costs the same for 2 complaints as for 6."""
        def logged(count):
            complaints = self.Complaint.union(*(self.log() for _i in range(count))).with_user(self.rep_shanghai)
            self.env.flush_all()
            self.env.invalidate_all()
            return complaints

        with self.at_company_noon():
            logged(2).action_submit()  # the caches of rules and groups warm
            for count in (2, 6):
                with self.subTest(count=count):
                    complaints = logged(count)
                    with self.assertQueryCount(SUBMIT_QUERIES):
                        complaints.action_submit()
                        self.env.flush_all()
                    self.assertEqual(set(complaints.mapped("state")), {"open"})
                    self.assertEqual(len(complaints.sudo().activity_ids), count)

    def test_order_and_invoice_of_the_customer_only(self):
        other_order = self.env["sale.order"].create({"partner_id": self.other_customer.id,
                                                     "user_id": self.rep_shanghai.id})
        with self.assertRaises(ValidationError):
            self.log(order_id=other_order.id)
        complaint = self.log(order_id=self.orders[self.rep_shanghai].id)
        self.assertEqual(complaint.order_id, self.orders[self.rep_shanghai])

    def test_submit_needs_a_category(self):
        complaint = self.log(category_id=False)
        with self.assertRaisesRegex(UserError, "category"):
            complaint.action_submit()
        self.assertEqual(complaint.state, "draft")

    def test_logged_by_oneself_from_ones_own_call(self):
        with self.assertRaises(AccessError):
            self.log(user_id=self.rep_north.id)
        report = self.env["sales.daily.report"].with_user(self.rep_north).create({
            "date": self.today, "line_ids": [Command.create({"partner_id": self.customer.id, "subject": "Call"})]})
        with self.assertRaises(ValidationError):
            self.log(daily_report_line_id=report.line_ids.id)
        with self.assertRaises(ValidationError):
            self.log(team_id=self.north.id)
        with self.assertRaises(AccessError):
            self.log(state="closed")
        with self.assertRaises(AccessError):
            self.log(root_cause="Known already")

    # ------------------------------------------------------------------
    # Who may do what
    # ------------------------------------------------------------------

    def test_who_reads(self):
        complaint = self.submitted()
        readers = {
            self.rep_shanghai: True, self.supervisor: True, self.manager: True, self.regional_east: True,
            self.director: True, self.service_leader: True, self.service_agent: True,
            self.rep_north: False, self.regional_north: False, self.clerk_east: False, self.outsider: False,
        }
        for user, reads in readers.items():
            with self.subTest(user=user.login):
                found = self.Complaint.with_user(user).with_company(user.company_id).search([("id", "=", complaint.id)])
                self.assertEqual(bool(found), reads)
                found = self.env["sales.complaint.report"].with_user(user).with_company(user.company_id).search(
                    [("complaint_id", "=", complaint.id)])
                self.assertEqual(bool(found), reads)

    def test_who_does_what(self):
        complaint = self.log()
        with self.assertRaises(AccessError):  # only its reporter submits it
            complaint.with_user(self.service_leader).action_submit()
        with self.assertRaises(AccessError):  # the reporter's words are the reporter's
            complaint.with_user(self.manager).write({"contact_name": "Changed"})
        complaint.action_submit()
        with self.assertRaises(UserError):  # submitted: what was logged stays
            complaint.with_user(self.rep_shanghai).write({"contact_name": "Changed"})
        with self.assertRaises(AccessError):
            complaint.with_user(self.rep_shanghai).write({"root_cause": "Mine"})
        with self.assertRaises(AccessError):
            complaint.with_user(self.rep_shanghai).action_start()
        with self.assertRaises(AccessError):
            complaint.with_user(self.rep_north).action_start()
        with self.assertRaises(AccessError):
            complaint.with_user(self.rep_shanghai).write({"state": "closed"})
        with self.assertRaises(AccessError):
            complaint.with_user(self.service_leader).write({"responsible_id": self.service_agent.id})
        complaint.with_user(self.service_agent).action_start()
        complaint.with_user(self.service_agent).write({"root_cause": "Found"})
        with self.assertRaises(AccessError):  # in progress: the service unit's leader cancels it
            complaint.with_user(self.rep_shanghai).action_cancel()
        with self.assertRaises(AccessError):
            complaint.with_user(self.service_agent).action_cancel()
        with self.assertRaises(AccessError):  # actions are the service unit's
            self.env["sales.complaint.action"].with_user(self.rep_shanghai).create({
                "complaint_id": complaint.id, "description": "Mine", "owner_id": self.rep_shanghai.id,
                "date_deadline": self.today})
        with self.assertRaises(ValidationError):  # the owner must read the complaint
            complaint.with_user(self.service_agent).write({"action_ids": [Command.create({
                "description": "North", "owner_id": self.rep_north.id, "date_deadline": self.today})]})
        complaint.with_user(self.service_agent).write({"action_ids": [Command.create({
            "description": "Call back", "owner_id": self.service_agent.id, "date_deadline": self.today})]})
        with self.assertRaises(UserError):  # cancelled, never deleted
            complaint.action_ids.with_user(self.service_leader).unlink()
        with self.assertRaises(AccessError):
            complaint.action_ids.with_user(self.service_agent).action_cancel()
        complaint.with_user(self.service_leader).action_cancel()
        self.assertRecordValues(complaint, [{"state": "cancelled"}])
        self.assertRecordValues(complaint.action_ids, [{"state": "cancelled"}])
        self.assertFalse(complaint.sudo().activity_ids)

    def test_reporter_cancels_while_open(self):
        complaint = self.submitted()
        complaint.with_user(self.rep_shanghai).action_cancel()
        self.assertEqual(complaint.state, "cancelled")
        self.assertFalse(self.handle_activities(complaint))
        with self.assertRaises(UserError):
            complaint.with_user(self.rep_shanghai).unlink()
        draft = self.log()
        with self.assertRaises(AccessError):
            draft.with_user(self.manager).unlink()
        draft.with_user(self.rep_shanghai).unlink()

    def test_reopen_by_the_service_leader_only(self):
        complaint = self.submitted()
        complaint.with_user(self.service_agent).write({"resolution": "Refunded", "satisfaction": "5"})
        complaint.with_user(self.service_agent).action_close()
        with self.assertRaises(AccessError):
            complaint.with_user(self.service_agent).action_reopen()
        with self.assertRaises(AccessError):
            complaint.with_user(self.manager).action_reopen()  # leads where it comes from, not the service unit
        complaint.with_user(self.director).action_reopen()  # a leader above the service unit
        self.assertEqual(complaint.state, "in_progress")

    # ------------------------------------------------------------------
    # Monthly analysis
    # ------------------------------------------------------------------

    def march_complaints(self, count):
        """`count` complaints of the rep in March 2026: quality ones claiming 100 each and one late
        delivery claiming 50, each worked with a done action; the first with an open one too."""
        complaints = self.Complaint
        for number in range(count):
            category = self.delivery if number == count - 1 else self.quality
            complaint = self.submitted(date=MARCH + timedelta(days=number), category_id=category.id,
                                       severity="high" if number % 2 else "low",
                                       claim_amount=50 if category == self.delivery else 100)
            complaint.with_user(self.service_agent).write({
                "root_cause": f"Cause {number}",
                "action_ids": [Command.create({"description": f"Fix {number}", "owner_id": self.service_agent.id,
                                               "date_deadline": self.today + timedelta(days=20)})],
            })
            complaint.action_ids.with_user(self.service_agent).action_done()
            complaints |= complaint
        complaints[0].with_user(self.service_agent).write({"action_ids": [Command.create({
            "kind": "preventive", "description": "Train the installers", "owner_id": self.service_leader.id,
            "date_deadline": self.today + timedelta(days=40)})]})
        # one of another month and one cancelled count for nothing
        self.submitted(date=MARCH - timedelta(days=1))
        self.submitted(date=MARCH + timedelta(days=2)).with_user(self.rep_shanghai).action_cancel()
        return complaints

    def monthly(self, user):
        return self.env["sales.complaint.monthly"].with_user(user).create({
            "month": MARCH + timedelta(days=10), "region_id": self.region.id})

    def test_monthly_analysis_of_a_known_month(self):
        complaints = self.march_complaints(4)
        data = self.monthly(self.regional_east)._monthly_data()
        self.assertEqual((data["date_from"], data["date_to"]), (MARCH, date(2026, 3, 31)))
        self.assertEqual(data["categories"], [(self.quality.name, 3), (self.delivery.name, 1)])
        self.assertEqual(data["severities"], [("Low", 2), ("High", 2)])
        self.assertEqual(data["total"], {"count": 4, "claims": 350.0, "closed": 0})
        self.assertEqual([cause for _complaint, cause in data["causes"]], ["Cause 0", "Cause 1", "Cause 2", "Cause 3"])
        self.assertRecordValues(data["actions"], [{"description": "Train the installers",
                                                   "owner_id": self.service_leader.id}])
        rows = self.env["sales.complaint.report"].search([("complaint_id", "in", complaints.ids)])
        self.assertEqual(set(rows.mapped("month")), {MARCH})
        self.assertEqual(sum(rows.mapped("open_action_count")), 1)
        self.assertEqual(sum(rows.mapped("action_count")), 5)
        # the North's regional director reads none of it
        data = self.monthly(self.regional_north)._monthly_data()
        self.assertEqual(data["total"]["count"], 0)
        html = self.env["ir.actions.report"]._render_qweb_html(
            "sales_team_org.action_report_sales_complaint_monthly", self.monthly(self.regional_east).ids)[0]
        self.assertIn(b"Train the installers", html)
        self.assertIn(b"Cause 3", html)

    def test_monthly_analysis_query_count(self):
        def analyse(wizard):
            data = wizard._monthly_data()
            data["rows"] = [(action.owner_id.name, action.date_deadline, action.complaint_id.name)
                            for action in data["actions"]]
            return data

        for count, queries in ((2, 9), (6, 9)):
            with self.subTest(count=count):
                complaints = self.march_complaints(count)
                wizard = self.monthly(self.regional_east)
                self.env.invalidate_all()
                analyse(wizard)  # the caches of the rules warm
                self.env.invalidate_all()
                with self.assertQueryCount(queries):
                    data = analyse(wizard)
                self.assertEqual(data["total"]["count"], count)
                complaints.sudo().action_cancel()
