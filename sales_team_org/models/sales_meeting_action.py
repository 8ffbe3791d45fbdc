from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression
from odoo.tools import SQL

from .sales_org_guard import MAIL_FIELDS

# what the chair, the note-taker and the leaders write; the owner only closes
EDITABLE_FIELDS = frozenset({"name", "user_id", "date_deadline"})
# overdue at this many meetings, an item is told to the leader above the unit manager
ESCALATION_MEETINGS = 2


def monday_of(day):
    return day - timedelta(days=day.weekday())


class SalesMeetingAction(models.Model):
    """待办事项: what a weekly team meeting decided someone does by a deadline. Its owner has an
    activity for it; while open it is carried to the unit's next meetings, and when overdue at
    two of them the leader above the unit manager is told."""

    _name = "sales.meeting.action"
    _inherit = ["mail.thread", "mail.activity.mixin", "sales.org.guarded.mixin"]
    _description = "Meeting Action Item"
    _order = "date_deadline, id"
    _check_company_auto = True
    _sales_org_system_fields = frozenset({
        "team_id", "company_id", "week_start",  # the meeting's
        "state", "done_date", "activity_id", "overdue_count", "escalated",
    }) | MAIL_FIELDS

    # Description
    meeting_id = fields.Many2one(
        "sales.meeting", required=True, index=True, ondelete="cascade",
    )
    team_id = fields.Many2one(related="meeting_id.team_id", store=True, index=True)
    company_id = fields.Many2one(related="meeting_id.company_id", store=True)
    week_start = fields.Date(related="meeting_id.week_start", store=True, string="Week Raised")
    name = fields.Char(string="Action Item", required=True, tracking=True)
    user_id = fields.Many2one(
        "res.users", string="Owner", required=True, index=True, tracking=True, domain=[("share", "=", False)],
    )
    date_deadline = fields.Date(string="Deadline", required=True, tracking=True)
    # Follow-up, written by the actions and the meetings' carry-over
    state = fields.Selection(
        [("open", "In Progress"), ("done", "Done"), ("cancelled", "Cancelled")], string="Status", required=True, default="open", readonly=True, index=True, tracking=True,
        copy=False,
    )
    done_date = fields.Date(string="Closed On", readonly=True, copy=False)
    activity_id = fields.Many2one(
        "mail.activity", string="Owner's Activity", readonly=True, copy=False, ondelete="set null",
    )
    overdue_count = fields.Integer(
        string="Meetings Overdue", readonly=True, copy=False,
        help="At how many meetings it was still open past its deadline.",
    )
    escalated = fields.Boolean(
        readonly=True, copy=False,
        help="Overdue at two meetings: the leader above the unit manager has been told.",
    )
    weeks_open = fields.Integer(
        compute="_compute_weeks_open",
        help="Whole weeks from the week it was raised to the week it was closed, or to this week while open.",
    )
    is_overdue = fields.Boolean(string="Overdue", compute="_compute_is_overdue", search="_search_is_overdue")
    can_edit = fields.Boolean(compute="_compute_rights")
    can_close = fields.Boolean(compute="_compute_rights")

    # ------------------------------------------------------------------
    # Compute
    # ------------------------------------------------------------------

    @api.depends("week_start", "state", "done_date", "company_id")
    def _compute_weeks_open(self):
        this_week = {}
        for item in self:
            if not item.week_start:
                item.weeks_open = 0
                continue
            if item.state != "open" and item.done_date:
                until = monday_of(item.done_date)
            else:
                company = item.company_id or self.env.company
                if company not in this_week:
                    this_week[company] = monday_of(company._sales_org_today())
                until = this_week[company]
            item.weeks_open = max((until - item.week_start).days // 7, 0)

    @api.depends("state", "date_deadline", "company_id")
    def _compute_is_overdue(self):
        today = {}
        for item in self:
            company = item.company_id or self.env.company
            if company not in today:
                today[company] = company._sales_org_today()
            item.is_overdue = bool(item.state == "open" and item.date_deadline and item.date_deadline < today[company])

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Overdue is searched as true or false."))
        overdue = expression.AND([[("state", "=", "open")], expression.OR([
            [("company_id", "=", company.id), ("date_deadline", "<", company._sales_org_today())]
            for company in self.env.companies
        ])])
        return overdue if (operator == "=") == value else ["!", *expression.normalize_domain(overdue)]

    @api.depends("user_id", "meeting_id", "team_id")
    @api.depends_context("uid")
    def _compute_rights(self):
        editable = self._editable_by(self.env.user)
        for item in self:
            item.can_edit = item in editable
            item.can_close = item.can_edit or item.user_id == self.env.user

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------

    @api.constrains("date_deadline", "meeting_id")
    def _check_date_deadline(self):
        for item in self:
            if item.week_start and item.date_deadline < item.week_start:
                raise ValidationError(self.env._(
                    "The deadline of “%(item)s” is before the week of its meeting (%(week)s).",
                    item=item.name, week=item.week_start,
                ))

    # ------------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_name_value(vals)
        meetings = self.env["sales.meeting"].sudo().browse({vals.get("meeting_id") for vals in vals_list} - {None})
        if meetings.filtered(lambda meeting: meeting.state != "draft"):
            raise UserError(self.env._(
                "Action items are added while the minutes are a draft: follow up the items of confirmed minutes."))
        items = super().create(vals_list)
        items._check_editor()
        items._schedule_owner_activities()
        items._carry_to_later_meetings()
        return items

    def write(self, vals):
        # a revision of the minutes takes the week's items over (the server's write)
        if "meeting_id" in vals and not self.env.su and any(item.meeting_id.id != vals["meeting_id"] for item in self):
            raise UserError(self.env._("An action item stays on the meeting it was raised in."))
        self._check_name_value(vals)
        if EDITABLE_FIELDS & vals.keys() and not self.env.su:
            if any(item.state != "open" for item in self):
                raise UserError(self.env._("Reopen the action item to change it."))
            if "name" in vals and any(item.meeting_id.state != "draft" for item in self.sudo()):
                raise UserError(self.env._(
                    "What confirmed minutes decided stays as written: change its owner or deadline, or cancel it."))
            self._check_editor()
        moved = self.filtered(lambda item: item.state == "open") \
            if {"user_id", "date_deadline"} & vals.keys() else self.browse()
        res = super().write(vals)
        moved._move_owner_activities()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_only_in_draft_minutes(self):
        if self.sudo().meeting_id.filtered(lambda meeting: meeting.state != "draft"):
            raise UserError(self.env._("An action item of confirmed minutes is cancelled, not deleted."))
        self._check_editor()

    def message_subscribe(self, partner_ids=None, subtype_ids=None):
        # the leader told of overdue items reads them through their activity, without following each
        if self.env.context.get("sales_org_escalation"):
            return True
        return super().message_subscribe(partner_ids=partner_ids, subtype_ids=subtype_ids)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_done(self):
        """The owner (or whoever may change the item) says it is done; the owner's activity with it."""
        self._check_open()
        if not self.env.su:
            mine = self.filtered(lambda item: item.user_id == self.env.user)
            (self - mine)._check_editor()
        self._close("done")
        self.sudo().activity_id.filtered("active").action_feedback(
            feedback=self.env._("Closed from the action item."))
        return True

    def action_cancel(self):
        """Dropped: the chair, the note-taker or a leader decides it, not the owner alone."""
        self._check_open()
        self._check_editor()
        self._close("cancelled")
        self.sudo().activity_id.filtered("active").unlink()
        return True

    def action_reopen(self):
        if any(item.state == "open" for item in self):
            raise UserError(self.env._("This action item is in progress already."))
        self._check_editor()
        self.sudo().write({"state": "open", "done_date": False, "activity_id": False})
        self._schedule_owner_activities()
        self._carry_to_later_meetings()
        return True

    # ------------------------------------------------------------------
    # Who may do what
    # ------------------------------------------------------------------

    def _editable_by(self, user):
        """The items `user` may rewrite, cancel and reopen: as the chair or the note-taker of their
        meeting, the unit manager, a leader of the unit or above, or the sales administrator."""
        if user.has_group("sales_team.group_sale_manager"):
            return self
        scope = set(user.sudo().sales_org_team_ids.ids)
        return self.browse([
            item.id for item in self.sudo()
            if user in item.meeting_id.chair_id | item.meeting_id.note_taker_id | item.team_id.user_id
            or item.team_id.id in scope
        ])

    def _check_editor(self):
        if self.env.su:
            return
        refused = self - self._editable_by(self.env.user)
        if refused:
            raise AccessError(self.env._(
                "“%(item)s” is changed by the chair or the note-taker of its meeting, the unit manager or a "
                "leader above; its owner closes it.", item=refused[0].sudo().name,
            ))

    def _check_open(self):
        if any(item.state != "open" for item in self):
            raise UserError(self.env._("Only an action item in progress can be closed or cancelled."))

    def _check_name_value(self, vals):
        if "name" in vals and not (vals["name"] or "").strip():
            raise ValidationError(self.env._("Say what is to be done: an action item needs a description."))

    # ------------------------------------------------------------------
    # The owner's activity
    # ------------------------------------------------------------------

    def _close(self, state):
        for company, items in self.grouped("company_id").items():
            today = (company or self.env.company)._sales_org_today()
            items.sudo().write({"state": state, "done_date": today})

    def _schedule_owner_activities(self):
        """One activity for the owner of each open item, in the owner's language, created in one batch."""
        items = self.sudo().filtered(lambda item: item.state == "open")
        if not items:
            return
        activity_type = self.env.ref("sales_team_org.mail_activity_type_meeting_action")
        envs = {lang: self.with_context(lang=lang).env for lang in set(items.user_id.mapped("lang"))}
        activities = self.env["mail.activity"].sudo().create([{
            "res_model_id": self.env["ir.model"]._get_id(self._name),
            "res_id": item.id,
            "activity_type_id": activity_type.id,
            "summary": item.name,
            "note": Markup("<p>%s</p>") % envs[item.user_id.lang]._(
                "Decided at %(meeting)s.", meeting=item.meeting_id.with_env(envs[item.user_id.lang]).sudo().name),
            "date_deadline": item.date_deadline,
            "user_id": item.user_id.id,
            "automated": True,
        } for item in items])
        for item, activity in zip(items, activities):
            item.activity_id = activity

    def _move_owner_activities(self):
        """The owner's activity follows a new owner or deadline; an item without one gets one."""
        items = self.sudo()
        with_activity = items.filtered(lambda item: item.activity_id.active)
        for (user, deadline), group in with_activity.grouped(lambda item: (item.user_id, item.date_deadline)).items():
            group.activity_id.write({"user_id": user.id, "date_deadline": deadline})
        (items - with_activity)._schedule_owner_activities()

    def _sales_org_activity_done(self, activities):
        """An owner's activity marked done anywhere (chatter, systray, Activities view, RPC)
        closes its item, when who marked it may close the item."""
        items = self.filtered(lambda item: item.state == "open" and item.activity_id in activities)
        user = self.env.user
        if not items:
            return
        if not user._is_superuser():
            refused = items.filtered(lambda item: item.user_id != user) - items._editable_by(user)
            if refused:
                raise AccessError(self.env._(
                    "“%(item)s” is closed by its owner or whoever may change it.", item=refused[0].name))
        items._close("done")

    # ------------------------------------------------------------------
    # Meetings
    # ------------------------------------------------------------------

    @api.model
    def _carry_over(self, meetings):
        """Carry to each meeting the open items of its unit raised in earlier weeks, count at how
        many weeks' meetings each was past its deadline, and tell the leader above the
        unit manager of the items overdue at two meetings, once: one activity per leader (and an
        e-mail to who chose e-mails). A constant number of queries whatever the number of
        meetings; run again for the same meetings (or a revision of the same week), it changes
        nothing."""
        if not meetings:
            return
        self.env["sales.meeting"].flush_model(["team_id", "week_start"])
        self.flush_model(["team_id", "week_start", "state", "date_deadline", "overdue_count", "escalated"])
        self.env.execute_query(SQL(
            """
            INSERT INTO sales_meeting_carried_action_rel (meeting_id, action_id)
            SELECT m.id, a.id
              FROM sales_meeting m
              JOIN sales_meeting_action a ON a.team_id = m.team_id AND a.state = 'open' AND a.week_start < m.week_start
             WHERE m.id IN %s
                ON CONFLICT DO NOTHING
            """,
            tuple(meetings.ids),
        ))
        self.env["sales.meeting"].invalidate_model(["carried_action_ids"])
        self._recount_overdue(SQL(
            "SELECT action_id FROM sales_meeting_carried_action_rel WHERE meeting_id IN %s", tuple(meetings.ids)))
        self._escalate(meetings)

    @api.model
    def _recount_overdue(self, action_ids):
        """Count again, for the items of `action_ids` (an SQL query of ids), at how many weeks'
        meetings they were carried past their deadline: a week counts once it has begun (a
        meeting is prepared a week ahead) if the item was still open then; revisions and a
        meeting deleted and made again count once."""
        self.env.execute_query(SQL(
            """
            WITH ctz AS (%(tz)s)
            UPDATE sales_meeting_action a SET overdue_count = o.weeks
              FROM (SELECT x.id, count(DISTINCT m.week_start) FILTER (
                               WHERE x.date_deadline < m.week_start AND m.week_start <= ctz.today
                                 AND (x.state = 'open' OR x.done_date >= m.week_start)) AS weeks
                      FROM sales_meeting_action x
                      JOIN ctz ON ctz.id = x.company_id
                      LEFT JOIN sales_meeting_carried_action_rel r ON r.action_id = x.id
                      LEFT JOIN sales_meeting m ON m.id = r.meeting_id
                     WHERE x.id IN (%(items)s)
                     GROUP BY x.id) o
             WHERE a.id = o.id AND a.overdue_count IS DISTINCT FROM o.weeks
            """,
            tz=self.env["res.company"]._sql_sales_org_tz(), items=action_ids,
        ))
        self.invalidate_model(["overdue_count"])

    def _carry_to_later_meetings(self):
        """Items raised (or reopened) once the unit's next meetings are prepared go to them too."""
        if not self:
            return
        later = self.env["sales.meeting"].sudo().search([
            ("team_id", "in", self.team_id.ids), ("state", "=", "draft"),
            ("week_start", ">", min(self.sudo().mapped("week_start"))),
        ])
        self._carry_over(later)

    @api.model
    def _escalate(self, meetings):
        Member = self.env["crm.team.member"]
        # the unit manager, else the first who leads the unit by their role
        managers = SQL(
            """
            SELECT DISTINCT COALESCE(t.user_id, (
                       SELECT lm.user_id FROM crm_team_member lm
                    LEFT JOIN sales_org_role lr ON lr.id = lm.role_id
                        WHERE lm.crm_team_id = t.id AND lm.active AND %(leads)s
                        ORDER BY lm.id LIMIT 1)), t.id
              FROM sales_meeting m
              JOIN crm_team t ON t.id = m.team_id
             WHERE m.id IN %(meetings)s
            """,
            leads=Member._sql_leads(member="lm", team="t", role="lr"), meetings=tuple(meetings.ids),
        )
        Member.flush_model(["user_id", "crm_team_id", "role_id", "active", "parent_member_id"])
        self.env["crm.team"].flush_model(["user_id", "active"])
        rows = self.env.execute_query(SQL(
            """
            WITH leader AS (%(approvers)s),
            told AS (
                UPDATE sales_meeting_action a SET escalated = TRUE
                  FROM leader l
                 WHERE l.team_id = a.team_id AND l.approver_id IS NOT NULL
                   AND a.state = 'open' AND a.escalated IS NOT TRUE AND a.overdue_count >= %(meetings)s
             RETURNING a.id, l.approver_id, a.date_deadline
            )
            SELECT approver_id, array_agg(id ORDER BY date_deadline, id) FROM told GROUP BY approver_id
            """,
            approvers=Member._sql_approvers(managers), meetings=ESCALATION_MEETINGS,
        ))
        if not rows:
            return
        self.invalidate_model(["escalated"])
        leaders = self.env["res.users"].sudo().browse([leader_id for leader_id, _ids in rows])
        all_items = self.sudo().browse([item_id for _leader, item_ids in rows for item_id in item_ids])
        todo = self.env.ref("mail.mail_activity_data_todo")
        activities, mails = [], []
        for leader, (_leader_id, item_ids) in zip(leaders, rows):
            env = self.with_context(lang=leader.lang).env
            items = all_items.with_env(env).sudo().browse(item_ids).with_prefetch(all_items._prefetch_ids)
            summary = env._("%(count)s action items overdue at two meetings", count=len(items))
            body = env["ir.qweb"]._render("sales_team_org.sales_meeting_action_escalation", {
                "items": items,
            }, minimal_qcontext=True)
            activities.append({
                "res_model_id": self.env["ir.model"]._get_id(self._name),
                "res_id": items[0].id,
                "activity_type_id": todo.id,
                "summary": summary,
                "note": body,
                "date_deadline": items[0].company_id._sales_org_today(),
                "user_id": leader.id,
                "automated": True,
            })
            if leader.notification_type == "email":
                mails.append((leader.partner_id, summary, body))
        self.env["mail.activity"].sudo().with_context(
            mail_activity_quick_update=True, sales_org_escalation=True).create(activities)
        self.env["sales.org.rhythm"]._send_mails(mails)
