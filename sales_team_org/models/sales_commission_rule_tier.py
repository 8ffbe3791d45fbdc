from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .sales_commission_rule import check_bands


class SalesCommissionRuleTier(models.Model):
    """A tier of a tiered rule: the period's total from `amount_from` (included) to `amount_to`
    (excluded; empty: no upper bound) earns `rate`."""

    _name = "sales.commission.rule.tier"
    _inherit = ["sales.commission.rule.part"]
    _description = "Commission Tier"
    _order = "rule_id, amount_from, id"

    currency_id = fields.Many2one(related="rule_id.currency_id")
    amount_from = fields.Monetary(string="From", required=True)
    amount_to = fields.Monetary(string="Up To", help="Excluded; empty: no upper bound.")
    rate = fields.Float(string="Rate (%)", digits=(16, 4), required=True)

    @api.constrains("amount_from", "amount_to", "rate")
    def _check_tiers(self):
        for rule in self.rule_id:
            if any(not 0 <= tier.rate <= 100 for tier in rule.tier_ids):
                raise ValidationError(self.env._("%(rule)s: a rate is between 0 %% and 100 %%.", rule=rule.name))
            check_bands(self.env, rule, [(t.amount_from, t.amount_to or None) for t in rule.tier_ids],
                        self.env._("tiers"))
