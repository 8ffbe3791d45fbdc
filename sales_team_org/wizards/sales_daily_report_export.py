import re
import unicodedata
from datetime import date

import lxml.html

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, date_utils, format_date
from odoo.tools.i18n import format_list

CHUNK = 1000  # reports read at a time: memory stays bounded whatever the selection
EXCEL_EPOCH = date(1899, 12, 30)  # day 0 of Excel's calendar
HEAD_ROW = 2  # title, then unit, period and person, then the column headers (0-based rows)
DRAFT_FILL = "#FFF2CC"
INVALID_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")
BLOCKS = ("p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre")


def _plain_text(html):
    """The diary's text with its paragraphs and line breaks, without markup (no *bold* marks)."""
    if not html:
        return ""
    tree = lxml.html.fragment_fromstring(html, create_parent="div")
    for element in tree.iter("br", *BLOCKS):
        element.tail = "\n" + (element.tail or "")
    lines = (" ".join(line.split()) for line in tree.text_content().splitlines())
    return "\n".join(line for line in lines if line)


def _char_width(char):
    return 2 if unicodedata.east_asian_width(char) in "WF" else 1


def _wrap(text, width):
    """`text` cut into lines about `width` characters wide (a CJK character counts two), after
    a space where the line has one. The lines are written one per row, each in one cell that
    runs on over the empty cells on its right: no merged cells nor row heights, which
    xlsxwriter would keep in memory for every row until the workbook is closed."""
    lines = []
    for paragraph in text.split("\n"):
        line, used, cut = [], 0, 0  # cut: where the line ends after its last space
        for char in paragraph:
            size = _char_width(char)
            if used + size > width and line:
                head, line = (line[:cut], line[cut:]) if cut else (line, [])
                lines.append("".join(head).rstrip())
                used, cut = sum(map(_char_width, line)), 0
            line.append(char)
            used += size
            if char.isspace():
                cut = len(line)
        lines.append("".join(line).rstrip())
    return [line for line in lines if line]


