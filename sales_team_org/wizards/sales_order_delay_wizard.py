from datetime import datetime, time

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date, is_html_empty


class SalesOrderDelayWizard(models.TransientModel):
    """Declare a delay of a confirmed order: its new date, why, and the message the customer
    gets, written from a template in the customer's language and editable before it is sent."""

    _name = "sales.order.delay.wizard"
    _description = "Declare an Order Delay"

    # read and written as the user: the wizard shows nothing of an order they do not follow
    order_id = fields.Many2one("sale.order", required=True, readonly=True, ondelete="cascade")
    partner_id = fields.Many2one(related="order_id.partner_id", string="Customer", compute_sudo=False)
    old_date = fields.Datetime(related="order_id.sales_promised_date", string="Promised Date", compute_sudo=False)
    new_date = fields.Date(required=True)
    reason = fields.Text(required=True, help="Why the order is late: kept on the order's history of delays.")
    message = fields.Html(
        string="Message to the Customer", compute="_compute_message", store=True, readonly=False,
        compute_sudo=False, sanitize_style=True, help="Sent to the customer from the order's chatter, by e-mail.")

    @api.model_create_multi
    def create(self, vals_list):
        wizards = super().create(vals_list)
        wizards.order_id._sales_followup_check_follower()
        return wizards

    def write(self, vals):
        if "order_id" in vals and any(wizard.order_id.id != vals["order_id"] for wizard in self):
            raise UserError(self.env._("A delay is declared on the order it was opened from."))
        return super().write(vals)

    @api.depends("order_id", "new_date")
    def _compute_message(self):
        # also where the form opens (onchange), before anything is read of the order
        self.order_id._sales_followup_check_follower()
        template = self.env.ref("sales_team_org.mail_template_sale_order_delay", raise_if_not_found=False)
        for wizard in self:
            if not (template and wizard.order_id and wizard.new_date):
                wizard.message = wizard.message or False
                continue
            # rendered in the customer's language, the date written as they write it
            wizard.message = template._render_field(
                "body_html", wizard.order_id.ids, compute_lang=True,
                add_context={"new_date": wizard.new_date})[wizard.order_id.id]

    def _local_datetime(self, day):
        """`day` at the time of day the order was promised (noon when it was not), in the company's
        time zone, as the naive UTC datetime Odoo stores."""
        tz = self.order_id.company_id._sales_org_tz()
        old = self.order_id.sales_promised_date
        at = pytz.utc.localize(old).astimezone(tz).time() if old else time(12)
        return tz.localize(datetime.combine(day, at)).astimezone(pytz.utc).replace(tzinfo=None)

    def action_declare(self):
        """Move the order's delivery date, keep the delay on record, tell the customer and flag the
        order's unit leader."""
        self.ensure_one()
        order = self.order_id
        order._sales_followup_check_follower()
        company = order.company_id
        today = company._sales_org_today()
        if not self.new_date or self.new_date <= today:
            raise ValidationError(self.env._(
                "The new date of %(order)s must come after today (%(today)s): a delay gives the customer a date still "
                "to come.", order=order.name, today=format_date(self.env, today)))
        old = order.sales_promised_date
        old_day = old and pytz.utc.localize(old).astimezone(company._sales_org_tz()).date()
        if old_day and self.new_date <= old_day:
            raise ValidationError(self.env._(
                "%(order)s is promised for %(old)s: a delay moves it later, not to %(new)s.",
                order=order.name, old=format_date(self.env, old_day), new=format_date(self.env, self.new_date)))
        if not (self.reason or "").strip():
            raise ValidationError(self.env._("Say why %(order)s is late.", order=order.name))
        if is_html_empty(self.message):
            raise ValidationError(self.env._(
                "Write the message telling the customer of %(order)s about the delay.", order=order.name))
        new = self._local_datetime(self.new_date)
        order.sudo().commitment_date = new  # refused to a user's write of a confirmed order
        self.env["sales.order.delay"].sudo().create({
            "order_id": order.id, "partner_id": order.partner_id.id, "team_id": order.team_id.id,
            "company_id": company.id, "user_id": self.env.uid, "old_date": old, "new_date": new,
            "reason": self.reason, "message": self.message,
        })
        order.message_post(body=self.message, partner_ids=order.partner_id.ids, message_type="comment",
                           subtype_xmlid="mail.mt_comment")
        leader = order._sales_followup_leader(skip=self.env.user)
        if leader:
            env = self.with_context(lang=leader.lang or self.env.lang).env
            order.activity_schedule(
                "mail.mail_activity_data_todo", user_id=leader.id, note=self.reason,
                summary=env._("Delivery delayed: new date %(date)s", date=format_date(env, self.new_date)))
        return {"type": "ir.actions.act_window_close"}
