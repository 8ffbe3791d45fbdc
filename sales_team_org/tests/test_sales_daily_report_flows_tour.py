from odoo import Command
from odoo.tests import HttpCase, tagged

from .common import SalesOrgCommon

PHONE = "390x844"
DESKTOP = "1440x900"


@tagged("post_install", "-at_install")
class TestSalesDailyReportFlowsTour(HttpCase, SalesOrgCommon):
    """In the browser: the leader classifies from a line of a submitted report (desktop); the
    rep's New opens today's report rather than a second one (phone). Tours in
    static/tests/tours/sales_daily_report_flows_tour.js.

    In 简体中文 only: the steps are the same in every language, only the words differ (see
    TestSalesDailyReportTour)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.people.tz = "Asia/Shanghai"  # the browser's today is the company's
        cls.env.company.resource_calendar_id.tz = "Asia/Shanghai"
        cls.customer.is_company = True

    def tour(self, name, login, size, lang):
        self.browser_size = size
        self.touch_enabled = size == PHONE
        self.start_tour("/odoo", f"sales_team_org_{name}_{lang}", login=login)

    def flows(self, lang):
        Report = self.env["sales.daily.report"].with_user(self.rep_shanghai)
        report = Report.create({"line_ids": [Command.create({
            "partner_id": self.customer.id, "subject": "Morning call", "result": "Asks for a discount",
        })]})

        self.tour("rep_opens_todays_report", "t_rep_shanghai", PHONE, lang)
        self.assertEqual(Report.search([("user_id", "=", self.rep_shanghai.id)]), report, "no second report")
        self.assertEqual(report.line_ids.mapped("subject"), ["Morning call", "Afternoon visit"])
        self.assertEqual(report.state, "submitted")

        self.tour("manager_classifies_from_line", "t_supervisor", DESKTOP, lang)
        self.assertEqual(self.customer.sales_classification, "secondary")
        self.assertEqual(self.customer.sales_classification_ids.user_id, self.supervisor)
        self.assertEqual(self.customer.sales_classification_ids.reason, "Asks for a discount")
        self.assertEqual(report.state, "submitted")

    def test_flows_chinese(self):
        self.speak_chinese()
        self.flows("zh_CN")
