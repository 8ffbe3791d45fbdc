from datetime import timedelta

from odoo import Command
from odoo.tests import HttpCase, tagged

from .common import SalesOrgCommon

PHONE = "390x844"


@tagged("post_install", "-at_install")
class TestSalesTargetTour(HttpCase, SalesOrgCommon):
    """In 简体中文, the East region's director breaks the region's quarter down to its units and
    submits the region's plan; the sales director approves it on the phone
    (static/tests/tours/sales_target_tour.js)."""

    def test_regional_director_breaks_down_and_plans_director_approves(self):
        self.work_every_day()
        self.speak_chinese()
        second = self.env["crm.team"].create({"name": "T East Second", "parent_id": self.east.id})
        Company = self.env["res.company"]
        today = self.env.company._sales_org_today()
        quarter_start, quarter_end = Company._sales_org_period("quarter", today)
        quarter = self.env["sales.target"].with_user(self.director).create({
            "team_id": self.east.id, "metric": "order_amount", "period_type": "quarter",
            "date_from": quarter_start, "date_to": quarter_end, "amount": 300000,
        })
        quarter.with_user(self.director).action_agree()
        plan = self.env["sales.regional.plan"].with_user(self.regional_east).create({
            "name": "华东 本季度区域销售立案", "team_id": self.east.id, "period_type": "quarter",
            "date_from": quarter_start, "date_to": quarter_end, "budget": 30000,
            "milestone_ids": [Command.create({
                "name": "拜访苏州、杭州经销商", "user_id": self.manager.id,
                "date_deadline": min(today + timedelta(days=7), quarter_end)})],
        })

        self.start_tour(f"/odoo/action-sales_team_org.sales_target_action/{quarter.id}",
                        "sales_team_org_target_breakdown", login="t_regional_east")
        self.assertRecordValues(quarter.child_ids.sorted(lambda target: target.team_id.id), [
            {"team_id": self.east_business.id, "amount": 150000, "state": "draft"},
            {"team_id": second.id, "amount": 150000, "state": "draft"},
        ])
        self.assertEqual(quarter.breakdown_gap, 0)

        self.start_tour(f"/odoo/action-sales_team_org.sales_regional_plan_action/{plan.id}",
                        "sales_team_org_regional_plan_submit", login="t_regional_east")
        self.assertRecordValues(plan, [{"state": "submitted", "approver_id": self.director.id}])

        self.browser_size = PHONE
        self.touch_enabled = True
        self.start_tour("/odoo/action-sales_team_org.sales_regional_plan_action",
                        "sales_team_org_regional_plan_approve", login="t_director")
        self.assertRecordValues(plan, [{"state": "approved", "reviewer_id": self.director.id}])
