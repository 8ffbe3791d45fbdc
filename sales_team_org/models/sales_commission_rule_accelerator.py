from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .sales_commission_rule import check_bands


class SalesCommissionRuleAccelerator(models.Model):
    """An accelerator of a rule: when the person's target of the period is achieved from
    `achievement_from` % (included) to `achievement_to` % (excluded; empty: above), the rule's
    commission is multiplied by `multiplier` %."""

    _name = "sales.commission.rule.accelerator"
    _inherit = ["sales.commission.rule.part"]
    _description = "Commission Accelerator"
    _order = "rule_id, achievement_from, id"

    achievement_from = fields.Float(string="Achievement From (%)", required=True)
    achievement_to = fields.Float(string="Achievement Up To (%)", help="Excluded; empty: no upper bound.")
    multiplier = fields.Float(string="Commission Paid (%)", required=True, default=100.0,
                              help="100: as computed; 50: half; 150: half as much again.")

    @api.constrains("achievement_from", "achievement_to", "multiplier")
    def _check_accelerators(self):
        for rule in self.rule_id:
            if any(band.multiplier < 0 for band in rule.accelerator_ids):
                raise ValidationError(self.env._("%(rule)s: an accelerator pays 0 %% or more.", rule=rule.name))
            check_bands(self.env, rule, [(b.achievement_from, b.achievement_to or None) for b in rule.accelerator_ids],
                        self.env._("accelerators"))
