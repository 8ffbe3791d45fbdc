from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_compare

from ..models.sales_target import PERIOD_TYPES


class SalesTargetBreakdownLine(models.TransientModel):
    """One child target the breakdown assistant proposes: everything is computed by the
    assistant but the amount of a manual split (`action_apply` reads nothing else)."""

    _name = "sales.target.breakdown.line"
    _description = "Sales Target Breakdown Line"
    _order = "wizard_id, sequence, id"

    wizard_id = fields.Many2one("sales.target.breakdown", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(default=10)
    target_type = fields.Selection([("unit", "Unit"), ("person", "Person")], string="For", readonly=True)
    team_id = fields.Many2one("crm.team", string="Unit", readonly=True)
    user_id = fields.Many2one("res.users", string="Person", readonly=True)
    period_type = fields.Selection(PERIOD_TYPES, string="Period", readonly=True)
    date_from = fields.Date(string="From", readonly=True)
    date_to = fields.Date(string="To", readonly=True)
    period_label = fields.Char(string="Period Name", readonly=True)
    weight = fields.Float(
        string="Share (%)", digits=(16, 1), readonly=True,
        help="The part of the target proposed for this line: even, or last year's seasonality or share.",
    )
    last_year_actual = fields.Float(string="Last Year", digits=(16, 2), readonly=True,
                                    help="The actual of the same period one year earlier.")
    currency_id = fields.Many2one(related="wizard_id.currency_id")
    amount = fields.Float(string="Target", digits=(16, 2))
    existing_target_id = fields.Many2one(
        "sales.target", readonly=True,
        help="The target already set for this line: a draft is updated, an agreed one is refused.",
    )
    existing_state = fields.Selection(related="existing_target_id.state", string="Existing Status")
    can_set = fields.Boolean(
        readonly=True, help="Whether you set this target; one set by a leader above you is kept as it is.",
    )

    @api.constrains("amount")
    def _check_amount(self):
        for line in self:
            if float_compare(line.amount, 0.0, precision_digits=2) < 0:
                raise ValidationError(self.env._(
                    "A target cannot be below zero (%(line)s).", line=line._label(),
                ))

    def _label(self):
        self.ensure_one()
        owner = self.user_id.name if self.target_type == "person" else self.team_id.name
        return " · ".join(filter(None, [owner, self.period_label]))
