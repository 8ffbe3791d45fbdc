from odoo import fields, models


class AccountMove(models.Model):
    _name = "account.move"
    _inherit = ["account.move", "sales.org.guarded.mixin"]
    # kept by the collection calls (sales.collection.call), never typed on the invoice
    _sales_org_system_fields = frozenset({
        "sales_promised_payment_date", "sales_promised_amount", "sales_last_collection_date"})

    sales_promised_payment_date = fields.Date(
        string="Promised Payment Date", readonly=True, copy=False, index="btree_not_null",
        help="The day the customer last promised to pay, from the latest collection call with a promise.")
    sales_promised_amount = fields.Monetary(
        string="Promised Amount", readonly=True, copy=False, help="What the customer last promised to pay.")
    sales_last_collection_date = fields.Date(
        string="Last Collection Call", readonly=True, copy=False, help="The day of the latest collection call.")
    sales_collection_call_count = fields.Integer(
        string="Collection Calls", compute="_compute_sales_collection_call_count")

    def _compute_sales_collection_call_count(self):
        # counted for whoever reads the invoice; the calls themselves stay under their rules
        counts = dict(self.env["sales.collection.call"].sudo()._read_group(
            [("move_id", "in", self._origin.ids)], ["move_id"], ["__count"]))
        for move in self:
            move.sales_collection_call_count = counts.get(move._origin, 0)
