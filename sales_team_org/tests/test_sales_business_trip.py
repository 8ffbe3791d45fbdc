from contextlib import contextmanager
from datetime import datetime, time, timedelta

import pytz
from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import SalesOrgCommon

TRIP_LIMITS = (("role_supervisor", 1000), ("role_manager", 3000), ("role_regional", 10000), ("role_director", 50000))


class BusinessTripCommon(SalesOrgCommon):
    """The small organisation of SalesOrgCommon, in Shanghai's time zone, with trip budget
    limits: supervisor 1,000, manager 3,000, regional director 10,000, director 50,000."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.work_every_day()
        cls.env["sales.org.role.limit"].create([
            {"role_id": getattr(cls, role).id, "kind": "trip_budget", "limit": limit} for role, limit in TRIP_LIMITS
        ])
        cls.today = cls.env.company._sales_org_today()
        cls.customer2 = cls.env["res.partner"].create({"name": "T Hangzhou Park", "is_company": True})
        cls.Trip = cls.env["sales.business.trip"]

    def ask(self, user=None, budget=800.0, start_in=1, days=3, **values):
        """A trip of `user` (the rep by default) leaving in `start_in` days, its budget all transport."""
        start = self.today + timedelta(days=start_in)
        return self.Trip.with_user(user or self.rep_shanghai).create({
            "name": "Visit the customers of Suzhou and Hangzhou",
            "date_start": start,
            "date_end": start + timedelta(days=days - 1),
            "cities": "Suzhou, Hangzhou",
            "visit_ids": [
                Command.create({"partner_id": self.customer.id, "purpose": "Show the new gate"}),
                Command.create({"lead_id": self.leads[user or self.rep_shanghai].id, "purpose": "Measure the site",
                                "visit_date": start + timedelta(days=days - 1)}),
            ],
            "cost_ids": [Command.create({"cost_type": "transport", "expected_amount": budget})],
            **values,
        })

    def approved_trip(self, **values):
        trip = self.ask(**values)
        trip.action_submit()
        trip.with_user(self.supervisor).action_approve()
        self.assertEqual(trip.state, "approved")
        return trip

    @contextmanager
    def refused(self, error, message):
        """Refused with this message, and nothing of the attempt left in the database."""
        with self.assertRaisesRegex(error, message), self.env.cr.savepoint():
            yield

    @staticmethod
    def local_noon(day):
        """Noon of `day` in Shanghai, as the naive UTC time freeze_time takes."""
        noon = pytz.timezone("Asia/Shanghai").localize(datetime.combine(day, time(12)))
        return noon.astimezone(pytz.utc).replace(tzinfo=None)


@tagged("post_install", "-at_install")
class TestSalesBusinessTripFlow(BusinessTripCommon):

    def test_new_trip(self):
        trip = self.Trip.with_user(self.rep_shanghai).create({
            "name": "Visit", "date_start": self.today, "date_end": self.today + timedelta(days=1),
        })
        self.assertRecordValues(trip, [{
            "user_id": self.rep_shanghai.id, "team_id": self.shanghai.id, "state": "draft", "budget": 0.0,
            "day_count": 2, "currency_id": self.env.company.currency_id.id,
        }])
        self.assertEqual(trip.cost_ids.mapped("cost_type"), ["transport", "lodging", "meals", "other"],
                         "a line for each type of cost, to fill in")
        trip.write({"cost_ids": [Command.update(cost.id, {"expected_amount": amount})
                                 for cost, amount in zip(trip.cost_ids, (400, 900, 300, 100))]})
        self.assertEqual(trip.budget, 1700)
        self.assertEqual(trip._approval_amount(), {trip.id: 1700})

    def test_one_level_within_the_supervisor_limit(self):
        trip = self.ask(budget=800)
        trip.action_submit()
        self.assertRecordValues(trip, [{"state": "submitted", "approver_id": self.supervisor.id}])
        self.assertTrue(trip.with_user(self.supervisor).can_review)
        self.assertFalse(trip.with_user(self.rep_shanghai).can_review)
        trip.with_user(self.supervisor).action_approve()
        self.assertRecordValues(trip, [{"state": "approved", "reviewer_id": self.supervisor.id}])

    def test_two_levels_above_the_supervisor_limit(self):
        trip = self.ask(budget=2000)
        trip.action_submit()
        trip.with_user(self.supervisor).action_approve()
        self.assertRecordValues(trip, [{"state": "submitted", "approver_id": self.manager.id}])
        trip.with_user(self.manager).action_approve()
        self.assertRecordValues(trip, [{"state": "approved", "reviewer_id": self.manager.id}])
        self.assertEqual(trip.approval_step_ids.filtered(lambda step: step.state == "approved").decided_by_id,
                         self.supervisor | self.manager)

    def test_nobody_approves_their_own_nor_a_peer(self):
        trip = self.ask()
        trip.action_submit()
        for person in (self.rep_shanghai, self.rep_north, self.clerk_east):
            with self.subTest(person=person.name), self.assertRaises(AccessError):
                trip.with_user(person).action_approve()
        self.assertEqual(trip.state, "submitted")

    def test_returned_then_submitted_again(self):
        trip = self.ask()
        trip.action_submit()
        trip.with_user(self.supervisor).review_comment = "Take the train, not a plane."
        trip.with_user(self.supervisor).action_return()
        self.assertEqual(trip.state, "returned")
        trip.with_user(self.rep_shanghai).write({"plan": "<p>By train</p>"})
        trip.with_user(self.rep_shanghai).action_submit()
        self.assertEqual(trip.state, "submitted")

    def test_submit_needs_visits_and_a_start_to_come(self):
        trip = self.ask()
        trip.visit_ids.unlink()
        with self.assertRaisesRegex(UserError, "List the customers or leads"):
            trip.action_submit()
        past = self.ask(start_in=-1)
        with self.assertRaisesRegex(UserError, "a day already past"):
            past.action_submit()
        self.assertEqual((trip | past).mapped("state"), ["draft", "draft"])

    def test_bad_input_refused_nothing_written(self):
        count = self.Trip.search_count([])
        with self.refused(ValidationError, "A trip returns after it leaves"):
            self.ask(start_in=3, days=-1)
        with self.refused(ValidationError, "A cost is zero or more"):
            self.ask(budget=-10)
        with self.refused(ValidationError, "names the customer or the lead"):
            self.Trip.with_user(self.rep_shanghai).create({
                "name": "Nowhere", "date_start": self.today, "date_end": self.today,
                "visit_ids": [Command.create({"purpose": "Nobody"})],
            })
        self.assertEqual(self.Trip.search_count([]), count)
        trip = self.ask()
        start, end = trip.date_start, trip.date_end
        with self.refused(ValidationError, "A trip returns after it leaves"):
            trip.write({"date_end": start - timedelta(days=1)})
        with self.refused(ValidationError, "falls outside the trip"):
            trip.write({"date_end": start})  # the second visit is on the last day
        with self.refused(ValidationError, "A cost is zero or more"):
            trip.cost_ids.write({"expected_amount": -1})
        with self.refused(ValidationError, "names the customer or the lead"):
            trip.visit_ids[0].write({"partner_id": False})
        trip.invalidate_recordset()
        self.assertRecordValues(trip, [{"date_start": start, "date_end": end, "budget": 800.0}])
        self.assertEqual(trip.visit_ids[0].partner_id, self.customer)

    def test_fields_of_the_engine_not_by_hand(self):
        with self.assertRaises(AccessError):
            self.ask(state="approved")
        trip = self.ask()
        for vals in ({"state": "approved"}, {"approver_id": self.rep_shanghai.id}, {"budget": 1},
                     {"late_approval_flagged": True}, {"user_id": self.rep_north.id}):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                trip.with_user(self.rep_shanghai).write(vals)
        with self.assertRaises(AccessError):
            trip.visit_ids[0].with_user(self.rep_shanghai).write({"report_line_id": 1})
        with self.assertRaises(AccessError):
            trip.visit_ids[0].with_user(self.rep_shanghai).write({"trip_id": self.ask().id})

    def test_only_the_traveller_writes_their_draft(self):
        trip = self.ask()
        with self.assertRaises(AccessError):
            trip.with_user(self.supervisor).write({"plan": "<p>Mine</p>"})
        with self.assertRaises(AccessError):
            trip.cost_ids.with_user(self.supervisor).write({"expected_amount": 5})
        with self.assertRaises(AccessError):
            self.Trip.with_user(self.supervisor).create({
                "name": "For him", "user_id": self.rep_shanghai.id, "date_start": self.today, "date_end": self.today,
            })
        self.assertEqual(trip.budget, 800)


@tagged("post_install", "-at_install")
class TestSalesBusinessTripAfterTrip(BusinessTripCommon):

    def test_after_approval_actual_costs_and_results_only(self):
        trip = self.approved_trip(budget=800)
        rep_trip = trip.with_user(self.rep_shanghai)
        visit, cost = trip.visit_ids[0], trip.cost_ids
        # as the form sends them: through the trip
        rep_trip.write({
            "visit_ids": [Command.update(visit.id, {"result": "Wants 20 gates"})],
            "cost_ids": [Command.update(cost.id, {"actual_amount": 650}),
                         Command.create({"cost_type": "meals", "actual_amount": 250, "description": "Dinner"})],
        })
        self.assertEqual(visit.result, "Wants 20 gates")
        self.assertRecordValues(trip, [{"budget": 800.0, "actual_amount": 900.0, "difference": 100.0}])
        self.assertEqual(cost.difference, -150)
        refused = [
            ({"plan": "<p>Another plan</p>"}, UserError),
            ({"date_end": trip.date_end + timedelta(days=1)}, UserError),
            ({"cost_ids": [Command.update(cost.id, {"expected_amount": 2000})]}, UserError),
            ({"cost_ids": [Command.create({"cost_type": "other", "expected_amount": 100})]}, UserError),
            ({"cost_ids": [Command.delete(cost.id)]}, UserError),
            ({"visit_ids": [Command.update(visit.id, {"purpose": "Something else"})]}, UserError),
            ({"visit_ids": [Command.update(visit.id, {"partner_id": self.customer2.id})]}, UserError),
            ({"visit_ids": [Command.create({"partner_id": self.customer2.id, "purpose": "New"})]}, UserError),
            ({"visit_ids": [Command.delete(visit.id)]}, UserError),
        ]
        for vals, error in refused:
            with self.subTest(vals=vals), self.assertRaises(error):
                rep_trip.write(vals)
        with self.assertRaises(UserError):
            visit.with_user(self.rep_shanghai).unlink()
        with self.assertRaises(UserError):
            self.env["sales.business.trip.visit"].with_user(self.rep_shanghai).create(
                {"trip_id": trip.id, "partner_id": self.customer2.id, "purpose": "New"})
        # the approver reads, the traveller writes
        with self.assertRaises(AccessError):
            trip.with_user(self.supervisor).write({"visit_ids": [Command.update(visit.id, {"result": "Mine"})]})
        with self.assertRaises(AccessError):
            cost.with_user(self.supervisor).write({"actual_amount": 1})
        trip.invalidate_recordset()
        self.assertRecordValues(trip, [{"budget": 800.0, "actual_amount": 900.0}])
        self.assertEqual(visit.purpose, "Show the new gate")
        self.assertEqual(len(trip.visit_ids), 2)

    def test_no_results_before_approval(self):
        trip = self.ask()
        trip.action_submit()
        with self.assertRaisesRegex(UserError, "can no longer be changed"):
            trip.with_user(self.rep_shanghai).write(
                {"visit_ids": [Command.update(trip.visit_ids[0].id, {"result": "Early"})]})
        with self.assertRaises(UserError):
            trip.cost_ids.with_user(self.rep_shanghai).write({"actual_amount": 10})
        self.assertFalse(trip.visit_ids[0].result)


@tagged("post_install", "-at_install")
class TestSalesBusinessTripDailyReport(BusinessTripCommon):

    def test_visits_become_lines_of_their_days_once(self):
        trip = self.approved_trip(start_in=1, days=3)
        first, second = trip.visit_ids.sorted("visit_date")
        rep_trip = trip.with_user(self.rep_shanghai)
        Report = self.env["sales.daily.report"]
        with freeze_time(self.local_noon(trip.date_end)):
            with self.assertRaisesRegex(UserError, "No visit is waiting"):
                rep_trip.action_add_visits_to_daily_report()
            first.with_user(self.rep_shanghai).result = "Wants 20 gates"
            # the day of the second visit has a report already: the visit goes into it
            existing = Report.with_user(self.rep_shanghai).create({"date": second.visit_date})
            action = rep_trip.action_add_visits_to_daily_report()
            report = Report.search([("user_id", "=", self.rep_shanghai.id), ("date", "=", first.visit_date)])
            self.assertEqual(action["res_id"], report.id)
            self.assertRecordValues(report.line_ids, [{
                "channel": "visit", "partner_id": self.customer.id, "lead_id": False,
                "subject": "Show the new gate", "result": "Wants 20 gates",
            }])
            self.assertEqual(first.report_line_id, report.line_ids)
            self.assertEqual(report.visit_count, 1, "the day's figures count the visit")
            self.assertTrue(first.in_daily_report)
            # idempotent: nothing is added twice
            with self.assertRaisesRegex(UserError, "No visit is waiting"):
                rep_trip.action_add_visits_to_daily_report()
            second.with_user(self.rep_shanghai).result = "Site measured"
            rep_trip.action_add_visits_to_daily_report()
            self.assertEqual(len(report.line_ids), 1)
            self.assertRecordValues(existing.line_ids, [{
                "lead_id": self.leads[self.rep_shanghai].id, "partner_id": self.customer.id, "result": "Site measured",
            }])
            self.assertEqual(Report.search_count([("user_id", "=", self.rep_shanghai.id)]), 2)

    def test_all_or_nothing(self):
        trip = self.approved_trip(start_in=1, days=3)
        first, second = trip.visit_ids.sorted("visit_date")
        trip.visit_ids.with_user(self.rep_shanghai).write({"result": "Done"})
        rep_trip = trip.with_user(self.rep_shanghai)
        Report = self.env["sales.daily.report"].with_user(self.rep_shanghai)
        with freeze_time(self.local_noon(first.visit_date)):
            with self.assertRaisesRegex(UserError, "a day still to come"):
                rep_trip.action_add_visits_to_daily_report()
        with freeze_time(self.local_noon(trip.date_end)):
            submitted = Report.create({"date": second.visit_date, "diary": "<p>On the road</p>"})
            submitted.action_submit()
            with self.assertRaisesRegex(UserError, "can no longer be added"):
                rep_trip.action_add_visits_to_daily_report()
            with self.assertRaises(AccessError):
                trip.with_user(self.supervisor).action_add_visits_to_daily_report()
        self.assertFalse(trip.visit_ids.report_line_id)
        self.assertEqual(Report.search([]), submitted, "no report created for the first day either")
        self.assertFalse(submitted.line_ids)

    def test_only_approved_trips(self):
        trip = self.ask()
        with self.assertRaisesRegex(UserError, "once the trip is approved"):
            trip.action_add_visits_to_daily_report()


@tagged("post_install", "-at_install")
class TestSalesBusinessTripUnapprovedAtStart(BusinessTripCommon):

    def flags(self, trips):
        return self.env["mail.activity"].search([
            ("res_model", "=", "sales.business.trip"), ("res_id", "in", trips.ids),
            ("activity_type_id", "=", self.env.ref("sales_team_org.mail_activity_type_trip_unapproved").id),
        ])

    def test_flagged_once_to_the_traveller_and_the_approver(self):
        trip = self.ask(start_in=1)
        trip.action_submit()
        draft = self.ask(start_in=1)
        self.Trip._cron_flag_unapproved_trips()
        self.assertFalse(self.flags(trip), "not before it starts")
        with freeze_time(self.local_noon(trip.date_start)):
            self.Trip._cron_flag_unapproved_trips()
            self.Trip._cron_flag_unapproved_trips()
        self.assertEqual(self.flags(trip).user_id, self.rep_shanghai | self.supervisor)
        self.assertEqual(len(self.flags(trip)), 2, "once each")
        self.assertTrue(trip.late_approval_flagged)
        self.assertFalse(self.flags(draft), "only requests waiting for approval")
        trip.with_user(self.supervisor).action_approve()
        self.assertFalse(self.flags(trip), "approved: nothing left to flag")

    def test_the_flags_go_when_the_trip_is_returned_or_cancelled(self):
        returned, cancelled = self.ask(start_in=1), self.ask(start_in=1)
        (returned | cancelled).action_submit()
        with freeze_time(self.local_noon(returned.date_start)):
            self.Trip._cron_flag_unapproved_trips()
        self.assertEqual(len(self.flags(returned | cancelled)), 4)
        returned.with_user(self.supervisor).review_comment = "Go next week."
        returned.with_user(self.supervisor).action_return()
        cancelled.with_user(self.rep_shanghai).action_cancel()
        self.assertFalse(self.flags(returned | cancelled))

    def test_query_count_does_not_grow_with_the_requests(self):
        def submitted_trips(count):
            users = self.env["res.users"].create([
                {"name": f"T Traveller {i}", "login": f"t_traveller_{count}_{i}", "lang": "en_US",
                 "email": f"t_traveller_{count}_{i}@example.com"}
                for i in range(count)
            ])
            self.env["crm.team.member"].create([
                {"crm_team_id": (self.shanghai if i % 2 else self.north).id, "user_id": user.id,
                 "role_id": self.role_rep.id} for i, user in enumerate(users)
            ])
            customer = self.env["res.partner"].create({"name": "T Visited"})
            start = self.today + timedelta(days=1)
            for user in users:
                trip = self.Trip.with_user(user).create({
                    "name": "Trip", "date_start": start, "date_end": start,
                    "visit_ids": [Command.create({"partner_id": customer.id, "purpose": "Visit"})],
                })
                trip.action_submit()
            return self.Trip.search([("user_id", "in", users.ids)])

        with freeze_time(self.local_noon(self.today + timedelta(days=1))), self.env.cr.savepoint() as savepoint:
            for count in (2, 12):
                if count == 12:
                    savepoint.rollback()
                trips = submitted_trips(count)
                self.env.cr.flush()
                self.env.invalidate_all()
                self.env.registry.clear_cache()
                with self.assertQueryCount(14):
                    self.Trip._cron_flag_unapproved_trips()
                    self.env.cr.flush()
                self.assertEqual(len(self.flags(trips)), 2 * count)


@tagged("post_install", "-at_install")
class TestSalesBusinessTripAccess(BusinessTripCommon):

    def test_who_reads_a_trip(self):
        trip = self.ask()
        trip.action_submit()
        readers = self.rep_shanghai | self.supervisor | self.manager | self.regional_east | self.director
        for person in self.people:
            with self.subTest(person=person.name):
                trips = self.Trip.with_user(person).search([("id", "=", trip.id)])
                visits = self.env["sales.business.trip.visit"].with_user(person).search([("trip_id", "=", trip.id)])
                costs = self.env["sales.business.trip.cost"].with_user(person).search([("trip_id", "=", trip.id)])
                if person in readers:
                    self.assertEqual(trips, trip)
                    self.assertEqual(len(visits), 2)
                    self.assertEqual(len(costs), 1)
                else:
                    self.assertFalse(trips or visits or costs)
                    with self.assertRaises(AccessError):
                        trip.with_user(person).read(["name"])
