from collections import defaultdict
from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL, format_amount, format_date

from ..report.sales_org_figure import FIGURES
from . import sales_org_robot_api as robot_api
from .sales_org_guard import check_filed_unit

DEFAULT_REMINDER_HOUR = 17
DEFAULT_DIGEST_HOUR = 19


class SalesDailyReport(models.Model):
    """电话销售日报表 + 销售日记: one per person and working day.

    The daily rhythm runs hourly and acts once the company's hour has come, on its working
    days: reminders to those who have not submitted, digests to their managers. Each does a
    constant number of queries whatever the number of people and units, and nothing twice.
    """

    _name = "sales.daily.report"
    _inherit = ["sales.org.review.mixin"]
    _description = "Daily Sales Report"
    _order = "date desc, user_id"
    _check_company_auto = True
    _sales_org_author_fields = frozenset({"diary", "team_id", "line_ids", "answer_ids"})
    _sales_org_create_fields = frozenset({"user_id", "company_id", "date"})
    _sales_org_unit_field = "team_id"

    # Description
    name = fields.Char(compute="_compute_name", store=True)
    user_id = fields.Many2one(
        "res.users", string="Salesperson", required=True, index=True, default=lambda self: self.env.user,
        readonly=True, domain=[("share", "=", False)],
    )
    date = fields.Date(required=True, index=True, default=lambda self: self._today(), readonly=True)
    team_id = fields.Many2one(
        "crm.team", string="Unit", index=True, compute="_compute_team_id", store=True, readonly=False,
        precompute=True,
    )
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    diary = fields.Html(string="Sales Diary", sanitize_overridable=True)
    line_ids = fields.One2many("sales.daily.report.line", "report_id", string="Calls and Visits", copy=False)
    answer_ids = fields.One2many("sales.daily.report.answer", "report_id", string="Sections", copy=False,
                                 help="The template of the author's role in the unit: done today, needs coordination…")
    # Review
    reminded = fields.Boolean(readonly=True, copy=False, help="The author was reminded to submit it.")
    urged_date = fields.Datetime(string="Urged On", readonly=True, copy=False,
                                 help="When a leader last asked for it from the board (催交).")
    # Key figures of the person's day (sales.org.figure), kept with the report when it is saved
    call_count = fields.Integer(string="Calls", readonly=True, copy=False)
    visit_count = fields.Integer(string="Visits", readonly=True, copy=False)
    customer_count = fields.Integer(string="Customers Reached", readonly=True, copy=False)
    new_customer_count = fields.Integer(string="New Customers", readonly=True, copy=False)
    quotation_count = fields.Integer(string="Quotations Sent", readonly=True, copy=False)
    order_count = fields.Integer(string="Orders Confirmed", readonly=True, copy=False)
    order_amount = fields.Monetary(string="Orders Amount", readonly=True, copy=False)

    _sql_constraints = [
        ("user_date_uniq", "unique(user_id, date)", "A person writes one daily report per day."),
    ]

    @api.depends("user_id", "date")
    def _compute_name(self):
        for report in self:
            report.name = f"{report.user_id.name or ''} {report.date or ''}".strip()

    @api.depends("user_id")
    def _compute_team_id(self):
        for report in self:
            report.team_id = report.user_id.sale_team_id

    @api.onchange("team_id")
    def _onchange_team_id_add_sections(self):
        """The form shows the sections of the author's role in the unit before it is saved."""
        if self.state not in ("draft", "returned"):
            return
        member = self.env["crm.team.member"].sudo().search(
            [("user_id", "=", self.user_id.id), ("crm_team_id", "=", self.team_id.id)], limit=1)
        sections = member.role_id.report_section_ids.filtered("active") - self.answer_ids.section_id
        if sections:
            self.answer_ids = [Command.create({"section_id": section.id}) for section in sections.sorted()]

    @api.constrains("team_id", "user_id")
    def _check_team_id(self):
        check_filed_unit(self, lambda report: self.env._(
            "%(unit)s is not a unit of %(person)s: a daily report belongs to one of its author's units.",
            unit=report.team_id.name, person=report.user_id.name,
        ))

    @api.constrains("date", "company_id")
    def _check_date_has_come(self):
        # on every path, a write with sudo included: the company's day, as everywhere
        for report in self:
            today = report.company_id._sales_org_today()
            if report.date > today:
                raise ValidationError(self.env._(
                    "A daily report tells a day that has come: not a day after %(today)s.", today=today,
                ))

    # ------------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        reports = super().create(vals_list)
        reports._add_missing_sections()
        if not self.env.context.get("sales_org_bulk"):  # the reminder's drafts: nothing done yet
            reports._refresh_figures()
        return reports

    def write(self, vals):
        res = super().write(vals)
        if "team_id" in vals:
            self._add_missing_sections()
        if "line_ids" in vals:
            self._fill_figures()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_photos_of_lines(self):
        # the lines go with the report by the database's cascade, which would leave their photos
        # behind, readable by anyone once their line is gone
        self.line_ids.photo_ids.sudo().unlink()

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    @api.model
    def _action_open_today_report(self):
        """New, from the daily reports: the user's report of today if they have one, so that
        nobody writes a second one and loses it on saving; else a new one."""
        report = self.search([("user_id", "=", self.env.uid), ("date", "=", self._today())], limit=1)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Daily Report"),
            "res_model": self._name,
            "views": [(False, "form")],
            "res_id": report.id,
            "target": "current",
        }

    @api.model
    def _action_open_to_review(self):
        """To Review, from the menu: the reports waiting for the user, counted in the title."""
        action = self._action_review_list()
        count = self.search_count([("state", "=", "submitted"), ("approver_id", "=", self.env.uid)])
        if count:
            action["name"] = action["display_name"] = self.env._("Reports to Review (%(count)s)", count=count)
        return action

    def _action_review_list(self):
        return self.env["ir.actions.act_window"]._for_xml_id("sales_team_org.sales_daily_report_action_review")

    # ------------------------------------------------------------------
    # Business
    # ------------------------------------------------------------------

    @api.model
    def _today(self):
        return self.env.company._sales_org_today()

    def _add_missing_sections(self):
        """Each draft gets an empty answer for each section of its author's role in its unit that
        it lacks (nothing written is removed): one query for any number of reports."""
        if not self:
            return
        self.env.flush_all()
        added = self.env.execute_query(SQL(
            """
            INSERT INTO sales_daily_report_answer
                   (report_id, section_id, sequence, user_id, date, company_id,
                    create_uid, create_date, write_uid, write_date)
            SELECT r.id, s.id, s.sequence, r.user_id, r.date, r.company_id,
                   %(uid)s, now() at time zone 'utc', %(uid)s, now() at time zone 'utc'
              FROM sales_daily_report r
              JOIN crm_team_member m ON m.user_id = r.user_id AND m.crm_team_id = r.team_id AND m.active
              JOIN sales_org_role_daily_report_section_rel rel ON rel.role_id = m.role_id
              JOIN sales_daily_report_section s ON s.id = rel.section_id AND s.active
             WHERE r.id IN %(ids)s AND r.state IN ('draft', 'returned')
             ORDER BY r.id, s.sequence, s.id
                ON CONFLICT (report_id, section_id) DO NOTHING
         RETURNING id
            """,
            ids=tuple(self.ids), uid=self.env.uid,
        ))
        if added:
            self.invalidate_recordset(["answer_ids"])

    def _refresh_figures(self):
        """Calls and meetings done that day become lines, once, with what their user typed
        (else the activity type's name in the author's language); then the day's figures."""
        if not self:
            return
        self.env.flush_all()  # the SQL below reads messages and lines of this transaction too
        Line = self.env["sales.daily.report.line"]
        for report in self:
            start, end = report.company_id._sales_org_day_bounds(report.date)
            user = report.user_id
            rows = self.env.execute_query(SQL(
                """
                SELECT msg.id, msg.model, msg.res_id, msg.sales_activity_text, atype.category,
                       COALESCE(atype.name->>%(lang)s, atype.name->>'en_US')
                  FROM mail_message msg
                  JOIN mail_activity_type atype ON atype.id = msg.mail_activity_type_id
                 WHERE msg.sales_activity_done AND msg.author_id = %(partner)s AND msg.create_uid = %(uid)s
                   AND msg.date >= %(start)s AND msg.date < %(end)s
                   AND msg.model IN ('crm.lead', 'res.partner')
                   AND NOT EXISTS (SELECT 1 FROM sales_daily_report_line l WHERE l.message_id = msg.id)
                 ORDER BY msg.id
                """,
                partner=user.partner_id.id, uid=user.id, start=start, end=end, lang=user.lang or "en_US",
            ))
            new_lines = []
            # the lead may have gone to someone else since: its customer stays on the line, and
            # the lead only where the author may still read it
            leads = self.env["crm.lead"].sudo().browse([r[2] for r in rows if r[1] == "crm.lead"]).exists()
            readable = leads.with_user(user)._filtered_access("read")
            lead_by_id = {lead.id: lead for lead in leads}
            for message_id, model, res_id, text, category, type_name in rows:
                lead = lead_by_id.get(res_id, leads.browse()) if model == "crm.lead" else leads.browse()
                subject, _newline, result = (text or type_name).partition("\n")
                new_lines.append({
                    "report_id": report.id,
                    "message_id": message_id,
                    "lead_id": lead.id if lead in readable else False,
                    "partner_id": lead.partner_id.id if lead else (res_id if model == "res.partner" else False),
                    "channel": "visit" if category == "meeting" else "phone",
                    "subject": subject,
                    "result": result or False,
                })
            Line.sudo().create(new_lines)
        self._fill_figures()

    def _fill_figures(self):
        """Each report takes its author's figures of its day in its company (sales.org.figure),
        replacing what it had: one query for any number of reports."""
        if not self:
            return
        self.env.flush_all()
        figures = self.env["sales.org.figure"].sudo()._sum([
            ("user_id", "in", self.user_id.ids), ("date", "in", list(set(self.mapped("date")))),
            ("company_id", "in", self.company_id.ids),
        ], ["user_id", "date:day", "company_id"])
        empty = dict.fromkeys(FIGURES, 0)
        self.env["sales.org.figure"]._store(self, {
            report: figures.get((report.user_id.id, report.date, report.company_id.id), empty) for report in self
        })

    # ------------------------------------------------------------------
    # Reminder
    # ------------------------------------------------------------------

    @api.model
    def _cron_remind_missing_reports(self):
        hour = self.env["sales.org.rhythm"]._rhythm_hour("sales_team_org.reminder_hour", DEFAULT_REMINDER_HOUR)
        for company, day in self.env["sales.org.rhythm"]._companies_due(hour):
            self._remind_missing_reports(company, day)

    @api.model
    def _remind_missing_reports(self, company, day):
        self.env.flush_all()
        rows = self.env.execute_query(SQL(
            """
            SELECT DISTINCT ON (m.user_id) m.user_id, r.id, m.crm_team_id
              FROM crm_team_member m
              JOIN crm_team t ON t.id = m.crm_team_id
              JOIN sales_org_role role ON role.id = m.role_id
              JOIN res_users u ON u.id = m.user_id AND u.active AND NOT u.share
                   AND COALESCE(t.company_id, u.company_id) = %(company)s
         LEFT JOIN sales_daily_report r ON r.user_id = m.user_id AND r.date = %(day)s
             WHERE %(writes)s
               AND (r.id IS NULL OR (r.state IN ('draft', 'returned') AND NOT COALESCE(r.reminded, FALSE)))
               AND %(working)s
             ORDER BY m.user_id, m.id
            """,
            company=company.id, day=day,
            working=company._sql_sales_org_working_day(
                SQL("m.user_id"), SQL("%s::date", day), SQL("%s", company._sales_org_tz().zone), SQL("%s", company.id)),
            writes=self.env["crm.team.member"]._sql_writes_daily_report(role="role"),
        ))
        if not rows:
            return self.browse()
        missing = [user_id for user_id, report_id, _unit_id in rows if not report_id]
        reports = self._bulk_create([{"user_id": uid, "date": day, "company_id": company.id} for uid in missing])
        reports |= reports.browse([report_id for _user_id, report_id, _unit_id in rows if report_id])
        reports.write({"reminded": True})
        reports._fill_figures()  # what they did in Odoo that day, on the board already
        reports._schedule_reminders(lambda env: env._("Submit your daily report"), day)
        by_email = reports.filtered(lambda report: report.user_id.notification_type == "email")
        self.env["sales.org.rhythm"]._send_mails([
            (report.user_id.partner_id,
             self.with_context(lang=report.user_id.lang).env._("Daily report of %(date)s", date=day),
             self.with_context(lang=report.user_id.lang).env._(
                 "Your daily report of %(date)s is not submitted yet: list your calls and visits, "
                 "write your sales diary and submit it to your manager.", date=day))
            for report in by_email
        ])
        self.env["sales.org.robot"]._queue_safely(
            "the reminders", self._robot_remind, company, day, {user_id: unit_id for user_id, _report_id, unit_id in rows})
        return reports

    @api.model
    def _robot_remind(self, company, day, unit_of):
        """One message to each group robot sending reminders, of the unit or else of the nearest
        unit above: who of its people just reminded has not submitted, @-mentioned by mobile.
        A constant number of queries whatever the number of people and robots.

        :param unit_of: {user id: unit id of the membership they are reminded for}
        """
        robots_of = self.env["sales.org.robot"]._nearest_for_units(set(unit_of.values()), "reminder")
        if not robots_of:
            return self.env["sales.org.robot.message"]
        users = self.env["res.users"].sudo().browse(list(unit_of))
        people = defaultdict(list)
        for user in users:
            for robot in robots_of.get(unit_of[user.id], ()):
                people[robot].append(user)
        messages = []
        for robot, theirs in people.items():
            theirs.sort(key=lambda user: user.name or "")
            env = robot._lang_env()
            title = env._("Daily reports of %(date)s", date=format_date(env, day))
            messages.append({
                "robot": robot, "kind": "reminder", "key": f"reminder:{robot.team_id.id}:{company.id}:{day}", "title": title,
                "body": "### %s\n\n%s" % (title, env._(
                    "Not submitted yet: %(names)s. Please write and submit your daily report.",
                    names=", ".join(robot_api.escape(user.name) for user in theirs))),
                "mobiles": [user.partner_id.mobile for user in theirs if user.partner_id.mobile],
            })
        return self.env["sales.org.robot.message"]._enqueue(messages)

    # ------------------------------------------------------------------
    # Digest
    # ------------------------------------------------------------------

    @api.model
    def _cron_send_digest(self):
        hour = self.env["sales.org.rhythm"]._rhythm_hour("sales_team_org.digest_hour", DEFAULT_DIGEST_HOUR)
        for company, day in self.env["sales.org.rhythm"]._companies_due(hour):
            self._send_digest(company, day)
            self.env["sales.org.robot"]._queue_safely("the digest", self._robot_digest, company, day)

    @api.model
    def _send_digest(self, company, day):
        """To each leader: who of their units and below submitted, who did not, the day's totals."""
        self.env.flush_all()
        leaders = self.env["res.users"].browse([uid for uid, in self.env.execute_query(SQL(
            """
            SELECT DISTINCT m.user_id
              FROM crm_team_member m
              JOIN crm_team t ON t.id = m.crm_team_id
              JOIN res_users u ON u.id = m.user_id AND COALESCE(t.company_id, u.company_id) = %(company)s
         LEFT JOIN sales_org_role r ON r.id = m.role_id
             WHERE m.active AND t.active AND %(leads)s
               AND NOT EXISTS (SELECT 1 FROM sales_daily_digest d WHERE d.user_id = m.user_id AND d.date = %(day)s)
            """,
            company=company.id, day=day, leads=self.env["crm.team.member"]._sql_leads(),
        ))])
        if not leaders:
            return self.env["sales.daily.digest"]
        scope = {leader: set(leader.sales_org_user_ids.ids) - {leader.id} for leader in leaders}
        units = {leader: leader.sales_org_team_ids.ids for leader in leaders}
        people = set().union(*scope.values())
        states = dict(self.env.execute_query(SQL(
            "SELECT user_id, state FROM sales_daily_report WHERE date = %(day)s AND user_id IN %(people)s",
            day=day, people=tuple(people) or (0,),
        )))
        # the day's figures of the leader's units, as in the monthly summary
        figures = self.env["sales.org.figure"].sudo()._sum([
            ("team_id", "in", list(set().union(*units.values()))), ("date", "=", day), ("company_id", "=", company.id),
        ], ["team_id"])
        in_roles = {uid for uid, in self.env.execute_query(SQL(
            """
            SELECT DISTINCT m.user_id
              FROM crm_team_member m
              JOIN crm_team t ON t.id = m.crm_team_id
              JOIN sales_org_role r ON r.id = m.role_id
             WHERE m.user_id IN %s AND %s
            """,
            tuple(people) or (0,), self.env["crm.team.member"]._sql_writes_daily_report(),
        ))}
        names = dict(self.env["res.users"].browse(list(people)).sudo().mapped(lambda u: (u.id, u.name)))
        mails = []
        for leader in leaders:
            team = sorted((uid for uid in scope[leader] if uid in in_roles), key=lambda uid: names[uid])
            if not team:
                continue
            submitted = [uid for uid in team if states.get(uid) in ("submitted", "reviewed")]
            missing = [uid for uid in team if uid not in submitted]
            totals = {figure: sum(figures.get((unit,), {}).get(figure, 0) for unit in units[leader])
                      for figure in FIGURES}
            env = self.with_context(lang=leader.lang).env
            body = Markup("<p>%s</p><ul><li>%s</li><li>%s</li><li>%s</li></ul>") % (
                env._("Daily reports of %(date)s in your units: %(done)s of %(all)s submitted.",
                      date=day, done=len(submitted), all=len(team)),
                env._("Submitted: %(names)s", names=", ".join(names[uid] for uid in submitted) or "-"),
                env._("Not submitted: %(names)s", names=", ".join(names[uid] for uid in missing) or "-"),
                env._("Calls and visits: %(calls)s, customers reached: %(customers)s, orders: %(orders)s "
                      "for %(amount)s", calls=totals["call_count"] + totals["visit_count"],
                      customers=totals["customer_count"], orders=totals["order_count"],
                      amount=format_amount(env, totals["order_amount"], company.currency_id)),
            )
            mails.append((leader.partner_id, env._("Daily digest of %(date)s", date=day), body))
        self.env["sales.org.rhythm"]._send_mails(mails)
        return self.env["sales.daily.digest"].sudo().create([
            {"user_id": leader.id, "date": day, "company_id": company.id} for leader in leaders
        ])

    @api.model
    def _robot_digest(self, company, day):
        """To each unit's group robot sending the digest: the day in `company` of the unit and
        every unit below, its leader included (the group is theirs too), with the board of who
        has not submitted.
        A constant number of queries whatever the number of units, people and robots."""
        self.env.flush_all()
        units = self.env["crm.team"].sudo().search([("company_id", "in", (company.id, False))])
        robots_of = self.env["sales.org.robot"]._for_units(units.ids, "digest")
        if not robots_of:
            return self.env["sales.org.robot.message"]
        # the people of each unit and below who write daily reports, and the state of their day's
        people = defaultdict(dict)  # unit id -> {user id: (name, state)}
        for top_id, user_id, name, state in self.env.execute_query(SQL(
            """
            SELECT DISTINCT top.id, u.id, p.name, rep.state
              FROM crm_team top
              JOIN crm_team t ON starts_with(t.parent_path, top.parent_path) AND t.active
              JOIN crm_team_member m ON m.crm_team_id = t.id AND m.active
              JOIN res_users u ON u.id = m.user_id AND u.active AND NOT u.share
                   AND COALESCE(t.company_id, u.company_id) = %(company)s
              JOIN res_partner p ON p.id = u.partner_id
         LEFT JOIN sales_daily_report rep ON rep.user_id = u.id AND rep.date = %(day)s
                   AND rep.company_id = %(company)s
             WHERE top.id IN %(units)s AND top.active
               AND u.id IN (SELECT w.user_id
                              FROM crm_team_member w
                              JOIN crm_team wt ON wt.id = w.crm_team_id
                              JOIN sales_org_role wr ON wr.id = w.role_id
                             WHERE %(writes)s)
            """,
            day=day, units=tuple(robots_of), company=company.id,
            writes=self.env["crm.team.member"]._sql_writes_daily_report(member="w", team="wt", role="wr"),
        )):
            people[top_id][user_id] = (robot_api.escape(name), state)
        # the day's figures of each unit and below, summed as in the leaders' digest
        paths = {unit.id: unit.parent_path for unit in units}
        children = defaultdict(list)  # the units just below each, whose subtrees the digest details
        for unit in units:
            children[unit.parent_id.id].append(unit)
        below = {unit_id: [other for other, path in paths.items() if path.startswith(paths[unit_id])]
                 for unit_id in set(people) | {child.id for top_id in people for child in children[top_id]}}
        figures = self.env["sales.org.figure"].sudo()._sum([
            ("team_id", "in", list(set().union(*below.values()))), ("date", "=", day),
            ("company_id", "=", company.id),
        ], ["team_id"])
        board = company.get_base_url() + "/odoo/action-sales_team_org.sales_daily_report_status_action"
        messages = []
        for top_id, team in people.items():
            team = sorted(team.values(), key=lambda person: person[0] or "")
            submitted = [name for name, state in team if state in ("submitted", "reviewed")]
            missing = [name for name, state in team if state not in ("submitted", "reviewed")]
            def totals_of(unit_id):
                return {figure: sum(figures.get((unit,), {}).get(figure, 0) for unit in below[unit_id])
                        for figure in FIGURES}

            totals = totals_of(top_id)
            by_unit = [(child, totals_of(child.id)) for child in children[top_id]]
            for robot in robots_of[top_id]:
                env = robot._lang_env()
                title = env._("Daily digest of %(date)s", date=format_date(env, day))
                summary = env._("%(unit)s and below: %(done)s of %(all)s daily reports submitted.",
                                unit=robot_api.escape(robot.team_id.with_env(env).name), done=len(submitted),
                                all=len(team))
                figures_line = env._(
                    "Calls and visits: %(calls)s, customers reached: %(customers)s, orders: %(orders)s for %(amount)s",
                    calls=totals["call_count"] + totals["visit_count"], customers=totals["customer_count"],
                    orders=totals["order_count"], amount=format_amount(env, totals["order_amount"], company.currency_id))
                body = "\n".join([
                    f"### {title}", "", f"**{summary}**", "",
                    "- " + env._("Submitted: %(names)s", names=", ".join(submitted) or "-"),
                    "- " + env._("Not submitted: %(names)s", names=", ".join(missing) or "-"),
                    "- " + figures_line, "",
                ] + (["**%s**" % env._("By unit")] + ["- " + env._(
                    "%(unit)s: calls and visits %(calls)s, orders %(orders)s for %(amount)s",
                    unit=robot_api.escape(child.with_env(env).name),
                    calls=sums["call_count"] + sums["visit_count"], orders=sums["order_count"],
                    amount=format_amount(env, sums["order_amount"], company.currency_id),
                ) for child, sums in by_unit] + [""] if by_unit else []) + [
                    "[%s](%s)" % (env._("Who Has Not Submitted"), board),
                ])
                messages.append({"robot": robot, "kind": "digest", "key": f"digest:{top_id}:{company.id}:{day}",
                                 "title": title, "body": body})
        return self.env["sales.org.robot.message"]._enqueue(messages)
