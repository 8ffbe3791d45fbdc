from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_compare

from .sales_org_guard import check_system_fields
from .sales_return_request import COUNTED_STATES, LIVE_STATES


class SalesReturnRequestLine(models.Model):
    """A product of the order the customer returns: at most what was delivered of the order line
    and not already asked for by another request submitted or approved."""

    _name = "sales.return.request.line"
    _description = "Return Request Line"
    _order = "request_id, id"

    request_id = fields.Many2one("sales.return.request", required=True, index=True, ondelete="cascade")
    order_id = fields.Many2one(related="request_id.order_id")
    state = fields.Selection(related="request_id.state")
    company_id = fields.Many2one(related="request_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="request_id.currency_id")
    sale_line_id = fields.Many2one(
        "sale.order.line", string="Order Line", required=True, index=True, ondelete="restrict",
        domain="[('order_id', '=', order_id), ('display_type', '=', False)]",
    )
    product_id = fields.Many2one(related="sale_line_id.product_id", store=True, index=True)
    product_uom_id = fields.Many2one(related="sale_line_id.product_uom", string="Unit of Measure")
    qty_delivered = fields.Float(related="sale_line_id.qty_delivered", string="Delivered")
    price_unit = fields.Float(related="sale_line_id.price_unit", string="Unit Price")
    discount = fields.Float(related="sale_line_id.discount", string="Discount (%)")
    quantity = fields.Float(digits="Product Unit of Measure", required=True, default=1.0)
    amount = fields.Monetary(compute="_compute_amount", store=True,
                             help="The quantity at the order line's price, its discount included, untaxed, as of "
                                  "when the request was submitted.")

    _sales_org_system_fields = frozenset({"request_id", "product_id", "company_id", "amount"})

    @api.depends("quantity", "sale_line_id")  # not the line's price: kept as submitted (see _before_submit)
    def _compute_amount(self):
        for line in self:
            line.amount = line.quantity * line.sale_line_id.price_unit * (1 - (line.sale_line_id.discount or 0.0) / 100)

    # ------------------------------------------------------------------
    # ORM: the request's author writes its lines, while it is theirs
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        check_system_fields(self, [{f: v for f, v in vals.items() if f != "request_id"} for vals in vals_list])
        if not self.env.su:
            self.env["sales.return.request"].browse(
                {vals["request_id"] for vals in vals_list if vals.get("request_id")})._check_user_write({"line_ids"})
        return super().create(vals_list)

    def write(self, vals):
        check_system_fields(self, vals)
        if not self.env.su:
            self.request_id._check_user_write({"line_ids"})
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_by_the_author(self):
        if not self.env.su:
            self.request_id._check_user_write({"line_ids"})

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------

    @api.constrains("sale_line_id", "request_id")
    def _check_sale_line(self):
        for line in self:
            sale_line = line.sale_line_id
            if sale_line.order_id != line.request_id.order_id:
                raise ValidationError(self.env._(
                    "%(product)s is not a line of %(order)s: a request returns products of its own order.",
                    product=sale_line.display_name, order=line.request_id.order_id.name))
            price = sale_line.price_unit * (1 - (sale_line.discount or 0.0) / 100)
            if sale_line.currency_id.compare_amounts(price, 0) <= 0:
                raise ValidationError(self.env._(
                    "%(product)s is not sold at a price above zero on %(order)s (a discount or a free line): "
                    "it is not returned.", product=sale_line.display_name, order=sale_line.order_id.name))

    @api.constrains("quantity", "sale_line_id")
    def _check_quantity(self):
        """Each quantity is above zero; per order line, these lines and those of the other
        requests submitted or approved ask for no more than was delivered. A request whose return was
        received in Inventory no longer counts: Odoo took it off the delivered quantity."""
        self._check_sale_line()
        lines = self.filtered(lambda line: line.request_id.state in LIVE_STATES)
        for line in lines:
            if float_compare(line.quantity, 0, precision_rounding=line.product_uom_id.rounding or 0.001) <= 0:
                raise ValidationError(self.env._(
                    "The quantity of %(product)s to return must be above zero.", product=line.product_id.display_name))
        if not lines:
            return
        Line = self.sudo()
        others = Line.search([("sale_line_id", "in", lines.sale_line_id.ids), ("id", "not in", lines.ids),
                              "|", ("request_id.state", "in", COUNTED_STATES), ("request_id", "in", lines.request_id.ids)])
        received = others.request_id._received_in_stock()
        asked = defaultdict(float)
        for line in (lines | others).sudo():
            if line.request_id not in received:
                asked[line.sale_line_id] += line.quantity
        for sale_line, quantity in asked.items():
            if sale_line not in lines.sale_line_id.sudo():
                continue
            if float_compare(quantity, sale_line.qty_delivered,
                             precision_rounding=sale_line.product_uom.rounding or 0.001) > 0:
                raise ValidationError(self.env._(
                    "More than was delivered: %(quantity)s %(unit)s of %(product)s asked for in the requests of "
                    "%(order)s, %(delivered)s delivered.",
                    quantity=quantity, unit=sale_line.product_uom.name, product=sale_line.product_id.display_name,
                    order=sale_line.order_id.name, delivered=sale_line.qty_delivered))
