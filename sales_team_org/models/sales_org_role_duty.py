from odoo import fields, models


class SalesOrgRoleDuty(models.Model):
    _name = "sales.org.role.duty"
    _description = "Duty of a Sales Role"
    _order = "role_id, sequence, id"

    role_id = fields.Many2one("sales.org.role", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(default=10)
    name = fields.Text(string="Duty", required=True, translate=True)
    kind = fields.Selection(
        [("duty", "Duty"), ("routine", "Daily Work")],
        default="duty",
        required=True,
    )
