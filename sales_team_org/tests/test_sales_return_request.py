import unittest
from contextlib import contextmanager

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import PNG, SalesOrgCommon


class SalesReturnCommon(SalesOrgCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Limit = cls.env["sales.org.role.limit"]
        for role, limit in ((cls.role_supervisor, 1000), (cls.role_manager, 5000), (cls.role_regional, 20000)):
            Limit.create({"role_id": role.id, "kind": "return_amount", "limit": limit})
        # a service delivered by hand: its delivered quantity is set by hand, Inventory or not
        cls.service = cls.env["product.product"].create({"name": "T Installation", "type": "service",
                                                         "list_price": 1000.0})
        cls.order = cls.env["sale.order"].create({
            "partner_id": cls.customer.id, "user_id": cls.rep_shanghai.id, "team_id": cls.shanghai.id,
            "order_line": [Command.create({"product_id": cls.service.id, "product_uom_qty": 10,
                                           "price_unit": 1000})],
        })
        cls.order.action_confirm()
        cls.sale_line = cls.order.order_line
        cls.sale_line.qty_delivered = 8

    @contextmanager
    def refused(self, exception, text):
        """Odoo's assertRaises: rolled back to a savepoint, nothing of the refused call is left."""
        with self.assertRaises(exception) as caught:
            yield
        self.assertRegex(str(caught.exception), text)

    def file(self, quantity, user=None, **values):
        return self.env["sales.return.request"].with_user(user or self.rep_shanghai).create({
            "order_id": self.order.id, "reason": "quality", "outcome": "return",
            "line_ids": [Command.create({"sale_line_id": self.sale_line.id, "quantity": quantity})],
            **values,
        })


@tagged("post_install", "-at_install")
class TestSalesReturnRequest(SalesReturnCommon):

    def test_round_trip_without_inventory(self):
        request = self.file(0.5, description="The motor hums")
        self.assertEqual(request.user_id, self.rep_shanghai)
        self.assertEqual(request.team_id, self.shanghai, "filed under the order's unit")
        self.assertEqual(request.partner_id, self.customer)
        self.assertEqual(request.amount_total, 500)
        self.assertTrue(request.name.startswith("RT/"))
        request.action_submit()
        self.assertEqual(request.state, "submitted")
        self.assertEqual(request.approver_id, self.supervisor, "the rep's first leader decides within their limit")
        request.with_user(self.supervisor).action_approve()
        self.assertEqual(request.state, "approved")
        self.assertEqual(request.outcome_state, "manual", "no return transfer for a service: handled by hand")
        self.assertFalse(request.return_picking_id)
        self.assertEqual(self.order.return_request_count, 1)
        if not request._stock_returnable():
            self.assertIn("no Inventory here", request.message_ids[0].body)

    def test_more_than_delivered_is_refused(self):
        with self.refused(ValidationError, "More than was delivered"):
            self.file(9)
        self.assertFalse(self.env["sales.return.request"].search([("order_id", "=", self.order.id)]),
                         "nothing written")
        request = self.file(8)
        with self.refused(ValidationError, "More than was delivered"):
            request.with_user(self.rep_shanghai).line_ids.quantity = 8.5
        request.invalidate_recordset()
        self.assertEqual(request.line_ids.quantity, 8)
        for quantity in (0, -1):
            with self.refused(ValidationError, "above zero"):
                self.file(quantity)

    def test_second_request_beyond_what_remains(self):
        first = self.file(5)
        first.action_submit()
        with self.refused(ValidationError, "More than was delivered"):
            self.file(4)
        second = self.file(3)
        # a refused or cancelled request gives its quantity back
        first.with_user(self.rep_shanghai).action_cancel()
        third = self.file(5)
        self.assertEqual(third.line_ids.quantity + second.line_ids.quantity, 8)
        # delivered less since: the draft is not submitted as it is
        self.sale_line.qty_delivered = 4
        with self.refused(ValidationError, "More than was delivered"):
            third.action_submit()
        self.assertEqual(third.state, "draft")

    def test_drafts_take_nothing_until_submitted(self):
        abandoned = self.file(8)
        first = self.file(5)  # a draft left aside holds nothing back
        second = self.file(3)
        third = self.file(1)
        first.action_submit()
        second.action_submit()
        # two drafts do not both go through: each is checked again when submitted
        with self.refused(ValidationError, "More than was delivered"):
            third.action_submit()
        with self.refused(ValidationError, "More than was delivered"):
            abandoned.action_submit()
        self.assertEqual((abandoned | third).mapped("state"), ["draft", "draft"])

    def test_lines_at_no_price_are_not_returned(self):
        discount = self.env["sale.order.line"].create({
            "order_id": self.order.id, "product_id": self.service.id, "product_uom_qty": 1, "price_unit": -100})
        free = self.env["sale.order.line"].create({
            "order_id": self.order.id, "product_id": self.service.id, "product_uom_qty": 1, "price_unit": 1000,
            "discount": 100})
        (discount | free).qty_delivered = 1
        for sale_line in (discount, free):
            with self.subTest(line=sale_line.price_unit), self.refused(ValidationError, "price above zero"):
                self.env["sales.return.request"].with_user(self.rep_shanghai).create({
                    "order_id": self.order.id, "reason": "other",
                    "line_ids": [Command.create({"sale_line_id": sale_line.id, "quantity": 1})]})
        self.assertFalse(self.env["sales.return.request"].search([("order_id", "=", self.order.id)]))

    def test_not_approved_once_the_order_is_cancelled(self):
        request = self.file(1)
        request.action_submit()
        self.order._action_cancel()
        with self.refused(UserError, "no longer a confirmed order"):
            request.with_user(self.supervisor).action_approve()
        self.assertRecordValues(request, [{"state": "submitted", "approver_id": self.supervisor.id}])

    def test_amount_as_submitted(self):
        request = self.file(2)
        self.sale_line.price_unit = 1500
        request.action_submit()
        self.assertEqual(request.amount_total, 3000, "submitted at the order's price of the day")
        self.sale_line.price_unit = 500
        self.env.flush_all()
        request.invalidate_recordset()
        self.assertEqual(request.amount_total, 3000, "kept as submitted")
        request.with_user(self.supervisor).action_approve()
        self.assertEqual(request.approver_id, self.manager, "3,000 is beyond the supervisor's 1,000")

    def test_larger_returns_climb_by_role_limit(self):
        request = self.file(3)  # 3,000: above the supervisor's 1,000, within the manager's 5,000
        request.action_submit()
        self.assertEqual(request.approver_id, self.supervisor)
        request.with_user(self.supervisor).action_approve()
        self.assertEqual(request.state, "submitted")
        self.assertEqual(request.approver_id, self.manager)
        request.with_user(self.manager).action_approve()
        self.assertEqual(request.state, "approved")

        bigger = self.file(5)  # 5,000 + the first's 3,000: within what was delivered; 5,000 is the manager's
        bigger.action_submit()
        bigger.with_user(self.supervisor).action_approve()
        self.assertEqual(bigger.approver_id, self.manager)
        bigger.with_user(self.manager).action_approve()
        self.assertEqual(bigger.state, "approved")

    def test_amount_above_every_limit_goes_to_the_top(self):
        self.sale_line.qty_delivered = 10
        self.sale_line.price_unit = 2500  # 10 × 2,500 = 25,000: above the regional director's 20,000
        request = self.file(10)
        self.assertEqual(request.amount_total, 25000)
        request.action_submit()
        for leader in (self.supervisor, self.manager, self.regional_east):
            self.assertEqual(request.approver_id, leader)
            request.with_user(leader).action_approve()
        self.assertEqual(request.approver_id, self.director)
        request.with_user(self.director).action_approve()
        self.assertEqual(request.state, "approved")

    def test_amount_in_company_currency(self):
        # 1 TRQ is worth 10 of the company's currency
        day = self.env.company._sales_org_today()  # the request's day: its rate
        company_currency = self.env.company.currency_id
        rate = company_currency._get_rates(self.env.company, day)[company_currency.id]
        currency = self.env["res.currency"].create({"name": "TRQ", "symbol": "T", "rate_ids": [Command.create(
            {"name": day, "rate": rate / 10, "company_id": self.env.company.id})]})
        pricelist = self.env["product.pricelist"].create({"name": "T Foreign", "currency_id": currency.id})
        self.order.sudo().write({"state": "draft"})
        self.order.pricelist_id = pricelist
        self.order.sudo().write({"state": "sale"})
        request = self.file(0.5)  # 500 in a currency worth ten times the company's: 5,000
        self.assertEqual(request.amount_total, 500)
        self.assertAlmostEqual(request.amount_company, 5000, places=0)
        request.action_submit()
        request.with_user(self.supervisor).action_approve()
        self.assertEqual(request.approver_id, self.manager, "the limits are in the company's currency")

    def test_empty_request_refused_at_submit(self):
        request = self.env["sales.return.request"].with_user(self.rep_shanghai).create(
            {"order_id": self.order.id, "reason": "other"})
        with self.refused(UserError, "has no product"):
            request.action_submit()
        self.assertEqual(request.state, "draft")
        self.assertFalse(request.approver_id)

    def test_only_confirmed_orders_and_their_lines(self):
        quotation = self.orders[self.rep_shanghai]
        with self.refused(UserError, "not a confirmed order"):
            self.env["sales.return.request"].with_user(self.rep_shanghai).create(
                {"order_id": quotation.id, "reason": "other"})
        with self.refused(ValidationError, "not a line of"):
            self.env["sales.return.request"].with_user(self.rep_shanghai).create({
                "order_id": self.order.id, "reason": "other",
                "line_ids": [Command.create({"sale_line_id": quotation.order_line.id, "quantity": 1})]})
        with self.refused(UserError, "not a confirmed order"):
            quotation.with_user(self.rep_shanghai).action_request_return()

    def test_who_may_do_what(self):
        request = self.file(1)
        Request = self.env["sales.return.request"]
        # the author's leaders read it, nobody else of the company
        for person in (self.supervisor, self.manager, self.regional_east, self.director):
            self.assertEqual(Request.with_user(person).search([("id", "=", request.id)]), request, person.name)
        for person in (self.rep_north, self.clerk_east, self.regional_north):
            self.assertFalse(Request.with_user(person).search([("id", "=", request.id)]), person.name)
        # nobody files a request on an order they cannot read, nor for someone else
        with self.assertRaises(AccessError):
            self.file(1, user=self.rep_north)
        with self.assertRaises(AccessError):
            self.file(1, user_id=self.rep_north.id)
        # the author writes their draft; the state, amounts, unit and outcome are the workflow's
        request.with_user(self.rep_shanghai).write({"reason": "wrong_item", "description": "Wrong colour"})
        for values in ({"state": "approved"}, {"amount_total": 1}, {"team_id": self.north.id},
                       {"outcome_state": "picking"}, {"order_id": self.orders[self.rep_north].id}):
            with self.assertRaises(AccessError, msg=str(values)):
                request.with_user(self.rep_shanghai).write(values)
        with self.assertRaises(AccessError):
            request.with_user(self.manager).write({"reason": "other"})
        with self.assertRaises(AccessError):
            request.line_ids.with_user(self.manager).quantity = 2
        # the author does not decide their own request; once submitted, it is no longer theirs to change
        request.action_submit()
        with self.assertRaises(AccessError):
            request.with_user(self.rep_shanghai).action_approve()
        with self.assertRaises(UserError):
            request.with_user(self.rep_shanghai).write({"reason": "other"})
        with self.assertRaises(UserError):
            request.line_ids.with_user(self.rep_shanghai).quantity = 2
        with self.assertRaises(AccessError):
            request.with_user(self.rep_north).action_approve()
        request.with_user(self.manager).action_approve()  # a leader above the supervisor takes it over
        self.assertEqual(request.state, "approved")

    def test_other_company_sees_nothing(self):
        company_b = self.env["res.company"].create({"name": "T Return B"})
        outsider = self.env["res.users"].create({
            "name": "T B Director", "login": "t_return_b", "company_id": company_b.id,
            "company_ids": [Command.set(company_b.ids)],
            "groups_id": [Command.set([self.env.ref("sales_team.group_sale_manager").id])]})
        request = self.file(1)
        self.assertFalse(self.env["sales.return.request"].with_user(outsider).search([("id", "=", request.id)]))

    def test_photos(self):
        def upload(user, **values):
            return self.env["ir.attachment"].with_user(user).create(
                {"name": "door.png", "raw": PNG, "res_model": "sales.return.request", "res_id": 0, **values})

        photo = upload(self.rep_shanghai)
        request = self.file(1, photo_ids=[Command.link(photo.id)])
        self.assertEqual((photo.res_model, photo.res_id), ("sales.return.request", request.id))
        self.assertEqual(photo.with_user(self.manager).read(["name"])[0]["name"], "door.png")
        with self.refused(AccessError, "not a photo you uploaded"):
            request.with_user(self.rep_shanghai).photo_ids = [Command.link(upload(self.manager).id)]
        text = self.env["ir.attachment"].with_user(self.rep_shanghai).create(
            {"name": "notes.txt", "raw": b"hello", "mimetype": "text/plain"})
        with self.refused(ValidationError, "not an image"):
            request.with_user(self.rep_shanghai).photo_ids = [Command.link(text.id)]
        self.assertEqual(request.photo_ids, photo)
        # a photo changes with its request: not by a leader, not once submitted
        with self.assertRaises(AccessError):
            photo.with_user(self.manager).unlink()
        request.action_submit()
        with self.assertRaises(UserError):
            photo.with_user(self.rep_shanghai).write({"name": "other.png"})
        self.assertTrue(photo.exists())

    def test_photos_only_ones_own_and_free(self):
        """As on a call or visit: a photo uploaded before, on no other record, not even one's own."""
        def upload(**values):
            return self.env["ir.attachment"].with_user(self.rep_shanghai).create(
                {"name": "door.png", "raw": PNG, "res_model": "sales.return.request", "res_id": 0, **values})

        request = self.file(1).with_user(self.rep_shanghai)
        lead = self.env["crm.lead"].with_user(self.rep_shanghai).create({"name": "T Own lead"})
        on_a_lead = upload(res_model="crm.lead", res_id=lead.id)
        on_a_request = upload()
        other = self.file(1, photo_ids=[Command.link(on_a_request.id)])
        for attachment in (on_a_lead, on_a_request):
            for commands in ([Command.link(attachment.id)], [Command.set(attachment.ids)]):
                with self.subTest(attachment=attachment.res_model, commands=commands), \
                        self.refused(AccessError, "not a photo you uploaded for this return request"):
                    request.write({"photo_ids": commands})
            with self.subTest(attachment=attachment.res_model), self.refused(AccessError, "not a photo you uploaded"):
                self.file(1, photo_ids=[Command.link(attachment.id)])
        with self.refused(AccessError, "Upload a photo before putting it on a return request"):
            request.photo_ids = [Command.create({"name": "x.png", "raw": PNG})]
        gone = upload()
        gone_id = gone.id
        gone.sudo().unlink()
        with self.refused(UserError, "A photo of this return request no longer exists"):
            request.photo_ids = [Command.link(gone_id)]
        self.assertFalse(request.photo_ids)
        self.assertRecordValues((on_a_lead | on_a_request).sudo(), [
            {"res_model": "crm.lead", "res_id": lead.id},
            {"res_model": "sales.return.request", "res_id": other.id},
        ])

    def test_chatter_files_are_not_photos(self):
        """The files of the request's chatter stay under Odoo's rule, once submitted too."""
        photo = self.env["ir.attachment"].with_user(self.rep_shanghai).create(
            {"name": "door.png", "raw": PNG, "res_model": "sales.return.request", "res_id": 0})
        request = self.file(1, photo_ids=[Command.link(photo.id)])
        request.action_submit()
        note = self.env["ir.attachment"].with_user(self.rep_shanghai).create({
            "name": "delivery note.png", "raw": PNG, "res_model": request._name, "res_id": request.id})
        note.write({"name": "signed delivery note.png"})
        with self.refused(UserError, "can no longer be changed"):
            photo.with_user(self.rep_shanghai).write({"name": "other.png"})
        self.assertEqual(request.photo_ids, photo)

    def test_request_from_the_order(self):
        action = self.order.with_user(self.rep_shanghai).action_request_return()
        with Form(self.env["sales.return.request"].with_user(self.rep_shanghai).with_context(
                **action["context"])) as form:
            form.reason = "transport_damage"
            with form.line_ids.new() as line:
                line.sale_line_id = self.sale_line
                line.quantity = 2
        request = form.record
        self.assertEqual(request.order_id, self.order)
        self.assertEqual(request.amount_total, 2000)
        view = self.order.with_user(self.rep_shanghai).action_view_return_requests()
        self.assertEqual(self.env["sales.return.request"].search(view["domain"]), request)

    def test_submit_query_count(self):
        """Checking the quantities costs the same for 2 lines as for 6."""
        requests = []
        for size in (2, 6):
            order = self.env["sale.order"].create({
                "partner_id": self.customer.id, "user_id": self.rep_shanghai.id, "team_id": self.shanghai.id,
                "order_line": [Command.create({"product_id": self.service.id, "product_uom_qty": 2,
                                               "price_unit": 10}) for _i in range(size)]})
            order.action_confirm()
            order.order_line.qty_delivered = 2
            request = self.env["sales.return.request"].with_user(self.rep_shanghai).create({
                "order_id": order.id, "reason": "quality",
                "line_ids": [Command.create({"sale_line_id": line.id, "quantity": 1}) for line in order.order_line]})
            requests.append(request)
        counts = []
        for request in requests + requests:  # the first round fills the caches of access rules and groups
            self.env.flush_all()
            self.env.invalidate_all()
            queries = self.cr.sql_log_count
            request.line_ids._check_quantity()
            counts.append(self.cr.sql_log_count - queries)
        self.assertEqual(counts[2], counts[3])


@tagged("post_install", "-at_install")
class TestSalesReturnRequestStock(SalesReturnCommon):
    """With Odoo Inventory installed (sale_stock): the approval creates the return."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if "stock.picking" not in cls.env or "move_ids" not in cls.env["sale.order.line"]._fields:
            raise unittest.SkipTest("Odoo Inventory (sale_stock) is not installed")
        cls.door = cls.env["product.product"].create({"name": "T Rolling Door", "type": "consu",
                                                      "is_storable": True, "list_price": 800.0})
        warehouse = cls.env["stock.warehouse"].search([("company_id", "=", cls.env.company.id)], limit=1)
        cls.env["stock.quant"]._update_available_quantity(cls.door, warehouse.lot_stock_id, 10)
        cls.stock_order = cls.env["sale.order"].create({
            "partner_id": cls.customer.id, "user_id": cls.rep_shanghai.id, "team_id": cls.shanghai.id,
            "warehouse_id": warehouse.id,
            "order_line": [Command.create({"product_id": cls.door.id, "product_uom_qty": 5, "price_unit": 800})],
        })
        cls.stock_order.action_confirm()
        cls.delivery = cls.stock_order.picking_ids
        cls.delivery.move_ids.quantity = 5
        cls.delivery.move_ids.picked = True
        cls.delivery.button_validate()

    def file_door(self, quantity, outcome="return"):
        return self.env["sales.return.request"].with_user(self.rep_shanghai).create({
            "order_id": self.stock_order.id, "reason": "transport_damage", "outcome": outcome,
            "line_ids": [Command.create({"sale_line_id": self.stock_order.order_line.id, "quantity": quantity})],
        })

    def test_approval_creates_the_return(self):
        self.assertEqual(self.delivery.state, "done")
        self.assertEqual(self.stock_order.order_line.qty_delivered, 5)
        with self.refused(ValidationError, "More than was delivered"):
            self.file_door(6)
        request = self.file_door(2)
        request.action_submit()
        request.with_user(self.supervisor).action_approve()  # 1,600: handed up to the manager
        request.with_user(self.manager).action_approve()
        self.assertEqual(request.state, "approved")
        self.assertEqual(request.outcome_state, "picking")
        picking = self.env["stock.picking"].browse(request.return_picking_id)
        self.assertEqual(picking.picking_type_code, "incoming")
        self.assertEqual(picking.return_id, self.delivery)
        self.assertEqual(request.return_picking_names, picking.name)
        self.assertEqual(picking.move_ids.product_id, self.door)
        self.assertEqual(picking.move_ids.product_uom_qty, 2)
        self.assertEqual(picking.move_ids.origin_returned_move_id, self.delivery.move_ids)
        action = request.action_open_return_picking()
        self.assertEqual((action["res_model"], action["res_id"]), ("stock.picking", picking.id))
        # received: Odoo takes it off the delivered quantity, the request no longer counts
        with self.refused(ValidationError, "More than was delivered"):
            self.file_door(4)
        picking.move_ids.quantity = 2
        picking.move_ids.picked = True
        picking.button_validate()
        self.assertEqual(self.stock_order.order_line.qty_delivered, 3)
        self.assertTrue(self.file_door(3))

    def test_exchange_and_credit(self):
        exchange = self.file_door(1, outcome="exchange")
        exchange.action_submit()
        exchange.with_user(self.manager).action_approve()
        self.assertEqual(exchange.outcome_state, "picking")
        returned = self.env["stock.picking"].browse(exchange.return_picking_id)
        self.assertEqual(returned.picking_type_code, "incoming")
        self.assertEqual(returned.move_ids.product_uom_qty, 1)
        # the replacement goes out again with the order's deliveries
        self.assertTrue(self.stock_order.picking_ids.filtered(
            lambda picking: picking.picking_type_code == "outgoing" and picking.state not in ("done", "cancel")))
        credit = self.file_door(1, outcome="credit")
        credit.action_submit()
        credit.with_user(self.supervisor).action_approve()
        self.assertEqual(credit.state, "approved")
        self.assertEqual(credit.outcome_state, "picking", "the goods credited come back too")
        self.assertEqual(self.env["stock.picking"].browse(credit.return_picking_id).move_ids.product_uom_qty, 1)
