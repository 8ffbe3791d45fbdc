from datetime import date

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import SalesOrgCommon


@tagged("post_install", "-at_install")
class TestSalesDailyReport(SalesOrgCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Report = cls.env["sales.daily.report"]
        cls.sales_admin = cls.env["res.users"].create({
            "name": "Sales Admin", "login": "t_sales_admin_dr",
            "groups_id": [Command.set([cls.env.ref("sales_team.group_sale_manager").id])],
        })
        cls.customer.is_company = True

    def write_report(self, person, **values):
        report = self.Report.with_user(person).create({
            "diary": "<p>Called two customers.</p>",
            "line_ids": [
                Command.create({"partner_id": self.customer.id, "channel": "phone", "subject": "Gate prices",
                                "next_step": "Send the catalogue", "lead_id": self.leads[person].id}),
                Command.create({"partner_id": self.customer.id, "channel": "visit", "subject": "Site visit"}),
            ],
            **values,
        })
        return report

    def test_write_submit_return_resubmit_approve(self):
        report = self.write_report(self.rep_shanghai)
        self.assertEqual(report.team_id, self.shanghai)
        self.assertEqual(report.approver_id, self.supervisor)
        self.assertEqual((report.call_count, report.visit_count, report.customer_count), (1, 1, 1))
        report.action_submit()
        self.assertEqual(report.state, "submitted")
        with self.assertRaises(UserError):
            report.diary = "<p>Changed after submitting</p>"
        with self.assertRaises(UserError):
            report.line_ids[0].subject = "Changed after submitting"

        as_manager = report.with_user(self.supervisor)
        with self.assertRaises(UserError):
            as_manager.action_return()  # a return says what to fix
        as_manager.review_comment = "Which catalogue? Add the contact person."
        as_manager.action_return()
        self.assertEqual(report.state, "returned")
        self.assertEqual(report.reviewer_id, self.supervisor)

        report.line_ids[0].contact_name = "Mr. Wang"
        report.action_submit()
        report.with_user(self.manager).action_approve()  # a leader above the approver may review
        self.assertEqual(report.state, "reviewed")
        self.assertEqual(report.reviewer_id, self.manager)

        # a reviewed report is final: its author and the leaders read it, nobody rewrites it
        with self.assertRaises(UserError):
            report.with_user(self.rep_shanghai).diary = "<p>Rewritten</p>"
        for person in (self.supervisor, self.director, self.sales_admin):
            with self.subTest(person=person.login), self.assertRaises(AccessError):
                report.with_user(person).diary = "<p>Rewritten</p>"

    def test_author_cannot_review_and_outsiders_cannot_see(self):
        report = self.write_report(self.rep_shanghai)
        report.action_submit()
        with self.assertRaises(AccessError):
            report.action_approve()
        for outsider in (self.rep_north, self.clerk_east, self.regional_north):
            with self.subTest(person=outsider.login):
                with self.assertRaises(AccessError):
                    report.with_user(outsider).read(["diary"])
                with self.assertRaises(AccessError):
                    report.with_user(outsider).action_approve()
        with self.assertRaises(AccessError):
            self.write_report(self.rep_north).with_user(self.rep_shanghai).read(["diary"])

    def test_submit_only_by_the_author(self):
        report = self.write_report(self.rep_shanghai)
        with self.assertRaises(AccessError):
            report.with_user(self.supervisor).action_submit()

    def test_one_report_per_person_and_day(self):
        self.write_report(self.rep_shanghai)
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            self.write_report(self.rep_shanghai)
        self.write_report(self.rep_shanghai, date=fields.Date.add(self.env.company._sales_org_today(), days=-1))

    def test_only_drafts_are_deleted(self):
        report = self.write_report(self.rep_shanghai)
        report.action_submit()
        with self.assertRaises(UserError):
            report.unlink()
        yesterday = fields.Date.add(self.env.company._sales_org_today(), days=-1)
        draft = self.write_report(self.rep_shanghai, date=yesterday)
        draft.unlink()
        self.assertFalse(draft.exists())

    def test_figures_from_the_day_in_odoo(self):
        rep = self.rep_shanghai
        lead = self.leads[rep].with_user(rep)
        lead.activity_schedule("mail.mail_activity_data_call", user_id=rep.id, summary="Call back")
        lead.activity_ids.action_feedback(feedback="Interested in 10 gates")
        # a lead is not a new customer; a company and its contact are one
        self.env["crm.lead"].with_user(rep).create({"name": "New gate project", "user_id": rep.id})
        new_customer = self.env["res.partner"].with_user(rep).create({"name": "T New Gate Co", "is_company": True})
        self.env["res.partner"].with_user(rep).create({"name": "T Buyer", "parent_id": new_customer.id})
        self.env.flush_all()  # created at the transaction's time: on the report's day, as the rest
        self.env.cr.execute("UPDATE res_partner SET create_date = %s WHERE id = %s",
                            [fields.Datetime.now(), new_customer.id])
        quotation = self.orders[rep].with_user(rep)
        quotation.with_context(mark_so_as_sent=True).message_post(
            body="Our quotation", message_type="comment", subtype_xmlid="mail.mt_comment",
            partner_ids=quotation.partner_id.ids)
        order = self.env["sale.order"].with_user(rep).create({
            "partner_id": self.customer.id, "user_id": rep.id,
            "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 3, "price_unit": 100})],
        })
        order.action_confirm()
        self.env.flush_all()

        report = self.Report.with_user(rep).create({})
        activity_lines = report.line_ids.filtered("message_id")
        self.assertEqual(len(activity_lines), 1)
        self.assertEqual(activity_lines.lead_id, self.leads[rep])
        self.assertEqual(activity_lines.channel, "phone")
        figures = ("new_customer_count", "quotation_count", "order_count", "order_amount")
        self.assertEqual([report[f] for f in figures], [1, 1, 1, order.amount_untaxed])
        report.action_refresh_figures()
        report.action_refresh_figures()
        self.assertEqual(len(report.line_ids.filtered("message_id")), 1, "a done activity is counted once")
        self.assertEqual([report[f] for f in figures], [1, 1, 1, order.amount_untaxed])

    def test_manager_classifies_the_customer(self):
        report = self.write_report(self.rep_shanghai)
        report.action_submit()
        line = report.line_ids[0]
        with self.assertRaises(AccessError):
            line.with_user(self.rep_shanghai).classification = "primary"
        line.with_user(self.supervisor).classification = "primary"
        self.assertEqual(self.customer.sales_classification, "primary")
        history = self.customer.sales_classification_ids
        self.assertEqual(len(history), 1)
        self.assertEqual((history.user_id, history.classification, history.previous_classification),
                         (self.supervisor, "primary", False))
        self.assertEqual(self.leads[self.rep_shanghai].sales_classification, "primary")
        primary_leads = self.env["crm.lead"].search([("sales_classification", "=", "primary")])
        self.assertIn(self.leads[self.rep_shanghai], primary_leads)

        wizard = Form(self.env["sales.customer.classify"].with_user(self.manager).with_context(
            default_partner_id=self.customer.id))
        wizard.classification = "secondary"
        wizard.reason = "Orders fell this quarter"
        wizard.save().action_apply()
        self.assertEqual(self.customer.sales_classification, "secondary")
        self.assertEqual(self.customer.sales_classification_ids[0].reason, "Orders fell this quarter")
        self.assertEqual(self.customer.sales_classification_ids[0].previous_classification, "primary")

    def test_next_step_becomes_an_activity_for_the_author(self):
        report = self.write_report(self.rep_shanghai)
        report.action_submit()
        line = report.line_ids.filtered("next_step")
        line.with_user(self.supervisor).action_schedule_next_step()
        activity = self.leads[self.rep_shanghai].activity_ids
        self.assertEqual((activity.summary, activity.user_id), ("Send the catalogue", self.rep_shanghai))
        line.with_user(self.supervisor).action_schedule_next_step()
        self.assertEqual(len(self.leads[self.rep_shanghai].activity_ids), 1, "scheduled once")

    @freeze_time("2026-11-25 04:00:00")
    def test_who_has_not_submitted(self):
        self.write_report(self.rep_shanghai).action_submit()
        self.write_report(self.supervisor)
        today = date(2026, 11, 25)
        Status = self.env["sales.daily.report.status"]
        board = Status.with_user(self.manager).search([("date", "=", today), ("user_id", "in", self.people.ids)])
        state = {row.user_id: row.state for row in board}
        self.assertEqual(state, {
            self.manager: "missing", self.clerk_east: "missing",
            self.supervisor: "draft", self.rep_shanghai: "submitted",
        })
        missing = Status.with_user(self.supervisor).search([
            ("date", "=", today), ("is_submitted", "=", False), ("user_id", "in", self.people.ids),
        ])
        self.assertEqual(missing.user_id, self.supervisor)
