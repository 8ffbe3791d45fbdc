from odoo import fields, models


class CrmActivityReport(models.Model):
    _name = "crm.activity.report"
    _inherit = ["crm.activity.report", "sales.org.scope.mixin"]

    # through the lead, not a column of CRM's SQL view: dropping the lead's column when the add-on
    # is uninstalled would drop the view with it
    sales_region_id = fields.Many2one(related="lead_id.sales_region_id")
