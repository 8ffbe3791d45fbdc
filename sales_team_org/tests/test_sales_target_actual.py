from datetime import date

import pytz
from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged
from odoo.tools import SQL

from .test_sales_target import NOVEMBER, Q4, YEAR, SalesTargetCommon

OCTOBER = {"period_type": "month", "date_from": date(2026, 10, 1), "date_to": date(2026, 10, 31)}
SEPTEMBER = {"period_type": "month", "date_from": date(2026, 9, 1), "date_to": date(2026, 9, 30)}
# noon in Shanghai (UTC+8)
NOV_10 = "2026-11-10 04:00:00"
OCT_15 = "2026-10-15 04:00:00"


@tagged("post_install", "-at_install")
class TestSalesTargetActual(SalesTargetCommon):
    """A target's actual: the figures source rolled up the tree, each figure counted once, and
    kept as it stood once the period is over."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.resource_calendar_id.tz = "Asia/Shanghai"
        # another currency, at 0.125 of the company's: 100 of it is 800 in the company's
        currency = cls.company.currency_id
        cls.foreign = cls.env.ref("base.EUR") if currency != cls.env.ref("base.EUR") else cls.env.ref("base.USD")
        cls.foreign.active = True
        cls.env["res.currency.rate"].create([
            {"currency_id": currency.id, "name": "2026-01-01", "rate": 1.0, "company_id": cls.company.id},
            {"currency_id": cls.foreign.id, "name": "2026-01-01", "rate": 0.125, "company_id": cls.company.id},
        ])
        cls.pricelist_foreign = cls.env["product.pricelist"].create({
            "name": "T Foreign", "currency_id": cls.foreign.id, "company_id": cls.company.id,
        })
        cls.vat = cls.env["account.tax"].create({
            "name": "T VAT 13%", "amount": 13, "amount_type": "percent", "type_tax_use": "sale",
            "company_id": cls.company.id,
        })

    def order(self, user, price, team, when=NOV_10, pricelist=None, confirm=True):
        order = self.env["sale.order"].create({
            "partner_id": self.customer.id, "user_id": user.id, "team_id": team.id, "company_id": self.company.id,
            **({"pricelist_id": pricelist.id} if pricelist else {}),
            "order_line": [Command.create({
                "product_id": self.product.id, "product_uom_qty": 1, "price_unit": price,
                "tax_id": [Command.set(self.vat.ids)],
            })],
        })
        if confirm:
            with freeze_time(when):
                order.action_confirm()
        return order

    def invoice(self, user, team, price, move_type="out_invoice", post=True):
        move = self.env["account.move"].create({
            "move_type": move_type, "partner_id": self.customer.id, "invoice_user_id": user.id, "team_id": team.id,
            "invoice_date": date(2026, 11, 12), "company_id": self.company.id,
            "invoice_line_ids": [Command.create({
                "name": "T Gate", "quantity": 1, "price_unit": price, "tax_ids": [Command.set(self.vat.ids)],
            })],
        })
        if post:
            move.action_post()
        return move

    def actuals(self, targets):
        self.env.invalidate_all()
        return {key: target.actual for key, target in targets.items()}

    def tree_targets(self, period=None, metric="order_amount", amount=1000.0):
        targets = {
            "hq": self.unit_target(self.hq, amount, period, metric=metric),
            "east": self.unit_target(self.east, amount, period, metric=metric),
            "north": self.unit_target(self.north, amount, period, metric=metric),
            "business": self.unit_target(self.east_business, amount, period, metric=metric),
            "shanghai": self.unit_target(self.shanghai, amount, period, metric=metric),
            "rep": self.person_target(self.rep_shanghai, self.shanghai, amount, period, metric=metric),
        }
        return targets

    def test_confirmed_sales_of_a_person_and_up_the_tree(self):
        rep = self.rep_shanghai
        self.order(rep, 1000, self.shanghai)                                       # 1,130 with taxes
        self.order(rep, 100, self.shanghai, pricelist=self.pricelist_foreign)     # 800 in the company currency
        self.order(rep, 500, self.shanghai)._action_cancel()                       # cancelled: none
        again = self.order(rep, 300, self.shanghai)
        again._action_cancel()
        again.action_draft()
        with freeze_time(NOV_10):
            again.action_confirm()                                                 # re-confirmed: once
        self.order(rep, 9000, self.shanghai, confirm=False)                        # a quotation: none
        self.order(self.clerk_east, 2000, self.east_business)
        self.order(self.rep_north, 4000, self.north)
        self.order(rep, 7000, self.shanghai, when=OCT_15)                          # October
        november = self.tree_targets(amount=4200)
        self.assertEqual(self.actuals(november), {
            "rep": 2100, "shanghai": 2100, "business": 4100, "east": 4100, "north": 4000, "hq": 8100,
        })
        self.assertEqual(november["rep"].achievement, 50.0)
        self.assertEqual(self.actuals(self.tree_targets(Q4)), {
            "rep": 9100, "shanghai": 9100, "business": 11100, "east": 11100, "north": 4000, "hq": 15100,
        })
        year = self.unit_target(self.hq, 30200, YEAR)
        self.assertEqual((year.actual, year.achievement), (15100, 50.0))
        # the analysis: the same actuals, the gap where the actual is short of the target
        rows = self.env["sales.target.analysis"].search([("target_id", "in", [t.id for t in november.values()])])
        self.assertEqual({row.target_id: (row.actual, row.gap) for row in rows}, {
            target: (target.actual, max(target.amount - target.actual, 0.0)) for target in november.values()
        })
        # the breakdown assistant's entry: any goal over the same roll-up
        goals = self.env["sales.target.analysis"]._actuals(SQL(
            """SELECT * FROM (VALUES (1, %s, NULL::int, %s, 'order_amount', '2026-11-01'::date, '2026-11-30'::date),
                                     (2, NULL::int, %s, %s, 'order_amount', '2026-10-01'::date, '2026-12-31'::date))
                       AS g(key, team_id, user_id, company_id, metric, date_from, date_to)""",
            self.east.id, self.company.id, rep.id, self.company.id))
        self.assertEqual(goals, {1: 4100, 2: 9100})

    def test_invoiced_sales(self):
        rep = self.rep_shanghai
        self.invoice(rep, self.shanghai, 1000)
        self.invoice(rep, self.shanghai, 200, "out_refund")
        self.invoice(rep, self.shanghai, 5000, post=False)  # a draft: none
        self.invoice(self.clerk_east, self.east_business, 3000)
        self.invoice(self.rep_north, self.north, 400)
        targets = self.tree_targets(metric="invoiced_amount")
        self.assertEqual(self.actuals(targets), {
            "rep": 800, "shanghai": 800, "business": 3800, "east": 3800, "north": 400, "hq": 4200,
        })

    def test_calls_visits_and_new_customers(self):
        rep = self.rep_shanghai
        with freeze_time(NOV_10):
            self.env["sales.daily.report"].with_user(rep).create({"line_ids": [
                Command.create({"partner_id": self.customer.id, "channel": "phone", "subject": "Price"}),
                Command.create({"partner_id": self.customer.id, "channel": "wechat", "subject": "Catalogue"}),
                Command.create({"partner_id": self.customer.id, "channel": "visit", "subject": "Factory tour"}),
            ]})
            self.env["sales.daily.report"].with_user(self.rep_north).create({"line_ids": [
                Command.create({"partner_id": self.customer.id, "channel": "visit", "subject": "Site survey"}),
            ]})
        calls = self.tree_targets(metric="call_count", amount=10)
        self.assertEqual(self.actuals(calls), {
            "rep": 2, "shanghai": 2, "business": 2, "east": 2, "north": 0, "hq": 2,
        })
        visits = self.tree_targets(metric="visit_count", amount=10)
        self.assertEqual(self.actuals(visits), {
            "rep": 1, "shanghai": 1, "business": 1, "east": 1, "north": 1, "hq": 2,
        })
        # new customers: companies and people the person created, on the company's day of it
        created = self.env["res.partner"].with_user(rep).create({"name": "T New Co", "is_company": True})
        self.env["res.partner"].with_user(rep).create({"name": "T Buyer", "parent_id": created.id})
        self.env["res.partner"].with_user(rep).create({"name": "T Private Buyer"})
        day = pytz.utc.localize(created.create_date).astimezone(self.company._sales_org_tz()).date()
        first, last = self.company._sales_org_period("month", day)
        month = {"period_type": "month", "date_from": first, "date_to": last}
        new = {
            "rep": self.person_target(rep, self.shanghai, 5, month, metric="new_customer_count"),
            "east": self.unit_target(self.east, 5, month, metric="new_customer_count"),
            "north": self.unit_target(self.north, 5, month, metric="new_customer_count"),
        }
        self.assertEqual(self.actuals(new), {"rep": 2, "east": 2, "north": 0})

    def test_a_person_in_two_units_counts_once(self):
        self.env["ir.config_parameter"].sudo().set_param("sales_team.membership_multi", True)
        self.env["crm.team.member"].create({
            "crm_team_id": self.east_business.id, "user_id": self.rep_north.id, "role_id": self.role_rep.id,
        })
        rep = self.rep_north
        self.order(rep, 1000, self.north)
        self.order(rep, 2000, self.east_business)
        targets = {
            "person": self.person_target(rep, self.north, 6000),
            "north": self.unit_target(self.north), "business": self.unit_target(self.east_business),
            "east": self.unit_target(self.east), "hq": self.unit_target(self.hq),
        }
        self.assertEqual(self.actuals(targets), {
            "person": 3000, "north": 1000, "business": 2000, "east": 2000, "hq": 3000,
        })
        # the same, summed by the analysis
        groups = self.env["sales.target.analysis"]._read_group(
            [("target_id", "in", [t.id for t in targets.values()])], ["target_type"], ["actual:sum"])
        self.assertEqual(dict(groups), {"person": 3000, "unit": 8000})

    def test_a_closed_month_keeps_its_actual(self):
        rep = self.rep_shanghai
        october_order = self.order(rep, 1000, self.shanghai, when=OCT_15)
        self.order(self.clerk_east, 500, self.east_business, when="2026-10-16 04:00:00")
        october, november = self.tree_targets(OCTOBER), self.tree_targets(NOVEMBER)
        kept = {"rep": 1000, "shanghai": 1000, "business": 1500, "east": 1500, "north": 0, "hq": 1500}
        with freeze_time("2026-10-31 15:30:00"):  # 23:30 on the 31st in Shanghai: October is not over
            self.assertFalse(self.Target._cron_close_periods())
        with freeze_time("2026-10-31 16:30:00"):  # 00:30 on 1 November in Shanghai
            closed = self.Target._cron_close_periods()
            self.assertEqual(closed, self.Target.union(*october.values()))
            self.assertFalse(self.Target._cron_close_periods(), "nothing done twice")
        self.assertEqual({key: (t.is_closed, t.closed_actual) for key, t in october.items()},
                         {key: (True, value) for key, value in kept.items()})
        self.assertFalse(any(t.is_closed for t in november.values()))
        # the person moves to North, East Business under North, an October order is cancelled late
        with freeze_time("2026-11-05 04:00:00"):
            self.env["crm.team.member"].search([("user_id", "=", rep.id)]).crm_team_id = self.north
            self.order(rep, 2000, self.north, when="2026-11-05 04:00:00")
            self.east_business.parent_id = self.north
            self.order(self.clerk_east, 700, self.east_business, when="2026-11-06 04:00:00")
            october_order._action_cancel()
        self.assertEqual(self.actuals(october), kept, "the closed month is as it stood")
        rows = self.env["sales.target.analysis"].search([("target_id", "in", [t.id for t in october.values()])])
        self.assertEqual(sorted(rows.mapped("actual")), sorted(kept.values()))
        self.assertEqual(self.actuals(november), {
            "rep": 2000, "shanghai": 0, "business": 700, "east": 0, "north": 2700, "hq": 2700,
        }, "the current month: the figures as booked, rolled up the tree as it is")

    def test_query_counts(self):
        rep = self.rep_shanghai
        self.order(rep, 1000, self.shanghai)
        self.order(rep, 1000, self.shanghai, when=OCT_15)
        south = self.env["crm.team"].create({"name": "T South", "unit_type": "region", "parent_id": self.hq.id})
        self.env["crm.team.member"].create({"crm_team_id": south.id, "user_id": self.new_person().id,
                                            "role_id": self.role_rep.id})
        units = [self.hq, self.east, self.north, self.east_business, self.shanghai, south]
        november = self.Target.union(*(self.unit_target(team) for team in units))
        october = self.Target.union(*(self.unit_target(team, period=OCTOBER) for team in units))
        september = self.Target.union(*(self.unit_target(team, period=SEPTEMBER) for team in units))
        Analysis = self.env["sales.target.analysis"]

        def actual(targets):
            self.env.invalidate_all()
            with self.assertQueryCount(3):
                targets.mapped("actual")

        actual(november[:2])
        actual(november)

        def analysis(targets):
            self.env.invalidate_all()
            with self.assertQueryCount(3):
                Analysis.read_group([("target_id", "in", targets.ids)], ["amount", "actual"], ["team_id"])

        analysis(november[:2])
        analysis(november)

        # two ended targets (September's), then six (October's)
        (october | september[2:]).sudo().write({"is_closed": True})
        with freeze_time("2026-11-02 04:00:00"):
            self.env.invalidate_all()
            with self.assertQueryCount(2):
                self.assertEqual(len(self.Target._cron_close_periods()), 2)
            october.sudo().write({"is_closed": False})
            self.env.invalidate_all()
            with self.assertQueryCount(2):
                self.assertEqual(len(self.Target._cron_close_periods()), 6)
        self.assertEqual(october[0].closed_actual, 1000)

    def new_person(self):
        return self.env["res.users"].with_context(no_reset_password=True).create({
            "name": "T South Rep", "login": "t_south_rep",
            "groups_id": [Command.set(self.env.ref("base.group_user").ids)],
        })
