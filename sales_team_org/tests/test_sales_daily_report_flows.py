from datetime import date

from lxml import etree
from psycopg2 import IntegrityError

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import SalesOrgCommon


@tagged("post_install", "-at_install")
class TestSalesDailyReportFlows(SalesOrgCommon):
    """Every step a rep and a leader take on a report or a summary works, or is not offered."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Report = cls.env["sales.daily.report"]
        cls.Summary = cls.env["sales.monthly.summary"]
        cls.customer.is_company = True
        cls.today = cls.env.company._sales_org_today()

    def submitted_report(self):
        report = self.Report.with_user(self.rep_shanghai).create({
            "line_ids": [
                Command.create({"partner_id": self.customer.id, "subject": "Gate prices", "result": "Wants 20 gates"}),
                Command.create({"contact_name": "A passer-by", "subject": "Wrong number"}),
            ],
        })
        report.action_submit()
        return report

    # ------------------------------------------------------------------
    # 1. A leader classifies the customer of a line of a submitted report
    # ------------------------------------------------------------------

    def test_leader_classifies_from_a_line_of_a_submitted_report(self):
        report = self.submitted_report()
        line = report.line_ids.filtered("partner_id")
        action = line.with_user(self.supervisor).action_classify_customer()
        self.assertEqual(action["res_model"], "sales.customer.classify")
        wizard = Form(self.env[action["res_model"]].with_user(self.supervisor).with_context(**action["context"]))
        self.assertEqual(wizard.partner_id, self.customer)
        self.assertEqual(wizard.reason, "Wants 20 gates", "the line says why")
        wizard.classification = "secondary"
        wizard.save().action_apply()
        self.assertEqual(self.customer.sales_classification, "secondary")
        self.assertEqual(self.customer.sales_classification_ids.user_id, self.supervisor)
        self.assertEqual(line.classification, "secondary")
        self.assertEqual(report.state, "submitted", "the report itself is untouched")

    def test_classifying_from_a_line_is_refused_outside_ones_rights(self):
        report = self.submitted_report()
        with self.assertRaises(AccessError):  # the rep is no leader
            report.line_ids.filtered("partner_id").with_user(self.rep_shanghai).action_classify_customer()
        with self.assertRaises(AccessError):  # another region's leader does not even read it
            report.line_ids.filtered("partner_id").with_user(self.regional_north).action_classify_customer()
        with self.assertRaisesRegex(UserError, "names no customer"):
            report.line_ids.filtered(lambda line: not line.partner_id).with_user(
                self.supervisor).action_classify_customer()
        self.assertFalse(self.customer.sales_classification_ids, "nothing changed")

    def test_lines_of_a_locked_report_are_not_offered(self):
        report = self.submitted_report()
        self.assertTrue(report.with_user(self.supervisor).is_locked)
        self.assertTrue(report.with_user(self.rep_shanghai).is_locked)
        arch = etree.fromstring(self.Report.get_view(view_type="form")["arch"])
        lines = arch.xpath("//field[@name='line_ids']")[0]
        self.assertEqual(lines.get("readonly"), "is_locked", "no add, edit or delete of lines when locked")
        self.assertEqual(lines.xpath("list/field[@name='classification']")[0].get("readonly"), "1",
                         "classified through the customer's own assistant, never saved through the report")
        with self.assertRaises(UserError):
            report.with_user(self.rep_shanghai).write({"line_ids": [Command.create({"subject": "Late call"})]})
        with self.assertRaises(AccessError):
            report.line_ids.with_user(self.supervisor).write({"subject": "Rewritten"})
        self.assertEqual(len(report.line_ids), 2)

    # ------------------------------------------------------------------
    # 2. Buttons and fields only for what the user may do
    # ------------------------------------------------------------------

    def test_review_is_offered_to_the_reviewer_only(self):
        report = self.submitted_report()
        self.assertFalse(report.with_user(self.rep_shanghai).can_review)
        self.assertTrue(report.with_user(self.supervisor).can_review)
        with self.assertRaises(AccessError):
            report.with_user(self.rep_shanghai).review_comment = "Well done, me"
        self.assertFalse(report.review_comment)

        summary = self.Summary.with_user(self.manager).create({})
        summary.action_submit()
        self.assertFalse(summary.with_user(self.manager).can_review, "not on one's own summary")
        self.assertTrue(summary.with_user(self.regional_east).can_review)
        for action in ("action_approve", "action_return"):
            with self.assertRaises(AccessError):
                getattr(summary.with_user(self.manager), action)()
        self.assertEqual(summary.state, "submitted")

        for model in ("sales.daily.report", "sales.monthly.summary"):
            arch = etree.fromstring(self.env[model].get_view(view_type="form")["arch"])
            for name in ("action_approve", "action_return"):
                for button in arch.xpath(f"//button[@name='{name}']"):
                    self.assertEqual(button.get("invisible"), "not can_review", f"{model}: {name}")
            comment = arch.xpath("//field[@name='review_comment']")[0]
            self.assertEqual(comment.get("readonly"), "not can_review")
            self.assertEqual(comment.get("invisible"), "not can_review and not review_comment")

    # ------------------------------------------------------------------
    # 3. New opens today's report; never a second one, never a copy
    # ------------------------------------------------------------------

    def test_new_opens_todays_report(self):
        Report = self.Report.with_user(self.rep_shanghai)
        action = Report._action_open_today_report()
        self.assertEqual((action["res_model"], action["res_id"]), ("sales.daily.report", False), "a new one")
        yesterday = Report.create({"date": fields.Date.add(self.today, days=-1)})
        report = Report.create({})
        self.assertEqual(Report._action_open_today_report()["res_id"], report.id)
        self.assertEqual(self.Report.with_user(self.supervisor)._action_open_today_report()["res_id"], False,
                         "one's own report only")
        self.assertNotEqual(yesterday, report)

        server_action = self.env.ref("sales_team_org.sales_daily_report_action_today")
        self.assertEqual(server_action.with_user(self.rep_shanghai).run()["res_id"], report.id)
        for view_type in ("list", "kanban", "form", "calendar"):
            arch = etree.fromstring(self.Report.get_view(view_type=view_type)["arch"])
            if view_type == "kanban":
                self.assertEqual(arch.get("on_create"), "sales_team_org.sales_daily_report_action_today")
            else:
                self.assertEqual(arch.get("create"), "0", f"no blank {view_type} New")

    def test_second_report_or_copy_is_refused(self):
        report = self.Report.with_user(self.rep_shanghai).create({"line_ids": [Command.create({"subject": "Call"})]})
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            self.Report.with_user(self.rep_shanghai).create({})
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            report.with_user(self.rep_shanghai).copy()
        summary = self.Summary.with_user(self.manager).create({})
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            summary.with_user(self.manager).copy()
        self.assertEqual(self.Report.search_count([("user_id", "=", self.rep_shanghai.id)]), 1)
        self.assertEqual(self.Summary.search_count([("user_id", "=", self.manager.id)]), 1)
        arch = etree.fromstring(self.Summary.get_view(view_type="form")["arch"])
        self.assertEqual(arch.get("duplicate"), "0")

    # ------------------------------------------------------------------
    # 4. On a phone, the calls and Submit come first
    # ------------------------------------------------------------------

    def test_phone_layout_puts_submit_and_calls_first(self):
        arch = etree.fromstring(self.Report.get_view(view_type="form")["arch"])
        sheet = arch.xpath("//sheet")[0]
        # at phone size the header's buttons go to the cog menu: Submit is also in the sheet
        phone_submit = sheet.xpath(".//div[contains(@class, 'd-md-none')]/button[@name='action_submit']")
        self.assertEqual(phone_submit[0].get("invisible"), "is_locked")
        order = [element for element in sheet.iter() if element.get("name") in ("figures", "lines", "figures_phone")]
        names = [element.get("name") for element in order]
        self.assertEqual(names, ["figures", "lines", "figures_phone"])
        desktop_figures, phone_figures = (sheet.xpath(f".//group[@name='{name}']/..")[0]
                                          for name in ("figures", "figures_phone"))
        self.assertIn("d-none d-md-block", desktop_figures.get("class"))
        self.assertIn("d-md-none", phone_figures.get("class"))

    # ------------------------------------------------------------------
    # 5. A call logged in CRM brings what was typed
    # ------------------------------------------------------------------

    def test_call_done_in_crm_brings_what_was_typed(self):
        rep = self.rep_shanghai
        lead = self.leads[rep].with_user(rep)
        lead.activity_schedule("mail.mail_activity_data_call", user_id=rep.id, summary="回访报价",
                               note="<p>Ask for the site plan</p>")
        lead.activity_ids.action_feedback(feedback="客户同意下周见面\nwants 20 gates")
        lead.activity_schedule("mail.mail_activity_data_call", user_id=rep.id)
        lead.activity_ids.action_feedback(feedback="Left a message")
        lead.activity_schedule("mail.mail_activity_data_call", user_id=rep.id)
        lead.activity_ids.action_done()
        report = self.Report.with_user(rep).create({})
        lines = report.line_ids.sorted(lambda line: line.message_id.id)
        self.assertEqual(lines.mapped("subject"), ["回访报价", "Left a message", "Call"])
        self.assertEqual(lines[0].result, "客户同意下周见面\nwants 20 gates\nAsk for the site plan")
        self.assertFalse(lines[1].result)
        self.assertEqual(report.call_count, 3)

    def test_a_call_without_text_takes_its_type_in_the_authors_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        call = self.env.ref("mail.mail_activity_data_call")
        call.with_context(lang="zh_CN").name = "电话"
        rep = self.rep_shanghai
        rep.lang = "zh_CN"
        lead = self.leads[rep].with_user(rep)
        lead.activity_schedule("mail.mail_activity_data_call", user_id=rep.id)
        lead.activity_ids.action_done()
        report = self.Report.with_user(rep).create({})
        self.assertEqual(report.line_ids.subject, "电话")

    def test_the_typed_text_of_a_call_is_the_servers(self):
        rep = self.rep_shanghai
        lead = self.leads[rep].with_user(rep)
        lead.activity_schedule("mail.mail_activity_data_call", user_id=rep.id, summary="Price")
        message = self.env["mail.message"].browse(lead.activity_ids.action_feedback(feedback="Done"))
        self.assertEqual(message.sales_activity_text, "Price\nDone")
        with self.assertRaises(AccessError):
            message.with_user(rep).write({"sales_activity_text": "Forty calls"})
        with self.assertRaises(AccessError):
            self.env["mail.message"].with_user(rep).create({
                "model": "crm.lead", "res_id": lead.id, "body": "Forty calls", "sales_activity_text": "Forty calls",
            })
        self.assertEqual(message.sales_activity_text, "Price\nDone")

    # ------------------------------------------------------------------
    # 6. A customer created while logging a call: a company with its province
    # ------------------------------------------------------------------

    def test_customer_created_from_a_call_is_a_company_with_a_province(self):
        arch = etree.fromstring(self.Report.get_view(view_type="form")["arch"])
        for partner in arch.xpath("//field[@name='line_ids']/*[self::list or self::form]//field[@name='partner_id']"):
            context = partner.get("context")
            self.assertIn("'default_is_company': True", context)
            self.assertIn("sales_team_org.res_partner_view_form_customer", context)
            self.assertIn("'no_quick_create': True", partner.get("options"))
        view = self.env.ref("sales_team_org.res_partner_view_form_customer")
        form = etree.fromstring(self.env["res.partner"].get_view(view.id, "form")["arch"])
        self.assertEqual(form.xpath("//field[@name='state_id']")[0].get("required"), "1")
        self.assertEqual(form.xpath("//field[@name='name']")[0].get("required"), "1")

        region = self.env["sales.org.region"].create({"name": "T East China", "code": "T-EC"})
        shanghai = self.env.ref("base.state_cn_SH")
        shanghai.sales_region_id = region
        with Form(self.env["res.partner"].with_user(self.rep_shanghai).with_context(default_is_company=True),
                  view=view) as customer:
            customer.name = "T Hengda Doors"
            customer.state_id = shanghai
        partner = customer.record
        self.assertTrue(partner.is_company)
        self.assertEqual(partner.country_id, self.env.ref("base.cn"))
        self.assertEqual(partner.sales_region_id, region)

    # ------------------------------------------------------------------
    # 7. A new summary shows its figures, its month as a month; the week's filters
    # ------------------------------------------------------------------

    def test_new_summary_shows_its_figures_before_saving(self):
        self.Report.with_user(self.rep_shanghai).create({
            "line_ids": [Command.create({"partner_id": self.customer.id, "subject": "Talk"}) for _i in range(3)],
        })
        summary = Form(self.Summary.with_user(self.manager))
        self.assertEqual((summary.people_count, summary.report_count, summary.call_count), (3, 1, 3))
        # within the rules: only one's own summary, as only one's own is created
        other = self.Summary.with_user(self.manager).new({
            "user_id": self.regional_east.id, "month": self.today.replace(day=1), "company_id": self.env.company.id,
        })
        other._onchange_figures()
        self.assertEqual(other.call_count, 0)
        # half-typed: a day that is not a month's first, or no company yet, shows nothing and fails nothing
        for values in ({"month": self.today.replace(day=2)}, {"company_id": False}):
            half = self.Summary.with_user(self.manager).new({
                "user_id": self.manager.id, "month": self.today.replace(day=1), "company_id": self.env.company.id,
                **values,
            })
            half._onchange_figures()
            self.assertEqual(half.call_count, 0)
        saved = summary.save()
        self.assertEqual((saved.people_count, saved.report_count, saved.call_count), (3, 1, 3))

    def test_month_shows_as_a_month(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        summary = self.Summary.new({"month": date(2026, 11, 1)})
        self.assertEqual(summary.with_context(lang="zh_CN").month_label, "2026年11月")
        self.assertEqual(summary.with_context(lang="en_US").month_label, "November 2026")

    def test_this_week_and_last_seven_days(self):
        arch = etree.fromstring(self.Report.get_view(view_type="search")["arch"])
        this_week = arch.xpath("//filter[@name='this_week']")[0].get("domain")
        last_7_days = arch.xpath("//filter[@name='last_7_days']")[0].get("domain")
        self.assertIn("relativedelta(weekday=0, days=-6)", this_week)
        self.assertIn("relativedelta(days=6)", last_7_days)
