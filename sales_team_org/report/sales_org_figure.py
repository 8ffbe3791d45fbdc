from odoo import api, fields, models
from odoo.tools import SQL

# figure -> aggregate that sums it over any group of rows
FIGURES = {
    "call_count": "call_count:sum",
    "visit_count": "visit_count:sum",
    "customer_count": "customer_ref:count_distinct",
    "new_customer_count": "new_customer_count:sum",
    "quotation_count": "quotation_count:sum",
    "order_count": "order_count:sum",
    "order_amount": "order_amount:sum",
}


class SalesOrgFigure(models.Model):
    """The sales figures, once for every screen: one row per thing a person did, on its
    company-local day, in its unit. Daily reports, monthly summaries, the board and the
    digest sum these rows; so will targets, scorecards and commissions.

    - Calls and visits: the lines of daily reports, and the calls and meetings marked done in
      CRM (on a lead or a customer) that no line records yet. A visit is a line of channel
      visit or a meeting; any other line is a call.
    - Customers reached: distinct customers (or leads without one) of those calls and visits.
    - New customers: customers (companies and people without a parent, not users or
      companies of the database) the person created.
    - Quotations sent: quotations mailed to their customer or marked as sent, once per order,
      on the day first sent, for their salesperson.
    - Orders confirmed: confirmed orders of the salesperson on their order date, and their
      untaxed amount converted to the company currency at the order's rate, as sale.report.
    - Invoiced: posted customer invoices less credit notes of the salesperson on their invoice
      date, untaxed, in the company currency (as Odoo signs them).

    A row's unit is its document's (the report's, the order's); without one (a new customer,
    a call done in CRM), the unit the person was in that day (sales.org.assignment).
    """

    _name = "sales.org.figure"
    _description = "Sales Figures"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "kind"
    _depends = {
        "sales.daily.report": ["date", "user_id", "team_id", "company_id", "state"],
        "sales.daily.report.line": ["report_id", "partner_id", "lead_id", "channel", "message_id", "satisfaction"],
        "crm.lead": ["team_id", "company_id", "partner_id"],
        "res.partner": ["parent_id", "company_id", "commercial_partner_id"],
        "mail.message": ["sales_activity_done"],
        "sale.order": ["sales_quotation_sent_date", "state", "date_order", "user_id", "team_id", "company_id", "amount_untaxed", "currency_rate"],
        "sales.org.assignment": ["user_id", "team_id", "date_from", "date_to"],
        "account.move": ["move_type", "state", "invoice_date", "invoice_user_id", "team_id", "company_id",
                         "commercial_partner_id", "amount_untaxed_signed"],
    }

    kind = fields.Selection([
        ("line", "Call or Visit Reported"),
        ("activity", "Activity Done"),
        ("customer", "New Customer"),
        ("quotation", "Quotation Sent"),
        ("order", "Order Confirmed"),
        ("invoice", "Invoiced"),
    ], readonly=True)
    date = fields.Date(readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Unit", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    lead_id = fields.Many2one("crm.lead", string="Lead/Opportunity", readonly=True)
    order_id = fields.Many2one("sale.order", readonly=True)
    customer_ref = fields.Char(string="Customer Reached", readonly=True)
    call_count = fields.Integer(string="Calls", readonly=True, aggregator="sum")
    visit_count = fields.Integer(string="Visits", readonly=True, aggregator="sum")
    new_customer_count = fields.Integer(string="New Customers", readonly=True, aggregator="sum")
    quotation_count = fields.Integer(string="Quotations Sent", readonly=True, aggregator="sum")
    order_count = fields.Integer(string="Orders Confirmed", readonly=True, aggregator="sum")
    order_amount = fields.Monetary(string="Untaxed Amount", readonly=True, aggregator="sum")
    invoiced_amount = fields.Monetary(string="Invoiced Untaxed", readonly=True, aggregator="sum")
    # customer satisfaction of calls and visits: points and ratings, averaged by whoever sums them
    satisfaction_sum = fields.Integer(string="Satisfaction Points", readonly=True, aggregator="sum")
    satisfaction_count = fields.Integer(string="Satisfaction Ratings", readonly=True, aggregator="sum")

    @property
    def _table_query(self):
        unit_on = self.env["sales.org.assignment"]._sql_unit_on

        def local(alias, column):  # a UTC timestamp's company-local date (ctz joined)
            return SQL("(%s AT TIME ZONE 'UTC' AT TIME ZONE ctz.tz)::date", SQL.identifier(alias, column))

        return SQL(
            """
            WITH ctz AS (%(tz)s)
            -- calls and visits written on daily reports
            SELECT l.id::bigint * 6 AS id, 'line' AS kind, r.date, r.user_id,
                   COALESCE(r.team_id, %(line_unit)s) AS team_id, r.company_id,
                   lp.commercial_partner_id AS partner_id, l.lead_id, NULL::int AS order_id,
                   COALESCE('p' || lp.commercial_partner_id, 'l' || l.lead_id) AS customer_ref,
                   (l.channel != 'visit')::int AS call_count, (l.channel = 'visit')::int AS visit_count,
                   0 AS new_customer_count, 0 AS quotation_count, 0 AS order_count, 0::numeric AS order_amount,
                   0::numeric AS invoiced_amount,
                   CASE WHEN r.state != 'draft' THEN COALESCE(l.satisfaction::int, 0) ELSE 0 END AS satisfaction_sum,
                   (r.state != 'draft' AND l.satisfaction IS NOT NULL)::int AS satisfaction_count
              FROM sales_daily_report_line l
              JOIN sales_daily_report r ON r.id = l.report_id
         LEFT JOIN res_partner lp ON lp.id = l.partner_id
             UNION ALL
            -- activities done in CRM that no daily-report line records yet
            SELECT act.id::bigint * 6 + 1, 'activity', act.date, act.user_id, %(act_unit)s,
                   act.company_id, act.partner_id, act.lead_id, NULL,
                   COALESCE('p' || act.partner_id, 'l' || act.lead_id),
                   (NOT act.visit)::int, act.visit::int, 0, 0, 0, 0, 0, 0, 0
              FROM (
                SELECT msg.id, %(msg_date)s AS date, u.id AS user_id, ctz.id AS company_id,
                       COALESCE(cp.commercial_partner_id, lcp.commercial_partner_id) AS partner_id, lead.id AS lead_id,
                       atype.category = 'meeting' AS visit
                  FROM mail_message msg
                  JOIN mail_activity_type atype ON atype.id = msg.mail_activity_type_id
                  JOIN res_users u ON u.id = msg.create_uid AND u.partner_id = msg.author_id
             LEFT JOIN crm_lead lead ON msg.model = 'crm.lead' AND lead.id = msg.res_id
                  JOIN ctz ON ctz.id = COALESCE(lead.company_id, u.company_id)
             LEFT JOIN res_partner lcp ON lcp.id = lead.partner_id
             LEFT JOIN res_partner cp ON msg.model = 'res.partner' AND cp.id = msg.res_id
                 WHERE msg.sales_activity_done AND msg.model IN ('crm.lead', 'res.partner')
                   AND NOT EXISTS (SELECT 1 FROM sales_daily_report_line dl WHERE dl.message_id = msg.id)
              ) act
             UNION ALL
            -- customers created
            SELECT p.id::bigint * 6 + 2, 'customer', %(partner_date)s, u.id, %(partner_unit)s,
                   COALESCE(p.company_id, u.company_id), p.id, NULL, NULL, NULL, 0, 0, 1, 0, 0, 0, 0, 0, 0
              FROM res_partner p
              JOIN res_users u ON u.id = p.create_uid AND NOT u.share
              JOIN ctz ON ctz.id = COALESCE(p.company_id, u.company_id)
             WHERE p.parent_id IS NULL
               AND NOT EXISTS (SELECT 1 FROM res_users pu WHERE pu.partner_id = p.id)
               AND NOT EXISTS (SELECT 1 FROM res_company pc WHERE pc.partner_id = p.id)
             UNION ALL
            -- quotations sent, once per order
            SELECT so.id::bigint * 6 + 3, 'quotation', %(sent_date)s, so.user_id, COALESCE(so.team_id, %(sent_unit)s),
                   so.company_id, so.partner_id, NULL, so.id, NULL, 0, 0, 0, 1, 0, 0, 0, 0, 0
              FROM sale_order so
              JOIN ctz ON ctz.id = so.company_id
             WHERE so.sales_quotation_sent_date IS NOT NULL
             UNION ALL
            -- orders confirmed, untaxed, in the company currency
            SELECT so.id::bigint * 6 + 4, 'order', %(order_date)s, so.user_id, COALESCE(so.team_id, %(order_unit)s),
                   so.company_id, so.partner_id, NULL, so.id, NULL, 0, 0, 0, 0, 1,
                   so.amount_untaxed / CASE COALESCE(so.currency_rate, 0) WHEN 0 THEN 1.0 ELSE so.currency_rate END, 0, 0, 0
              FROM sale_order so
              JOIN ctz ON ctz.id = so.company_id
             WHERE so.state = 'sale'
             UNION ALL
            -- customer invoices and credit notes posted, untaxed, in the company currency
            SELECT am.id::bigint * 6 + 5, 'invoice', am.invoice_date, am.invoice_user_id,
                   COALESCE(am.team_id, %(invoice_unit)s), am.company_id, am.commercial_partner_id, NULL, NULL, NULL,
                   0, 0, 0, 0, 0, 0, am.amount_untaxed_signed, 0, 0
              FROM account_move am
             WHERE am.state = 'posted' AND am.move_type IN ('out_invoice', 'out_refund')
            """,
            tz=self.env["res.company"]._sql_sales_org_tz(),
            line_unit=unit_on(SQL("r.user_id"), SQL("r.date")),
            act_unit=unit_on(SQL("act.user_id"), SQL("act.date")),
            msg_date=local("msg", "date"),
            partner_date=local("p", "create_date"),
            partner_unit=unit_on(SQL("u.id"), local("p", "create_date")),
            sent_date=local("so", "sales_quotation_sent_date"),
            sent_unit=unit_on(SQL("so.user_id"), local("so", "sales_quotation_sent_date")),
            order_date=local("so", "date_order"),
            order_unit=unit_on(SQL("so.user_id"), local("so", "date_order")),
            invoice_unit=unit_on(SQL("am.invoice_user_id"), SQL("am.invoice_date")),
        )

    @api.model
    def _read_group(self, domain, groupby=(), aggregates=(), having=(), offset=0, limit=None, order=None):
        # The per-row fallback to the person's unit inflates the planner's estimate past
        # PostgreSQL's JIT threshold: compiling then costs seconds for a query that runs in
        # under one (measured on the bench data). Off for this transaction.
        self.env.cr.execute("SET LOCAL jit = off")
        return super()._read_group(domain, groupby, aggregates, having, offset, limit, order)

    @api.model
    def _sum(self, domain, groupby):
        """{group: {figure: value}} of the rows matching `domain`, in one query, with the
        caller's access; a group is the tuple of `groupby` values (ids for relations)."""
        result = {}
        for group in self._read_group(domain, groupby, list(FIGURES.values())):
            key = tuple(value.id if isinstance(value, models.BaseModel) else value for value in group[:len(groupby)])
            result[key] = dict(zip(FIGURES, (value or 0 for value in group[len(groupby):])))
        return result

    @api.model
    def _store(self, records, values):
        """Write the figures `values` ({record: {field: value}}) of documents that keep them, in
        one UPDATE whatever their number: figures are the system's, never the users'."""
        if not values:
            return
        columns = sorted(next(iter(values.values())))
        records.flush_recordset(columns)
        self.env.cr.execute(SQL(
            "UPDATE %(table)s t SET %(sets)s FROM (VALUES %(rows)s) AS v(id, %(columns)s) WHERE t.id = v.id",
            table=SQL.identifier(records._table),
            sets=SQL(", ").join(SQL("%s = v.%s", SQL.identifier(c), SQL.identifier(c)) for c in columns),
            rows=SQL(", ").join(
                SQL("(%s, %s)", record.id, SQL(", ").join(SQL("%s", row[c]) for c in columns))
                for record, row in values.items()
            ),
            columns=SQL(", ").join(SQL.identifier(c) for c in columns),
        ))
        records.invalidate_recordset(columns)
