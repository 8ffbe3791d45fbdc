from datetime import date

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

CHUNK = 1000  # reports read at a time: memory stays bounded whatever the selection
EXCEL_EPOCH = date(1899, 12, 30)  # day 0 of Excel's calendar


class SalesDailyReportExport(models.TransientModel):
    """XLSX of daily reports laid out like the paper 电话销售日报表: a sheet per person or unit."""

    _name = "sales.daily.report.export"
    _description = "Export Daily Reports"

    report_ids = fields.Many2many("sales.daily.report", string="Reports")
    date_from = fields.Date()
    date_to = fields.Date()
    team_id = fields.Many2one("crm.team", string="Unit", help="This unit and all units below it.")
    sheet_by = fields.Selection([("user", "One sheet per person"), ("team", "One sheet per unit")],
                                default="user", required=True)

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for export in self:
            if export.date_from and export.date_to and export.date_from > export.date_to:
                raise ValidationError(self.env._(
                    "An export starts on or before its last day: %(date_from)s is after %(date_to)s.",
                    date_from=export.date_from, date_to=export.date_to,
                ))

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if self.env.context.get("active_model") == "sales.daily.report" and self.env.context.get("active_ids"):
            # the selection, as far as the user may read it
            readable = self.env["sales.daily.report"].search([("id", "in", self.env.context["active_ids"])])
            values["report_ids"] = [Command.set(readable.ids)]
        return values

    def action_export(self):
        self.ensure_one()
        if not self._report_domain_ids():
            raise UserError(self.env._("No daily report matches this selection."))
        return {"type": "ir.actions.act_url", "url": f"/sales_team_org/daily_reports/xlsx/{self.id}", "target": "self"}

    def _report_domain_ids(self):
        """The reports to export, in sheet order, that the user may read (record rules apply)."""
        domain = [("id", "in", self.report_ids.ids)] if self.report_ids else []
        if self.date_from:
            domain.append(("date", ">=", self.date_from))
        if self.date_to:
            domain.append(("date", "<=", self.date_to))
        if self.team_id:
            domain.append(("team_id", "child_of", self.team_id.id))
        order = "user_id, date, id" if self.sheet_by == "user" else "team_id, date, user_id, id"
        return self.env["sales.daily.report"].search(domain, order=order).ids

    def _write_xlsx(self, fileobj):
        """Write the workbook to `fileobj`, streaming: xlsxwriter's constant_memory mode keeps one
        row in memory per sheet, and reports are read CHUNK at a time in sheet order."""
        ids = self._report_domain_ids()
        if not ids:  # the download link opened again after the reports changed, or by hand
            raise UserError(self.env._("No daily report matches this selection."))
        import xlsxwriter  # noqa: PLC0415 - only this export needs it

        workbook = xlsxwriter.Workbook(fileobj, {"constant_memory": True, "in_memory": False})
        title = workbook.add_format({"bold": True, "font_size": 14})
        head = workbook.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True})
        cell = workbook.add_format({"border": 1, "text_wrap": True, "valign": "top"})
        date_cell = workbook.add_format({"border": 1, "num_format": "yyyy-mm-dd", "valign": "top"})
        total = workbook.add_format({"bold": True, "border": 1})
        columns = [
            (self.env._("Date"), 11), (self.env._("Salesperson"), 12), (self.env._("Customer"), 24), (self.env._("Contact Person"), 12),
            (self.env._("Channel"), 8), (self.env._("Duration"), 7), (self.env._("Discussed"), 30), (self.env._("Result"), 30),
            (self.env._("Next Step"), 24), (self.env._("Next Step Date"), 11), (self.env._("Classification"), 10),
        ]
        channels = dict(self.env["sales.daily.report.line"]._fields["channel"]._description_selection(self.env))
        classes = dict(self.env["res.partner"]._fields["sales_classification"]._description_selection(self.env))
        key_field = "user_id" if self.sheet_by == "user" else "team_id"
        sheet, sheet_key, row, totals, used_names = None, None, 0, None, set()

        def close_sheet():
            if sheet is None:
                return
            sheet.write(row + 1, 0, self.env._("Total"), total)
            labels = (self.env._("Calls"), self.env._("Visits"), self.env._("Customers Reached"), self.env._("Orders Confirmed"), self.env._("Orders Amount"))
            for col, (label, value) in enumerate(zip(labels, totals)):
                sheet.write(row + 2 + col, 0, label, total)
                sheet.write(row + 2 + col, 1, value, total)

        for start in range(0, len(ids), CHUNK):
            chunk = ids[start:start + CHUNK]
            reports = {r[0]: r for r in self.env.execute_query(SQL(
                """
                SELECT r.id, r.date, r.user_id, r.team_id, p.name, t.name->>%(lang)s, t.name->>'en_US',
                       r.call_count, r.visit_count, r.customer_count, r.order_count, r.order_amount
                  FROM sales_daily_report r
                  JOIN res_users u ON u.id = r.user_id
                  JOIN res_partner p ON p.id = u.partner_id
             LEFT JOIN crm_team t ON t.id = r.team_id
                 WHERE r.id IN %(ids)s
                """, ids=tuple(chunk), lang=self.env.lang or "en_US"))}
            # the lines the user may read, as the list shows them (record rules applied)
            visible_lines = self.env["sales.daily.report.line"]._search([("report_id", "in", chunk)])
            lines = {}
            for line in self.env.execute_query(SQL(
                """
                SELECT l.report_id, cp.name, l.contact_name, l.channel, l.duration, l.subject, l.result,
                       l.next_step, l.next_step_date, cp.sales_classification->>%(company)s
                  FROM sales_daily_report_line l
             LEFT JOIN res_partner lp ON lp.id = l.partner_id
             LEFT JOIN res_partner cp ON cp.id = COALESCE(lp.commercial_partner_id, lp.id)
                 WHERE l.id IN %(lines)s
                 ORDER BY l.report_id, l.sequence, l.id
                """, lines=visible_lines.subselect(), company=str(self.env.company.id))):
                lines.setdefault(line[0], []).append(line)
            for report_id in chunk:
                (_id, report_date, user_id, team_id, person, team_lang, team_en,
                 calls, visits, customers, orders, amount) = reports[report_id]
                key = user_id if key_field == "user_id" else team_id
                if key != sheet_key:
                    close_sheet()
                    name = (person if key_field == "user_id" else (team_lang or team_en or self.env._("No Unit")))[:28]
                    while name in used_names:
                        name = f"{name[:25]}~{len(used_names)}"
                    used_names.add(name)
                    sheet, sheet_key, totals = workbook.add_worksheet(name), key, [0, 0, 0, 0, 0.0]
                    sheet.write(0, 0, self.env._("Daily Sales Report"), title)
                    sheet.write(1, 0, name)
                    for col, (label, width) in enumerate(columns):
                        sheet.set_column(col, col, width)
                        sheet.write(3, col, label, head)
                    row = 4
                totals = [totals[0] + (calls or 0), totals[1] + (visits or 0), totals[2] + (customers or 0),
                          totals[3] + (orders or 0), totals[4] + float(amount or 0)]
                day = (report_date - EXCEL_EPOCH).days
                for (_rid, customer, contact, channel, duration, subject, result, next_step,
                     next_date, classification) in lines.get(report_id, [(None,) * 10]):
                    # typed writes: xlsxwriter's generic write() and write_datetime() cost several times more
                    sheet.write_number(row, 0, day, date_cell)
                    sheet.write_string(row, 1, person, cell)
                    for col, text in ((2, customer), (3, contact), (4, channels.get(channel)), (6, subject),
                                      (7, result), (8, next_step), (10, classes.get(classification))):
                        if text:  # empty cells are not written at all
                            sheet.write_string(row, col, text, cell)
                    if duration:
                        sheet.write_number(row, 5, duration, cell)
                    if next_date:
                        sheet.write_number(row, 9, (next_date - EXCEL_EPOCH).days, date_cell)
                    row += 1
        close_sheet()
        workbook.close()
