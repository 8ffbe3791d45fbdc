from markupsafe import Markup

from odoo import models


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"

    def _check_amount_and_confirm_order(self):
        """A quotation paid online while its prices wait for approval stays a quotation: the
        payment is kept and the salesperson confirms it once the price reduction is approved
        (raising here would leave the payment unprocessed, retried by the cron for ever)."""
        quotations = self.sale_order_ids.filtered(lambda order: order.state in ("draft", "sent"))
        blocked = quotations._sales_org_price_blocked()
        if not blocked:
            return super()._check_amount_and_confirm_order()
        held = self.filtered(lambda tx: len(tx.sale_order_ids) == 1 and tx.sale_order_ids in blocked)
        for order in held.sale_order_ids:
            order.message_post(body=Markup("<p>%s</p>") % self.env._(
                "Paid online, not confirmed: prices below the salesperson's limit wait for an approved "
                "price reduction. Confirm the order once it is approved."), message_type="notification",
                subtype_xmlid="mail.mt_note")
        return super(PaymentTransaction, self - held)._check_amount_and_confirm_order()
