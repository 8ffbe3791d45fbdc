from datetime import date, datetime, time, timedelta

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date, split_every

from ..models.sales_commission_settlement_line import LINE_KINDS
from .sales_daily_report_export import INVALID_SHEET_NAME
from .sales_target_export import SalesTargetExport

KIND_RANK = {kind: rank for rank, (kind, _label) in enumerate(LINE_KINDS)}
BATCH = 1000  # lines read and written at a time: the memory stays bounded whatever the month's size


class SalesCommissionExport(models.TransientModel):
    """XLSX of a month's commissions, per unit: a sheet of the settlements with their totals by
    kind of line, one of every line. Only what the user may read (record rules apply: a rep gets
    their own), in a constant number of queries whatever the number of people."""

    _name = "sales.commission.export"
    _description = "Export Commissions"

    date_from = fields.Date(string="Month", required=True, default=lambda self: self._default_month())
    team_ids = fields.Many2many(
        "crm.team", string="Units",
        help="The settlements of these units and the units below them; every settlement you may see if empty.",
    )

    def _default_month(self):
        return (self.env.company._sales_org_today().replace(day=1) - timedelta(days=1)).replace(day=1)

    def _settlements(self):
        """The month's settlements the user may read, in the unit tree's order, then by person."""
        self.ensure_one()
        domain = [("date_from", "=", self.date_from.replace(day=1))]
        if self.team_ids:
            domain.append(("team_id", "child_of", self.team_ids.ids))
        settlements = self.env["sales.commission.settlement"].search(domain)

        def key(settlement):
            return ([int(part) for part in (settlement.team_id.parent_path or "").split("/") if part],
                    settlement.user_id.name or "", settlement.company_id.id, settlement.id)

        return settlements.sorted(key)

    def _filename(self):
        return f"{self.env._('Commissions')} {self.date_from:%Y-%m}.xlsx"

    # the same download and cleanup as the targets' export
    action_export = SalesTargetExport.action_export
    _gc_export_files = SalesTargetExport._gc_export_files

    def _source_label(self, line):
        """The document a line comes from, as its reader knows it."""
        if line.slip_id:
            return line.slip_id.display_name
        if line.dispute_id:
            return line.dispute_id.display_name
        if line.payment_ref:
            return self.env._("Payment of %(invoice)s on %(date)s", invoice=line.move_id.name or "",
                              date=format_date(self.env, line.payment_ref.max_date))
        return line.move_id.name or line.order_id.name or ""

    def _write_xlsx(self, fileobj):
        """Write the workbook to `fileobj`: xlsxwriter streams the rows (constant_memory), the
        lines are read a batch at a time."""
        self.ensure_one()
        if not self.env.lang:  # a script or a shell: the user's language, as a request has it
            return self.with_context(lang=self.env.user.lang or "en_US")._write_xlsx(fileobj)
        settlements = self._settlements()
        if not settlements:
            raise UserError(self.env._("No settlement you may see matches this selection."))
        Line = self.env["sales.commission.settlement.line"]
        # the lines the user may read, by kind in each settlement (record rules apply)
        totals = {(settlement, kind): amount for settlement, kind, amount in Line._read_group(
            [("settlement_id", "in", settlements.ids)], ["settlement_id", "kind"], ["amount:sum"])}
        import xlsxwriter  # noqa: PLC0415 - only the exports need it

        workbook = xlsxwriter.Workbook(fileobj, {"constant_memory": True, "in_memory": False})
        head = workbook.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True,
                                    "align": "center", "valign": "vcenter"})
        text = workbook.add_format({"border": 1})
        money = workbook.add_format({"border": 1, "num_format": "#,##0.00"})
        total = workbook.add_format({"border": 1, "num_format": "#,##0.00", "bold": True})
        rate = workbook.add_format({"border": 1, "num_format": "0.00##"})
        count = workbook.add_format({"border": 1, "num_format": "0"})
        day = workbook.add_format({"border": 1, "num_format": "yyyy-mm-dd"})
        kinds = dict(Line._fields["kind"]._description_selection(self.env))
        states = dict(self.env["sales.commission.settlement"]._fields["state"]._description_selection(self.env))

        def sheet_of(name, columns):
            sheet = workbook.add_worksheet(INVALID_SHEET_NAME.sub("_", name)[:31])
            sheet.freeze_panes(1, 1)
            for col, (heading, width) in enumerate(columns):
                sheet.set_column(col, col, width)
                sheet.write_string(0, col, heading, head)
            return sheet

        def write_row(sheet, row, cells):
            for col, (value, cell_format) in enumerate(cells):
                if value is None or value == "":
                    sheet.write_blank(row, col, None, cell_format)
                elif isinstance(value, str):
                    sheet.write_string(row, col, value, cell_format)
                elif isinstance(value, date):
                    sheet.write_datetime(row, col, datetime.combine(value, time.min), cell_format)
                else:
                    sheet.write_number(row, col, value, cell_format)

        columns = ([(self.env._("Person"), 14), (self.env._("Unit"), 20), (self.env._("Status"), 10)]
                   + [(kinds[kind], 12) for kind, _label in LINE_KINDS] + [(self.env._("Total"), 14)])
        sheet = sheet_of(self.env._("Settlements"), columns)
        sheet.autofilter(0, 0, len(settlements), len(columns) - 1)
        for row, settlement in enumerate(settlements, start=1):
            write_row(sheet, row, [
                (settlement.user_id.name or "", text), (settlement.team_id.name or "", text),
                (states.get(settlement.state, settlement.state), text),
                *((totals.get((settlement, kind)), money) for kind, _label in LINE_KINDS),
                (settlement.amount_total, total),
            ])

        columns = [
            (self.env._("Person"), 14), (self.env._("Unit"), 20), (self.env._("Month Credited"), 11),
            (self.env._("Date"), 11), (self.env._("Why"), 16), (self.env._("Level"), 6), (self.env._("Rule"), 20),
            (self.env._("Version"), 7), (self.env._("Source"), 22), (self.env._("Customer"), 24),
            (self.env._("Sold By"), 14), (self.env._("Unit of the Sale"), 20), (self.env._("Base"), 14),
            (self.env._("Rate (%)"), 9), (self.env._("Amount"), 14), (self.env._("Adjusts"), 28),
            (self.env._("Note"), 30),
        ]
        # the ids in the settlements' order, then by kind; then read and written a batch at a time
        rank = {settlement.id: index for index, settlement in enumerate(settlements)}
        lines = Line.search_fetch([("settlement_id", "in", settlements.ids)], ["settlement_id", "kind"],
                                  order="period_date, date, id")
        line_ids = [line.id for line in lines.sorted(lambda line: (rank[line.settlement_id.id], KIND_RANK[line.kind]))]
        sheet = sheet_of(self.env._("Lines"), columns)
        sheet.autofilter(0, 0, max(len(line_ids), 1), len(columns) - 1)
        row = 0
        for batch in split_every(BATCH, line_ids):
            self.env.invalidate_all()
            # the user reads these lines (searched above); their documents are named whoever may open them
            for line in Line.sudo().browse(batch):
                row += 1
                origin = line.origin_line_id
                write_row(sheet, row, [
                    (line.user_id.name or "", text), (line.settlement_id.team_id.name or "", text),
                    (line.period_date, day), (line.date or None, day), (kinds.get(line.kind, line.kind), text),
                    (line.level or None, count), (line.rule_id.name or "", text), (line.rule_id.version or None, count),
                    (self._source_label(line), text), (line.partner_id.name or "", text),
                    (line.seller_id.name or "", text), (line.team_id.name or "", text),
                    (line.base_amount, money), (line.rate or None, rate), (line.amount, money),
                    (origin and self.env._(
                        "%(month)s, %(document)s", month=self.env.company._sales_org_period_name("month", origin.period_date),
                        document=self._source_label(origin) or kinds.get(origin.kind, origin.kind)) or "", text),
                    (line.note or "", text),
                ])
        workbook.close()
        return True
