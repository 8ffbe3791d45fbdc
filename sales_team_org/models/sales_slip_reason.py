from odoo import api, fields, models
from odoo.exceptions import ValidationError

SLIP_KINDS = [("reward", "Reward"), ("demerit", "Demerit")]


MAX_POINTS = 50  # the slips criterion of a scorecard is 50 + the points, within 0–100


def check_points_and_amount(records):
    """A reward carries points above zero, a demerit points below zero; an amount (a bonus or a
    fine) is zero or more."""
    env = records.env
    for record in records:
        if record.kind == "reward" and record.points <= 0:
            raise ValidationError(env._(
                "A reward carries points above zero, not %(points)s.", points=record.points))
        if record.kind == "demerit" and record.points >= 0:
            raise ValidationError(env._(
                "A demerit carries points below zero (e.g. -2), not %(points)s.", points=record.points))
        if abs(record.points) > MAX_POINTS:
            raise ValidationError(env._(
                "A slip carries at most %(max)s points either way, not %(points)s: the scorecard's slips "
                "criterion is 50 plus the points.", max=MAX_POINTS, points=record.points))
        if record.amount < 0:
            raise ValidationError(env._(
                "An amount is zero or more: write the bonus or the fine without a sign, not %(amount)s.",
                amount=record.amount))


class SalesSlipReason(models.Model):
    """Why a reward slip (奖励单) or a demerit slip (过失单) is written, with the points and the
    amount it usually carries: the sales administrator's catalogue."""

    _name = "sales.slip.reason"
    _description = "Reward or Demerit Reason"
    _order = "kind desc, sequence, id"

    name = fields.Char(required=True, translate=True)
    kind = fields.Selection(SLIP_KINDS, required=True, default="reward")
    points = fields.Integer(
        compute="_compute_points", store=True, readonly=False, precompute=True, required=True,
        help="The points a slip for this reason usually carries: above zero for a reward, below zero for a demerit.",
    )
    company_id = fields.Many2one("res.company", index=True, help="Leave empty to share the reason between companies.")
    currency_id = fields.Many2one(
        "res.currency", compute="_compute_currency_id",
        help="The company's currency; without a company, the current one's.",
    )
    amount = fields.Monetary(
        help="The bonus (reward) or fine (demerit) a slip for this reason usually carries; zero for none.",
    )
    description = fields.Text()
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)

    @api.depends("kind")
    def _compute_points(self):
        for reason in self:
            if reason.kind == "reward" and reason.points <= 0:
                reason.points = 1
            elif reason.kind == "demerit" and reason.points >= 0:
                reason.points = -1

    @api.depends("company_id")
    @api.depends_context("company")
    def _compute_currency_id(self):
        for reason in self:
            reason.currency_id = (reason.company_id or self.env.company).currency_id

    @api.constrains("kind", "points", "amount")
    def _check_points_amount(self):
        check_points_and_amount(self)
