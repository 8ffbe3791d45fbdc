from datetime import timedelta

from psycopg2 import IntegrityError

from odoo import Command, api
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.sql_db import db_connect
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common_commission import SalesCommissionCommon

# the settlement run of a month, whatever the number of people and orders
COMPUTE_QUERIES = 18


@tagged("post_install", "-at_install")
class TestSalesCommissionSettlement(SalesCommissionCommon):
    """A month's settlement with worked numbers: each rule type, tiers at their boundaries,
    accelerators and bonuses on the month's target, the key-account fee around a takeover,
    overrides up the tree, a person who moved, rounding, slips and a foreign currency."""

    # ------------------------------------------------------------------
    # Bases
    # ------------------------------------------------------------------

    def test_percent_on_confirmed(self):
        rule = self.rule("T 3 %", rate=3.0)
        first = self.order(self.rep_shanghai, 1000, self.shanghai, self.day(5))
        second = self.order(self.rep_shanghai, [(2, 1250)], self.shanghai, self.day(20))
        # the month's last day at 23:30 in Shanghai is in the month; the next one's 00:30 is not
        last_day = self.company._sales_org_period("month", self.month)[1]
        late = self.order(self.rep_shanghai, 100, self.shanghai, last_day, hour=23, minute=30)
        self.order(self.rep_shanghai, 700, self.shanghai, self.next_month, hour=0, minute=30)
        # a quotation and a cancelled order are not sales
        self.order(self.rep_shanghai, 5000, self.shanghai, self.day(6), confirm=False)
        self.order(self.rep_shanghai, 6000, self.shanghai, self.day(7))._action_cancel()
        settlements = self.compute()

        settlement = self.settlement(self.rep_shanghai)
        self.assertIn(settlement, settlements)
        self.assertRecordValues(settlement, [{
            "state": "draft", "date_from": self.month, "date_to": last_day, "team_id": self.shanghai.id,
            "amount_total": 108.0, "company_id": self.company.id,
        }])
        self.assertLines(self.lines(self.rep_shanghai), [{
            "kind": "own", "rule_id": rule.id, "settlement_id": settlement.id, "period_date": self.month,
            "date": self.day(5), "order_id": first.id, "order_line_id": first.order_line.id,
            "source_ref": f"sol:{first.order_line.id}", "seller_id": self.rep_shanghai.id,
            "team_id": self.shanghai.id, "partner_id": self.customer.id, "base_amount": 1000.0, "rate": 3.0,
            "amount": 30.0,
        }, {
            "kind": "own", "rule_id": rule.id, "settlement_id": settlement.id, "period_date": self.month,
            "date": self.day(20), "order_id": second.id, "order_line_id": second.order_line.id,
            "source_ref": f"sol:{second.order_line.id}", "seller_id": self.rep_shanghai.id,
            "team_id": self.shanghai.id, "partner_id": self.customer.id, "base_amount": 2500.0, "rate": 3.0,
            "amount": 75.0,
        }, {
            "kind": "own", "rule_id": rule.id, "settlement_id": settlement.id, "period_date": self.month,
            "date": last_day, "order_id": late.id, "order_line_id": late.order_line.id,
            "source_ref": f"sol:{late.order_line.id}", "seller_id": self.rep_shanghai.id,
            "team_id": self.shanghai.id, "partner_id": self.customer.id, "base_amount": 100.0, "rate": 3.0,
            "amount": 3.0,
        }])
        self.assertFalse(self.lines(self.people - self.rep_shanghai), "nobody else sold")

    def test_percent_filters(self):
        """Product categories (and below), customers, key accounts only, the rule's validity."""
        sub = self.env["product.category"].create({"name": "T Motors", "parent_id": self.categ.id})
        other = self.env["product.category"].create({"name": "T Other"})
        self.rule("T categ", rate=1.0, product_categ_ids=[Command.set(self.categ.ids)])
        self.rule("T customer", rate=2.0, partner_ids=[Command.set(self.key_account.ids)])
        self.rule("T keys", rate=4.0, key_accounts_only=True)
        ended = self.rule("T ended", rate=8.0, date_to=self.day(9))
        motor, elsewhere = self.env["product.product"].create([
            {"name": "T Motor", "categ_id": sub.id, "list_price": 1.0, "taxes_id": [Command.clear()]},
            {"name": "T Other", "categ_id": other.id, "list_price": 1.0, "taxes_id": [Command.clear()]},
        ])
        order = self.order(self.rep_north, [(1, 1000), (1, 2000, motor), (1, 3000, elsewhere)], self.north,
                           self.day(10), partner=self.key_account)
        extra = self.order(self.rep_north, 500, self.north, self.day(11))  # another customer, no key account
        gate, motor, other_line = order.order_line
        self.compute()
        lines = self.lines(self.rep_north)
        self.assertEqual(
            sorted((line.rule_id.name, line.order_line_id.id, line.amount) for line in lines),
            sorted([("T categ", gate.id, 10.0), ("T categ", motor.id, 20.0), ("T categ", extra.order_line.id, 5.0),
                    ("T customer", gate.id, 20.0), ("T customer", motor.id, 40.0), ("T customer", other_line.id, 60.0),
                    ("T keys", gate.id, 40.0), ("T keys", motor.id, 80.0), ("T keys", other_line.id, 120.0)]))
        self.assertFalse(lines.filtered(lambda line: line.rule_id == ended), "the version ended before the sale")

    def test_invoiced_with_a_credit_note(self):
        rule = self.rule("T invoiced 2 %", rate=2.0, base="invoiced")
        invoice = self.invoice(self.rep_shanghai, self.shanghai, 5000, self.day(10))
        refund = self.invoice(self.rep_shanghai, self.shanghai, 1200, self.day(15), move_type="out_refund")
        self.invoice(self.rep_shanghai, self.shanghai, 900, self.day(16), post=False)
        self.invoice(self.rep_shanghai, self.shanghai, 800, self.day(2, self.next_month))
        self.compute()
        product_line = invoice.invoice_line_ids
        refund_line = refund.invoice_line_ids
        self.assertLines(self.lines(self.rep_shanghai), [{
            "kind": "own", "rule_id": rule.id, "date": self.day(10), "move_id": invoice.id,
            "move_line_id": product_line.id, "source_ref": f"aml:{product_line.id}",
            "seller_id": self.rep_shanghai.id, "team_id": self.shanghai.id, "base_amount": 5000.0, "amount": 100.0,
        }, {
            "kind": "own", "rule_id": rule.id, "date": self.day(15), "move_id": refund.id,
            "move_line_id": refund_line.id, "source_ref": f"aml:{refund_line.id}",
            "seller_id": self.rep_shanghai.id, "team_id": self.shanghai.id, "base_amount": -1200.0, "amount": -24.0,
        }])
        self.assertEqual(self.settlement(self.rep_shanghai).amount_total, 76.0)

    def test_paid_pro_rata(self):
        rule = self.rule("T paid 5 %", rate=5.0, base="paid")
        invoice = self.invoice(self.rep_shanghai, self.shanghai, [600, 400], self.day(3))
        first = self.pay(invoice, 250, self.day(10))
        second = self.pay(invoice, 500, self.day(20)) - first
        self.pay(invoice, 250, self.day(3, self.next_month))
        self.assertEqual(invoice.payment_state, "paid")
        self.compute()
        big, small = invoice.invoice_line_ids.sorted(lambda line: -line.price_subtotal)
        common = {"kind": "own", "rule_id": rule.id, "move_id": invoice.id, "seller_id": self.rep_shanghai.id}
        self.assertLines(self.lines(self.rep_shanghai).sorted(lambda line: (line.date, -line.base_amount)), [
            {**common, "date": self.day(10), "payment_ref": first.id, "move_line_id": big.id,
             "source_ref": f"pay:{first.id}:{big.id}", "base_amount": 150.0, "amount": 7.5},
            {**common, "date": self.day(10), "payment_ref": first.id, "move_line_id": small.id,
             "source_ref": f"pay:{first.id}:{small.id}", "base_amount": 100.0, "amount": 5.0},
            {**common, "date": self.day(20), "payment_ref": second.id, "move_line_id": big.id,
             "source_ref": f"pay:{second.id}:{big.id}", "base_amount": 300.0, "amount": 15.0},
            {**common, "date": self.day(20), "payment_ref": second.id, "move_line_id": small.id,
             "source_ref": f"pay:{second.id}:{small.id}", "base_amount": 200.0, "amount": 10.0},
        ])
        self.assertEqual(self.settlement(self.rep_shanghai).amount_total, 37.5)

    def test_paid_by_a_credit_note_and_a_payment(self):
        """A credit note settling part of an invoice pays nothing: its share of the invoice and
        its own lines cancel out; the payment of the rest is paid."""
        rule = self.rule("T paid 5 %", rate=5.0, base="paid")
        invoice = self.invoice(self.rep_shanghai, self.shanghai, 1000, self.day(3))
        refund = self.invoice(self.rep_shanghai, self.shanghai, 400, self.day(6), move_type="out_refund")
        (invoice | refund).line_ids.filtered(lambda line: line.account_type == "asset_receivable").reconcile()
        self.pay(invoice, 600, self.day(12))
        self.assertEqual(invoice.payment_state, "paid")
        self.compute()
        self.assertEqual(
            sorted((line.move_id.id, line.date, line.base_amount, line.amount)
                   for line in self.lines(self.rep_shanghai, rule=rule)),
            sorted([(invoice.id, self.day(6), 400.0, 20.0), (refund.id, self.day(6), -400.0, -20.0),
                    (invoice.id, self.day(12), 600.0, 30.0)]))
        self.assertEqual(self.settlement(self.rep_shanghai).amount_total, 30.0)

    # ------------------------------------------------------------------
    # Tiers, accelerators, bonuses
    # ------------------------------------------------------------------

    def test_tiers_at_their_boundaries(self):
        tiers = [Command.create({"amount_from": 0, "amount_to": 10000, "rate": 1}),
                 Command.create({"amount_from": 10000, "amount_to": 20000, "rate": 2}),
                 Command.create({"amount_from": 20000, "rate": 3})]
        marginal = self.rule("T marginal", rule_type="tiered", tier_mode="marginal", tier_ids=tiers)
        whole = self.rule("T whole", rule_type="tiered", tier_mode="whole", tier_ids=tiers)
        # exactly 10,000 over two orders; 9,999.99; 25,000
        self.order(self.rep_shanghai, 6000, self.shanghai, self.day(3))
        self.order(self.rep_shanghai, 4000, self.shanghai, self.day(25))
        self.order(self.rep_north, 9999.99, self.north, self.day(4))
        self.order(self.clerk_east, [20000, 5000], self.east_business, self.day(5))
        self.compute()
        expected = {
            # person: (total, marginal, whole)
            self.rep_shanghai: (10000.0, 100.0, 200.0),
            self.rep_north: (9999.99, 100.0, 100.0),  # 99.9999 either way
            self.clerk_east: (25000.0, 450.0, 750.0),  # 100 + 200 + 150; 3 % of all
        }
        for person, (total, on_marginal, on_whole) in expected.items():
            with self.subTest(person=person.login):
                lines = self.lines(person)
                self.assertEqual(set(lines.mapped("kind")), {"tier"}, "one tier line per rule, no line per order")
                self.assertLines(lines.filtered(lambda line, rule=marginal: line.rule_id == rule),
                                 [{"kind": "tier", "base_amount": total, "amount": on_marginal}])
                self.assertLines(lines.filtered(lambda line, rule=whole: line.rule_id == rule),
                                 [{"kind": "tier", "base_amount": total, "amount": on_whole}])
                self.assertEqual(self.settlement(person).amount_total, on_marginal + on_whole)

    def test_tiers_on_a_negative_total(self):
        rule = self.rule("T invoiced tiers", rule_type="tiered", base="invoiced", tier_ids=[
            Command.create({"amount_from": 0, "rate": 5})])
        self.invoice(self.rep_north, self.north, 300, self.day(3))
        self.invoice(self.rep_north, self.north, 1000, self.day(4), move_type="out_refund")
        self.compute()
        self.assertFalse(self.lines(self.rep_north, rule=rule).filtered("amount"), "a month below zero earns 0")

    def test_accelerators(self):
        rule = self.rule("T 10 % accelerated", rate=10.0, accelerator_ids=[
            Command.create({"achievement_from": 0, "achievement_to": 80, "multiplier": 50}),
            Command.create({"achievement_from": 80, "achievement_to": 100, "multiplier": 100}),
            Command.create({"achievement_from": 100, "multiplier": 150}),
        ])
        self.person_target(self.rep_shanghai, self.shanghai, 10000)  # 100 %
        self.person_target(self.rep_north, self.north, 20000)  # 50 %
        self.person_target(self.clerk_east, self.east_business, 12500)  # 80 %
        for person, team in [(self.rep_shanghai, self.shanghai), (self.rep_north, self.north),
                             (self.clerk_east, self.east_business), (self.supervisor, self.shanghai)]:
            self.order(person, 4000, team, self.day(8))
            self.order(person, 6000, team, self.day(18))
        self.compute()
        expected = {self.rep_shanghai: 500.0, self.rep_north: -500.0, self.clerk_east: None, self.supervisor: None}
        for person, accelerator in expected.items():
            with self.subTest(person=person.login):
                lines = self.lines(person, rule=rule)
                self.assertEqual(sum(lines.filtered(lambda line: line.kind == "own").mapped("amount")), 1000.0)
                accelerators = lines.filtered(lambda line: line.kind == "accelerator")
                if accelerator is None:
                    self.assertFalse(accelerators, "at 100 % or without a target the commission stands")
                else:
                    self.assertLines(accelerators, [{"amount": accelerator, "rule_id": rule.id}])
                self.assertEqual(self.settlement(person).amount_total, 1000.0 + (accelerator or 0.0))

    def test_accelerator_on_tiers(self):
        rule = self.rule("T tiers accelerated", rule_type="tiered", tier_mode="whole", tier_ids=[
            Command.create({"amount_from": 0, "rate": 2})], accelerator_ids=[
            Command.create({"achievement_from": 100, "multiplier": 200})])
        self.person_target(self.rep_north, self.north, 5000)
        self.order(self.rep_north, 6000, self.north, self.day(8))
        self.compute()
        self.assertEqual(sorted(self.lines(self.rep_north, rule=rule).mapped(lambda line: (line.kind, line.amount))),
                         [("accelerator", 120.0), ("tier", 120.0)])

    def test_target_bonus(self):
        rule = self.rule("T bonus", rule_type="target_bonus", bonus_amount=800, bonus_threshold=100)
        self.person_target(self.rep_shanghai, self.shanghai, 10000)
        self.person_target(self.rep_north, self.north, 20000)
        self.order(self.rep_shanghai, 10000, self.shanghai, self.day(8))  # exactly 100 %
        self.order(self.rep_north, 10000, self.north, self.day(8))  # 50 %
        self.order(self.clerk_east, 10000, self.east_business, self.day(8))  # no target
        self.compute()
        self.assertLines(self.lines(self.rep_shanghai), [{"kind": "bonus", "rule_id": rule.id, "amount": 800.0}])
        self.assertFalse(self.lines(self.rep_north | self.clerk_east))

    # ------------------------------------------------------------------
    # Key accounts, overrides, the tree over time
    # ------------------------------------------------------------------

    def test_key_account_fee_around_a_takeover(self):
        own = self.rule("T 1 %", rate=1.0)
        fee = self.rule("T fee", rule_type="key_account_fee", fee_permille=2.0)
        before = self.order(self.rep_shanghai, 100000, self.shanghai, self.day(3), partner=self.key_account)
        takeover = self.env["sales.key.account.takeover"].with_user(self.director)._take_over(
            self.key_account, self.east_business, self.day(10), "The customer asked for the director")
        during = self.order(self.rep_shanghai, 100000, self.shanghai, self.day(12), partner=self.key_account)
        last_day = self.order(self.rep_shanghai, 50000, self.shanghai, self.day(19), partner=self.key_account)
        other = self.order(self.rep_shanghai, 30000, self.shanghai, self.day(12))  # not the key account
        buyer = self.env["res.partner"].create({"name": "T Buyer", "parent_id": self.key_account.id})
        via_contact = self.order(self.rep_shanghai, 10000, self.shanghai, self.day(13), partner=buyer)
        takeover.with_user(self.director)._hand_back(self.day(20), "The project is delivered")
        self.assertEqual(takeover.date_to, self.day(19))
        after = self.order(self.rep_shanghai, 100000, self.shanghai, self.day(20), partner=self.key_account)
        self.compute()

        self.assertEqual(
            sorted((line.user_id.login, line.order_id.id, line.amount) for line in self.lines(rule=own)),
            sorted([("t_rep_shanghai", before.id, 1000.0), ("t_director", during.id, 1000.0),
                    ("t_director", last_day.id, 500.0), ("t_rep_shanghai", other.id, 300.0),
                    ("t_director", via_contact.id, 100.0),
                    ("t_rep_shanghai", after.id, 1000.0)]))
        director_lines = self.lines(self.director, rule=own)
        self.assertEqual(director_lines.seller_id, self.rep_shanghai, "sold by the rep")
        self.assertLines(self.lines(rule=fee), [{
            "user_id": self.manager.id, "kind": "fee", "order_id": during.id, "base_amount": 100000.0,
            "amount": 200.0, "partner_id": self.key_account.id, "date": self.day(12),
        }, {
            "user_id": self.manager.id, "kind": "fee", "order_id": via_contact.id, "base_amount": 10000.0,
            "amount": 20.0, "partner_id": self.key_account.id, "date": self.day(13),
        }, {
            "user_id": self.manager.id, "kind": "fee", "order_id": last_day.id, "base_amount": 50000.0,
            "amount": 100.0, "partner_id": self.key_account.id, "date": self.day(19),
        }])
        self.assertEqual(self.settlement(self.manager).amount_total, 320.0)
        self.assertEqual(self.settlement(self.director).amount_total, 1600.0)
        self.assertEqual(self.settlement(self.rep_shanghai).amount_total, 2300.0)

    def lead_the_tree(self):
        self.shanghai.user_id = self.supervisor
        self.east.user_id = self.regional_east
        self.hq.user_id = self.director

    def override_rule(self):
        return self.rule("T override", rule_type="override", level_ids=[
            Command.create({"level": 1, "rate": 1}),
            Command.create({"level": 2, "rate": 0.5}),
            Command.create({"level": 3, "rate": 0.25}),
        ])

    def test_override_three_levels(self):
        self.lead_the_tree()
        rule = self.override_rule()
        sale = self.order(self.rep_shanghai, 10000, self.shanghai, self.day(6))
        own_sale = self.order(self.supervisor, 2000, self.shanghai, self.day(7))
        self.compute()
        self.assertEqual(
            sorted((line.user_id.login, line.level, line.order_id.id, line.base_amount, line.amount)
                   for line in self.lines(rule=rule)),
            sorted([
                ("t_supervisor", 1, sale.id, 10000.0, 100.0),
                ("t_manager", 2, sale.id, 10000.0, 50.0),
                ("t_regional_east", 3, sale.id, 10000.0, 25.0),
                # the supervisor is not their own leader: the levels above still are
                ("t_manager", 2, own_sale.id, 2000.0, 10.0),
                ("t_regional_east", 3, own_sale.id, 2000.0, 5.0),
            ]), "the director, four levels up, has no rate")
        self.assertEqual(set(self.lines(rule=rule).mapped("kind")), {"override"})

    def test_override_leader_of_two_levels_credited_once(self):
        self.lead_the_tree()
        self.shanghai.user_id = self.manager  # the manager leads Shanghai and East Business
        rule = self.override_rule()
        sale = self.order(self.rep_shanghai, 10000, self.shanghai, self.day(6))
        self.compute()
        self.assertEqual(
            sorted((line.user_id.login, line.level, line.amount) for line in self.lines(rule=rule)),
            [("t_manager", 1, 100.0), ("t_regional_east", 3, 25.0)])
        self.assertEqual(self.lines(rule=rule).order_line_id, sale.order_line)

    def test_override_for_leaders_in_the_rule_scope_only(self):
        self.lead_the_tree()
        rule = self.override_rule()
        rule.team_ids = self.east_business  # the regional director leads East, above its scope
        self.order(self.rep_shanghai, 10000, self.shanghai, self.day(6))
        self.compute()
        self.assertEqual(sorted((line.user_id.login, line.level, line.amount) for line in self.lines(rule=rule)),
                         [("t_manager", 2, 50.0), ("t_supervisor", 1, 100.0)])

    def test_moved_mid_month(self):
        """The rep moved from Shanghai to North on the 16th: a rule of Shanghai credits the sales
        made while there, one of North those after."""
        self.rule("T Shanghai", rate=2.0, team_ids=[Command.set(self.shanghai.ids)])
        self.rule("T North", rate=1.0, team_ids=[Command.set(self.north.ids)])
        self.rule("T HQ", rate=0.5)
        member = self.env["crm.team.member"].search([("user_id", "=", self.rep_shanghai.id)])
        member.crm_team_id = self.north
        Assignment = self.env["sales.org.assignment"].sudo()
        before = Assignment.search([("user_id", "=", self.rep_shanghai.id), ("team_id", "=", self.shanghai.id)])
        after = Assignment.search([("user_id", "=", self.rep_shanghai.id), ("team_id", "=", self.north.id)])
        self.assertEqual((len(before), len(after)), (1, 1))
        before.date_to = self.day(15)
        after.date_from = self.day(16)
        in_shanghai = self.order(self.rep_shanghai, 1000, self.shanghai, self.day(10))
        in_north = self.order(self.rep_shanghai, 3000, self.north, self.day(20))
        self.compute()
        self.assertEqual(
            sorted((line.rule_id.name, line.order_id.id, line.amount) for line in self.lines(self.rep_shanghai)),
            sorted([("T Shanghai", in_shanghai.id, 20.0), ("T North", in_north.id, 30.0),
                    ("T HQ", in_shanghai.id, 5.0), ("T HQ", in_north.id, 15.0)]))
        self.assertEqual(self.settlement(self.rep_shanghai).team_id, self.north, "the unit on the month's last day")

    def test_role_scope(self):
        rule = self.rule("T reps", rate=1.0, team_ids=[Command.clear()], role_ids=[Command.set(self.role_rep.ids)])
        self.order(self.rep_north, 1000, self.north, self.day(6))
        self.order(self.clerk_east, 1000, self.east_business, self.day(6))
        self.compute()
        self.assertEqual(self.lines(rule=rule).user_id, self.rep_north)

    # ------------------------------------------------------------------
    # Rounding, recomputation, slips, currencies
    # ------------------------------------------------------------------

    def test_rounding_over_many_lines(self):
        rule = self.rule("T 3.33 %", rate=3.33)
        order = self.order(self.rep_north, [10] * 7, self.north, self.day(9))
        self.compute()
        own = self.lines(self.rep_north, kind="own")
        self.assertEqual(own.order_line_id, order.order_line)
        self.assertEqual(own.mapped("amount"), [0.33] * 7)
        # 7 x 0.333 = 2.331: the month pays 2.33, not 2.31
        self.assertLines(self.lines(self.rep_north, kind="rounding"), [{"rule_id": rule.id, "amount": 0.02}])
        self.assertAlmostEqual(self.settlement(self.rep_north).amount_total, 2.33)

    def test_rounding_half_away_from_zero(self):
        self.rule("T 1 %", rate=1.0, base="invoiced")
        self.invoice(self.rep_north, self.north, 12.5, self.day(9))
        self.invoice(self.rep_north, self.north, 12.5, self.day(10), move_type="out_refund")
        self.compute()
        self.assertEqual(sorted(self.lines(self.rep_north).mapped("amount")), [-0.13, 0.13])
        self.assertFalse(self.lines(self.rep_north, kind="rounding"))

    def scenario_rules(self):
        """A rule of each kind, a target, a key account taken over."""
        self.lead_the_tree()
        rules = self.rule("T 2 %", rate=2.0, accelerator_ids=[Command.create({"achievement_from": 100,
                                                                               "multiplier": 120})])
        rules |= self.rule("T tiers", rule_type="tiered", tier_ids=[
            Command.create({"amount_from": 0, "amount_to": 5000, "rate": 1}),
            Command.create({"amount_from": 5000, "rate": 3})])
        rules |= self.override_rule()
        rules |= self.rule("T fee", rule_type="key_account_fee", fee_permille=2.0)
        rules |= self.rule("T bonus", rule_type="target_bonus", bonus_amount=500, bonus_threshold=100)
        rules |= self.rule("T 3.33 %", rate=3.33, base="invoiced")
        self.person_target(self.rep_shanghai, self.shanghai, 5000)
        self.env["sales.key.account.takeover"].with_user(self.director)._take_over(
            self.key_account, self.east_business, self.day(1), "The director negotiates")
        return rules

    def scenario(self):
        """Every kind of line at once."""
        rules = self.scenario_rules()
        orders = self.order(self.rep_shanghai, [3000, (3, 1000)], self.shanghai, self.day(4))
        orders |= self.order(self.rep_north, 2500, self.north, self.day(5), partner=self.key_account)
        orders |= self.order(self.clerk_east, 7000, self.east_business, self.day(6))
        self.invoice(self.rep_north, self.north, [10] * 7, self.day(7))
        self.approved_slip(self.rep_shanghai, "reward", 300, self.day(8))
        return rules, orders

    def test_recomputation_gives_the_same_lines(self):
        _rules, orders = self.scenario()
        settlements = self.compute()
        lines = self.lines()
        self.assertEqual(set(lines.mapped("kind")),
                         {"own", "tier", "accelerator", "override", "fee", "bonus", "slip", "rounding"})
        before = self.line_tuples(lines)
        totals = {s.id: s.amount_total for s in settlements}
        again = self.compute()
        self.assertEqual(again, settlements, "the same settlements")
        self.assertEqual(self.line_tuples(self.lines()), before)
        self.assertEqual({s.id: s.amount_total for s in again}, totals)
        self.assertFalse(self.lines(kind="adjustment"))
        # a draft month follows its orders, without adjustments
        orders[0].order_line[1].write({"product_uom_qty": 4, "price_unit": 1000})
        self.compute()
        self.assertFalse(self.lines(kind="adjustment"))
        self.assertEqual(sorted(self.lines(self.rep_shanghai, kind="own").mapped("amount")), [60.0, 80.0])

    def test_slips(self):
        self.approved_slip(self.rep_shanghai, "reward", 300, self.day(8))
        demerit = self.approved_slip(self.rep_shanghai, "demerit", 50, self.day(9))
        self.approved_slip(self.rep_shanghai, "reward", 0, self.day(10))  # points only
        self.approved_slip(self.rep_shanghai, "reward", 200, self.day(2, self.next_month))
        waiting = self.env["sales.slip"].with_user(self.manager).create({
            "person_id": self.rep_shanghai.id, "kind": "reward", "amount": 100, "date": self.day(11),
            "description": "<p>T</p>"})
        waiting.with_user(self.manager).action_submit()
        self.compute()
        lines = self.lines(self.rep_shanghai)
        self.assertEqual(sorted(lines.mapped(lambda line: (line.kind, line.amount, line.rule_id.id))),
                         [("slip", -50.0, False), ("slip", 300.0, False)])
        self.assertEqual(lines.filtered(lambda line: line.amount < 0).slip_id, demerit)
        self.assertEqual(self.settlement(self.rep_shanghai).amount_total, 250.0)

    def test_foreign_currency_at_the_order_rate(self):
        rule = self.rule("T 1 %", rate=1.0)
        early = self.order(self.rep_north, 100, self.north, self.day(10), pricelist=self.pricelist_foreign)
        late = self.order(self.rep_north, 100, self.north, self.day(20), pricelist=self.pricelist_foreign)
        self.assertEqual(early.currency_id, self.foreign)
        self.compute()
        self.assertEqual(
            sorted((line.order_id.id, line.base_amount, line.amount) for line in self.lines(self.rep_north, rule=rule)),
            sorted([(early.id, 800.0, 8.0), (late.id, 500.0, 5.0)]))

    # ------------------------------------------------------------------
    # Queries
    # ------------------------------------------------------------------

    def test_query_count(self):
        """The run costs the same number of queries for 2 people selling as for 6."""
        self.scenario_rules()
        self.order(self.rep_shanghai, [3000, (3, 1000)], self.shanghai, self.day(4))
        self.order(self.rep_north, 2500, self.north, self.day(5), partner=self.key_account)
        self.invoice(self.rep_north, self.north, [10] * 7, self.day(7))
        self.compute()  # warm-up
        with self.assertQueryCount(COMPUTE_QUERIES):
            self.Settlement.sudo()._compute_period(self.company, self.month)
        sellers = self.lines(kind="own").seller_id
        self.assertEqual(sellers, self.rep_shanghai | self.rep_north)

        self.person_target(self.rep_north, self.north, 1000)
        self.order(self.clerk_east, 7000, self.east_business, self.day(6))
        self.order(self.supervisor, 1200, self.shanghai, self.day(11))
        self.order(self.manager, 1300, self.east_business, self.day(12), partner=self.key_account)
        self.order(self.regional_east, 1500, self.east, self.day(14))
        self.approved_slip(self.clerk_east, "demerit", 20, self.day(15))
        self.invoice(self.rep_shanghai, self.shanghai, [10] * 3, self.day(16))
        self.env.invalidate_all()
        with self.assertQueryCount(COMPUTE_QUERIES):
            self.Settlement.sudo()._compute_period(self.company, self.month)
        self.assertEqual(len(self.lines(kind="own").seller_id), 6)


