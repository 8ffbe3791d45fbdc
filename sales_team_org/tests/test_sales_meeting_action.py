from datetime import datetime, time, timedelta

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import SalesOrgCommon


class MeetingActionCommon(SalesOrgCommon):
    """The weekly meetings of T East Business (chaired by its manager, the supervisor takes the
    notes) last week and this week; the rep of Shanghai owns an item."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        today = cls.env.company._sales_org_today()
        cls.this_week = today - timedelta(days=today.weekday())
        cls.last_week = cls.this_week - timedelta(days=7)
        cls.meeting_last = cls.meeting(cls.east_business, cls.last_week)
        cls.meeting_now = cls.meeting(cls.east_business, cls.this_week)

    @classmethod
    def meeting(cls, team, week):
        # noon UTC is in the same day wherever the company is
        return cls.env["sales.meeting"].create({
            "team_id": team.id, "start": datetime.combine(week, time(12)), "note_taker_id": cls.supervisor.id,
        })

    def item(self, meeting, owner=None, deadline=None, name="Send the quotation to T Customer", user=None):
        Item = self.env["sales.meeting.action"].with_user(user or self.manager)
        return Item.create({
            "meeting_id": meeting.id, "name": name, "user_id": (owner or self.rep_shanghai).id,
            "date_deadline": deadline or meeting.week_start + timedelta(days=4),
        }).sudo(False)

    def owner_activities(self, item):
        return self.env["mail.activity"].with_context(active_test=False).search([
            ("res_model", "=", item._name), ("res_id", "=", item.id),
            ("activity_type_id", "=", self.env.ref("sales_team_org.mail_activity_type_meeting_action").id),
        ])


@tagged("post_install", "-at_install")
class TestSalesMeetingAction(MeetingActionCommon):

    def test_activity_follows_the_item_both_ways(self):
        item = self.item(self.meeting_now)
        activity = item.activity_id
        self.assertRecordValues(activity, [{
            "user_id": self.rep_shanghai.id, "date_deadline": item.date_deadline,
            "summary": "Send the quotation to T Customer", "active": True,
        }])
        # a new owner and deadline move the same activity
        new_deadline = item.date_deadline + timedelta(days=1)
        item.with_user(self.supervisor).write({"user_id": self.clerk_east.id, "date_deadline": new_deadline})
        self.assertEqual(self.owner_activities(item), activity)
        self.assertRecordValues(activity, [{"user_id": self.clerk_east.id, "date_deadline": new_deadline}])
        # done from the activity (chatter, systray, over RPC): the item is done
        activity.with_user(self.clerk_east).action_feedback(feedback="Sent")
        self.assertRecordValues(item, [{"state": "done", "done_date": self.env.company._sales_org_today()}])
        self.assertFalse(item.activity_ids)

        # done from the item: its activity is done with it
        second = self.item(self.meeting_now, name="Visit the customer")
        second.with_user(self.rep_shanghai).action_done()
        self.assertEqual(second.state, "done")
        self.assertFalse(second.activity_ids)
        self.assertFalse(second.activity_id.active)
        # cancelled: the activity is gone; reopened: a new one
        third = self.item(self.meeting_now, name="Call the distributor")
        third.with_user(self.manager).action_cancel()
        self.assertFalse(self.owner_activities(third))
        third.with_user(self.regional_east).action_reopen()
        self.assertRecordValues(third, [{"state": "open", "done_date": False}])
        self.assertEqual(third.activity_ids, third.activity_id)
        self.assertEqual(third.activity_id.user_id, self.rep_shanghai)

    def test_open_items_are_carried_over(self):
        late = self.item(self.meeting_last, deadline=self.last_week + timedelta(days=2))
        closed = self.item(self.meeting_last, name="Visit the customer")
        closed.with_user(self.rep_shanghai).action_done()
        current = self.item(self.meeting_now, name="Call the distributor",
                            deadline=self.env.company._sales_org_today() + timedelta(days=3))
        Item = self.env["sales.meeting.action"]
        Item._carry_over(self.meeting_now)
        # this week's meeting was prepared already: the items raised last week went to it at once;
        # one closed since stays there, done
        self.assertEqual(self.meeting_now.carried_action_ids, late | closed)
        self.assertRecordValues(late, [{"weeks_open": 1, "overdue_count": 1, "is_overdue": True}])
        self.assertEqual(current.weeks_open, 0)
        self.assertEqual(closed.weeks_open, 1)  # raised last week, closed this week
        self.assertIn(late, Item.search([("is_overdue", "=", True)]))
        self.assertNotIn(current, Item.search([("is_overdue", "=", True)]))
        self.assertIn(current, Item.search([("is_overdue", "=", False)]))
        # run again (the cron twice, by hand): nothing is counted twice
        Item._carry_over(self.meeting_now | self.meeting_last)
        self.assertEqual(self.meeting_now.carried_action_ids, late | closed)
        self.assertFalse(self.meeting_last.carried_action_ids)
        self.assertEqual(late.overdue_count, 1)
        # minutes revised: the week's items follow the current minutes, counted once
        self.meeting_now.action_confirm()
        self.meeting_now.action_revise()
        revision = self.env["sales.meeting"].search([("previous_id", "=", self.meeting_now.id)])
        self.assertEqual(revision.action_ids, current)
        self.assertEqual(revision.carried_action_ids, late | closed)
        Item._carry_over(revision)
        self.assertEqual(late.overdue_count, 1)
        # the revision dropped: the minutes it corrected stand again, with their items
        revision.with_user(self.manager).unlink()
        self.assertRecordValues(self.meeting_now, [{"state": "confirmed"}])
        self.assertEqual(current.meeting_id, self.meeting_now)
        self.assertEqual(late.overdue_count, 1)

    def test_overdue_at_two_meetings_goes_one_level_up_once(self):
        self.regional_east.notification_type = "email"
        (self.meeting_last | self.meeting_now).unlink()  # prepared as the weeks go, below
        two_weeks_ago = self.meeting(self.east_business, self.last_week - timedelta(days=7))
        late = self.item(two_weeks_ago, deadline=two_weeks_ago.week_start + timedelta(days=1))
        on_time = self.item(two_weeks_ago, name="Visit the customer", deadline=self.this_week + timedelta(days=3))
        Item = self.env["sales.meeting.action"]
        self.meeting_last = self.meeting(self.east_business, self.last_week)
        self.assertRecordValues(late, [{"overdue_count": 1, "escalated": False}])
        # next week's meeting prepared ahead: its week has not begun, nothing counts yet
        next_week = self.meeting(self.east_business, self.this_week + timedelta(days=7))
        self.assertEqual(next_week.carried_action_ids, late | on_time)
        self.assertRecordValues(late, [{"overdue_count": 1, "escalated": False}])
        mails_before = self.env["mail.mail"].search([])
        self.meeting_now = self.meeting(self.east_business, self.this_week)
        self.assertRecordValues(late | on_time, [
            {"overdue_count": 2, "escalated": True}, {"overdue_count": 0, "escalated": False},
        ])
        # to the leader above the unit manager: the regional director of East
        told = self.env["mail.activity"].search([("user_id", "=", self.regional_east.id),
                                                 ("res_model", "=", Item._name)])
        self.assertEqual(len(told), 1)
        self.assertEqual(told.res_id, late.id)
        self.assertIn("Send the quotation to T Customer", str(told.note))
        mail = self.env["mail.mail"].search([]) - mails_before
        self.assertEqual(mail.email_to, self.regional_east.partner_id.email_formatted)
        self.assertFalse(self.env["mail.activity"].search([("user_id", "=", self.manager.id),
                                                           ("res_model", "=", Item._name)]))
        # once: again, nothing more
        Item._carry_over(self.meeting_now)
        self.assertEqual(len(self.env["mail.activity"].search([("user_id", "=", self.regional_east.id),
                                                              ("res_model", "=", Item._name)])), 1)
        self.assertEqual(late.overdue_count, 2)

    def test_who_may_do_what(self):
        item = self.item(self.meeting_now)
        # a member of the unit reads the items of confirmed minutes, not of a draft
        as_member = item.with_user(self.clerk_east)
        item.invalidate_recordset()
        with self.assertRaises(AccessError):
            as_member.read(["name"])
        with self.assertRaises(AccessError):
            as_member.write({"name": "Nothing to do"})
        with self.assertRaises(AccessError):
            as_member.action_done()
        with self.assertRaises(AccessError):
            self.item(self.meeting_now, user=self.clerk_east)
        # the owner closes it, never re-assigns nor cancels it
        as_owner = item.with_user(self.rep_shanghai)
        with self.assertRaises(AccessError):
            as_owner.write({"user_id": self.clerk_east.id})
        with self.assertRaises(AccessError):
            as_owner.action_cancel()
        with self.assertRaises(AccessError):
            as_owner.write({"state": "cancelled"})
        # someone outside the unit does not even read it
        with self.assertRaises(AccessError):
            item.with_user(self.rep_north).read(["name"])
        with self.assertRaises(AccessError):
            item.with_user(self.rep_north).action_done()
        # the note-taker and the leaders above change it
        item.with_user(self.supervisor).write({"name": "Send the new quotation"})
        item.with_user(self.regional_east).write({"date_deadline": self.this_week + timedelta(days=6)})
        as_owner.action_done()
        self.assertEqual(item.state, "done")
        with self.assertRaises(UserError):
            item.with_user(self.manager).write({"name": "Changed after the fact"})
        # the minutes confirmed, nothing is added; the items are still followed up, and the
        # members read them
        other = self.item(self.meeting_now, name="Visit the customer")
        self.meeting_now.action_confirm()
        item.invalidate_recordset()
        self.assertEqual(as_member.name, "Send the new quotation")
        with self.assertRaises(UserError):
            self.item(self.meeting_now, name="Too late")
        other.with_user(self.rep_shanghai).action_done()
        self.assertEqual(other.state, "done")

    def test_bad_input_is_refused(self):
        with self.assertRaises(ValidationError):
            self.item(self.meeting_now, deadline=self.this_week - timedelta(days=1))
        with self.assertRaises(ValidationError):
            self.item(self.meeting_now, name="   ")
        item = self.item(self.meeting_now)
        with self.assertRaises(ValidationError):
            item.write({"date_deadline": self.last_week})
        with self.assertRaises(ValidationError):
            item.write({"name": ""})
        with self.assertRaises(UserError):
            item.write({"meeting_id": self.meeting_last.id})
        with self.assertRaises(UserError):
            item.action_reopen()
        self.assertRecordValues(item, [{
            "name": "Send the quotation to T Customer", "meeting_id": self.meeting_now.id, "state": "open",
        }])


@tagged("post_install", "-at_install")
class TestSalesMeetingActionQueries(MeetingActionCommon):

    def _units_with_late_items(self, count, tag):
        """`count` units under East managed by the business manager, each with an item raised two
        weeks ago, overdue at last week's meeting already, and this week's meeting not yet
        carried over."""
        units = self.env["crm.team"].create([
            {"name": f"T Unit {tag}{n}", "parent_id": self.east.id, "user_id": self.manager.id} for n in range(count)
        ])
        two_weeks_ago = self.last_week - timedelta(days=7)
        for unit in units:
            self.item(self.meeting(unit, two_weeks_ago), deadline=two_weeks_ago + timedelta(days=1))
            self.meeting(unit, self.last_week)
        meetings = self.env["sales.meeting"].union(*(self.meeting(unit, self.this_week) for unit in units))
        # as before this week's carry-over
        self.env.flush_all()
        self.env.cr.execute("DELETE FROM sales_meeting_carried_action_rel WHERE meeting_id = ANY(%s)", [meetings.ids])
        self.env.cr.execute("UPDATE sales_meeting_action SET overdue_count = 1, escalated = FALSE"
                            " WHERE team_id = ANY(%s)", [units.ids])
        self.env.invalidate_all()
        return meetings

    def test_carry_over_queries_do_not_grow_with_meetings(self):
        self.regional_east.notification_type = "email"
        Item = self.env["sales.meeting.action"]
        Item._carry_over(self._units_with_late_items(1, "w"))  # templates compiled, caches warm
        for count, tag in ((2, "a"), (6, "b")):
            meetings = self._units_with_late_items(count, tag)
            with self.assertQueryCount(26):
                Item._carry_over(meetings)
            self.assertEqual(len(meetings.carried_action_ids), count)
            self.assertTrue(all(meetings.carried_action_ids.mapped("escalated")))


@tagged("post_install", "-at_install")
class TestSalesMeetingActionFollowUp(MeetingActionCommon):
    """What a hostile or hurried user may try with the items of the minutes."""

    def test_an_item_raised_after_next_weeks_meeting_is_prepared_goes_to_it(self):
        self.meeting_last.unlink()
        late = self.item(self.meeting_now, deadline=self.this_week)
        next_week = self.meeting(self.east_business, self.this_week + timedelta(days=7))
        later = self.item(self.meeting_now, name="Call the distributor")
        self.assertEqual(next_week.carried_action_ids, late | later)
        self.assertEqual(late.overdue_count, 0, "next week has not begun")

    def test_a_meeting_deleted_and_made_again_counts_a_week_once(self):
        late = self.item(self.meeting_last, deadline=self.last_week + timedelta(days=1))
        self.assertEqual(late.overdue_count, 1)
        week = self.meeting_now.week_start
        self.meeting_now.with_user(self.manager).unlink()
        self.assertEqual(late.overdue_count, 0)
        again = self.meeting(self.east_business, week)
        self.assertEqual(again.carried_action_ids, late)
        self.assertRecordValues(late, [{"overdue_count": 1, "escalated": False}])

    def test_what_confirmed_minutes_decided_stays_written(self):
        item = self.item(self.meeting_now)
        self.meeting_now.action_confirm()
        with self.assertRaises(UserError):
            item.with_user(self.manager).write({"name": "Something else entirely"})
        item.with_user(self.manager).write({"date_deadline": item.date_deadline + timedelta(days=7)})
        self.assertEqual(item.name, "Send the quotation to T Customer")

    def test_a_new_meeting_touches_no_other_minutes(self):
        """Created by the server, a meeting takes only new lines of its own from its creator."""
        item = self.item(self.meeting_now)
        self.meeting_now.problem_ids = [Command.create({"problem": "Hengda asks 3 % off"})]
        self.meeting_now.action_confirm()
        problem, attendee = self.meeting_now.problem_ids, self.meeting_now.attendee_ids[:1]
        Meeting = self.env["sales.meeting"].with_user(self.manager)
        start = datetime.combine(self.this_week + timedelta(days=7), time(12))
        for values in (
            {"problem_ids": [Command.update(problem.id, {"problem": "Rewritten"})]},
            {"problem_ids": [Command.delete(problem.id)]},
            {"attendee_ids": [Command.delete(attendee.id)]},
            {"attendee_ids": [Command.create({"user_id": self.director.id, "is_guest": True})]},
            {"action_ids": [Command.update(item.id, {"state": "cancelled", "overdue_count": 9})]},
            {"action_ids": [Command.link(item.id)]},
            {"action_ids": [Command.create({"name": "Call", "user_id": self.rep_shanghai.id,
                                            "date_deadline": self.this_week + timedelta(days=9), "state": "done"})]},
        ):
            with self.subTest(values=values), self.assertRaises(AccessError):
                Meeting.create({"team_id": self.east_business.id, "start": start, **values})
        self.assertRecordValues(problem, [{"problem": "Hengda asks 3 % off"}])
        self.assertTrue(attendee.exists())
        self.assertRecordValues(item, [{"state": "open", "overdue_count": 0, "meeting_id": self.meeting_now.id}])
        meeting = Meeting.create({"team_id": self.east_business.id, "start": start, "problem_ids": [
            Command.create({"problem": "Delivery late", "solution": "Call the factory"})]})
        self.assertEqual(meeting.problem_ids.problem, "Delivery late")
