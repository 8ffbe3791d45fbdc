from collections import defaultdict

import pytz
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

FIGURES = ("report_count", "submitted_count", "call_count", "customer_count", "new_customer_count",
           "quotation_count", "order_count", "order_amount")


class SalesMonthlySummary(models.Model):
    """月度销售总结: a leader's month, with the figures of their units, handed up for review."""

    _name = "sales.monthly.summary"
    _inherit = ["mail.thread", "mail.activity.mixin", "sales.org.review.mixin"]
    _description = "Monthly Sales Summary"
    _order = "month desc, user_id"
    _check_company_auto = True
    _sales_org_author_fields = frozenset({"results", "problems", "next_month_plan"})
    _sales_org_create_fields = frozenset({"user_id", "company_id", "month"})

    # Description
    name = fields.Char(compute="_compute_name", store=True)
    user_id = fields.Many2one(
        "res.users", string="Manager", required=True, index=True, default=lambda self: self.env.user, readonly=True,
    )
    month = fields.Date(
        required=True, index=True, readonly=True,
        default=lambda self: fields.Date.context_today(self).replace(day=1),
        help="The first day of the month summed up.",
    )
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    # The month's figures of the author's units and below (daily reports and orders)
    people_count = fields.Integer(string="People", readonly=True)
    report_count = fields.Integer(string="Daily Reports", readonly=True)
    submitted_count = fields.Integer(string="Daily Reports Submitted", readonly=True)
    call_count = fields.Integer(string="Calls and Visits", readonly=True)
    customer_count = fields.Integer(string="Customers Reached", readonly=True)
    new_customer_count = fields.Integer(string="New Customers", readonly=True)
    quotation_count = fields.Integer(string="Quotations Sent", readonly=True)
    order_count = fields.Integer(string="Orders Confirmed", readonly=True)
    order_amount = fields.Monetary(string="Orders Amount", readonly=True)
    # The author's words
    results = fields.Html(string="Results of the Month")
    problems = fields.Html(string="Problems Met")
    next_month_plan = fields.Html(string="Plan for Next Month")

    _sql_constraints = [
        ("user_month_uniq", "unique(user_id, month)", "A manager writes one summary per month."),
    ]

    @api.depends("user_id", "month")
    def _compute_name(self):
        for summary in self:
            summary.name = f"{summary.user_id.name or ''} {summary.month.strftime('%Y-%m') if summary.month else ''}"

    @api.constrains("month")
    def _check_month(self):
        if any(summary.month.day != 1 for summary in self):
            raise ValidationError(self.env._("A monthly summary is of a month: its date is the month's first day."))

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            this_month = fields.Date.context_today(self.with_context(tz=self.env.user.tz)).replace(day=1)
            if any(fields.Date.to_date(vals["month"]) > this_month for vals in vals_list if vals.get("month")):
                raise ValidationError(self.env._("A monthly summary tells a month that has come."))
        summaries = super().create(vals_list)
        summaries._refresh_figures()
        return summaries

    def _refresh_figures(self):
        """The figures of every summary at once, in its company: a few queries whatever their number."""
        if not self:
            return
        self.env.flush_all()
        scope = {s: set(s.user_id.sudo().sales_org_user_ids.ids) - {s.user_id.id} for s in self}
        people = set().union(*scope.values())
        months = {s.month for s in self}
        by_user = defaultdict(lambda: [0] * len(FIGURES))
        if people:
            for user_id, month, company_id, *values in self.env.execute_query(SQL(
                """
                SELECT user_id, date_trunc('month', date)::date, company_id, count(*),
                       count(*) FILTER (WHERE state IN ('submitted', 'reviewed')),
                       sum(call_count + visit_count), sum(customer_count), sum(new_customer_count),
                       sum(quotation_count), 0, 0
                  FROM sales_daily_report
                 WHERE user_id IN %(people)s AND date_trunc('month', date)::date IN %(months)s
                   AND company_id IN %(companies)s
                 GROUP BY 1, 2, 3
                 UNION ALL
                SELECT user_id, date_trunc('month', date_order)::date, company_id, 0, 0, 0, 0, 0, 0,
                       count(*), sum(amount_total)
                  FROM sale_order
                 WHERE state = 'sale' AND user_id IN %(people)s AND company_id IN %(companies)s
                   AND date_trunc('month', date_order)::date IN %(months)s
                 GROUP BY 1, 2, 3
                """,
                people=tuple(people), months=tuple(months), companies=tuple(self.company_id.ids),
            )):
                totals = by_user[user_id, month, company_id]
                by_user[user_id, month, company_id] = [a + (b or 0) for a, b in zip(totals, values)]
        for summary in self:
            sums = [0] * len(FIGURES)
            for user_id in scope[summary]:
                row = by_user.get((user_id, summary.month, summary.company_id.id))
                if row:
                    sums = [a + b for a, b in zip(sums, row)]
            summary.sudo().write(dict(zip(FIGURES, sums), people_count=len(scope[summary])))

    # ------------------------------------------------------------------
    # Monthly rhythm
    # ------------------------------------------------------------------

    @api.model
    def _cron_prepare_monthly_summaries(self):
        """On the last day of the month, each leader finds a draft summary with the month's figures."""
        now = fields.Datetime.now()
        for company in self.env["res.company"].sudo().search([]):
            tz = pytz.timezone(company.resource_calendar_id.tz or company.partner_id.tz or "UTC")
            today = pytz.utc.localize(now).astimezone(tz).date()
            if (today + relativedelta(days=1)).month != today.month:
                self._prepare_monthly_summaries(company, today.replace(day=1))

    @api.model
    def _prepare_monthly_summaries(self, company, month):
        self.env.flush_all()
        leaders = [uid for uid, in self.env.execute_query(SQL(
            """
            SELECT DISTINCT m.user_id
              FROM crm_team_member m
              JOIN crm_team t ON t.id = m.crm_team_id
              JOIN res_users u ON u.id = m.user_id AND u.active
                   AND COALESCE(t.company_id, u.company_id) = %(company)s
         LEFT JOIN sales_org_role r ON r.id = m.role_id
             WHERE m.active AND t.active AND %(leads)s
               -- a summary is handed up: the top of the tree, with nobody above, writes none
               AND m.parent_member_id IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM sales_monthly_summary s WHERE s.user_id = m.user_id AND s.month = %(month)s)
            """,
            company=company.id, month=month, leads=self.env["crm.team.member"]._sql_leads(),
        ))]
        if not leaders:
            return self.browse()
        context = dict(tracking_disable=True, mail_create_nolog=True, mail_activity_quick_update=True)
        summaries = self.sudo().with_context(**context).create([
            {"user_id": uid, "month": month, "company_id": company.id} for uid in leaders
        ])
        summaries._schedule_reminders(lambda env: env._("Write your monthly summary"),
                                      month + relativedelta(months=1, days=-1))
        return summaries
