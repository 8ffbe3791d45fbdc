from datetime import timedelta

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common_commission import SalesCommissionCommon


@tagged("post_install", "-at_install")
class TestSalesCommissionConfirmedMonths(SalesCommissionCommon):
    """A confirmed month is changed by nothing but a rule correction, and never paid twice."""

    def setUp(self):
        super().setUp()
        self.flat = self.rule("T Flat", rate=1)
        self.idle = self.rule("T Idle", rate=0, date_from="2020-01-01")  # pays nothing: no line ever names it
        self.order(self.rep_shanghai, 1000, self.shanghai, self.day(5))
        self.compute()
        self.Settlement.sudo().search([("date_from", "=", self.month)]).with_user(self.admin).action_confirm()

    def test_a_later_bonus_rule_pays_no_earlier_month(self):
        self.person_target(self.rep_shanghai, self.shanghai, 500)  # achieved twice over in the month
        bonus = self.rule("T Bonus", rule_type="target_bonus", bonus_amount=777, date_from=self.next_month)
        self.compute(self.next_month)
        self.assertFalse(self.lines(rule=bonus, month=self.next_month))

    def test_a_month_adjusted_later_is_not_paid_again(self):
        # the north's rep had nothing when the month was confirmed; an order dated back in it
        self.order(self.rep_north, 2000, self.north, self.day(6))
        self.compute(self.next_month)
        adjustment = self.lines(self.rep_north, kind="adjustment", month=self.next_month)
        self.assertEqual(sum(adjustment.mapped("amount")), 20)
        self.assertEqual(adjustment.period_date, self.month)
        self.compute()  # the month once more: the adjustment stands, nothing twice
        self.assertFalse(self.settlement(self.rep_north))
        self.compute(self.next_month)
        self.assertEqual(sum(self.lines(self.rep_north, month=self.next_month).mapped("amount")), 20)

    def test_nothing_is_dated_into_a_confirmed_month(self):
        Takeover = self.env["sales.key.account.takeover"]
        with self.assertRaisesRegex(UserError, "is confirmed"):
            self.idle.with_user(self.admin)._new_version(self.month)
        with self.assertRaisesRegex(UserError, "is confirmed"):
            self.rule("T Late", rate=5, date_from=self.day(1))
        later = self.rule("T Later", rate=2, date_from=self.next_month)
        with self.assertRaisesRegex(UserError, "is confirmed"):
            later.write({"date_from": self.day(1)})
        with self.assertRaisesRegex(UserError, "is confirmed"):
            Takeover.with_user(self.director)._take_over(self.key_account, self.shanghai, self.day(10), "T Late")
        # after the confirmed month: as usual
        version = self.flat.with_user(self.admin)._new_version(self.next_month)
        self.assertEqual(version.date_from, self.next_month)
        self.assertTrue(Takeover.with_user(self.director)._take_over(
            self.key_account, self.shanghai, self.next_month, "T Too big for the team"))

    def test_only_the_director_who_took_it_over_hands_it_back(self):
        takeover = self.env["sales.key.account.takeover"].with_user(self.director)._take_over(
            self.key_account, self.shanghai, self.next_month, "T Too big for the team")
        other = new_test_user(self.env, login="t_other_director", name="T Other Director",
                              groups="sales_team.group_sale_salesman_all_leads")
        with self.assertRaises(AccessError):
            takeover.with_user(other)._hand_back(self.today, "T Mine now")
        takeover.with_user(self.admin)._hand_back(self.next_month + timedelta(days=1), "T Back to the team")
        self.assertEqual(takeover.date_to, self.next_month)


    def test_a_rule_valid_in_a_confirmed_month_is_locked(self):
        # it paid nothing, yet a rate now would pay the confirmed month
        with self.assertRaisesRegex(UserError, "valid in confirmed months"):
            self.idle.with_user(self.admin).rate = 10
        self.idle.with_user(self.admin).action_archive()
        with self.assertRaisesRegex(UserError, "valid in confirmed months"):
            self.idle.with_user(self.admin).action_unarchive()
        with self.assertRaisesRegex(UserError, "first day of a month"):
            self.flat.with_user(self.admin)._new_version(self.next_month + timedelta(days=14))

    def test_a_month_is_confirmed_once_it_has_ended(self):
        self.order(self.rep_shanghai, 1000, self.shanghai, self.today)
        settlement = self.compute(self.this_month).filtered(lambda s: s.user_id == self.rep_shanghai)
        with self.assertRaisesRegex(UserError, "once it has ended"):
            settlement.with_user(self.admin).action_confirm()

@tagged("post_install", "-at_install")
class TestSalesCommissionDisputeLimits(SalesCommissionCommon):
    """A line is disputed once at a time; what is granted stays within the claim."""

    def test_one_dispute_a_line_within_the_claim(self):
        self.rule("T Flat", rate=1)
        self.order(self.rep_shanghai, 1000, self.shanghai, self.day(5))
        self.compute()
        self.Settlement.sudo().search([("date_from", "=", self.month)]).with_user(self.admin).action_confirm()
        line = self.lines(self.rep_shanghai, kind="own")
        Dispute = self.env["sales.commission.dispute"].with_user(self.rep_shanghai)
        nothing = Dispute.create({"line_id": line.id, "description": "T Something is wrong"})
        with self.assertRaisesRegex(UserError, "how much"):
            nothing.action_submit()
        nothing.action_cancel()
        dispute = Dispute.create({"line_id": line.id, "description": "T An order is missing", "amount_claimed": 5})
        with self.assertRaisesRegex(ValidationError, "already disputed"), self.env.cr.savepoint():
            Dispute.create({"line_id": line.id, "description": "T Again", "amount_claimed": 5})
        dispute.action_submit()
        approver = dispute.approver_id
        dispute.with_user(approver).write({"amount_granted": 50, "review_comment": "T"})
        with self.assertRaisesRegex(UserError, "at most what was claimed"):
            dispute.with_user(approver).action_approve()
        dispute.with_user(approver).amount_granted = -5
        with self.assertRaisesRegex(UserError, "at most what was claimed"):
            dispute.with_user(approver).action_approve()
        dispute.with_user(approver).amount_granted = 4
        while dispute.state == "submitted":  # no role grants disputes here: up to the top of the tree
            dispute.with_user(dispute.approver_id or self.admin).action_approve()
        self.assertEqual(dispute.state, "approved")
        self.assertEqual(dispute.adjustment_line_id.amount, 4)
        with self.assertRaisesRegex(ValidationError, "already disputed"), self.env.cr.savepoint():
            Dispute.create({"line_id": line.id, "description": "T Once more", "amount_claimed": 1})
