from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from unittest import SkipTest

import pytz
from dateutil.relativedelta import relativedelta
from freezegun import freeze_time
from lxml import etree

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from .common import SalesOrgCommon

TODAY = date(2026, 12, 14)  # a Monday, in Shanghai
SHANGHAI = pytz.timezone("Asia/Shanghai")
BOARD = [("state", "=", "sale"), ("sales_followup_state", "!=", "delivered")]  # the board's action
BOARD_FIELDS = ["name", "partner_id", "user_id", "team_id", "sales_promised_date", "sales_production_state",
                "sales_followup_state", "sales_followup_risk", "sales_last_delay_id", "amount_total"]
APOLOGY = "We apologise for the inconvenience and thank you for your understanding."
APOLOGY_ZH = "给您带来不便,我们深表歉意,感谢您的理解。"


def local(day, hour=12):
    """`day` at `hour` in Shanghai, as the naive UTC datetime Odoo stores."""
    return SHANGHAI.localize(datetime.combine(day, time(hour))).astimezone(pytz.utc).replace(tzinfo=None)


class FollowupCommon(SalesOrgCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.resource_calendar_id.tz = "Asia/Shanghai"
        cls.customer.write({"email": "customer@example.com", "is_company": True})
        cls.Order = cls.env["sale.order"]
        cls.Wizard = cls.env["sales.order.delay.wizard"]
        cls.Delay = cls.env["sales.order.delay"]
        cls.template = cls.env.ref("sales_team_org.mail_template_sale_order_delay")

    @contextmanager
    def today(self, day=TODAY, hour=12):
        with freeze_time(local(day, hour)):
            yield

    def order(self, promised=None, production="to_produce", user=None, lead=0.0, confirm=True, partner=None,
              hour=12):
        """A confirmed order of the rep (by default) promised for the company-local day `promised`."""
        order = self.Order.create({
            "partner_id": (partner or self.customer).id, "user_id": (user or self.rep_shanghai).id,
            "commitment_date": promised and local(promised, hour),
            "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 2,
                                           "customer_lead": lead})],
        })
        if confirm:
            order.action_confirm()
            order.sales_production_state = production
        return order

    @contextmanager
    def refused(self, error, message):
        """Refused with this message, and nothing of the attempt left in the database."""
        with self.assertRaisesRegex(error, message), self.env.cr.savepoint():
            yield

    def translate_template(self):
        """The template's Chinese body (translated as a whole): its apology in Chinese."""
        self.env["res.lang"]._activate_lang("zh_CN")
        body = self.template.with_context(lang="en_US").body_html
        self.assertIn(APOLOGY, body)
        self.template.update_field_translations("body_html", {"zh_CN": body.replace(APOLOGY, APOLOGY_ZH)})

    def declare(self, order, new_date, reason="The motors came a week late.", user=None):
        wizard = self.Wizard.with_user(user or self.rep_shanghai).create(
            {"order_id": order.id, "new_date": new_date, "reason": reason})
        return wizard, wizard.action_declare()


