from odoo import api, fields, models
from odoo.exceptions import UserError


class SalesCommissionRuleVersion(models.TransientModel):
    """Change a commission rule: a new version from a date (the periods before keep the current
    one), or a correction of a mistake in place, with its reason (the confirmed periods it
    changes are adjusted in the next open one)."""

    _name = "sales.commission.rule.version"
    _description = "New Version or Correction of a Rule"

    rule_id = fields.Many2one("sales.commission.rule", required=True, readonly=True)
    rule_type = fields.Selection(related="rule_id.rule_type")
    currency_id = fields.Many2one(related="rule_id.currency_id")
    mode = fields.Selection([("new_version", "New Version"), ("correct", "Correction")], required=True,
                            default="new_version", readonly=True)
    date_from = fields.Date(string="New Version From",
                            default=lambda self: fields.Date.add(
                                self.env.company._sales_org_today().replace(day=1), months=1))
    reason = fields.Text(help="Kept in the rule's history.")
    rate = fields.Float(string="Rate (%)", digits=(16, 4), compute="_compute_values", store=True, readonly=False)
    bonus_amount = fields.Monetary(string="Bonus", compute="_compute_values", store=True, readonly=False)
    bonus_threshold = fields.Float(string="Achievement Needed (%)", compute="_compute_values", store=True,
                                   readonly=False)
    fee_permille = fields.Float(string="Fee (‰)", digits=(16, 4), compute="_compute_values", store=True,
                                readonly=False)

    _CORRECTED_FIELDS = ("rate", "bonus_amount", "bonus_threshold", "fee_permille")

    @api.depends("rule_id")
    def _compute_values(self):
        for wizard in self:
            for fname in self._CORRECTED_FIELDS:
                wizard[fname] = wizard.rule_id[fname]

    def action_apply(self):
        self.ensure_one()
        rule = self.rule_id
        if self.mode == "new_version":
            if not self.date_from:
                raise UserError(self.env._("Say from which day the new version applies."))
            version = rule._new_version(self.date_from)
            return {
                "type": "ir.actions.act_window",
                "res_model": "sales.commission.rule",
                "res_id": version.id,
                "view_mode": "form",
                "target": "current",
            }
        rule._correct({fname: self[fname] for fname in self._CORRECTED_FIELDS if self[fname] != rule[fname]},
                      self.reason)
        return {"type": "ir.actions.act_window_close"}
