from collections import defaultdict

from babel.dates import format_skeleton
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL
from odoo.tools.misc import babel_locale_parse, get_lang


def format_month(env, month):
    """A month as its readers write it: 2026年11月, November 2026."""
    return format_skeleton("yMMMM", month, locale=babel_locale_parse(get_lang(env).code))


FIGURES = ("report_count", "submitted_count", "call_count", "customer_count", "new_customer_count",
           "quotation_count", "order_count", "order_amount")


class SalesMonthlySummary(models.Model):
    """月度销售总结: a leader's month, with the figures of their units, handed up for review."""

    _name = "sales.monthly.summary"
    _inherit = ["sales.org.review.mixin"]
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
        default=lambda self: self.env.company._sales_org_today().replace(day=1),
        help="The first day of the month summed up.",
    )
    month_label = fields.Char(string="Summary Month", compute="_compute_month_label")
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    # The month's figures of the author's units and below (daily reports and orders)
    people_count = fields.Integer(string="People", readonly=True, copy=False)
    report_count = fields.Integer(string="Daily Reports", readonly=True, copy=False)
    submitted_count = fields.Integer(string="Daily Reports Submitted", readonly=True, copy=False)
    call_count = fields.Integer(string="Calls and Visits", readonly=True, copy=False)
    customer_count = fields.Integer(string="Customers Reached", readonly=True, copy=False)
    new_customer_count = fields.Integer(string="New Customers", readonly=True, copy=False)
    quotation_count = fields.Integer(string="Quotations Sent", readonly=True, copy=False)
    order_count = fields.Integer(string="Orders Confirmed", readonly=True, copy=False)
    order_amount = fields.Monetary(string="Orders Amount", readonly=True, copy=False)
    # The author's words
    results = fields.Html(string="Results of the Month")
    problems = fields.Html(string="Problems Met")
    next_month_plan = fields.Html(string="Plan for Next Month")
    market_info_ids = fields.Many2many(
        "sales.market.info", string="Market Information", compute="_compute_market_info_ids",
        help="What the people of the author's units learnt of the market during the month.",
    )

    _sql_constraints = [
        ("user_month_uniq", "unique(user_id, month)", "A manager writes one summary per month."),
    ]

    @api.depends("user_id", "month")
    def _compute_name(self):
        for summary in self:
            summary.name = f"{summary.user_id.name or ''} {summary.month.strftime('%Y-%m') if summary.month else ''}"

    @api.depends("month")
    @api.depends_context("lang")
    def _compute_month_label(self):
        for summary in self:
            summary.month_label = summary.month and format_month(self.env, summary.month)

    @api.depends("user_id", "month", "company_id")
    @api.depends_context("uid")
    def _compute_market_info_ids(self):
        # the units each author leads and below, as for the figures; one search for them all
        self.user_id.sudo().mapped("sales_org_team_ids")
        requests = [
            (summary, summary.user_id.sudo().sales_org_team_ids.ids, summary.company_id.id, summary.month,
             summary.month + relativedelta(months=1, days=-1))
            for summary in self if summary.user_id and summary.month and summary.company_id
        ]
        feeds = self.env["sales.market.info"]._feed(requests)
        for summary in self:
            summary.market_info_ids = feeds.get(summary, self.env["sales.market.info"])

    @api.onchange("user_id", "month", "company_id")
    def _onchange_figures(self):
        # a new summary shows its figures before it is saved (creating it stores them); only
        # one's own, as only one's own is created
        new = self.filtered(lambda summary: not summary._origin and summary.user_id == self.env.user
                            and summary.company_id and summary.month and summary.month.day == 1
                            and summary.month <= summary.company_id._sales_org_today())
        for summary, values in new._figures().items():
            summary.update(values)

    @api.constrains("month")
    def _check_month(self):
        if any(summary.month.day != 1 for summary in self):
            raise ValidationError(self.env._("A monthly summary is of a month: its date is the month's first day."))

    @api.model_create_multi
    def create(self, vals_list):
        summaries = super().create(vals_list)
        if any(summary.month > summary.company_id._sales_org_today() for summary in summaries):
            raise ValidationError(self.env._("A monthly summary tells a month that has come."))
        summaries._refresh_figures()
        return summaries

    def _action_review_list(self):
        action = self.env["ir.actions.act_window"]._for_xml_id("sales_team_org.sales_monthly_summary_action")
        return dict(action, context={"search_default_to_review": 1})

    def _refresh_figures(self):
        self.env["sales.org.figure"]._store(self, self._figures())

    def _figures(self):
        """{summary: {field: value}}: the month's figures of the units each author leads and of
        the units below, whoever did them: a figure stays with the unit it was booked in when its
        person moves. A few queries whatever the number of summaries."""
        if not self:
            return {}
        self.env.flush_all()
        units = {s: s.user_id.sudo().sales_org_team_ids for s in self}
        all_units = self.env["crm.team"].union(*units.values())
        start, end = min(self.mapped("month")), max(self.mapped("month")) + relativedelta(months=1)
        figures = defaultdict(lambda: dict.fromkeys(FIGURES, 0))
        if all_units:
            unit_on = self.env["sales.org.assignment"]._sql_unit_on(SQL("r.user_id"), SQL("r.date"))
            for team_id, month, company_id, count, submitted in self.env.execute_query(SQL(
                """
                SELECT team_id, date_trunc('month', date)::date, company_id, count(*),
                       count(*) FILTER (WHERE state IN ('submitted', 'reviewed'))
                  FROM (SELECT COALESCE(r.team_id, %(unit_on)s) AS team_id, r.date, r.company_id, r.state
                          FROM sales_daily_report r
                         WHERE r.date >= %(start)s AND r.date < %(end)s AND r.company_id IN %(companies)s) r
                 WHERE team_id IN %(units)s
                 GROUP BY 1, 2, 3
                """,
                unit_on=unit_on, start=start, end=end, companies=tuple(self.company_id.ids),
                units=tuple(all_units.ids),
            )):
                figures[team_id, month, company_id].update(report_count=count, submitted_count=submitted)
            for (team_id, month, company_id), values in self.env["sales.org.figure"].sudo()._sum([
                ("team_id", "in", all_units.ids), ("date", ">=", start), ("date", "<", end),
                ("company_id", "in", self.company_id.ids),
            ], ["team_id", "date:month", "company_id"]).items():
                values = dict(values, call_count=values["call_count"] + values["visit_count"])
                figures[team_id, month, company_id].update({f: values[f] for f in FIGURES if f in values})
        values = {}
        for summary in self:
            sums = dict.fromkeys(FIGURES, 0)
            for team_id in units[summary].ids:
                row = figures.get((team_id, summary.month, summary.company_id.id))
                for figure in FIGURES if row else ():
                    sums[figure] += row[figure]
            people = set(summary.user_id.sudo().sales_org_user_ids.ids) - {summary.user_id.id}
            values[summary] = dict(sums, people_count=len(people))
        return values

    # ------------------------------------------------------------------
    # Monthly rhythm
    # ------------------------------------------------------------------

    @api.model
    def _cron_prepare_monthly_summaries(self):
        """On the last day of the month, each leader finds a draft summary with the month's figures."""
        for company in self.env["res.company"].sudo().search([]):
            today = company._sales_org_today()
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
        summaries = self._bulk_create([{"user_id": uid, "month": month, "company_id": company.id} for uid in leaders])
        summaries._schedule_reminders(lambda env: env._("Write your monthly summary"),
                                      month + relativedelta(months=1, days=-1))
        return summaries
