from datetime import timedelta

from odoo import fields, models
from odoo.exceptions import UserError

from ..models.sales_target import PERIOD_TYPES
from .sales_daily_report_export import INVALID_SHEET_NAME
from .sales_target_export import SalesTargetExport

# scores of the criteria, in the order of sales.scorecard.weight's CRITERIA, and when each has data
CRITERION_SCORES = [
    ("sales_score", lambda card: card.target_amount > 0),
    ("growth_score", lambda card: card.last_year_amount > 0),
    ("satisfaction_score", lambda card: card.satisfaction_count),
    ("teamwork_score", lambda card: card.teamwork),
    ("slips_score", lambda card: True),
]


class SalesScorecardExport(models.TransientModel):
    """XLSX of the scorecards of a period (or of those selected in the list): the ranking board,
    region by region, unit by unit, by rank. Only the scorecards the user may read (record rules
    apply: a rep gets their own), in a constant number of queries whatever their number."""

    _name = "sales.scorecard.export"
    _description = "Export Scorecards"

    period_type = fields.Selection(PERIOD_TYPES, string="Period", required=True, default="month")
    date = fields.Date(string="Day in the Period", required=True, default=lambda self: self._default_date(),
                       help="The scorecards of the period holding this day.")
    team_ids = fields.Many2many(
        "crm.team", string="Units",
        help="These units and the units below them; every scorecard you may see if empty.",
    )
    scorecard_ids = fields.Many2many(
        "sales.scorecard", string="Scorecards", default=lambda self: self._default_scorecards(),
        help="The scorecards selected in the list: exported instead of a period's.",
    )

    def _default_date(self):
        company = self.env.company
        return company._sales_org_today().replace(day=1) - timedelta(days=1)  # last month

    def _default_scorecards(self):
        if self.env.context.get("active_model") == "sales.scorecard":
            return self.env.context.get("active_ids") or []
        return []

    def _scorecards(self):
        """The scorecards to export that the user may read, by region, unit and rank in unit."""
        self.ensure_one()
        if self.scorecard_ids:
            domain = [("id", "in", self.scorecard_ids.ids)]
        else:
            domain = [("period_type", "=", self.period_type),
                      ("date_from", "<=", self.date), ("date_to", ">=", self.date)]
            if self.team_ids:
                domain.append(("team_id", "child_of", self.team_ids.ids))
        cards = self.env["sales.scorecard"].search(domain)

        def key(card):  # the period, then the unit tree's order, then the rank
            return (-card.date_from.toordinal(), card.period_type,
                    [int(part) for part in (card.region_id.parent_path or "").split("/") if part],
                    [int(part) for part in (card.team_id.parent_path or "").split("/") if part],
                    card.rank_unit or float("inf"), -card.score, card.user_id.name or "")

        return cards.sorted(key)

    def _filename(self):
        if self.scorecard_ids:
            return f"{self.env._('Scorecards')}.xlsx"
        date_from, date_to = self.env.company._sales_org_period(self.period_type, self.date)
        return f"{self.env._('Scorecards')} {date_from}~{date_to}.xlsx"

    # the same download and cleanup as the targets' export
    action_export = SalesTargetExport.action_export
    _gc_export_files = SalesTargetExport._gc_export_files

    def _write_xlsx(self, fileobj):
        """Write the workbook to `fileobj`: xlsxwriter streams the rows (constant_memory)."""
        self.ensure_one()
        if not self.env.lang:  # a script or a shell: the user's language, as a request has it
            return self.with_context(lang=self.env.user.lang or "en_US")._write_xlsx(fileobj)
        cards = self._scorecards()
        if not cards:
            raise UserError(self.env._("No scorecard you may see matches this selection."))
        import xlsxwriter  # noqa: PLC0415 - only the exports need it

        workbook = xlsxwriter.Workbook(fileobj, {"constant_memory": True, "in_memory": False})
        head = workbook.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True,
                                    "align": "center", "valign": "vcenter"})
        text = workbook.add_format({"border": 1})
        money = workbook.add_format({"border": 1, "num_format": "#,##0.00"})
        percent = workbook.add_format({"border": 1, "num_format": "0.0%"})
        decimal = workbook.add_format({"border": 1, "num_format": "0.00"})
        score = workbook.add_format({"border": 1, "num_format": "0.0"})
        total = workbook.add_format({"border": 1, "num_format": "0.0", "bold": True})
        count = workbook.add_format({"border": 1, "num_format": "0"})
        states = dict(self.env["sales.scorecard"]._fields["state"]._description_selection(self.env))
        columns = [
            (self.env._("Person"), 14), (self.env._("Unit"), 20), (self.env._("Region"), 14),
            (self.env._("Role"), 14), (self.env._("Period"), 10), (self.env._("Sales"), 14),
            (self.env._("Target"), 14), (self.env._("Achievement"), 12), (self.env._("Growth"), 10),
            (self.env._("Customer Satisfaction"), 12), (self.env._("Teamwork"), 10), (self.env._("Slip Points"), 10),
            (self.env._("Sales Score"), 10), (self.env._("Growth Score"), 10), (self.env._("Satisfaction Score"), 12),
            (self.env._("Teamwork Score"), 10), (self.env._("Slips Score"), 10), (self.env._("Total Score"), 10),
            (self.env._("Rank in Unit"), 8), (self.env._("Rank in Region"), 8), (self.env._("Status"), 10),
        ]
        sheet = workbook.add_worksheet(INVALID_SHEET_NAME.sub("_", self.env._("Scorecards"))[:31])
        sheet.freeze_panes(1, 1)
        for col, (heading, width) in enumerate(columns):
            sheet.set_column(col, col, width)
            sheet.write_string(0, col, heading, head)
        sheet.autofilter(0, 0, len(cards), len(columns) - 1)

        def number(row, col, value, cell_format, has_data=True):
            if has_data:
                sheet.write_number(row, col, value, cell_format)
            else:
                sheet.write_blank(row, col, None, cell_format)

        for row, card in enumerate(cards, start=1):
            for col, value in enumerate((card.user_id.name, card.team_id.name, card.region_id.name,
                                         card.role_id.name, card.period_label)):
                sheet.write_string(row, col, value or "", text)
            number(row, 5, card.sales_amount, money)
            number(row, 6, card.target_amount, money, card.target_amount > 0)
            number(row, 7, card.achievement / 100, percent, card.target_amount > 0)
            number(row, 8, card.growth / 100, percent, card.last_year_amount > 0)
            number(row, 9, card.satisfaction, decimal, card.satisfaction_count)
            number(row, 10, int(card.teamwork or 0), count, card.teamwork)
            number(row, 11, card.slip_points, count)
            for col, (field, has_data) in enumerate(CRITERION_SCORES, start=12):
                number(row, col, card[field], score, has_data(card))
            number(row, 17, card.score, total)
            number(row, 18, card.rank_unit, count, card.rank_unit)
            number(row, 19, card.rank_region, count, card.rank_region)
            sheet.write_string(row, 20, states.get(card.state, card.state), text)
        workbook.close()
        return True