@tagged("post_install", "-at_install")
class TestSalesCommissionAdjustment(SalesCommissionCommon):
    """Once a month is confirmed nothing in it changes: what changes later is adjusted in the
    next open month, pointing to the original line; two runs at once give one result."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.on_orders = cls.Rule.create({
            "name": "T 5 %", "rate": 5.0, "date_from": cls.month.replace(month=1, day=1),
            "team_ids": [Command.set(cls.hq.ids)]})
        cls.on_invoices = cls.Rule.create({
            "name": "T invoiced 2 %", "rate": 2.0, "base": "invoiced", "date_from": cls.month.replace(month=1, day=1),
            "team_ids": [Command.set(cls.hq.ids)]})
        cls.north_only = cls.Rule.create({
            "name": "T North 1 %", "rate": 1.0, "date_from": cls.month.replace(month=1, day=1),
            "user_ids": [Command.set(cls.rep_north.ids)]})

    def confirm_month(self, month=None):
        settlements = self.compute(month).filtered(lambda s: s.user_id in self.people)
        settlements.with_user(self.admin).action_confirm()
        return settlements

    def test_changes_after_confirmation(self):
        changed = self.order(self.rep_shanghai, [(2, 500)], self.shanghai, self.day(5))
        cancelled = self.order(self.rep_shanghai, 2000, self.shanghai, self.day(6))
        kept = self.order(self.rep_north, 4000, self.north, self.day(7))
        self.invoice(self.rep_shanghai, self.shanghai, 3000, self.day(8))
        settlements = self.confirm_month()
        self.assertEqual(set(settlements.mapped("state")), {"confirmed"})
        confirmed_lines = self.lines()
        before = self.line_tuples(confirmed_lines)
        totals = {s.id: s.amount_total for s in settlements}
        self.assertEqual(self.settlement(self.rep_shanghai).amount_total, 50.0 + 100.0 + 60.0)
        self.assertEqual(self.settlement(self.rep_north).amount_total, 200.0 + 40.0)

        def original(order, rule):
            return confirmed_lines.filtered(lambda line: line.order_id == order and line.rule_id == rule)

        # after the month was confirmed: a quantity, a back-dated and a current credit note, a
        # cancellation, a corrected rule
        changed.order_line.write({"product_uom_qty": 3, "price_unit": 500})
        late_refund = self.invoice(self.rep_shanghai, self.shanghai, 500, self.day(28), move_type="out_refund")
        current_refund = self.invoice(self.rep_shanghai, self.shanghai, 1000, self.day(5, self.next_month),
                                      move_type="out_refund")
        cancelled._action_cancel()
        self.north_only._correct({"rate": 1.5}, "The rate agreed was 1.5 %")
        self.compute(self.next_month)

        adjustments = self.lines(month=self.next_month, kind="adjustment",
                                 rule=self.on_orders | self.on_invoices | self.north_only)
        self.assertEqual(
            sorted((line.user_id.login, line.rule_id.name, line.source_ref, line.amount, line.origin_line_id.id)
                   for line in adjustments),
            sorted([
                ("t_rep_shanghai", "T 5 %", f"sol:{changed.order_line.id}", 25.0, original(changed, self.on_orders).id),
                ("t_rep_shanghai", "T 5 %", f"sol:{cancelled.order_line.id}", -100.0,
                 original(cancelled, self.on_orders).id),
                ("t_rep_shanghai", "T invoiced 2 %", f"aml:{late_refund.invoice_line_ids.id}", -10.0, False),
                ("t_rep_north", "T North 1 %", f"sol:{kept.order_line.id}", 20.0, original(kept, self.north_only).id),
            ]))
        self.assertEqual(set(adjustments.mapped("period_date")), {self.month})
        # each adjustment names its source, the cancelled order's too
        self.assertEqual(
            sorted((line.source_ref, line.order_id.id, line.order_line_id.id, line.move_id.id) for line in adjustments),
            sorted([(f"sol:{changed.order_line.id}", changed.id, changed.order_line.id, False),
                    (f"sol:{cancelled.order_line.id}", cancelled.id, cancelled.order_line.id, False),
                    (f"aml:{late_refund.invoice_line_ids.id}", False, False, late_refund.id),
                    (f"sol:{kept.order_line.id}", kept.id, kept.order_line.id, False)]))
        self.assertEqual(set(adjustments.settlement_id.mapped("date_from")), {self.next_month})
        self.assertEqual(set(adjustments.settlement_id.mapped("state")), {"draft"})
        # the credit note of the new month is the new month's own (negative) line
        self.assertLines(self.lines(self.rep_shanghai, month=self.next_month, kind="own"), [{
            "rule_id": self.on_invoices.id, "move_id": current_refund.id, "period_date": self.next_month,
            "amount": -20.0}])
        self.assertEqual(self.settlement(self.rep_shanghai, self.next_month).amount_total, 25.0 - 100.0 - 10.0 - 20.0)
        self.assertEqual(self.settlement(self.rep_north, self.next_month).amount_total, 20.0)
        # the confirmed month is untouched
        self.assertEqual(self.line_tuples(self.lines()), before)
        self.assertEqual({s.id: s.amount_total for s in settlements}, totals)
        self.assertEqual(set(settlements.mapped("state")), {"confirmed"})
        # computed again, the next month adjusts once
        again = self.line_tuples(self.lines(month=self.next_month))
        self.compute(self.next_month)
        self.assertEqual(self.line_tuples(self.lines(month=self.next_month)), again)
        # and once the next month is confirmed too, nothing is adjusted twice
        self.confirm_month(self.next_month)
        self.compute(self.this_month)
        self.assertFalse(self.lines(month=self.this_month, kind="adjustment"))

    def test_an_archived_rule_is_not_paid_back(self):
        """A rule archived before a month was computed did not credit it: the next month does
        not pay it for that month either."""
        archived = self.Rule.create({"name": "T archived 3 %", "rate": 3.0, "active": False,
                                     "date_from": self.month.replace(month=1, day=1),
                                     "team_ids": [Command.set(self.hq.ids)]})
        retired = self.Rule.create({"name": "T retired 4 %", "rate": 4.0, "date_from": self.month.replace(month=1, day=1),
                                    "user_ids": [Command.set(self.rep_north.ids)]})
        self.order(self.rep_north, 4000, self.north, self.day(7))
        cancelled = self.order(self.rep_north, 1000, self.north, self.day(8))
        self.confirm_month()
        self.assertFalse(self.lines(rule=archived))
        self.assertEqual(sorted(self.lines(rule=retired).mapped("amount")), [40.0, 160.0])
        # archived once it paid the month: what changes in that month is still adjusted under it
        retired.action_archive()
        cancelled._action_cancel()
        self.compute(self.next_month)
        self.assertFalse(self.lines(month=self.next_month, rule=archived),
                         "an archived rule credits no month it did not credit when confirmed")
        self.assertEqual(
            self.lines(month=self.next_month, kind="adjustment", rule=retired | archived).mapped(
                lambda line: (line.rule_id, line.order_id, line.amount)),
            [(retired, cancelled, -40.0)])

    def test_a_confirmed_line_never_changes(self):
        self.order(self.rep_north, 4000, self.north, self.day(7))
        self.confirm_month()
        line = self.lines(self.rep_north)[0]
        with self.assertRaises(UserError):
            line.sudo().write({"amount": 1})
        with self.assertRaises(UserError):
            line.sudo().unlink()
        with self.assertRaises(UserError):
            self.settlement(self.rep_north).sudo().unlink()
        # a recomputation of the confirmed month leaves its people alone
        before = self.line_tuples(self.lines())
        self.compute()
        self.assertEqual(self.line_tuples(self.lines()), before)

    def test_a_new_version_does_not_adjust_the_closed_month(self):
        rule = self.Rule.create({"name": "T clerk 4 %", "rate": 4.0, "date_from": self.month.replace(month=1, day=1),
                                 "user_ids": [Command.set(self.clerk_east.ids)]})
        old_sale = self.order(self.clerk_east, 1000, self.east_business, self.day(7))
        self.confirm_month()
        self.assertTrue(rule.is_used)
        with self.assertRaises(UserError):
            rule.rate = 7.0
        version = rule._new_version(self.next_month)
        version.rate = 10.0
        self.assertEqual(rule.date_to, self.next_month - timedelta(days=1))
        new_sale = self.order(self.clerk_east, 1000, self.east_business, self.day(7, self.next_month))
        self.compute(self.next_month)
        self.assertFalse(self.lines(self.clerk_east, month=self.next_month, kind="adjustment", rule=rule | version))
        self.assertEqual(
            sorted((line.rule_id.id, line.order_id.id, line.amount)
                   for line in self.lines(self.clerk_east, month=self.next_month, rule=rule | version)),
            [(version.id, new_sale.id, 100.0)])
        self.assertEqual(self.lines(self.clerk_east, rule=rule).mapped(
            lambda line: (line.rule_id, line.order_id, line.amount)), [(rule, old_sale, 40.0)])

    def test_two_runs_at_once(self):
        self.order(self.rep_north, 4000, self.north, self.day(7))
        self.compute()  # holds the company's lock until this transaction ends
        before = self.line_tuples(self.lines())
        # another connection: Odoo's test cursors share this one's session (and its lock)
        with db_connect(self.env.cr.dbname).cursor() as cr:
            other = api.Environment(cr, api.SUPERUSER_ID, {})
            company = other["res.company"].browse(self.company.id)
            with self.assertRaisesRegex(UserError, "being computed"), mute_logger("odoo.sql_db"):
                other["sales.commission.settlement"]._lock_company(company)
            with self.assertRaisesRegex(UserError, "being computed"), mute_logger("odoo.sql_db"):
                other["sales.commission.settlement"]._compute_period(company, self.month)
            cr.rollback()
        self.assertEqual(self.line_tuples(self.lines()), before)
        # the same transaction runs again freely
        self.compute()

    def test_the_unique_key_refuses_a_duplicate_line(self):
        self.order(self.rep_north, 4000, self.north, self.day(7))
        self.compute()
        line = self.lines(self.rep_north)[0]
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            self.Line.sudo().create({
                "settlement_id": line.settlement_id.id, "user_id": line.user_id.id, "company_id": self.company.id,
                "period_date": line.period_date, "kind": line.kind, "rule_id": line.rule_id.id,
                "source_ref": line.source_ref, "amount": line.amount,
            })
            self.env.flush_all()
        self.assertEqual(len(self.lines(self.rep_north)), 2)


@tagged("post_install", "-at_install")
class TestSalesCommissionAccess(SalesCommissionCommon):
    """Each person reads their own settlements, leaders those of their people; nobody writes
    them; the sales administrator confirms and marks paid; disputes go to the leader."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Rule.create({"name": "T 1 %", "rate": 1.0, "date_from": cls.month.replace(month=1, day=1),
                         "team_ids": [Command.set(cls.hq.ids)]})

    def setUp(self):
        super().setUp()
        for person, team in [(self.rep_shanghai, self.shanghai), (self.supervisor, self.shanghai),
                             (self.clerk_east, self.east_business), (self.rep_north, self.north)]:
            self.order(person, 1000, team, self.day(6))
            self.order(person, 2000, team, self.day(9))
        self.settlements = self.compute().filtered(lambda s: s.user_id in self.people)

    def test_who_reads_what(self):
        for reader, readable in [
            (self.rep_shanghai, self.rep_shanghai),
            (self.rep_north, self.rep_north),
            (self.supervisor, self.rep_shanghai | self.supervisor),
            (self.manager, self.rep_shanghai | self.supervisor | self.clerk_east),
            (self.regional_east, self.rep_shanghai | self.supervisor | self.clerk_east),
            (self.director, self.rep_shanghai | self.supervisor | self.clerk_east | self.rep_north),
            (self.admin, self.rep_shanghai | self.supervisor | self.clerk_east | self.rep_north),
        ]:
            with self.subTest(reader=reader.login):
                domain = [("date_from", "=", self.month), ("user_id", "in", self.people.ids)]
                settlements = self.Settlement.with_user(reader).search(domain)
                self.assertEqual(settlements.user_id, readable)
                lines = self.Line.with_user(reader).search([("settlement_id.date_from", "=", self.month),
                                                            ("user_id", "in", self.people.ids)])
                self.assertEqual(lines.user_id, readable)
                self.assertEqual(self.Line.with_user(reader).search_count(
                    [("settlement_id.date_from", "=", self.month), ("user_id", "in", self.people.ids)]), len(lines))
                self.assertEqual(len(lines), 2 * len(readable))
        mine = self.settlement(self.rep_north)
        with self.assertRaises(AccessError):
            mine.with_user(self.rep_shanghai).read(["amount_total"])

    def test_nobody_writes_a_settlement_or_a_line(self):
        settlement = self.settlement(self.rep_shanghai)
        line = settlement.line_ids[0]
        for user in (self.rep_shanghai, self.supervisor, self.director, self.admin):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    settlement.with_user(user).write({"amount_total": 1e6})
                with self.assertRaises(AccessError):
                    settlement.with_user(user).write({"state": "paid"})
                with self.assertRaises(AccessError):
                    line.with_user(user).write({"amount": 1e6})
                with self.assertRaises(AccessError):
                    self.Line.with_user(user).create({
                        "settlement_id": settlement.id, "user_id": user.id, "company_id": self.company.id,
                        "period_date": self.month, "kind": "own", "source_ref": "sol:0", "amount": 1e6})
                with self.assertRaises(AccessError):
                    self.Settlement.with_user(user).create({
                        "user_id": user.id, "company_id": self.company.id, "date_from": self.next_month,
                        "date_to": self.next_month})
                with self.assertRaises(AccessError):
                    line.with_user(user).unlink()
                with self.assertRaises(AccessError):
                    settlement.with_user(user).unlink()
        self.assertEqual(line.amount, 10.0)
        self.assertEqual(settlement.amount_total, 30.0)

    def test_only_the_run_computes(self):
        for user in (self.rep_shanghai, self.director, self.admin):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.Settlement.with_user(user)._compute_period(self.company, self.month)

    def test_only_the_sales_administrator_confirms_and_pays(self):
        settlement = self.settlement(self.rep_shanghai)
        for user in (self.rep_shanghai, self.manager, self.director):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                settlement.with_user(user).action_confirm()
        with self.assertRaises(UserError):
            settlement.with_user(self.admin).action_mark_paid()
        settlement.with_user(self.admin).action_confirm()
        self.assertRecordValues(settlement, [{"state": "confirmed", "confirm_uid": self.admin.id}])
        with self.assertRaises(UserError):
            settlement.with_user(self.admin).action_confirm()
        for user in (self.rep_shanghai, self.manager, self.director):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                settlement.with_user(user).action_mark_paid()
        settlement.with_user(self.admin).action_mark_paid()
        self.assertRecordValues(settlement, [{"state": "paid", "paid_date": self.today}])

    def confirmed_line(self, user):
        line = self.lines(user)[0]
        line.settlement_id.with_user(self.admin).action_confirm()
        return line

    def dispute(self, line, user=None, **values):
        return self.env["sales.commission.dispute"].with_user(user or line.user_id).create({
            "line_id": line.id, "description": "The order was 1,200, not 1,000", "amount_claimed": 2.0, **values})

    def test_dispute_round_trip(self):
        line = self.confirmed_line(self.rep_shanghai)
        settlement = line.settlement_id
        draft_line = self.lines(self.rep_north)[0]
        with self.assertRaisesRegex(ValidationError, "confirmed"), self.env.cr.savepoint():
            self.dispute(draft_line)
        dispute = self.dispute(line)
        self.assertRecordValues(dispute, [{
            "user_id": self.rep_shanghai.id, "settlement_id": settlement.id, "line_amount": line.amount,
            "state": "draft", "company_id": self.company.id}])
        # what a supervisor may grant on a dispute: the claim is within it
        self.env["sales.org.role.limit"].create({"role_id": self.role_supervisor.id, "kind": "commission_dispute",
                                                 "limit": 10})
        dispute.with_user(self.rep_shanghai).action_submit()
        self.assertRecordValues(dispute, [{"state": "submitted", "approver_id": self.supervisor.id}])
        # the rep grants themselves nothing
        with self.assertRaises(AccessError):
            dispute.with_user(self.rep_shanghai).write({"amount_granted": 100})
        with self.assertRaises(UserError):
            dispute.with_user(self.supervisor).action_approve()  # nothing granted yet
        dispute.with_user(self.supervisor).write({"amount_granted": 2.0})
        with self.assertRaises(AccessError):
            dispute.with_user(self.rep_shanghai).action_approve()
        dispute.with_user(self.supervisor).action_approve()
        self.assertEqual(dispute.state, "approved")
        credit = dispute.adjustment_line_id
        self.assertRecordValues(credit, [{
            "kind": "dispute", "user_id": self.rep_shanghai.id, "amount": 2.0, "origin_line_id": line.id,
            "dispute_id": dispute.id, "period_date": self.month}])
        self.assertRecordValues(credit.settlement_id, [{
            "user_id": self.rep_shanghai.id, "date_from": self.this_month, "state": "draft"}])
        # the month of the credit computed again, the credit stays
        self.compute(self.this_month)
        self.assertTrue(credit.exists())
        self.assertEqual(self.lines(self.rep_shanghai, month=self.this_month, kind="dispute"), credit)

    def test_dispute_refused(self):
        dispute = self.dispute(self.confirmed_line(self.rep_shanghai))
        dispute.with_user(self.rep_shanghai).action_submit()
        with self.assertRaises(UserError):
            dispute.with_user(self.supervisor).action_refuse()  # a refusal says why
        dispute.with_user(self.supervisor).write({"review_comment": "The order was 1,000."})
        dispute.with_user(self.supervisor).action_refuse()
        self.assertRecordValues(dispute, [{"state": "refused", "adjustment_line_id": False}])
        self.assertFalse(self.Line.sudo().search([("dispute_id", "=", dispute.id)]))

    def test_only_ones_own_line_is_disputed(self):
        theirs = self.confirmed_line(self.rep_north)
        mine = self.confirmed_line(self.rep_shanghai)
        count = self.env["sales.commission.dispute"].sudo().search_count([])
        for line, user in [(theirs, self.rep_shanghai), (mine, self.supervisor)]:
            with self.subTest(user=user.login), self.assertRaises(Exception) as caught, self.env.cr.savepoint():
                self.dispute(line, user=user)
            self.assertIsInstance(caught.exception, (AccessError, ValidationError))
        with self.assertRaises(AccessError):
            theirs.with_user(self.rep_shanghai).action_dispute()
        self.assertEqual(self.env["sales.commission.dispute"].sudo().search_count([]), count)
        action = mine.with_user(self.rep_shanghai).action_dispute()
        self.assertEqual(action["res_model"], "sales.commission.dispute")
