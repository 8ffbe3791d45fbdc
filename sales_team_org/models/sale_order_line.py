from collections import defaultdict, namedtuple

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare

PRICE_FIELDS = frozenset({"price_unit", "discount", "product_id", "product_uom", "product_uom_qty"})

# list_price: the pricelist's price, tax-adjusted like price_unit; price: the effective unit price
# (price_unit less the line's discount); discount: how far below list_price, in %; limit: the
# salesperson's discount limit (%); below: under their floor; covered: an approved request holds it.
PriceFloor = namedtuple("PriceFloor", "list_price price discount limit below covered")


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    price_floor_status = fields.Selection(
        [("ok", "Within Limit"), ("covered", "Approved Reduction"), ("below", "Needs Approval")],
        string="Price Approval", compute="_compute_price_floor_status",
        help="Whether the line's price is within the discount its salesperson's role may give below "
        "the list price, or a price reduction request covering it was approved.",
    )

    @api.depends("price_unit", "discount", "product_uom_qty", "product_uom", "product_id",
                 "order_id.user_id", "order_id.team_id", "order_id.pricelist_id", "order_id.state")
    def _compute_price_floor_status(self):
        floors = self._sales_org_price_floor()
        for line in self:
            floor = floors.get(line)
            line.price_floor_status = False if not floor else \
                "ok" if not floor.below else "covered" if floor.covered else "below"

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines._sales_org_check_confirmed_prices()
        return lines

    def write(self, vals):
        result = super().write(vals)
        if PRICE_FIELDS & set(vals):
            self._sales_org_check_confirmed_prices()
        return result

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _sales_org_check_confirmed_prices(self):
        """A confirmed order keeps to the floor too: a line added, repriced or changed on it after
        the confirmation needs an approved request as a quotation's does."""
        confirmed = self.filtered(lambda line: line.order_id.state == "sale")
        if not confirmed:
            return
        floors = confirmed._sales_org_price_floor(states=("sale",))
        blocked = confirmed.order_id._sales_org_price_blocked(floors)
        if blocked:
            raise UserError(self.env._(
                "%(order)s is confirmed: its prices stay within what %(person)s may grant unless a price "
                "reduction covers them:\n%(lines)s",
                order=", ".join(order.name for order in blocked),
                person=next(iter(blocked)).user_id.name or "-",
                lines=self.env["sale.order.line"].union(*blocked.values())._sales_org_floor_error_lines(floors)))

    def _sales_org_floor_applies(self):
        """Lines the salesperson prices, with a product (Odoo's down payment lines have none): not
        sections and notes, expenses re-invoiced at cost, deliveries or a combo's own line (priced
        0: its items carry the price). A flag a client can set alone exempts nothing."""
        self.ensure_one()
        expense = self.is_expense and self.product_id.expense_policy not in (False, "no")
        combo_item = self.combo_item_id and not self.linked_line_id
        return bool(
            self.product_id and not self.display_type and not expense and not combo_item
            and self.product_type != "combo" and not self._is_delivery()
        )

    def _sales_org_price_floor(self, states=("draft", "sent")):
        """{line: PriceFloor} for the lines of `self` that are on a quotation (an order in `states`)
        whose salesperson holds a role with a discount limit; other lines have no floor. Batched: a
        handful of queries whatever the number of lines and orders."""
        lines = self.filtered(lambda line: line.order_id.state in states and line._sales_org_floor_applies())
        limits = lines.order_id._sales_org_discount_limits()
        lines = lines.filtered(lambda line: limits.get(line.order_id) is not None)
        if not lines:
            return {}
        list_prices = lines._sales_org_list_prices()
        approved = lines._sales_org_approved_requests()
        digits = self.env["decimal.precision"].precision_get("Product Price")
        result = {}
        for line in lines:
            list_price = list_prices[line]
            price = line.price_unit * (1 - (line.discount or 0.0) / 100.0)
            limit = limits[line.order_id]
            if float_compare(list_price, 0.0, precision_digits=digits) <= 0:
                continue  # nothing to go below (free products, rewards)
            discount = (list_price - price) / list_price * 100.0
            below = float_compare(price, list_price * (1 - limit / 100.0), precision_digits=digits) < 0
            # bound to what the approver saw, list price included (a pricelist, currency or tax change)
            covered = below and any(
                request_line._sales_org_covers(line)
                and float_compare(discount, request_line.discount, precision_digits=2) <= 0
                for request_line in approved[line])
            result[line] = PriceFloor(list_price, price, discount, limit, below, covered)
        return result

    def _sales_org_list_prices(self):
        """{line: list price}. The list price is what the order's pricelist gives for the line's
        product, quantity, unit and date (after the pricelist's own rules: they are the company's
        pricing policy, not a salesperson's reduction), made tax-included or not as price_unit is.
        It is computed here from the pricelist, never taken from what the client sent
        (technical_price_unit is writable). One rule search per pricelist, whatever the dates."""
        prices = {}
        for pricelist, group in self.grouped(lambda line: line.order_id.pricelist_id).items():
            products = group.product_id
            # the pricelist's rules for these products at any date (Odoo's search is per date)
            # archived rules count, as in Odoo: they belong to an archived pricelist
            rules = self.env["product.pricelist.item"].browse(
                self.env["product.pricelist.item"].with_context(active_test=False).search([
                    ("pricelist_id", "=", pricelist.id),
                    "|", ("categ_id", "=", False), ("categ_id", "parent_of", products.categ_id.ids),
                    "|", ("product_tmpl_id", "=", False), ("product_tmpl_id", "in", products.product_tmpl_id.ids),
                    "|", ("product_id", "=", False), ("product_id", "in", products.ids),
                ]).ids) if pricelist else self.env["product.pricelist.item"]
            for line in group:
                if line.combo_item_id:  # its share of the combo's list price, as Odoo prices it
                    prices[line] = line._get_combo_item_display_price()
                    continue
                date = line._get_order_date()
                line_c = line.with_company(line.company_id)
                product = line_c.product_id.with_context(**line_c._get_product_price_context())
                quantity = line.product_uom_qty or 1.0
                uom = line.product_uom or product.uom_id
                product_qty = uom._compute_quantity(quantity, product.uom_id, raise_if_failure=False) \
                    if uom != product.uom_id else quantity
                rule = next((rule for rule in rules
                             if (not rule.date_start or rule.date_start <= date)
                             and (not rule.date_end or rule.date_end >= date)
                             and rule._is_applicable_for(product, product_qty)),
                            self.env["product.pricelist.item"])
                price = rule.with_company(line.company_id)._compute_price(
                    product, quantity, uom, date, currency=line.currency_id)
                taxes = line_c.product_id.taxes_id._filter_taxes_by_company(line.company_id)
                prices[line] = line_c.product_id._get_tax_included_unit_price_from_price(
                    price, product_taxes=taxes, fiscal_position=line.order_id.fiscal_position_id)
        return prices

    def _sales_org_approved_requests(self):
        """{line: approved request lines captured from it}, in one query."""
        approved = defaultdict(lambda: self.env["sales.price.reduction.line"])
        ids = [line._origin.id for line in self if line._origin.id]
        if not ids:
            return approved
        request_lines = self.env["sales.price.reduction.line"].sudo().search([
            ("order_line_id", "in", ids), ("state", "=", "approved"),
        ])
        by_id = {line._origin.id: line for line in self}
        for request_line in request_lines:
            approved[by_id[request_line.order_line_id.id]] |= request_line
        return approved

    def _sales_org_reduction_line_values(self, floor):
        """What a price reduction request captures of this line."""
        self.ensure_one()
        order = self.order_id
        cost = self.product_id.with_company(self.company_id).standard_price
        if cost:
            cost = self.product_id.uom_id._compute_price(cost, self.product_uom or self.product_id.uom_id)
            cost = self.company_id.currency_id._convert(
                cost, self.currency_id, self.company_id, order.date_order or fields.Date.today(), round=False)
        return {
            "sequence": self.sequence,
            "order_line_id": self.id,
            "product_id": self.product_id.id,
            "product_uom_id": self.product_uom.id,
            "quantity": self.product_uom_qty,
            "list_price": floor.list_price,
            "price_unit": self.price_unit,
            "line_discount": self.discount,
            "price": floor.price,
            "discount": floor.discount,
            "limit": floor.limit,
            "cost": cost,
        }

    def _sales_org_floor_error_lines(self, floors):
        """The lines of `self` as a readable list, with their PriceFloor of `floors`."""
        texts = []
        for line in self:
            floor = floors[line]
            discount, limit = "%.2f" % floor.discount, "%g" % floor.limit
            texts.append(self.env._(
                "- %(product)s: %(price)s, %(discount)s%% below the list price %(list_price)s (limit %(limit)s%%)",
                product=line.product_id.display_name, price=line.currency_id.format(floor.price), discount=discount,
                list_price=line.currency_id.format(floor.list_price), limit=limit,
            ))
        return "\n".join(texts)
