from odoo import fields, models


class SalesDailyDigest(models.Model):
    """The daily digests sent: one per leader and day, so that a second run sends nothing."""

    _name = "sales.daily.digest"
    _description = "Daily Digest Sent"
    _order = "date desc, id desc"

    user_id = fields.Many2one("res.users", string="Leader", required=True, ondelete="cascade", index=True)
    date = fields.Date(required=True)
    company_id = fields.Many2one("res.company", required=True, ondelete="cascade")

    _sql_constraints = [
        ("user_date_uniq", "unique(user_id, date)", "One digest per leader and day."),
    ]
