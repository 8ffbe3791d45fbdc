from odoo import api, fields, models
from odoo.exceptions import ValidationError

LIMIT_KINDS = [
    ("trip_budget", "Business Trip Budget"),
    ("discount", "Price Reduction (%)"),
    ("slip_amount", "Reward or Demerit Slip Amount"),
    ("commission_dispute", "Commission Dispute Amount"),
    ("return_amount", "Return Amount"),
]


class SalesOrgRoleLimit(models.Model):
    """What a role may grant on its own, per kind of request: above it, the request goes up."""

    _name = "sales.org.role.limit"
    _description = "Approval Limit of a Role"
    _order = "role_id, kind"

    role_id = fields.Many2one("sales.org.role", required=True, ondelete="cascade", index=True)
    kind = fields.Selection(LIMIT_KINDS, required=True)
    limit = fields.Float(
        required=True, default=0.0,
        help="A trip budget in the company's currency; a price reduction in percent of the list price.",
    )

    _sql_constraints = [
        ("role_kind_unique", "UNIQUE(role_id, kind)", "A role has one limit per kind of request."),
    ]

    @api.constrains("kind", "limit")
    def _check_limit(self):
        for limit in self:
            if limit.limit < 0:
                raise ValidationError(self.env._("A limit cannot be below zero."))
            if limit.kind == "discount" and limit.limit > 100:
                raise ValidationError(self.env._("A price reduction limit cannot be over 100 %."))
