from odoo import fields, models

from ..models.res_partner import CLASSIFICATIONS


class SalesCustomerClassify(models.TransientModel):
    _name = "sales.customer.classify"
    _description = "Classify a Customer"

    partner_id = fields.Many2one("res.partner", string="Customer", required=True)
    classification = fields.Selection(CLASSIFICATIONS, required=True, default="primary")
    reason = fields.Text(help="From the daily reports and the customer's volume.")

    def action_apply(self):
        self.partner_id._set_sales_classification(self.classification, reason=self.reason)
        return {"type": "ir.actions.act_window_close"}