@tagged("post_install", "-at_install")
class TestSalesOrderFollowup(FollowupCommon):

    def test_board_numbers(self):
        with self.today():
            orders = {
                "late": self.order(TODAY - timedelta(days=2)),
                "late_shipped": self.order(TODAY - timedelta(days=1), "shipped"),
                "delivered_past": self.order(TODAY - timedelta(days=5), "delivered"),
                "due_today": self.order(TODAY),  # the day has not passed: at risk, not late
                "at_risk": self.order(TODAY + timedelta(days=3), "in_production"),
                "produced_soon": self.order(TODAY + timedelta(days=1), "produced"),
                "far": self.order(TODAY + timedelta(days=4)),
                "expected": self.order(lead=10),  # promised from the lead time: today + 10 days
                "quotation": self.order(TODAY - timedelta(days=3), confirm=False),
            }
            expected = {"late": "late", "late_shipped": "late", "delivered_past": "on_time", "due_today": "at_risk",
                        "at_risk": "at_risk", "produced_soon": "on_time", "far": "on_time", "expected": "on_time",
                        "quotation": False}
            self.assertEqual(orders["expected"].sales_promised_date.date(), TODAY + timedelta(days=10))
            ours = self.Order.union(*orders.values())
            self.assertEqual({key: order.sales_followup_risk for key, order in orders.items()}, expected)
            for risk in ("late", "at_risk", "on_time"):
                keys = {key for key, value in expected.items() if value == risk}
                found = self.Order.search([("id", "in", ours.ids), ("sales_followup_risk", "=", risk)])
                self.assertEqual(found, self.Order.union(*(orders[key] for key in keys)), risk)
                others = self.Order.search([("id", "in", ours.ids), ("sales_followup_risk", "!=", risk)])
                self.assertEqual(others, ours - found, f"not {risk}")
            # no risk: not a confirmed order
            for domain, keys in (
                ([("sales_followup_risk", "=", False)], {"quotation"}),
                ([("sales_followup_risk", "!=", False)], set(orders) - {"quotation"}),
                ([("sales_followup_risk", "in", [False, "late"])], {"quotation", "late", "late_shipped"}),
                ([("sales_followup_risk", "not in", [False, "on_time"])], {"late", "late_shipped", "due_today",
                                                                            "at_risk"}),
                ([("sales_followup_state", "=", False)], set()),  # always a state
                ([("sales_followup_state", "!=", False)], set(orders)),
            ):
                found = self.Order.search([("id", "in", ours.ids), *domain])
                self.assertEqual(found, self.Order.union(*(orders[key] for key in keys)), domain)
            # the board: confirmed and not delivered, the late ones first
            board = self.Order.search([*BOARD, ("id", "in", ours.ids)], order="sales_promised_date, id")
            self.assertEqual(board.mapped(lambda order: next(k for k, o in orders.items() if o == order)), [
                "late", "late_shipped", "due_today", "produced_soon", "at_risk", "far", "expected"])
            # the window is a setting
            self.env["ir.config_parameter"].set_param("sales_team_org.followup_risk_days", "5")
            self.env.invalidate_all()
            self.assertEqual(orders["far"].sales_followup_risk, "at_risk")
            self.assertIn(orders["far"], self.Order.search([("sales_followup_risk", "in", ["at_risk"])]))
        # two days later, the order due today is late
        with self.today(TODAY + timedelta(days=2)):
            self.env.invalidate_all()
            self.assertEqual(orders["due_today"].sales_followup_risk, "late")
            self.assertIn(orders["due_today"], self.Order.search([("sales_followup_risk", "=", "late")]))

    def test_followup_state_is_the_production_state_without_deliveries(self):
        with self.today():
            order = self.order(TODAY + timedelta(days=5))
            for state in ("in_production", "produced", "shipped", "delivered"):
                order.with_user(self.rep_shanghai).sales_production_state = state
                self.assertEqual(order.sales_followup_state, state)
                self.assertEqual(self.Order.search([("id", "=", order.id), ("sales_followup_state", "=", state)]),
                                 order)
            self.assertFalse(self.Order.search([*BOARD, ("id", "=", order.id)]), "delivered: off the board")

    def test_production_state_is_followed_on_confirmed_orders_by_their_people(self):
        with self.today():
            order = self.order(TODAY + timedelta(days=5))
            quotation = self.order(TODAY + timedelta(days=5), confirm=False)
            # the salesperson and the leaders above the unit
            for person, state in ((self.rep_shanghai, "in_production"), (self.manager, "produced"),
                                  (self.regional_east, "shipped"), (self.director, "in_production")):
                order.with_user(person).sales_production_state = state
                self.assertEqual(order.sales_production_state, state)
            # not a quotation, not another unit's people, not a clerk who does not follow the order
            with self.refused(UserError, "not a confirmed order"):
                quotation.with_user(self.rep_shanghai).sales_production_state = "produced"
            for person in (self.rep_north, self.regional_north, self.clerk_east):
                with self.refused(AccessError, ""):
                    order.with_user(person).sales_production_state = "produced"
            self.assertEqual(order.sales_production_state, "in_production")
            # a new order starts to produce
            with self.refused(UserError, "still to produce"):
                self.Order.with_user(self.rep_shanghai).create(
                    {"partner_id": self.customer.id, "sales_production_state": "shipped"})
            # the promised date is the server's
            with self.refused(AccessError, "Promised Date"):
                order.with_user(self.rep_shanghai).sales_promised_date = local(TODAY)

    def test_declare_a_delay_in_the_customers_language(self):
        self.translate_template()
        self.customer.lang = "zh_CN"
        with self.today():
            order = self.order(TODAY + timedelta(days=2), "in_production")
            old = order.sales_promised_date
            wizard_form = Form(self.Wizard.with_user(self.rep_shanghai).with_context(default_order_id=order.id))
            wizard_form.new_date = TODAY + timedelta(days=9)
            wizard_form.reason = "The motors came a week late."
            self.assertIn(APOLOGY_ZH, wizard_form.message, "written from the template in the customer's language")
            self.assertNotIn(APOLOGY, wizard_form.message)
            self.assertIn("2026年12月23日", wizard_form.message, "the date as the customer writes it")
            wizard_form.message = wizard_form.message.replace(APOLOGY_ZH, f"{APOLOGY_ZH} 周五可提前发货。")
            wizard = wizard_form.save()
            wizard.action_declare()
        # the new date, at the hour it was promised
        self.assertEqual(order.commitment_date, local(TODAY + timedelta(days=9)))
        self.assertRecordValues(order.sales_delay_ids, [{
            "order_id": order.id, "partner_id": self.customer.id, "team_id": order.team_id.id,
            "company_id": order.company_id.id, "user_id": self.rep_shanghai.id, "old_date": old,
            "new_date": local(TODAY + timedelta(days=9)), "reason": "The motors came a week late.",
        }])
        delay = order.sales_delay_ids
        self.assertIn("周五可提前发货", delay.message, "the message as edited and sent")
        self.assertEqual(order.sales_delay_count, 1)
        self.assertEqual(order.sales_last_delay_id, delay)
        # told to the customer by e-mail, from the order's chatter
        message = order.message_ids.filtered(lambda message: self.customer in message.partner_ids)
        self.assertEqual(len(message), 1)
        self.assertEqual(message.subtype_id, self.env.ref("mail.mt_comment"))
        self.assertEqual(message.message_type, "comment")
        self.assertEqual(message.author_id, self.rep_shanghai.partner_id)
        self.assertIn(APOLOGY_ZH, message.body)
        self.assertIn("周五可提前发货", message.body)
        # the unit's leader (the shanghai group has none: the business unit's manager) is flagged
        activity = order.activity_ids.filtered(lambda activity: activity.user_id == self.manager)
        self.assertEqual(len(activity), 1)
        self.assertIn("Delivery delayed", activity.summary)
        self.assertIn("The motors came a week late.", activity.note)

    def test_message_in_english_for_an_english_customer(self):
        self.translate_template()
        self.customer.lang = "en_US"
        with self.today():
            order = self.order(TODAY + timedelta(days=2))
            wizard = self.Wizard.with_user(self.rep_shanghai).create(
                {"order_id": order.id, "new_date": TODAY + timedelta(days=9), "reason": "Motors"})
            self.assertIn(APOLOGY, wizard.message)
            self.assertIn(order.name, wizard.message)

    def test_a_new_date_not_to_come_is_refused_and_nothing_written(self):
        with self.today():
            order = self.order(TODAY + timedelta(days=2))
            promised = order.commitment_date
            messages = len(order.message_ids)
            for day in (TODAY - timedelta(days=3), TODAY):
                with self.refused(ValidationError, "after today"):
                    self.declare(order, day)
            with self.refused(ValidationError, "moves it later"):
                self.declare(order, TODAY + timedelta(days=1))
            wizard = self.Wizard.with_user(self.rep_shanghai).create(
                {"order_id": order.id, "new_date": TODAY + timedelta(days=5), "reason": "Motors",
                 "message": "<p><br></p>"})
            wizard.message = "<p><br></p>"
            with self.refused(ValidationError, "Write the message"):
                wizard.action_declare()
            quotation = self.order(TODAY + timedelta(days=2), confirm=False)
            with self.refused(UserError, "not a confirmed order"):
                self.declare(quotation, TODAY + timedelta(days=5))
        self.env.invalidate_all()
        self.assertEqual(order.commitment_date, promised)
        self.assertFalse(order.sales_delay_ids)
        self.assertEqual(len(order.message_ids), messages)
        self.assertFalse(order.activity_ids)

    def test_who_declares_and_reads_delays(self):
        outsider_company = self.env["res.company"].create({"name": "T Other Company"})
        outsider = new_test_user(self.env, login="t_fu_outsider", groups="sales_team.group_sale_salesman_all_leads",
                                 company_id=outsider_company.id, company_ids=[Command.set(outsider_company.ids)])
        self.east.user_id = self.regional_east
        with self.today():
            order = self.order(TODAY + timedelta(days=2))
            for person in (self.rep_north, self.regional_north, self.clerk_east, outsider):
                with self.refused(AccessError, ""):
                    self.declare(order, TODAY + timedelta(days=5), user=person)
                with self.refused(AccessError, ""):
                    order.with_user(person).action_open_delay_wizard()
            self.declare(order, TODAY + timedelta(days=5), user=self.manager)
            self.declare(order, TODAY + timedelta(days=8), user=self.rep_shanghai)
        delays = order.sales_delay_ids
        self.assertEqual(len(delays), 2)
        self.assertEqual(delays[0].new_date, local(TODAY + timedelta(days=8)), "the last first")
        self.assertEqual(len(order.activity_ids.filtered(lambda activity: activity.user_id == self.manager)), 1,
                         "the leader is flagged of the rep's delay, not of their own")
        self.assertEqual(len(order.activity_ids.filtered(lambda activity: activity.user_id == self.regional_east)), 1,
                         "the leader's own delay: the next leader above is flagged")
        # read by the order's people, never written nor deleted, not created by hand
        for person in (self.rep_shanghai, self.manager, self.regional_east, self.director):
            self.assertEqual(self.Delay.with_user(person).search([("order_id", "=", order.id)]), delays)
            with self.refused(AccessError, ""):
                delays[0].with_user(person).reason = "Rewritten"
            with self.refused(AccessError, ""):
                delays[0].with_user(person).unlink()
            with self.refused(AccessError, ""):
                self.Delay.with_user(person).create({
                    "order_id": order.id, "company_id": order.company_id.id, "user_id": person.id,
                    "new_date": local(TODAY), "reason": "By hand"})
        for person in (self.rep_north, self.regional_north, self.clerk_east, outsider):
            self.assertFalse(self.Delay.with_user(person).search([("order_id", "=", order.id)]))
        # a wizard stays on the order it was opened from
        wizard = self.Wizard.with_user(self.rep_shanghai).create(
            {"order_id": order.id, "new_date": TODAY + timedelta(days=20), "reason": "Motors"})
        with self.refused(UserError, "opened from"):
            wizard.order_id = self.orders[self.rep_shanghai]

    def test_the_wizard_shows_nothing_of_an_order_not_followed(self):
        with self.today():
            order = self.order(TODAY + timedelta(days=2))
            spec = {"order_id": {"fields": {"display_name": {}}}, "partner_id": {"fields": {"display_name": {}}},
                    "old_date": {}, "new_date": {}, "message": {}}
            for person in (self.rep_north, self.regional_north, self.clerk_east):
                Wizard = self.Wizard.with_user(person)
                with self.subTest(person=person.name), self.refused(AccessError, ""):
                    Form(Wizard.with_context(default_order_id=order.id))
                for values, names in (({}, []), ({"order_id": order.id, "new_date": TODAY + timedelta(days=9)},
                                                 ["new_date"])):
                    with self.subTest(person=person.name, values=values), self.refused(AccessError, ""):
                        Wizard.with_context(default_order_id=order.id).onchange(values, names, spec)
            self.assertFalse(self.Wizard.search([("order_id", "=", order.id)]))
            # the salesperson's own form: the message from the template, rendered as them
            wizard_form = Form(self.Wizard.with_user(self.rep_shanghai).with_context(default_order_id=order.id))
            self.assertEqual(wizard_form.partner_id, self.customer)
            wizard_form.new_date = TODAY + timedelta(days=9)
            self.assertIn(order.name, wizard_form.message)

    def test_a_confirmed_orders_promise_moves_only_by_a_delay(self):
        with self.today():
            late = self.order(TODAY - timedelta(days=2))
            expected = self.order(lead=1)
            quotation = self.order(TODAY + timedelta(days=2), confirm=False)
            promised = late.commitment_date
            for person in (self.rep_shanghai, self.manager):
                for order, value in ((late, local(TODAY + timedelta(days=5))), (late, False),
                                     (expected, local(TODAY + timedelta(days=5)))):
                    with self.subTest(person=person.name, order=order.name, value=value), \
                            self.refused(UserError, "moves only by declaring a delay"):
                        order.with_user(person).commitment_date = value
            # unchanged: nothing to refuse
            late.with_user(self.rep_shanghai).commitment_date = promised
            expected.with_user(self.rep_shanghai).commitment_date = False
            # the sales administrator corrects it (as Odoo's own tests do)
            admin = new_test_user(self.env, login="t_fu_sales_admin", groups="sales_team.group_sale_manager")
            expected.with_user(admin).commitment_date = local(TODAY + timedelta(days=1))
            quotation.with_user(self.rep_shanghai).commitment_date = local(TODAY + timedelta(days=4))
            self.assertEqual(quotation.commitment_date, local(TODAY + timedelta(days=4)), "a quotation's is free")
            self.assertEqual(late.sales_followup_risk, "late")
            # the lead times of a confirmed order's lines no longer move its promise
            promise = expected.sales_promised_date
            self.assertEqual(promise.date(), TODAY + timedelta(days=1))
            expected.order_line.customer_lead = 10
            self.assertNotEqual(expected.expected_date, promise)
            self.assertEqual(expected.sales_promised_date, promise)
            # the delay assistant moves it
            self.declare(late, TODAY + timedelta(days=5))
            self.assertEqual(late.commitment_date, local(TODAY + timedelta(days=5)))
            self.assertEqual(late.sales_followup_risk, "on_time")
        with self.today(TODAY + timedelta(days=3)):
            self.env.invalidate_all()
            self.assertEqual(expected.sales_promised_date, promise)
            self.assertEqual(expected.sales_followup_risk, "late", "late from the day promised at confirmation")

    def test_promised_this_week_in_the_companys_days(self):
        arch = etree.fromstring(self.env.ref("sales_team_org.sale_order_view_search_followup").arch)
        domain = arch.xpath("//filter[@name='this_week']")[0].get("domain")
        with self.today():  # Monday 14 December in Shanghai
            orders = {
                "monday_midnight": self.order(TODAY, hour=0),  # Sunday 16:00 UTC
                "sunday_night": self.order(TODAY + timedelta(days=6), hour=23),
                "last_sunday_night": self.order(TODAY - timedelta(days=1), hour=23),
                "next_monday_midnight": self.order(TODAY + timedelta(days=7), hour=0),
            }
            self.assertEqual(orders["monday_midnight"].sales_promised_day, TODAY)
            ours = self.Order.union(*orders.values())
            found = self.Order.search([("id", "in", ours.ids), *safe_eval(domain, {
                "context_today": lambda: TODAY, "relativedelta": relativedelta})])
            self.assertEqual(found, orders["monday_midnight"] | orders["sunday_night"])

    def test_a_delayed_order_keeps_its_delays(self):
        with self.today():
            delayed = self.order(TODAY + timedelta(days=2))
            self.declare(delayed, TODAY + timedelta(days=5))
            other = self.order(TODAY + timedelta(days=2))
            (delayed | other)._action_cancel()
            with self.refused(UserError, "kept with the history of its delays"):
                delayed.unlink()
            self.assertTrue(delayed.exists() and delayed.sales_delay_ids)
            other.unlink()
            self.assertFalse(other.exists())

    def test_board_query_count_does_not_grow_with_the_orders(self):
        with self.today():
            for count in (1, 2, 6):  # the first round fills the caches of a first read
                partner = self.env["res.partner"].create({"name": f"T Board {count}"})
                orders = self.Order.union(*(self.order(TODAY + timedelta(days=index - 2), partner=partner)
                                            for index in range(count)))
                for order in orders[::2]:
                    self.declare(order, TODAY + timedelta(days=10))
                board = self.Order.with_user(self.manager)
                domain = [*BOARD, ("partner_id", "=", partner.id)]
                self.env.flush_all()
                self.env.invalidate_all()
                rows = board.search_read(domain, BOARD_FIELDS, order="sales_promised_date, id")
                self.assertEqual(len(rows), count)
                if count > 1:  # the same number of queries for 2 and 6 orders
                    self.env.invalidate_all()
                    with self.assertQueryCount(13):
                        board.search_read(domain, BOARD_FIELDS, order="sales_promised_date, id")


