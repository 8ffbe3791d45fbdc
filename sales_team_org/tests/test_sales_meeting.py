from datetime import date, datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import SalesOrgCommon

# Thursday 3 December 2026 in Shanghai; the meeting of the week of Monday 7 December sums up the
# week of 30 November – 6 December (company-local).
NOW = "2026-12-03 02:00:00"
WEEK = date(2026, 12, 7)


@tagged("post_install", "-at_install")
class TestSalesMeeting(SalesOrgCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.work_every_day()
        cls.Meeting = cls.env["sales.meeting"]
        cls.company = cls.env.company
        # 华东业务一部 meets on Monday at 10:00 in Shanghai (02:00 UTC); no other unit (the demo's) meets
        cls.env["crm.team"].search([("meeting_weekday", "!=", False)]).meeting_weekday = False
        cls.east_business.write({"meeting_weekday": "0", "meeting_hour": 10.0, "meeting_duration": 1.5})

    def order(self, person, when):
        order = self.env["sale.order"].create({
            "partner_id": self.customer.id, "user_id": person.id, "team_id": self.east_business.id,
            "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 1})],
        })
        order.action_confirm()
        order.date_order = when
        return order

    def prepare(self, week=WEEK):
        with freeze_time(NOW):
            return self.Meeting._prepare_meetings(self.company, week)

    # ------------------------------------------------------------------
    # Preparation
    # ------------------------------------------------------------------

    def test_prepare_with_last_weeks_figures_in_local_days(self):
        # Monday 30 Nov 00:30 in Shanghai is Sunday 29 Nov 16:30 UTC: last week; Sunday 6 Dec
        # 23:30 in Shanghai (15:30 UTC) still last week; Monday 7 Dec 00:30 there is this week
        self.order(self.clerk_east, datetime(2026, 11, 29, 16, 30))
        self.order(self.clerk_east, datetime(2026, 12, 6, 15, 30))
        self.order(self.clerk_east, datetime(2026, 12, 6, 16, 30))
        self.order(self.manager, datetime(2026, 11, 29, 15, 30))  # Sunday 29 Nov 23:30 local: the week before
        with freeze_time("2026-12-01 03:00:00"):
            report = self.env["sales.daily.report"].with_user(self.clerk_east).create({
                "date": date(2026, 12, 1),
                "line_ids": [Command.create({"partner_id": self.customer.id, "channel": "phone",
                                             "subject": "续签"}),
                             Command.create({"partner_id": self.customer.id, "channel": "visit",
                                             "subject": "拜访"})],
            })
            report.action_submit()
        with freeze_time("2026-12-07 01:00:00"):  # the figures are complete once the week is over
            meeting = self.Meeting._prepare_meetings(self.company, WEEK)
        self.assertEqual(len(meeting), 1)
        self.assertEqual(meeting.team_id, self.east_business)
        self.assertEqual(meeting.week_start, WEEK)
        self.assertEqual(meeting.start, datetime(2026, 12, 7, 2, 0))
        self.assertEqual(meeting.chair_id, self.manager)
        self.assertEqual(meeting.state, "draft")
        lines = {line.user_id: line for line in meeting.figure_ids}
        self.assertEqual(set(lines), {self.manager, self.clerk_east, self.env["res.users"]})
        clerk, manager, total = lines[self.clerk_east], lines[self.manager], lines[self.env["res.users"]]
        self.assertEqual((clerk.order_count, clerk.order_amount), (2, 200.0))
        self.assertEqual((clerk.call_count, clerk.visit_count, clerk.customer_count), (1, 1, 1))
        self.assertEqual((manager.order_count, manager.order_amount), (0, 0.0))
        self.assertEqual((total.order_count, total.order_amount, total.call_count), (2, 200.0, 1))
        # every day is a working day: seven reports due of each, one submitted
        self.assertEqual((clerk.report_due, clerk.report_submitted), (7, 1))
        self.assertEqual((manager.report_due, manager.report_submitted), (7, 0))
        self.assertEqual((total.report_due, total.report_submitted), (14, 1))

    def test_prepare_twice_creates_nothing_twice(self):
        # the scheduled action, run on Thursday after the hour, prepares next week's meeting
        with freeze_time(NOW):
            self.Meeting._cron_prepare_meetings()
            self.Meeting._cron_prepare_meetings()
        meeting = self.Meeting.search([("team_id", "=", self.east_business.id)])
        self.assertEqual(meeting.week_start, WEEK)
        events = self.env["calendar.event"].search_count([])
        self.assertFalse(self.prepare(), "nothing new on a further run")
        self.assertEqual(self.Meeting.search([("team_id", "=", self.east_business.id)]), meeting)
        self.assertEqual(self.env["calendar.event"].search_count([]), events)

    def test_invitations_to_the_directors(self):
        meeting = self.prepare()
        self.assertEqual(meeting.guest_ids, self.director | self.regional_east)
        self.assertEqual(meeting.attendee_ids.filtered("is_guest").user_id, self.director | self.regional_east)
        members = meeting.attendee_ids.filtered(lambda a: not a.is_guest)
        self.assertEqual(members.user_id, self.manager | self.clerk_east)
        event = meeting.event_id
        self.assertEqual(event.user_id, self.manager, "the chair organises the event")
        invited = self.manager | self.clerk_east | self.director | self.regional_east
        self.assertEqual(event.partner_ids, invited.partner_id)
        self.assertEqual((event.start, event.stop), (datetime(2026, 12, 7, 2, 0), datetime(2026, 12, 7, 3, 30)))
        # the calendar's invitation reached everyone invited, the chair included
        notified = self.env["mail.message"].search([("model", "=", "calendar.event"), ("res_id", "=", event.id),
                                                    ("message_type", "=", "user_notification")]).partner_ids
        self.assertEqual(notified, invited.partner_id)
        # a region led by its regional director: the sales director is the guest, never the chair
        self.east.write({"user_id": self.regional_east.id, "meeting_weekday": "4", "meeting_hour": 9.0})
        region = self.prepare().filtered(lambda m: m.team_id == self.east)
        self.assertEqual(region.chair_id, self.regional_east)
        self.assertEqual(region.guest_ids, self.director)

    def test_one_meeting_per_unit_and_week(self):
        meeting = self.prepare()
        with self.assertRaisesRegex(ValidationError, "meeting of that week already"):
            self.Meeting.with_user(self.manager).create({"team_id": self.east_business.id, "start": meeting.start})

    # ------------------------------------------------------------------
    # Minutes, lock and revisions
    # ------------------------------------------------------------------

    def test_confirm_locks_the_minutes(self):
        meeting = self.prepare().with_user(self.manager)
        meeting.note_taker_id = self.clerk_east
        as_clerk = meeting.with_user(self.clerk_east)
        as_clerk.write({
            "next_week_plan": "<p>拜访三家主攻客户</p>",
            "problem_ids": [Command.create({"problem": "交期长", "solution": "工厂书面承诺"})],
        })
        as_clerk.attendee_ids.filtered(lambda a: a.user_id == self.regional_east).is_present = False
        self.assertEqual(meeting.attendee_ids.filtered(lambda a: a.user_id == self.regional_east).attendance, "absent")
        with self.assertRaises(AccessError):
            as_clerk.chair_id = self.clerk_east  # the chair is the organisers' to choose
        as_clerk.action_confirm()
        self.assertEqual((meeting.state, meeting.confirmed_by_id), ("confirmed", self.clerk_east))
        for user in (self.manager, self.clerk_east, self.regional_east, self.env.ref("base.user_admin")):
            with self.assertRaisesRegex(UserError, "locked"):
                meeting.with_user(user).notes = "<p>补充</p>"
        with self.assertRaisesRegex(UserError, "locked"):
            meeting.attendee_ids[0].with_user(self.manager).attendance = "late"
        with self.assertRaisesRegex(UserError, "locked"):
            meeting.problem_ids.with_user(self.manager).unlink()
        with self.assertRaisesRegex(UserError, "archived"):
            meeting.with_user(self.manager).unlink()
        # the state moves through the actions only, whoever asks
        with self.assertRaises(AccessError):
            meeting.with_user(self.manager).write({"state": "draft"})
        with self.assertRaises(AccessError):
            self.Meeting.with_user(self.manager).create({
                "team_id": self.east_business.id, "start": "2026-12-16 02:00:00", "state": "confirmed"})
        with self.assertRaisesRegex(UserError, "Only draft"):
            meeting.action_confirm()
        self.assertEqual(meeting.next_week_plan, "<p>拜访三家主攻客户</p>")

    def test_revision_corrects_confirmed_minutes(self):
        meeting = self.prepare().with_user(self.manager)
        meeting.write({"problem_ids": [Command.create({"problem": "报价无人跟进"})], "notes": "<p>初稿</p>"})
        meeting.action_confirm()
        with self.assertRaises(AccessError):
            meeting.with_user(self.clerk_east).action_revise()  # a member reads, does not revise
        action = meeting.action_revise()
        revision = self.Meeting.with_user(self.manager).browse(action["res_id"])
        self.assertEqual(meeting.state, "superseded")
        self.assertEqual((revision.state, revision.revision, revision.previous_id), ("draft", 1, meeting))
        self.assertEqual((revision.week_start, revision.event_id), (meeting.week_start, meeting.event_id))
        self.assertEqual(revision.problem_ids.mapped("problem"), ["报价无人跟进"])
        self.assertEqual(revision.attendee_ids.user_id, meeting.attendee_ids.user_id)
        self.assertEqual(len(revision.figure_ids), len(meeting.figure_ids))
        revision.notes = "<p>修订</p>"
        revision.action_confirm()
        self.assertEqual(meeting.notes, "<p>初稿</p>", "the superseded minutes stay as they were")
        self.assertEqual(meeting.with_user(self.clerk_east).notes, "<p>初稿</p>", "and readable")

    def test_refresh_figures_of_a_draft(self):
        meeting = self.prepare().with_user(self.manager)
        self.order(self.clerk_east, datetime(2026, 12, 2, 2, 0))
        with freeze_time(NOW):
            meeting.action_refresh_figures()
        self.assertEqual(meeting.figure_ids.filtered(lambda l: not l.user_id).order_count, 1)
        with self.assertRaises(AccessError):
            meeting.with_user(self.clerk_east).action_refresh_figures()
        # prepared a week ahead, the minutes get last week's figures complete once their week begins
        self.order(self.clerk_east, datetime(2026, 12, 5, 2, 0))
        with freeze_time("2026-12-06 16:30:00"):  # Monday 0:30 in Shanghai, before the preparation hour
            self.Meeting._cron_prepare_meetings()
        self.assertEqual(meeting.figure_ids.filtered(lambda l: not l.user_id).order_count, 2)
        meeting.action_confirm()
        with self.assertRaisesRegex(UserError, "stay as they were"):
            meeting.action_refresh_figures()

    # ------------------------------------------------------------------
    # Access
    # ------------------------------------------------------------------

    def test_access_per_role(self):
        meeting = self.prepare()
        # the manager (chair) and the leaders above read the draft; the members not yet
        for user in (self.manager, self.regional_east, self.director):
            self.assertEqual(self.Meeting.with_user(user).search([("id", "=", meeting.id)]), meeting)
        for user in (self.clerk_east, self.rep_north, self.supervisor):
            self.assertFalse(self.Meeting.with_user(user).search([("id", "=", meeting.id)]))
        with self.assertRaises(AccessError):
            meeting.with_user(self.clerk_east).read(["notes"])
        with self.assertRaises(AccessError):
            meeting.with_user(self.rep_north).problem_ids = [Command.create({"problem": "x"})]
        # a member neither creates a meeting nor writes one
        with self.assertRaises(AccessError):
            self.Meeting.with_user(self.clerk_east).create({"team_id": self.east_business.id,
                                                           "start": "2026-12-15 02:00:00"})
        meeting.with_user(self.manager).action_confirm()
        # confirmed: the members read, the others of the company not
        self.assertEqual(meeting.with_user(self.clerk_east).figure_ids, meeting.figure_ids)
        with self.assertRaisesRegex(UserError, "locked"):
            meeting.with_user(self.clerk_east).notes = "<p>x</p>"
        with self.assertRaises(AccessError):
            meeting.with_user(self.rep_north).read(["notes"])
        with self.assertRaises(AccessError):
            meeting.figure_ids.with_user(self.rep_north).read(["order_amount"])
        # a leader above creates one by hand: the guests, attendance and figures come with it
        made = self.Meeting.with_user(self.regional_east).create({"team_id": self.shanghai.id,
                                                                  "start": "2026-12-15 02:00:00"})
        self.assertEqual(made.guest_ids, self.director | self.regional_east)
        self.assertEqual(made.attendee_ids.filtered(lambda a: not a.is_guest).user_id,
                         self.supervisor | self.rep_shanghai)
        self.assertTrue(made.figure_ids)
        with self.assertRaises(AccessError):
            made.with_user(self.regional_east).write({"figure_ids": [Command.clear()]})

    # ------------------------------------------------------------------
    # Performance
    # ------------------------------------------------------------------

    def test_preparation_query_count(self):
        """Preparing 2 or 6 meetings costs the same number of queries of ours. Odoo's calendar adds
        its own for each event: it subscribes each event's attendees as followers in a call per
        event (`calendar.attendee._subscribe_partner`, 5 queries), and renders and queues each
        invitation mail per attendee (blocked here by the calendar's own setting)."""
        self.env["ir.config_parameter"].sudo().set_param("calendar.block_mail", "1")
        units = self.env["crm.team"]
        for index in range(6):
            person = new_test_user(self.env, login=f"t_meeting_{index}", groups="base.group_user",
                                   name=f"Meeting {index}")
            unit = self.env["crm.team"].create({
                "name": f"T Meeting Unit {index}", "parent_id": self.east.id, "user_id": person.id,
                "meeting_weekday": "1", "meeting_hour": 9.0,
            })
            self.env["crm.team.member"].create({"crm_team_id": unit.id, "user_id": person.id,
                                                "role_id": self.role_manager.id})
            units |= unit
        self.east_business.meeting_weekday = False
        (units[2:]).meeting_weekday = False
        self.prepare(date(2026, 11, 30))  # warm the caches
        self.env.invalidate_all()
        with self.assertQueryCount(__system__=QUERIES + CALENDAR_FOLLOWERS_PER_EVENT * 2):
            self.assertEqual(len(self.prepare(date(2026, 12, 7))), 2)
        units.meeting_weekday = "1"
        self.env.invalidate_all()
        with self.assertQueryCount(__system__=QUERIES + CALENDAR_FOLLOWERS_PER_EVENT * 6):
            self.assertEqual(len(self.prepare(date(2026, 12, 14))), 6)


QUERIES = 40
CALENDAR_FOLLOWERS_PER_EVENT = 5


@tagged("post_install", "-at_install")
class TestSalesMeetingPdf(HttpCase, SalesOrgCommon):
    """The printed minutes: only once confirmed, kept as an attachment."""

    def test_minutes_pdf(self):
        self.env.company.resource_calendar_id.tz = "Asia/Shanghai"
        self.env["crm.team"].search([("meeting_weekday", "!=", False)]).meeting_weekday = False
        self.east_business.write({"meeting_weekday": "0", "meeting_hour": 10.0, "name": "华东业务一部"})
        with freeze_time(NOW):
            meeting = self.env["sales.meeting"]._prepare_meetings(self.env.company, WEEK).with_user(self.manager)
        meeting.write({"problem_ids": [Command.create({"problem": "交期长", "solution": "工厂书面承诺"})]})
        Report = self.env["ir.actions.report"].with_user(self.manager).with_context(force_report_rendering=True)
        with self.assertRaises(UserError):
            Report._render_qweb_pdf("sales_team_org.action_report_sales_meeting", meeting.ids)
        meeting.action_confirm()
        pdf, kind = Report._render_qweb_pdf("sales_team_org.action_report_sales_meeting", meeting.ids)
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        attachment = self.env["ir.attachment"].search([("res_model", "=", "sales.meeting"),
                                                       ("res_id", "=", meeting.id)])
        self.assertEqual(attachment.name, f"{meeting.name}.pdf")
        self.assertEqual(attachment.raw, pdf)
