from odoo import fields, models


class SaleReport(models.Model):
    _name = "sale.report"
    _inherit = ["sale.report", "sales.org.scope.mixin"]

    sales_region_id = fields.Many2one("sales.org.region", readonly=True)

    def _select_additional_fields(self):
        res = super()._select_additional_fields()
        res["sales_region_id"] = "partner.sales_region_id"  # the customer's, as the state and country
        return res

    def _group_by_sale(self):
        return f"""{super()._group_by_sale()},
            partner.sales_region_id"""
