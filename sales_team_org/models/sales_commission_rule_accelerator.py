from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .sales_commission_rule import check_bands


class SalesCommissionRuleAccelerator(models.Model):
    """An accelerator of a rule: when the person's target of the period is achieved from
    `achievement_from` % (included) to `achievement_to` % (excluded; empty: above), the rule's
    commission is multiplied by `multiplier` %."""

    _name = "sales.commission.rule.accelerator"
    _description = "Commission Accelerator"
    _order = "rule_id, achievement_from, id"

    rule_id = fields.Many2one("sales.commission.rule", required=True, index=True, ondelete="cascade")
    achievement_from = fields.Float(string="Achievement From (%)", required=True)
    achievement_to = fields.Float(string="Achievement Up To (%)", help="Excluded; empty: no upper bound.")
    multiplier = fields.Float(string="Commission Paid (%)", required=True, default=100.0,
                              help="100: as computed; 50: half; 150: half as much again.")

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

    @api.constrains("achievement_from", "achievement_to", "multiplier")
    def _check_accelerators(self):
        for rule in self.rule_id:
            if any(band.multiplier < 0 for band in rule.accelerator_ids):
                raise ValidationError(self.env._("%(rule)s: an accelerator pays 0 %% or more.", rule=rule.name))
            check_bands(self.env, rule, [(b.achievement_from, b.achievement_to or None) for b in rule.accelerator_ids],
                        self.env._("accelerators"))
