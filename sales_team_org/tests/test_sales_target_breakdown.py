from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import SalesOrgCommon


@tagged("post_install", "-at_install")
class TestSalesTargetBreakdown(SalesOrgCommon):
    """目标分解: the assistant splits a target over periods, units or people, the sum exact."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Target = cls.env["sales.target"]
        cls.Wizard = cls.env["sales.target.breakdown"]
        # a second unit below the East region, without members
        cls.east_retail = cls.env["crm.team"].create({"name": "T East Retail", "parent_id": cls.east.id})

    def target(self, team, amount, period_type="month", day=date(2027, 3, 1), metric="order_amount", user=None,
               agreed=False):
        start, end = self.env["res.company"]._sales_org_period(period_type, day)
        target = self.Target.create({
            "target_type": "person" if user else "unit", "team_id": team.id, "user_id": user and user.id,
            "metric": metric, "period_type": period_type, "date_from": start, "date_to": end, "amount": amount,
        })
        if agreed:
            target.action_agree()
        return target

    def order(self, person, team, quantity, when):
        order = self.env["sale.order"].create({
            "partner_id": self.customer.id, "user_id": person.id, "team_id": team.id,
            "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": quantity})],
        })
        order.action_confirm()
        order.date_order = when  # action_confirm dates the order now
        return order

    def breakdown(self, target, user=None, **choices):
        wizard = self.Wizard.with_user(user or self.env.user).with_context(default_target_id=target.id)
        return wizard.create(choices)

    def amounts(self, wizard):
        return wizard.line_ids.mapped("amount")

    # ------------------------------------------------------------------
    # Splitting, the sum exact
    # ------------------------------------------------------------------

    def test_even_split_of_money_over_months(self):
        quarter = self.target(self.east_business, 100000.0, "quarter", agreed=True)
        wizard = self.breakdown(quarter, self.regional_east)
        self.assertEqual((wizard.split, wizard.period_type, wizard.method), ("period", "month", "even"))
        self.assertEqual(wizard.line_ids.mapped("date_from"),
                         [date(2027, 1, 1), date(2027, 2, 1), date(2027, 3, 1)])
        self.assertEqual(sorted(self.amounts(wizard)), [33333.33, 33333.33, 33333.34])
        self.assertEqual(wizard.difference, 0.0)
        self.assertFalse(wizard.warning)
        action = wizard.action_apply()
        self.assertEqual((action["res_model"], action["res_id"]), ("sales.target", quarter.id))
        months = quarter.child_ids.sorted("date_from")
        self.assertEqual(months.mapped("period_type"), ["month"] * 3)
        self.assertEqual(sorted(months.mapped("amount")), [33333.33, 33333.33, 33333.34])
        self.assertEqual(months.team_id, self.east_business)
        self.assertEqual(set(months.mapped("breakdown")), {"period"})
        self.assertEqual(months.create_uid, self.regional_east)
        self.assertEqual((quarter.children_amount, quarter.breakdown_gap), (100000.0, 0.0))

    def test_even_split_of_a_count(self):
        quarter = self.target(self.east_business, 10, "quarter", metric="visit_count")
        wizard = self.breakdown(quarter, self.regional_east)
        self.assertEqual(sorted(self.amounts(wizard)), [3, 3, 4])
        year = self.target(self.east_business, 10, "year", metric="call_count")
        wizard = self.breakdown(year, self.regional_east, period_type="month")
        self.assertEqual(len(wizard.line_ids), 12)
        self.assertEqual(sum(self.amounts(wizard)), 10)
        self.assertTrue(all(amount == int(amount) for amount in self.amounts(wizard)))
        wizard.action_apply()
        self.assertEqual(year.breakdown_gap, 0)

    def test_seasonality_split_over_quarters(self):
        # last year East Business sold 1 in Q1, 2 in Q2, nothing in Q3, 1 in Q4
        for quantity, when in ((1, "2026-02-10 10:00:00"), (2, "2026-05-10 10:00:00"), (1, "2026-11-10 10:00:00")):
            self.order(self.rep_shanghai, self.east_business, quantity, when)
        year = self.target(self.east_business, 100000.0, "year", day=date(2027, 1, 1))
        wizard = self.breakdown(year, self.regional_east, method="last_year")
        unit_price = self.product.list_price
        self.assertEqual(wizard.line_ids.mapped("last_year_actual"), [unit_price, 2 * unit_price, 0.0, unit_price])
        self.assertEqual(self.amounts(wizard), [25000.0, 50000.0, 0.0, 25000.0])
        self.assertEqual(wizard.line_ids.mapped("weight"), [25.0, 50.0, 0.0, 25.0])
        self.assertFalse(wizard.warning)
        wizard.action_apply()
        self.assertEqual(year.child_ids.sorted("date_from").mapped("amount"), [25000.0, 50000.0, 0.0, 25000.0])

    def test_last_year_without_figures_falls_back_to_even(self):
        year = self.target(self.east_business, 1000.0, "year", day=date(2027, 1, 1))
        wizard = self.breakdown(year, self.regional_east, method="last_year")
        self.assertEqual(self.amounts(wizard), [250.0] * 4)
        self.assertIn("split evenly", wizard.warning)

    def test_share_split_over_units_from_last_year(self):
        # March last year: East Business 3, East Retail 1
        self.order(self.manager, self.east_business, 3, "2026-03-05 10:00:00")
        self.order(self.rep_north, self.east_retail, 1, "2026-03-20 10:00:00")
        self.order(self.rep_north, self.east_retail, 5, "2026-04-01 10:00:00")  # another month
        east = self.target(self.east, 1000.0, agreed=True)
        # the regional director breaks the East region's target down to its units
        wizard = self.breakdown(east, self.regional_east, split="unit", method="last_year")
        self.assertEqual(wizard.line_ids.team_id, self.east_business | self.east_retail)
        by_unit = {line.team_id: line for line in wizard.line_ids}
        self.assertEqual(by_unit[self.east_business].amount, 750.0)
        self.assertEqual(by_unit[self.east_retail].amount, 250.0)
        self.assertEqual(by_unit[self.east_business].weight, 75.0)
        wizard.action_apply()
        children = east.child_ids
        self.assertEqual(children.mapped("target_type"), ["unit", "unit"])
        self.assertEqual(set(children.mapped("breakdown")), {"owner"})
        self.assertEqual({child.team_id: child.amount for child in children},
                         {self.east_business: 750.0, self.east_retail: 250.0})
        self.assertEqual(set(children.mapped("date_from")), {east.date_from})

    def test_manual_split_shows_the_difference(self):
        quarter = self.target(self.east_business, 900.0, "quarter")
        with Form(self.Wizard.with_user(self.regional_east).with_context(default_target_id=quarter.id)) as form:
            form.method = "manual"
            for index, amount in enumerate((300.0, 300.0, 200.0)):
                with form.line_ids.edit(index) as line:
                    line.amount = amount
            self.assertEqual(form.total, 800.0)
            self.assertEqual(form.difference, 100.0)
        wizard = form.save()
        wizard.action_apply()
        self.assertEqual(quarter.child_ids.sorted("date_from").mapped("amount"), [300.0, 300.0, 200.0])
        self.assertEqual((quarter.children_amount, quarter.breakdown_gap), (800.0, 100.0))

    def test_manual_split_reads_only_the_amounts(self):
        """Over RPC, lines naming other units or people are refused: the lines are computed again."""
        quarter = self.target(self.east_business, 900.0, "quarter")
        wizard = self.breakdown(quarter, self.regional_east, method="manual")
        wizard.line_ids[0].write({"amount": 500.0})
        wizard.line_ids[1].write({"team_id": self.north.id, "date_from": date(2027, 7, 1)})
        with self.assertRaises(UserError):
            wizard.action_apply()
        self.assertFalse(quarter.child_ids)

    def test_reapplying_updates_the_drafts(self):
        east = self.target(self.east, 1000.0, agreed=True)
        self.breakdown(east, self.regional_east, split="unit").action_apply()
        children = east.child_ids
        self.assertEqual(children.mapped("amount"), [500.0, 500.0])
        east.action_unlock("华东 takes over the 苏州 accounts")
        east.amount = 3000.0
        east.action_agree()
        wizard = self.breakdown(east, self.regional_east, split="unit")
        self.assertEqual(wizard.line_ids.existing_target_id, children)
        wizard.action_apply()
        self.assertEqual(east.child_ids, children)
        self.assertEqual(children.mapped("amount"), [1500.0, 1500.0])
        # an existing target of a unit below, not yet broken down from the region's, is adopted
        loose = self.target(self.east_business, 10.0, day=date(2027, 4, 1))
        april = self.target(self.east, 100.0, day=date(2027, 4, 1), agreed=True)
        self.breakdown(april, self.regional_east, split="unit").action_apply()
        self.assertIn(loose, april.child_ids)
        self.assertEqual(loose.amount, 50.0)

    def test_agreed_child_is_refused(self):
        east = self.target(self.east, 1000.0, agreed=True)
        self.breakdown(east, self.regional_east, split="unit").action_apply()
        agreed = east.child_ids.filtered(lambda child: child.team_id == self.east_business)
        agreed.action_agree()
        east.action_unlock("more")
        east.amount = 2000.0
        east.action_agree()
        wizard = self.breakdown(east, self.regional_east, split="unit")
        self.assertEqual({line.team_id: line.existing_state for line in wizard.line_ids},
                         {self.east_business: "agreed", self.east_retail: "draft"})
        with self.assertRaisesRegex(UserError, "Already agreed"):
            wizard.action_apply()
        self.assertEqual(east.child_ids.mapped("amount"), [500.0, 500.0])

    # ------------------------------------------------------------------
    # Who breaks down what
    # ------------------------------------------------------------------

    def test_who_breaks_down(self):
        east = self.target(self.east, 1000.0)
        # the East region's target is set above the regional director: a draft is not theirs to break down
        with self.assertRaises(UserError):
            self.breakdown(east, self.regional_east, split="unit")
        with self.assertRaises(UserError):
            east.with_user(self.regional_east).action_open_breakdown()
        east.action_agree()
        action = east.with_user(self.regional_east).action_open_breakdown()
        self.assertEqual(action["context"], {"default_target_id": east.id})
        # a rep breaks nothing down; the North region's director does not read the East's targets
        with self.assertRaises(AccessError):
            self.breakdown(east, self.rep_shanghai, split="unit")
        with self.assertRaises(AccessError):
            self.breakdown(east, self.regional_north, split="unit")
        # the manager of East Business does not lead the region: its target is not theirs to read
        with self.assertRaises(AccessError):
            self.breakdown(east, self.manager, split="unit")
        # the region's only member is its regional director: their own target is set above them
        wizard = self.breakdown(east, self.regional_east, split="person")
        self.assertEqual(wizard.line_ids.user_id, self.regional_east)
        self.assertFalse(wizard.line_ids.can_set)
        with self.assertRaisesRegex(UserError, "you set none of them"):
            wizard.action_apply()
        self.assertFalse(east.child_ids)
        # the regional director may
        self.breakdown(east, self.regional_east, split="unit").action_apply()
        self.assertEqual(len(east.child_ids), 2)

    def test_nobody_breaks_down_into_their_own_target(self):
        """East Business's target is set by the regional director; its manager divides it among its
        people, their own target kept as set above them."""
        business = self.target(self.east_business, 1000.0)
        with self.assertRaises(UserError):
            self.breakdown(business, self.manager, split="person")
        business.action_agree()
        own = self.target(self.east_business, 400.0, user=self.manager)
        wizard = self.breakdown(business, self.manager, split="person")
        lines = {line.user_id: line for line in wizard.line_ids}
        self.assertEqual(set(lines), {self.manager, self.clerk_east})
        self.assertFalse(lines[self.manager].can_set)
        self.assertEqual(lines[self.manager].amount, 400.0)
        self.assertEqual(lines[self.clerk_east].amount, 600.0)
        self.assertIn(self.manager.name, wizard.warning)
        wizard.action_apply()
        self.assertEqual(own.amount, 400.0)
        self.assertFalse(own.parent_id)
        clerk = business.child_ids
        self.assertEqual((clerk.user_id, clerk.amount, clerk.target_type), (self.clerk_east, 600.0, "person"))
        # the regional director sets both
        business.action_unlock("again")
        business.action_agree()
        self.breakdown(business, self.regional_east, split="person").action_apply()
        self.assertEqual(business.child_ids, own | clerk)
        self.assertEqual((own.amount, clerk.amount), (500.0, 500.0))

    # ------------------------------------------------------------------
    # Bad input
    # ------------------------------------------------------------------

    def assertRefused(self, target, message, user=None, **choices):
        wizard = self.breakdown(target, user or self.regional_east, **choices)
        self.assertFalse(wizard.line_ids)
        self.assertIn(message, wizard.warning)
        with self.assertRaisesRegex(UserError, message):
            wizard.action_apply()
        self.assertFalse(target.child_ids)

    def test_bad_input_is_refused(self):
        month = self.target(self.east_business, 100.0)
        self.assertRefused(month, "a month is not split over periods", split="period")
        quarter = self.target(self.east_business, 100.0, "quarter")
        self.assertRefused(quarter, "splits into shorter periods", split="period", period_type="quarter")
        shanghai = self.target(self.shanghai, 100.0)
        self.assertRefused(shanghai, "has no unit below it", user=self.manager, split="unit")
        retail = self.target(self.east_retail, 100.0)
        self.assertRefused(retail, "has no members", split="person")
        person = self.target(self.east_business, 100.0, user=self.clerk_east)
        self.assertRefused(person, "split over periods only", split="unit")
        # a negative amount typed by hand
        wizard = self.breakdown(quarter, self.regional_east, method="manual")
        with self.assertRaises(ValidationError):
            wizard.line_ids[0].amount = -1.0
            wizard.flush_recordset()
        self.assertFalse(quarter.child_ids)

    # ------------------------------------------------------------------
    # Cost
    # ------------------------------------------------------------------

    def test_query_count_of_the_lines(self):
        """Computing the lines costs the same for 2 and for 6 units below, last year's share included."""
        Team = self.env["crm.team"]
        narrow = Team.create({"name": "T Narrow", "parent_id": self.east.id})
        wide = Team.create({"name": "T Wide", "parent_id": self.east.id})
        Team.create([{"name": f"T Narrow {i}", "parent_id": narrow.id} for i in range(2)])
        Team.create([{"name": f"T Wide {i}", "parent_id": wide.id} for i in range(6)])
        self.order(self.rep_shanghai, self.east_business, 1, "2026-03-05 10:00:00")
        targets = {team: self.target(team, 600.0) for team in (narrow, wide)}
        targets[self.east] = self.target(self.east, 600.0, agreed=True)
        Wizard = self.Wizard.with_user(self.regional_east)
        self.env.invalidate_all()
        Wizard.create({"target_id": targets[self.east].id, "split": "unit", "method": "last_year"})  # warm
        for team in (narrow, wide):
            self.env.invalidate_all()
            with self.assertQueryCount(15):
                wizard = Wizard.create({"target_id": targets[team].id, "split": "unit", "method": "last_year"})
                wizard.flush_recordset()
            self.assertEqual(len(wizard.line_ids), len(team.child_ids))
            self.assertEqual(sum(wizard.line_ids.mapped("amount")), 600.0)
