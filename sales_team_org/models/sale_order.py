from odoo import api, fields, models


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "sales.org.guarded.mixin"]
    _sales_org_system_fields = frozenset({"sales_quotation_sent_date"})

    # Odoo's "Send by Email" posts a plain comment and changes the state untracked: the figures
    # count a quotation sent from this date, set once by the server.
    sales_quotation_sent_date = fields.Datetime(string="Quotation First Sent", readonly=True, copy=False,
                                                index="btree_not_null")

    def action_quotation_sent(self):
        res = super().action_quotation_sent()
        self._sales_org_mark_sent()
        return res

    @api.returns("mail.message", lambda value: value.id)
    def message_post(self, **kwargs):
        # a quotation (not a confirmed order) mailed to its customer as a comment, not a note
        quotations = self.filtered(lambda order: order.state in ("draft", "sent"))
        message = super().message_post(**kwargs)
        if self.env.context.get("mark_so_as_sent") and message and message.message_type == "comment" \
                and message.subtype_id == self.env.ref("mail.mt_comment") \
                and quotations.partner_id & message.sudo().partner_ids:
            quotations._sales_org_mark_sent()
        return message

    def _sales_org_mark_sent(self):
        self.filtered(lambda order: not order.sales_quotation_sent_date).sudo().sales_quotation_sent_date = \
            fields.Datetime.now()
