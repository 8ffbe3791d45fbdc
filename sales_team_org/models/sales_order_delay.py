from odoo import api, fields, models
from odoo.tools import format_date


class SalesOrderDelay(models.Model):
    """A delay of a confirmed order told to its customer: when, by whom, from which date to which,
    why and what the customer was told. History, written by the delay assistant only."""

    _name = "sales.order.delay"
    _description = "Order Delivery Delay"
    _order = "date desc, id desc"
    _rec_name = "order_id"
    _check_company_auto = True

    order_id = fields.Many2one("sale.order", required=True, readonly=True, index=True,
                               ondelete="cascade", check_company=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True, index=True)
    team_id = fields.Many2one("crm.team", string="Unit", readonly=True, index="btree_not_null")
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    user_id = fields.Many2one("res.users", string="Declared By", required=True, readonly=True, index=True)
    date = fields.Datetime(string="Declared On", required=True, readonly=True, default=fields.Datetime.now)
    old_date = fields.Datetime(string="Promised Date", readonly=True)
    new_date = fields.Datetime(required=True, readonly=True)
    reason = fields.Text(required=True, readonly=True)
    message = fields.Html(string="Message to the Customer", readonly=True, sanitize_style=True)
    days = fields.Integer(string="Days Late", compute="_compute_days")

    @api.depends("new_date", "reason")
    def _compute_display_name(self):
        # on the follow-up board: the date now promised and why
        for delay in self:
            reason = (delay.reason or "").strip().splitlines()
            delay.display_name = " · ".join(filter(None, [
                delay.new_date and format_date(self.env, fields.Datetime.context_timestamp(delay, delay.new_date)),
                reason[0] if reason else ""]))

    def _compute_days(self):
        for delay in self:
            delay.days = (delay.new_date - delay.old_date).days if delay.old_date else 0
