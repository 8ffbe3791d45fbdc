from odoo import fields, models

from .res_partner import CLASSIFICATIONS


class SalesCustomerClassification(models.Model):
    """History of a customer's classification (主攻/次攻/普通) in a company: who, when, why.

    Written only through res.partner._set_sales_classification (users may only read it).
    """

    _name = "sales.customer.classification"
    _description = "Customer Classification"
    _order = "create_date desc, id desc"

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, ondelete="cascade", index=True,
        domain=[("is_company", "=", True)],
    )
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    classification = fields.Selection(CLASSIFICATIONS, required=True)
    previous_classification = fields.Selection(CLASSIFICATIONS, readonly=True)
    reason = fields.Text()
    user_id = fields.Many2one("res.users", string="Classified By", default=lambda self: self.env.user, readonly=True)
    create_date = fields.Datetime(string="Date", readonly=True)
