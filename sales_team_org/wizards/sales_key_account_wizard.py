from odoo import api, fields, models
from odoo.exceptions import UserError


class SalesKeyAccountWizard(models.TransientModel):
    """The director takes a key account over, or hands it back, with the day and the reason."""

    _name = "sales.key.account.wizard"
    _description = "Key-Account Takeover Assistant"

    partner_id = fields.Many2one("res.partner", string="Key Account", required=True, readonly=True)
    mode = fields.Selection([("take_over", "Take Over"), ("hand_back", "Hand Back")], required=True,
                            default="take_over", readonly=True)
    takeover_id = fields.Many2one(related="partner_id.sales_key_account_takeover_id", string="Current Takeover")
    team_id = fields.Many2one(
        "crm.team", string="Managing Unit", compute="_compute_team_id", store=True, readonly=False,
        help="The unit that keeps managing the account and earns its management fee.",
    )
    date = fields.Date(required=True, default=lambda self: self.env.company._sales_org_today(),
                       help="Take over: the first day the account is the director's. Hand back: the first day it "
                            "is the salesperson's again.")
    reason = fields.Text(required=True)

    @api.depends("partner_id")
    def _compute_team_id(self):
        for wizard in self:
            wizard.team_id = wizard.partner_id.commercial_partner_id.user_id.sale_team_id

    def action_confirm(self):
        self.ensure_one()
        if self.mode == "take_over":
            self.env["sales.key.account.takeover"]._take_over(self.partner_id, self.team_id, self.date, self.reason)
        else:
            if not self.takeover_id:
                raise UserError(self.env._("%(customer)s is not taken over: there is nothing to hand back.",
                                           customer=self.partner_id.display_name))
            self.takeover_id._hand_back(self.date, self.reason)
        return {"type": "ir.actions.act_window_close"}
