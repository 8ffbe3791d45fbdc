from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    sales_region_id = fields.Many2one(
        related="state_id.sales_region_id", store=True, index="btree_not_null", string="Sales Region"
    )
