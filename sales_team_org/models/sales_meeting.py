from collections import defaultdict
from datetime import timedelta

import pytz

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, format_amount, format_date

from .sales_org_guard import MAIL_FIELDS, trusted_fields
from .sales_org_robot_api import escape

FIGURES = ("call_count", "visit_count", "customer_count", "new_customer_count", "quotation_count",
           "order_count", "order_amount")
# what the chair and the note-taker write while the minutes are a draft
MINUTES_FIELDS = frozenset({"attendee_ids", "problem_ids", "next_week_plan", "recognition", "notes", "action_ids"})
# what the unit's manager and the leaders above decide while the minutes are a draft
ORGANISER_FIELDS = frozenset({"chair_id", "note_taker_id", "start", "duration"})
# set once, when the meeting is created
CREATE_FIELDS = frozenset({"team_id"})
# what a user may give of the lines of a meeting they create: new lines, with their own fields
NEW_LINE_FIELDS = {
    "attendee_ids": frozenset({"user_id", "attendance", "is_present", "note"}),
    "problem_ids": frozenset({"sequence", "problem", "solution", "user_id"}),
    "action_ids": frozenset({"name", "user_id", "date_deadline"}),
}


class SalesMeeting(models.Model):
    """周例会: a unit's weekly meeting, its calendar event and its minutes (会议纪要).

    Prepared by the scheduled action a week ahead (or created by hand by the unit's manager or a
    leader above) with last week's figures of the unit and its people; the chair and the note-taker
    write the minutes, then confirm them: confirmed minutes are locked and archived (printed as a
    PDF kept as an attachment). A correction is a new revision; the one it corrects is superseded.
    """

    _name = "sales.meeting"
    _inherit = ["mail.thread", "mail.activity.mixin", "sales.org.guarded.mixin"]
    _description = "Weekly Team Meeting"
    _order = "week_start desc, team_id, revision desc"
    _check_company_auto = True
    _sales_org_system_fields = frozenset({
        "company_id", "week_start", "name", "event_id", "guest_ids", "figure_ids", "figures_date", "state",
        "revision", "previous_id", "confirmed_date", "confirmed_by_id", "carried_action_ids",
    })

    # Description
    name = fields.Char(compute="_compute_name", store=True)
    # a unit with meetings is archived, not deleted (its ondelete check); uninstalling removes both
    team_id = fields.Many2one(
        "crm.team", string="Unit", required=True, index=True, ondelete="cascade", check_company=True,
        tracking=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, compute="_compute_company_id", store=True, precompute=True,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    week_start = fields.Date(
        string="Week", required=True, index=True, compute="_compute_week_start", store=True, precompute=True,
        help="The Monday of the company-local week the meeting is held in.",
    )
    # The meeting
    event_id = fields.Many2one("calendar.event", string="Calendar Event", readonly=True, ondelete="set null")
    start = fields.Datetime(
        required=True, compute="_compute_start", store=True, readonly=False, precompute=True, tracking=True,
    )
    duration = fields.Float(
        compute="_compute_start", store=True, readonly=False, precompute=True, help="In hours.",
    )
    chair_id = fields.Many2one(
        "res.users", compute="_compute_chair_id", store=True, readonly=False, precompute=True,
        index=True, tracking=True,
    )
    note_taker_id = fields.Many2one("res.users", string="Note-taker", index="btree_not_null", tracking=True)
    attendee_ids = fields.One2many("sales.meeting.attendee", "meeting_id", string="Attendance", copy=True)
    guest_ids = fields.Many2many(
        "res.users", "sales_meeting_guest_rel", "meeting_id", "user_id", string="Guests", readonly=True,
        help="Invited by the organisation: the sales director and the unit's regional director.",
    )
    # Minutes
    figure_ids = fields.One2many("sales.meeting.figure", "meeting_id", string="Last Week's Figures",
                                 readonly=True, copy=True)
    figures_date = fields.Datetime(string="Figures as of", readonly=True)
    last_week_label = fields.Char(string="Figures of", compute="_compute_last_week_label")
    market_info_ids = fields.Many2many(
        "sales.market.info", string="Market Information", compute="_compute_market_info_ids",
        help="What the people of the unit and of the units below learnt of the market last week.",
    )
    problem_ids = fields.One2many("sales.meeting.problem", "meeting_id", string="Problems and Solutions",
                                  copy=True)
    next_week_plan = fields.Html(string="Plan for Next Week")
    recognition = fields.Html()
    notes = fields.Html()
    action_ids = fields.One2many("sales.meeting.action", "meeting_id", string="Action Items")
    carried_action_ids = fields.Many2many(
        "sales.meeting.action", "sales_meeting_carried_action_rel", "meeting_id", "action_id",
        string="Open Items Carried Over", readonly=True)
    # Archive
    state = fields.Selection(
        [("draft", "Draft"), ("confirmed", "Confirmed"), ("superseded", "Superseded")],
        string="Status", default="draft", required=True, readonly=True, index=True, tracking=True, copy=False,
    )
    revision = fields.Integer(readonly=True, default=0, copy=False)
    previous_id = fields.Many2one("sales.meeting", string="Revision of", readonly=True, copy=False,
                                  ondelete="cascade", index="btree_not_null")
    confirmed_date = fields.Datetime(string="Confirmed On", readonly=True, copy=False)
    confirmed_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    can_edit = fields.Boolean(compute="_compute_can_edit", string="Can Write the Minutes")
    can_organise = fields.Boolean(compute="_compute_can_edit")
    can_revise = fields.Boolean(compute="_compute_can_edit")

    # ------------------------------------------------------------------
    # Compute
    # ------------------------------------------------------------------

    @api.depends("team_id", "week_start", "revision")
    def _compute_name(self):
        for lang, meetings in self.grouped(lambda m: m.chair_id.lang or self.env.lang or "en_US").items():
            env = self.with_context(lang=lang).env
            for meeting in meetings:
                name = env._("%(unit)s Weekly Meeting %(week)s", unit=meeting.team_id.name or "",
                             week=meeting.week_start or "")
                if meeting.revision:
                    name = env._("%(name)s (revision %(revision)s)", name=name, revision=meeting.revision)
                meeting.name = name

    @api.depends("team_id")
    def _compute_company_id(self):
        for meeting in self:
            meeting.company_id = meeting.team_id.company_id or meeting.company_id or self.env.company

    @api.depends("start", "company_id")
    def _compute_week_start(self):
        for meeting in self:
            meeting.week_start = meeting.start and meeting._week_of(meeting.company_id, meeting.start)

    @api.depends("team_id")
    def _compute_start(self):
        for meeting in self:
            team = meeting.team_id
            meeting.duration = team.meeting_duration or meeting.duration or 1.0
            if meeting.start or not team.meeting_weekday:
                continue
            company = team.company_id or self.env.company
            today = company._sales_org_today()
            meeting.start = team._meeting_start(today - timedelta(days=today.weekday()))

    @api.depends("team_id")
    def _compute_chair_id(self):
        for meeting in self:
            meeting.chair_id = meeting.team_id.user_id or meeting.chair_id

    @api.depends("week_start")
    @api.depends_context("lang")
    def _compute_last_week_label(self):
        for meeting in self:
            if not meeting.week_start:
                meeting.last_week_label = False
                continue
            first = meeting.week_start - timedelta(days=7)
            meeting.last_week_label = self.env._(
                "%(first)s – %(last)s", first=first, last=first + timedelta(days=6))

    @api.depends("team_id", "week_start", "company_id")
    @api.depends_context("uid")
    def _compute_market_info_ids(self):
        # what each reader may read of it, in one search for all the meetings
        requests = [
            (meeting, meeting.team_id.ids, meeting.company_id.id, meeting.week_start - timedelta(days=7),
             meeting.week_start - timedelta(days=1))
            for meeting in self if meeting.team_id and meeting.week_start and meeting.company_id
        ]
        feeds = self.env["sales.market.info"]._feed(requests)
        for meeting in self:
            meeting.market_info_ids = feeds.get(meeting, self.env["sales.market.info"])

    @api.depends("state", "team_id", "chair_id", "note_taker_id")
    @api.depends_context("uid")
    def _compute_can_edit(self):
        for meeting in self:
            meeting.can_organise = meeting.state == "draft" and meeting._is_organiser()
            meeting.can_edit = meeting.state == "draft" and meeting._is_editor()
            meeting.can_revise = meeting.state == "confirmed" and meeting._is_editor()

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------

    @api.constrains("duration")
    def _check_duration(self):
        if any(meeting.duration <= 0 for meeting in self):
            raise ValidationError(self.env._("A meeting lasts some time: its duration is above zero."))

    def init(self):
        # one current meeting per unit and week, whatever runs at the same time
        self.env.cr.execute(SQL(
            "CREATE UNIQUE INDEX IF NOT EXISTS sales_meeting_team_week_uniq ON sales_meeting (team_id, week_start)"
            " WHERE state != 'superseded'"))

    # ------------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if not all(vals.get("team_id") for vals in vals_list):
            raise ValidationError(self.env._("A weekly meeting is the meeting of a unit: choose the unit."))
        if not self.env.su:
            refused = {fname for vals in vals_list for fname, value in vals.items() if value} \
                & self._sales_org_system_fields
            if refused:
                self._refuse_fields(refused)
            teams = self.env["crm.team"].browse({vals["team_id"] for vals in vals_list})
            teams.check_access("read")
            self.browse()._check_organiser(teams)
            self._check_new_lines(vals_list)
        # a revision (sudo, from action_revise) is a copy: nothing to prepare
        fresh = [vals for vals in vals_list if not vals.get("previous_id")]
        prepared = iter(self._prepare_minutes(fresh) if fresh else ())
        vals_list = [vals if vals.get("previous_id") else next(prepared) for vals in vals_list]
        with trusted_fields(self._sales_org_system_fields):
            meetings = super(SalesMeeting, self.sudo().with_context(mail_create_nolog=True)).create(vals_list)
        self.env["sales.meeting.action"].sudo()._carry_over(meetings)
        return meetings.with_env(self.env)

    @api.model
    def _check_new_lines(self, vals_list):
        """The meeting is created by the server: the lines a user gives with it are only new
        lines of its own, never others' changed, linked or deleted through it."""
        for vals in vals_list:
            for fname, allowed in NEW_LINE_FIELDS.items():
                for command in vals.get(fname) or ():
                    if command[0] != Command.CREATE or set(command[2]) - allowed:
                        raise AccessError(self.env._(
                            "A new meeting's attendance, problems and action items are lines of its own: "
                            "add them as new lines."))

    def write(self, vals):
        if not self.env.su:
            self._check_user_write(set(vals))
        weeks = {meeting: meeting.week_start for meeting in self} if "start" in vals else {}
        res = super().write(vals)
        if weeks and any(meeting.week_start != week for meeting, week in weeks.items()):
            raise ValidationError(self.env._(
                "A weekly meeting stays in its week; for another week, create that week's meeting."))
        if {"start", "duration"} & vals.keys():
            for meeting in self.filtered("event_id"):
                meeting.event_id.sudo().write({"start": meeting.start, "stop": meeting._stop(),
                                               "duration": meeting.duration})
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_only_drafts(self):
        if any(meeting.state != "draft" for meeting in self):
            raise UserError(self.env._("Confirmed minutes are archived: they cannot be deleted."))
        if not self.env.su:
            self._check_organiser(self.team_id)
        self.action_ids.sudo().unlink()  # a draft's items go with it

    def unlink(self):
        events = self.event_id
        carried = self.sudo().carried_action_ids
        # a draft revision deleted: the minutes it corrected stand again, with the week's items
        corrected = self.sudo().filtered("previous_id")
        for revision in corrected:
            revision.action_ids.write({"meeting_id": revision.previous_id.id})
        corrected = corrected.previous_id
        res = super().unlink()
        corrected.write({"state": "confirmed"})
        if carried:
            self.env["sales.meeting.action"]._recount_overdue(SQL("SELECT unnest(%s::int[])", carried.ids))
        # revisions share their event: it goes with the last of them
        (events - self.sudo().search([("event_id", "in", events.ids)]).event_id).sudo().unlink()
        return res

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_confirm(self):
        """Lock the minutes: nobody changes them afterwards."""
        self._check_state("draft", self.env._("Only draft minutes can be confirmed."))
        if not self.env.su:
            self._check_editor()
        self.sudo().write({"state": "confirmed", "confirmed_date": fields.Datetime.now(),
                           "confirmed_by_id": self.env.uid})
        self.env["sales.org.robot"]._queue_safely("the minutes", self.sudo()._robot_send_minutes)
        return True

    def action_revise(self):
        """Correct confirmed minutes: a new draft revision with the same content; these are
        superseded and stay readable."""
        self._check_state("confirmed", self.env._("Only confirmed minutes are revised."))
        if not self.env.su:
            self._check_editor()
        meetings = self.sudo()
        meetings.write({"state": "superseded"})
        meetings.flush_recordset(["state"])  # before the revisions take the unit's week
        # the copy keeps the figures, the attendance and the event as they were
        revisions = meetings.browse()
        for meeting in meetings:
            revision = meeting.with_context(mail_create_nolog=True).copy({
                "revision": meeting.revision + 1, "previous_id": meeting.id, "week_start": meeting.week_start,
                "company_id": meeting.company_id.id, "figures_date": meeting.figures_date,
            })
            meeting.action_ids.write({"meeting_id": revision.id})  # the week's items follow the current minutes
            revisions |= revision
        if len(revisions) == 1:
            return {
                "type": "ir.actions.act_window",
                "res_model": self._name,
                "res_id": revisions.id,
                "views": [(False, "form")],
                "target": "current",
            }
        return True

    def action_refresh_figures(self):
        """Fill last week's figures again from what was done in Odoo, while a draft."""
        self._check_state("draft", self.env._("The figures of confirmed minutes stay as they were."))
        if not self.env.su:
            self._check_editor()
        self.sudo()._refresh_figures()
        return True

    def action_open_event(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "calendar.event",
            "res_id": self.event_id.id,
            "views": [(False, "form")],
            "target": "current",
        }

    # ------------------------------------------------------------------
    # Who may do what
    # ------------------------------------------------------------------

    def _is_organiser(self, team=None, user=None):
        """The unit's manager, a leader of it or of a unit above, or the sales administrator."""
        user = user or self.env.user
        team = team or self.team_id
        return (team.user_id == user or team.id in user.sales_org_team_ids.ids
                or user.has_group("sales_team.group_sale_manager"))

    def _is_editor(self, user=None):
        user = user or self.env.user
        return user in self.chair_id | self.note_taker_id or self._is_organiser(user=user)

    def _check_organiser(self, teams):
        for team in teams:
            if not self._is_organiser(team):
                raise AccessError(self.env._(
                    "The weekly meetings of %(unit)s are organised by its manager or a leader above.",
                    unit=team.name))

    def _check_editor(self):
        for meeting in self:
            if not meeting._is_editor():
                raise AccessError(self.env._(
                    "The minutes of %(meeting)s are written by its chair, its note-taker, the unit's manager "
                    "or a leader above.", meeting=meeting.display_name))

    def _check_state(self, state, message):
        if any(meeting.state != state for meeting in self):
            raise UserError(message)

    def _check_minutes_editable(self):
        """Raise unless the current user may change the minutes (lines included) of these meetings."""
        if self.env.su:
            return
        self._check_state("draft", self.env._("Confirmed minutes are locked: revise them to correct them."))
        self._check_editor()

    def _check_user_write(self, fnames):
        refused = fnames & (self._sales_org_system_fields | CREATE_FIELDS | MAIL_FIELDS)
        if refused:
            self._refuse_fields(refused)
        if not fnames:
            return
        self._check_minutes_editable()
        if fnames - MINUTES_FIELDS:
            for meeting in self:
                if not meeting._is_organiser():
                    raise AccessError(self.env._(
                        "The chair, the note-taker and the time of %(meeting)s are set by the unit's manager "
                        "or a leader above.", meeting=meeting.display_name))

    def _refuse_fields(self, fnames):
        raise AccessError(self.env._(
            "%(fields)s of %(model)s are set by the organisation's own workflow, not by hand.",
            fields=", ".join(self._fields[fname]._description_string(self.env) for fname in sorted(fnames)),
            model=self.env["ir.model"]._get(self._name).name,
        ))

    # ------------------------------------------------------------------
    # Preparation
    # ------------------------------------------------------------------

    @api.model
    def _cron_prepare_meetings(self):
        """Hourly: once a company's hour has come on a working day, prepare next week's meeting
        of each of its units with a meeting day. Every run, whatever the hour, the drafts
        prepared before their week began get last week's figures complete, before an early
        meeting."""
        Rhythm = self.env["sales.org.rhythm"]
        hour = Rhythm._rhythm_hour("sales_team_org.meeting_prepare_hour", 9)
        for company, day in Rhythm._companies_due(hour):
            monday = day - timedelta(days=day.weekday())
            self.sudo()._prepare_meetings(company, monday + timedelta(days=7))
        for company in self.env["res.company"].sudo().search([]):
            today = company._sales_org_today()
            monday = today - timedelta(days=today.weekday())
            this_week = self.sudo().search([
                ("company_id", "=", company.id), ("state", "=", "draft"), ("week_start", "=", monday)])
            week_began = company._sales_org_day_bounds(monday)[0]
            this_week.filtered(lambda meeting: not meeting.figures_date or meeting.figures_date < week_began) \
                ._refresh_figures()
            # the week has begun: the items carried to its meetings past their deadline count now
            self.env["sales.meeting.action"].sudo()._carry_over(this_week)

    @api.model
    def _prepare_meetings(self, company, week_start):
        """The meetings of `week_start` of the units of `company` with a meeting day and hour that
        have none yet: event and invitations, attendance, last week's figures. A constant number
        of queries of ours whatever the number of units (Odoo's calendar adds its invitations)."""
        units = self.env["crm.team"].search([
            ("company_id", "=", company.id), ("meeting_weekday", "!=", False),
        ])
        if not units:
            return self.browse()
        taken = self.search([("team_id", "in", units.ids), ("week_start", "=", week_start),
                             ("state", "!=", "superseded")]).team_id
        units -= taken
        if not units:
            return self.browse()
        return self.create([{"team_id": unit.id, "start": unit._meeting_start(week_start)} for unit in units])

    @api.model
    def _prepare_minutes(self, vals_list):
        """Complete the values of new meetings with what the organisation says: their week,
        guests, attendance, figures and calendar event (invitations sent by the calendar)."""
        Team = self.env["crm.team"].sudo()
        vals_list = [dict(vals) for vals in vals_list]
        for vals in vals_list:
            team = Team.browse(vals["team_id"])
            vals.setdefault("chair_id", team.user_id.id)
            vals.setdefault("duration", team.meeting_duration or 1.0)
            if not vals.get("start"):
                if not team.meeting_weekday:
                    raise ValidationError(self.env._("Say when the meeting of %(unit)s starts.", unit=team.name))
                today = team.company_id._sales_org_today()
                vals["start"] = team._meeting_start(today - timedelta(days=today.weekday()))
            vals["start"] = fields.Datetime.to_datetime(vals["start"])
            company = team.company_id or self.env.company
            vals["company_id"] = company.id
            vals["week_start"] = self._week_of(company, vals["start"])
            if vals.get("duration", 1.0) <= 0:
                raise ValidationError(self.env._("A meeting lasts some time: its duration is above zero."))
        self._check_unique_week(vals_list)
        teams = Team.browse([vals["team_id"] for vals in vals_list])
        members = self._unit_members(teams)
        guests = self._unit_guests(teams)
        figures = self._figure_lines([(vals["team_id"], vals["company_id"], vals["week_start"]) for vals in vals_list])
        Users = self.env["res.users"].sudo()
        event_vals = []
        for vals in vals_list:
            team_id, chair_id = vals["team_id"], vals.get("chair_id")
            people = list(dict.fromkeys(members.get(team_id, []) + ([chair_id] if chair_id else [])))
            invited = [uid for uid in guests.get(team_id, []) if uid != chair_id and uid not in people]
            # whoever the organiser listed already, then the unit's members and the guests
            listed = {command[2].get("user_id") for command in vals.get("attendee_ids") or ()
                      if command[0] == Command.CREATE}
            vals["attendee_ids"] = list(vals.get("attendee_ids") or ()) + [
                Command.create({"user_id": uid}) for uid in people if uid not in listed] + [
                Command.create({"user_id": uid, "is_guest": True}) for uid in invited if uid not in listed]
            vals["guest_ids"] = [Command.set(invited)]
            vals["figure_ids"] = [Command.create(line) for line in
                                  figures[vals["team_id"], vals["company_id"], vals["week_start"]]]
            vals["figures_date"] = fields.Datetime.now()
            users = Users.browse(people + invited)
            event_vals.append({
                "name": self._event_name(Team.browse(team_id), vals["week_start"], Users.browse(chair_id)),
                "start": vals["start"],
                "stop": vals["start"] + timedelta(hours=vals["duration"]),
                "duration": vals["duration"],
                "user_id": chair_id or self.env.uid,
                "partner_ids": [Command.set(users.partner_id.ids)],
            })
        events = self.env["calendar.event"].sudo().with_context(mail_create_nolog=True).create(event_vals)
        for vals, event in zip(vals_list, events):
            vals["event_id"] = event.id
        return vals_list

    def _check_unique_week(self, vals_list):
        pairs = [(vals["team_id"], vals["week_start"]) for vals in vals_list]
        duplicate = len(set(pairs)) != len(pairs)
        if not duplicate:
            existing = self.sudo().search_read([
                ("team_id", "in", [team_id for team_id, _week in pairs]),
                ("week_start", "in", [week for _team, week in pairs]), ("state", "!=", "superseded"),
            ], ["team_id", "week_start"])
            duplicate = {(row["team_id"][0], row["week_start"]) for row in existing} & set(pairs)
        if duplicate:
            raise ValidationError(self.env._(
                "This unit has its meeting of that week already: open it, or revise its minutes."))

    @api.model
    def _unit_members(self, teams):
        """{unit id: [user ids]}: the active members of each unit, its manager first."""
        rows = self.env["crm.team.member"].sudo().search_read(
            [("crm_team_id", "in", teams.ids), ("user_id.active", "=", True)], ["crm_team_id", "user_id"],
            order="id")
        members = defaultdict(list)
        for team in teams:
            if team.user_id:
                members[team.id].append(team.user_id.id)
        for row in rows:
            if row["user_id"][0] not in members[row["crm_team_id"][0]]:
                members[row["crm_team_id"][0]].append(row["user_id"][0])
        return members

    @api.model
    def _unit_guests(self, teams):
        """{unit id: [user ids]}: whom the organisation invites to each unit's meeting: the sales
        director (the manager of the unit at the root, or who holds a role seeing everything
        there) and, inside a region, the regional director (the manager of the nearest region
        unit above or equal, else who leads it)."""
        paths = {team.id: [int(part) for part in (team.parent_path or f"{team.id}/").split("/") if part]
                 for team in teams}
        above = self.env["crm.team"].sudo().browse({uid for path in paths.values() for uid in path})
        above.fetch(["user_id", "unit_type"])
        leaders = self.env["crm.team.member"].sudo().search_read([
            ("crm_team_id", "in", above.ids), ("user_id.active", "=", True),
            ("role_id.access_level", "in", ("unit", "all")),
        ], ["crm_team_id", "user_id", "role_id"], order="id")
        levels = dict((role.id, role.access_level) for role in self.env["sales.org.role"].sudo().browse(
            {row["role_id"][0] for row in leaders}))
        leading = defaultdict(list)
        for row in leaders:
            leading[row["crm_team_id"][0]].append((row["user_id"][0], levels[row["role_id"][0]]))
        guests = {}
        for team in teams:
            path = paths[team.id]
            root = above.browse(path[0])
            found = root.user_id.ids or [uid for uid, level in leading[root.id] if level == "all"]
            region = next((unit for unit in reversed(above.browse(path)) if unit.unit_type == "region"), None)
            if region:
                found += region.user_id.ids or [uid for uid, _level in leading[region.id]]
            guests[team.id] = list(dict.fromkeys(found))
        return guests

    def _refresh_figures(self):
        lines = self._figure_lines([(m.team_id.id, m.company_id.id, m.week_start) for m in self])
        self.figure_ids.unlink()
        self.env["sales.meeting.figure"].create([
            dict(line, meeting_id=meeting.id)
            for meeting in self for line in lines[meeting.team_id.id, meeting.company_id.id, meeting.week_start]])
        self.write({"figures_date": fields.Datetime.now()})

    @api.model
    def _figure_lines(self, keys):
        """{(unit id, company id, week start): [figure line values]}: the week before each week
        start, in the company's days: per person who was in the unit that week or has figures
        booked in it, and the unit's total line (no person). A few queries for each distinct week
        (one in the scheduled action) whatever the number of units."""
        lines = {}
        for week_start, week_keys in self._group_by_week(keys).items():
            first, last = week_start - timedelta(days=7), week_start - timedelta(days=1)
            team_ids = list({team_id for team_id, _company in week_keys})
            domain = [("team_id", "in", team_ids), ("date", ">=", first), ("date", "<=", last)]
            Figure = self.env["sales.org.figure"].sudo()
            per_person = Figure._sum(domain, ["team_id", "user_id"])
            per_unit = Figure._sum(domain, ["team_id"])
            reports = defaultdict(lambda: [0, 0])
            for team, user, submitted, count in self.env["sales.daily.report.status"].sudo()._read_group(
                    domain, ["team_id", "user_id", "is_submitted"], ["__count"]):
                reports[team.id, user.id][0] += count
                reports[team.id, False][0] += count
                if submitted:
                    reports[team.id, user.id][1] += count
                    reports[team.id, False][1] += count
            people = defaultdict(set)
            for row in self.env["sales.org.assignment"].sudo().search_read([
                ("team_id", "in", team_ids), ("date_from", "<=", last),
                "|", ("date_to", "=", False), ("date_to", ">=", first),
            ], ["team_id", "user_id"]):
                people[row["team_id"][0]].add(row["user_id"][0])
            for team_id, user_id in list(per_person) + [key for key in reports if key[1]]:
                if user_id:
                    people[team_id].add(user_id)
            empty = dict.fromkeys(FIGURES, 0)
            for team_id, company_id in week_keys:
                rows = [dict(empty, **per_person.get((team_id, user_id), {}), user_id=user_id,
                             report_due=reports[team_id, user_id][0], report_submitted=reports[team_id, user_id][1])
                        for user_id in sorted(people[team_id])]
                rows.append(dict(empty, **per_unit.get((team_id,), {}), user_id=False,
                                 report_due=reports[team_id, False][0], report_submitted=reports[team_id, False][1]))
                lines[team_id, company_id, week_start] = rows
        return lines

    @api.model
    def _group_by_week(self, keys):
        weeks = defaultdict(set)
        for team_id, company_id, week_start in keys:
            weeks[week_start].add((team_id, company_id))
        return weeks

    # ------------------------------------------------------------------
    # Group robots
    # ------------------------------------------------------------------

    def _robot_send_minutes(self):
        """Queue these confirmed minutes, in short, to the group robots of each meeting's unit,
        in each robot's language: a revision is sent again as such. A constant number of
        queries whatever the number of meetings and robots."""
        robots_of = self.env["sales.org.robot"]._for_units(self.team_id.ids, "meeting")
        meetings = self.filtered(lambda meeting: meeting.team_id.id in robots_of)
        if not meetings:
            return
        base_url = meetings[:1].get_base_url()
        totals = {line.meeting_id.id: line for line in meetings.figure_ids if not line.user_id}
        messages = []
        for env, lang_robots in self.env["sales.org.robot"]._by_language(robots_of):
            for meeting in meetings.with_env(env):
                theirs = robots_of[meeting.team_id.id] & lang_robots
                if theirs:
                    title, body = meeting._robot_minutes(env, totals.get(meeting.id), base_url)
                    messages += [{"robot": robot, "kind": "meeting", "key": f"meeting:{meeting.id}",
                                  "title": title, "body": body} for robot in theirs]
        self.env["sales.org.robot.message"]._enqueue(messages)

    def _robot_minutes(self, env, total, base_url):
        """(title, markdown body) of these minutes in the language of `env`: the unit's figures
        of last week (`total`, the unit's line), the problems, the action items, who came."""
        self.ensure_one()
        week = format_date(env, self.week_start)
        unit = escape(self.team_id.name)
        if self.revision:
            title = env._("Revised minutes (revision %(revision)s): %(unit)s, week of %(week)s",
                          revision=self.revision, unit=unit, week=week)
        else:
            title = env._("Minutes: %(unit)s, week of %(week)s", unit=unit, week=week)
        lines = [f"### {title}"]
        if total:
            lines += ["", "**" + env._("Last week") + "**", "- " + env._(
                "%(calls)s calls, %(visits)s visits, %(customers)s new customers",
                calls=total.call_count, visits=total.visit_count, customers=total.new_customer_count,
            ), "- " + env._("%(orders)s orders confirmed: %(amount)s", orders=total.order_count,
                            amount=format_amount(env, total.order_amount, self.currency_id))]
        if self.problem_ids:
            lines += ["", "**" + env._("Problems") + "**"]
            for problem in self.problem_ids:
                line = escape(problem.problem)
                if problem.solution:
                    line = env._("%(problem)s → %(solution)s", problem=line,
                                 solution=escape(problem.solution))
                lines.append(f"- {line}")
        if self.action_ids:
            lines += ["", "**" + env._("Action items") + "**"]
            lines += ["- " + env._("%(item)s: %(person)s, by %(deadline)s", item=escape(item.name), person=escape(item.user_id.name),
                                   deadline=format_date(env, item.date_deadline))
                      for item in self.action_ids if item.state != "cancelled"]
        if self.attendee_ids:
            came = self.attendee_ids.filtered("is_present")
            lines += ["", env._("Present: %(came)s of %(expected)s", came=len(came), expected=len(self.attendee_ids))]
            absent = self.attendee_ids - came
            if absent:
                lines[-1] += " · " + env._("absent: %(people)s", people=", ".join(map(escape, absent.user_id.mapped("name"))))
        label = env._("Open the minutes")
        lines += ["", f"[{label}]({base_url}/mail/view?model={self._name}&res_id={self.id})"]
        return title, "\n".join(lines)

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    @api.model
    def _week_of(self, company, start):
        """The Monday of the company-local week of `start` (naive UTC)."""
        day = pytz.utc.localize(start).astimezone(company._sales_org_tz()).date()
        return day - timedelta(days=day.weekday())

    @api.model
    def _event_name(self, team, week_start, chair):
        env = self.with_context(lang=chair.lang or self.env.lang or "en_US").env
        return env._("%(unit)s Weekly Meeting %(week)s", unit=team.name, week=week_start)

    def _stop(self):
        return self.start + timedelta(hours=self.duration)
