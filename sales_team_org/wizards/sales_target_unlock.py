from odoo import fields, models


class SalesTargetUnlock(models.TransientModel):
    """Unlock agreed targets, with the reason kept in each target's chatter."""

    _name = "sales.target.unlock"
    _description = "Unlock Sales Targets"

    target_ids = fields.Many2many("sales.target", string="Targets", required=True)
    reason = fields.Text(required=True)

    def action_unlock(self):
        self.ensure_one()
        self.target_ids.action_unlock(self.reason)
        return {"type": "ir.actions.act_window_close"}
