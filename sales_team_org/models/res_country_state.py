from odoo import fields, models


class ResCountryState(models.Model):
    _inherit = "res.country.state"

    sales_region_id = fields.Many2one(
        "sales.org.region", index="btree_not_null", ondelete="set null"
    )
