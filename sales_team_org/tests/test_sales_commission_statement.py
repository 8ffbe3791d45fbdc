import io
import re
import shutil
import subprocess
import tempfile
from datetime import date

from dateutil.relativedelta import relativedelta

import openpyxl
from freezegun import freeze_time
from lxml import html as lxml_html

from odoo import Command
from odoo.addons.base.models.ir_qweb import QWebException
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, HttpCase, new_test_user, tagged
from odoo.tools.pdf import PdfFileReader
from odoo.tools.safe_eval import safe_eval, time

from odoo.addons.sales_team_org.models.sales_commission_rule import correcting

from .common import SalesOrgCommon

OCTOBER, SEPTEMBER = date(2026, 10, 1), date(2026, 9, 1)
SETTLEMENT_HEADERS = [
    "Person", "Unit", "Status", "Own Sale", "Tiers on the Month's Total", "Accelerator", "Target Bonus", "Override",
    "Management Fee", "Reward or Demerit Slip", "Rounding", "Adjustment", "Dispute Outcome", "Total",
]
LINE_HEADERS = [
    "Person", "Unit", "Month Credited", "Date", "Why", "Level", "Rule", "Version", "Source", "Customer", "Sold By",
    "Unit of the Sale", "Base", "Rate (%)", "Amount", "Adjusts", "Note",
]
# Qt's PDF engine names some ideographs by the Kangxi radical of the same glyph (⽉ for 月)
RADICALS = "\u2e80-\u2fdf"
CJK = re.compile(r"[\u3400-\u9fff]")


