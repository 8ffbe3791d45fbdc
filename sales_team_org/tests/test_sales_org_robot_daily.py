import itertools
from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged
from odoo.tools import format_amount, format_date

from .common import SalesOrgCommon

WEDNESDAY = date(2026, 11, 25)
# Shanghai is UTC+8: 18:00 there, past the reminder hour (17); 20:00, past the digest hour (19)
AFTER_REMINDER_HOUR = "2026-11-25 10:00:00"
AFTER_DIGEST_HOUR = "2026-11-25 12:00:00"
BOARD = "/odoo/action-sales_team_org.sales_daily_report_status_action"


TOKENS = itertools.count()  # each robot its own group's webhook


@tagged("post_install", "-at_install")
class TestSalesOrgRobotDaily(SalesOrgCommon):
    """The daily rhythm in the units' group chats: who has not submitted, @-mentioned, and the
    evening digest of each unit and below."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Report = cls.env["sales.daily.report"]
        cls.Message = cls.env["sales.org.robot.message"]
        cls.company = cls.env.company
        cls.company.resource_calendar_id.tz = "Asia/Shanghai"
        cls.clerk_east.partner_id.mobile = "13800000001"
        cls.manager.partner_id.mobile = "13800000002"
        with freeze_time(AFTER_REMINDER_HOUR):
            cls.submitted = cls.Report.with_user(cls.rep_shanghai).create({"line_ids": [
                Command.create({"partner_id": cls.customer.id, "channel": "phone", "subject": "Price"}),
                Command.create({"partner_id": cls.customer.id, "channel": "visit", "subject": "Factory tour"}),
            ]})
            cls.submitted.action_submit()
            cls.orders[cls.clerk_east].action_confirm()

    def robot(self, team, name=None, **vals):
        return self.env["sales.org.robot"].create({
            "name": name or f"Group of {team.name}", "team_id": team.id, "kind": "dingtalk",
            "webhook_url": f"https://oapi.dingtalk.com/robot/send?access_token=t{team.id}-{next(TOKENS)}", "lang": "en_US",
            **vals,
        })

    def day_in(self, lang):
        return format_date(self.env(context={"lang": lang}), WEDNESDAY)

    def messages(self, robots, kind):
        return self.Message.search([("robot_id", "in", robots.ids), ("kind", "=", kind)])

    # ------------------------------------------------------------------
    # Reminders
    # ------------------------------------------------------------------

    def test_reminder_mentions_who_has_not_submitted(self):
        # Shanghai has no robot: its people are named in the group of the business unit above
        business = self.robot(self.east_business)
        north = self.robot(self.north)
        east_off = self.robot(self.east, send_reminder=False)
        hq = self.robot(self.hq)
        with freeze_time(AFTER_REMINDER_HOUR):
            self.Report._cron_remind_missing_reports()
        message = self.messages(business, "reminder")
        self.assertEqual(len(message), 1, "one message per robot")
        self.assertEqual(message.key, f"reminder:{self.east_business.id}:{self.company.id}:2026-11-25")
        self.assertEqual(message.state, "queued")
        self.assertEqual(message.title, f"Daily reports of {self.day_in('en_US')}")
        self.assertIn("Not submitted yet: T_Clerk_East, T_Manager, T_Supervisor.", message.body)
        self.assertNotIn("T_Rep_Shanghai", message.body, "submitted")
        self.assertEqual(message.mobiles, "13800000001,13800000002", "who has a mobile, mentioned")
        message = self.messages(north, "reminder")
        self.assertIn("Not submitted yet: T_Regional_North, T_Rep_North.", message.body)
        self.assertFalse(message.mobiles)
        # the East region's robot is switched off: the regional director is named nowhere, not in
        # HQ's group above either
        self.assertFalse(self.messages(east_off, "reminder"))
        self.assertNotIn("T_Regional_East", "".join(self.messages(hq, "reminder").mapped("body")))
        self.assertNotIn("T_Regional_East", "".join(self.Message.search([("kind", "=", "reminder")]).mapped("body")))
        queued = self.Message.search_count([("kind", "=", "reminder")])
        with freeze_time(AFTER_REMINDER_HOUR):
            self.Report._cron_remind_missing_reports()
        self.assertEqual(self.Message.search_count([("kind", "=", "reminder")]), queued, "a second run queues nothing")

    def test_reminder_queued_once_per_unit_and_day(self):
        business = self.robot(self.east_business)
        with freeze_time(AFTER_REMINDER_HOUR):
            self.Report._robot_remind(self.company, WEDNESDAY, {self.clerk_east.id: self.east_business.id})
            self.Report._robot_remind(self.company, WEDNESDAY, {self.manager.id: self.east_business.id})
        message = self.messages(business, "reminder")
        self.assertEqual(len(message), 1)
        self.assertIn("T_Clerk_East", message.body)

    def test_reminder_in_the_robot_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        robot = self.robot(self.shanghai, lang="zh_CN", kind="wecom",
                           webhook_url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k1")
        with freeze_time(AFTER_REMINDER_HOUR):
            self.Report._cron_remind_missing_reports()
        message = self.messages(robot, "reminder")
        self.assertEqual(len(message), 1)
        self.assertIn(self.day_in("zh_CN"), message.title)
        self.assertIn("T_Supervisor", message.body)

    # ------------------------------------------------------------------
    # Digest
    # ------------------------------------------------------------------

    def test_digest_of_each_unit_and_below(self):
        east = self.robot(self.east)
        shanghai = self.robot(self.shanghai)
        north_off = self.robot(self.north, send_digest=False)
        with freeze_time(AFTER_DIGEST_HOUR):
            self.Report._cron_send_digest()
        amount = format_amount(self.env(context={"lang": "en_US"}), self.orders[self.clerk_east].amount_untaxed, self.company.currency_id)
        message = self.messages(east, "digest")
        self.assertEqual(len(message), 1)
        self.assertEqual(message.key, f"digest:{self.east.id}:{self.company.id}:2026-11-25")
        self.assertEqual(message.title, f"Daily digest of {self.day_in('en_US')}")
        self.assertIn("T East and below: 1 of 5 daily reports submitted.", message.body)
        self.assertIn("- Submitted: T_Rep_Shanghai\n", message.body)
        self.assertIn("- Not submitted: T_Clerk_East, T_Manager, T_Regional_East, T_Supervisor\n", message.body)
        self.assertIn(f"- Calls and visits: 2, customers reached: 1, orders: 1 for {amount}\n", message.body)
        self.assertIn(f"[Who Has Not Submitted]({self.company.get_base_url()}{BOARD})", message.body)
        message = self.messages(shanghai, "digest")
        self.assertIn("T Shanghai Phone and below: 1 of 2 daily reports submitted.", message.body)
        self.assertIn("- Not submitted: T_Supervisor\n", message.body)
        self.assertIn("orders: 0 for", message.body)
        self.assertFalse(self.messages(north_off, "digest"), "switched off")
        with freeze_time(AFTER_DIGEST_HOUR):
            self.Report._cron_send_digest()
        self.assertEqual(len(self.Message.search([("kind", "=", "digest")])), 2, "a second run queues nothing")

    def test_digest_after_the_leaders_digest_and_in_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        with freeze_time(AFTER_DIGEST_HOUR):
            self.Report._cron_send_digest()  # the leaders' mails, before any robot
            robot = self.robot(self.shanghai, lang="zh_CN")
            archived = self.robot(self.east, active=False)
            self.Report._cron_send_digest()
        message = self.messages(robot, "digest")
        self.assertEqual(len(message), 1)
        self.assertIn(self.day_in("zh_CN"), message.title)
        self.assertIn("T_Rep_Shanghai", message.body)
        self.assertFalse(self.messages(archived, "digest"))

    # ------------------------------------------------------------------
    # Queries
    # ------------------------------------------------------------------

    def test_query_counts_do_not_grow_with_the_robots(self):
        def grow():
            units = self.env["crm.team"].create([
                {"name": f"Grown unit {i}", "parent_id": self.shanghai.id} for i in range(3)
            ])
            users = self.env["res.users"].create([
                {"name": f"Grown {i}", "login": f"t_robot_daily_{i}", "lang": "en_US"} for i in range(9)
            ])
            self.env["crm.team.member"].create([
                {"crm_team_id": units[i % 3].id, "user_id": user.id,
                 "role_id": (self.role_supervisor if i < 3 else self.role_rep).id}
                for i, user in enumerate(users)
            ])
            users[:4].partner_id.mobile = "13900000000"
            # Shanghai's people and the grown units' in their nearest groups
            return self.robot(self.shanghai) | self.robot(self.east) | self.robot(units[0])

        def prepare():
            self.env.cr.flush()
            self.env.invalidate_all()
            self.env.registry.clear_cache()

        for when, run, queries in (
            (AFTER_REMINDER_HOUR, lambda: self.Report._remind_missing_reports(self.company, WEDNESDAY), 49),
            (AFTER_REMINDER_HOUR, self.Report._cron_remind_missing_reports, 54),
            (AFTER_DIGEST_HOUR, lambda: self.Report._robot_digest(self.company, WEDNESDAY), 20),
            (AFTER_DIGEST_HOUR, self.Report._cron_send_digest, 46),
        ):
            with self.subTest(queries=queries), freeze_time(when), self.env.cr.savepoint() as savepoint:
                robots = self.robot(self.east_business) | self.robot(self.north)
                counts = []
                for size in (2, 5):
                    if size == 5:
                        savepoint.rollback()
                        robots = self.robot(self.east_business) | self.robot(self.north) | grow()
                    self.assertEqual(len(robots), size)
                    prepare()
                    start = self.env.cr.sql_log_count
                    with self.assertQueryCount(queries):
                        run()
                        self.env.cr.flush()
                    counts.append(self.env.cr.sql_log_count - start)
                    kind = "digest" if when == AFTER_DIGEST_HOUR else "reminder"
                    self.assertEqual(len(self.messages(robots, kind).robot_id), size, "each robot has its message")
                self.assertEqual(counts[0], counts[1], "the same with 2 and 5 robot units")
                savepoint.rollback()
                self.env.invalidate_all()
