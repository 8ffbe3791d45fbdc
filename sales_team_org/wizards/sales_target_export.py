import tempfile
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..models.sales_target import METRICS, MONEY_METRICS, PERIOD_TYPES
from .sales_daily_report_export import INVALID_SHEET_NAME

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PERIOD_RANK = {"year": 0, "quarter": 1, "month": 2}  # a year's target before its quarters' and months'


class SalesTargetExport(models.TransientModel):
    """XLSX of targets against their actuals: a sheet of the units' targets, one of the people's.

    Only the targets the user may read (record rules apply), each with its live actual (the one
    kept when its period closed), all actuals in one query whatever the number of targets."""

    _name = "sales.target.export"
    _description = "Export Sales Targets against Actuals"

    date_from = fields.Date(string="From", required=True, default=lambda self: self._default_year()[0])
    date_to = fields.Date(string="To", required=True, default=lambda self: self._default_year()[1],
                          help="The targets whose period lies within these dates.")
    period_type = fields.Selection(PERIOD_TYPES, string="Period",
                                   help="Only the targets of a year, a quarter or a month; all of them if empty.")
    metric = fields.Selection(METRICS, help="Only the targets of this metric; all of them if empty.")
    team_ids = fields.Many2many(
        "crm.team", string="Units",
        help="These units and the units below them, with their people; every target you may see if empty.",
    )

    def _default_year(self):
        company = self.env.company
        return company._sales_org_period("year", company._sales_org_today())

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for export in self:
            if export.date_from > export.date_to:
                raise ValidationError(self.env._(
                    "An export starts on or before its last day: %(date_from)s is after %(date_to)s.",
                    date_from=export.date_from, date_to=export.date_to,
                ))

    def _targets(self):
        """The targets to export that the user may read, each sheet's in its order."""
        self.ensure_one()
        domain = [("date_from", ">=", self.date_from), ("date_to", "<=", self.date_to)]
        if self.period_type:
            domain.append(("period_type", "=", self.period_type))
        if self.metric:
            domain.append(("metric", "=", self.metric))
        if self.team_ids:
            domain.append(("team_id", "child_of", self.team_ids.ids))
        targets = self.env["sales.target"].search(domain)
        metric_rank = {metric: rank for rank, (metric, _label) in enumerate(METRICS)}

        def key(target):  # the unit tree's order, then the person, the period and the metric
            return ([int(part) for part in (target.team_id.parent_path or "").split("/") if part],
                    target.user_id.name or "", target.date_from, PERIOD_RANK[target.period_type],
                    metric_rank[target.metric])

        return targets.sorted(key)

    def _filename(self):
        return f"{self.env._('Sales Targets')} {self.date_from}~{self.date_to}.xlsx"

    def action_export(self):
        """Write the workbook to an attachment of the user's own and download it."""
        self.ensure_one()
        with tempfile.TemporaryFile() as fileobj:
            self._write_xlsx(fileobj)
            fileobj.seek(0)
            # not attached to the assistant, which others may read: only its author (and the
            # administrator) reads an attachment of no record; the autovacuum removes it
            attachment = self.env["ir.attachment"].create({
                "name": self._filename(), "raw": fileobj.read(), "mimetype": XLSX_MIMETYPE,
                "res_model": self._name, "res_id": False,
            })
        return {"type": "ir.actions.act_url", "url": f"/web/content/{attachment.id}?download=true", "target": "self"}

    @api.autovacuum
    def _gc_export_files(self):
        limit = fields.Datetime.now() - timedelta(days=1)
        self.env["ir.attachment"].sudo().search([
            ("res_model", "=", self._name), ("res_id", "=", False), ("create_date", "<", limit),
        ]).unlink()

    def _write_xlsx(self, fileobj):
        """Write the workbook to `fileobj`: xlsxwriter streams each sheet's rows (constant_memory)."""
        self.ensure_one()
        if not self.env.lang:  # a script or a shell: the user's language, as a request has it
            return self.with_context(lang=self.env.user.lang or "en_US")._write_xlsx(fileobj)
        targets = self._targets()
        if not targets:
            raise UserError(self.env._("No target matches this selection."))
        import xlsxwriter  # noqa: PLC0415 - only the exports need it

        workbook = xlsxwriter.Workbook(fileobj, {"constant_memory": True, "in_memory": False})
        head = workbook.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True,
                                    "align": "center", "valign": "vcenter"})
        text = workbook.add_format({"border": 1})
        money = workbook.add_format({"border": 1, "num_format": "#,##0.00"})
        count = workbook.add_format({"border": 1, "num_format": "#,##0"})
        percent = workbook.add_format({"border": 1, "num_format": "0.0%"})
        metrics = dict(self.env["sales.target"]._fields["metric"]._description_selection(self.env))
        states = dict(self.env["sales.target"]._fields["state"]._description_selection(self.env))
        unit_label, person_label = self.env._("Unit"), self.env._("Person")
        tail = [(self.env._("Period"), 10), (self.env._("Metric"), 14), (self.env._("Target"), 14),
                (self.env._("Actual"), 14), (self.env._("Achievement"), 12), (self.env._("Still to Do"), 14),
                (self.env._("Status"), 9)]
        # both sheets' actuals at once (one query), not a sheet at a time
        units = targets.filtered(lambda target: target.target_type == "unit").with_prefetch(targets._prefetch_ids)
        people = (targets - units).with_prefetch(targets._prefetch_ids)
        for name, columns, sheet_targets in (
            (self.env._("Units"), [(unit_label, 24)] + tail, units),
            (self.env._("People"), [(unit_label, 24), (person_label, 14)] + tail, people),
        ):
            sheet = workbook.add_worksheet(INVALID_SHEET_NAME.sub("_", name)[:31])
            sheet.freeze_panes(1, 0)
            for col, (heading, width) in enumerate(columns):
                sheet.set_column(col, col, width)
                sheet.write_string(0, col, heading, head)
            sheet.autofilter(0, 0, max(len(sheet_targets), 1), len(columns) - 1)
            first = len(columns) - len(tail)  # the period's column
            for row, target in enumerate(sheet_targets, start=1):
                sheet.write_string(row, 0, target.team_id.name or "", text)
                if first > 1:
                    sheet.write_string(row, 1, target.user_id.name or "", text)
                number = money if target.metric in MONEY_METRICS else count
                amount, actual = target.amount, target.actual
                sheet.write_string(row, first, target.period_label, text)
                sheet.write_string(row, first + 1, metrics.get(target.metric, target.metric), text)
                sheet.write_number(row, first + 2, amount, number)
                sheet.write_number(row, first + 3, actual, number)
                if amount:
                    sheet.write_number(row, first + 4, actual / amount, percent)
                else:
                    sheet.write_blank(row, first + 4, None, percent)
                sheet.write_number(row, first + 5, max(amount - actual, 0.0), number)
                sheet.write_string(row, first + 6, states.get(target.state, target.state), text)
        workbook.close()
        return True
