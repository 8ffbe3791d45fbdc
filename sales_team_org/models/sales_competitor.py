from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

from .sales_org_guard import MAIL_FIELDS


class SalesCompetitor(models.Model):
    """竞争对手: a company selling against us, with what the sales force learns about it (its
    products, its sales positioning, its strengths and weaknesses). Kept by the unit leaders and
    the sales administrator; every salesperson reads it and reports market information on it."""

    _name = "sales.competitor"
    _inherit = ["mail.thread", "sales.org.guarded.mixin"]
    _description = "Competitor"
    _order = "name"
    _check_company_auto = True
    # its market information is reported on it, never taken off it from here
    _sales_org_system_fields = frozenset({"market_info_ids"}) | MAIL_FIELDS

    name = fields.Char(required=True, tracking=True)
    website = fields.Char()
    partner_id = fields.Many2one(
        "res.partner", string="Contact", index="btree_not_null", check_company=True,
        help="The competitor as a contact, when it is one (a supplier of our customers, say).",
    )
    product_info = fields.Text(string="Products", help="What they sell: product lines, brands, price range.")
    positioning = fields.Text(
        string="Sales Positioning", help="Their sales positioning model: target customers, channels, pricing policy.",
    )
    strengths = fields.Text()
    weaknesses = fields.Text()
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", index=True, default=lambda self: self.env.company,
        help="Leave empty to share the competitor between the companies.",
    )
    market_info_ids = fields.One2many("sales.market.info", "competitor_id", string="Market Information")
    market_info_count = fields.Integer(compute="_compute_market_info_count")

    _sql_constraints = [
        ("name_company_uniq", "unique(name, company_id)", "This competitor is on the list already."),
    ]

    @api.constrains("name", "company_id")
    def _check_shared_name(self):
        # the unique constraint lets shared ones (no company) repeat: PostgreSQL's NULLs differ
        shared = self.filtered(lambda competitor: not competitor.company_id)
        names = shared.mapped("name")
        if len(set(names)) < len(names) or shared and self.sudo().with_context(active_test=False).search_count([
                ("id", "not in", shared.ids), ("company_id", "=", False), ("name", "in", names)], limit=1):
            raise ValidationError(self.env._("This competitor is on the list already."))

    @api.depends("market_info_ids")
    @api.depends_context("uid")
    def _compute_market_info_count(self):
        # what the reader may read of it
        counts = dict(self.env["sales.market.info"]._read_group(
            [("competitor_id", "in", self.ids)], ["competitor_id"], ["__count"]))
        for competitor in self:
            competitor.market_info_count = counts.get(competitor, 0)

    def write(self, vals):
        if "company_id" in vals and not self.env.su and not self.env.user.has_group("sales_team.group_sale_manager"):
            raise AccessError(self.env._("Only the sales administrator moves a competitor to another company."))
        return super().write(vals)

    def action_view_market_info(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id("sales_team_org.sales_market_info_action")
        return dict(action, domain=[("competitor_id", "=", self.id)],
                    context={"default_competitor_id": self.id})
