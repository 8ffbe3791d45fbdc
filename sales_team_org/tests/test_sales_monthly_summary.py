from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import SalesOrgCommon


@tagged("post_install", "-at_install")
class TestSalesMonthlySummary(SalesOrgCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.month = date(2026, 11, 1)
        Report = cls.env["sales.daily.report"]
        for person, day, lines in ((cls.rep_shanghai, 3, 2), (cls.rep_shanghai, 4, 1), (cls.clerk_east, 3, 1),
                                   (cls.rep_north, 3, 5), (cls.rep_shanghai, 40, 1)):
            report = Report.with_user(person).create({
                "date": date(2026, 10, 1) if day == 40 else date(2026, 11, day),
                "line_ids": [Command.create({"partner_id": cls.customer.id, "subject": "Talk"}) for _i in range(lines)],
            })
            if day == 3:
                report.action_submit()
        order = cls.orders[cls.rep_shanghai]
        order.action_confirm()
        order.date_order = "2026-11-10 10:00:00"
        cls.order_amount = order.amount_untaxed

    def test_figures_of_the_units_below(self):
        summary = self.env["sales.monthly.summary"].with_user(self.manager).create({"month": self.month})
        # the manager leads East Business and the Shanghai group: clerk, supervisor, rep
        self.assertEqual(summary.people_count, 3)
        self.assertEqual((summary.report_count, summary.submitted_count, summary.call_count), (3, 2, 4))
        self.assertEqual((summary.order_count, summary.order_amount), (1, self.order_amount))
        self.assertEqual(summary.approver_id, self.regional_east)

    def test_handed_up_and_reviewed_by_the_superior(self):
        summary = self.env["sales.monthly.summary"].with_user(self.manager).create({
            "month": self.month, "results": "<p>Two new accounts</p>",
        })
        summary.action_submit()
        with self.assertRaises(UserError):
            summary.results = "<p>Changed</p>"
        with self.assertRaises(AccessError):
            summary.with_user(self.supervisor).action_approve()  # below the author
        with self.assertRaises(AccessError):
            summary.with_user(self.regional_north).read(["results"])  # outside the chain
        summary.with_user(self.regional_east).review_comment = "Add the plan for December"
        summary.with_user(self.regional_east).action_return()
        summary.next_month_plan = "<p>Visit the ten primary targets</p>"
        summary.action_submit()
        summary.with_user(self.regional_east).action_approve()
        self.assertEqual((summary.state, summary.reviewer_id), ("reviewed", self.regional_east))

    def test_drafts_prepared_on_the_last_day_once(self):
        Summary = self.env["sales.monthly.summary"]
        self.env.company.resource_calendar_id.tz = "Asia/Shanghai"
        with freeze_time("2026-11-29 12:00:00"):
            Summary._cron_prepare_monthly_summaries()
        self.assertFalse(Summary.search([("user_id", "in", self.people.ids)]))
        with freeze_time("2026-11-30 12:00:00"):
            Summary._cron_prepare_monthly_summaries()
            Summary._cron_prepare_monthly_summaries()
        summaries = Summary.search([("user_id", "in", self.people.ids)])
        leaders = self.regional_east | self.regional_north | self.manager | self.supervisor
        self.assertEqual(summaries.user_id, leaders, "one draft per leader, once")
        self.assertEqual(summaries.mapped("month"), [self.month] * 4)
        mine = summaries.filtered(lambda s: s.user_id == self.manager)
        self.assertEqual(mine.report_count, 3)
        self.assertEqual(mine.activity_ids.user_id, self.manager)

    def test_monthly_cron_query_count_does_not_grow_with_the_organisation(self):
        """4 leaders as set up, 44 once grown: the same number of queries."""
        self.env.company.resource_calendar_id.tz = "Asia/Shanghai"
        Summary = self.env["sales.monthly.summary"]
        with freeze_time("2026-11-30 12:00:00"), self.env.cr.savepoint() as savepoint:
            for size in ("as set up", "grown"):
                if size == "grown":
                    savepoint.rollback()
                    units = self.env["crm.team"].create([
                        {"name": f"Grown unit {i}", "parent_id": self.shanghai.id} for i in range(40)])
                    users = self.env["res.users"].create([
                        {"name": f"Grown {i}", "login": f"t_monthly_{i}"} for i in range(80)])
                    self.env["crm.team.member"].create([
                        {"crm_team_id": units[i % 40].id, "user_id": user.id,
                         "role_id": (self.role_supervisor if i < 40 else self.role_rep).id}
                        for i, user in enumerate(users)])
                self.env.cr.flush()
                self.env.invalidate_all()
                self.env.registry.clear_cache()
                with self.assertQueryCount(34):
                    Summary._cron_prepare_monthly_summaries()
                    self.env.cr.flush()
                leaders = self.env["res.users"].search([("login", "=like", "t\\_%")])
                self.assertEqual(Summary.search_count([("month", "=", self.month), ("user_id", "in", leaders.ids)]),
                                 4 if size == "as set up" else 44)
