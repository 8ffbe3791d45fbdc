from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import SalesOrgCommon

WEDNESDAY = datetime(2026, 11, 25)
# Shanghai is UTC+8: 10:00 UTC is 18:00 there, past the reminder hour (17), before the digest (19).
AFTER_REMINDER_HOUR = "2026-11-25 10:00:00"
AFTER_DIGEST_HOUR = "2026-11-25 12:00:00"
BEFORE_REMINDER_HOUR = "2026-11-25 06:00:00"
SATURDAY_EVENING = "2026-11-28 12:00:00"


@tagged("post_install", "-at_install")
class TestSalesDailyRhythm(SalesOrgCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Report = cls.env["sales.daily.report"]
        cls.company = cls.env.company
        cls.company.resource_calendar_id.tz = "Asia/Shanghai"
        with freeze_time(AFTER_REMINDER_HOUR):
            cls.submitted = cls.Report.with_user(cls.rep_shanghai).create({"date": WEDNESDAY.date()})
            cls.submitted.action_submit()

    def reminders(self):
        return self.env["mail.activity"].search([
            ("res_model", "=", "sales.daily.report"), ("user_id", "in", self.people.ids),
            ("activity_type_id", "=", self.env.ref("mail.mail_activity_data_todo").id),
        ])

    def reminded_people(self):
        return self.reminders().user_id

    def test_reminder_goes_to_who_has_not_submitted_once(self):
        with freeze_time(BEFORE_REMINDER_HOUR):
            self.Report._cron_remind_missing_reports()
        self.assertFalse(self.reminded_people(), "not before the hour")
        with freeze_time(AFTER_REMINDER_HOUR):
            self.Report._cron_remind_missing_reports()
            self.Report._cron_remind_missing_reports()
        # the director, with nobody above to read a report, is not asked for one
        self.assertEqual(self.reminded_people(), self.people - self.rep_shanghai - self.director)
        reports = self.Report.search([("user_id", "in", self.people.ids), ("date", "=", WEDNESDAY.date())])
        self.assertEqual(len(reports), len(self.people) - 1, "one draft made for each person reminded, once")
        self.assertEqual(len(self.reminders()), len(self.people) - 2, "nothing sent twice")
        reminded = reports.filtered(lambda report: report.user_id == self.clerk_east)
        reminded.with_user(self.clerk_east).action_submit()
        # the reminder goes once the report is submitted; the report now waits for its approver
        self.assertEqual(reminded.activity_ids.activity_type_id, self.env.ref("sales_team_org.mail_activity_type_review"))
        self.assertEqual(reminded.activity_ids.user_id, self.manager)

    def test_top_of_the_tree_reminded_when_the_role_says_so(self):
        self.role_director.daily_report_at_top = True
        with freeze_time(AFTER_REMINDER_HOUR):
            self.Report._cron_remind_missing_reports()
        self.assertIn(self.director, self.reminded_people())

    def test_reminder_by_email_where_configured(self):
        (self.people - self.clerk_east).notification_type = "inbox"
        self.clerk_east.notification_type = "email"
        with freeze_time(AFTER_REMINDER_HOUR):
            self.Report._cron_remind_missing_reports()
        mails = self.env["mail.mail"].search([("email_to", "in", self.people.partner_id.mapped("email_formatted"))])
        self.assertEqual(mails.mapped("email_to"), [self.clerk_east.partner_id.email_formatted])
        self.assertIn("2026-11-25", mails.subject)

    def test_no_reminder_on_days_off(self):
        with freeze_time(SATURDAY_EVENING):
            self.Report._cron_remind_missing_reports()
            self.Report._cron_send_digest()
        self.assertFalse(self.reminded_people())
        self.assertFalse(self.env["sales.daily.digest"].search([("user_id", "in", self.people.ids)]))
        self.env["resource.calendar.leaves"].create({
            "name": "Public holiday", "calendar_id": self.company.resource_calendar_id.id,
            "date_from": "2026-11-24 16:00:00", "date_to": "2026-11-25 15:59:59",
        })
        with freeze_time(AFTER_REMINDER_HOUR):
            self.Report._cron_remind_missing_reports()
        self.assertFalse(self.reminded_people())

    def test_no_reminder_on_personal_leave(self):
        resource = self.env["resource.resource"].create({
            "name": self.rep_north.name, "user_id": self.rep_north.id,
            "calendar_id": self.company.resource_calendar_id.id,
        })
        self.env["resource.calendar.leaves"].create({
            "name": "Leave", "resource_id": resource.id, "calendar_id": self.company.resource_calendar_id.id,
            "date_from": "2026-11-25 00:00:00", "date_to": "2026-11-25 23:59:59",
        })
        with freeze_time(AFTER_REMINDER_HOUR):
            self.Report._cron_remind_missing_reports()
        self.assertNotIn(self.rep_north, self.reminded_people())
        self.assertIn(self.clerk_east, self.reminded_people())

    def test_digest_to_each_manager_once(self):
        with freeze_time(AFTER_REMINDER_HOUR):
            self.Report._cron_send_digest()
        self.assertFalse(self.env["sales.daily.digest"].search([("user_id", "in", self.people.ids)]))
        with freeze_time(AFTER_DIGEST_HOUR):
            self.Report._cron_send_digest()
            self.Report._cron_send_digest()
        digests = self.env["sales.daily.digest"].search([("user_id", "in", self.people.ids)])
        leaders = self.director | self.regional_east | self.regional_north | self.manager | self.supervisor
        self.assertEqual(digests.user_id, leaders)
        mail = self.env["mail.mail"].search([("email_to", "=", self.supervisor.partner_id.email_formatted)])
        self.assertEqual(len(mail), 1, "sent once")
        self.assertIn("1 of 1 submitted", mail.body_html, "a leader's own report goes to their manager")
        mail = self.env["mail.mail"].search([("email_to", "=", self.manager.partner_id.email_formatted)])
        self.assertIn("1 of 3 submitted", mail.body_html)
        self.assertIn("Submitted: T_Rep_Shanghai", mail.body_html)
        self.assertIn("Not submitted: T_Clerk_East, T_Supervisor", mail.body_html)
        mail = self.env["mail.mail"].search([("email_to", "=", self.regional_east.partner_id.email_formatted)])
        self.assertIn("1 of 4 submitted", mail.body_html)

    def grow(self, people, prefix):
        users = self.env["res.users"].create([
            {"name": f"Grown {i}", "login": f"t_rhythm_{prefix}_{i}", "lang": self.rep_shanghai.lang}
            for i in range(people)
        ])
        units = self.env["crm.team"].create([
            {"name": f"Grown unit {i}", "parent_id": self.shanghai.id} for i in range(people // 5)
        ])
        self.env["crm.team.member"].create([
            {"crm_team_id": units[i % len(units)].id, "user_id": user.id,
             "role_id": (self.role_supervisor if i < len(units) else self.role_rep).id}
            for i, user in enumerate(users)
        ])

    def test_rhythm_query_counts_do_not_grow_with_the_organisation(self):
        def prepare():
            self.env.cr.flush()  # pending writes and precommit hooks (bus notifications) of the set-up
            self.env.invalidate_all()
            self.env.registry.clear_cache()  # cold caches: the same starting point at both sizes

        for when, cron, queries in (
            (AFTER_REMINDER_HOUR, self.Report._cron_remind_missing_reports, 45),
            (AFTER_DIGEST_HOUR, self.Report._cron_send_digest, 32),
        ):
            with self.subTest(cron=cron.__name__), freeze_time(when), self.env.cr.savepoint() as savepoint:
                for size in ("as set up", "grown"):
                    if size == "grown":
                        savepoint.rollback()
                        self.grow(40, cron.__name__)  # 8 -> 48 people, 5 -> 13 units
                    prepare()
                    with self.assertQueryCount(queries):
                        cron()
                        self.env.cr.flush()

    def test_hours_are_configurable(self):
        settings = self.env["res.config.settings"].create({"sales_report_reminder_hour": 20})
        settings.execute()
        with freeze_time(AFTER_REMINDER_HOUR):  # 18:00 in Shanghai: before 20:00 now
            self.Report._cron_remind_missing_reports()
        self.assertFalse(self.reminded_people())
        with self.assertRaises(ValidationError):
            self.env["res.config.settings"].create({"sales_report_digest_hour": 24})
