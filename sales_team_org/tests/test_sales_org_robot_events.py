"""The events the group robots tell: a request waiting for its approver, the minutes of a weekly
meeting once confirmed, the achievement of the month's targets once the month is closed. Only the
outbox is read: nothing is sent."""
import itertools
from contextlib import nullcontext
from datetime import date, datetime, time, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged
from odoo.tools import format_amount, format_date

from .common import SalesOrgTripCommon
from .test_sales_target import SalesTargetCommon

OCTOBER = {"period_type": "month", "date_from": date(2026, 10, 1), "date_to": date(2026, 10, 31)}
AUGUST = {"period_type": "month", "date_from": date(2026, 8, 1), "date_to": date(2026, 8, 31)}
Q4 = {"period_type": "quarter", "date_from": date(2026, 10, 1), "date_to": date(2026, 12, 31)}
# 00:30 on 1 November 2026 in Shanghai: October is over
OCTOBER_CLOSED = "2026-10-31 16:30:00"
TOKENS = itertools.count()  # each robot its own group's webhook


class RobotEventsCommon(SalesTargetCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Message = cls.env["sales.org.robot.message"]
        cls.env.company.resource_calendar_id.tz = "Asia/Shanghai"
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.currency = cls.env.company.currency_id
        for person, mobile in ((cls.supervisor, "13800000001"), (cls.manager, "13800000002"),
                               (cls.regional_east, "13800000003"), (cls.director, "13800000004")):
            person.partner_id.mobile = mobile
        cls.base_url = cls.env["ir.config_parameter"].sudo().get_param("web.base.url")

    @classmethod
    def robot(cls, unit, lang="en_US", **vals):
        return cls.env["sales.org.robot"].create({
            "name": f"T {unit.name} group", "team_id": unit.id, "kind": "dingtalk", "lang": lang,
            "webhook_url": f"https://oapi.dingtalk.com/robot/send?access_token=t{unit.id}-{next(TOKENS)}", **vals,
        })

    def queued(self, robots, kind):
        return self.Message.search([("robot_id", "in", robots.ids), ("kind", "=", kind)], order="id")

    def env_in(self, lang):
        return self.env(context=dict(self.env.context, lang=lang))


@tagged("post_install", "-at_install")
class TestSalesOrgRobotApprovals(RobotEventsCommon, SalesOrgTripCommon):

    def pending(self, trip):
        return trip.approval_step_ids.filtered(lambda step: step.state == "pending")

    def test_waiting_request_goes_to_the_nearest_group_above(self):
        business = self.robot(self.east_business)
        north = self.robot(self.north)
        trip = self.submitted(self.rep_shanghai, 2500)
        self.assertEqual(trip.team_id, self.shanghai)
        step = self.pending(trip)
        self.assertEqual(step.approver_id, self.supervisor)
        self.assertFalse(self.queued(north, "approval"), "another branch of the tree")
        message = self.queued(business, "approval")
        self.assertRecordValues(message, [{
            "key": f"approval:{step.id}", "state": "queued", "mobiles": "13800000001",
            "title": f"To approve: {trip.display_name}",
        }])
        en = self.env_in("en_US")
        for text in ("Business Trip Request waiting for approval", trip.display_name, self.rep_shanghai.name,
                     format_amount(en, 2500, self.currency), self.supervisor.name,
                     f"({self.base_url}/mail/view?model=sales.business.trip&res_id={trip.id})"):
            self.assertIn(text, message.body)
        # beyond the supervisor's limit: the next step waits for the manager, told again
        trip.with_user(self.supervisor).action_approve()
        step_manager = self.pending(trip)
        self.assertEqual(step_manager.approver_id, self.manager)
        messages = self.queued(business, "approval")
        self.assertEqual(messages.mapped("key"), [f"approval:{step.id}", f"approval:{step_manager.id}"])
        self.assertEqual(messages[1].mobiles, "13800000002")
        # the same steps told again: nothing new
        trip.sudo()._approval_tell_robots(trip.sudo().approval_step_ids)
        self.assertEqual(self.queued(business, "approval"), messages)
        trip.with_user(self.manager).action_approve()
        self.assertEqual(trip.state, "approved")
        self.assertEqual(self.queued(business | north, "approval"), messages, "a decision is not a waiting step")

    def test_told_where_it_is_decided(self):
        """Each step in the group of the unit its deciding leader sits in, not the requester's:
        the regional director's step in the region's group."""
        business = self.robot(self.east_business)
        east = self.robot(self.east)
        trip = self.submitted(self.rep_shanghai, 5000)
        trip.with_user(self.supervisor).action_approve()
        trip.with_user(self.manager).action_approve()
        step = self.pending(trip)
        self.assertEqual(step.approver_id, self.regional_east)
        self.assertEqual(len(self.queued(business, "approval")), 2, "the supervisor's and the manager's")
        self.assertRecordValues(self.queued(east, "approval"), [{"key": f"approval:{step.id}", "mobiles": "13800000003"}])

    def test_own_group_first_switched_off_and_archived_skipped(self):
        shanghai = self.robot(self.shanghai)
        business = self.robot(self.east_business)
        self.submitted(self.rep_shanghai, 500)
        self.assertEqual(len(self.queued(shanghai, "approval")), 1)
        self.assertFalse(self.queued(business, "approval"), "the nearest group only")
        shanghai.send_approval = False
        business.active = False
        hq = self.robot(self.hq)
        trip = self.submitted(self.rep_shanghai, 600)
        self.assertEqual(len(self.queued(shanghai, "approval")), 1, "switched off")
        self.assertFalse(self.queued(hq, "approval"), "switched off in its own group: not told in one above")
        shanghai.active = False
        trip = self.submitted(self.rep_shanghai, 700)
        self.assertFalse(self.queued(business.with_context(active_test=False), "approval"), "archived")
        self.assertEqual(self.queued(hq, "approval").key, f"approval:{self.pending(trip).id}")

    def test_without_a_unit_the_requesters_and_without_a_mobile_no_mention(self):
        shanghai = self.robot(self.shanghai)
        self.supervisor.partner_id.mobile = False
        trip = self.submitted(self.rep_shanghai, 500, team_id=False)
        self.assertFalse(trip.team_id)
        message = self.queued(shanghai, "approval")
        self.assertEqual(message.key, f"approval:{self.pending(trip).id}")
        self.assertFalse(message.mobiles)

    def test_daily_reviews_are_not_told(self):
        self.assertFalse(self.env["sales.daily.report"]._approval_robot)
        self.assertFalse(self.env["sales.monthly.summary"]._approval_robot)
        robots = self.robot(self.shanghai) | self.robot(self.east_business)
        report = self.env["sales.daily.report"].with_user(self.rep_shanghai).create({
            "line_ids": [Command.create({"partner_id": self.customer.id, "channel": "phone", "subject": "Prices"})],
        })
        report.action_submit()
        self.assertEqual(report.state, "submitted")
        self.assertFalse(self.Message.search([("robot_id", "in", robots.ids)]))

    def test_escalated_step_is_told_again(self):
        business = self.robot(self.east_business)
        self.env.company.sales_org_approval_hours = 8
        trip = self.submitted(self.rep_shanghai, 500)
        first = self.pending(trip)
        for column in ("create_date", "reminded_date"):
            self.env.flush_all()
            self.env.cr.execute(
                f"UPDATE sales_org_approval_step SET {column} = now() at time zone 'utc' - interval '30 days' "
                "WHERE id = %s", [first.id])
            self.env.invalidate_all()
            self.env["sales.org.approval.mixin"]._cron_approval_reminders()
        self.assertEqual(first.state, "escalated")
        second = self.pending(trip)
        self.assertEqual(second.approver_id, self.manager)
        messages = self.queued(business, "approval")
        self.assertEqual(messages.mapped("key"), [f"approval:{first.id}", f"approval:{second.id}"])
        self.assertEqual(messages[1].mobiles, "13800000002")
        self.env["sales.org.approval.mixin"]._cron_approval_reminders()
        self.assertEqual(self.queued(business, "approval"), messages, "nothing twice")

    def test_in_the_robots_language(self):
        robot = self.robot(self.shanghai, lang="zh_CN")
        trip = self.submitted(self.rep_shanghai, 500)
        env = self.env_in("zh_CN")
        name = trip.with_env(env).display_name
        message = self.queued(robot, "approval")
        self.assertEqual(message.title, env._("To approve: %(document)s", document=name))
        self.assertIn(env["ir.model"]._get("sales.business.trip").name, message.body)
        self.assertIn(format_amount(env, 500, self.currency), message.body)

    def test_queries_do_not_grow_with_the_requests(self):
        for unit in (self.hq, self.east, self.north, self.east_business, self.shanghai):
            self.robot(unit)
        Trip = self.env["sales.business.trip"].sudo()
        two = (self.rep_shanghai, self.rep_north)
        five = (self.rep_shanghai, self.clerk_east, self.rep_north, self.supervisor, self.manager)
        for people, queries in ((two, None), (two, APPROVAL_QUERIES), (five, APPROVAL_QUERIES)):
            # submitted (and told), then told again from a clean outbox: the telling alone counted
            trips = Trip.union(*(self.trip(person, 500) for person in people))
            trips.action_submit()
            steps = trips.approval_step_ids.filtered(lambda step: step.state == "pending")
            keys = [f"approval:{step.id}" for step in steps]
            self.Message.search([("key", "in", keys)]).unlink()
            self.env.flush_all()
            self.env.invalidate_all()
            with self.assertQueryCount(queries) if queries else nullcontext():
                trips._approval_tell_robots(steps)
                self.env.flush_all()
            self.assertEqual(self.Message.search_count([("key", "in", keys)]), len(people))


APPROVAL_QUERIES = 18


@tagged("post_install", "-at_install")
class TestSalesOrgRobotMeetings(RobotEventsCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        today = cls.env.company._sales_org_today()
        cls.week = today - timedelta(days=today.weekday())

    def meeting(self, unit=None, week=None):
        unit = unit or self.east_business
        meeting = self.env["sales.meeting"].create({
            "team_id": unit.id, "start": datetime.combine(week or self.week, time(12)),
            "note_taker_id": self.supervisor.id,
        })
        meeting.write({"problem_ids": [Command.create({"problem": "Delivery\ntoo slow",
                                                       "solution": "Written promise of the plant"})]})
        self.env["sales.meeting.action"].create({
            "meeting_id": meeting.id, "name": "Call the plant", "user_id": self.clerk_east.id,
            "date_deadline": meeting.week_start + timedelta(days=4),
        })
        return meeting

    def test_confirmed_minutes_to_the_units_group_and_revised_again(self):
        business = self.robot(self.east_business)
        off = self.robot(self.east_business, send_meeting=False)
        east = self.robot(self.east)
        meeting = self.meeting()
        meeting.attendee_ids.filtered(lambda line: line.user_id == self.clerk_east).attendance = "absent"
        self.assertFalse(self.queued(business, "meeting"), "not while a draft")
        meeting.with_user(self.manager).action_confirm()
        self.assertFalse(self.queued(off | east, "meeting"), "switched off; a unit above has its own minutes")
        message = self.queued(business, "meeting")
        en = self.env_in("en_US")
        week = format_date(en, meeting.week_start)
        self.assertRecordValues(message, [{
            "key": f"meeting:{meeting.id}", "state": "queued",
            "title": f"Minutes: {self.east_business.name}, week of {week}",
        }])
        self.assertFalse(message.mobiles)
        deadline = format_date(en, meeting.week_start + timedelta(days=4))
        came = len(meeting.attendee_ids) - 1
        for text in ("Delivery too slow → Written promise of the plant", "0 calls, 0 visits, 0 new customers",
                     f"Call the plant: {self.clerk_east.name}, by {deadline}",
                     f"Present: {came} of {len(meeting.attendee_ids)} · absent: {self.clerk_east.name}",
                     f"({self.base_url}/mail/view?model=sales.meeting&res_id={meeting.id})"):
            self.assertIn(text, message.body)
        meeting._robot_send_minutes()
        self.assertEqual(self.queued(business, "meeting"), message, "nothing twice")
        # revised and confirmed again: sent again, as the revision
        revision = self.env["sales.meeting"].browse(meeting.with_user(self.manager).action_revise()["res_id"])
        revision.with_user(self.manager).action_confirm()
        messages = self.queued(business, "meeting")
        self.assertEqual(messages.mapped("key"), [f"meeting:{meeting.id}", f"meeting:{revision.id}"])
        self.assertEqual(messages[1].title,
                         f"Revised minutes (revision 1): {self.east_business.name}, week of {week}")
        self.assertIn("Call the plant", messages[1].body, "the week's items follow the revision")

    def test_archived_robot_and_robots_language(self):
        archived = self.robot(self.east_business, active=False)
        chinese = self.robot(self.east_business, lang="zh_CN")
        meeting = self.meeting()
        meeting.action_confirm()
        self.assertFalse(self.queued(archived.with_context(active_test=False), "meeting"))
        env = self.env_in("zh_CN")
        week = format_date(env, meeting.week_start)
        self.assertNotEqual(week, format_date(self.env_in("en_US"), meeting.week_start))
        message = self.queued(chinese, "meeting")
        self.assertEqual(message.title, env._("Minutes: %(unit)s, week of %(week)s",
                                              unit=self.east_business.name, week=week))

    def test_queries_do_not_grow_with_the_meetings(self):
        units = self.hq | self.east | self.north | self.east_business | self.shanghai
        for unit in units:
            self.robot(unit)
        for weeks, size, queries in ((0, 2, None), (1, 2, MEETING_QUERIES), (2, 5, MEETING_QUERIES)):
            week = self.week + timedelta(days=7 * weeks)
            meetings = self.env["sales.meeting"].union(*(self.meeting(unit, week) for unit in units[:size]))
            meetings.sudo().write({"state": "confirmed"})
            self.env.flush_all()
            self.env.invalidate_all()
            with self.assertQueryCount(queries) if queries else nullcontext():
                meetings._robot_send_minutes()
                self.env.flush_all()
            self.assertEqual(self.Message.search_count([("key", "in", [f"meeting:{m.id}" for m in meetings])]), size)


MEETING_QUERIES = 21


@tagged("post_install", "-at_install")
class TestSalesOrgRobotTargets(RobotEventsCommon):

    def order(self, user, team, quantity, when="2026-10-15 04:00:00"):
        order = self.env["sale.order"].create({
            "partner_id": self.customer.id, "user_id": user.id, "team_id": team.id,
            "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": quantity,
                                           "price_unit": 100, "tax_id": False})],
        })
        with freeze_time(when):
            order.action_confirm()
        return order

    def close(self):
        with freeze_time(OCTOBER_CLOSED):
            return self.Target._cron_close_periods()

    def test_month_closed_to_each_units_group(self):
        business = self.robot(self.east_business)
        shanghai = self.robot(self.shanghai)
        north = self.robot(self.north, send_target=False)
        self.order(self.clerk_east, self.east_business, 5)
        unit = self.unit_target(self.east_business, 2000, OCTOBER)
        clerk = self.person_target(self.clerk_east, self.east_business, 1000, OCTOBER)
        calls = self.person_target(self.manager, self.east_business, 3, OCTOBER, metric="new_customer_count")
        self.unit_target(self.shanghai, 800, OCTOBER)
        self.unit_target(self.north, 800, OCTOBER)
        self.unit_target(self.east_business, 5000, Q4)  # not a month
        with freeze_time("2026-10-31 15:30:00"):  # 23:30 in Shanghai: October is not over
            self.Target._cron_close_periods()
        self.assertFalse(self.queued(business | shanghai | north, "target"))
        # a month long over, closed only now: not told
        self.unit_target(self.east_business, 5000, AUGUST, metric="invoiced_amount")
        closed = self.close()
        october = unit | clerk | calls
        self.assertEqual(october & closed, october)
        self.assertFalse(self.queued(north, "target"), "switched off")
        self.assertEqual(len(self.queued(shanghai, "target")), 1)
        message = self.queued(business, "target")
        self.assertRecordValues(message, [{
            "state": "queued", "title": f"Targets of Oct 2026: {self.east_business.name}",
        }])
        self.assertTrue(message.key.startswith(f"target:{self.east_business.id}:2026-10-01:"))
        def money(amount):
            return format_amount(self.env_in("en_US"), amount, self.currency)

        lines = [line for line in message.body.split("\n") if line.startswith("- ")]
        self.assertEqual(lines, [
            f"- **{self.east_business.name}** · Confirmed Sales: {money(500)} of {money(2000)} (25.0 %)",
            f"- **{self.clerk_east.name}** · Confirmed Sales: {money(500)} of {money(1000)} (50.0 %)",
            f"- **{self.manager.name}** · New Customers: 0 of 3 (0.0 %)",
        ])
        self.assertNotIn("Invoiced", message.body, "nor the quarter nor August")
        self.assertFalse(self.close(), "nothing closed twice")
        october._robot_send_achievement()
        self.assertEqual(self.queued(business, "target"), message, "nothing told twice")

    def test_archived_robot_and_robots_language(self):
        archived = self.robot(self.east_business, active=False)
        chinese = self.robot(self.east_business, lang="zh_CN")
        self.unit_target(self.east_business, 2000, OCTOBER)
        self.close()
        self.assertFalse(self.queued(archived.with_context(active_test=False), "target"))
        env = self.env_in("zh_CN")
        month = env["res.company"]._sales_org_period_name("month", date(2026, 10, 1))
        self.assertEqual(self.queued(chinese, "target").title,
                         env._("Targets of %(month)s: %(unit)s", month=month, unit=self.east_business.name))

    def test_queries_do_not_grow_with_the_units(self):
        units = self.east_business | self.north | self.hq | self.east | self.shanghai
        for unit in units:
            self.robot(unit)
        targets = {unit: self.unit_target(unit, 1000, OCTOBER) for unit in units}
        targets[self.east_business] |= self.person_target(self.clerk_east, self.east_business, 500, OCTOBER)
        targets[self.north] |= self.person_target(self.rep_north, self.north, 500, OCTOBER)
        self.close()  # the caches warmed, every period that ended closed
        for size in (2, 5):
            reopened = self.Target.union(*(targets[unit] for unit in units[:size]))
            reopened.sudo().write({"is_closed": False})
            self.Message.search([("kind", "=", "target")]).unlink()
            self.env.flush_all()
            self.env.invalidate_all()
            with self.assertQueryCount(TARGET_QUERIES):
                self.assertEqual(self.close(), reopened)
                self.env.flush_all()
            self.assertEqual(len(self.Message.search([("kind", "=", "target")])), size)


TARGET_QUERIES = 17
