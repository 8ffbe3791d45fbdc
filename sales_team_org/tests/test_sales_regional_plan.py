from contextlib import contextmanager
from datetime import date, datetime, time, timedelta

import pytz
from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import SalesOrgCommon

# a Wednesday of the second quarter of 2026, and later Wednesdays of it
WRITTEN_ON = date(2026, 5, 13)
Q2 = (date(2026, 4, 1), date(2026, 6, 30))


@tagged("post_install", "-at_install")
class TestSalesRegionalPlan(SalesOrgCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.work_every_day()
        cls.Plan = cls.env["sales.regional.plan"]
        cls.Milestone = cls.env["sales.regional.plan.milestone"]
        cls.today = cls.env.company._sales_org_today()
        cls.quarter = cls.env["res.company"]._sales_org_period("quarter", cls.today)
        cls.flag_type = cls.env.ref("sales_team_org.mail_activity_type_plan_milestone_missed")

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def write_plan(self, user=None, team=None, period=None, milestones=None, **values):
        """A plan of `user` (the east's regional director by default) for `period` (this quarter),
        its milestones a list of (owner, deadline)."""
        date_from, date_to = period or self.quarter
        if milestones is None:
            milestones = [(self.manager, date_from + timedelta(days=20)),
                          (self.rep_shanghai, date_from + timedelta(days=40))]
        return self.Plan.with_user(user or self.regional_east).create({
            "name": "East: the quarter's plan",
            "team_id": (team or self.east).id,
            "period_type": "quarter",
            "date_from": date_from,
            "date_to": date_to,
            "budget": 5000.0,
            "actions": "<p>Survey the market, follow up the customers by phone, negotiate with the key ones.</p>",
            "milestone_ids": [Command.create({"name": f"Step {index}", "user_id": owner.id, "date_deadline": deadline,
                                              "sequence": index})
                              for index, (owner, deadline) in enumerate(milestones)],
            **values,
        })

    def approved_plan(self, **values):
        plan = self.write_plan(**values)
        plan.with_user(self.regional_east).action_submit()
        plan.with_user(self.director).action_approve()
        self.assertEqual(plan.state, "approved")
        return plan

    def flags(self, milestones):
        return self.env["mail.activity"].search([
            ("res_model", "=", "sales.regional.plan.milestone"), ("res_id", "in", milestones.ids),
            ("activity_type_id", "=", self.flag_type.id),
        ])

    @contextmanager
    def refused(self, error, message=""):
        """Refused with this message, and nothing of the attempt left in the database."""
        with self.assertRaisesRegex(error, message), self.env.cr.savepoint():
            yield

    @staticmethod
    def local_noon(day):
        noon = pytz.timezone("Asia/Shanghai").localize(datetime.combine(day, time(12)))
        return noon.astimezone(pytz.utc).replace(tzinfo=None)

    # ------------------------------------------------------------------
    # Approval
    # ------------------------------------------------------------------

    def test_the_regional_director_writes_the_director_approves(self):
        plan = self.Plan.with_user(self.regional_east).create({
            "name": "East plan", "milestone_ids": [Command.create({
                "name": "Survey", "user_id": self.manager.id, "date_deadline": self.quarter[1]})],
        })
        self.assertRecordValues(plan, [{
            "user_id": self.regional_east.id, "team_id": self.east.id, "period_type": "quarter",
            "date_from": self.quarter[0], "date_to": self.quarter[1], "state": "draft",
            "company_id": self.env.company.id,
        }])
        plan.with_user(self.regional_east).action_submit()
        self.assertRecordValues(plan, [{"state": "submitted", "approver_id": self.director.id}])
        self.assertTrue(plan.with_user(self.director).can_review)
        with self.assertRaisesRegex(AccessError, "your own request"):
            plan.with_user(self.regional_east).action_approve()
        for person in (self.manager, self.rep_shanghai, self.regional_north):
            with self.subTest(person=person.name), self.assertRaises(AccessError):
                plan.with_user(person).action_approve()
        plan.with_user(self.director).action_approve()
        self.assertRecordValues(plan, [{"state": "approved", "reviewer_id": self.director.id}])

    def test_written_in_the_form(self):
        with Form(self.Plan.with_user(self.regional_east)) as form:
            form.name = "East: this month"
            self.assertEqual(form.team_id, self.east, "the unit its author leads")
            self.assertEqual((form.date_from, form.date_to), self.quarter)
            form.period_type = "month"
            form.date_from = self.today
            month = self.env["res.company"]._sales_org_period("month", self.today)
            self.assertEqual((form.date_from, form.date_to), month, "a whole calendar month")
            form.budget = 800
            with form.milestone_ids.new() as milestone:
                milestone.name = "Survey the customers of Suzhou"
                milestone.user_id = self.rep_shanghai
                self.assertEqual(milestone.date_deadline, month[1])
        plan = form.record
        self.assertRecordValues(plan.milestone_ids, [{
            "user_id": self.rep_shanghai.id, "date_deadline": month[1], "state": "planned", "flagged": False,
        }])
        self.assertEqual(plan.schedule_progress, 0.0)

    def test_a_unit_manager_plans_their_unit_for_the_leader_above(self):
        plan = self.write_plan(user=self.manager, team=self.east_business,
                               milestones=[(self.rep_shanghai, self.quarter[1])])
        plan.with_user(self.manager).action_submit()
        self.assertEqual(plan.approver_id, self.regional_east, "the first leader above the author decides")

    def test_returned_then_submitted_again(self):
        plan = self.write_plan()
        plan.with_user(self.regional_east).action_submit()
        with self.assertRaisesRegex(UserError, "Say what to fix"):
            plan.with_user(self.director).action_return()
        plan.with_user(self.director).review_comment = "Add a milestone for the key customers."
        plan.with_user(self.director).action_return()
        self.assertEqual(plan.state, "returned")
        plan.with_user(self.regional_east).write({"milestone_ids": [Command.create({
            "name": "Negotiate with the key customers", "user_id": self.supervisor.id,
            "date_deadline": self.quarter[1]})]})
        plan.with_user(self.regional_east).action_submit()
        self.assertRecordValues(plan, [{"state": "submitted", "approver_id": self.director.id}])
        self.assertEqual(len(plan.milestone_ids), 3)

    def test_refused_then_a_new_plan(self):
        plan = self.write_plan()
        plan.with_user(self.regional_east).action_submit()
        plan.with_user(self.director).review_comment = "Not this way."
        plan.with_user(self.director).action_refuse()
        self.assertEqual(plan.state, "refused")
        self.assertEqual(self.write_plan().state, "draft", "a refused plan leaves its period free")

    def test_one_plan_per_unit_and_period(self):
        self.write_plan()
        with self.refused(ValidationError, "has a plan for"):
            self.write_plan()
        self.write_plan(user=self.regional_north, team=self.north, milestones=[(self.rep_north, self.quarter[1])])

    def test_only_a_leader_of_the_unit_writes_its_plan(self):
        count = self.Plan.search_count([])
        with self.refused(ValidationError, "does not lead"):
            self.write_plan(user=self.rep_shanghai, milestones=[])
        with self.refused(ValidationError, "does not lead"):
            self.write_plan(user=self.manager, milestones=[])
        with self.refused(ValidationError, "does not lead"):
            self.write_plan(user=self.regional_north, milestones=[])
        with self.refused(AccessError):
            self.Plan.with_user(self.director).create({
                "name": "For him", "user_id": self.regional_east.id, "team_id": self.east.id,
                "date_from": self.quarter[0], "date_to": self.quarter[1],
            })
        self.assertEqual(self.Plan.search_count([]), count)
        plan = self.write_plan()
        with self.refused(AccessError):
            plan.with_user(self.director).write({"budget": 1.0})
        with self.refused(ValidationError, "does not lead"):
            plan.with_user(self.regional_east).write({"team_id": self.north.id})
        self.assertRecordValues(plan, [{"team_id": self.east.id, "budget": 5000.0}])

    def test_submit_needs_a_schedule_and_a_period_not_ended(self):
        empty = self.write_plan(milestones=[])
        with self.assertRaisesRegex(UserError, "at least one milestone"):
            empty.with_user(self.regional_east).action_submit()
        no_owner = self.write_plan(user=self.regional_north, team=self.north, milestones=[])
        no_owner.with_user(self.regional_north).write({"milestone_ids": [Command.create({"name": "Someday"})]})
        with self.assertRaisesRegex(UserError, "needs an owner and a deadline"):
            no_owner.with_user(self.regional_north).action_submit()
        last_quarter = self.env["res.company"]._sales_org_period("quarter", self.quarter[0] - timedelta(days=1))
        ended = self.write_plan(period=last_quarter)
        with self.assertRaisesRegex(UserError, "period that ended"):
            ended.with_user(self.regional_east).action_submit()
        self.assertEqual((empty | no_owner | ended).mapped("state"), ["draft"] * 3)

    # ------------------------------------------------------------------
    # Target
    # ------------------------------------------------------------------

    def test_the_plan_shows_the_units_target_and_its_live_actual(self):
        plan = self.write_plan()
        self.assertFalse(plan.target_id, "no target set yet")
        target = self.env["sales.target"].with_user(self.director).create({
            "target_type": "unit", "team_id": self.east.id, "metric": "order_amount", "period_type": "quarter",
            "date_from": self.quarter[0], "date_to": self.quarter[1], "amount": 1000.0,
        })
        self.env["sales.target"].with_user(self.director).create({
            "target_type": "unit", "team_id": self.east.id, "metric": "call_count", "period_type": "quarter",
            "date_from": self.quarter[0], "date_to": self.quarter[1], "amount": 300,
        })
        plan.invalidate_recordset(["target_id"])  # as the next request reads it
        self.assertEqual(plan.target_id, target, "the target of confirmed sales, set after the plan")
        self.assertEqual(plan.target_amount, 1000.0)
        before = plan.actual
        order = self.orders[self.rep_shanghai]
        order.action_confirm()
        self.env.flush_all()
        plan.invalidate_recordset(["actual", "achievement"])
        target.invalidate_recordset(["actual", "achievement"])
        self.assertAlmostEqual(plan.actual, before + order.amount_untaxed)
        self.assertAlmostEqual(plan.achievement, 100.0 * plan.actual / 1000.0)
        # the author reads the target of their unit on their plan
        self.assertEqual(plan.with_user(self.regional_east).target_amount, 1000.0)

    # ------------------------------------------------------------------
    # Server-side refusals
    # ------------------------------------------------------------------

    def test_bad_input_refused_nothing_written(self):
        count = self.Plan.search_count([])
        date_from, date_to = self.quarter
        with self.refused(ValidationError, "after the end of its plan's period"):
            self.write_plan(milestones=[(self.manager, date_to + timedelta(days=1))])
        with self.refused(ValidationError, "budget .* cannot be below zero"):
            self.write_plan(budget=-1.0)
        with self.refused(ValidationError, "A period ends after it starts"):
            self.write_plan(period=(date_from, date_from - timedelta(days=1)), milestones=[])
        with self.refused(ValidationError, "is not one"):
            self.write_plan(period=(date_from, date_to - timedelta(days=1)), milestones=[])
        with self.refused(ValidationError, "is not a person of"):
            self.write_plan(milestones=[(self.rep_north, date_to)])
        self.assertEqual(self.Plan.search_count([]), count)
        plan = self.write_plan()
        milestone = plan.milestone_ids[0]
        author_plan = plan.with_user(self.regional_east)
        with self.refused(ValidationError, "after the end of its plan's period"):
            milestone.with_user(self.regional_east).write({"date_deadline": date_to + timedelta(days=1)})
        with self.refused(ValidationError, "budget .* cannot be below zero"):
            author_plan.write({"budget": -0.5})
        with self.refused(ValidationError, "A period ends after it starts"):
            author_plan.write({"date_to": date_from - timedelta(days=1)})
        with self.refused(ValidationError, "after the end of its plan's period"):
            # a month of the quarter would leave the last milestone out of it
            author_plan.write({"period_type": "month",
                               "date_to": self.env["res.company"]._sales_org_period("month", date_from)[1]})
        plan.invalidate_recordset()
        self.assertRecordValues(plan, [{"budget": 5000.0, "date_from": date_from, "date_to": date_to,
                                        "period_type": "quarter"}])
        self.assertEqual(milestone.date_deadline, date_from + timedelta(days=20))

    def test_fields_of_the_engine_not_by_hand(self):
        with self.assertRaises(AccessError):
            self.write_plan(state="approved")
        plan = self.write_plan()
        author_plan = plan.with_user(self.regional_east)
        for vals in ({"state": "approved"}, {"approver_id": self.regional_east.id},
                     {"target_id": self.env["sales.target"].search([], limit=1).id or 1},
                     {"user_id": self.regional_north.id}, {"company_id": self.env.company.id},
                     {"reviewer_id": self.director.id}):
            with self.subTest(vals=vals), self.refused(AccessError):
                author_plan.write(vals)
        milestone = plan.milestone_ids[0].with_user(self.regional_east)
        for vals in ({"date_done": self.today}, {"flagged": True}, {"state": "done"}, {"plan_id": plan.id}):
            with self.subTest(vals=vals), self.refused(AccessError):
                milestone.write(vals)
        with self.refused(AccessError):
            self.Milestone.with_user(self.regional_east).create({
                "plan_id": plan.id, "name": "Done already", "date_done": self.today})
        self.assertRecordValues(plan, [{"state": "draft", "approver_id": False, "user_id": self.regional_east.id}])
        self.assertFalse(plan.milestone_ids.filtered("date_done"))

    def test_milestones_of_an_approved_plan_only_through_the_actions(self):
        plan = self.approved_plan()
        milestone = plan.milestone_ids[0]
        author_plan = plan.with_user(self.regional_east)
        for vals in ({"milestone_ids": [Command.update(milestone.id, {"name": "Another"})]},
                     {"milestone_ids": [Command.create({"name": "New", "user_id": self.manager.id})]},
                     {"milestone_ids": [Command.delete(milestone.id)]},
                     {"budget": 1.0}):
            with self.subTest(vals=vals), self.refused(UserError, "can no longer be changed"):
                author_plan.write(vals)
        with self.refused(UserError, "can no longer be changed"):
            milestone.with_user(self.regional_east).write({"date_deadline": self.quarter[1]})
        with self.refused(UserError, "can no longer be changed"):
            self.Milestone.with_user(self.regional_east).create({"plan_id": plan.id, "name": "New"})
        with self.refused(UserError, "can no longer be changed"):
            milestone.with_user(self.regional_east).unlink()
        # the owner reads their milestone, writes nothing but through the actions
        with self.refused(AccessError):
            milestone.with_user(self.manager).write({"name": "Mine"})
        with self.refused(AccessError):
            milestone.with_user(self.manager).write({"date_done": self.today})
        # the approver reads, the author writes
        draft = self.write_plan(user=self.manager, team=self.east_business,
                                milestones=[(self.rep_shanghai, self.quarter[1])])
        with self.refused(AccessError):
            draft.milestone_ids.with_user(self.regional_east).write({"name": "Mine"})
        self.assertEqual(milestone.name, "Step 0")
        self.assertEqual(len(plan.milestone_ids), 2)
        self.assertFalse(milestone.date_done)

    # ------------------------------------------------------------------
    # Milestones
    # ------------------------------------------------------------------

    def test_who_marks_a_milestone_done(self):
        draft = self.write_plan()
        with self.assertRaisesRegex(UserError, "once its plan is approved"):
            draft.milestone_ids[0].with_user(self.manager).action_done()
        draft.with_user(self.regional_east).action_cancel()
        plan = self.approved_plan(milestones=[(self.manager, self.quarter[1]), (self.rep_shanghai, self.quarter[1])])
        first, second = plan.milestone_ids
        for person in (self.rep_north, self.rep_shanghai, self.supervisor):
            with self.subTest(person=person.name), self.assertRaises(AccessError):
                first.with_user(person).action_done()
        self.assertFalse(first.date_done)
        first.with_user(self.manager).action_done()  # its owner
        self.assertRecordValues(first, [{"date_done": self.today, "state": "done"}])
        first.with_user(self.regional_east).action_reopen()  # the plan's author
        self.assertRecordValues(first, [{"date_done": False, "state": "planned"}])
        second.with_user(self.director).action_done()  # a leader above the author
        self.assertEqual(second.state, "done")
        self.assertEqual(plan.schedule_progress, 50.0)

    def test_missed_flagged_once_to_the_owner_and_the_author(self):
        with freeze_time(self.local_noon(WRITTEN_ON)):
            plan = self.approved_plan(period=Q2, milestones=[
                (self.manager, date(2026, 5, 20)),
                (self.regional_east, date(2026, 5, 25)),
                (self.rep_shanghai, date(2026, 5, 15)),
                (self.supervisor, date(2026, 6, 20)),
            ])
            missed, own, done_late, to_come = plan.milestone_ids
            self.assertEqual(plan.milestone_ids.mapped("state"), ["planned"] * 4)
            self.Milestone._cron_flag_missed_milestones()
            self.assertFalse(self.flags(plan.milestone_ids), "nothing missed yet")
        with freeze_time(self.local_noon(date(2026, 5, 18))):
            done_late.with_user(self.rep_shanghai).action_done()
        with freeze_time(self.local_noon(date(2026, 6, 10))):
            self.assertEqual(plan.schedule_expected, 75.0, "three deadlines passed")
            self.assertEqual(plan.schedule_progress, 25.0)
            self.Milestone._cron_flag_missed_milestones()
            self.Milestone._cron_flag_missed_milestones()
            self.assertEqual([m.state for m in plan.milestone_ids], ["missed", "missed", "late", "planned"])
            self.assertEqual(self.flags(missed).user_id, self.manager | self.regional_east)
            self.assertEqual(len(self.flags(missed)), 2, "once each")
            self.assertEqual(self.flags(own).user_id, self.regional_east, "one activity for owner and author")
            self.assertFalse(self.flags(done_late | to_come), "done late is shown, not flagged")
            self.assertTrue(missed.flagged and own.flagged)
            self.assertIn("Step 0", self.flags(missed)[0].summary)
            self.assertEqual(plan.missed_count, 2)
            # done at last: late, its flags closed
            missed.with_user(self.manager).action_done()
            self.assertEqual(missed.state, "late")
            self.assertFalse(self.flags(missed))
            self.Milestone._cron_flag_missed_milestones()
            self.assertFalse(self.flags(missed), "nothing flagged twice")
            self.assertEqual(len(self.flags(plan.milestone_ids)), 1)

    def test_only_the_milestones_of_approved_plans_are_flagged(self):
        with freeze_time(self.local_noon(WRITTEN_ON)):
            plan = self.write_plan(period=Q2, milestones=[(self.manager, date(2026, 5, 20))])
            plan.with_user(self.regional_east).action_submit()
        with freeze_time(self.local_noon(date(2026, 6, 10))):
            self.Milestone._cron_flag_missed_milestones()
        self.assertEqual(plan.milestone_ids.state, "missed")
        self.assertFalse(self.flags(plan.milestone_ids))
        self.assertFalse(plan.milestone_ids.flagged)

    def test_query_count_does_not_grow_with_the_milestones(self):
        owners = self.manager | self.supervisor | self.rep_shanghai | self.clerk_east | self.regional_east
        with freeze_time(self.local_noon(WRITTEN_ON)), self.env.cr.savepoint() as savepoint:
            for count in (2, 6):
                if count == 6:
                    savepoint.rollback()
                plan = self.approved_plan(period=Q2, milestones=[
                    (owners[index % len(owners)], date(2026, 5, 20 + index)) for index in range(count)])
                with freeze_time(self.local_noon(date(2026, 6, 10))):
                    self.env.cr.flush()
                    self.env.invalidate_all()
                    self.env.registry.clear_cache()
                    with self.assertQueryCount(26):
                        self.Milestone._cron_flag_missed_milestones()
                        self.env.cr.flush()
                self.assertEqual(len(plan.milestone_ids.filtered("flagged")), count)

    # ------------------------------------------------------------------
    # Access
    # ------------------------------------------------------------------

    def test_who_reads_a_plan_and_its_milestones(self):
        plan = self.write_plan()
        plan.with_user(self.regional_east).action_submit()
        readers = self.regional_east | self.director
        for person in self.people:
            with self.subTest(person=person.name):
                plans = self.Plan.with_user(person).search([("id", "=", plan.id)])
                milestones = self.Milestone.with_user(person).search([("plan_id", "=", plan.id)])
                if person in readers:
                    self.assertEqual(plans, plan)
                    self.assertEqual(milestones, plan.milestone_ids)
                else:
                    self.assertFalse(plans)
                    with self.assertRaises(AccessError):
                        plan.with_user(person).read(["name"])
                    owned = plan.milestone_ids.filtered(lambda milestone: milestone.user_id == person)
                    self.assertEqual(milestones, owned, "the owner reads their own milestones only")
        # the owner reads their milestone, and the name of its plan
        mine = plan.milestone_ids.filtered(lambda milestone: milestone.user_id == self.manager)
        values = mine.with_user(self.manager).web_read({"name": {}, "plan_id": {"fields": {"display_name": {}}},
                                                        "state": {}, "can_mark": {}})
        self.assertEqual(values[0]["plan_id"]["display_name"], plan.name)
