import xmlrpc.client

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import SalesOrgCommon


@tagged("post_install", "-at_install")
class TestSalesPriceReduction(SalesOrgCommon):
    """降价申请: a salesperson sells at most their role's discount below the list price; below it,
    the quotation waits for a price reduction approved by someone whose limit covers it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["sales.org.role.limit"].create([
            {"role_id": role.id, "kind": "discount", "limit": limit}
            for role, limit in [(cls.role_clerk, 0), (cls.role_rep, 3), (cls.role_supervisor, 5),
                                (cls.role_manager, 10), (cls.role_regional, 20), (cls.role_director, 30)]
        ])
        cls.product.standard_price = 60.0
        cls.list_product = cls.env["product.product"].create({"name": "T Rolling Door", "list_price": 200.0})

    def quotation(self, person, price=90.0, quantity=2, product=None, team=None, **line):
        return self.env["sale.order"].create({
            "partner_id": self.customer.id, "user_id": person.id,
            "team_id": (team or person.sale_team_id).id,
            "order_line": [Command.create(dict(
                {"product_id": (product or self.product).id, "product_uom_qty": quantity, "price_unit": price},
                **line))],
        })

    def ask(self, order, person, reason="A competitor offers 88."):
        action = order.with_user(person).action_request_price_reduction()
        request = self.env["sales.price.reduction"].browse(action["res_id"])
        if reason:
            request.with_user(person).reason = reason
        return request

    # ------------------------------------------------------------
    # The floor
    # ------------------------------------------------------------

    def test_floor_follows_the_role(self):
        within = self.quotation(self.rep_shanghai, price=97.0)  # 3 %: the rep's limit
        below = self.quotation(self.rep_shanghai, price=96.0)
        clerk = self.quotation(self.clerk_east, price=99.99)  # a 业务跟单 gives nothing
        discounted = self.quotation(self.rep_shanghai, price=100.0, discount=5)  # the line's discount counts
        self.assertEqual(within.order_line.price_floor_status, "ok")
        self.assertFalse(within.price_approval_needed)
        for order in below | clerk | discounted:
            self.assertEqual(order.order_line.price_floor_status, "below")
            self.assertTrue(order.price_approval_needed)
        within.with_user(self.rep_shanghai).action_confirm()
        self.assertEqual(within.state, "sale")

    def test_no_role_no_floor(self):
        """A salesperson without a role (stock Odoo users) is not held: the add-on does not interfere."""
        plain = new_test_user(self.env, login="t_plain_seller", groups="sales_team.group_sale_salesman")
        order = self.quotation(plain, price=10.0, team=self.env["crm.team"])
        self.assertFalse(order.order_line.price_floor_status)
        order.with_user(plain).action_confirm()
        self.assertEqual(order.state, "sale")

    def test_list_price_is_the_pricelists(self):
        """The pricelist's own rules are the company's policy: a 10 % pricelist is the list price."""
        pricelist = self.env["product.pricelist"].create({
            "name": "T Dealers", "item_ids": [Command.create({
                "applied_on": "1_product", "product_tmpl_id": self.product.product_tmpl_id.id,
                "compute_price": "percentage", "percent_price": 10})],
        })
        order = self.quotation(self.rep_shanghai, price=88.0)
        order.pricelist_id = pricelist
        floor = order.order_line._sales_org_price_floor()[order.order_line]
        self.assertAlmostEqual(floor.list_price, 90.0)
        self.assertAlmostEqual(floor.discount, 100 * 2 / 90, places=4)
        self.assertFalse(floor.below)  # 2.2 % under 90, within the rep's 3 %
        order.order_line.price_unit = 87.0
        self.assertTrue(order.price_approval_needed)

    # ------------------------------------------------------------
    # Every confirmation path is blocked until approved
    # ------------------------------------------------------------

    def test_no_way_around_the_floor(self):
        """Writing the state, emptying the salesperson, calling a line a down payment, or repricing
        a confirmed order: the floor holds."""
        order = self.quotation(self.rep_shanghai, price=80.0)
        with self.assertRaises(UserError):
            order.with_user(self.rep_shanghai).write({"state": "sale"})
        with self.assertRaises(UserError):
            order.with_user(self.rep_shanghai).write({"user_id": False})
            order.with_user(self.rep_shanghai).action_confirm()
        down_payment = self.quotation(self.rep_shanghai, price=80.0, is_downpayment=True)
        self.assertEqual(down_payment.order_line.price_floor_status, "below")
        within = self.quotation(self.rep_shanghai, price=100.0)
        within.with_user(self.rep_shanghai).action_confirm()
        with self.assertRaises(UserError):
            within.order_line.with_user(self.rep_shanghai).price_unit = 50.0
        with self.assertRaises(UserError):
            within.with_user(self.rep_shanghai).order_line = [Command.create(
                {"product_id": self.product.id, "product_uom_qty": 1, "price_unit": 1.0})]
        self.assertEqual(within.order_line.price_unit, 100.0)

    def test_combo_items_keep_to_the_floor(self):
        items = self.env["product.product"].create([{"name": "T Motor"}, {"name": "T Remote"}])
        combos = self.env["product.combo"].create([
            {"name": f"T Part {item.name}", "combo_item_ids": [Command.create({"product_id": item.id})]}
            for item in items])
        kit = self.env["product.product"].create({
            "name": "T Gate Kit", "type": "combo", "list_price": 200.0, "combo_ids": [Command.set(combos.ids)]})
        order = self.quotation(self.rep_shanghai, price=200.0, product=kit, quantity=1)
        combo_line = order.order_line
        item_lines = self.env["sale.order.line"].create([{
            "order_id": order.id, "product_id": item.id, "combo_item_id": combo.combo_item_ids.id,
            "linked_line_id": combo_line.id} for item, combo in zip(items, combos)])
        self.assertEqual(set(item_lines.mapped("price_floor_status")), {"ok"})
        item_lines[0].price_unit = item_lines[0].price_unit / 2
        self.assertEqual(item_lines[0].price_floor_status, "below")
        with self.assertRaises(UserError):
            order.with_user(self.rep_shanghai).action_confirm()

    def test_confirmation_blocked_on_every_path(self):
        order = self.quotation(self.rep_shanghai)
        fine = self.quotation(self.rep_shanghai, price=100.0)
        # the button and XML-RPC call the same public method
        with self.assertRaisesRegex(UserError, "Ask for a Lower Price") as caught:
            order.with_user(self.rep_shanghai).action_confirm()
        self.assertIn("T Gate", str(caught.exception))
        self.assertIn("10.00%", str(caught.exception))
        # a mass action on several quotations: none is confirmed
        with self.assertRaises(UserError):
            (fine | order).with_user(self.manager).action_confirm()
        self.assertEqual((fine | order).mapped("state"), ["draft", "draft"])
        # the customer's online signature (the portal controller calls _validate_order as sudo)
        public = self.env.ref("base.public_user")
        with self.assertRaisesRegex(UserError, "awaiting approval"):
            order.with_user(public).sudo()._validate_order()
        # even as superuser (a server action, a scheduled job)
        with self.assertRaises(UserError):
            order.sudo().action_confirm()
        self.assertEqual(order.state, "draft")
        # an online payment keeps the money and leaves the quotation a quotation
        transaction = self.pay_online(order)
        self.assertFalse(transaction._check_amount_and_confirm_order())
        self.assertEqual(order.state, "draft")
        self.assertIn("Paid online, not confirmed", order.message_ids[0].body)

        request = self.ask(order, self.rep_shanghai)
        request.with_user(self.rep_shanghai).action_submit()
        request.with_user(self.supervisor).action_approve()  # 10 % is beyond a supervisor's 5 %
        self.assertEqual(request.state, "submitted")
        with self.assertRaisesRegex(UserError, "is Submitted"):
            order.with_user(self.rep_shanghai).action_confirm()
        request.with_user(self.manager).action_approve()
        self.assertEqual(request.state, "approved")
        self.assertEqual(order.order_line.price_floor_status, "covered")
        # the payment confirms it now
        self.assertEqual(transaction._check_amount_and_confirm_order(), order)
        self.assertEqual(order.state, "sale")

    def test_portal_signature_and_button_after_approval(self):
        signed = self.quotation(self.rep_shanghai)
        clicked = self.quotation(self.rep_shanghai, price=95.0)
        requests = self.ask(signed, self.rep_shanghai) | self.ask(clicked, self.rep_shanghai)
        requests.with_user(self.rep_shanghai).action_submit()
        requests.with_user(self.manager).action_approve()  # a leader above the step's supervisor decides
        self.assertEqual(requests.mapped("state"), ["approved", "approved"])
        signed.with_user(self.env.ref("base.public_user")).sudo()._validate_order()
        clicked.with_user(self.rep_shanghai).action_confirm()
        self.assertEqual((signed | clicked).mapped("state"), ["sale", "sale"])

    def pay_online(self, order):
        method = self.env.ref("payment.payment_method_unknown")
        provider = self.env["payment.provider"].create({
            "name": "T Provider", "code": "none", "state": "test",
            "payment_method_ids": [Command.set(method.ids)],
        })
        method.active = True
        transaction = self.env["payment.transaction"].sudo().create({
            "provider_id": provider.id, "payment_method_id": method.id, "amount": order.amount_total,
            "currency_id": order.currency_id.id, "partner_id": order.partner_id.id,
            "reference": f"T-{order.name}", "operation": "online_redirect",
            "sale_order_ids": [Command.set(order.ids)],
        })
        transaction._set_done()
        return transaction

    # ------------------------------------------------------------
    # The request
    # ------------------------------------------------------------

    def test_request_captures_the_quotation(self):
        order = self.quotation(self.rep_shanghai, price=90.0, quantity=3)
        order.order_line = [Command.create({"product_id": self.list_product.id, "price_unit": 200.0})]
        request = self.ask(order, self.rep_shanghai, reason=False)
        self.assertEqual(request.user_id, self.rep_shanghai)
        self.assertEqual(request.team_id, self.shanghai)
        line = request.line_ids
        self.assertEqual(len(line), 1, "only the line below the floor")
        self.assertEqual(line.order_line_id, order.order_line[0])
        self.assertEqual((line.quantity, line.list_price, line.price, line.limit), (3, 100.0, 90.0, 3.0))
        self.assertAlmostEqual(line.discount, 10.0)
        self.assertEqual((line.cost, line.margin), (60.0, 90.0))
        self.assertAlmostEqual(line.margin_percent, 100 * 30 / 90, places=1)
        self.assertAlmostEqual(request.max_discount, 10.0)
        self.assertEqual(request._approval_amount(), {request.id: request.max_discount})
        self.assertEqual(order.price_reduction_id, request)
        self.assertEqual((order.price_reduction_count, order.price_reduction_state), (1, "draft"))
        # asking again opens the same request, its lines taken again
        order.order_line[0].price_unit = 85.0
        again = order.with_user(self.rep_shanghai).action_request_price_reduction()
        self.assertEqual(again["res_id"], request.id)
        self.assertEqual(request.line_ids.price, 85.0)
        with self.assertRaisesRegex(UserError, "Say why"):
            request.with_user(self.rep_shanghai).action_submit()
        self.assertEqual(request.state, "draft")

    def test_nothing_to_ask(self):
        order = self.quotation(self.rep_shanghai, price=100.0)
        with self.assertRaisesRegex(UserError, "can be confirmed as it is"):
            order.with_user(self.rep_shanghai).action_request_price_reduction()
        self.assertFalse(self.env["sales.price.reduction"].search([("order_id", "=", order.id)]))

    def test_routing_by_limit(self):
        """3 %: within the rep's own limit, no request. 4 %: the supervisor (5 %) decides. 15 %: the
        supervisor, the manager (10 %), then the regional director (20 %). 40 %: up to the director,
        the top of the tree, who decides whatever the amount."""
        for price, approvers in [(96.0, ["supervisor"]),
                                 (85.0, ["supervisor", "manager", "regional_east"]),
                                 (60.0, ["supervisor", "manager", "regional_east", "director"])]:
            with self.subTest(price=price):
                order = self.quotation(self.rep_shanghai, price=price)
                request = self.ask(order, self.rep_shanghai)
                request.with_user(self.rep_shanghai).action_submit()
                for name in approvers:
                    person = getattr(self, name)
                    self.assertEqual(request.approver_id, person)
                    self.assertTrue(request.with_user(person).can_review)
                    request.with_user(person).action_approve()
                self.assertEqual(request.state, "approved")
                self.assertEqual(request.approval_step_ids.filtered(lambda s: s.state == "approved").decided_by_id,
                                 self.people.filtered(lambda p: p.login in {getattr(self, n).login for n in approvers}))
                order.with_user(self.rep_shanghai).action_confirm()
                self.assertEqual(order.state, "sale")

    def test_no_self_approval_and_decision_on_the_quotation(self):
        order = self.quotation(self.rep_shanghai, price=96.0)
        request = self.ask(order, self.rep_shanghai)
        request.with_user(self.rep_shanghai).action_submit()
        with self.assertRaises(AccessError):
            request.with_user(self.rep_shanghai).action_approve()
        with self.assertRaises(AccessError):
            request.with_user(self.rep_north).action_approve()  # not a leader of the rep
        request.with_user(self.supervisor).review_comment = "Not for a customer who pays late."
        request.with_user(self.supervisor).action_refuse()
        self.assertEqual(request.state, "refused")
        self.assertIn("Price reduction refused", order.message_ids[0].body)
        self.assertIn("pays late", order.message_ids[0].body)
        with self.assertRaises(UserError):
            order.with_user(self.rep_shanghai).action_confirm()
        # asked again, approved this time: on the quotation too
        request = self.ask(order, self.rep_shanghai)
        request.with_user(self.rep_shanghai).action_submit()
        request.with_user(self.supervisor).action_approve()
        self.assertIn("Price reduction approved", order.message_ids[0].body)
        self.assertEqual((order.price_reduction_count, order.price_reduction_state), (2, "approved"))
        action = order.with_user(self.rep_shanghai).action_view_price_reductions()
        self.assertEqual(self.env["sales.price.reduction"].with_user(self.rep_shanghai).search(action["domain"]),
                         order.price_reduction_id | request.search([("order_id", "=", order.id)]))

    def test_approval_is_bound_to_the_prices_it_saw(self):
        order = self.quotation(self.rep_shanghai, price=96.0, quantity=5)
        request = self.ask(order, self.rep_shanghai)
        request.with_user(self.rep_shanghai).action_submit()
        request.with_user(self.supervisor).action_approve()
        line = order.order_line
        self.assertEqual(line.price_floor_status, "covered")
        # (a new quantity alone takes the list price again: Odoo recomputes a price nobody typed)
        for change in ({"price_unit": 95.5}, {"discount": 1.0}, {"product_uom_qty": 50, "price_unit": 96.0}):
            with self.subTest(change=change):
                line.write(change)
                self.assertEqual(line.price_floor_status, "below")
                self.assertFalse(request.is_current)
                with self.assertRaisesRegex(UserError, "cannot be confirmed"):
                    order.with_user(self.rep_shanghai).action_confirm()
                line.write({"price_unit": 96.0, "discount": 0.0, "product_uom_qty": 5})
                self.assertEqual(line.price_floor_status, "covered")
        # a new approval covers the new price
        line.price_unit = 95.5
        new = self.ask(order, self.rep_shanghai)
        self.assertNotEqual(new, request)
        new.with_user(self.rep_shanghai).action_submit()
        new.with_user(self.supervisor).action_approve()
        order.with_user(self.rep_shanghai).action_confirm()
        self.assertEqual(order.state, "sale")

    def test_changed_before_submitting(self):
        order = self.quotation(self.rep_shanghai, price=96.0)
        request = self.ask(order, self.rep_shanghai)
        order.order_line.price_unit = 95.0
        with self.assertRaisesRegex(UserError, "refresh its lines"):
            request.with_user(self.rep_shanghai).action_submit()
        request.with_user(self.rep_shanghai).action_refresh_lines()
        request.with_user(self.rep_shanghai).action_submit()
        self.assertEqual(request.state, "submitted")

    # ------------------------------------------------------------
    # The server enforces
    # ------------------------------------------------------------

    def test_bad_input_is_refused(self):
        over = self.quotation(self.rep_shanghai, price=100.0, discount=120)
        with self.assertRaisesRegex(ValidationError, "over 100%"):
            over.with_user(self.rep_shanghai).action_request_price_reduction()
        negative = self.quotation(self.rep_shanghai, price=-5.0, quantity=1)
        self.assertTrue(negative.price_approval_needed)
        with self.assertRaisesRegex(ValidationError, "negative price"):
            negative.with_user(self.rep_shanghai).action_request_price_reduction()
        self.assertFalse(self.env["sales.price.reduction"].search([("order_id", "in", (over | negative).ids)]))
        Limit = self.env["sales.org.role.limit"]
        role = self.env["sales.org.role"].create({"name": "T Trainee", "code": "T-TRN", "level": "member"})
        for limit in (-1, 101):
            with self.subTest(limit=limit), self.assertRaises(ValidationError), mute_logger("odoo.sql_db"):
                Limit.create({"role_id": role.id, "kind": "discount", "limit": limit})
        self.assertFalse(Limit.search([("role_id", "=", role.id)]))

    def test_request_is_written_by_its_workflow_only(self):
        order = self.quotation(self.rep_shanghai, price=96.0)
        request = self.ask(order, self.rep_shanghai)
        as_rep = request.with_user(self.rep_shanghai)
        for values in ({"state": "approved"}, {"approver_id": self.rep_shanghai.id},
                       {"team_id": self.north.id}, {"order_id": self.orders[self.rep_shanghai].id},
                       {"line_ids": [Command.clear()]}):
            with self.subTest(values=values), self.assertRaises(AccessError):
                as_rep.write(values)
        with self.assertRaises(AccessError):
            as_rep.line_ids.write({"price": 100.0})
        with self.assertRaises(AccessError):
            self.env["sales.price.reduction.line"].with_user(self.rep_shanghai).create({
                "reduction_id": request.id, "product_id": self.product.id})
        # nor asked on a quotation the rep may not change, nor in another unit than the quotation's
        with self.assertRaises(AccessError):
            self.env["sales.price.reduction"].with_user(self.rep_shanghai).create(
                {"order_id": self.quotation(self.rep_north).id})
        other = self.env["sales.price.reduction"].with_user(self.rep_shanghai).create(
            {"order_id": order.id, "team_id": self.north.id})
        self.assertEqual(other.team_id, self.shanghai)
        with self.assertRaises(AccessError):
            self.env["sales.price.reduction"].with_user(self.rep_shanghai).create(
                {"order_id": order.id, "user_id": self.supervisor.id})
        # a peer does not see the rep's request
        self.assertFalse(self.env["sales.price.reduction"].with_user(self.rep_north).search([("id", "=", request.id)]))
        self.assertTrue(self.env["sales.price.reduction"].with_user(self.manager).search([("id", "=", request.id)]))

    def test_confirmation_check_is_batched(self):
        """The check costs the same number of queries for one quotation and for five of different
        people, units and days."""
        one = self.quotation(self.rep_shanghai, price=100.0)
        five = self.env["sale.order"].union(*(self.quotation(person, price=100.0) for person in (
            self.rep_shanghai, self.clerk_east, self.supervisor, self.manager, self.rep_north)))
        for day, order in enumerate(five, start=1):
            order.date_order = f"2026-11-{day:02d} 10:00:00"
        counts = []
        one._sales_org_check_price_floor()  # caches of the registry (rules, precisions) filled once
        self.env.flush_all()
        for orders in (one, five):
            self.env.invalidate_all()
            start = self.env.cr.sql_log_count
            orders._sales_org_check_price_floor()
            counts.append(self.env.cr.sql_log_count - start)
        self.assertEqual(counts[0], counts[1])


@tagged("post_install", "-at_install")
class TestSalesPriceReductionRpc(HttpCase, SalesOrgCommon):
    """The block over Odoo's external API, on real HTTP."""

    def call(self, login, model, method, *args):
        uid = xmlrpc.client.ServerProxy(f"{self.base_url()}/xmlrpc/2/common").authenticate(
            self.env.cr.dbname, login, login, {})
        proxy = xmlrpc.client.ServerProxy(f"{self.base_url()}/xmlrpc/2/object", allow_none=True)
        return proxy.execute_kw(self.env.cr.dbname, uid, login, model, method, *args)

    def test_xmlrpc_confirm_blocked_until_approved(self):
        self.env["sales.org.role.limit"].create([
            {"role_id": self.role_rep.id, "kind": "discount", "limit": 3},
            {"role_id": self.role_supervisor.id, "kind": "discount", "limit": 5},
        ])
        order = self.env["sale.order"].create({
            "partner_id": self.customer.id, "user_id": self.rep_shanghai.id, "team_id": self.shanghai.id,
            "order_line": [Command.create({"product_id": self.product.id, "price_unit": 96.0})],
        })
        with self.assertRaisesRegex(xmlrpc.client.Fault, "cannot be confirmed"):
            self.call("t_rep_shanghai", "sale.order", "action_confirm", [order.ids])
        request_id = self.call("t_rep_shanghai", "sales.price.reduction", "create",
                               [{"order_id": order.id, "reason": "Volume"}])
        self.call("t_rep_shanghai", "sales.price.reduction", "action_submit", [[request_id]])
        with self.assertRaises(xmlrpc.client.Fault):  # nobody forges the decision
            self.call("t_rep_shanghai", "sales.price.reduction", "write", [[request_id], {"state": "approved"}])
        self.call("t_supervisor", "sales.price.reduction", "action_approve", [[request_id]])
        self.call("t_rep_shanghai", "sale.order", "action_confirm", [order.ids])
        self.assertEqual(order.state, "sale")
