from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .sales_org_guard import check_system_fields

COST_TYPES = [("transport", "Transport"), ("lodging", "Lodging"), ("meals", "Meals"), ("other", "Other")]


class SalesBusinessTripCost(models.Model):
    """A cost of a business trip: expected when it is asked for (the budget is their sum),
    actual after it."""

    _name = "sales.business.trip.cost"
    _inherit = ["sales.org.guarded.mixin"]
    _description = "Cost of a Business Trip"
    _order = "trip_id, sequence, id"
    _check_company_auto = True
    _sales_org_system_fields = frozenset({"user_id", "company_id"})
    # once approved: what was spent, on the lines asked for or on new ones with nothing expected
    _after_trip_fields = frozenset({"actual_amount", "description"})

    trip_id = fields.Many2one("sales.business.trip", string="Business Trip", required=True, ondelete="cascade",
                              index=True)
    sequence = fields.Integer(default=10)
    user_id = fields.Many2one(related="trip_id.user_id", store=True, index=True)
    company_id = fields.Many2one(related="trip_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="trip_id.currency_id")
    cost_type = fields.Selection(COST_TYPES, string="Type", required=True, default="other")
    description = fields.Char(string="Details")
    expected_amount = fields.Monetary(string="Expected")
    actual_amount = fields.Monetary(string="Actual")
    difference = fields.Monetary(
        compute="_compute_difference", help="Actual less expected: above zero, over budget.",
    )

    @api.depends("expected_amount", "actual_amount")
    def _compute_difference(self):
        for cost in self:
            cost.difference = cost.actual_amount - cost.expected_amount

    @api.constrains("expected_amount", "actual_amount")
    def _check_amounts(self):
        for cost in self:
            if cost.expected_amount < 0 or cost.actual_amount < 0:
                raise ValidationError(self.env._(
                    "A cost is zero or more, not %(amount)s.", amount=min(cost.expected_amount, cost.actual_amount),
                ))

    @api.model_create_multi
    def create(self, vals_list):
        trips = self.env["sales.business.trip"].browse({vals.get("trip_id") for vals in vals_list} - {None, False})
        trips._check_lines_write({fname for vals in vals_list for fname, value in vals.items() if value}
                                 - {"trip_id", "cost_type", "sequence"}, self._after_trip_fields)
        return super().create(vals_list)

    def write(self, vals):
        check_system_fields(self, vals, {"trip_id"})
        self.trip_id._check_lines_write(set(vals), self._after_trip_fields)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_while_asked(self):
        self.trip_id._check_lines_write({"trip_id"}, set())
