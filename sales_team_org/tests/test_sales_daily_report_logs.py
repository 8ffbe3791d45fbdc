from datetime import timedelta

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import SalesOrgCommon


@tagged("post_install", "-at_install")
class TestSalesDailyReportLogs(SalesOrgCommon):
    """一键记录: from a call of their own daily report, its author logs in one tap what the customer
    said (a complaint, market information, a collection call, a sample to send, visitors to
    receive); the new record names the call and its customer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.report = cls.env["sales.daily.report"].with_user(cls.rep_shanghai).create({
            "date": cls.env.company._sales_org_today(),
            "line_ids": [Command.create({"partner_id": cls.customer.id, "contact_name": "Mr Wang", "subject": "Gate"}),
                         Command.create({"contact_name": "Nobody yet", "subject": "Cold call"})],
        })
        cls.line, cls.line_without_customer = cls.report.line_ids
        cls.invoice = cls.env["account.move"].create({
            "move_type": "out_invoice", "partner_id": cls.customer.id, "invoice_user_id": cls.rep_shanghai.id,
            "team_id": cls.shanghai.id, "invoice_date_due": cls.env.company._sales_org_today() - timedelta(days=5),
            "invoice_line_ids": [Command.create({"product_id": cls.product.id, "price_unit": 500,
                                                 "tax_ids": [Command.clear()]})],
        })
        cls.invoice.action_post()

    def log(self, action, fill):
        """What the author saves from the form `action` opens."""
        action = getattr(self.line.with_user(self.rep_shanghai), action)()
        with Form(self.env[action["res_model"]].with_user(self.rep_shanghai).with_context(**action["context"])) as form:
            fill(form)
        return form.record

    def test_each_log_names_the_call_and_its_customer(self):
        today = self.env.company._sales_org_today()
        def complaint_of(form):
            form.category_id = self.env.ref("sales_team_org.complaint_category_quality")
            form.description = "<p>Noisy</p>"
        complaint = self.log("action_log_complaint", complaint_of)
        def trend(form):
            form.kind = "trend"
            form.description = "A new rival"
        info = self.log("action_log_market_info", trend)
        call = self.log("action_log_collection_call", lambda form: setattr(form, "result", "Pays on Friday"))
        sample = self.log("action_log_sample", lambda form: form.line_ids.new().__setattr__("description", "Slat"))

        def visitors(form):
            form.visitor_names = "Mr Wang"
            form.purpose = "See the factory"
            form.date_start = form.date_end = False
            start = self.env.company._sales_org_day_bounds(today + timedelta(days=2))[0] + timedelta(hours=2)
            form.date_start, form.date_end = start, start + timedelta(hours=3)
        visit = self.log("action_log_visit", visitors)
        for record in (complaint, info, call, sample, visit):
            self.assertEqual(record.daily_report_line_id, self.line, record._name)
            self.assertEqual(record.user_id, self.rep_shanghai, record._name)
        for record in (complaint, info, sample, visit):
            self.assertEqual(record.partner_id, self.customer, record._name)
        self.assertEqual(complaint.contact_name, "Mr Wang")
        # the collection call is about the customer's invoice longest overdue
        self.assertEqual(call.move_id, self.invoice)
        self.assertEqual(call.partner_id, self.customer)

    def test_only_its_author_logs_from_a_call(self):
        for action in ("action_log_complaint", "action_log_market_info", "action_log_collection_call",
                       "action_log_sample", "action_log_visit"):
            with self.subTest(action=action), self.assertRaises(AccessError):
                getattr(self.line.with_user(self.manager), action)()
            with self.subTest(action=action), self.assertRaisesRegex(UserError, "Name the customer"):
                getattr(self.line_without_customer.with_user(self.rep_shanghai), action)()

    def test_a_log_names_a_call_of_its_author_only(self):
        # the leader logs market information of their own, naming the rep's call: refused, nothing written
        Info = self.env["sales.market.info"].with_user(self.manager)
        with self.assertRaisesRegex(ValidationError, "own daily report"):
            with self.cr.savepoint():
                Info.create({"daily_report_line_id": self.line.id, "kind": "trend", "description": "Borrowed call"})
        self.assertFalse(self.env["sales.market.info"].search([("daily_report_line_id", "=", self.line.id)]))
        # nor for someone else
        with self.assertRaises(AccessError):
            self.env["sales.sample"].with_user(self.manager).create({
                "partner_id": self.customer.id, "user_id": self.rep_shanghai.id})

    def test_defaults_in_the_context_set_nothing_a_user_may_not(self):
        # from the review: a default names an author, or a workflow field, as much as a value does
        with self.assertRaises(AccessError), self.cr.savepoint():
            self.env["sales.sample"].with_user(self.manager).with_context(
                default_user_id=self.rep_shanghai.id).create({"partner_id": self.customer.id})
        with self.assertRaises(AccessError), self.cr.savepoint():
            self.env["sales.business.trip"].with_user(self.manager).with_context(
                default_user_id=self.rep_shanghai.id).create({
                    "name": "Borrowed name", "date_start": self.report.date, "date_end": self.report.date})
        complaint = self.env["sales.complaint"].with_user(self.rep_shanghai).with_context(default_state="closed").create({
            "partner_id": self.customer.id, "category_id": self.env.ref("sales_team_org.complaint_category_quality").id})
        self.assertEqual(complaint.state, "draft")

    def test_a_log_is_about_the_customer_of_its_call(self):
        other = self.env["res.partner"].create({"name": "T Other Customer"})
        with self.assertRaisesRegex(ValidationError, "the call it is logged from"), self.cr.savepoint():
            self.env["sales.sample"].with_user(self.rep_shanghai).create({
                "partner_id": other.id, "daily_report_line_id": self.line.id})
