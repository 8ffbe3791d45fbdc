from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import SalesOrgCommon

BOARD = "/odoo/action-sales_team_org.sales_daily_report_status_action"


@tagged("post_install", "-at_install")
class TestSalesDailyReportStatus(HttpCase, SalesOrgCommon):
    """催交 from the "who has not submitted" board: a leader reminds people of their units now,
    each at most once an hour; nobody else can."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.work_every_day()
        cls.Status = cls.env["sales.daily.report.status"]

    def row(self, person, viewer):
        today = self.env.company._sales_org_today()
        return self.Status.with_user(viewer).search([("user_id", "=", person.id), ("date", "=", today)])

    def urge_activities(self, person):
        return self.env["mail.activity"].search([
            ("res_model", "=", "sales.daily.report"), ("user_id", "=", person.id), ("summary", "ilike", "T_Manager"),
        ])

    @freeze_time("2026-11-24 04:00:00")  # noon in Shanghai
    def test_a_leader_urges_at_most_once_an_hour(self):
        row = self.row(self.rep_shanghai, self.manager)
        self.assertEqual(row.state, "missing")
        action = row.action_urge()
        self.assertIn("T_Rep_Shanghai", action["params"]["message"])
        report = self.env["sales.daily.report"].search([("user_id", "=", self.rep_shanghai.id)])
        self.assertEqual((report.state, report.date), ("draft", row.date), "a draft made for them to fill")
        self.assertEqual(len(self.urge_activities(self.rep_shanghai)), 1, "the rep's to-do, in their systray")
        self.assertTrue(report.urged_date)

        with self.assertRaisesRegex(UserError, "less than an hour ago"):
            self.row(self.rep_shanghai, self.manager).action_urge()
        self.assertEqual(len(self.urge_activities(self.rep_shanghai)), 1)

        with freeze_time("2026-11-24 05:01:00"):
            self.row(self.rep_shanghai, self.manager).action_urge()
        self.assertEqual(len(self.urge_activities(self.rep_shanghai)), 1, "the new reminder replaces the old one")
        self.assertEqual(report.urged_date, datetime(2026, 11, 24, 5, 1))
        self.assertEqual(len(report.search([("user_id", "=", self.rep_shanghai.id)])), 1, "the same report")

    @freeze_time("2026-11-23 23:30:00")  # 07:30 on the 24th in Shanghai, still the 23rd in UTC
    def test_today_is_the_company_day_not_the_database_or_browser_day(self):
        rows = self.Status.with_user(self.manager).search([("is_today", "=", True)])
        self.assertTrue(rows)
        self.assertEqual(set(rows.mapped("date")), {datetime(2026, 11, 24).date()})
        self.assertTrue(all(rows.mapped("is_today")))
        others = self.Status.with_user(self.manager).search([("is_today", "=", False)], limit=5)
        self.assertTrue(others and not any(others.mapped("is_today")))
        with self.assertRaises(UserError):
            self.Status.search([("is_today", "in", [True])])

    def test_only_leaders_urge_their_own_people(self):
        row = self.row(self.rep_shanghai, self.manager)
        for outsider in (self.rep_north, self.clerk_east):
            with self.assertRaises(AccessError):
                row.with_user(outsider).action_urge()
        with self.assertRaises(AccessError, msg="another region's leader"):
            row.with_user(self.regional_north).action_urge()
        # a deputy of the business unit sees its manager's row, but does not review the manager
        deputy = new_test_user(self.env, login="t_deputy", groups="base.group_user", name="T_Deputy")
        self.env["crm.team.member"].create({"crm_team_id": self.east_business.id, "user_id": deputy.id,
                                            "role_id": self.role_supervisor.id})
        manager_row = self.row(self.manager, deputy)
        self.assertTrue(manager_row)
        # Odoo's assertRaises undoes the call, as the failed RPC's transaction would be
        with self.assertRaises(AccessError, msg="one's own leader") as caught:
            manager_row.action_urge()
        self.assertIn("whose reports you review", str(caught.exception))
        with self.assertRaisesRegex(UserError, "own report"):
            self.row(self.manager, self.manager).action_urge()
        self.assertFalse(self.env["sales.daily.report"].search([("user_id", "in", self.people.ids)]),
                         "nothing made by the refused attempts")

    def test_a_submitted_report_needs_no_urging(self):
        report = self.env["sales.daily.report"].with_user(self.rep_shanghai).create({})
        report.action_submit()
        with self.assertRaisesRegex(UserError, "submitted"):
            self.row(self.rep_shanghai, self.manager).action_urge()

    def test_manager_urges_from_the_phone_chinese(self):
        self.speak_chinese()
        self.browser_size = "375x800"
        self.touch_enabled = True
        self.start_tour(BOARD, "sales_team_org_manager_urges_zh_CN", login="t_manager")
        self.assertEqual(len(self.urge_activities(self.rep_shanghai)), 1)
