from odoo import api, fields, models
from odoo.exceptions import UserError


class SalesDailyReportSection(models.Model):
    """A heading of the daily report template (今日完成, 未完成, 需协调, 明日计划…): each role
    answers its own selection of them before the diary."""

    _name = "sales.daily.report.section"
    _description = "Daily Report Section"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    placeholder = fields.Char(translate=True, help="The hint shown in the empty text box of the section.")

    @api.ondelete(at_uninstall=False)
    def _unlink_except_answered(self):
        answered = self.env["sales.daily.report.answer"].sudo().search([("section_id", "in", self.ids)], limit=1)
        if answered:
            raise UserError(self.env._(
                "%(section)s is answered in daily reports: archive it instead, so that they keep it.",
                section=answered.section_id.name,
            ))
