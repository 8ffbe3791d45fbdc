from datetime import datetime, time

import pytz
from dateutil.relativedelta import relativedelta

from odoo import Command
from odoo.tests import new_test_user

from .common import SalesOrgCommon


class SalesCommissionCommon(SalesOrgCommon):
    """The small tree of SalesOrgCommon selling in a closed month, two months before the
    company's today (in Shanghai time), with its own product, customers, a key account, a
    second currency and a sales administrator. Every rule already in the database is archived
    so that only the test's rules credit anybody."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.resource_calendar_id.tz = "Asia/Shanghai"
        cls.tz = pytz.timezone("Asia/Shanghai")
        cls.today = cls.company._sales_org_today()
        cls.month = cls.today.replace(day=1) - relativedelta(months=2)
        cls.next_month = cls.month + relativedelta(months=1)
        cls.this_month = cls.today.replace(day=1)
        cls.Rule = cls.env["sales.commission.rule"]
        cls.Settlement = cls.env["sales.commission.settlement"]
        cls.Line = cls.env["sales.commission.settlement.line"]
        cls.Rule.search([]).action_archive()

        cls.admin = new_test_user(cls.env, login="t_commission_admin", name="T Commission Admin",
                                  email="t_commission_admin@example.com",
                                  groups="base.group_user,sales_team.group_sale_manager")
        cls.categ = cls.env["product.category"].create({"name": "T Gates"})
        cls.gate = cls.env["product.product"].create({
            "name": "T Commission Gate", "list_price": 1.0, "categ_id": cls.categ.id, "taxes_id": [Command.clear()],
            "invoice_policy": "order",
        })
        Partner = cls.env["res.partner"]
        cls.key_account = Partner.create({"name": "T Key Account", "is_company": True})
        cls.key_account.sudo().sales_key_account = True

        # a second currency, 1 CNY = 0.125 of it (100 of it = 800) until the 16th of the month,
        # then 0.2 (100 of it = 500), and 0.5 from today (never used)
        currency = cls.company.currency_id
        cls.foreign = cls.env.ref("base.USD") if currency != cls.env.ref("base.USD") else cls.env.ref("base.EUR")
        cls.foreign.sudo().active = True
        cls.env["res.currency.rate"].search([("currency_id", "in", (currency | cls.foreign).ids)]).unlink()
        cls.env["res.currency.rate"].create([
            {"currency_id": currency.id, "name": "2020-01-01", "rate": 1.0, "company_id": cls.company.id},
            {"currency_id": cls.foreign.id, "name": "2020-01-01", "rate": 0.125, "company_id": cls.company.id},
            {"currency_id": cls.foreign.id, "name": cls.day(16), "rate": 0.2, "company_id": cls.company.id},
            {"currency_id": cls.foreign.id, "name": cls.today, "rate": 0.5, "company_id": cls.company.id},
        ])
        cls.pricelist_foreign = cls.env["product.pricelist"].create({
            "name": "T Foreign", "currency_id": cls.foreign.id, "company_id": cls.company.id,
        })

    # ------------------------------------------------------------------
    # Days and documents
    # ------------------------------------------------------------------

    @classmethod
    def day(cls, number, month=None):
        return (month or cls.month).replace(day=number)

    @classmethod
    def at(cls, day, hour=12, minute=0):
        """The company-local `day` at `hour`, as Odoo stores it (naive UTC)."""
        return cls.tz.localize(datetime.combine(day, time(hour, minute))).astimezone(pytz.utc).replace(tzinfo=None)

    def order(self, user, amounts, team, day, partner=None, pricelist=None, hour=12, minute=0, confirm=True):
        """An order of `user` in `team` with a line per amount (a number, or (quantity, price[, product])),
        confirmed and dated at `day` (company-local)."""
        when = self.at(day, hour, minute)
        lines = [(amount + (self.gate,))[:3] if isinstance(amount, tuple) else (1, amount, self.gate)
                 for amount in (amounts if isinstance(amounts, list) else [amounts])]
        order = self.env["sale.order"].create({
            "partner_id": (partner or self.customer).id, "user_id": user.id, "team_id": team.id,
            "company_id": self.company.id, "date_order": when,
            **({"pricelist_id": pricelist.id} if pricelist else {}),
            "order_line": [Command.create({
                "product_id": product.id, "product_uom_qty": qty, "price_unit": price, "tax_id": [Command.clear()],
            }) for qty, price, product in lines],
        })
        if confirm:
            order.action_confirm()
            order.date_order = when  # the confirmation dates it now
        return order

    def invoice(self, user, team, amounts, day, move_type="out_invoice", partner=None, post=True):
        move = self.env["account.move"].create({
            "move_type": move_type, "partner_id": (partner or self.customer).id, "invoice_user_id": user.id,
            "team_id": team.id, "invoice_date": day, "date": day, "company_id": self.company.id,
            "invoice_line_ids": [Command.create({
                "product_id": self.gate.id, "name": "T Gate", "quantity": 1, "price_unit": amount,
                "tax_ids": [Command.clear()],
            }) for amount in (amounts if isinstance(amounts, list) else [amounts])],
        })
        if post:
            move.action_post()
        return move

    def pay(self, invoice, amount, day):
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids,
        ).create({"amount": amount, "payment_date": day}).action_create_payments()
        return invoice.line_ids.filtered(lambda line: line.account_type == "asset_receivable").matched_credit_ids

    def rule(self, name, **values):
        return self.Rule.create({
            "name": name, "company_id": self.company.id, "date_from": self.month.replace(month=1, day=1),
            "team_ids": [Command.set(self.hq.ids)], **values,
        })

    def person_target(self, person, team, amount, metric="order_amount"):
        return self.env["sales.target"].sudo().create({
            "target_type": "person", "team_id": team.id, "user_id": person.id, "amount": amount, "metric": metric,
            "period_type": "month", "date_from": self.month,
            "date_to": self.company._sales_org_period("month", self.month)[1],
        })

    def approved_slip(self, person, kind, amount, day, author=None):
        slip = self.env["sales.slip"].with_user(author or self.manager).create({
            "person_id": person.id, "kind": kind, "amount": amount, "date": day,
            "points": 1 if kind == "reward" else -1, "description": "<p>T</p>",
        })
        slip.with_user(slip.user_id).action_submit()
        while slip.state == "submitted":
            slip.with_user(slip.approver_id or self.admin).action_approve()
        return slip

    # ------------------------------------------------------------------
    # The engine and its lines
    # ------------------------------------------------------------------

    def assertLines(self, lines, expected):
        self.assertEqual(len(lines), len(expected), lines.mapped(lambda line: (
            line.user_id.login, line.kind, line.source_ref, line.level, line.base_amount, line.amount)))
        self.assertRecordValues(lines, expected)

    def compute(self, month=None):
        settlements = self.Settlement.sudo()._compute_period(self.company, month or self.month)
        self.env.invalidate_all()
        return settlements

    def lines(self, user=None, rule=None, kind=None, month=None, period_date=None):
        domain = [("settlement_id.date_from", "=", month or self.month),
                  ("user_id", "in", (user or self.people).ids)]
        if rule is not None:
            domain.append(("rule_id", "in", rule.ids))
        if kind:
            domain.append(("kind", "in", kind if isinstance(kind, list) else [kind]))
        if period_date:
            domain.append(("period_date", "=", period_date))
        return self.Line.sudo().search(domain).sorted(
            lambda line: (line.user_id.id, line.kind, line.level, line.date or line.period_date, line.source_ref))

    def settlement(self, user, month=None):
        return self.Settlement.sudo().search([
            ("user_id", "=", user.id), ("date_from", "=", month or self.month), ("company_id", "=", self.company.id)])

    @staticmethod
    def line_tuples(lines):
        return sorted(
            (line.settlement_id.id, line.user_id.id, line.kind, line.source_ref, line.rule_id.id, line.level,
             line.period_date, line.date, line.base_amount, line.rate, line.amount, line.order_line_id.id,
             line.move_line_id.id, line.payment_ref.id, line.slip_id.id, line.origin_line_id.id, line.seller_id.id,
             line.team_id.id, line.partner_id.id)
            for line in lines
        )
