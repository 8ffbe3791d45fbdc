import io
import re
import shutil
import subprocess
import tempfile

from odoo import Command, fields
from odoo.tests import HttpCase, tagged
from odoo.tools import SQL
from odoo.tools.pdf import PdfFileReader

from .common import SalesOrgCommon

A4 = (595, 842)  # points
CJK = re.compile(r"[\u3400-\u9fff]")
# Qt's PDF engine names a glyph by the lowest code point the font maps to it: with Noto Sans CJK
# some ideographs come out of the PDF as the Kangxi radical of the same glyph (⽇ for 日, ⻔ for 门).
RADICALS = "\u2e80-\u2fdf"
CUSTOMER = "上海恒达国际贸易集团有限公司"


@tagged("post_install", "-at_install")
class TestSalesDailyReportPdf(HttpCase, SalesOrgCommon):
    """The printable daily report as the PDF wkhtmltopdf makes (not the HTML Odoo returns in
    test mode), printed in Chinese by the author's approver: A4, the amounts in the company's
    currency, every label and name whole on its line."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"].search([
            ("name", "in", ["base", "web", "mail", "sales_team_org"]),
        ])._update_translations(["zh_CN"])
        # the company counts in yuan (journal items of the demo data forbid a plain write)
        cls.cny = cls.env.ref("base.CNY")
        cls.cny.active = True
        cls.env.cr.execute(SQL("UPDATE res_company SET currency_id = %s WHERE id = %s",
                               cls.cny.id, cls.env.company.id))
        cls.env.invalidate_all()
        cls.rep_shanghai.write({"name": "陈静"})
        cls.supervisor.write({"name": "王建国", "lang": "zh_CN"})  # reads Chinese; the author writes English
        cls.shanghai.name = "上海电话销售组"
        cls.customer.write({"name": CUSTOMER, "is_company": True})
        cls.report = cls.env["sales.daily.report"].with_user(cls.rep_shanghai).create({
            "diary": "<p>上午集中回访华东老客户，下午拜访上海恒达，整理报价单。</p>",
            "line_ids": [
                Command.create({
                    "partner_id": cls.customer.id, "contact_name": "陈经理", "channel": "phone",
                    "subject": "年度框架协议续签，对方关心交货周期和付款方式",
                    "result": "同意下周安排样品测试，价格仍需商议",
                    "next_step": "寄送样品并报价", "next_step_date": fields.Date.add(fields.Date.today(), days=2),
                }),
                Command.create({
                    "partner_id": cls.customer.id, "contact_name": "赵总", "channel": "visit",
                    "subject": "介绍新款自动门控制器", "result": "有兴趣，要求提供技术资料",
                }),
            ],
        })
        cls.report.sudo().write({"order_count": 2, "order_amount": 12345.6})
        cls.customer._set_sales_classification("primary", reason="年采购量大")

    def render_pdf(self, user):
        if self.env["ir.actions.report"].get_wkhtmltopdf_state() in ("install", "broken"):
            self.skipTest("no working wkhtmltopdf: the PDF of a daily report cannot be made here "
                          "(tools/env.sh installs Debian's wkhtmltopdf)")
        report = self.env.ref("sales_team_org.action_report_sales_daily_report")
        env = self.env(user=user, context=dict(self.env.context, lang=user.lang, force_report_rendering=True))
        content, content_type = env["ir.actions.report"]._render_qweb_pdf(report, self.report.ids)
        self.assertEqual(content_type, "pdf")
        self.assertTrue(content.startswith(b"%PDF"), "wkhtmltopdf made no PDF")
        return content

    @staticmethod
    def pdf_lines(content):
        """The PDF's lines of text, with pdftotext when poppler-utils is there, else with pypdf."""
        if shutil.which("pdftotext"):
            with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
                pdf.write(content)
                pdf.flush()
                text = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", pdf.name, "-"],
                                      check=True, capture_output=True).stdout.decode()
        else:
            text = "\n".join(page.extract_text() for page in PdfFileReader(io.BytesIO(content)).pages)
        return [re.sub(r"\s+", " ", line).strip() for line in text.splitlines() if line.strip()]

    def test_pdf_in_chinese(self):
        content = self.render_pdf(self.supervisor)
        for page in PdfFileReader(io.BytesIO(content)).pages:
            box = page.mediabox
            self.assertEqual((round(float(box.width)), round(float(box.height))), A4, "the report is printed on A4")
        lines = self.pdf_lines(content)
        text = "\n".join(lines)

        def on_one_line(*terms):
            """Each term whole on one line of the PDF: a label or a name broken in the middle shows
            as its two halves on two lines."""
            missing = [
                term for term in terms
                if not any(re.search("".join(f"[{char}{RADICALS}]" if CJK.match(char) else re.escape(char)
                                             for char in term), line) for line in lines)
            ]
            self.assertFalse(missing, f"not whole on a line of the PDF:\n{text}")

        # title, labels of the header, the calls' columns and the figures, in Chinese
        on_one_line("电话销售日报表", "销售员：", "日期：", "团队：",
                    "客户", "联系人", "沟通方式", "洽谈内容", "结果", "下一步", "客户分类",
                    "联系客户数", "新客户", "已发报价单", "确认订单数", "订单金额", "销售日记")
        # the names, whole
        on_one_line("陈静", "上海电话销售组", CUSTOMER, "陈经理", "赵总", "主攻客户", "电话", "拜访",
                    "寄送样品并报价", "介绍新款自动门控制器")
        english = re.findall(r"Daily Sales Report|Salesperson|Date:|Unit:|Customer|Contact Person|Channel|Discussed|"
                             r"Result|Next Step|Classification|Calls|Visits|New Customers|Quotations Sent|Orders|"
                             r"Sales Diary|Phone|Visit|Primary Target", text)
        self.assertFalse(english, f"English in the Chinese PDF:\n{text}")
        # the amount in the company's currency, in the reader's language
        self.assertRegex(text, r"¥\s?12,345\.60", "the orders' amount in yuan")
