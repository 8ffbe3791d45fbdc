from odoo import models


class SalesCommissionRuleVersion(models.TransientModel):
    _name = "sales.commission.rule.version"
    _description = "New Version or Correction of a Rule"
