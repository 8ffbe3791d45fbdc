from dateutil.relativedelta import relativedelta

from odoo.tests import HttpCase, tagged

from .common_commission import SalesCommissionCommon

PHONE = "390x844"


@tagged("post_install", "-at_install")
class TestSalesCommissionTour(HttpCase, SalesCommissionCommon):
    """In 简体中文, the rep disputes a line of last month's confirmed settlement, at the desk and
    on the phone; their supervisor grants an adjustment, credited in the rep's open month
    (static/tests/tours/sales_commission_tour.js)."""

    def setUp(self):
        super().setUp()
        self.speak_chinese()
        self.people.tz = "Asia/Shanghai"
        self.last_month = self.this_month - relativedelta(months=1)
        # the rule first: nothing is dated into a confirmed month
        self.rule("T Flat", rate=1)
        self.order(self.rep_shanghai, 1000, self.shanghai, self.day(5, self.last_month))
        self.Settlement.sudo()._compute_period(self.company, self.last_month)
        self.line = self.lines(self.rep_shanghai, kind="own", month=self.last_month)
        self.line.settlement_id.with_user(self.admin).action_confirm()
        # the supervisor decides disputes of up to 100 on their own
        self.env["sales.org.role.limit"].create({
            "role_id": self.role_supervisor.id, "kind": "commission_dispute", "limit": 100,
        })

    def dispute(self):
        return self.env["sales.commission.dispute"].search([("line_id", "=", self.line.id)])

    def test_rep_disputes_supervisor_grants(self):
        self.assertRecordValues(self.line, [{"amount": 10, "state": "confirmed"}])
        self.browser_size = "1440x900"
        self.start_tour("/odoo", "sales_team_org_commission_dispute_zh_CN", login="t_rep_shanghai")
        dispute = self.dispute()
        self.assertRecordValues(dispute, [{
            "user_id": self.rep_shanghai.id, "state": "submitted", "approver_id": self.supervisor.id,
            "amount_claimed": 5, "description": "The order was 1,500, not 1,000",
        }])

        self.start_tour("/odoo", "sales_team_org_commission_dispute_decide_zh_CN", login="t_supervisor")
        self.assertRecordValues(dispute, [{"state": "approved", "reviewer_id": self.supervisor.id,
                                           "amount_granted": 4}])
        self.assertRecordValues(dispute.adjustment_line_id, [{
            "kind": "dispute", "user_id": self.rep_shanghai.id, "amount": 4, "origin_line_id": self.line.id,
            "period_date": self.last_month,
        }])
        self.assertRecordValues(dispute.adjustment_line_id.settlement_id, [{
            "user_id": self.rep_shanghai.id, "date_from": self.this_month, "state": "draft", "amount_total": 4,
        }])

    def test_rep_disputes_on_a_phone(self):
        self.browser_size = PHONE
        self.touch_enabled = True
        self.start_tour("/odoo", "sales_team_org_commission_dispute_phone_zh_CN", login="t_rep_shanghai")
        self.assertRecordValues(self.dispute(), [{
            "state": "submitted", "approver_id": self.supervisor.id, "amount_claimed": 5,
            "description": "The order was 1,500, not 1,000",
        }])
