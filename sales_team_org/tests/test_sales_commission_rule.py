from contextlib import contextmanager
from datetime import timedelta

from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import mute_logger

from .common import SalesOrgCommon


@tagged("post_install", "-at_install")
class TestSalesCommissionRule(SalesOrgCommon):
    """Commission rules as data: bad input refused with nothing written, versions from a date,
    a version that paid money kept, a correction only with its reason."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = new_test_user(cls.env, login="t_sales_admin", name="T Sales Admin",
                                  groups="base.group_user,sales_team.group_sale_manager")
        cls.Rule = cls.env["sales.commission.rule"].with_user(cls.admin)
        cls.start = cls.env.company._sales_org_today().replace(month=1, day=1)

    def make_rule(self, **values):
        return self.Rule.create({"name": "T 1 %", "date_from": self.start, "rate": 1.0, **values})

    def use(self, rule):
        """A confirmed settlement paid this version out."""
        settlement = self.env["sales.commission.settlement"].sudo().create({
            "user_id": self.rep_shanghai.id, "company_id": self.env.company.id, "date_from": self.start,
            "date_to": self.start + timedelta(days=30), "state": "confirmed",
        })
        self.env["sales.commission.settlement.line"].sudo().create({
            "settlement_id": settlement.id, "user_id": self.rep_shanghai.id, "company_id": self.env.company.id,
            "period_date": self.start, "kind": "own", "source_ref": "sol:1", "rule_id": rule.id,
            "base_amount": 1000.0, "rate": rule.rate, "amount": 10.0,
        })

    @contextmanager
    def refused(self, error, message=""):
        """Refused with this message, and nothing of the attempt left in the database."""
        with self.assertRaisesRegex(error, message), self.env.cr.savepoint():
            yield

    # ------------------------------------------------------------------
    # Bad input
    # ------------------------------------------------------------------

    @mute_logger("odoo.sql_db")
    def test_rate_out_of_range_refused(self):
        rule = self.make_rule()
        for rate in (-0.5, 100.5):
            with self.refused(ValidationError, "a rate is between 0 % and 100 %"):
                rule.write({"rate": rate})
            # a new rule's row is refused by the database's check (the client shows its message)
            with self.refused((ValidationError, IntegrityError)):
                self.make_rule(name="T bad", rate=rate)
        self.assertEqual(rule.rate, 1.0)
        self.assertFalse(self.Rule.search([("name", "=", "T bad")]))
        with self.refused(ValidationError, "a fee is between"):
            rule.write({"rule_type": "key_account_fee", "fee_permille": 1001})
        with self.refused(ValidationError, "a rate is between"):
            rule.write({"rule_type": "override", "level_ids": [Command.create({"level": 1, "rate": 120})]})
        rule.invalidate_recordset()
        self.assertRecordValues(rule, [{"rule_type": "percent", "fee_permille": 0.0, "rate": 1.0}])
        self.assertFalse(rule.level_ids)

    def test_tiers_refused(self):
        with self.refused(ValidationError, "the tiers overlap"):
            self.make_rule(rule_type="tiered", tier_ids=[
                Command.create({"amount_from": 0, "amount_to": 1000, "rate": 1}),
                Command.create({"amount_from": 500, "amount_to": 2000, "rate": 2}),
            ])
        with self.refused(ValidationError, "the tiers overlap"):
            # an open-ended tier followed by another
            self.make_rule(rule_type="tiered", tier_ids=[
                Command.create({"amount_from": 0, "rate": 1}),
                Command.create({"amount_from": 1000, "amount_to": 2000, "rate": 2}),
            ])
        with self.refused(ValidationError, "ends after it starts"):
            self.make_rule(rule_type="tiered", tier_ids=[
                Command.create({"amount_from": 1000, "amount_to": 500, "rate": 1}),
            ])
        with self.refused(ValidationError, "tiers need at least one tier"):
            self.make_rule(rule_type="tiered")
        self.assertFalse(self.Rule.search([("name", "=", "T 1 %")]))
        # touching tiers, the boundary in the upper one, are fine
        rule = self.make_rule(rule_type="tiered", tier_ids=[
            Command.create({"amount_from": 0, "amount_to": 1000, "rate": 1}),
            Command.create({"amount_from": 1000, "rate": 2}),
        ])
        self.assertEqual(len(rule.tier_ids), 2)
        with self.refused(ValidationError, "the tiers overlap"):
            rule.write({"tier_ids": [Command.create({"amount_from": 5000, "amount_to": 6000, "rate": 3})]})
        self.assertEqual(len(rule.tier_ids), 2)

    def test_accelerators_refused(self):
        with self.refused(ValidationError, "the accelerators overlap"):
            self.make_rule(accelerator_ids=[
                Command.create({"achievement_from": 0, "achievement_to": 90, "multiplier": 80}),
                Command.create({"achievement_from": 80, "achievement_to": 100, "multiplier": 100}),
            ])
        with self.refused(ValidationError, "pays 0 % or more"):
            self.make_rule(accelerator_ids=[Command.create({"achievement_from": 0, "multiplier": -10})])
        self.assertFalse(self.Rule.search([("name", "=", "T 1 %")]))
        rule = self.make_rule(accelerator_ids=[
            Command.create({"achievement_from": 0, "achievement_to": 80, "multiplier": 80}),
            Command.create({"achievement_from": 80, "achievement_to": 100, "multiplier": 100}),
            Command.create({"achievement_from": 100, "multiplier": 120}),
        ])
        self.assertEqual(rule.accelerator_ids.mapped("multiplier"), [80, 100, 120])

    @mute_logger("odoo.sql_db")
    def test_validity_ending_before_start_refused(self):
        rule = self.make_rule()
        with self.refused(ValidationError, "before it starts"):
            rule.write({"date_to": self.start - timedelta(days=1)})
        self.assertFalse(rule.date_to)
        with self.refused((ValidationError, IntegrityError)):
            self.make_rule(name="T bad", date_to=self.start - timedelta(days=1))
        self.assertFalse(self.Rule.search([("name", "=", "T bad")]))

    def test_override_needs_levels(self):
        with self.refused(ValidationError, "an override needs the rate of at least one level"):
            self.make_rule(rule_type="override")
        rule = self.make_rule(rule_type="override", level_ids=[Command.create({"level": 1, "rate": 0.5})])
        with self.refused(ValidationError, "Override levels start at 1"):
            rule.write({"level_ids": [Command.create({"level": 0, "rate": 0.5})]})
        self.assertEqual(rule.level_ids.mapped("level"), [1])

    def test_only_the_sales_administrator_writes_rules(self):
        rule = self.make_rule()
        for person in (self.rep_shanghai, self.manager, self.director):
            with self.refused(AccessError):
                rule.with_user(person).write({"rate": 2.0})
            with self.refused(AccessError):
                self.Rule.with_user(person).create({"name": "T mine", "date_from": self.start, "rate": 50})
        self.assertEqual(rule.with_user(self.rep_shanghai).rate, 1.0)  # read by all

    # ------------------------------------------------------------------
    # Versions
    # ------------------------------------------------------------------

    def test_new_version(self):
        rule = self.make_rule(accelerator_ids=[Command.create({"achievement_from": 0, "multiplier": 100})])
        july = self.start.replace(month=7)
        new = rule._new_version(july)
        self.assertRecordValues(rule, [{"date_to": july - timedelta(days=1), "version": 1, "origin_id": False}])
        self.assertRecordValues(new, [{
            "date_from": july, "date_to": False, "version": 2, "origin_id": rule.id, "rate": 1.0, "name": "T 1 %",
        }])
        self.assertEqual(len(new.accelerator_ids), 1)
        self.assertEqual(new.accelerator_ids.rule_id, new)
        third = new._new_version(july.replace(month=10))
        self.assertRecordValues(third, [{"version": 3, "origin_id": rule.id}])
        self.assertEqual(rule.version_ids, rule | new | third)
        self.assertEqual(third.version_ids, rule | new | third)

    def test_new_version_bad_dates_refused(self):
        rule = self.make_rule(date_to=self.start.replace(month=6, day=30))
        with self.refused(UserError, "starts after the current one"):
            rule._new_version(self.start)
        with self.refused(UserError, "ended on"):
            rule._new_version(self.start.replace(month=8))
        self.assertEqual(rule.date_to, self.start.replace(month=6, day=30))
        self.assertEqual(rule.version_ids, rule)

    def test_versions_on_the_same_days_refused(self):
        rule = self.make_rule()
        new = rule._new_version(self.start.replace(month=7))
        with self.refused(ValidationError, "version 2 is valid on the same days as version 1"):
            new.write({"date_from": self.start.replace(month=6)})
        with self.refused(ValidationError, "valid on the same days"):
            rule.write({"date_to": False})
        self.assertEqual(new.date_from, self.start.replace(month=7))
        self.assertEqual(rule.date_to, self.start.replace(month=6, day=30))

    def test_used_version_kept(self):
        rule = self.make_rule()
        self.assertFalse(rule.is_used)
        self.use(rule)
        rule.invalidate_recordset(["is_used"])
        self.assertTrue(rule.is_used)
        with self.refused(UserError, "valid in confirmed months"):
            rule.write({"rate": 2.0})
        with self.refused(UserError, "valid in confirmed months"):
            rule.write({"user_ids": [Command.link(self.rep_north.id)]})
        with self.refused(UserError, "valid in confirmed months"):
            rule.write({"accelerator_ids": [Command.create({"achievement_from": 0, "multiplier": 150})]})
        with self.refused(UserError, "valid in confirmed months"):
            self.env["sales.commission.rule.accelerator"].with_user(self.admin).create(
                {"rule_id": rule.id, "achievement_from": 0, "multiplier": 150})
        with self.refused(UserError, "archived, not deleted"):
            rule.unlink()
        self.assertFalse(rule.accelerator_ids)
        self.assertEqual(rule.rate, 1.0)
        # what does not compute still changes
        rule.write({"name": "T 1 % of confirmed orders", "sequence": 5})
        # a correction needs its reason
        for reason in (False, "  "):
            with self.refused(UserError, "Say why the rule is corrected"):
                rule._correct({"rate": 2.0}, reason)
        self.assertEqual(rule.rate, 1.0)
        rule._correct({"rate": 2.0}, "T typo: 2 %")
        self.assertEqual(rule.rate, 2.0)
        self.assertIn("T typo: 2 %", rule.message_ids[0].body)
        # a new version of a used one is not used: it changes freely
        new = rule._new_version(self.start.replace(month=7))
        self.assertFalse(new.is_used)
        new.write({"rate": 3.0})
        self.assertEqual(rule.rate, 2.0)

    # ------------------------------------------------------------------
    # The wizard
    # ------------------------------------------------------------------

    def test_wizard_new_version(self):
        rule = self.make_rule()
        wizard = Form(self.env["sales.commission.rule.version"].with_user(self.admin).with_context(
            default_rule_id=rule.id, default_mode="new_version"))
        wizard.date_from = self.start.replace(month=4)
        action = wizard.save().action_apply()
        new = self.Rule.browse(action["res_id"])
        self.assertEqual(action["res_model"], "sales.commission.rule")
        self.assertRecordValues(new, [{"version": 2, "origin_id": rule.id, "date_from": self.start.replace(month=4)}])
        self.assertEqual(rule.date_to, self.start.replace(month=3, day=31))

    def test_wizard_correct(self):
        rule = self.make_rule()
        self.use(rule)
        wizard = Form(self.env["sales.commission.rule.version"].with_user(self.admin).with_context(
            default_rule_id=rule.id, default_mode="correct"))
        self.assertEqual(wizard.rate, 1.0)
        wizard.rate = 1.5
        wizard.reason = "T typo"
        wizard.save().action_apply()
        self.assertEqual(rule.rate, 1.5)
        self.assertIn("T typo", rule.message_ids[0].body)

    def test_wizard_only_for_the_sales_administrator(self):
        rule = self.make_rule()
        with self.refused(AccessError):
            self.env["sales.commission.rule.version"].with_user(self.director).create({
                "rule_id": rule.id, "mode": "correct", "rate": 50, "reason": "T mine"})
        self.assertEqual(rule.rate, 1.0)
