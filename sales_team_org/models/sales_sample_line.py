from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .sales_org_guard import check_system_fields


class SalesSampleLine(models.Model):
    """An item of a sample or catalogue sent, with what it cost in the company's currency. The
    customer, unit, company and day are the sample's, stored for the cost analysis."""

    _name = "sales.sample.line"
    _inherit = ["sales.org.guarded.mixin"]
    _description = "Item of a Sample Sent"
    _order = "sample_id, sequence, id"
    _check_company_auto = True
    _sales_org_system_fields = frozenset({
        "user_id", "partner_id", "team_id", "company_id", "date", "state", "kind", "subtotal",
    })

    sample_id = fields.Many2one("sales.sample", required=True, index=True, ondelete="cascade")
    sequence = fields.Integer(default=10)
    product_id = fields.Many2one("product.product", index="btree_not_null", check_company=True)
    description = fields.Char(
        compute="_compute_from_product", store=True, readonly=False, precompute=True, required=True,
    )
    quantity = fields.Float(default=1.0, digits="Product Unit of Measure", required=True)
    unit_cost = fields.Monetary(
        compute="_compute_from_product", store=True, readonly=False, precompute=True,
        currency_field="currency_id", help="In the company's currency; the product's cost by default.",
    )
    subtotal = fields.Monetary(string="Cost", compute="_compute_subtotal", store=True, currency_field="currency_id")
    # the sample's, for the cost analysis and the record rules
    user_id = fields.Many2one(related="sample_id.user_id", store=True, index=True, string="Sent By")
    partner_id = fields.Many2one(related="sample_id.partner_id", store=True, index=True, string="Customer")
    team_id = fields.Many2one(related="sample_id.team_id", store=True, index="btree_not_null", string="Unit")
    company_id = fields.Many2one(related="sample_id.company_id", store=True, index=True)
    date = fields.Date(related="sample_id.date_sent", store=True, string="Sent On")
    state = fields.Selection(related="sample_id.state", store=True, string="Status")
    kind = fields.Selection(related="sample_id.kind", store=True)
    currency_id = fields.Many2one(related="sample_id.company_id.currency_id")

    @api.depends("product_id")
    def _compute_from_product(self):
        for line in self:
            if not line.product_id:
                continue
            line.description = line.product_id.display_name
            company = line.sample_id.company_id or self.env.company
            line.unit_cost = line.product_id.with_company(company).sudo().standard_price

    @api.depends("quantity", "unit_cost", "currency_id")
    def _compute_subtotal(self):
        for line in self:
            subtotal = line.quantity * line.unit_cost
            line.subtotal = line.currency_id.round(subtotal) if line.currency_id else subtotal

    @api.constrains("quantity", "unit_cost")
    def _check_quantity_cost(self):
        for line in self:
            if line.quantity <= 0:
                raise ValidationError(self.env._(
                    "Send at least something of %(item)s: its quantity must be above zero.",
                    item=line.description,
                ))
            if line.unit_cost < 0:
                raise ValidationError(self.env._(
                    "%(item)s cannot cost less than nothing: its unit cost is zero or more.",
                    item=line.description,
                ))

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            self.env["sales.sample"].browse({vals.get("sample_id") for vals in vals_list} - {None})._check_lines_open()
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            check_system_fields(self, vals, self._sales_org_system_fields | {"sample_id"})
            self.sample_id._check_lines_open()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_in_drafts(self):
        if not self.env.su:
            self.sample_id._check_lines_open()

