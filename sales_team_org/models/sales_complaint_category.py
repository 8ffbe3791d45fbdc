from odoo import fields, models


class SalesComplaintCategory(models.Model):
    """What a customer complains about (product quality, late delivery…), configured by the
    sales administrator; a category without a company is shared by every company."""

    _name = "sales.complaint.category"
    _description = "Complaint Category"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", index=True, help="Empty: shared by every company.")
