import io
from datetime import timedelta

import openpyxl

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import SalesOrgCommon


@tagged("post_install", "-at_install")
class TestSalesOrgIntegrity(SalesOrgCommon):
    """Nothing forged, leaked or lost: each case a hostile user tried, refused and changing nothing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.is_company = True
        cls.sales_admin = new_test_user(cls.env, login="t_integrity_admin", groups="sales_team.group_sale_manager")
        cls.yesterday = cls.env.company._sales_org_today() - timedelta(days=1)

    def draft(self, person, **values):
        return self.env["sales.daily.report"].with_user(person).create({
            "line_ids": [Command.create({"partner_id": self.customer.id, "subject": "Gate prices"})], **values,
        })

    def assertRefused(self, record, user, values):
        """`user` writing `values` on `record` is refused (access, state or validation) and nothing changes."""
        before = record.sudo().read(list(values))[0]
        with self.assertRaises(UserError), self.env.cr.savepoint():
            record.with_user(user).write(values)
        record.invalidate_recordset()
        self.assertEqual(record.sudo().read(list(values))[0], before)

    # ------------------------------------------------------------------
    # The review flow and authorship
    # ------------------------------------------------------------------

    def test_state_reviewer_and_figures_are_the_workflows(self):
        report = self.draft(self.rep_shanghai)
        summary = self.env["sales.monthly.summary"].with_user(self.manager).create({})
        forged = {"state": "reviewed", "reviewer_id": self.director.id, "order_amount": 9999999,
                  "approver_id": self.rep_shanghai.id, "submit_date": fields.Datetime.now(),
                  "review_date": fields.Datetime.now()}
        for document, author in ((report, self.rep_shanghai), (summary, self.manager)):
            for fname, value in [*forged.items(), ("state", "submitted")]:
                with self.subTest(document=document._name, field=fname):
                    self.assertRefused(document, author, {fname: value})
            with self.subTest(document=document._name, fields="all at once"):
                self.assertRefused(document, author, forged)
        self.assertRefused(report, self.rep_shanghai, {"reminded": True})
        self.assertRefused(summary, self.manager, {"people_count": 99})

    def test_author_day_and_company_are_fixed_at_creation(self):
        report = self.draft(self.rep_shanghai)
        for values in ({"user_id": self.clerk_east.id}, {"date": "2099-01-01"}, {"date": self.yesterday},
                       {"company_id": self.env["res.company"].create({"name": "T Elsewhere"}).id},
                       {"user_id": self.clerk_east.id, "state": "reviewed"}):
            with self.subTest(values=values):
                self.assertRefused(report, self.rep_shanghai, values)
        # the colleague still writes their own report of the day
        self.assertTrue(self.draft(self.clerk_east))

    def test_people_create_their_own_documents_for_days_that_have_come(self):
        Report = self.env["sales.daily.report"]
        for leader, person in ((self.manager, self.rep_shanghai), (self.manager, self.rep_north),
                               (self.director, self.rep_north)):
            with self.subTest(leader=leader.login, person=person.login), self.assertRaises(AccessError):
                Report.with_user(leader).create({"user_id": person.id})
        with self.assertRaises(AccessError):
            self.env["sales.monthly.summary"].with_user(self.regional_east).create({"user_id": self.manager.id})
        with self.assertRaises(ValidationError):
            tomorrow = self.env.company._sales_org_today() + timedelta(days=1)
            Report.with_user(self.rep_shanghai).create({"date": tomorrow})
        with self.assertRaises(ValidationError):
            Report.with_user(self.rep_shanghai).create({"team_id": self.north.id})  # not one of their units
        with self.assertRaises(AccessError):
            Report.with_user(self.rep_shanghai).create({"state": "reviewed", "order_amount": 9999999})
        report = Report.with_user(self.rep_shanghai).create({"date": self.yesterday})  # a day forgotten
        self.assertEqual((report.user_id, report.team_id, report.state), (self.rep_shanghai, self.shanghai, "draft"))

    def test_figures_are_refreshed_by_their_author_only(self):
        report = self.draft(self.rep_shanghai)
        for person in (self.supervisor, self.manager, self.director):
            with self.subTest(person=person.login), self.assertRaises(AccessError):
                report.with_user(person).action_refresh_figures()
        report.with_user(self.rep_shanghai).action_refresh_figures()

    def test_leaders_read_and_review_but_do_not_rewrite(self):
        report = self.draft(self.rep_shanghai)
        line = report.line_ids
        for leader in (self.supervisor, self.manager, self.director, self.sales_admin):
            with self.subTest(leader=leader.login):
                self.assertTrue(report.with_user(leader).read(["diary"]))  # reads it
                self.assertRefused(report, leader, {"diary": "<p>Rewritten by the leader</p>"})
                self.assertRefused(line, leader, {"subject": "Rewritten by the leader"})
                with self.assertRaises(AccessError), self.env.cr.savepoint():
                    report.with_user(leader).unlink()
                with self.assertRaises(AccessError), self.env.cr.savepoint():
                    line.with_user(leader).unlink()
                with self.assertRaises(AccessError), self.env.cr.savepoint():
                    self.env["sales.daily.report.line"].with_user(leader).create(
                        {"report_id": report.id, "subject": "Added by the leader"})
        self.assertEqual(report.line_ids, line)

    def test_lines_stay_on_their_report_and_name_what_their_writer_reads(self):
        mine = self.draft(self.rep_shanghai)
        theirs = self.draft(self.clerk_east)
        theirs.with_user(self.clerk_east).action_submit()
        line = mine.line_ids
        for target in (theirs, self.draft(self.rep_shanghai, date=self.yesterday)):
            with self.subTest(target=target.display_name):
                self.assertRefused(line, self.rep_shanghai, {"report_id": target.id})
        with self.assertRaises(AccessError):
            self.env["sales.daily.report.line"].with_user(self.rep_shanghai).create(
                {"report_id": theirs.id, "subject": "Slipped in"})
        hidden_lead = self.leads[self.rep_north]
        self.assertRefused(line, self.rep_shanghai, {"lead_id": hidden_lead.id})
        with self.assertRaises(AccessError):
            self.env["sales.daily.report.line"].with_user(self.rep_shanghai).create(
                {"report_id": mine.id, "lead_id": hidden_lead.id})
        message = self.env["mail.message"].create({"model": "crm.lead", "res_id": hidden_lead.id, "body": "x"})
        self.assertRefused(line, self.rep_shanghai, {"message_id": message.id})
        self.assertRefused(line, self.rep_shanghai, {"activity_scheduled": True})

    # ------------------------------------------------------------------
    # Who approves: the tree, not who can read
    # ------------------------------------------------------------------

    def test_a_peer_does_not_approve_the_unit_managers_report(self):
        deputy = new_test_user(self.env, login="t_deputy", groups="base.group_user", name="T Deputy")
        self.env["crm.team.member"].create({
            "crm_team_id": self.east_business.id, "user_id": deputy.id, "role_id": self.role_supervisor.id,
        })
        report = self.draft(self.manager)
        summary = self.env["sales.monthly.summary"].with_user(self.manager).create({})
        for document in (report, summary):
            document.with_user(self.manager).action_submit()
            self.assertEqual(document.approver_id, self.regional_east)
            with self.subTest(document=document._name):
                with self.assertRaises(AccessError):
                    document.with_user(deputy).action_approve()
                self.assertRefused(document, deputy, {"review_comment": "Looks fine to a peer"})
            document.with_user(self.regional_east).action_approve()
            self.assertEqual((document.state, document.reviewer_id), ("reviewed", self.regional_east))

    def test_the_approver_follows_the_tree_and_gets_the_review(self):
        review = self.env.ref("sales_team_org.mail_activity_type_review")
        report = self.draft(self.rep_shanghai)
        self.assertEqual(report.approver_id, self.supervisor)
        report.with_user(self.rep_shanghai).action_submit()
        self.assertEqual(report.activity_ids.filtered(lambda a: a.activity_type_id == review).user_id, self.supervisor)

        # the supervisor moves to the North region: the report now waits for the unit manager
        self.env["crm.team.member"].search([("user_id", "=", self.supervisor.id)]).crm_team_id = self.north
        self.assertEqual(report.approver_id, self.manager)
        self.assertEqual(report.activity_ids.filtered(lambda a: a.activity_type_id == review).user_id, self.manager)
        with self.assertRaises(AccessError):
            report.with_user(self.supervisor).action_approve()

        for person, waiting in ((self.manager, report), (self.director, report.browse()),
                                (self.supervisor, report.browse())):
            with self.subTest(person=person.login):
                to_review = [("state", "=", "submitted"), ("approver_id", "=", person.id)]  # the menu's filter
                self.assertEqual(self.env["sales.daily.report"].with_user(person).search(to_review), waiting)

        report.with_user(self.manager).action_approve()
        self.assertFalse(report.activity_ids.filtered(lambda a: a.activity_type_id == review), "decided: closed")
        # a decided document keeps its approver whatever the tree does next
        self.env["crm.team.member"].search([("user_id", "=", self.manager.id)]).crm_team_id = self.north
        self.assertEqual(report.approver_id, self.manager)

    def test_the_review_waiting_for_the_approver_is_not_the_authors(self):
        report = self.draft(self.rep_shanghai)
        report.with_user(self.rep_shanghai).action_submit()
        review = report.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref("sales_team_org.mail_activity_type_review"))
        for values in ({"user_id": self.clerk_east.id}, {"date_deadline": "2099-01-01"}):
            with self.subTest(values=values):
                self.assertRefused(review, self.rep_shanghai, values)
        with self.assertRaises(AccessError):
            review.with_user(self.rep_shanghai).unlink()
        review.with_user(self.supervisor).action_feedback(feedback="Read, deciding tomorrow")

    def test_a_document_with_nobody_above_gets_its_approver_when_the_tree_grows(self):
        self.role_director.daily_report_at_top = True
        report = self.draft(self.director)
        report.with_user(self.director).action_submit()
        self.assertFalse(report.approver_id)
        self.assertFalse(report.activity_ids)
        chairman = new_test_user(self.env, login="t_chairman", groups="base.group_user", name="T Chairman")
        board = self.env["crm.team"].create({"name": "T Board", "company_id": self.env.company.id,
                                             "user_id": chairman.id})
        self.env["crm.team.member"].create({"crm_team_id": board.id, "user_id": chairman.id,
                                            "role_id": self.role_director.id})
        self.hq.parent_id = board
        self.assertEqual(report.approver_id, chairman)
        self.assertEqual(report.activity_ids.user_id, chairman)

    def test_a_unit_manager_reads_what_they_review(self):
        self.env["crm.team.member"].search([("user_id", "=", self.manager.id)]).role_id = self.role_rep
        self.assertTrue(self.manager.has_group("sales_team_org.group_sale_unit_leader"), "the unit manager's seat")
        report = self.draft(self.clerk_east)
        report.with_user(self.clerk_east).action_submit()
        self.assertEqual(report.approver_id, self.manager)
        report.with_user(self.manager).action_approve()
        self.east_business.user_id = self.regional_north
        self.assertFalse(self.manager.has_group("sales_team_org.group_sale_unit_leader"), "the seat is gone")

    def test_a_team_leader_without_a_role_keeps_their_access(self):
        leader = new_test_user(self.env, login="t_stock_leader", groups="sales_team.group_sale_salesman_all_leads")
        team = self.env["crm.team"].create({"name": "T Stock Team", "user_id": leader.id})
        team.user_id = self.rep_north
        team.action_archive()
        self.assertTrue(leader.has_group("sales_team.group_sale_salesman_all_leads"), "stock CRM's groups untouched")

    def test_figures_come_from_what_the_author_did(self):
        # a colleague posts a "call" in the rep's name: it is not the rep's work
        call = self.env.ref("mail.mail_activity_data_call")
        self.env["mail.message"].with_user(self.clerk_east).create({
            "model": "res.partner", "res_id": self.customer.id, "body": "Called", "message_type": "notification",
            "author_id": self.rep_shanghai.partner_id.id, "mail_activity_type_id": call.id,
        })
        report = self.env["sales.daily.report"].with_user(self.rep_shanghai).create({})
        self.assertFalse(report.line_ids)

    def test_a_leader_above_the_approver_reviews_a_peer_does_not(self):
        report = self.draft(self.rep_shanghai)
        report.with_user(self.rep_shanghai).action_submit()
        self.assertTrue(report.with_user(self.director).can_review)
        self.assertFalse(report.with_user(self.rep_shanghai).can_review)
        with self.assertRaises(AccessError):
            report.with_user(self.regional_north).action_approve()  # not above: cannot even read it
        report.with_user(self.sales_admin).action_approve()

    # ------------------------------------------------------------------
    # Classification, wizards
    # ------------------------------------------------------------------

    def test_classification_only_through_classify(self):
        editor = new_test_user(self.env, login="t_contact_editor", groups="base.group_user,base.group_partner_manager")
        for user in (editor, self.rep_shanghai, self.manager, self.sales_admin):
            with self.subTest(user=user.login):
                self.assertRefused(self.customer, user, {"sales_classification": "primary"})
        self.customer.user_id = self.rep_north  # a customer of the North region
        for leader in (self.manager, self.regional_east, self.supervisor):
            with self.subTest(leader=leader.login), self.assertRaises(AccessError):
                self.customer.with_user(leader)._set_sales_classification("primary", reason="Not mine")
        self.customer.with_user(self.regional_north)._set_sales_classification("primary", reason="Mine")
        self.assertEqual(self.customer.sales_classification, "primary")
        self.assertEqual(self.customer.sales_classification_ids.user_id, self.regional_north)

    def test_a_leader_cannot_make_a_customer_theirs_to_classify(self):
        stranger = self.env["res.partner"].create({"name": "T Stranger", "is_company": True,
                                                   "user_id": self.rep_north.id})
        stranger.user_id = self.manager  # the leader made himself its salesperson
        with self.assertRaises(AccessError):
            stranger.with_user(self.manager)._set_sales_classification("primary")
        stranger.user_id = False
        self.env["crm.lead"].with_user(self.manager).create({
            "name": "T Made up", "partner_id": stranger.id, "team_id": self.east_business.id})
        with self.assertRaises(AccessError):
            stranger.with_user(self.manager)._set_sales_classification("primary")
        self.assertFalse(stranger.sales_classification_ids)
        stranger.user_id = self.rep_shanghai  # one of his people's customers: his to classify
        stranger.with_user(self.manager)._set_sales_classification("primary")
        self.assertEqual(stranger.sales_classification, "primary")

    def test_merging_classified_contacts_still_works(self):
        self.customer.with_user(self.manager)._set_sales_classification("primary", reason="Big buyer")
        duplicate = self.env["res.partner"].create({"name": "T Customer (copy)", "is_company": True})
        merger = new_test_user(self.env, login="t_merger", groups="base.group_user,base.group_partner_manager")
        wizard = self.env["base.partner.merge.automatic.wizard"].with_user(merger).create({
            "partner_ids": [Command.set((self.customer | duplicate).ids)], "dst_partner_id": duplicate.id,
        })
        wizard.action_merge()
        self.assertEqual(duplicate.sales_classification, "primary")
        self.assertEqual(duplicate.sales_classification_ids.classification, "primary", "the history follows")

    def test_assistants_are_private(self):
        classify = self.env["sales.customer.classify"].with_user(self.manager).create({"partner_id": self.customer.id})
        export = self.env["sales.daily.report.export"].with_user(self.manager).create({})
        for wizard in (classify, export):
            for other in (self.regional_east, self.director, self.supervisor):
                with self.subTest(wizard=wizard._name, user=other.login):
                    with self.assertRaises(AccessError):
                        wizard.with_user(other).read([])
                    with self.assertRaises(AccessError):
                        wizard.with_user(other).write({})

    def test_export_reads_lines_as_the_list_shows_them(self):
        # a report of the North rep filed (by the database, not by hand) under an East unit: the
        # manager sees the report through its unit, not the North rep's calls
        report = self.draft(self.rep_north)
        self.env.cr.execute("UPDATE sales_daily_report SET team_id = %s WHERE id = %s", (self.east_business.id, report.id))
        report.invalidate_recordset()
        as_manager = report.with_user(self.manager)
        self.assertTrue(as_manager.read(["name"]))
        self.assertFalse(self.env["sales.daily.report.line"].with_user(self.manager).search([("report_id", "=", report.id)]))
        wizard = self.env["sales.daily.report.export"].with_user(self.manager).create({"report_ids": [Command.set(report.ids)]})
        fileobj = io.BytesIO()
        wizard._write_xlsx(fileobj)
        fileobj.seek(0)
        cells = {cell for row in openpyxl.load_workbook(fileobj).active.iter_rows(values_only=True) for cell in row}
        self.assertIn(self.rep_north.name, cells, "the report is exported")
        self.assertNotIn("Gate prices", cells, "not its hidden call")

    # ------------------------------------------------------------------
    # Companies
    # ------------------------------------------------------------------

    def test_companies_are_separate(self):
        other = self.env["res.company"].create({"name": "T Other Company"})
        outsider = new_test_user(self.env, login="t_other_director", groups="sales_team.group_sale_salesman_all_leads",
                                 company_id=other.id, company_ids=[Command.set(other.ids)])
        report = self.draft(self.rep_shanghai)
        report.with_user(self.rep_shanghai).action_submit()
        self.customer.with_user(self.manager)._set_sales_classification("primary", reason="Big buyer")
        self.env["sales.org.headcount"].create({"team_id": self.shanghai.id, "role_id": self.role_rep.id})
        self.env["sales.daily.digest"].create({"user_id": self.manager.id, "date": self.env.company._sales_org_today(),
                                               "company_id": self.env.company.id})
        for model, domain in (
            ("sales.daily.report", [("id", "=", report.id)]),
            ("sales.daily.report.line", [("report_id", "=", report.id)]),
            ("sales.daily.report.status", [("user_id", "=", self.rep_shanghai.id)]),
            ("sales.org.headcount", [("team_id", "=", self.shanghai.id)]),
            ("sales.customer.classification", [("partner_id", "=", self.customer.id)]),
            ("crm.team", [("id", "in", (self.hq | self.shanghai).ids)]),
        ):
            with self.subTest(model=model):
                self.assertTrue(self.env[model].search(domain))
                self.assertFalse(self.env[model].with_user(outsider).search(domain))
        # each company classifies its customers for itself
        self.assertFalse(self.customer.with_company(other).sales_classification)
        self.assertEqual(self.customer.sales_classification, "primary")

    def test_a_unit_and_its_sub_units_belong_to_one_company(self):
        other = self.env["res.company"].create({"name": "T Other Company"})
        self.assertEqual(self.shanghai.company_id, self.env.company)
        with self.assertRaisesRegex(ValidationError, "T East belongs to"):
            self.east.company_id = other  # alone, away from the HQ above it
        top = self.env["crm.team"].create({"name": "T Moving", "company_id": self.env.company.id})
        middle = self.env["crm.team"].create({"name": "T Moving Middle", "parent_id": top.id})
        bottom = self.env["crm.team"].create({"name": "T Moving Bottom", "parent_id": middle.id})
        self.assertEqual(bottom.company_id, self.env.company, "a sub-unit is created in its parent's company")
        top.company_id = other
        self.assertEqual((middle | bottom).company_id, other, "the units below follow")
        with self.assertRaisesRegex(ValidationError, "set the company of T Loose"):
            loose = self.env["crm.team"].create({"name": "T Loose"})
            self.env["crm.team"].create({"name": "T Under Loose", "parent_id": loose.id})
        flat = self.env["crm.team"].create({"name": "T Flat"})  # outside the tree: as in stock CRM
        self.assertFalse(flat.company_id)
        flat.parent_id = self.north
        self.assertEqual(flat.company_id, self.env.company, "joining the tree, it joins its company")

    # ------------------------------------------------------------------
    # Nothing lost silently
    # ------------------------------------------------------------------

    def test_a_unit_with_history_is_archived_not_deleted(self):
        for unit in (self.shanghai, self.north):
            with self.subTest(unit=unit.name), self.assertRaisesRegex(UserError, "archive it"):
                unit.unlink()
        self.assertTrue(self.rep_shanghai.has_group("sales_team.group_sale_salesman"))
        self.assertTrue(self.supervisor.has_group("sales_team_org.group_sale_unit_leader"))
        self.shanghai.action_archive()
        self.assertFalse(self.supervisor.has_group("sales_team_org.group_sale_unit_leader"), "its access ends")
        self.assertFalse(self.rep_shanghai.has_group("sales_team.group_sale_salesman"))
        self.assertTrue(self.env["crm.team.member"].search([("crm_team_id", "=", self.shanghai.id)]),
                        "the memberships stay, as history")
        self.shanghai.action_unarchive()
        self.assertTrue(self.supervisor.has_group("sales_team_org.group_sale_unit_leader"))

    def test_a_region_in_use_is_not_deleted(self):
        region = self.env["sales.org.region"].create({"name": "T East China", "code": "T-EC"})
        self.east.region_id = region
        with self.assertRaisesRegex(UserError, "archive it"):
            region.unlink()
        self.assertEqual(self.east.region_id, region)
        # nor when its unit belongs to a company the deleting administrator does not see
        other = self.env["res.company"].create({"name": "T Other Company"})
        far_region = self.env["sales.org.region"].create({"name": "T Far", "code": "T-FAR"})
        self.env["crm.team"].create({"name": "T Far Unit", "company_id": other.id, "region_id": far_region.id})
        with self.assertRaisesRegex(UserError, "archive it"):
            far_region.with_user(self.sales_admin).unlink()
        self.env["sales.org.region"].create({"name": "T Unused", "code": "T-UN"}).unlink()

    def test_the_sales_administrator_assigns_roles_without_managing_users(self):
        self.assertFalse(self.sales_admin.has_group("base.group_erp_manager"))
        membership = self.env["crm.team.member"].search([("user_id", "=", self.rep_shanghai.id)])
        membership.with_user(self.sales_admin).role_id = self.role_supervisor
        self.assertTrue(self.rep_shanghai.has_group("sales_team_org.group_sale_unit_leader"))
        self.role_supervisor.with_user(self.sales_admin).access_level = "all"
        self.assertTrue(self.rep_shanghai.has_group("sales_team.group_sale_salesman_all_leads"))
        for user in (self.manager, self.director):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                membership.with_user(user).role_id = self.role_director

    def test_a_clerk_reports_on_a_lead_that_went_to_someone_else(self):
        lead = self.leads[self.clerk_east].with_user(self.clerk_east)
        lead.activity_schedule("mail.mail_activity_data_call", user_id=self.clerk_east.id, summary="Call back")
        lead.activity_ids.action_feedback(feedback="Wants a visit")
        lead.sudo().user_id = self.rep_north  # reassigned out of the clerk's sight
        report = self.env["sales.daily.report"].with_user(self.clerk_east).create({})
        report.action_submit()
        line = report.line_ids.filtered("message_id")
        self.assertEqual(line.partner_id, self.customer)
        self.assertFalse(line.lead_id, "the lead, no longer theirs, is not named")
