from odoo import models


class SalesCommissionCompute(models.TransientModel):
    _name = "sales.commission.compute"
    _description = "Compute Commissions"
