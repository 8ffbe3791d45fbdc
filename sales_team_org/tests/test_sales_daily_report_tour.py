from odoo.tests import HttpCase, tagged

from .common import SalesOrgCommon

PHONE = "375x800"
DESKTOP = "1366x768"


@tagged("post_install", "-at_install")
class TestSalesDailyReportTour(HttpCase, SalesOrgCommon):
    """The daily report's round trip in the browser: the rep at phone size, the leader of their
    group and the director at desktop size; then a monthly summary (tours in static/tests/tours).

    In 简体中文, the language of the add-on's users: the steps are the same in every language
    (registerTours), only the words on screen differ, and the Chinese words are the translations
    of the English ones (tools/check_static.py checks the pairs against the .po files)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.work_every_day()

    def tour(self, name, login, size, lang):
        self.browser_size = size
        self.touch_enabled = size == PHONE
        self.start_tour("/odoo", f"sales_team_org_{name}_{lang}", login=login)

    def round_trip(self, lang):
        Report = self.env["sales.daily.report"]
        self.tour("rep_writes_report", "t_rep_shanghai", PHONE, lang)
        report = Report.search([("user_id", "=", self.rep_shanghai.id)])
        self.assertEqual(report.state, "submitted")
        self.assertEqual(report.line_ids.mapped("contact_name"), ["陈经理", "赵总"])

        # the report waits for the leader of the rep's group, the report's approver
        self.tour("manager_returns_report", "t_supervisor", DESKTOP, lang)
        report.invalidate_recordset()
        self.assertEqual(report.state, "returned")
        self.assertIn("second call", report.review_comment)

        self.tour("rep_resubmits_report", "t_rep_shanghai", PHONE, lang)
        report.invalidate_recordset()
        self.assertEqual(report.state, "submitted")
        self.assertIn("200 units", report.line_ids[1].result)

        self.tour("manager_approves_report", "t_supervisor", DESKTOP, lang)
        report.invalidate_recordset()
        self.assertEqual(report.state, "reviewed")
        self.assertEqual(report.reviewer_id, self.supervisor)

        self.tour("director_overview", "t_director", DESKTOP, lang)

        summary = self.env["sales.monthly.summary"].with_user(self.manager).create({})
        self.tour("manager_submits_summary", "t_manager", DESKTOP, lang)
        self.tour("regional_approves_summary", "t_regional_east", DESKTOP, lang)
        summary.invalidate_recordset()
        self.assertIn("回款 80%", summary.results)
        self.assertEqual(summary.state, "reviewed")
        self.assertEqual(summary.reviewer_id, self.regional_east)

    def test_round_trip_chinese(self):
        self.speak_chinese()
        self.round_trip("zh_CN")
