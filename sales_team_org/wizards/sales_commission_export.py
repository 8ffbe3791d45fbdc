from odoo import models


class SalesCommissionExport(models.TransientModel):
    _name = "sales.commission.export"
    _description = "Export Commissions"