@tagged("post_install", "-at_install")
class TestSalesCommissionStatement(HttpCase, SalesOrgCommon):
    """What a person receives of their commissions: the PDF statement that explains every line,
    the XLSX of a month per unit (only what the reader may see), the sales administrator's
    Compute and the scheduled action that drafts last month on the first working day."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.admin = new_test_user(cls.env, login="t_sales_admin", groups="sales_team.group_sale_manager",
                                  name="T Sales Admin")
        Rule = cls.env["sales.commission.rule"]
        first = Rule.create({"name": "T Own Sales", "rate": 2, "date_from": date(2026, 1, 1)})
        cls.own_rule = first._new_version(date(2026, 7, 1))
        cls.own_rule.rate = 3
        cls.tier_rule = Rule.create({"name": "T Tiers", "rule_type": "tiered", "date_from": date(2026, 1, 1),
                                     "tier_ids": [Command.create({"amount_from": 0, "amount_to": 1000, "rate": 1}),
                                                  Command.create({"amount_from": 1000, "rate": 2})]})
        cls.bonus_rule = Rule.create({"name": "T Target Bonus", "rule_type": "target_bonus", "bonus_amount": 500,
                                      "date_from": date(2026, 1, 1)})
        cls.override_rule = Rule.create({"name": "T Override", "rule_type": "override", "date_from": date(2026, 1, 1),
                                         "level_ids": [Command.create({"level": 1, "rate": 1}),
                                                       Command.create({"level": 2, "rate": 0.5})]})
        cls.fee_rule = Rule.create({"name": "T Key-Account Fee", "rule_type": "key_account_fee", "fee_permille": 2,
                                    "date_from": date(2026, 1, 1)})
        cls.order = cls.orders[cls.rep_shanghai]
        cls.order.action_confirm()
        cls.north_order = cls.orders[cls.rep_north]
        cls.north_order.action_confirm()
        cls.director_order = cls.orders[cls.director]
        cls.director_order.action_confirm()
        (cls.order | cls.north_order | cls.director_order).date_order = "2026-10-12 04:00:00"

        # September, confirmed: the line October adjusts and the one the rep disputed
        cls.september = cls.settle(cls.rep_shanghai, cls.shanghai, SEPTEMBER, [
            cls.own(cls.order, date(2026, 9, 10), 1100.0),
        ], state="confirmed")
        cls.september_line = cls.september.line_ids
        cls.dispute = cls.env["sales.commission.dispute"].with_user(cls.rep_shanghai).create({
            "line_id": cls.september_line.id, "description": "The discount was the customer's", "amount_claimed": 5,
        })
        cls.slip = cls.env["sales.slip"].with_user(cls.manager).create({
            "person_id": cls.rep_shanghai.id, "kind": "reward", "points": 2, "amount": 200, "date": date(2026, 10, 20),
            "description": "<p>Won the gates of T Customer</p>",
        })
        order_line = cls.order.order_line
        cls.october = cls.settle(cls.rep_shanghai, cls.shanghai, OCTOBER, [
            cls.own(cls.order, date(2026, 10, 12), 1000.0),
            {"kind": "tier", "source_ref": "tier", "rule_id": cls.tier_rule.id, "base_amount": 1000.0, "rate": 1,
             "amount": 10.0},
            {"kind": "accelerator", "source_ref": "accelerator", "rule_id": cls.own_rule.id, "base_amount": 30.0,
             "rate": 20, "amount": 6.0, "note": "Achievement 120 %"},
            {"kind": "bonus", "source_ref": "bonus", "rule_id": cls.bonus_rule.id, "amount": 500.0,
             "note": "Achievement 120 %"},
            {"kind": "override", "source_ref": f"sol:{cls.north_order.order_line.id}", "level": 2,
             "rule_id": cls.override_rule.id, "order_id": cls.north_order.id,
             "order_line_id": cls.north_order.order_line.id, "partner_id": cls.customer.id,
             "seller_id": cls.rep_north.id, "team_id": cls.north.id, "date": date(2026, 10, 14),
             "base_amount": 2000.0, "rate": 0.5, "amount": 10.0},
            {"kind": "fee", "source_ref": f"sol:{cls.director_order.order_line.id}", "rule_id": cls.fee_rule.id,
             "order_id": cls.director_order.id, "order_line_id": cls.director_order.order_line.id,
             "partner_id": cls.customer.id, "seller_id": cls.director.id, "team_id": cls.shanghai.id,
             "date": date(2026, 10, 16), "base_amount": 5000.0, "rate": 0.2, "amount": 10.0},
            {"kind": "slip", "source_ref": f"slip:{cls.slip.id}", "slip_id": cls.slip.id, "date": date(2026, 10, 20),
             "amount": 200.0},
            {"kind": "rounding", "source_ref": "rounding", "rule_id": cls.own_rule.id, "amount": 0.01},
            {"kind": "adjustment", "source_ref": f"sol:{order_line.id}", "rule_id": cls.own_rule.id,
             "period_date": SEPTEMBER, "order_id": cls.order.id, "order_line_id": order_line.id,
             "partner_id": cls.customer.id, "seller_id": cls.rep_shanghai.id, "team_id": cls.shanghai.id,
             "date": date(2026, 9, 10), "origin_line_id": cls.september_line.id, "base_amount": -100.0, "rate": 3,
             "amount": -3.0, "note": "The order was changed after September was confirmed"},
            {"kind": "dispute", "source_ref": f"dispute:{cls.dispute.id}", "dispute_id": cls.dispute.id,
             "origin_line_id": cls.september_line.id, "amount": 5.0, "note": "Granted by the manager"},
        ])
        cls.north_settlement = cls.settle(cls.rep_north, cls.north, OCTOBER, [
            cls.own(cls.north_order, date(2026, 10, 14), 2000.0, seller=cls.rep_north, team=cls.north),
        ])
        cls.manager_settlement = cls.settle(cls.manager, cls.east_business, OCTOBER, [
            {"kind": "override", "source_ref": f"sol:{order_line.id}", "level": 2, "rule_id": cls.override_rule.id,
             "order_id": cls.order.id, "order_line_id": order_line.id, "partner_id": cls.customer.id,
             "seller_id": cls.rep_shanghai.id, "team_id": cls.shanghai.id, "date": date(2026, 10, 12),
             "base_amount": 1000.0, "rate": 0.5, "amount": 5.0},
        ])

    @classmethod
    def own(cls, order, day, base, seller=None, team=None):
        line = order.order_line
        return {"kind": "own", "source_ref": f"sol:{line.id}", "rule_id": cls.own_rule.id, "order_id": order.id,
                "order_line_id": line.id, "partner_id": order.partner_id.id,
                "seller_id": (seller or cls.rep_shanghai).id, "team_id": (team or cls.shanghai).id, "date": day,
                "base_amount": base, "rate": 3, "amount": base * 3 / 100}

    @classmethod
    def settle(cls, person, team, month, lines, state="draft"):
        """A settlement as the run writes it (sudo), with its lines."""
        settlement = cls.env["sales.commission.settlement"].sudo().create({
            "user_id": person.id, "team_id": team.id, "company_id": cls.company.id, "date_from": month,
            "date_to": cls.company._sales_org_period("month", month)[1], "state": state,
            "amount_total": sum(line["amount"] for line in lines), "line_count": len(lines),
        })
        cls.env["sales.commission.settlement.line"].sudo().create([{
            "period_date": month, **line, "settlement_id": settlement.id, "user_id": person.id,
            "company_id": cls.company.id,
        } for line in lines])
        return settlement

    # ------------------------------------------------------------------
    # The PDF statement
    # ------------------------------------------------------------------

    def statement_html(self, user, settlements, lang="en_US"):
        report = self.env.ref("sales_team_org.action_report_sales_commission_statement")
        env = self.env(user=user, context=dict(self.env.context, lang=lang))
        content, content_type = env["ir.actions.report"]._render_qweb_html(report, settlements.ids)
        self.assertEqual(content_type, "html")
        return lxml_html.fromstring(content)

    @staticmethod
    def text(node):
        return re.sub(r"\s+", " ", node.text_content().replace("\ufeff", "")).strip()

    def test_statement_explains_every_line(self):
        page = self.statement_html(self.rep_shanghai, self.october)
        text = self.text(page)
        for label in ("Commission Statement", "Person: T_Rep_Shanghai", "Unit: T Shanghai Phone", "Month: Oct 2026",
                      "Status: Draft"):
            self.assertIn(label, text)
        rows = [self.text(row) for row in page.xpath("//table[contains(@class, 'o_sto_lines')]/tbody/tr")]
        # grouped by kind, in the kinds' order, each with its subtotal
        kinds = [row for row in rows if row in {
            "Own Sale ¥ 30.00", "Tiers on the Month's Total ¥ 10.00", "Accelerator ¥ 6.00", "Target Bonus ¥ 500.00",
            "Override ¥ 10.00", "Management Fee ¥ 10.00", "Reward or Demerit Slip ¥ 200.00", "Rounding ¥ 0.01",
            "Adjustment ¥ -3.00", "Dispute Outcome ¥ 5.00",
        }]
        self.assertEqual(len(kinds), 10, "\n".join(rows))
        self.assertEqual(rows.index(kinds[0]), 0)
        self.assertLess(rows.index(kinds[4]), rows.index(kinds[5]))
        self.assertEqual(len(rows), 20, "a row per kind and a row per line")
        own, override, fee, slip, adjustment, dispute = (rows[1], rows[9], rows[11], rows[13], rows[17], rows[19])
        # date, source, customer, rule and version, base, rate, amount
        self.assertRegex(own, rf"^10/12/2026 {self.order.name} · T Gate T Customer T Own Sales v2 ¥ 1,000.00 3 % ¥ 30.00$")
        self.assertIn(f"{self.north_order.name} · T Gate Override of level 2 Sold by T_Rep_North (T North)", override)
        self.assertTrue(override.endswith("T Override v1 ¥ 2,000.00 0.5 % ¥ 10.00"), override)
        # the fee in ‰: its rate is kept in %
        self.assertIn(f"{self.director_order.name} · T Gate Sold by T_Director", fee)
        self.assertTrue(fee.endswith("T Key-Account Fee v1 ¥ 5,000.00 2 ‰ ¥ 10.00"), fee)
        self.assertIn(self.slip.display_name, slip)
        self.assertTrue(slip.endswith("¥ 200.00"))
        # an adjustment points to the month and the line it corrects
        self.assertIn(f"Adjusts Sep 2026: {self.order.name} ¥ 33.00", adjustment)
        self.assertIn("The order was changed after September was confirmed", adjustment)
        self.assertIn(self.dispute.display_name, dispute)
        self.assertIn("Granted by the manager", dispute)
        total = self.text(page.xpath("//table[contains(@class, 'o_sto_lines')]/tfoot")[0])
        self.assertEqual(total, "Total ¥ 768.01")

    def test_statement_readers(self):
        # the person's leader reads it; another rep does not
        text = self.text(self.statement_html(self.manager, self.october))
        self.assertIn("T_Rep_Shanghai", text)
        self.env.invalidate_all()  # as a new request: nothing read by somebody else in the cache
        with self.assertRaises(QWebException) as error:
            self.statement_html(self.rep_north, self.october)
        self.assertIsInstance(error.exception.__cause__, AccessError)
        # the settlement's button prints the same report
        report = self.env.ref("sales_team_org.action_report_sales_commission_statement")
        self.assertEqual(report._get_report_from_name("sales_team_org.report_sales_commission_statement"), report)
        # named after the person and the month
        self.assertEqual(safe_eval(report.print_report_name, {"object": self.october, "time": time}),
                         "T_Rep_Shanghai - 2026-10")

    def test_statement_in_chinese(self):
        self.speak_chinese()
        self.rep_shanghai.name = "陈静"
        self.shanghai.name = "上海电话销售组"
        page = self.statement_html(self.rep_shanghai, self.october, lang="zh_CN")
        div = page.xpath("//div[contains(@class, 'o_sto_commission')]")[0]
        self.assertEqual(div.get("lang"), "zh-CN")
        self.assertIn("o_sto_cjk", div.get("class"))
        self.assertIn('"Noto Sans CJK SC"', "".join(style.text_content() for style in div.xpath(".//style")))
        text = self.text(page)
        for term in ("陈静", "上海电话销售组", "2026年10月", "2026年9月"):
            self.assertIn(term, text)
        # the PDF wkhtmltopdf makes, Chinese glyphs and all
        if self.env["ir.actions.report"].get_wkhtmltopdf_state() in ("install", "broken"):
            self.skipTest("no working wkhtmltopdf here")
        report = self.env.ref("sales_team_org.action_report_sales_commission_statement")
        env = self.env(user=self.rep_shanghai, context=dict(self.env.context, lang="zh_CN",
                                                             force_report_rendering=True))
        content, content_type = env["ir.actions.report"]._render_qweb_pdf(report, self.october.ids)
        self.assertEqual(content_type, "pdf")
        self.assertTrue(content.startswith(b"%PDF"))
        lines = self.pdf_lines(content)
        pdf_text = "\n".join(lines)
        for term in ("陈静", "上海电话销售组", "2026年10月", self.order.name, "768.01"):
            pattern = "".join(f"[{char}{RADICALS}]" if CJK.match(char) else re.escape(char) for char in term)
            self.assertTrue(any(re.search(pattern, line) for line in lines), f"{term} not in the PDF:\n{pdf_text}")

    @staticmethod
    def pdf_lines(content):
        if shutil.which("pdftotext"):
            with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
                pdf.write(content)
                pdf.flush()
                text = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", pdf.name, "-"],
                                      check=True, capture_output=True).stdout.decode()
        else:
            text = "\n".join(page.extract_text() for page in PdfFileReader(io.BytesIO(content)).pages)
        return [re.sub(r"\s+", " ", line).strip() for line in text.splitlines() if line.strip()]

    # ------------------------------------------------------------------
    # The XLSX of a month
    # ------------------------------------------------------------------

    def export(self, user, **values):
        """The workbook `user` downloads, through the assistant and its attachment."""
        Export = self.env["sales.commission.export"].with_user(user).with_context(lang="en_US")
        action = Export.create({"date_from": OCTOBER, **values}).action_export()
        self.assertEqual(action["type"], "ir.actions.act_url")
        attachment = self.env["ir.attachment"].with_user(user).browse(int(action["url"].split("/")[-1].split("?")[0]))
        self.assertTrue(attachment.name.endswith("2026-10.xlsx"), attachment.name)
        book = openpyxl.load_workbook(io.BytesIO(attachment.raw))
        self.assertEqual(book.sheetnames, ["Settlements", "Lines"])
        return [[[cell.value for cell in row] for row in book[name].iter_rows()] for name in book.sheetnames]

    def test_export_a_rep_gets_their_own(self):
        settlements, lines = self.export(self.rep_shanghai)
        self.assertEqual(settlements[0], SETTLEMENT_HEADERS)
        self.assertEqual(settlements[1:], [
            ["T_Rep_Shanghai", "T Shanghai Phone", "Draft", 30, 10, 6, 500, 10, 10, 200, 0.01, -3, 5, 768.01],
        ])
        self.assertEqual(lines[0], LINE_HEADERS)
        self.assertEqual(len(lines), 11)
        self.assertEqual({row[0] for row in lines[1:]}, {"T_Rep_Shanghai"})
        # by kind, as the statement
        self.assertEqual([row[4] for row in lines[1:]], [
            "Own Sale", "Tiers on the Month's Total", "Accelerator", "Target Bonus", "Override", "Management Fee",
            "Reward or Demerit Slip", "Rounding", "Adjustment", "Dispute Outcome",
        ])
        own, override, fee, adjustment = lines[1], lines[5], lines[6], lines[9]
        self.assertEqual(own[:2] + own[4:], [
            "T_Rep_Shanghai", "T Shanghai Phone", "Own Sale", None, "T Own Sales", 2, self.order.name, "T Customer",
            "T_Rep_Shanghai", "T Shanghai Phone", 1000, 3, 30, None, None,
        ])
        self.assertEqual([own[2].date(), own[3].date()], [OCTOBER, date(2026, 10, 12)])
        self.assertEqual(override[5:9] + override[10:15], [2, "T Override", 1, self.north_order.name,
                                                             "T_Rep_North", "T North", 2000, 0.5, 10])
        self.assertEqual(fee[13], 0.2)
        self.assertEqual(adjustment[2].date(), SEPTEMBER)
        self.assertEqual(adjustment[15], f"Sep 2026, {self.order.name}")
        # nobody else's, whatever units are asked for
        _settlements, lines = self.export(self.rep_shanghai, team_ids=[Command.set(self.hq.ids)])
        self.assertEqual({row[0] for row in lines[1:]}, {"T_Rep_Shanghai"})
        with self.assertRaisesRegex(UserError, "No settlement"):
            self.export(self.rep_shanghai, team_ids=[Command.set(self.north.ids)])

    def test_export_leaders_and_units(self):
        # the leader of the East business unit: theirs and their people's, the unit tree's order
        settlements, lines = self.export(self.manager)
        self.assertEqual([row[0] for row in settlements[1:]], ["T_Manager", "T_Rep_Shanghai"])
        self.assertEqual(len(lines), 1 + 1 + 10)
        # the director sees all; a unit and the units below it
        settlements, _lines = self.export(self.director)
        self.assertEqual([row[0] for row in settlements[1:]], ["T_Manager", "T_Rep_Shanghai", "T_Rep_North"])
        settlements, lines = self.export(self.director, team_ids=[Command.set(self.north.ids)])
        self.assertEqual([row[0] for row in settlements[1:]], ["T_Rep_North"])
        self.assertEqual([row[0] for row in lines[1:]], ["T_Rep_North"])
        settlements, _lines = self.export(self.director, team_ids=[Command.set(self.east.ids)])
        self.assertEqual([row[0] for row in settlements[1:]], ["T_Manager", "T_Rep_Shanghai"])
        # another month
        with self.assertRaisesRegex(UserError, "No settlement"):
            self.export(self.director, date_from=date(2026, 8, 1))

    def test_export_assistant_and_file_are_the_author_s(self):
        Export = self.env["sales.commission.export"]
        with Form(Export.with_user(self.rep_shanghai)) as wizard:
            today = self.company._sales_org_today()
            self.assertEqual(wizard.date_from, today.replace(day=1) - relativedelta(months=1))
            wizard.date_from = date(2026, 10, 17)  # a day of the month is the month
        record = wizard.record
        self.assertEqual(record.create_uid, self.rep_shanghai)
        self.assertFalse(Export.with_user(self.rep_north).search([("id", "=", record.id)]))
        action = record.action_export()
        attachment = self.env["ir.attachment"].browse(int(action["url"].split("/")[-1].split("?")[0]))
        for other in (self.rep_north, self.director):
            self.env.invalidate_all()
            with self.assertRaises(AccessError):
                attachment.with_user(other).check("read")

    def test_export_query_count_constant(self):
        month = date(2025, 6, 1)
        people = [(self.rep_shanghai, self.shanghai), (self.supervisor, self.shanghai),
                  (self.clerk_east, self.east_business), (self.rep_north, self.north),
                  (self.manager, self.east_business), (self.regional_north, self.north)]
        wizard = self.env["sales.commission.export"].with_user(self.director).create({"date_from": month})
        for size in (2, 6):
            for person, team in people[len(wizard._settlements()):size]:
                self.settle(person, team, month, [self.own(self.order, date(2025, 6, 5), 100.0, seller=person),
                                                  self.own(self.north_order, date(2025, 6, 6), 200.0, seller=person)])
            for _warm in range(2):
                wizard.action_export()
                self.env.invalidate_all()
            with self.assertQueryCount(21):
                wizard.action_export()
            self.assertEqual(len(wizard._settlements()), size)

    # ------------------------------------------------------------------
    # Compute, the sales administrator's
    # ------------------------------------------------------------------

    def test_compute_is_the_sales_administrator_s(self):
        Compute = self.env["sales.commission.compute"]
        for user in (self.rep_shanghai, self.manager, self.director):
            with self.assertRaises(AccessError):
                Compute.with_user(user).create({"date_from": OCTOBER})
        wizard = Compute.with_user(self.admin).create({"date_from": OCTOBER})
        for user in (self.rep_shanghai, self.director):
            with self.assertRaises(AccessError):
                wizard.with_user(user).action_compute()
        # a month not started yet
        wizard.date_from = self.company._sales_org_today().replace(day=1) + relativedelta(months=1)
        with self.assertRaisesRegex(UserError, "has not started yet"):
            wizard.action_compute()

    def test_compute_drafts_the_month_and_opens_it(self):
        Compute = self.env["sales.commission.compute"].with_user(self.admin)
        with Form(Compute) as form:
            today = self.company._sales_org_today()
            self.assertEqual(form.date_from, (today.replace(day=1) - relativedelta(months=1)))
            form.date_from = date(2026, 10, 17)  # a day of the month is the month
        self.assertEqual(form.record.company_id, self.company)
        action = form.record.action_compute()
        self.assertEqual(action["res_model"], "sales.commission.settlement")
        self.assertEqual(action["domain"], [("company_id", "=", self.company.id), ("date_from", "=", OCTOBER)])
        # the rep's draft October computed again from the order, with the adjustment of the confirmed
        # September (its line's order is of October): September is left alone
        rep_october = self.env["sales.commission.settlement"].search(
            action["domain"] + [("user_id", "=", self.rep_shanghai.id)])
        self.assertEqual(rep_october, self.october)
        own = rep_october.line_ids.filtered(lambda line: line.kind == "own" and line.rule_id == self.own_rule)
        self.assertRecordValues(own, [{"source_ref": f"sol:{self.order.order_line.id}", "base_amount": 100.0,
                                       "amount": 3.0}])
        adjustment = rep_october.line_ids.filtered(lambda line: line.kind == "adjustment")
        self.assertRecordValues(adjustment, [{"origin_line_id": self.september_line.id, "period_date": SEPTEMBER,
                                              "amount": -33.0}])
        self.assertTrue(rep_october.line_ids.filtered(lambda line: line.kind == "dispute"), "the dispute's line kept")
        self.assertEqual(self.september.state, "confirmed")
        self.assertEqual(self.september.line_ids, self.september_line)
        self.assertEqual(self.september_line.amount, 33.0)
        # a company of somebody else's
        other = self.env["res.company"].create({"name": "T Other Company"})
        with self.assertRaises(AccessError):
            Compute.create({"date_from": OCTOBER, "company_id": other.id}).action_compute()

    # ------------------------------------------------------------------
    # The scheduled action
    # ------------------------------------------------------------------

    def test_cron_drafts_last_month_once_on_the_first_working_day(self):
        cron = self.env.ref("sales_team_org.ir_cron_commission_draft_settlements")
        self.assertEqual((cron.interval_number, cron.interval_type, cron.active, cron.user_id),
                         (1, "hours", True, self.env.ref("base.user_root")))
        Param = self.env["ir.config_parameter"].sudo()
        Param.set_param("sales_team_org.commission_hour", 7)
        Param.set_param(f"sales_team_org.commission_done.{self.company.id}", False)
        calendar = self.company.resource_calendar_id
        calendar.tz = "Asia/Shanghai"  # Monday to Friday
        with correcting():  # a rule of 2025, before the months the fixtures confirmed
            self.env["sales.commission.rule"].create({"name": "T Cron Rule", "rate": 1, "date_from": date(2025, 1, 1),
                                                      "date_to": date(2025, 12, 31)})
        Settlement = self.env["sales.commission.settlement"]
        people = [self.supervisor, self.clerk_east, self.regional_north, self.regional_east, self.manager,
                  self.rep_north]

        def sell(sellers, day):
            for person in sellers:
                order = self.env["sale.order"].create({
                    "partner_id": self.customer.id, "user_id": person.id,
                    "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 2})],
                })
                order.action_confirm()
                order.date_order = f"{day} 04:00:00"

        def drafted(month):
            return Settlement.search([("date_from", "=", month), ("user_id", "in", [p.id for p in people])])

        def run(now, queries=None):
            with freeze_time(now):
                if queries is None:
                    Settlement._cron_draft_settlements()
                    return
                # the same caches for both sizes: cold
                self.env.registry.clear_cache()
                self.env.invalidate_all()
                with self.assertQueryCount(queries):
                    Settlement._cron_draft_settlements()

        sell(people[:2], "2025-01-16")
        sell(people, "2025-02-14")
        # 1 February 2025 is a Saturday: January is drafted on Monday the 3rd, at 07:00 in Shanghai
        run("2025-02-01 02:00:00")
        run("2025-02-02 22:30:00")  # 06:30 on the 3rd in Shanghai
        self.assertFalse(drafted(date(2025, 1, 1)))
        run("2025-02-03 01:00:00", queries=26)
        january = drafted(date(2025, 1, 1))
        self.assertEqual(january.user_id, self.supervisor | self.clerk_east)
        self.assertEqual(set(january.mapped("state")), {"draft"})
        self.assertEqual(january.mapped("amount_total"), [2.0, 2.0])
        lines = january.line_ids
        # once a month
        run("2025-02-03 03:00:00")
        run("2025-02-04 01:00:00")
        self.assertEqual(drafted(date(2025, 1, 1)), january)
        self.assertEqual(january.line_ids, lines)
        self.assertFalse(drafted(date(2025, 2, 1)))
        # 3 March 2025, a Monday, is a holiday: February is drafted on the 4th
        self.env["resource.calendar.leaves"].create({
            "name": "T Holiday", "calendar_id": calendar.id,
            "date_from": "2025-03-02 16:00:00", "date_to": "2025-03-03 15:59:59",
        })
        run("2025-03-03 01:00:00")
        self.assertFalse(drafted(date(2025, 2, 1)))
        run("2025-03-04 01:00:00", queries=26)
        self.assertEqual(drafted(date(2025, 2, 1)).user_id, self.env["res.users"].union(*people))
