from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import float_compare, float_is_zero, format_amount

REASONS = [
    ("quality", "Quality Problem"),
    ("wrong_item", "Wrong Item Delivered"),
    ("transport_damage", "Damaged in Transport"),
    ("changed_mind", "Customer Changed Their Mind"),
    ("other", "Other"),
]
OUTCOMES = [
    ("return", "Return Goods"),
    ("exchange", "Exchange"),
    ("credit", "Credit"),
]
# a request's quantities are checked while it is alive; those of the submitted and approved ones
# are taken from what may still be returned (a draft's are checked again when it is submitted)
LIVE_STATES = ("draft", "submitted", "returned", "approved")
COUNTED_STATES = ("submitted", "approved")


class SalesReturnRequest(models.Model):
    """退换货申请: the customer wants goods of a confirmed order taken back, exchanged or
    credited. The rep does the first review and files the request, with the quantities (at
    most what was delivered and not already asked for) and photos; it is approved up the tree
    by the amount. Approved, with Odoo Inventory installed, the return (or exchange) of the
    delivered goods is created; without it, the outcome is recorded, to be handled by hand."""

    _name = "sales.return.request"
    _inherit = ["sales.org.approval.mixin", "sales.org.photo.mixin"]
    _description = "Return or Exchange Request"
    _order = "id desc"
    _check_company_auto = True
    _sales_org_author_fields = frozenset({"reason", "description", "outcome", "photo_ids", "line_ids"})
    # set once, at create, from the order and the day: whatever the caller sends
    _sales_org_create_fields = frozenset({"user_id", "company_id", "order_id", "team_id", "name", "date"})
    _sales_org_unit_field = "team_id"
    _approval_limit_kind = "return_amount"

    name = fields.Char(string="Reference", readonly=True, copy=False, default=lambda self: self.env._("New"))
    user_id = fields.Many2one(
        "res.users", string="Filed By", required=True, index=True, readonly=True, default=lambda self: self.env.user,
        help="Who did the first review of the customer's request: usually the order's salesperson.",
    )
    order_id = fields.Many2one(
        "sale.order", string="Sales Order", required=True, index=True, ondelete="restrict", check_company=True,
        domain=[("state", "=", "sale")],
    )
    partner_id = fields.Many2one(related="order_id.partner_id", string="Customer", store=True, index=True)
    team_id = fields.Many2one(
        "crm.team", string="Sales Unit", index="btree_not_null", readonly=True,
        help="The order's unit: the request goes up from the author's place in it.",
    )
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True,
                                 default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="order_id.currency_id")
    company_currency_id = fields.Many2one(related="company_id.currency_id", string="Company Currency")
    date = fields.Date(readonly=True, index=True, default=lambda self: self.env.company._sales_org_today(),
                       help="The day the request was filed, in the company's time.")
    reason = fields.Selection(REASONS, required=True, tracking=True)
    description = fields.Text(help="What the customer reports, what was checked on site.")
    outcome = fields.Selection(OUTCOMES, string="Asked For", required=True, default="return", tracking=True,
                               help="Return: the goods come back. Exchange: they come back and are delivered "
                                    "again. Credit: the customer is credited.")
    photo_ids = fields.Many2many(
        relation="sales_return_request_photo_rel", column1="request_id", column2="attachment_id",
        help="Photos of the goods, readable by whoever may read the request.",
    )
    line_ids = fields.One2many("sales.return.request.line", "request_id", string="Products", copy=True)
    amount_total = fields.Monetary(
        string="Amount", compute="_compute_amount_total", store=True,
        help="The value of the quantities at the order's prices, discounts included, untaxed, as of when the "
             "request was submitted.",
    )
    amount_company = fields.Monetary(
        string="Amount in Company Currency", compute="_compute_amount_company", currency_field="company_currency_id",
        help="What the approvers grant: the amount converted at the rate of the day the request was filed.",
    )
    outcome_state = fields.Selection(
        [("manual", "To Handle by Hand"), ("picking", "Return Created")], string="Handling", readonly=True,
        copy=False, tracking=True,
        help="Set on approval: the return created in Inventory, or recorded to be handled by hand "
             "(no Inventory, nothing delivered from stock, or a credit).",
    )
    return_picking_id = fields.Integer(string="Return Transfer", readonly=True, copy=False,
                                       help="The first transfer created in Inventory on approval.")
    return_picking_names = fields.Char(string="Return Transfers", readonly=True, copy=False)

    @api.depends("line_ids.amount")
    def _compute_amount_total(self):
        for request in self:
            request.amount_total = sum(request.line_ids.mapped("amount"))

    @api.depends("amount_total", "currency_id", "company_id")
    def _compute_amount_company(self):
        for request in self:
            request.amount_company = request._amount_in_company_currency()

    def _amount_in_company_currency(self):
        self.ensure_one()
        if not self.currency_id or self.currency_id == self.company_currency_id:
            return self.amount_total
        return self.currency_id._convert(self.amount_total, self.company_currency_id, self.company_id,
                                         self.date or fields.Date.context_today(self))

    @api.depends("name", "partner_id")
    def _compute_display_name(self):
        for request in self:
            request.display_name = self.env._("%(reference)s (%(customer)s)", reference=request.name or "",
                                              customer=request.partner_id.name or "") \
                if request.partner_id else request.name

    # ------------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        orders = self.env["sale.order"].browse({vals.get("order_id") for vals in vals_list} - {None, False})
        if not self.env.su:
            if not self.env.user._is_internal():
                raise AccessError(self.env._("Only the company's people file a return or exchange."))
            orders.check_access("read")
        for vals in vals_list:
            if not vals.get("order_id"):
                raise UserError(self.env._("A return or exchange is filed on a sales order."))
            order = orders.browse(vals["order_id"]).sudo()
            if order.state != "sale":
                raise UserError(self.env._(
                    "%(order)s is not a confirmed order: only what was sold and delivered is returned.",
                    order=order.name))
            # filed where the order is, on the company's day: never another unit, company or day
            vals.update(team_id=order.team_id.id, company_id=order.company_id.id,
                        date=order.company_id._sales_org_today(),
                        name=self.env["ir.sequence"].sudo().with_company(order.company_id).next_by_code(
                            "sales.return.request") or self.env._("New"))
        return super().create(vals_list)

    # ------------------------------------------------------------------
    # Photos
    # ------------------------------------------------------------------

    def _photo_document_name(self):
        return self.env._("return request")

    def _check_photo_write(self):
        # only the request's author, while it is theirs
        self._check_user_write({"photo_ids"})

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_open_order(self):
        self.ensure_one()
        self.order_id.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "res_model": "sale.order",
            "res_id": self.order_id.id,
            "views": [(False, "form")],
        }

    def action_open_return_picking(self):
        """The transfers made in Inventory on approval (their own access rules apply)."""
        self.ensure_one()
        pickings = self._return_pickings().get(self.id)
        if not pickings:
            raise UserError(self.env._("No return transfer was created for %(request)s.",
                                       request=self.display_name))
        pickings = pickings.with_env(self.env)
        pickings.check_access("read")
        if len(pickings) == 1:
            return {"type": "ir.actions.act_window", "res_model": "stock.picking", "res_id": pickings.id,
                    "views": [(False, "form")]}
        return {"type": "ir.actions.act_window", "name": self.env._("Return Transfers"),
                "res_model": "stock.picking", "domain": [("id", "in", pickings.ids)],
                "views": [(False, "list"), (False, "form")]}

    # ------------------------------------------------------------------
    # Approval hooks
    # ------------------------------------------------------------------

    def _approval_amount(self):
        return {request.id: request._amount_in_company_currency() for request in self}

    def action_approve(self):
        # the order may have been cancelled since the request was submitted
        self._check_order_confirmed()
        return super().action_approve()

    def _check_order_confirmed(self):
        for request in self.sudo():
            if request.order_id.state != "sale":
                raise UserError(self.env._(
                    "%(order)s is no longer a confirmed order: %(request)s cannot go through.",
                    order=request.order_id.name, request=request.display_name))

    def _approval_check_submit(self):
        for request in self:
            if not request.line_ids:
                raise UserError(self.env._(
                    "%(request)s has no product: add what the customer returns, with its quantity.",
                    request=request.display_name))
        self._check_order_confirmed()
        self.line_ids._check_quantity()

    def _before_submit(self):
        # submitted at the order's prices of the day, which the amount keeps from then on
        self.sudo().line_ids.modified(["sale_line_id"])

    def _on_approved(self):
        stock = self._stock_returnable()
        for request in self:
            pickings, left = request._create_stock_returns() if stock else (None, request.line_ids)
            if pickings:
                request.write({
                    "outcome_state": "picking", "return_picking_id": pickings[:1].id,
                    "return_picking_names": ", ".join(pickings.mapped("name")),
                })
                body = Markup("<p>%s</p>") % self.env._(
                    "Approved: the transfers of the %(outcome)s are created in Inventory: %(pickings)s.",
                    outcome=request._outcome_label(), pickings=request.return_picking_names)
                if left:
                    body += Markup("<p>%s</p>") % self.env._(
                        "Not found on the done deliveries, to be handled by hand: %(products)s.",
                        products=", ".join(left.mapped("product_id.display_name")))
            else:
                request.outcome_state = "manual"
                if not stock:
                    message = self.env._("Approved and recorded: no Inventory here, the %(outcome)s is handled "
                                         "by hand.", outcome=request._outcome_label())
                else:
                    message = self.env._("Approved and recorded: nothing of it was delivered from stock, the "
                                         "%(outcome)s is handled by hand.", outcome=request._outcome_label())
                body = Markup("<p>%s</p>") % message
            request.message_post(body=body, message_type="notification", subtype_xmlid="mail.mt_note")
            request.order_id.message_post(
                body=Markup("<p>%s</p>") % self.env._("Return request approved: %(request)s, %(amount)s.",
                                                      request=request.display_name,
                                                      amount=format_amount(self.env, request.amount_total,
                                                                           request.currency_id)),
                message_type="notification", subtype_xmlid="mail.mt_note")

    def _outcome_label(self):
        self.ensure_one()
        return dict(self._fields["outcome"]._description_selection(self.env))[self.outcome].lower()

    # ------------------------------------------------------------------
    # Inventory, when installed (never imported: the add-on does not depend on it)
    # ------------------------------------------------------------------

    @api.model
    def _stock_returnable(self):
        return "stock.return.picking" in self.env and "move_ids" in self.env["sale.order.line"]._fields

    def _return_pickings(self):
        """{request id: its return transfers}, found by their names in the order's company."""
        if "stock.picking" not in self.env:
            return {}
        requests = self.filtered("return_picking_names")
        names = {name.strip() for request in requests for name in request.return_picking_names.split(",")}
        if not names:
            return {}
        pickings = self.env["stock.picking"].sudo().search(
            [("name", "in", list(names)), ("company_id", "in", requests.company_id.ids)])
        return {request.id: pickings.filtered(
            lambda picking, request=request: picking.company_id == request.company_id
            and picking.name in {name.strip() for name in request.return_picking_names.split(",")})
            for request in requests}

    def _received_in_stock(self):
        """The requests of `self` whose return transfers are all done."""
        pickings = self._return_pickings()
        return self.filtered(lambda request: pickings.get(request.id) and all(
            picking.state == "done" for picking in pickings[request.id]))

    def _create_stock_returns(self):
        """Return (or exchange) the request's quantities of the order's done deliveries through
        Odoo's return wizard, one return per delivery, latest deliveries first. Called with sudo.

        :returns: (the return transfers, the lines not found on done deliveries)
        """
        self.ensure_one()
        Picking = self.env["stock.picking"]
        to_return = defaultdict(dict)  # picking: {move: quantity in the product's unit}
        left = self.env["sales.return.request.line"]
        for line in self.line_ids:
            product_uom = line.product_id.uom_id
            wanted = line.sale_line_id.product_uom._compute_quantity(line.quantity, product_uom)
            moves = line.sale_line_id.move_ids.filtered(
                lambda move: move.state == "done" and move.picking_code == "outgoing" and not move.scrapped
                and move.product_id == line.product_id).sorted("date", reverse=True)
            for move in moves:
                if float_is_zero(wanted, precision_rounding=product_uom.rounding):
                    break
                returned = sum(
                    returned.product_qty if returned.state != "done"
                    else returned.product_uom._compute_quantity(returned.quantity, product_uom)
                    for returned in move.returned_move_ids.filtered(lambda move: move.state != "cancel"))
                available = move.product_uom._compute_quantity(move.quantity, product_uom) - returned
                if float_compare(available, 0, precision_rounding=product_uom.rounding) <= 0:
                    continue
                taken = min(wanted, available)
                to_return[move.picking_id][move] = to_return[move.picking_id].get(move, 0.0) + taken
                wanted -= taken
            if not float_is_zero(wanted, precision_rounding=product_uom.rounding):
                left |= line
        created = Picking
        for picking, quantities in to_return.items():
            wizard = self.env["stock.return.picking"].with_company(picking.company_id).with_context(
                active_id=picking.id, active_ids=picking.ids, active_model="stock.picking",
            ).create({"picking_id": picking.id})
            for return_line in wizard.product_return_moves:
                return_line.quantity = quantities.get(return_line.move_id, 0.0)
            if self.outcome == "exchange":
                action = wizard.action_create_exchanges()
            else:
                action = wizard.action_create_returns()
            created |= Picking.browse(action["res_id"])
        return created, left
