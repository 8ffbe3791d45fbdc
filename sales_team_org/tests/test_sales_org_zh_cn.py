import re

from odoo.tests import TransactionCase, tagged

CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
WORD = re.compile(r"[A-Za-z]{2,}")
# Words a Chinese screen keeps as they are: abbreviations and product names.
ALLOWED_WORDS = {"ID", "XLSX", "Excel", "PDF", "CRM", "Odoo"}
MODULE = "sales_team_org"


@tagged("post_install", "-at_install")
class TestSalesOrgChineseScreens(TransactionCase):
    """With 简体中文 installed, every name the add-on puts on a screen reads in Chinese: menus,
    actions (window, server, report, client), scheduled actions, the models' names, field labels
    and selection values (those of the add-on's models, mixins' fields included, and those of the
    fields it adds to Odoo's models). A name without a Chinese character, or with an English word
    in it, fails the test, unless its words are all in ALLOWED_WORDS."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        # every installed module, as installing the language does: the add-on's po and
        # those of the modules it builds on (mail's selections, base's fields, …)
        cls.env["ir.module.module"].search([("state", "=", "installed")])._update_translations(["zh_CN"])
        cls.zh = cls.env(context=dict(cls.env.context, lang="zh_CN", active_test=False))

    def _records(self, model):
        data = self.env["ir.model.data"].search([("module", "=", MODULE), ("model", "=", model)])
        return self.zh[model].browse(data.mapped("res_id")).exists()

    @staticmethod
    def _english(text):
        """Why `text` is not Chinese enough, or None."""
        text = (text or "").strip()
        words = set(WORD.findall(text)) - ALLOWED_WORDS
        if not CJK.search(text) and words:
            return "no Chinese"
        if words:
            return "English words %s" % ", ".join(sorted(words))
        return None

    def _check(self, found, what, records, field_name, describe):
        for record in records:
            problem = self._english(record[field_name])
            if problem:
                found.append(f"{what} {describe(record)}: {record[field_name]!r} ({problem})")

    def test_screens_read_in_chinese(self):
        found = []
        xmlid = {}
        for data in self.env["ir.model.data"].search([
            ("model", "in", ["ir.ui.menu", "ir.actions.act_window", "ir.actions.server", "ir.actions.report",
                             "ir.actions.client", "ir.actions.act_url", "ir.cron", "ir.model.fields"]),
            ("module", "in", [MODULE, "mail"]),
        ]):
            xmlid.setdefault((data.model, data.res_id), data.complete_name)

        def name_of(record):
            return xmlid.get((record._name, record.id), f"{record._name}({record.id})")

        # menus: those of the add-on and everything under them
        Menu = self.zh["ir.ui.menu"].with_context(**{"ir.ui.menu.full_list": True})
        own_menus = self._records("ir.ui.menu")
        roots = own_menus.filtered(lambda menu: menu.parent_id not in own_menus)
        menus = Menu.search([("id", "child_of", roots.ids)]) | own_menus
        self.assertGreater(len(menus), 10)
        self._check(found, "menu", menus, "name", lambda menu: f"{name_of(menu)} ({menu.complete_name})")

        # actions of every kind, scheduled actions
        for model in ("ir.actions.act_window", "ir.actions.server", "ir.actions.report", "ir.actions.client",
                      "ir.actions.act_url"):
            self._check(found, "action", self._records(model), "name", name_of)
        crons = self._records("ir.cron")
        self.assertEqual(len(crons), 13)
        self._check(found, "scheduled action", crons, "name", name_of)

        # the add-on's models, their fields, and the fields it adds to Odoo's models
        models = self.zh["ir.model"].search([
            ("model", "in", [name for name, model in self.env.registry.items()
                             if model._original_module == MODULE and not model._abstract]),
        ])
        self._check(found, "model", models, "name", lambda model: model.model)
        # (an abstract model's fields show only as those of the models built on it)
        fields = self._records("ir.model.fields").filtered(
            lambda field: field.model in self.env and not self.env[field.model]._abstract)
        self.assertIn("activity_state", fields.filtered(lambda f: f.model == "sales.daily.report").mapped("name"))
        self._check(found, "field", fields, "field_description", lambda field: f"{field.model}.{field.name}")
        selections = self.zh["ir.model.fields.selection"].search([("field_id", "in", fields.ids)])
        self._check(found, "selection value", selections, "name",
                    lambda sel: f"{sel.field_id.model}.{sel.field_id.name}={sel.value}")

        # the activity types the add-on brings
        self._check(found, "activity type", self._records("mail.activity.type"), "name", name_of)

        self.assertFalse(found, "shown in English on a Chinese screen:\n" + "\n".join(found))
