from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError


class SalesPriceReduction(models.Model):
    """降价申请: a salesperson asks for prices of a quotation below what their role may grant.

    The lines, their list and asked prices, are captured from the quotation when the request is
    made (and again by Refresh while it is the requester's); the approval covers those prices
    only: a covered line whose price, discount or quantity changes afterwards needs a new one.
    """

    _name = "sales.price.reduction"
    _inherit = ["sales.org.approval.mixin"]
    _description = "Price Reduction Request"
    _order = "id desc"
    _check_company_auto = True
    _sales_org_author_fields = frozenset({"reason"})
    _sales_org_create_fields = frozenset({"user_id", "company_id", "order_id", "team_id"})
    _sales_org_unit_field = "team_id"
    _approval_limit_kind = "discount"

    user_id = fields.Many2one(
        "res.users", string="Requester", required=True, default=lambda self: self.env.user, index=True,
        readonly=True,
    )
    order_id = fields.Many2one(
        "sale.order", string="Quotation", required=True, index=True, readonly=True, ondelete="cascade",
        check_company=True,
    )
    partner_id = fields.Many2one(related="order_id.partner_id", string="Customer")
    team_id = fields.Many2one(
        "crm.team", string="Sales Unit", index="btree_not_null", readonly=True,
        help="The quotation's unit: the request goes up from the requester's place in it.",
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="order_id.currency_id")
    reason = fields.Text(help="Why the customer should have these prices: competition, volume, relationship…")
    line_ids = fields.One2many("sales.price.reduction.line", "reduction_id", string="Lines", readonly=True)
    max_discount = fields.Float(
        string="Largest Discount (%)", compute="_compute_totals", digits="Discount",
        help="The largest discount below the list price among the lines: what the approver must be allowed to grant.",
    )
    amount_reduction = fields.Monetary(
        string="Total Reduction", compute="_compute_totals",
        help="What the customer pays less than at the list prices, untaxed.",
    )
    is_current = fields.Boolean(
        string="Prices Unchanged", compute="_compute_is_current",
        help="The quotation still has the prices, discounts and quantities the request shows.",
    )

    @api.depends("order_id.name")
    def _compute_display_name(self):
        for request in self:
            request.display_name = self.env._("Price Reduction %(order)s", order=request.order_id.name or "")

    @api.depends("line_ids.discount", "line_ids.list_price", "line_ids.price", "line_ids.quantity")
    def _compute_totals(self):
        for request in self:
            request.max_discount = max(request.line_ids.mapped("discount"), default=0.0)
            request.amount_reduction = sum((line.list_price - line.price) * line.quantity for line in request.line_ids)

    @api.depends("line_ids.order_line_id.price_unit", "line_ids.order_line_id.discount",
                 "line_ids.order_line_id.product_uom_qty")
    def _compute_is_current(self):
        for request in self:
            request.is_current = bool(request.line_ids) and all(
                line._sales_org_covers(line.order_line_id) for line in request.line_ids)

    # ------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        orders = self.env["sale.order"].browse({vals.get("order_id") for vals in vals_list} - {None, False})
        orders._sales_org_check_can_ask()
        orders._sales_org_floors_to_ask()  # bad prices refused before anything is written
        for vals in vals_list:
            if not vals.get("order_id"):
                raise UserError(self.env._("A price reduction is asked on a quotation."))
            order = orders.browse(vals["order_id"]).sudo()
            # filed where the quotation is: never another unit or company than the quotation's
            vals.update(team_id=order.team_id.id, company_id=order.company_id.id)
        requests = super().create(vals_list)
        requests.sudo()._capture_lines()
        return requests

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_refresh_lines(self):
        """Take the quotation's lines below the floor again, at their prices now."""
        for request in self:
            if request.user_id != self.env.user and not self.env.su:
                raise AccessError(self.env._("Only %(person)s refreshes their own request.", person=request.user_id.name))
            if request.state not in ("draft", "returned"):
                raise UserError(self.env._("Only a draft or returned request can be refreshed."))
        self.order_id._sales_org_check_can_ask()
        self.sudo()._capture_lines()
        return True

    def action_open_order(self):
        self.ensure_one()
        self.order_id.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "res_model": "sale.order",
            "res_id": self.order_id.id,
            "views": [(False, "form")],
        }

    # ------------------------------------------------------------
    # APPROVAL HOOKS
    # ------------------------------------------------------------

    def _approval_amount(self):
        return {request.id: request.max_discount for request in self}

    def _approval_check_submit(self):
        for request in self:
            if request.order_id.state not in ("draft", "sent"):
                raise UserError(self.env._(
                    "%(order)s is no longer a quotation: there is no price to approve.", order=request.order_id.name))
            if not request.line_ids:
                raise UserError(self.env._(
                    "%(request)s has no line below the floor: the quotation can be confirmed as it is.",
                    request=request.display_name))
            if not request.reason:
                raise UserError(self.env._("Say why the customer should have these prices before submitting."))
            if not request.is_current:
                raise UserError(self.env._(
                    "The prices of %(order)s changed since the request was made: refresh its lines first.",
                    order=request.order_id.name))
        self.line_ids._check_prices()

    def _on_approved(self):
        self._log_on_order(lambda request: self.env._("Price reduction approved: %(request)s",
                                                      request=request.display_name))

    def _on_refused(self):
        self._log_on_order(lambda request: self.env._("Price reduction refused: %(request)s",
                                                      request=request.display_name))

    def _on_returned(self):
        self._log_on_order(lambda request: self.env._("Price reduction returned for changes: %(request)s",
                                                      request=request.display_name))

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _capture_lines(self):
        """Replace the lines of these requests by the quotation's lines below the floor now that no
        approved request covers."""
        floors = self.order_id._sales_org_floors_to_ask()
        vals_list = [
            dict(line._sales_org_reduction_line_values(floor), reduction_id=request.id)
            for request in self for line, floor in floors.items() if line.order_id == request.order_id
        ]
        self.line_ids.unlink()
        self.env["sales.price.reduction.line"].create(vals_list)

    def _log_on_order(self, message):
        """The decision, on the quotation's chatter, with the reviewer's comment."""
        for request in self:
            body = Markup("<p>%s</p>") % message(request)
            if request.review_comment:
                body += Markup("<p>%s</p>") % request.review_comment
            request.order_id.message_post(body=body, message_type="notification",
                                          subtype_xmlid="mail.mt_note")

