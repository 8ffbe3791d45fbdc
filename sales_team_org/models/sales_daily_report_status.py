from odoo import fields, models
from odoo.tools import SQL

from .sales_org_review_mixin import REVIEW_STATES


class SalesDailyReportStatus(models.Model):
    """Who has (not) submitted: every person of the organisation, each of their working days
    of the last two months in their unit, and the state of their daily report, missing included."""

    _name = "sales.daily.report.status"
    _description = "Daily Report Status"
    _auto = False
    _order = "date desc, team_id, user_id"
    _rec_name = "user_id"
    _depends = {
        "crm.team": ["active"],
        "crm.team.member": ["active", "crm_team_id", "parent_member_id"],
        "sales.org.assignment": ["user_id", "team_id", "role_id", "company_id", "date_from", "date_to"],
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
        # One row per assignment (a person in a unit) and working day since it began, of the
        # last two months in its company's days. The id is the assignment's and the day's,
        # unique over any 64 days: filters on date, person and unit reach the tables.
        # Each company's days are generated once and joined to the periods covering them, so a
        # filter on the date selects that day before any period is read (not the 63 days of
        # every period, then filtered). The periods that write reports, with their person's
        # calendar (their first resource's with a calendar, else their company's), are joined
        # in a subquery of their own: DISTINCT (a no-op, one row per period) has PostgreSQL plan
        # it apart, which halves the planning of the whole, while filters on person, unit or
        # role still reach it.
        return SQL("""
            WITH ctz AS MATERIALIZED (
                SELECT ctz.id, ctz.tz, ctz.today, c.resource_calendar_id AS calendar_id
                  FROM (%(tz)s) ctz
                  JOIN res_company c ON c.id = ctz.id
            )
            SELECT a.id * 64 + mod(day.day - DATE '2000-01-01', 64) AS id,
                   day.day AS date, a.user_id, a.team_id, a.role_id, a.company_id,
                   r.id AS report_id, COALESCE(r.state, 'missing') AS state,
                   COALESCE(r.state IN ('submitted', 'reviewed'), FALSE) AS is_submitted,
                   COALESCE(r.call_count + r.visit_count, 0) AS call_count,
                   COALESCE(r.order_amount, 0) AS order_amount
              FROM ctz
        CROSS JOIN LATERAL (
                SELECT d::date AS day
                  FROM generate_series(ctz.today - 62, ctz.today, INTERVAL '1 day') AS d
              ) day
              JOIN (
                SELECT DISTINCT a.id, a.user_id, a.team_id, a.role_id, a.company_id, a.date_from, a.date_to,
                       own.calendar_id AS own_calendar_id
                  FROM sales_org_assignment a
                  JOIN res_users u ON u.id = a.user_id AND u.active
                  JOIN sales_org_role role ON role.id = a.role_id
             LEFT JOIN crm_team_member m ON m.id = a.member_id
             LEFT JOIN crm_team t ON t.id = m.crm_team_id
             LEFT JOIN (SELECT DISTINCT ON (rr.user_id) rr.user_id, rr.calendar_id
                          FROM resource_resource rr
                         WHERE rr.user_id IS NOT NULL AND rr.calendar_id IS NOT NULL
                      ORDER BY rr.user_id, rr.id) own ON own.user_id = a.user_id
                 WHERE CASE WHEN a.date_to IS NULL THEN %(writes)s
                            -- a period that has ended: a role that writes reports when not at the top
                            ELSE role.daily_report_at_top OR COALESCE(role.access_level, 'own') != 'all' END
              ) a ON a.company_id = ctz.id AND a.date_from <= day.day AND (a.date_to IS NULL OR a.date_to >= day.day)
         LEFT JOIN sales_daily_report r ON r.user_id = a.user_id AND r.date = day.day
             WHERE %(working)s
        """, tz=self.env["res.company"]._sql_sales_org_tz(),
             writes=self.env["crm.team.member"]._sql_writes_daily_report(role="role"),
             working=self.env["res.company"]._sql_sales_org_working_day(
                 SQL("a.user_id"), SQL("day.day"), SQL("ctz.tz"), SQL("a.company_id"),
                 calendar=SQL("COALESCE(a.own_calendar_id, ctz.calendar_id)")))
