from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .sales_commission_rule import check_bands


class SalesCommissionRuleTier(models.Model):
    """A tier of a tiered rule: the period's total from `amount_from` (included) to `amount_to`
    (excluded; empty: no upper bound) earns `rate`."""

    _name = "sales.commission.rule.tier"
    _description = "Commission Tier"
    _order = "rule_id, amount_from, id"

    rule_id = fields.Many2one("sales.commission.rule", required=True, index=True, ondelete="cascade")
    currency_id = fields.Many2one(related="rule_id.currency_id")
    amount_from = fields.Monetary(string="From", required=True)
    amount_to = fields.Monetary(string="Up To", help="Excluded; empty: no upper bound.")
    rate = fields.Float(string="Rate (%)", digits=(16, 4), required=True)

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

    @api.constrains("amount_from", "amount_to", "rate")
    def _check_tiers(self):
        for rule in self.rule_id:
            if any(not 0 <= tier.rate <= 100 for tier in rule.tier_ids):
                raise ValidationError(self.env._("%(rule)s: a rate is between 0 %% and 100 %%.", rule=rule.name))
            check_bands(self.env, rule, [(t.amount_from, t.amount_to or None) for t in rule.tier_ids],
                        self.env._("tiers"))
