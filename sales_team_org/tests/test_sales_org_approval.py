"""The approval engine: routed by the tree at each step, by what each role may grant; absent
leaders skipped or stood in for; pending steps following the tree; reminded, then handed up."""
from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import SalesOrgTripCommon


@tagged("post_install", "-at_install")
class TestSalesOrgApproval(SalesOrgTripCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.todo = cls.env.ref("sales_team_org.mail_activity_type_approval")

    def waiting_for(self, trip):
        step = trip.approval_step_ids.filtered(lambda step: step.state == "pending")
        self.assertEqual(len(step), 1, "one step waits at a time")
        self.assertEqual(trip.approver_id, step.approver_id)
        activity = trip.activity_ids.filtered(lambda activity: activity.activity_type_id == self.todo)
        self.assertEqual(activity.user_id, step.approver_id, "the pending step is its approver's activity")
        return step.approver_id

    def test_routing_follows_what_each_role_may_grant(self):
        # the rep's line: supervisor (1000) → manager (3000) → regional (10000) → director (top)
        cases = [
            (800, [self.supervisor]),
            (1000, [self.supervisor]),  # a limit is what the role may grant, itself included
            (2500, [self.supervisor, self.manager]),
            (9000, [self.supervisor, self.manager, self.regional_east]),
            (50000, [self.supervisor, self.manager, self.regional_east, self.director]),
        ]
        for budget, approvers in cases:
            with self.subTest(budget=budget):
                trip = self.submitted(self.rep_shanghai, budget)
                for approver in approvers:
                    self.assertEqual(trip.state, "submitted")
                    self.assertEqual(self.waiting_for(trip), approver)
                    trip.with_user(approver).action_approve()
                self.assertEqual(trip.state, "approved")
                history = trip.approval_step_ids
                self.assertEqual(history.mapped("decided_by_id"), history.mapped("leader_id"))
                self.assertEqual(history.leader_id.ids, [a.id for a in approvers])
                self.assertEqual(set(history.mapped("amount")), {budget})
                self.assertFalse(trip.activity_ids.filtered(lambda activity: activity.activity_type_id == self.todo))

    def test_a_leader_asks_the_leader_above_and_never_approves_their_own(self):
        trip = self.submitted(self.manager, 500)
        self.assertEqual(self.waiting_for(trip), self.regional_east)
        with self.assertRaisesRegex(AccessError, "your own"):
            trip.with_user(self.manager).action_approve()
        with self.assertRaises(AccessError):
            trip.with_user(self.supervisor).action_approve()  # below the requester
        trip.with_user(self.regional_east).action_approve()
        self.assertEqual(trip.state, "approved")
        # the top of the tree: nobody above, the sales administrator decides
        top = self.submitted(self.director, 90000)
        self.assertFalse(top.approver_id)
        with self.assertRaises(AccessError):
            top.with_user(self.director).action_approve()
        admin = self.env["res.users"].create({
            "name": "T Sales Admin", "login": "t_sales_admin",
            "groups_id": [Command.set(self.env.ref("sales_team.group_sale_manager").ids)]})
        top.with_user(admin).action_approve()
        self.assertEqual(top.state, "approved")

    def test_a_leader_above_may_take_over_and_grants_what_they_may(self):
        trip = self.submitted(self.rep_shanghai, 2500)
        trip.with_user(self.manager).action_approve()  # instead of the supervisor, within their own 3000
        self.assertEqual(trip.state, "approved")
        self.assertEqual(trip.approval_step_ids.note, "taken_over")
        self.assertEqual(trip.approval_step_ids.decided_by_id, self.manager)
        # beyond their own limit: on above them, not back down to the leaders they passed
        large = self.submitted(self.rep_shanghai, 50000)
        large.with_user(self.regional_east).action_approve()
        self.assertEqual(self.waiting_for(large), self.director)

    def test_the_top_of_a_line_is_not_the_top_of_the_tree(self):
        # the director's seat is empty: the regional director is the last leader of the line, with a limit
        self.env["crm.team.member"].search([("user_id", "=", self.director.id)]).action_archive()
        trip = self.submitted(self.rep_shanghai, 50000)
        for leader in (self.supervisor, self.manager, self.regional_east):
            trip.with_user(leader).action_approve()
        self.assertEqual(trip.state, "submitted", "beyond every limit on the line")
        self.assertFalse(trip.approver_id, "the sales administrator decides")
        pending = trip.approval_step_ids.filtered(lambda step: step.state == "pending")
        self.assertFalse(pending.leader_id)

    def test_a_new_round_starts_from_the_first_leader(self):
        trip = self.submitted(self.rep_shanghai, 2500)
        trip.with_user(self.supervisor).write({"review_comment": "Take the train."})
        trip.with_user(self.supervisor).action_approve()
        self.assertEqual(self.waiting_for(trip), self.manager)
        with self.assertRaisesRegex(UserError, "comment"):
            trip.with_user(self.manager).action_return()  # the supervisor's comment is not the manager's
        trip.with_user(self.manager).write({"review_comment": "Fewer nights."})
        trip.with_user(self.manager).action_return()
        trip.with_user(self.rep_shanghai).action_submit()
        self.assertEqual(self.waiting_for(trip), self.supervisor, "the changed request is seen again from below")
        self.assertFalse(trip.review_comment)

    def test_repeated_ids_make_one_step(self):
        trip = self.trip(self.rep_shanghai, 500)
        trip.browse([trip.id, trip.id]).with_user(self.rep_shanghai).action_submit()
        self.assertEqual(len(trip.approval_step_ids), 1)
        trip.browse([trip.id, trip.id]).with_user(self.supervisor).action_approve()
        self.assertEqual((trip.state, len(trip.approval_step_ids)), ("approved", 1))

    def leave(self, person):
        now = fields.Datetime.now()
        resource = self.env["resource.resource"].create({"name": person.name, "user_id": person.id})
        return self.env["resource.calendar.leaves"].create({
            "name": "Annual leave", "resource_id": resource.id, "calendar_id": self.env.company.resource_calendar_id.id,
            "date_from": now - timedelta(days=1), "date_to": now + timedelta(days=2),
        })

    def test_an_absent_leader_is_skipped_or_stood_in_for(self):
        self.leave(self.supervisor)
        trip = self.submitted(self.rep_shanghai, 500)
        self.assertEqual(self.waiting_for(trip), self.manager, "on leave, nobody named: the next leader up")
        skipped = trip.approval_step_ids.filtered(lambda step: step.state == "skipped")
        self.assertEqual((skipped.leader_id, skipped.note), (self.supervisor, "absent"))

        # the supervisor names the clerk for their leave: the clerk decides with the supervisor's limit
        self.env["sales.org.delegation"].with_user(self.supervisor).create({
            "delegate_id": self.clerk_east.id, "date_from": self.today - timedelta(days=1),
            "date_to": self.today + timedelta(days=1)})
        delegated = self.submitted(self.rep_shanghai, 2500)
        self.assertEqual(self.waiting_for(delegated), self.clerk_east)
        step = delegated.approval_step_ids
        self.assertEqual((step.leader_id, step.note, step.limit), (self.supervisor, "delegated", 1000))
        delegated.with_user(self.clerk_east).action_approve()
        self.assertEqual(self.waiting_for(delegated), self.manager, "beyond the supervisor's 1000")

        # an archived leader is away for good
        self.manager.sudo().action_archive()
        archived = self.submitted(self.clerk_east, 500)
        self.assertEqual(self.waiting_for(archived), self.regional_east)

    def test_nobody_stands_in_for_themselves(self):
        self.leave(self.supervisor)
        self.env["sales.org.delegation"].with_user(self.supervisor).create({
            "delegate_id": self.rep_shanghai.id, "date_from": self.today, "date_to": self.today})
        trip = self.submitted(self.rep_shanghai, 500)
        self.assertEqual(self.waiting_for(trip), self.manager, "the delegate is the requester: next up")

    def test_delegations_refuse_bad_input_and_others_delegates(self):
        Delegation = self.env["sales.org.delegation"].with_user(self.supervisor)
        with self.assertRaisesRegex(ValidationError, "end before it starts"):
            Delegation.create({"delegate_id": self.clerk_east.id, "date_from": self.today,
                               "date_to": self.today - timedelta(days=1)})
        with self.assertRaisesRegex(ValidationError, "someone else"):
            Delegation.create({"delegate_id": self.supervisor.id})
        with self.assertRaises(AccessError):
            Delegation.create({"user_id": self.manager.id, "delegate_id": self.clerk_east.id})
        mine = Delegation.create({"delegate_id": self.clerk_east.id})
        with self.assertRaises(AccessError):
            mine.with_user(self.clerk_east).write({"date_to": self.today + timedelta(days=30)})

    def test_pending_steps_follow_the_tree(self):
        trip = self.submitted(self.rep_shanghai, 500)
        self.assertEqual(self.waiting_for(trip), self.supervisor)
        # the supervisor moves to the North region: the trip now waits for the unit manager
        self.env["crm.team.member"].search([("user_id", "=", self.supervisor.id)]).crm_team_id = self.north
        self.assertEqual(self.waiting_for(trip), self.manager)
        self.assertEqual(trip.approval_step_ids.filtered(lambda step: step.state == "cancelled").leader_id,
                         self.supervisor, "the history keeps where it waited first")
        with self.assertRaises(AccessError):
            trip.with_user(self.supervisor).action_approve()
        trip.with_user(self.manager).action_approve()
        self.assertEqual(trip.state, "approved")

    def test_a_change_of_the_tree_moves_only_the_steps_it_concerns(self):
        handed_up = self.submitted(self.rep_shanghai, 2500)
        handed_up.with_user(self.supervisor).action_approve()
        north = self.submitted(self.rep_north, 500)
        before = self.env["sales.org.approval.step"].search_count([])
        self.env["sales.org.approval.mixin"]._refresh_all_approvers()
        self.assertEqual(self.env["sales.org.approval.step"].search_count([]), before, "nothing moved, nothing new")
        # the manager leaves the East unit: the trip the supervisor passed on goes to the regional director
        self.env["crm.team.member"].search([("user_id", "=", self.manager.id)]).crm_team_id = self.north
        self.assertEqual(self.waiting_for(handed_up), self.regional_east)
        self.assertEqual(handed_up.approval_step_ids.filtered(lambda step: step.state == "approved").leader_id,
                         self.supervisor, "who already approved stays behind")
        self.assertEqual(len(north.approval_step_ids), 1, "a request elsewhere in the tree is not touched")

    def test_following_the_tree_costs_the_same_for_two_requests_or_eight(self):
        counts = []
        for size in (2, 8):
            for _i in range(size):
                self.submitted(self.rep_shanghai, 500)
            self.env.flush_all()
            self.env.invalidate_all()
            start = self.env.cr.sql_log_count
            self.env["sales.org.approval.mixin"]._refresh_all_approvers()
            counts.append(self.env.cr.sql_log_count - start)
        self.assertEqual(counts[0], counts[1])

    def test_return_refuse_cancel(self):
        trip = self.submitted(self.rep_shanghai, 500)
        with self.assertRaisesRegex(UserError, "comment"):
            trip.with_user(self.supervisor).action_return()
        trip.with_user(self.supervisor).write({"review_comment": "Add the second dealer."})
        trip.with_user(self.supervisor).action_return()
        self.assertEqual(trip.state, "returned")
        self.assertEqual(trip.approval_step_ids.comment, "Add the second dealer.")
        trip.with_user(self.rep_shanghai).action_submit()
        self.assertEqual(self.waiting_for(trip), self.supervisor)
        self.assertEqual(trip.approval_step_ids.mapped("round"), [1, 2])
        trip.with_user(self.supervisor).write({"review_comment": "Not this month."})
        trip.with_user(self.supervisor).action_refuse()
        self.assertEqual(trip.state, "refused")
        with self.assertRaises(UserError):
            trip.with_user(self.rep_shanghai).action_cancel()  # decided
        other = self.submitted(self.rep_shanghai, 500)
        with self.assertRaises(AccessError):
            other.with_user(self.supervisor).action_cancel()
        other.with_user(self.rep_shanghai).action_cancel()
        self.assertEqual(other.state, "cancelled")
        self.assertEqual(other.approval_step_ids.state, "cancelled")
        self.assertFalse(other.activity_ids.filtered(lambda activity: activity.activity_type_id == self.todo))

    def test_steps_are_the_engines_and_readable_by_those_concerned(self):
        trip = self.submitted(self.rep_shanghai, 500)
        Step = self.env["sales.org.approval.step"]
        with self.assertRaises(AccessError):
            Step.with_user(self.rep_shanghai).create({
                "res_model": trip._name, "res_id": trip.id, "requester_id": self.rep_shanghai.id,
                "company_id": self.env.company.id})
        with self.assertRaises(AccessError):
            trip.approval_step_ids.with_user(self.supervisor).write({"state": "approved"})
        for person in (self.rep_shanghai, self.supervisor, self.manager, self.director):
            with self.subTest(person=person.login):
                self.assertEqual(Step.with_user(person).search([("res_id", "=", trip.id),
                                                                ("res_model", "=", trip._name)]),
                                 trip.approval_step_ids)
        self.assertFalse(Step.with_user(self.rep_north).search([("res_id", "=", trip.id)]))
        to_approve = [("state", "=", "pending"), ("approver_id", "=", self.supervisor.id)]  # the menu's filter
        self.assertEqual(Step.with_user(self.supervisor).search(to_approve).res_id, trip.id)

    def test_limits_refuse_bad_input(self):
        Limit = self.env["sales.org.role.limit"]
        with self.assertRaisesRegex(ValidationError, "below zero"):
            Limit.create({"role_id": self.role_rep.id, "kind": "trip_budget", "limit": -1})
        with self.assertRaisesRegex(ValidationError, "100"):
            Limit.create({"role_id": self.role_rep.id, "kind": "discount", "limit": 120})

    # ------------------------------------------------------------------
    # Reminders and escalation
    # ------------------------------------------------------------------

    def age(self, trips, column, days=30):
        """Make the pending steps of `trips` look `days` old for `column` (create_date or reminded_date)."""
        self.env.flush_all()
        self.env.cr.execute(
            f"UPDATE sales_org_approval_step SET {column} = now() at time zone 'utc' - %s * interval '1 day' "
            "WHERE res_model = %s AND res_id IN %s AND state = 'pending'", [days, trips._name, tuple(trips.ids)])
        self.env.invalidate_all()

    def run_cron(self):
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        self.env["sales.org.approval.mixin"]._cron_approval_reminders()
        self.env.flush_all()
        return self.env.cr.sql_log_count - before

    def test_reminded_once_then_handed_up_once(self):
        self.env.company.sales_org_approval_hours = 8
        trip = self.submitted(self.rep_shanghai, 500)
        self.run_cron()
        self.assertFalse(trip.approval_step_ids.reminded_date, "not waiting long enough yet")
        self.age(trip, "create_date")
        mails = self.env["mail.mail"].search([]).ids
        self.run_cron()
        step = trip.approval_step_ids
        reminded = step.reminded_date
        self.assertTrue(reminded)
        reminder = self.env["mail.mail"].search([("id", "not in", mails)])
        self.assertEqual(len(reminder), 1)
        self.assertIn(trip.name, str(reminder.body_html))
        messages = len(trip.message_ids)
        self.run_cron()
        self.assertEqual((step.reminded_date, len(trip.message_ids)), (reminded, messages), "reminded once")
        self.assertFalse(self.env["mail.mail"].search([("id", "not in", mails + reminder.ids)]), "reminded once")

        self.age(trip, "reminded_date")
        self.run_cron()
        self.assertEqual(step.state, "escalated")
        self.assertEqual(self.waiting_for(trip), self.manager)
        self.run_cron()
        self.assertEqual(len(trip.approval_step_ids), 2, "handed up once")
        trip.with_user(self.manager).action_approve()
        self.assertEqual(trip.state, "approved")

    def test_reminders_cost_the_same_for_two_requests_or_eight(self):
        self.env.company.sales_org_approval_hours = 8
        counts = []
        for size in (2, 2, 8):  # the first round warms the caches
            trips = self.env["sales.business.trip"].union(*(
                self.submitted(self.rep_shanghai if index % 2 else self.clerk_east, 500) for index in range(size)))
            self.age(trips, "create_date")
            reminding = self.run_cron()
            self.age(trips, "reminded_date")
            escalating = self.run_cron()
            self.assertEqual(set(trips.mapped("state")), {"submitted"})
            self.assertEqual(trips.approver_id, self.manager | self.regional_east)
            counts.append((reminding, escalating))
            trips.approval_step_ids.sudo().write({"state": "cancelled"})
        self.assertEqual(counts[1], counts[2])