@tagged("post_install", "-at_install")
class TestSalesOrderFollowupInventory(FollowupCommon):
    """With Inventory, the deliveries say where an order stands once they have started."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if "delivery_status" not in cls.env["sale.order"]._fields:
            raise SkipTest("Inventory (sale_stock) is not installed")
        cls.product.is_storable = True

    def validate(self, picking, quantity):
        picking.move_ids.quantity = quantity
        picking.move_ids.picked = True
        result = picking.button_validate()
        if isinstance(result, dict):  # a backorder for the rest
            self.env[result["res_model"]].with_context(**result["context"]).create({}).process()

    def test_followup_state_from_the_deliveries(self):
        with self.today():
            order = self.order(TODAY + timedelta(days=1), "produced")
            self.assertEqual(order.delivery_status, "pending")
            self.assertEqual(order.sales_followup_state, "produced", "nothing shipped yet: the state entered")
            self.assertEqual(order.sales_followup_risk, "on_time")
            self.validate(order.picking_ids, 1)
            self.assertEqual(order.delivery_status, "partial")
            self.assertEqual(order.sales_followup_state, "partly_shipped")
            self.assertEqual(self.Order.search([("id", "=", order.id), ("sales_followup_state", "=", "partly_shipped")]),
                             order)
            self.assertIn(order, self.Order.search(BOARD))
            self.validate(order.picking_ids.filtered(lambda picking: picking.state != "done"), 1)
            self.assertEqual(order.delivery_status, "full")
            self.assertEqual(order.sales_followup_state, "delivered", "whatever was entered")
            self.assertEqual(order.sales_production_state, "produced")
            self.assertNotIn(order, self.Order.search(BOARD))
        with self.today(TODAY + timedelta(days=5)):
            self.env.invalidate_all()
            self.assertEqual(order.sales_followup_risk, "on_time", "delivered: never late")
            self.assertFalse(self.Order.search([("id", "=", order.id), ("sales_followup_risk", "=", "late")]))
