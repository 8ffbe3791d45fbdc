from odoo import api, fields, models
from odoo.tools import SQL

AGE_BUCKETS = [
    ("not_due", "Not Due"),
    ("1_30", "1-30 Days"),
    ("31_60", "31-60 Days"),
    ("61_90", "61-90 Days"),
    ("over_90", "Over 90 Days"),
]


class SalesCollectionReport(models.Model):
    """The collections board (应收账款催收): one row per open posted customer invoice (something
    still to collect), for its salesperson, with how late it is (the company's day), the latest
    promise and the collection calls made. Amounts in the company currency, as Odoo signs them."""

    _name = "sales.collection.report"
    _description = "Collections Board"
    _auto = False
    _order = "days_overdue desc, invoice_date_due, id"
    _rec_name = "move_id"
    _depends = {
        "account.move": ["move_type", "state", "invoice_user_id", "team_id", "commercial_partner_id", "company_id",
                         "invoice_date", "invoice_date_due", "amount_total_signed", "amount_residual",
                         "amount_residual_signed", "sales_promised_payment_date", "sales_promised_amount"],
        "sales.collection.call": ["move_id", "date", "promised_date", "promised_residual"],
    }

    move_id = fields.Many2one("account.move", string="Invoice", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Unit", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    invoice_date = fields.Date(readonly=True)
    invoice_date_due = fields.Date(string="Due Date", readonly=True)
    days_overdue = fields.Integer(readonly=True, aggregator="max",
                                  help="Days since the due date, in the company's time zone; 0 while not due.")
    overdue = fields.Boolean(string="Is Overdue", readonly=True)
    age_bucket = fields.Selection(AGE_BUCKETS, string="Age", readonly=True)
    amount_total = fields.Monetary(string="Invoiced", readonly=True, aggregator="sum")
    amount_residual = fields.Monetary(string="Amount Due", readonly=True, aggregator="sum")
    amount_overdue = fields.Monetary(readonly=True, aggregator="sum")
    promised_date = fields.Date(string="Promised Payment Date", readonly=True)
    promised_amount = fields.Monetary(readonly=True, aggregator="sum",
                                      help="In the company currency, at the rate of the amount due.")
    promise_broken = fields.Boolean(
        readonly=True, help="The promised day has passed and less than the promised amount was paid since the promise.")
    call_count = fields.Integer(string="Collection Calls", readonly=True, aggregator="sum")
    last_call_date = fields.Date(string="Last Call", readonly=True)

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT r.*,
                   CASE WHEN r.days_overdue = 0 THEN 'not_due'
                        WHEN r.days_overdue <= 30 THEN '1_30'
                        WHEN r.days_overdue <= 60 THEN '31_60'
                        WHEN r.days_overdue <= 90 THEN '61_90'
                        ELSE 'over_90' END AS age_bucket,
                   r.days_overdue > 0 AS overdue,
                   CASE WHEN r.days_overdue > 0 THEN r.amount_residual ELSE 0 END AS amount_overdue
              FROM (SELECT am.id, am.id AS move_id, am.invoice_user_id AS user_id, am.team_id,
                           am.commercial_partner_id AS partner_id, am.company_id, c.currency_id,
                           am.invoice_date, am.invoice_date_due,
                           GREATEST(co.today - COALESCE(am.invoice_date_due, am.invoice_date), 0) AS days_overdue,
                           am.amount_total_signed AS amount_total, am.amount_residual_signed AS amount_residual,
                           am.sales_promised_payment_date AS promised_date,
                           ROUND(am.sales_promised_amount * am.amount_residual_signed / am.amount_residual,
                                 cur.decimal_places) AS promised_amount,
                           COALESCE(am.sales_promised_payment_date < co.today AND am.amount_residual
                                    > COALESCE(calls.promised_residual - am.sales_promised_amount, 0), FALSE)
                               AS promise_broken,
                           COALESCE(calls.call_count, 0) AS call_count, calls.last_call_date
                      FROM account_move am
                      JOIN res_company c ON c.id = am.company_id
                      JOIN res_currency cur ON cur.id = c.currency_id
                      JOIN (%(companies)s) co ON co.id = am.company_id
                 LEFT JOIN (SELECT move_id, count(*) AS call_count, max(date) AS last_call_date,
                                   -- what was due when the latest promise (the invoice's) was made
                                   (array_agg(promised_residual ORDER BY id DESC)
                                       FILTER (WHERE promised_date IS NOT NULL))[1] AS promised_residual
                              FROM sales_collection_call GROUP BY move_id) calls ON calls.move_id = am.id
                     WHERE am.move_type = 'out_invoice' AND am.state = 'posted' AND am.amount_residual > 0) r
            """,
            companies=self.env["res.company"]._sql_sales_org_tz(),
        )

    @api.model
    def _read_group(self, domain, groupby=(), aggregates=(), having=(), offset=0, limit=None, order=None):
        self.env.cr.execute("SET LOCAL jit = off")  # as sales.org.figure: compiling costs more than running
        return super()._read_group(domain, groupby, aggregates, having, offset, limit, order)

    def action_open_invoice(self):
        """The row's invoice, opened as Odoo's rules on invoices let the reader see it."""
        self.ensure_one()
        self.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "view_mode": "form",
            "views": [(self.env.ref("account.view_move_form").id, "form")],
            "res_id": self.move_id.id,
        }
