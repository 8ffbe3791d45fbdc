from odoo import fields, models
from odoo.tools import SQL

from .sales_org_review_mixin import REVIEW_STATES


class SalesDailyReportStatus(models.Model):
    """Who has (not) submitted: every person of the organisation, every day of the last
    two months, and the state of their daily report, missing included."""

    _name = "sales.daily.report.status"
    _description = "Daily Report Status"
    _auto = False
    _order = "date desc, team_id, user_id"
    _rec_name = "user_id"
    _depends = {
        "crm.team": ["active", "company_id"],
        "crm.team.member": ["active", "crm_team_id", "parent_member_id", "role_id", "user_id"],
        "res.users": ["company_id"],
        "sales.org.role": ["daily_report_at_top"],
        "sales.daily.report": ["call_count", "date", "order_amount", "state", "user_id", "visit_count"],
    }

    date = fields.Date(readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Unit", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    role_id = fields.Many2one("sales.org.role", readonly=True)
    report_id = fields.Many2one("sales.daily.report", string="Daily Report", readonly=True)
    state = fields.Selection([("missing", "Not Written"), *REVIEW_STATES], string="Status", readonly=True)
    is_submitted = fields.Boolean(readonly=True)
    call_count = fields.Integer(string="Calls", readonly=True)
    order_amount = fields.Float(readonly=True)

    @property
    def _table_query(self):
        return SQL("""
            SELECT row_number() OVER (ORDER BY day.day, m.id) AS id,
                   day.day::date AS date, m.user_id, m.crm_team_id AS team_id, m.role_id,
                   COALESCE(t.company_id, u.company_id) AS company_id,
                   r.id AS report_id, COALESCE(r.state, 'missing') AS state,
                   COALESCE(r.state IN ('submitted', 'reviewed'), FALSE) AS is_submitted,
                   COALESCE(r.call_count + r.visit_count, 0) AS call_count,
                   COALESCE(r.order_amount, 0) AS order_amount
              FROM crm_team_member m
              JOIN crm_team t ON t.id = m.crm_team_id
              JOIN sales_org_role role ON role.id = m.role_id
              JOIN res_users u ON u.id = m.user_id
        CROSS JOIN generate_series(CURRENT_DATE - 62, CURRENT_DATE, INTERVAL '1 day') AS day(day)
         LEFT JOIN sales_daily_report r ON r.user_id = m.user_id AND r.date = day.day::date
             WHERE %s
        """, self.env["crm.team.member"]._sql_writes_daily_report(role="role"))
