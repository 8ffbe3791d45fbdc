from collections import defaultdict

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_date

from ..models.sales_complaint import SEVERITIES


class SalesComplaintReport(models.Model):
    """One row per submitted complaint, for the monthly analysis per region: what the customers complained
    about, how much they claimed, how fast it was closed, which actions are still open. Read
    under the complaints' own record rules (the rows carry the fields they test)."""

    _name = "sales.complaint.report"
    _description = "Complaint Analysis"
    _auto = False
    _order = "month desc, id desc"

    complaint_id = fields.Many2one("sales.complaint", readonly=True)
    name = fields.Char(string="Reference", readonly=True)
    month = fields.Date(readonly=True, help="The first day of the complaint's month.")
    date = fields.Date(readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    region_id = fields.Many2one("sales.org.region", readonly=True)
    team_id = fields.Many2one("crm.team", string="Unit", readonly=True)
    service_team_id = fields.Many2one("crm.team", string="Service Unit", readonly=True)
    responsible_id = fields.Many2one("res.users", readonly=True)
    category_id = fields.Many2one("sales.complaint.category", readonly=True)
    severity = fields.Selection(SEVERITIES, readonly=True)
    state = fields.Selection(
        [("draft", "Draft"), ("open", "Open"), ("in_progress", "In Progress"), ("closed", "Closed"),
         ("cancelled", "Cancelled")], string="Status", readonly=True,
    )
    is_closed = fields.Boolean(string="Closed", readonly=True)
    claim_amount = fields.Monetary(string="Amount Claimed", readonly=True, currency_field="currency_id")
    currency_id = fields.Many2one("res.currency", readonly=True)
    action_count = fields.Integer(string="Actions", readonly=True)
    open_action_count = fields.Integer(string="Open Actions", readonly=True)
    days_to_close = fields.Integer(string="Days to Close", readonly=True, aggregator="avg")
    company_id = fields.Many2one("res.company", readonly=True)
    user_id = fields.Many2one("res.users", string="Reported By", readonly=True)

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT c.id, c.id AS complaint_id, c.name, date_trunc('month', c.date)::date AS month, c.date,
                   c.partner_id, c.region_id, c.team_id, c.service_team_id, c.responsible_id, c.category_id,
                   c.severity, c.state, c.state = 'closed' AS is_closed, c.claim_amount, company.currency_id,
                   COALESCE(a.action_count, 0) AS action_count, COALESCE(a.open_action_count, 0) AS open_action_count,
                   CASE WHEN c.state = 'closed' THEN c.close_date - c.date END AS days_to_close,
                   c.company_id, c.user_id
              FROM sales_complaint c
              JOIN res_company company ON company.id = c.company_id
              LEFT JOIN (
                  SELECT complaint_id, count(*) AS action_count,
                         count(*) FILTER (WHERE state = 'open') AS open_action_count
                    FROM sales_complaint_action
                   GROUP BY complaint_id
              ) a ON a.complaint_id = c.id
             WHERE c.state NOT IN ('draft', 'cancelled')
            """
        )


class SalesComplaintMonthly(models.TransientModel):
    """The month's complaints of a region, on paper, for the regional director to hand up:
    counts by category and severity, the claims, the causes found and the open actions."""

    _name = "sales.complaint.monthly"
    _inherit = ["sales.org.guarded.mixin"]
    _description = "Monthly Complaint Analysis"
    _sales_org_system_fields = frozenset({"company_id"})

    month = fields.Date(
        required=True, default=lambda self: self.env.company._sales_org_today().replace(day=1),
        help="Any day of the month: the whole calendar month is analysed.",
    )
    region_id = fields.Many2one("sales.org.region", help="Empty: every region you may read.")
    company_id = fields.Many2one("res.company", required=True, readonly=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")

    def action_print(self):
        self.ensure_one()
        if self.create_uid != self.env.user:
            raise UserError(self.env._("Print your own analysis."))
        action = self.env.ref("sales_team_org.action_report_sales_complaint_monthly").report_action(self)
        return {key: value for key, value in action.items() if value is not None}

    def _period(self):
        return self.company_id._sales_org_period("month", self.month)

    def _monthly_data(self):
        """The figures of the month, read under the reader's record rules: one grouped read for
        the counts and claims, one read of the causes, one of the open actions."""
        self.ensure_one()
        date_from, date_to = self._period()
        domain = [("company_id", "=", self.company_id.id), ("month", "=", date_from)]
        if self.region_id:
            domain.append(("region_id", "=", self.region_id.id))
        Report = self.env["sales.complaint.report"]
        by_category = defaultdict(int)
        by_severity = defaultdict(int)
        total = {"count": 0, "claims": 0.0, "closed": 0}
        for category, severity, is_closed, count, claims in Report._read_group(
                domain, ["category_id", "severity", "is_closed"], ["__count", "claim_amount:sum"]):
            by_category[category] += count
            by_severity[severity] += count
            total["count"] += count
            total["claims"] += claims
            total["closed"] += count if is_closed else 0
        severities = dict(Report._fields["severity"]._description_selection(self.env))
        complaint_domain = [("company_id", "=", self.company_id.id), ("date", ">=", date_from), ("date", "<=", date_to),
                            ("state", "not in", ("draft", "cancelled"))]
        if self.region_id:
            complaint_domain.append(("region_id", "=", self.region_id.id))
        complaints = self.env["sales.complaint"].search(complaint_domain, order="date, id")
        actions = self.env["sales.complaint.action"].search(
            [("complaint_id", "in", complaints.ids), ("state", "=", "open")], order="date_deadline, id")
        return {
            "date_from": date_from,
            "date_to": date_to,
            "categories": sorted(((category.name if category else self.env._("Uncategorised"), count)
                                  for category, count in by_category.items()), key=lambda row: -row[1]),
            "severities": [(label, by_severity[key]) for key, label in severities.items() if by_severity[key]],
            "total": total,
            "causes": [(complaint, complaint.root_cause) for complaint in complaints if complaint.root_cause],
            "actions": actions,
        }

    def _month_label(self):
        return format_date(self.env, self._period()[0], date_format="yyyy-MM")
