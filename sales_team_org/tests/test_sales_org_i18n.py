import re

from odoo.tests import TransactionCase, tagged
from odoo.tools.misc import file_path
from odoo.tools.translate import PoFileReader, TranslationModuleReader

CJK = re.compile(r"[\u4e00-\u9fff]")


@tagged("post_install", "-at_install")
class TestSalesOrgTranslations(TransactionCase):

    def test_every_term_has_chinese(self):
        """Every term the module shows (fields, selections, views, messages) is in zh_CN.po."""
        with open(file_path("sales_team_org/i18n/zh_CN.po"), "rb") as po_file:
            translated = {entry["src"] for entry in PoFileReader(po_file) if entry["value"]}
        terms = {
            source
            for _module, _type, _name, _res_id, source, _value, _comments
            in TranslationModuleReader(self.env.cr, modules=["sales_team_org"])
            if not CJK.search(source)  # demo data is written in Chinese already
        }
        self.assertFalse(sorted(terms - translated), "terms without a Chinese translation")
