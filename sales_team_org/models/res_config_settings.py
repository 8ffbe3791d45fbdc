from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    sales_report_reminder_hour = fields.Integer(
        string="Daily Report Reminder Hour", config_parameter="sales_team_org.reminder_hour", default=17,
        help="From this hour (company time), people who have not submitted today's report are reminded.",
    )
    sales_report_digest_hour = fields.Integer(
        string="Manager Digest Hour", config_parameter="sales_team_org.digest_hour", default=19,
        help="From this hour (company time), each manager gets the day's digest of their units.",
    )
    sales_org_default_team_id = fields.Many2one(
        related="company_id.sales_org_default_team_id", readonly=False,
        domain="[('company_id', 'in', [company_id, False])]",
    )
    sales_org_approval_hours = fields.Integer(related="company_id.sales_org_approval_hours", readonly=False)

    @api.constrains("sales_report_reminder_hour", "sales_report_digest_hour")
    def _check_sales_report_hours(self):
        for settings in self:
            if not all(0 <= hour <= 23 for hour in (settings.sales_report_reminder_hour, settings.sales_report_digest_hour)):
                raise ValidationError(self.env._("An hour of the day is between 0 and 23."))
