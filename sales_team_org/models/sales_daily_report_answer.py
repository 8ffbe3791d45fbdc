from odoo import api, fields, models
from odoo.exceptions import UserError

from .sales_org_guard import check_system_fields


class SalesDailyReportAnswer(models.Model):
    """What the author writes under a section of the template (今日完成, 需协调…) in a daily report."""

    _name = "sales.daily.report.answer"
    _description = "Section of a Daily Report"
    _order = "report_id, sequence, id"
    _check_company_auto = True
    # The report's author, day and company follow the report; the order follows the section.
    _sales_org_system_fields = frozenset({"user_id", "date", "company_id", "sequence"})

    report_id = fields.Many2one("sales.daily.report", string="Daily Report", required=True, ondelete="cascade", index=True)
    section_id = fields.Many2one("sales.daily.report.section", required=True,
                                 ondelete="restrict", index=True)
    sequence = fields.Integer(compute="_compute_sequence", store=True, precompute=True)
    placeholder = fields.Char(related="section_id.placeholder")
    body = fields.Text(string="Answer")
    user_id = fields.Many2one(related="report_id.user_id", store=True, index=True, precompute=True)
    date = fields.Date(related="report_id.date", store=True, precompute=True)
    company_id = fields.Many2one(related="report_id.company_id", store=True, index=True, precompute=True)

    _sql_constraints = [
        ("report_section_uniq", "unique(report_id, section_id)", "A daily report answers each section once."),
    ]

    @api.depends("section_id")
    def _compute_sequence(self):
        # the section's place when the answer was made: the report keeps its order
        for answer in self:
            answer.sequence = answer.section_id.sequence

    @api.model_create_multi
    def create(self, vals_list):
        check_system_fields(self, vals_list)
        # the report's author, day and company, even when given empty: never the caller's
        vals_list = [{fname: value for fname, value in vals.items() if fname not in self._sales_org_system_fields}
                     for vals in vals_list]
        if not self.env.su:
            reports = self.env["sales.daily.report"].browse({vals["report_id"] for vals in vals_list if vals.get("report_id")})
            reports._check_user_write({"answer_ids"})
        return super().create(vals_list)

    def write(self, vals):
        moved = [fname for fname in ("report_id", "section_id") if fname in vals
                 and any(answer[fname].id != int(vals[fname] or 0) for answer in self)]
        if moved:
            raise UserError(self.env._(
                "An answer stays under its section of its daily report: %(fields)s cannot change.",
                fields=", ".join(self._fields[fname]._description_string(self.env) for fname in moved),
            ))
        vals = {fname: value for fname, value in vals.items() if fname not in ("report_id", "section_id")}
        check_system_fields(self, vals)
        if not self.env.su:
            self.report_id._check_user_write({"answer_ids"})
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_by_the_author(self):
        if not self.env.su:
            self.report_id._check_user_write({"answer_ids"})
