from datetime import timedelta

from odoo import fields, models
from odoo.osv import expression
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, format_date

URGE_INTERVAL = timedelta(hours=1)


class SalesDailyReportStatus(models.Model):
    """Who has (not) submitted: every person of the organisation, each of their working days
    of the last two months in their unit, and the state of their daily report, missing included."""

    _name = "sales.daily.report.status"
    _description = "Daily Report Status"
    _auto = False
    _order = "date desc, user_id"
    _rec_name = "user_id"
    _depends = {
        "crm.team.member": ["parent_member_id"],
        "sales.org.assignment": ["user_id", "team_id", "role_id", "company_id", "date_from", "date_to"],
        "sales.org.role": ["access_level", "daily_report_at_top"],
        "sales.daily.report": ["call_count", "date", "order_amount", "state", "user_id", "visit_count"],
    }

    date = fields.Date(readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Unit", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    role_id = fields.Many2one("sales.org.role", readonly=True)
    report_id = fields.Many2one("sales.daily.report", string="Daily Report", readonly=True)
    state = fields.Selection([
        ("missing", "Not Written"), ("draft", "Draft"), ("submitted", "Submitted"), ("returned", "Returned"),
        ("reviewed", "Reviewed"),
    ], string="Status", readonly=True)
    is_submitted = fields.Boolean(readonly=True)
    call_count = fields.Integer(string="Calls", readonly=True)
    order_amount = fields.Float(readonly=True)
    is_today = fields.Boolean(string="Today", compute="_compute_is_today", search="_search_is_today",
                              help="The day that has come in the row's company, not in the browser.")

    @property
    def _table_query(self):
        # One row per assignment (a person in a unit) and working day since it began, of the
        # last two months in its company's days. An open period is an active person's in an
        # active membership and unit (sales.org.assignment._sync): only its reporting line is read. The id is the assignment's and the day's,
        # unique over any 64 days: filters on date, person and unit reach the tables.
        # Each company's days are generated once and joined to the periods covering them, so a
        # filter on the date selects that day before any period is read (not the 63 days of
        # every period, then filtered). The periods that write reports, with their person's
        # calendar (their first resource's with a calendar, else their company's), are joined
        # in a subquery of their own: DISTINCT (a no-op, one row per period) has PostgreSQL plan
        # it apart, which halves the planning of the whole, while filters on person, unit or
        # role still reach it.
        return SQL("""
            WITH ctz AS MATERIALIZED (%(tz)s)
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
                  JOIN sales_org_role role ON role.id = a.role_id
             LEFT JOIN crm_team_member m ON m.id = a.member_id
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
             writes=self.env["crm.team.member"]._sql_writes_daily_report(team=None, role="role"),
             working=self.env["res.company"]._sql_sales_org_working_day(
                 SQL("a.user_id"), SQL("day.day"), SQL("ctz.tz"), SQL("a.company_id"),
                 calendar=SQL("COALESCE(a.own_calendar_id, ctz.calendar_id)")))

    def _compute_is_today(self):
        today = {company: company._sales_org_today() for company in self.company_id}
        for row in self:
            row.is_today = row.date == today.get(row.company_id)

    def _search_is_today(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Today is searched as true or false."))
        days = {}  # one day per company of the user; most often one day for all
        for company in self.env.companies:
            days.setdefault(company._sales_org_today(), []).append(company.id)
        domain = [("date", "=", next(iter(days)))] if len(days) == 1 else expression.OR([
            [("company_id", "in", company_ids), ("date", "=", day)] for day, company_ids in days.items()
        ])
        return domain if (operator == "=") == value else ["!", *domain]

    def action_urge(self):
        """催交: remind these people now of their report of that day, each person at most once an hour.
        Only who reviews their reports (their approver, a leader above it, the sales administrator);
        the reminder is the author's to-do on the report, a draft made for them if they have not
        started it, and one e-mail per person for those who chose e-mail."""
        self.check_access("read")
        leader = self.env.user
        if not (leader.has_group("sales_team.group_sale_manager")
                or leader.has_group("sales_team_org.group_sale_unit_leader")):
            raise AccessError(self.env._("Only the leaders of a unit remind its people of their reports."))
        rows = self.filtered(lambda row: not row.is_submitted)
        if not rows:
            raise UserError(self.env._("These reports are submitted: nobody to remind."))
        if leader in rows.user_id:
            raise UserError(self.env._("Your own report needs no reminder from the board."))
        # a person in two units has two rows of a day, one report; who has left is not reminded
        days = {(row.user_id, row.date): row.company_id for row in rows if row.user_id.active}
        if not days:
            raise UserError(self.env._("These people have left: nobody to remind."))
        Report = self.env["sales.daily.report"].sudo()
        reports = Report.search([("user_id", "in", [user.id for user, _day in days]),
                                 ("date", "in", list({day for _user, day in days}))])
        reports = reports.filtered(lambda report: (report.user_id, report.date) in days)
        have = {(report.user_id, report.date) for report in reports}
        reports |= Report._bulk_create([
            {"user_id": user.id, "date": day, "company_id": company.id}
            for (user, day), company in days.items() if (user, day) not in have
        ])
        # those whose reports the leader reviews (their approver or above it): not a peer, not a
        # leader of theirs; the drafts made above go with the refusal
        if reports - reports._led_by(leader):
            raise AccessError(self.env._("You remind only the people whose reports you review."))
        now = fields.Datetime.now()
        # a person is reminded at most once an hour, whichever of their days it was about
        people_urged = Report.search([("user_id", "in", reports.user_id.ids),
                                      ("urged_date", ">", now - URGE_INTERVAL)]).user_id
        recent = reports.filtered(lambda report: report.user_id in people_urged)
        urged = reports - recent
        if not urged:
            raise UserError(self.env._(
                "%(people)s were reminded less than an hour ago; try again later.",
                people=", ".join(recent.user_id.mapped("name")),
            ))
        urged.write({"urged_date": now})
        urged._fill_figures()
        # the new to-do replaces the earlier reminders of the report, not adds to them
        todo = self.env.ref("mail.mail_activity_data_todo")
        urged.activity_ids.filtered(lambda activity: activity.automated and activity.activity_type_id == todo).unlink()
        urged._schedule_activities(
            todo, lambda report: report.user_id,
            lambda env, report: env._("%(leader)s asks for your daily report of %(date)s",
                                      leader=leader.name, date=format_date(env, report.date)),
            self.env.company._sales_org_today(),
        )
        # one e-mail per person, whatever the number of their days
        mails = []
        for user, their in urged.filtered(lambda report: report.user_id.notification_type == "email") \
                .grouped("user_id").items():
            env = their.with_context(lang=user.lang).env
            dates = ", ".join(format_date(env, day) for day in sorted(their.mapped("date")))
            mails.append((user.partner_id, env._("Daily report of %(date)s", date=dates), env._(
                "%(leader)s asks for your daily report of %(date)s: list your calls and visits, write your "
                "sales diary and submit it.", leader=leader.name, date=dates)))
        self.env["sales.org.rhythm"]._send_mails(mails)
        message = self.env._("Reminded: %(people)s.", people=", ".join(urged.user_id.mapped("name")))
        if recent:
            message += " " + self.env._("Reminded less than an hour ago, not again: %(people)s.",
                                        people=", ".join(recent.user_id.mapped("name")))
        return {
            "type": "ir.actions.client", "tag": "display_notification",
            "params": {"message": message, "type": "success", "next": {"type": "ir.actions.client", "tag": "soft_reload"}},
        }
