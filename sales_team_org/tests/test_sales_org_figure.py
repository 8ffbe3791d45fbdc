from datetime import date

import pytz
from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger
from odoo.tools.safe_eval import safe_eval

from .common import SalesOrgCommon

# Shanghai is UTC+8 and the database runs in UTC: 07:00 on Monday 23 November in Shanghai is
# still Sunday in UTC, 23:30 on Monday is 15:30 UTC, 00:30 on Tuesday is Monday 16:30 UTC.
MONDAY = date(2026, 11, 23)
MONDAY_0700 = "2026-11-22 23:00:00"
MONDAY_1200 = "2026-11-23 04:00:00"
MONDAY_1800 = "2026-11-23 10:00:00"
MONDAY_2330 = "2026-11-23 15:30:00"
TUESDAY_0030 = "2026-11-23 16:30:00"
TUESDAY_1800 = "2026-11-24 10:00:00"


@tagged("post_install", "-at_install")
class TestSalesOrgFigure(SalesOrgCommon):
    """The figures source: a known day's figures against hand-computed values, on the
    company's day, attributed with the tree as it was then."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.resource_calendar_id.tz = "Asia/Shanghai"
        cls.Figure = cls.env["sales.org.figure"]
        cls.Report = cls.env["sales.daily.report"]
        # another currency, at 0.125 of the company's on the day: 100 of it is 800 in the company's
        currency = cls.company.currency_id
        cls.foreign = cls.env.ref("base.EUR") if currency != cls.env.ref("base.EUR") else cls.env.ref("base.USD")
        cls.foreign.active = True
        cls.env["res.currency.rate"].create([
            {"currency_id": currency.id, "name": "2026-11-01", "rate": 1.0, "company_id": cls.company.id},
            {"currency_id": cls.foreign.id, "name": "2026-11-01", "rate": 0.125, "company_id": cls.company.id},
        ])
        cls.pricelist_foreign = cls.env["product.pricelist"].create({
            "name": "T Foreign", "currency_id": cls.foreign.id, "company_id": cls.company.id,
        })
        cls.vat = cls.env["account.tax"].create({
            "name": "T VAT 13%", "amount": 13, "amount_type": "percent", "type_tax_use": "sale",
            "company_id": cls.company.id,
        })
        cls.customer_b = cls.env["res.partner"].create({"name": "T Customer B", "is_company": True})
        cls.customer_c = cls.env["res.partner"].create({"name": "T Customer C", "is_company": True})

    def order(self, user, price, pricelist=None, team=None, **vals):
        return self.env["sale.order"].create({
            "partner_id": self.customer.id, "user_id": user.id, "company_id": self.company.id,
            **({"pricelist_id": pricelist.id} if pricelist else {}), **({"team_id": team.id} if team else {}),
            "order_line": [Command.create({
                "product_id": self.product.id, "product_uom_qty": 1, "price_unit": price,
                "tax_id": [Command.set(self.vat.ids)],
            })],
            **vals,
        })

    def confirm_at(self, order, when):
        with freeze_time(when):
            order.action_confirm()

    def day(self, user, day=MONDAY):
        self.env.flush_all()
        return self.Figure._sum([("user_id", "=", user.id), ("date", "=", day)], ["user_id"]).get((user.id,), {})

    def test_a_known_day(self):
        rep = self.rep_shanghai
        # orders: untaxed, in the company currency, on the company's day
        self.confirm_at(self.order(rep, 1000), MONDAY_0700)              # 1,130 with taxes
        self.confirm_at(self.order(rep, 100, self.pricelist_foreign), MONDAY_2330)  # 800 in the company currency
        self.confirm_at(self.order(rep, 5000), TUESDAY_0030)             # Tuesday in Shanghai
        self.confirm_at(self.order(self.clerk_east, 7000), MONDAY_1200)  # someone else's
        # quotations sent: mailed to the customer twice is one, marked as sent another; a comment,
        # a note or a confirmed order's mail under the same context is none
        quotation = self.order(rep, 300).with_user(rep)
        customer = self.customer.ids
        with freeze_time(MONDAY_1200):
            # as Send by Email posts it
            sending = quotation.with_context(mark_so_as_sent=True)
            mailed = dict(message_type="comment", subtype_xmlid="mail.mt_comment", partner_ids=customer)
            sending.message_post(body="Our quotation", **mailed)
            sending.message_post(body="Again", **mailed)
            self.order(rep, 350).with_user(rep).action_quotation_sent()
            self.order(rep, 400).with_user(rep).message_post(body="A question", message_type="comment")
            self.order(rep, 450).with_user(rep).with_context(mark_so_as_sent=True).message_post(
                body="Not sent", message_type="comment", subtype_xmlid="mail.mt_note", partner_ids=customer)
            confirmed = self.order(rep, 500)
            confirmed.action_confirm()
            confirmed.with_user(rep).with_context(mark_so_as_sent=True).message_post(body="Your order", **mailed)
            # a message naming the meeting type is no visit: only a meeting marked done is
            self.customer_b.with_user(rep).message_post(
                body="Visited", mail_activity_type_id=self.env.ref("mail.mail_activity_data_meeting").id)
            # calls and visits: written on the report, and a call done in CRM not written yet
            report = self.Report.with_user(rep).create({"line_ids": [
                Command.create({"partner_id": self.customer.id, "channel": "phone", "subject": "Price"}),
                Command.create({"partner_id": self.customer.id, "channel": "wechat", "subject": "Catalogue"}),
                Command.create({"partner_id": self.customer_b.id, "channel": "visit", "subject": "Factory tour"}),
            ]})
            lead = self.env["crm.lead"].create({"name": "T Lead C", "partner_id": self.customer_c.id,
                                                "user_id": rep.id, "team_id": self.shanghai.id})
            lead.with_user(rep).activity_schedule("mail.mail_activity_data_call", user_id=rep.id)
            lead.activity_ids.with_user(rep).action_feedback(feedback="Wants a visit")
        self.assertEqual(report.date, MONDAY)
        expected = {"call_count": 3, "visit_count": 1, "customer_count": 3, "new_customer_count": 0,
                    "quotation_count": 2, "order_count": 3, "order_amount": 2300.0}
        self.assertEqual(self.day(rep), expected)
        self.assertEqual(self.day(rep, date(2026, 11, 24))["order_amount"], 5000.0)
        self.assertEqual(self.day(self.clerk_east)["order_amount"], 7000.0)
        # the report keeps the same figures; the done call becomes a line, counted once
        with freeze_time(MONDAY_1800):
            report.with_user(rep).action_refresh_figures()
            report.with_user(rep).action_refresh_figures()
        self.assertEqual(len(report.line_ids), 4)
        self.assertEqual({f: report[f] for f in expected}, expected)
        self.assertEqual(self.day(rep), expected)

    def test_new_customers_are_customers_the_person_created(self):
        rep = self.rep_north
        company = self.env["res.partner"].with_user(rep).create({"name": "T New Co", "is_company": True})
        self.env["res.partner"].with_user(rep).create({"name": "T Buyer", "parent_id": company.id})
        self.env["res.partner"].with_user(rep).create({"name": "T Private Buyer"})
        self.env["crm.lead"].with_user(rep).create({"name": "T Lead", "user_id": rep.id})
        # created at the transaction's time, not the test's clock: the company's day of it
        day = pytz.utc.localize(company.create_date).astimezone(self.company._sales_org_tz()).date()
        self.assertEqual(self.day(rep, day)["new_customer_count"], 2)
        self.assertEqual(
            self.Figure.search([("user_id", "=", rep.id), ("kind", "=", "customer")]).team_id, self.north,
            "a customer carries no unit: the person's unit that day")

    def test_a_figure_stays_with_the_unit_it_was_booked_in(self):
        """Moving a rep from North to East Business mid-month leaves North's November order in
        North's summary and adds the next one to East's."""
        rep = self.rep_north
        self.confirm_at(self.order(rep, 3000, team=self.north), "2026-11-10 04:00:00")
        quoted_before = self.order(rep, 1000)  # filed under North when quoted
        with freeze_time("2026-11-20 04:00:00"):
            self.env["crm.team.member"].search([("user_id", "=", rep.id)]).crm_team_id = self.east_business
        self.confirm_at(self.order(rep, 2000), "2026-11-25 04:00:00")
        self.confirm_at(quoted_before, "2026-11-26 04:00:00")
        history = self.env["sales.org.assignment"].search([("user_id", "=", rep.id)], order="date_from")
        self.assertEqual([(a.team_id, a.date_from, a.date_to) for a in history], [
            (self.north, date(2026, 1, 1), date(2026, 11, 19)), (self.east_business, date(2026, 11, 20), False),
        ])
        with freeze_time("2026-11-30 04:00:00"):
            Summary = self.env["sales.monthly.summary"].sudo()
            north, east = Summary.create([
                {"user_id": leader.id, "month": date(2026, 11, 1), "company_id": self.company.id}
                for leader in (self.regional_north, self.regional_east)
            ])
        self.assertEqual((north.order_count, north.order_amount), (2, 4000.0))
        self.assertEqual((east.order_count, east.order_amount), (1, 2000.0))
        # a report without a unit of its own: the unit the person was in that day
        with freeze_time("2026-11-12 04:00:00"):
            report = self.Report.with_user(rep).create({"line_ids": [Command.create({"partner_id": self.customer.id})]})
        report.sudo().team_id = False
        self.assertEqual(self.Figure.search([("user_id", "=", rep.id), ("kind", "=", "line")]).team_id, self.north)

    def test_months_are_the_companys(self):
        rep = self.rep_shanghai
        self.confirm_at(self.order(rep, 1000), "2026-11-30 23:00:00")  # 1 December, 07:00 in Shanghai
        self.confirm_at(self.order(rep, 500), "2026-11-30 15:00:00")   # 30 November, 23:00 in Shanghai
        with freeze_time("2026-12-01 04:00:00"):
            november, december = self.env["sales.monthly.summary"].sudo().create([
                {"user_id": self.manager.id, "month": month, "company_id": self.company.id}
                for month in (date(2026, 11, 1), date(2026, 12, 1))
            ])
        self.assertEqual((november.order_amount, december.order_amount), (500.0, 1000.0))

    def test_the_companys_today(self):
        Status = self.env["sales.daily.report.status"]
        tuesday = date(2026, 11, 24)
        for when, day in ((MONDAY_0700, MONDAY), (MONDAY_2330, MONDAY), (TUESDAY_0030, tuesday)):
            with freeze_time(when):
                self.assertEqual(self.company._sales_org_today(), day)
                self.assertEqual(self.Report.with_user(self.rep_shanghai).new({}).date, day)
                self.assertEqual(self.env["sales.monthly.summary"].with_user(self.manager).new({}).month,
                                 date(2026, 11, 1))
                board = Status.with_user(self.manager).search([("date", "=", day)])
                self.assertIn(self.rep_shanghai, board.user_id, "the company's today, whatever the UTC date")

    def test_board_counts_working_days_since_joining(self):
        calendar = self.company.resource_calendar_id
        self.env["resource.calendar.leaves"].create({
            "name": "T Holiday", "calendar_id": calendar.id, "company_id": self.company.id,
            "date_from": "2026-11-17 16:00:00", "date_to": "2026-11-18 15:59:59",  # Wednesday 18 in Shanghai
        })
        resource = self.env["resource.resource"].create({
            "name": self.rep_shanghai.name, "user_id": self.rep_shanghai.id, "calendar_id": calendar.id,
        })
        self.env["resource.calendar.leaves"].create({
            "name": "T Leave", "resource_id": resource.id, "calendar_id": calendar.id,
            "date_from": "2026-11-18 16:00:00", "date_to": "2026-11-19 15:59:59",  # Thursday 19 in Shanghai
        })
        self.env.flush_all()
        self.env.cr.execute("UPDATE sales_org_assignment SET date_from = '2026-11-16' WHERE user_id = %s",
                            [self.rep_shanghai.id])
        self.env["sales.org.assignment"].invalidate_model()
        with freeze_time("2026-11-24 04:00:00"):
            action = self.env["ir.actions.act_window"]._for_xml_id("sales_team_org.sales_daily_report_status_action")
            domain = [*safe_eval(action["domain"], {"uid": self.manager.id}), ("date", ">=", "2026-11-01")]
            board = self.env["sales.daily.report.status"].with_user(self.manager).search(domain)
            days = sorted(board.filtered(lambda row: row.user_id == self.rep_shanghai).mapped("date"))
            self.assertEqual(days, [date(2026, 11, d) for d in (16, 17, 20, 23, 24)],
                             "since joining on the 16th; not the holiday, the leave or the weekend")
            self.assertNotIn(self.manager, board.user_id, "never the viewer's own row")
            self.assertIn(self.clerk_east, board.user_id)

    def test_an_archived_persons_period_ends(self):
        Assignment = self.env["sales.org.assignment"]
        person = [("user_id", "=", self.clerk_east.id)]
        with freeze_time("2026-11-24 04:00:00"):
            self.clerk_east.active = False  # memberships kept, as an import or a plain write does
            self.assertEqual(Assignment.search(person).mapped("date_to"), [date(2026, 11, 23)],
                             "the history keeps their time in the unit, up to yesterday")
            board = self.env["sales.daily.report.status"].with_user(self.manager).search(
                [("date", "=", "2026-11-24")])
            self.assertNotIn(self.clerk_east, board.user_id, "nobody waits for the report of someone who left")
        with freeze_time("2026-11-30 04:00:00"):
            self.clerk_east.active = True
            self.assertEqual(Assignment.search(person, order="date_from").mapped(lambda a: (a.date_from, a.date_to)),
                             [(date(2026, 1, 1), date(2026, 11, 23)), (date(2026, 11, 30), False)])

    def test_leave_on_tuesday_keeps_mondays_reminder(self):
        calendar = self.company.resource_calendar_id
        resource = self.env["resource.resource"].create({
            "name": self.clerk_east.name, "user_id": self.clerk_east.id, "calendar_id": calendar.id,
        })
        self.env["resource.calendar.leaves"].create({
            "name": "T Leave", "resource_id": resource.id, "calendar_id": calendar.id,
            "date_from": "2026-11-23 16:00:00", "date_to": "2026-11-24 15:59:59",  # Tuesday in Shanghai
        })

        def reminded(day):
            return self.Report.search([("user_id", "=", self.clerk_east.id), ("date", "=", day), ("reminded", "=", True)])

        with freeze_time(MONDAY_1800):
            self.Report._cron_remind_missing_reports()
        self.assertTrue(reminded(MONDAY))
        with freeze_time(TUESDAY_1800):
            self.Report._cron_remind_missing_reports()
        self.assertFalse(reminded(date(2026, 11, 24)))

    def test_a_summary_is_of_a_month(self):
        Summary = self.env["sales.monthly.summary"].sudo()
        values = {"user_id": self.manager.id, "company_id": self.company.id}
        with freeze_time("2026-11-30 04:00:00"):
            with self.assertRaises(ValidationError):
                Summary.create(dict(values, month=date(2026, 11, 15)))
            Summary.create(dict(values, month=date(2026, 11, 1)))
            with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                Summary.create(dict(values, month=date(2026, 11, 1)))
        self.assertEqual(Summary.search_count([("user_id", "=", self.manager.id)]), 1)
