from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_compare


class SalesPriceReductionLine(models.Model):
    """A quotation line as the request saw it: written by the request when it captures the
    quotation, never by hand."""

    _name = "sales.price.reduction.line"
    _description = "Price Reduction Request Line"
    _order = "reduction_id, sequence, id"

    reduction_id = fields.Many2one("sales.price.reduction", required=True, index=True, ondelete="cascade",
                                   readonly=True)
    state = fields.Selection(related="reduction_id.state")
    company_id = fields.Many2one(related="reduction_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="reduction_id.currency_id")
    sequence = fields.Integer(readonly=True)
    order_line_id = fields.Many2one("sale.order.line", string="Quotation Line", index="btree_not_null",
                                    ondelete="set null", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True, required=True)
    product_uom_id = fields.Many2one("uom.uom", string="Unit of Measure", readonly=True)
    quantity = fields.Float(digits="Product Unit of Measure", readonly=True)
    list_price = fields.Monetary(
        readonly=True, currency_field="currency_id",
        help="The pricelist's price for the product, quantity and date, before any reduction by hand.",
    )
    price_unit = fields.Float(string="Unit Price", digits="Product Price", readonly=True)
    line_discount = fields.Float(string="Line Discount (%)", digits="Discount", readonly=True)
    price = fields.Monetary(string="Asked Price", readonly=True, currency_field="currency_id",
                            help="The unit price after the line's discount.")
    discount = fields.Float(string="Below List (%)", digits="Discount", readonly=True)
    limit = fields.Float(string="Salesperson's Limit (%)", digits="Discount", readonly=True)
    cost = fields.Monetary(readonly=True, currency_field="currency_id",
                           help="The product's cost per unit, where it is known.")
    margin = fields.Monetary(compute="_compute_margin", currency_field="currency_id")
    margin_percent = fields.Float(string="Margin (%)", compute="_compute_margin", digits=(16, 1))

    @api.depends("cost", "price", "quantity")
    def _compute_margin(self):
        for line in self:
            known = bool(line.cost)
            line.margin = (line.price - line.cost) * line.quantity if known else 0.0
            line.margin_percent = (line.price - line.cost) / line.price * 100 if known and line.price else 0.0

    @api.constrains("line_discount", "price", "price_unit")
    def _check_prices(self):
        for line in self:
            if line.line_discount > 100:
                raise ValidationError(self.env._(
                    "%(product)s has a discount over 100%%: correct the quotation first.",
                    product=line.product_id.display_name))
            if line.price < 0 or line.price_unit < 0:
                raise ValidationError(self.env._(
                    "%(product)s has a negative price: correct the quotation first.",
                    product=line.product_id.display_name))

    def _sales_org_covers(self, order_line):
        """Whether this captured line still is `order_line` as it is now: same product, unit,
        quantity, price and discount."""
        self.ensure_one()
        return bool(
            order_line and self.order_line_id == order_line._origin
            and self.product_id == order_line.product_id and self.product_uom_id == order_line.product_uom
            and not float_compare(self.quantity, order_line.product_uom_qty,
                                  precision_rounding=order_line.product_uom.rounding or 0.001)
            and not float_compare(self.price_unit, order_line.price_unit, precision_digits=self._digits("Product Price"))
            and not float_compare(self.line_discount, order_line.discount or 0.0, precision_digits=self._digits("Discount"))
        )

    def _digits(self, name):
        return self.env["decimal.precision"].precision_get(name)
