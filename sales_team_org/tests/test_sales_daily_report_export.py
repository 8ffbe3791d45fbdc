import io

import openpyxl

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged
from odoo.tools import format_date
from odoo.tools.safe_eval import safe_eval

from ..wizards.sales_daily_report_export import _plain_text, _wrap
from .common import SalesOrgCommon

HEADERS_EN = ["Date", "Salesperson", "Customer", "Contact Person", "Contact Method", "Duration (min)", "Discussed",
              "Result", "Next Step", "Next Step Date", "Classification", "Status"]
HEADERS_ZH = ["日期", "销售员", "客户", "联系人", "沟通方式", "时长（分钟）", "洽谈内容",
              "结果", "下一步", "下一步日期", "客户分类", "状态"]
DRAFT_FILL = "FFFFF2CC"


@tagged("post_install", "-at_install")
class TestSalesDailyReportExport(HttpCase, SalesOrgCommon):
    """The XLSX a manager prints: the paper 电话销售日报表, a sheet per person or unit."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.en = cls.env(context=dict(cls.env.context, lang="en_US"))
        cls.customer.is_company = True
        cls.today = today = cls.env.company._sales_org_today()
        cls.yesterday = fields.Date.add(today, days=-1)
        cls.reports = cls.env["sales.daily.report"]
        for person, days, channel in ((cls.rep_shanghai, 2, "phone"), (cls.supervisor, 1, "visit")):
            for day in range(days):
                cls.reports |= cls.env["sales.daily.report"].with_user(person).create({
                    "date": fields.Date.add(today, days=-day),
                    "line_ids": [Command.create({
                        "partner_id": cls.customer.id, "channel": channel, "subject": f"Talk {day}",
                        "contact_name": "Mr. Li", "next_step": "Call again", "duration": 0.5 - day / 4,
                    })],
                })
        # the rep's day before: a diary, submitted, approved with a comment; today's stays a draft
        cls.reviewed = cls.reports.filtered(lambda r: r.user_id == cls.rep_shanghai).sorted("date")[0]
        cls.reviewed.with_user(cls.rep_shanghai).write({
            "diary": "<p>Met <b>Mr. Li</b> about the gate.</p><p>He wants a sample.</p>"})
        cls.reviewed.with_user(cls.rep_shanghai).action_submit()
        cls.reviewed.with_user(cls.supervisor).write({"review_comment": "Send the sample this week."})
        cls.reviewed.with_user(cls.supervisor).action_approve()

    def export(self, user, **values):
        wizard = self.env["sales.daily.report.export"].with_user(user).with_context(lang="en_US").create(values)
        fileobj = io.BytesIO()
        wizard._write_xlsx(fileobj)
        fileobj.seek(0)
        return openpyxl.load_workbook(fileobj)

    def rows(self, sheet):
        return [[cell.value for cell in row] for row in sheet.iter_rows()]

    def test_one_sheet_per_person_like_the_paper_form(self):
        book = self.export(self.supervisor, report_ids=[Command.set(self.reports.ids)])
        self.assertEqual(book.sheetnames, sorted([self.supervisor.name, self.rep_shanghai.name]))
        sheet = book[self.rep_shanghai.name]
        # the title, then the unit, the period and the person, each merged across the page
        self.assertEqual({str(merged) for merged in sheet.merged_cells.ranges}, {"A1:L1", "A2:L2"})
        self.assertEqual(sheet["A1"].value, "Daily Sales Report")
        self.assertEqual(sheet["A2"].value, "    ".join([
            "Unit: T Shanghai Phone",
            f"Period: {format_date(self.en, self.yesterday)} – {format_date(self.en, self.today)}",
            f"Salesperson: {self.rep_shanghai.name}",
        ]))
        self.assertEqual([cell.value for cell in sheet[3]], HEADERS_EN)
        # the reviewed report: its call, then its diary a paragraph a row, its reviewer and comment
        self.assertEqual(self.rows(sheet)[3][1:], [
            self.rep_shanghai.name, "T Customer", "Mr. Li", "Phone", 15, "Talk 1", None, "Call again", None, None,
            "Reviewed",
        ])
        self.assertEqual(sheet["A4"].value.date(), self.yesterday)
        self.assertEqual(self.rows(sheet)[4:7], [
            ["Sales Diary", "Met Mr. Li about the gate."] + [None] * 10,
            [None, "He wants a sample."] + [None] * 10,
            ["Reviewer", self.supervisor.name, "Review Comment", "Send the sample this week."] + [None] * 8,
        ])
        # today's draft: marked in its status and shaded, no reviewer row
        self.assertEqual(sheet["A8"].value.date(), self.today)
        self.assertEqual((sheet["F8"].value, sheet["G8"].value, sheet["L8"].value), (30, "Talk 0", "Draft"))
        for ref in ("A8", "C8", "H8", "L8"):
            self.assertEqual(sheet[ref].fill.fgColor.rgb, DRAFT_FILL, f"{ref} is shaded as a draft")
        self.assertNotEqual(sheet["A4"].fill.fgColor.rgb, DRAFT_FILL, "a reviewed report is not")
        self.assertTrue(sheet["L8"].font.b)
        self.assertEqual(sheet["A10"].value, "Total")
        self.assertEqual((sheet["A11"].value, sheet["B11"].value), ("Calls", 2))
        self.assertEqual((sheet["A12"].value, sheet["B12"].value), ("Visits", 0))
        self.assertEqual(sheet.max_row, 15)
        # the supervisor's own visit, in minutes too
        sheet = book[self.supervisor.name]
        self.assertEqual([sheet[ref].value for ref in ("E4", "F4", "L4")], ["Visit", 30, "Draft"])

    def test_answered_sections_before_the_diary(self):
        """今日完成 / 需协调…: the sections the author answered, a line a row under the report's calls,
        in the template's order; the empty ones are left out."""
        draft = self.reports.filtered(lambda r: r.user_id == self.rep_shanghai and r.date == self.today)
        answers = {answer.section_id.get_external_id()[answer.section_id.id].split(".")[1]: answer
                   for answer in draft.with_user(self.rep_shanghai).answer_ids}
        answers["daily_report_section_coordination"].body = "3% off for Hengda?\nThe manager decides."
        answers["daily_report_section_done"].body = "Quoted Hengda"
        answers["daily_report_section_tomorrow"].body = "  \n "  # nothing to say
        book = self.export(self.supervisor, report_ids=[Command.set(self.reports.ids)])
        sheet = book[self.rep_shanghai.name]
        # the reviewed report (calls, diary, reviewer) as before, then today's call and its sections
        self.assertEqual(self.rows(sheet)[4][:2], ["Sales Diary", "Met Mr. Li about the gate."])
        self.assertEqual((sheet["G8"].value, sheet["L8"].value), ("Talk 0", "Draft"))
        self.assertEqual(self.rows(sheet)[8:11], [
            ["Done Today", "Quoted Hengda"] + [None] * 10,
            ["Needs Coordination", "3% off for Hengda?"] + [None] * 10,
            [None, "The manager decides."] + [None] * 10,
        ])
        for ref in ("A9", "A10"):
            self.assertTrue(sheet[ref].font.b, f"{ref} is a label")
        self.assertEqual(sheet["A13"].value, "Total")
        self.assertEqual(sheet.max_row, 18)
        # a sheet per unit shows them the same way
        sheet = self.export(self.manager, sheet_by="team", team_id=self.east.id)["T Shanghai Phone"]
        self.assertIn(["Needs Coordination", "3% off for Hengda?"] + [None] * 10, self.rows(sheet))
        self.assertNotIn("Not Done", [row[0] for row in self.rows(sheet)])

    def test_long_texts_run_on_in_lines_as_wide_as_the_page(self):
        chinese = "今天拜访了张总，谈了价格，他要样品。" * 12
        lines = _wrap(chinese, 100)
        self.assertEqual("".join(lines), chinese, "nothing lost")
        self.assertEqual([len(line) for line in lines], [50, 50, 50, 50, 16])  # a CJK character is two wide
        latin = "Mr. Li wants a sample of the gate before he orders for the new plant in Suzhou. " * 3
        lines = _wrap(latin, 40)
        self.assertTrue(all(len(line) <= 40 for line in lines))
        self.assertEqual(" ".join(lines), latin.strip(), "cut between words")
        self.assertEqual(_wrap("one\n\ntwo", 40), ["one", "two"])
        self.assertEqual(_plain_text("<p>A <b>bold</b> day</p><ul><li>one</li><li>two<br/>three</li></ul>"),
                         "A bold day\none\ntwo\nthree")

    def test_prints_on_a4_landscape_as_wide_as_the_page(self):
        book = self.export(self.manager, sheet_by="team", team_id=self.east.id)
        for sheet in book.worksheets:
            with self.subTest(sheet=sheet.title):
                self.assertEqual(sheet.page_setup.orientation, "landscape")
                self.assertEqual(int(sheet.page_setup.paperSize), 9)  # A4
                self.assertTrue(sheet.sheet_properties.pageSetUpPr.fitToPage)
                # one page wide (1 is the default, left out of the file), as many pages long as it takes
                self.assertEqual(int(sheet.page_setup.fitToWidth or 1), 1)
                self.assertEqual(int(sheet.page_setup.fitToHeight), 0)
                self.assertEqual(sheet.print_title_rows, "$1:$3")  # title, unit and period, headers
                self.assertEqual(sheet.freeze_panes, "A4")
                self.assertIn("&P", sheet.oddFooter.center.text)

    def test_sheet_per_unit_and_access(self):
        book = self.export(self.manager, sheet_by="team", team_id=self.east.id)
        self.assertEqual(book.sheetnames, ["T Shanghai Phone"])
        sheet = book["T Shanghai Phone"]
        # the unit's leader: the supervisor leads the Shanghai group
        self.assertTrue(sheet["A2"].value.startswith("Unit: T Shanghai Phone    Period: "))
        self.assertTrue(sheet["A2"].value.endswith(f"    Unit Leader: {self.supervisor.name}"))
        # title, unit and headers; 3 calls, a diary of two paragraphs and a review; a blank row and the totals
        self.assertEqual(sheet.max_row, 3 + 3 + 2 + 1 + 1 + 6)
        # by day, then by person: yesterday's call with its diary and review, then today's calls
        self.assertEqual([row[1] for row in self.rows(sheet)[3:9]], [
            self.rep_shanghai.name, "Met Mr. Li about the gate.", "He wants a sample.",
            self.supervisor.name, self.rep_shanghai.name, self.supervisor.name,
        ])
        # a rep exports only what they may read
        book = self.export(self.rep_shanghai, team_id=self.east.id)
        self.assertEqual(book.sheetnames, [self.rep_shanghai.name])
        # a unit with a unit manager: the manager leads it
        self.env["sales.daily.report"].with_user(self.manager).create({"date": self.today})
        book = self.export(self.manager, sheet_by="team", team_id=self.east.id)
        self.assertCountEqual(book.sheetnames, ["T East Business", "T Shanghai Phone"])
        self.assertTrue(book["T East Business"]["A2"].value.endswith(f"    Unit Leader: {self.manager.name}"))

    def test_from_the_menu_a_period_and_a_unit(self):
        """The menu opens the assistant with no selection, on the company's month; a unit narrows it."""
        action = self.env.ref("sales_team_org.sales_daily_report_export_action")
        menu = self.env.ref("sales_team_org.menu_sales_daily_report_export")
        self.assertEqual(menu.action, action)
        self.assertEqual(menu.parent_id, self.env.ref("sales_team_org.menu_sales_daily_root"))
        self.assertEqual(action.target, "new")
        context = dict(safe_eval(action.context), lang="en_US")
        Export = self.env["sales.daily.report.export"].with_user(self.manager).with_context(**context)
        defaults = Export.default_get(["date_from", "date_to", "team_id", "report_ids", "sheet_by"])
        first_day = self.today.replace(day=1)
        self.assertEqual(defaults["date_from"], first_day)
        self.assertEqual(defaults["date_to"], fields.Date.end_of(self.today, "month"))
        self.assertFalse(defaults.get("team_id"), "the unit is optional")
        self.assertFalse(defaults.get("report_ids"))
        wizard = Export.create({**defaults, "team_id": self.shanghai.id})
        self.assertEqual(wizard.action_export()["url"], f"/sales_team_org/daily_reports/xlsx/{wizard.id}")
        fileobj = io.BytesIO()
        wizard._write_xlsx(fileobj)
        fileobj.seek(0)
        book = openpyxl.load_workbook(fileobj)
        in_month = self.reports.filtered(lambda r: r.date >= first_day)
        self.assertEqual(book.sheetnames, sorted(in_month.user_id.mapped("name")))
        self.assertIn(f"Period: {format_date(self.en, first_day)} – ", book.worksheets[0]["A2"].value)
        # outside the unit: nothing matches, as before
        wizard.team_id = self.north
        with self.assertRaisesRegex(UserError, "No daily report matches"):
            wizard.action_export()
        # the same action from a selection still exports the selection, whatever the month
        selection = Export.with_context(active_model="sales.daily.report", active_ids=self.reviewed.ids) \
            .default_get(["date_from", "date_to", "report_ids"])
        self.assertEqual(selection["report_ids"], [Command.set(self.reviewed.ids)])
        self.assertFalse(selection.get("date_from") or selection.get("date_to"))

    def test_chinese_download(self):
        """A manager whose language is 简体中文 downloads the file: every header in Chinese."""
        self.env["res.lang"]._activate_lang("zh_CN")
        modules = self.env["ir.module.module"].search([("name", "in", ["base", "sales_team_org"])])
        modules._update_translations(["zh_CN"])
        self.manager.lang = "zh_CN"
        wizard = self.env["sales.daily.report.export"].with_user(self.manager).create({
            "date_from": self.yesterday, "date_to": self.today, "team_id": self.shanghai.id})
        self.authenticate("t_manager", "t_manager")
        response = self.url_open(f"/sales_team_org/daily_reports/xlsx/{wizard.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("filename*=UTF-8''%E7%94%B5%E8%AF%9D%E9%94%80%E5%94%AE%E6%97%A5%E6%8A%A5%E8%A1%A8",
                      response.headers["Content-Disposition"])  # 电话销售日报表
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        sheet = book[self.rep_shanghai.name]
        zh = self.env(context={"lang": "zh_CN"})
        self.assertEqual(sheet["A1"].value, "电话销售日报表")
        self.assertEqual(sheet["A2"].value, "    ".join([
            "团队：T Shanghai Phone",
            f"期间：{format_date(zh, self.yesterday)} 至 {format_date(zh, self.today)}",
            f"销售员：{self.rep_shanghai.name}",
        ]))
        self.assertIn("年", sheet["A2"].value, "dates as a Chinese reader writes them")
        self.assertEqual([cell.value for cell in sheet[3]], HEADERS_ZH)
        self.assertEqual([sheet[ref].value for ref in ("E4", "F4", "L4", "A5", "A7", "C7", "L8")],
                         ["电话", 15, "已审阅", "销售日记", "审阅人", "审阅意见", "草稿"])
        self.assertEqual([sheet[ref].value for ref in ("A10", "A11")], ["总计", "电话"])
        self.assertEqual(sheet.oddFooter.center.text, "第 &P 页，共 &N 页")

    def test_printable_report(self):
        html, _format = self.env["ir.actions.report"]._render_qweb_html(
            "sales_team_org.report_sales_daily_report", self.reports[:1].ids)
        self.assertIn(b"Daily Sales Report", html)
        self.assertIn(b"Talk 0", html)
        self.assertIn(b"Mr. Li", html)

    def manager_exports_month(self, lang):
        self.browser_size = "1366x768"
        self.start_tour("/odoo", f"sales_team_org_manager_exports_month_{lang}", login="t_manager")
        wizard = self.env["sales.daily.report.export"].search([("create_uid", "=", self.manager.id)])
        first_day = self.today.replace(day=1)
        self.assertEqual((wizard.date_from, wizard.date_to, wizard.team_id, wizard.report_ids),
                         (first_day, fields.Date.end_of(self.today, "month"), self.shanghai, self.reports.browse()))
        fileobj = io.BytesIO()
        wizard.with_user(self.manager).with_context(lang=lang)._write_xlsx(fileobj)
        fileobj.seek(0)
        in_month = self.reports.filtered(lambda r: r.date >= first_day)
        self.assertEqual(openpyxl.load_workbook(fileobj).sheetnames, sorted(in_month.user_id.mapped("name")))

    def test_manager_exports_month_from_the_menu_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"].search([
            ("name", "in", ["base", "web", "crm", "sales_team", "sales_team_org"]),
        ])._update_translations(["zh_CN"])
        self.manager.lang = "zh_CN"
        self.manager_exports_month("zh_CN")
