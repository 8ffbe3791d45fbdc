from odoo import api, fields, models


class SalesCommissionRulePart(models.AbstractModel):
    """A part of a rule version's computation — a tier, an accelerator band, an override level —
    locked with the version once confirmed settlements used it."""

    _name = "sales.commission.rule.part"
    _description = "Part of a Commission Rule"

    rule_id = fields.Many2one("sales.commission.rule", required=True, index=True, ondelete="cascade")

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
