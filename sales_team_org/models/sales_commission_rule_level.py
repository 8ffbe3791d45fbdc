from odoo import api, fields, models
from odoo.exceptions import ValidationError


class SalesCommissionRuleLevel(models.Model):
    """The override rate of the leaders `level` units above a sale: 1 is the leader of the unit
    the sale was made in, 2 the leader of the unit above, and so on."""

    _name = "sales.commission.rule.level"
    _description = "Override Level"
    _order = "rule_id, level"

    rule_id = fields.Many2one("sales.commission.rule", required=True, index=True, ondelete="cascade")
    level = fields.Integer(required=True, default=1)
    rate = fields.Float(string="Rate (%)", digits=(16, 4), required=True)

    _sql_constraints = [("level_uniq", "UNIQUE (rule_id, level)", "Each level of an override has one rate.")]

    # the bands of a version confirmed settlements used are part of its computation
    @api.model_create_multi
    def create(self, vals_list):
        self.env["sales.commission.rule"].browse(
            {vals.get("rule_id") for vals in vals_list} - {None, False})._check_computation_editable()
        return super().create(vals_list)

    def write(self, vals):
        self.rule_id._check_computation_editable()
        if vals.get("rule_id"):
            self.rule_id.browse(vals["rule_id"])._check_computation_editable()
        return super().write(vals)

    def unlink(self):
        self.rule_id._check_computation_editable()
        return super().unlink()

    @api.constrains("level", "rate")
    def _check_level(self):
        for line in self:
            if line.level < 1:
                raise ValidationError(self.env._("Override levels start at 1, the leader of the sale's unit."))
            if not 0 <= line.rate <= 100:
                raise ValidationError(self.env._("%(rule)s: a rate is between 0 %% and 100 %%.",
                                                 rule=line.rule_id.name))
