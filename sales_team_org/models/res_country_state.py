from odoo import fields, models


class ResCountryState(models.Model):
    _name = "res.country.state"
    _inherit = ["res.country.state", "sales.org.guarded.mixin"]
    # A province joins a region from the region (sales.org.region.state_ids)
    _sales_org_system_fields = frozenset({"sales_region_id"})

    sales_region_id = fields.Many2one(
        "sales.org.region", index="btree_not_null", ondelete="set null"
    )
