from odoo import api, fields, models
from odoo.exceptions import ValidationError


class SalesCommissionRuleLevel(models.Model):
    """The override rate of the leaders `level` units above a sale: 1 is the leader of the unit
    the sale was made in, 2 the leader of the unit above, and so on."""

    _name = "sales.commission.rule.level"
    _inherit = ["sales.commission.rule.part"]
    _description = "Override Level"
    _order = "rule_id, level"

    level = fields.Integer(required=True, default=1)
    rate = fields.Float(string="Rate (%)", digits=(16, 4), required=True)

    _sql_constraints = [("level_uniq", "UNIQUE (rule_id, level)", "Each level of an override has one rate.")]

    @api.constrains("level", "rate")
    def _check_level(self):
        for line in self:
            if line.level < 1:
                raise ValidationError(self.env._("Override levels start at 1, the leader of the sale's unit."))
            if not 0 <= line.rate <= 100:
                raise ValidationError(self.env._("%(rule)s: a rate is between 0 %% and 100 %%.",
                                                 rule=line.rule_id.name))