class SalesDailyReportExport(models.TransientModel):
    """XLSX of daily reports laid out like the paper 电话销售日报表: a sheet per person or unit,
    its unit, period and person in the title, each report's calls, diary and review."""

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
        context = self.env.context
        if context.get("active_model") == "sales.daily.report" and context.get("active_ids"):
            # the selection, as far as the user may read it
            readable = self.env["sales.daily.report"].search([("id", "in", context["active_ids"])])
            values["report_ids"] = [Command.set(readable.ids)]
        elif context.get("sales_org_export_this_month"):  # opened from the menu: the company's month
            today = self.env.company._sales_org_today()
            if "date_from" in fields_list:
                values.setdefault("date_from", date_utils.start_of(today, "month"))
            if "date_to" in fields_list:
                values.setdefault("date_to", date_utils.end_of(today, "month"))
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

    def _filename(self):
        name = self.env._("Daily Sales Reports")
        if self.date_from and self.date_to:
            name = f"{name} {self.date_from}~{self.date_to}"
        return f"{name}.xlsx"

    def _sheets(self, ids):
        """{sheet key: (first day, last day, unit names, unit leader)} of the reports `ids`, in one
        query. A unit's leader is its unit manager, else its oldest leading member (as the tree has it)."""
        by_user = self.sheet_by == "user"
        key = SQL.identifier("r", "user_id" if by_user else "team_id")
        leader = SQL("NULL") if by_user else SQL(
            """
            COALESCE(MIN(mp.name), (SELECT lp.name
               FROM crm_team_member m
               JOIN crm_team lt ON lt.id = m.crm_team_id
          LEFT JOIN sales_org_role lr ON lr.id = m.role_id
               JOIN res_users lu ON lu.id = m.user_id
               JOIN res_partner lp ON lp.id = lu.partner_id
              WHERE m.crm_team_id = r.team_id AND m.active AND %(leads)s
              ORDER BY m.id
              LIMIT 1))
            """, leads=self.env["crm.team.member"]._sql_leads(member="m", team="lt", role="lr"))
        return {row[0]: row[1:] for row in self.env.execute_query(SQL(
            """
            SELECT %(key)s, MIN(r.date), MAX(r.date),
                   ARRAY_AGG(DISTINCT COALESCE(t.name->>%(lang)s, t.name->>'en_US')) FILTER (WHERE t.id IS NOT NULL),
                   %(leader)s
              FROM sales_daily_report r
         LEFT JOIN crm_team t ON t.id = r.team_id
         LEFT JOIN res_users mu ON mu.id = t.user_id
         LEFT JOIN res_partner mp ON mp.id = mu.partner_id
             WHERE r.id = ANY(%(ids)s)
          GROUP BY %(key)s
            """, key=key, leader=leader, ids=ids, lang=self.env.lang or "en_US"))}

    def _write_xlsx(self, fileobj):
        """Write the workbook to `fileobj`, streaming: xlsxwriter's constant_memory mode keeps one
        row in memory per sheet, and reports are read CHUNK at a time in sheet order."""
        if not self.env.lang:  # a script or a shell: the user's language, as a request has it
            return self.with_context(lang=self.env.user.lang or "en_US")._write_xlsx(fileobj)
        ids = self._report_domain_ids()
        if not ids:  # the download link opened again after the reports changed, or by hand
            raise UserError(self.env._("No daily report matches this selection."))
        import xlsxwriter  # noqa: PLC0415 - only this export needs it

        workbook = xlsxwriter.Workbook(fileobj, {"constant_memory": True, "in_memory": False})

        def style(**props):
            return workbook.add_format({"border": 1, "valign": "top", **props})

        title = workbook.add_format({"bold": True, "font_size": 14, "align": "center", "valign": "vcenter"})
        subtitle = workbook.add_format({"valign": "vcenter"})
        head = style(bold=True, bg_color="#D9E1F2", text_wrap=True, align="center", valign="vcenter")
        label = style(bold=True, bg_color="#F2F2F2", text_wrap=True)
        note = workbook.add_format({"valign": "top"})  # not wrapped: it runs on over the empty cells
        total = workbook.add_format({"bold": True, "border": 1})
        # a draft's rows are shaded and say so in their status: not a report anyone has signed
        cells = {
            draft: {
                kind: style(**props, **({"bg_color": DRAFT_FILL} if draft else {}))
                for kind, props in (("text", {"text_wrap": True}), ("date", {"num_format": "yyyy-mm-dd"}),
                                    ("number", {"num_format": "0"}))
            } for draft in (False, True)
        }
        status_draft = style(bold=True, font_color="#9C0006", bg_color=DRAFT_FILL)
        columns = [
            (self.env._("Date"), 11), (self.env._("Salesperson"), 12), (self.env._("Customer"), 24),
            (self.env._("Contact Person"), 12), (self.env._("Contact Method"), 10), (self.env._("Duration (min)"), 9),
            (self.env._("Discussed"), 30), (self.env._("Result"), 30), (self.env._("Next Step"), 24),
            (self.env._("Next Step Date"), 11), (self.env._("Classification"), 10), (self.env._("Status"), 9),
        ]
        last_col = len(columns) - 1
        channels = dict(self.env["sales.daily.report.line"]._fields["channel"]._description_selection(self.env))
        classes = dict(self.env["res.partner"]._fields["sales_classification"]._description_selection(self.env))
        states = dict(self.env["sales.daily.report"]._fields["state"]._description_selection(self.env))
        by_user = self.sheet_by == "user"
        sheets = self._sheets(ids)
        sheet, sheet_key, row, totals, used_names = None, None, 0, None, set()

        # translated once, not per sheet or report: a month has thousands of sheets
        no_unit = self.env._("No Unit")
        texts = {
            "title": self.env._("Daily Sales Report"),
            "unit": self.env._("Unit: %(unit)s"), "period": self.env._("Period: %(date_from)s – %(date_to)s"),
            "person": self.env._("Salesperson: %(person)s"), "leader": self.env._("Unit Leader: %(leader)s"),
            "footer": "&C" + self.env._("Page &P of &N"),
            "diary": self.env._("Sales Diary"), "reviewer": self.env._("Reviewer"),
            "comment": self.env._("Review Comment"),
        }
        day_labels = {}

        def day_label(day):
            if day not in day_labels:
                day_labels[day] = format_date(self.env, day)
            return day_labels[day]

        def sheet_name(name):
            name = INVALID_SHEET_NAME.sub("_", name).strip("'")[:28] or "-"
            while name.lower() in used_names or name.lower() == "history":  # Excel's own sheet name
                name = f"{name[:25]}~{len(used_names)}"
            used_names.add(name.lower())
            return name

        def open_sheet(key, person, unit):
            first, last, units, leader = sheets[key]
            new = workbook.add_worksheet(sheet_name(person if by_user else unit))
            new.set_landscape()
            new.set_paper(9)  # A4
            new.fit_to_pages(1, 0)  # as wide as the page, as many pages long as it takes
            new.repeat_rows(0, HEAD_ROW)
            new.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
            new.set_footer(texts["footer"])
            new.freeze_panes(HEAD_ROW + 1, 0)
            for col, (_label, width) in enumerate(columns):
                new.set_column(col, col, width)
            units = units or [no_unit]
            header = [
                texts["unit"] % {"unit": units[0] if len(units) == 1 else format_list(self.env, units)},
                texts["period"] % {"date_from": day_label(self.date_from or first),
                                   "date_to": day_label(self.date_to or last)},
            ]
            if by_user:
                header.append(texts["person"] % {"person": person})
            elif leader:
                header.append(texts["leader"] % {"leader": leader})
            new.set_row(0, 24)
            new.merge_range(0, 0, 0, last_col, texts["title"], title)
            new.set_row(1, 20)
            new.merge_range(1, 0, 1, last_col, "    ".join(header), subtitle)
            new.set_row(HEAD_ROW, 30)
            for col, (heading, _width) in enumerate(columns):
                new.write_string(HEAD_ROW, col, heading, head)
            return new

        def close_sheet():
            if sheet is None:
                return
            sheet.write(row + 1, 0, self.env._("Total"), total)
            names = (self.env._("Calls"), self.env._("Visits"), self.env._("Customers Reached"),
                     self.env._("Orders Confirmed"), self.env._("Orders Amount"))
            for col, (name, value) in enumerate(zip(names, totals)):
                sheet.write(row + 2 + col, 0, name, total)
                sheet.write(row + 2 + col, 1, value, total)

        # the widths a diary's and a comment's lines may take, kept short of the page's edge
        diary_width = int(sum(width for _label, width in columns[1:]) * 0.9)
        comment_width = int(sum(width for _label, width in columns[3:]) * 0.9)
        self.env["sales.daily.report.answer"].flush_model(["report_id", "section_id", "sequence", "body"])
        self.env["sales.daily.report.section"].flush_model(["name"])
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start:start + CHUNK]
            reports = {r[0]: r for r in self.env.execute_query(SQL(
                """
                SELECT r.id, r.date, r.user_id, r.team_id, p.name, t.name->>%(lang)s, t.name->>'en_US',
                       r.call_count, r.visit_count, r.customer_count, r.order_count, r.order_amount,
                       r.state, r.diary, rp.name, r.review_comment
                  FROM sales_daily_report r
                  JOIN res_users u ON u.id = r.user_id
                  JOIN res_partner p ON p.id = u.partner_id
             LEFT JOIN crm_team t ON t.id = r.team_id
             LEFT JOIN res_users ru ON ru.id = r.reviewer_id
             LEFT JOIN res_partner rp ON rp.id = ru.partner_id
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
            # the sections their authors answered, in the reader's language (record rules applied)
            visible_answers = self.env["sales.daily.report.answer"]._search([("report_id", "in", chunk)])
            answers = {}
            for report_id, section, body in self.env.execute_query(SQL(
                """
                SELECT a.report_id, COALESCE(s.name->>%(lang)s, s.name->>'en_US'), a.body
                  FROM sales_daily_report_answer a
                  JOIN sales_daily_report_section s ON s.id = a.section_id
                 WHERE a.id IN %(answers)s AND a.body IS NOT NULL
                 ORDER BY a.report_id, a.sequence, a.id
                """, answers=visible_answers.subselect(), lang=self.env.lang or "en_US")):
                if body.strip():
                    answers.setdefault(report_id, []).append((section, body))
            for report_id in chunk:
                (_id, report_date, user_id, team_id, person, team_lang, team_en,
                 calls, visits, customers, orders, amount, state, diary, reviewer, comment) = reports[report_id]
                key = user_id if by_user else team_id
                if key != sheet_key:
                    close_sheet()
                    sheet = open_sheet(key, person, team_lang or team_en or no_unit)
                    sheet_key, totals, row = key, [0, 0, 0, 0, 0.0], HEAD_ROW + 1
                totals = [totals[0] + (calls or 0), totals[1] + (visits or 0), totals[2] + (customers or 0),
                          totals[3] + (orders or 0), totals[4] + float(amount or 0)]
                day = (report_date - EXCEL_EPOCH).days
                draft = state == "draft"
                cell = cells[draft]
                status, status_cell = states.get(state, state), status_draft if draft else cell["text"]
                for (_rid, customer, contact, channel, duration, subject, result, next_step,
                     next_date, classification) in lines.get(report_id, [(None,) * 10]):
                    # typed writes: xlsxwriter's generic write() and write_datetime() cost several times more;
                    # empty cells are written only on a draft, for its shade
                    sheet.write_number(row, 0, day, cell["date"])
                    sheet.write_string(row, 1, person, cell["text"])
                    for col, value in ((2, customer), (3, contact), (4, channels.get(channel)), (6, subject),
                                       (7, result), (8, next_step), (10, classes.get(classification))):
                        if value:
                            sheet.write_string(row, col, value, cell["text"])
                        elif draft:
                            sheet.write_blank(row, col, None, cell["text"])
                    if duration:
                        sheet.write_number(row, 5, round(duration * 60), cell["number"])
                    elif draft:
                        sheet.write_blank(row, 5, None, cell["number"])
                    if next_date:
                        sheet.write_number(row, 9, (next_date - EXCEL_EPOCH).days, cell["date"])
                    elif draft:
                        sheet.write_blank(row, 9, None, cell["date"])
                    sheet.write_string(row, last_col, status, status_cell)
                    row += 1
                # the answered sections, the diary, then the reviewer and their comment, under the report's calls
                for section, body in answers.get(report_id, ()):
                    for index, line in enumerate(_wrap(body, diary_width)):
                        if not index:
                            sheet.write_string(row, 0, section, label)
                        sheet.write_string(row, 1, line, note)
                        row += 1
                for index, line in enumerate(_wrap(_plain_text(diary), diary_width)):
                    if not index:
                        sheet.write_string(row, 0, texts["diary"], label)
                    sheet.write_string(row, 1, line, note)
                    row += 1
                if reviewer or comment:
                    sheet.write_string(row, 0, texts["reviewer"], label)
                    if reviewer:
                        sheet.write_string(row, 1, reviewer, note)
                    sheet.write_string(row, 2, texts["comment"], label)
                    for index, line in enumerate(_wrap(comment or "", comment_width)):
                        row += bool(index)
                        sheet.write_string(row, 3, line, note)
                    row += 1
        close_sheet()
        workbook.close()
