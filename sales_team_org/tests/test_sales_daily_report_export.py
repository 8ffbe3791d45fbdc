import io

import openpyxl

from odoo import Command, fields
from odoo.tests import tagged

from .common import SalesOrgCommon


@tagged("post_install", "-at_install")
class TestSalesDailyReportExport(SalesOrgCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.is_company = True
        cls.today = today = cls.env.company._sales_org_today()
        cls.reports = cls.env["sales.daily.report"]
        for person, days, channel in ((cls.rep_shanghai, 2, "phone"), (cls.supervisor, 1, "visit")):
            for day in range(days):
                cls.reports |= cls.env["sales.daily.report"].with_user(person).create({
                    "date": fields.Date.add(today, days=-day),
                    "line_ids": [Command.create({
                        "partner_id": cls.customer.id, "channel": channel, "subject": f"Talk {day}",
                        "contact_name": "Mr. Li", "next_step": "Call again",
                    })],
                })

    def export(self, user, **values):
        wizard = self.env["sales.daily.report.export"].with_user(user).create(values)
        fileobj = io.BytesIO()
        wizard._write_xlsx(fileobj)
        fileobj.seek(0)
        return openpyxl.load_workbook(fileobj)

    def test_one_sheet_per_person_like_the_paper_form(self):
        book = self.export(self.supervisor, report_ids=[Command.set(self.reports.ids)])
        self.assertEqual(book.sheetnames, sorted([self.supervisor.name, self.rep_shanghai.name]))
        sheet = book[self.rep_shanghai.name]
        self.assertEqual(sheet["A1"].value, "Daily Sales Report")
        self.assertEqual([c.value for c in sheet[4]][:7],
                         ["Date", "Salesperson", "Customer", "Contact Person", "Channel", "Duration", "Discussed"])
        self.assertEqual({sheet["A5"].value.date(), sheet["A6"].value.date()},
                         {self.today, fields.Date.add(self.today, days=-1)})
        self.assertEqual(sheet["C5"].value, "T Customer")
        self.assertEqual(sheet["E5"].value, "Phone")
        self.assertEqual({sheet["G5"].value, sheet["G6"].value}, {"Talk 0", "Talk 1"})
        self.assertEqual(sheet["A8"].value, "Total")
        self.assertEqual((sheet["A9"].value, sheet["B9"].value), ("Calls", 2))
        self.assertEqual((sheet["A10"].value, sheet["B10"].value), ("Visits", 0))

    def test_sheet_per_unit_and_access(self):
        book = self.export(self.manager, sheet_by="team", team_id=self.east.id)
        self.assertEqual(book.sheetnames, ["T Shanghai Phone"])
        self.assertEqual(book["T Shanghai Phone"].max_row, 4 + 3 + 7)  # heading, 3 lines, totals
        # a rep exports only what they may read
        book = self.export(self.rep_shanghai, team_id=self.east.id)
        self.assertEqual(book.sheetnames, [self.rep_shanghai.name])

    def test_printable_report(self):
        html, _format = self.env["ir.actions.report"]._render_qweb_html(
            "sales_team_org.report_sales_daily_report", self.reports[:1].ids)
        self.assertIn(b"Daily Sales Report", html)
        self.assertIn(b"Talk 0", html)
        self.assertIn(b"Mr. Li", html)
