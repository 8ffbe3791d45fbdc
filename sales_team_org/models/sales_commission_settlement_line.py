from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

LINE_KINDS = [
    ("own", "Own Sale"),
    ("tier", "Tiers on the Month's Total"),
    ("accelerator", "Accelerator"),
    ("bonus", "Target Bonus"),
    ("override", "Override"),
    ("fee", "Management Fee"),
    ("slip", "Reward or Demerit Slip"),
    ("rounding", "Rounding"),
    ("adjustment", "Adjustment"),
    ("dispute", "Dispute Outcome"),
]


class SalesCommissionSettlementLine(models.Model):
    """One credit of a settlement, explained: which rule and version, which order line,
    invoice line or payment, which base, rate or tier, and why this person is credited (own
    sale, override of level N, management fee, slip). Written by the settlement run only;
    an adjustment points to the line it corrects, in its own (earlier) month."""

    _name = "sales.commission.settlement.line"
    _description = "Commission Settlement Line"
    _order = "settlement_id, period_date, kind, date, id"
    _rec_name = "source_ref"

    settlement_id = fields.Many2one("sales.commission.settlement", required=True, index=True, readonly=True,
                                    ondelete="cascade")
    user_id = fields.Many2one("res.users", string="Person", required=True, index=True, readonly=True,
                              ondelete="cascade")
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    state = fields.Selection(related="settlement_id.state")
    period_date = fields.Date(string="Month Credited", required=True, readonly=True,
                              help="The month the source belongs to; earlier than the settlement's for an adjustment.")
    date = fields.Date(readonly=True, help="The day of the order, the invoice or the payment.")
    kind = fields.Selection(LINE_KINDS, string="Why", required=True, readonly=True)
    level = fields.Integer(readonly=True, help="For an override: how many units above the sale.")
    rule_id = fields.Many2one("sales.commission.rule", string="Rule Version", readonly=True, index="btree_not_null",
                              ondelete="cascade", help="The version of the rule that credits this line.")
    source_ref = fields.Char(string="Source", required=True, readonly=True,
                             help="The source's key: one line per source, person, rule and month.")
    order_id = fields.Many2one("sale.order", readonly=True, index="btree_not_null", ondelete="set null")
    order_line_id = fields.Many2one("sale.order.line", readonly=True, ondelete="set null")
    move_id = fields.Many2one("account.move", string="Invoice", readonly=True, index="btree_not_null",
                              ondelete="set null")
    move_line_id = fields.Many2one("account.move.line", string="Invoice Line", readonly=True, ondelete="set null")
    payment_ref = fields.Many2one("account.partial.reconcile", string="Payment", readonly=True, ondelete="set null")
    slip_id = fields.Many2one("sales.slip", readonly=True, ondelete="set null")
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True, ondelete="set null")
    seller_id = fields.Many2one("res.users", string="Sold By", readonly=True, ondelete="set null")
    team_id = fields.Many2one("crm.team", string="Unit of the Sale", readonly=True, ondelete="set null")
    base_amount = fields.Monetary(string="Base", readonly=True)
    rate = fields.Float(string="Rate (%)", digits=(16, 4), readonly=True)
    amount = fields.Monetary(readonly=True, aggregator="sum")
    origin_line_id = fields.Many2one("sales.commission.settlement.line", string="Adjusts", readonly=True,
                                     index="btree_not_null", ondelete="set null")
    dispute_id = fields.Many2one("sales.commission.dispute", readonly=True, ondelete="set null")
    note = fields.Char(readonly=True)

    @api.depends("kind", "order_id", "move_id", "slip_id", "source_ref", "period_date")
    def _compute_display_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for line in self:
            source = line.sudo().order_id or line.sudo().move_id or line.sudo().slip_id
            line.display_name = self.env._(
                "%(why)s, %(document)s, %(month)s", why=kinds.get(line.kind, ""),
                document=source.display_name if source else line.source_ref or "",
                month=line.company_id._sales_org_period_name("month", line.period_date))

    def init(self):
        # one line per source, person, rule and month in a settlement, whatever runs at once
        self.env.cr.execute("""
            CREATE UNIQUE INDEX IF NOT EXISTS sales_commission_settlement_line_key
                ON sales_commission_settlement_line (settlement_id, source_ref, COALESCE(rule_id, 0), period_date)
        """)

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise AccessError(self.env._("Settlement lines are computed, never written by hand."))
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            raise AccessError(self.env._("Settlement lines are computed, never written by hand."))
        if self.filtered(lambda line: line.settlement_id.state != "draft"):
            raise UserError(self.env._("A confirmed settlement's lines never change."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_computed(self):
        if self.filtered(lambda line: line.settlement_id.state != "draft"):
            raise UserError(self.env._("A confirmed settlement's lines never change."))
        if not self.env.su:
            raise AccessError(self.env._("Settlement lines are computed, never deleted by hand."))

    def action_dispute(self):
        """Question this line: a dispute to the person's leader."""
        self.ensure_one()
        if self.user_id != self.env.user:
            raise AccessError(self.env._("Only the person credited disputes a line."))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Dispute a Line"),
            "res_model": "sales.commission.dispute",
            "view_mode": "form",
            "target": "current",
            "context": {"default_line_id": self.id},
        }
