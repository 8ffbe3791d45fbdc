from odoo.tests import HttpCase, tagged

from .test_sales_org_review_flow import ReviewFlowCommon


@tagged("post_install", "-at_install")
class TestSalesOrgReviewFlowTour(HttpCase, ReviewFlowCommon):
    """In the browser, at desktop size, the supervisor approves two reports at once from the
    list, then one on its form, lands on the next, and on the list when none is left. Tours in
    static/tests/tours/sales_org_review_flow_tour.js.

    In 简体中文 only: the steps are the same in every language, only the words differ (see
    TestSalesDailyReportTour)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.people.tz = "Asia/Shanghai"
        cls.env.company.resource_calendar_id.tz = "Asia/Shanghai"

    def review(self, lang):
        reps = self.add_reps(3)
        reports = self.submitted_reports(self.rep_shanghai | reps)
        self.browser_size = "1440x900"
        self.start_tour("/odoo", f"sales_team_org_review_flow_{lang}", login="t_supervisor")
        self.assertEqual(set(reports.mapped("state")), {"reviewed"})
        self.assertEqual(reports.reviewer_id, self.supervisor)
        self.assertEqual(reports.filtered("read_by_id").user_id, self.rep_shanghai | reps[2],
                         "the two opened on the form are read; the two approved from the list are not")

    def test_review_flow_chinese(self):
        self.speak_chinese()
        self.review("zh_CN")
