from odoo import models


class SalesKeyAccountWizard(models.TransientModel):
    _name = "sales.key.account.wizard"
    _description = "Key-Account Takeover Assistant"
