from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

STATES = [("draft", "Draft"), ("confirmed", "Confirmed"), ("paid", "Paid")]


class SalesCommissionSettlement(models.Model):
    """A person's commissions and bonuses of one company-local month: draft while the month is
    computed (and computed again, always to the same lines), confirmed by the sales
    administrator, then paid. Once confirmed nothing in it changes: what changes later
    (an order, a credit note, a cancellation, a corrected rule, a dispute) becomes an
    adjustment line of the next open month pointing to the original line."""

    _name = "sales.commission.settlement"
    _inherit = ["mail.thread"]
    _description = "Commission Settlement"
    _order = "date_from desc, user_id, id"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name")
    user_id = fields.Many2one("res.users", string="Person", required=True, index=True, readonly=True,
                              ondelete="restrict")
    team_id = fields.Many2one("crm.team", string="Unit", readonly=True, index="btree_not_null",
                              ondelete="set null", help="The person's unit on the month's last day.")
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    date_from = fields.Date(string="Month", required=True, readonly=True, index=True)
    date_to = fields.Date(required=True, readonly=True)
    state = fields.Selection(STATES, string="Status", required=True, default="draft", readonly=True, index=True,
                             tracking=True, copy=False)
    line_ids = fields.One2many("sales.commission.settlement.line", "settlement_id", string="Lines", readonly=True)
    amount_total = fields.Monetary(string="Total", readonly=True, aggregator="sum")
    line_count = fields.Integer(readonly=True)
    confirm_uid = fields.Many2one("res.users", string="Confirmed By", readonly=True)
    confirm_date = fields.Datetime(string="Confirmed On", readonly=True)
    paid_date = fields.Date(string="Paid On", readonly=True)
    dispute_ids = fields.One2many("sales.commission.dispute", "settlement_id", string="Disputes", readonly=True)

    _sql_constraints = [("person_month_uniq", "UNIQUE (company_id, user_id, date_from)",
                         "A person has one settlement per month.")]

    @api.depends("user_id", "date_from")
    def _compute_name(self):
        for settlement in self:
            settlement.name = self.env._(
                "%(person)s, %(month)s", person=settlement.user_id.name or "",
                month=settlement.date_from and settlement.company_id._sales_org_period_name(
                    "month", settlement.date_from) or "")

    @api.depends("name")
    def _compute_display_name(self):
        for settlement in self:
            settlement.display_name = settlement.name

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise AccessError(self.env._("Settlements are computed, never written by hand."))
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            raise AccessError(self.env._("Settlements change only through Compute, Confirm and Mark as Paid."))
        return super().write(vals)

    def unlink(self):
        if self.filtered(lambda settlement: settlement.state != "draft"):
            raise UserError(self.env._("A confirmed settlement is kept: what changes later is adjusted in the next "
                                       "month."))
        if not self.env.su:
            raise AccessError(self.env._("Settlements are computed, never deleted by hand."))
        return super().unlink()

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def _check_administrator(self):
        if not self.env.user.has_group("sales_team.group_sale_manager"):
            raise AccessError(self.env._("Only the sales administrator confirms settlements and marks them paid."))

    def action_confirm(self):
        self._check_administrator()
        if self.filtered(lambda settlement: settlement.state != "draft"):
            raise UserError(self.env._("Only draft settlements are confirmed."))
        open_disputes = self.dispute_ids.filtered(lambda dispute: dispute.state == "submitted")
        if open_disputes:
            raise UserError(self.env._("%(settlement)s has a dispute waiting for a decision.",
                                       settlement=open_disputes[0].settlement_id.display_name))
        self.sudo().write({"state": "confirmed", "confirm_uid": self.env.uid, "confirm_date": fields.Datetime.now()})
        return True

    def action_mark_paid(self):
        self._check_administrator()
        if self.filtered(lambda settlement: settlement.state != "confirmed"):
            raise UserError(self.env._("Only confirmed settlements are paid."))
        for company, settlements in self.grouped("company_id").items():
            settlements.sudo().write({"state": "paid", "paid_date": company._sales_org_today()})
        return True

    def action_print_statement(self):
        return self.env.ref("sales_team_org.action_report_sales_commission_statement").report_action(self)
