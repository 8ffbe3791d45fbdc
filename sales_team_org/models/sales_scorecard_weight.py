from odoo import api, fields, models
from odoo.exceptions import ValidationError

CRITERIA = [
    ("sales", "Sales against Target"),
    ("growth", "Growth"),
    ("satisfaction", "Customer Satisfaction"),
    ("teamwork", "Teamwork"),
    ("slips", "Rewards and Demerits"),
]


class SalesScorecardWeight(models.Model):
    """How much a criterion counts in the scorecards of a role's holders; a role's weights add
    up to 100 %."""

    _name = "sales.scorecard.weight"
    _description = "Scorecard Criterion Weight"
    _order = "role_id, sequence, id"
    _rec_name = "criterion"

    sequence = fields.Integer(default=10)
    role_id = fields.Many2one("sales.org.role", required=True, ondelete="cascade", index=True)
    criterion = fields.Selection(CRITERIA, required=True)
    weight = fields.Float(string="Weight (%)", digits=(5, 2), help="The share of the criterion in the score, in percent.")

    _sql_constraints = [
        ("role_criterion_unique", "UNIQUE(role_id, criterion)", "A role weighs each scorecard criterion once."),
    ]

    @api.constrains("weight")
    def _check_weight(self):
        for line in self:
            if not 0 <= line.weight <= 100:
                raise ValidationError(self.env._(
                    "A weight is a percentage between 0 and 100, not %(weight)s.", weight=line.weight,
                ))

    @api.model_create_multi
    def create(self, vals_list):
        weights = super().create(vals_list)
        weights._check_role_sums_later(weights.role_id)
        return weights

    def write(self, vals):
        roles = self.role_id
        res = super().write(vals)
        self._check_role_sums_later(roles | self.role_id)
        return res

    def unlink(self):
        self._check_role_sums_later(self.role_id)
        return super().unlink()

    def _check_role_sums_later(self, roles):
        """Weights change one by one (the lines of a role's form are written in turn): their
        roles' sums are checked once all are written, before the transaction commits. Written
        through the role, the role's own constraint checks them at once."""
        precommit = self.env.cr.precommit
        if "sales_scorecard_weight_roles" not in precommit.data:
            precommit.data["sales_scorecard_weight_roles"] = set()
            env = self.env

            @precommit.add
            def check_sums():
                role_ids = precommit.data.pop("sales_scorecard_weight_roles", set())
                env["sales.org.role"].browse(role_ids)._check_scorecard_weights()  # deleted roles have no sums

        precommit.data["sales_scorecard_weight_roles"].update(roles.ids)
