from collections import defaultdict
from datetime import datetime, time, timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL
from odoo.tools.misc import format_date

from .sales_org_guard import MAIL_FIELDS, check_system_fields

OPEN_STATES = ("planned", "in_progress")
# Set when enrolling and never changed afterwards: a wrong enrolment is cancelled and made again.
ENROLMENT_FIELDS = frozenset({"user_id", "program_id", "team_id", "company_id", "date_start"})


class SalesTrainingEnrolment(models.Model):
    """培训记录: one person going through a training programme, each step planned over their
    working days with its trainer, signed off step by step."""

    _name = "sales.training.enrolment"
    _inherit = ["mail.thread", "mail.activity.mixin", "sales.org.guarded.mixin"]
    _description = "Training Enrolment"
    _order = "date_start desc, id desc"
    _check_company_auto = True
    _mail_post_access = "read"  # trainees and leaders comment without writing anything
    _sales_org_system_fields = frozenset({"name", "state", "progress", "date_done", "step_ids"}) | MAIL_FIELDS

    name = fields.Char(compute="_compute_name", store=True)
    user_id = fields.Many2one("res.users", string="Trainee", required=True, index=True, ondelete="cascade",
                              tracking=True)
    program_id = fields.Many2one("sales.training.program", string="Programme", required=True, index=True,
                                 ondelete="cascade", check_company=True, tracking=True)
    team_id = fields.Many2one("crm.team", string="Unit", index="btree_not_null", ondelete="set null",
                              check_company=True, help="The unit the trainee joined; empty: their current unit.")
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    date_start = fields.Date(string="First Day", required=True)
    state = fields.Selection(
        [("planned", "Not Started"), ("in_progress", "In Progress"), ("done", "Completed"), ("cancelled", "Cancelled")],
        string="Status", required=True, default="planned", readonly=True, index=True, tracking=True, copy=False,
    )
    progress = fields.Float(compute="_compute_progress", store=True, readonly=True, aggregator="avg",
                            help="Steps passed, in percent of the programme's steps.")
    step_ids = fields.One2many("sales.training.enrolment.step", "enrolment_id", string="Steps", readonly=True)
    is_overdue = fields.Boolean(string="Overdue", compute="_compute_is_overdue", search="_search_is_overdue")
    date_done = fields.Date(string="Completed On", readonly=True, copy=False)

    def init(self):
        # one open enrolment per person and programme, whatever runs at the same time
        self.env.cr.execute(SQL(
            "CREATE UNIQUE INDEX IF NOT EXISTS sales_training_enrolment_open_uniq"
            " ON sales_training_enrolment (user_id, program_id) WHERE state IN ('planned', 'in_progress')"))

    # ------------------------------------------------------------------
    # Compute
    # ------------------------------------------------------------------

    @api.depends("user_id.name", "program_id.name")
    def _compute_name(self):
        for enrolment in self:
            enrolment.name = f"{enrolment.user_id.name or ''} · {enrolment.program_id.name or ''}"

    @api.depends("step_ids.state")
    def _compute_progress(self):
        for enrolment in self:
            steps = enrolment.step_ids
            passed = len(steps.filtered(lambda step: step.state == "passed"))
            enrolment.progress = 100.0 * passed / len(steps) if steps else 0.0

    @api.depends("step_ids.is_overdue")
    def _compute_is_overdue(self):
        for enrolment in self:
            enrolment.is_overdue = any(enrolment.step_ids.mapped("is_overdue"))

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Search overdue enrolments with “is set” or “is not set”."))
        overdue = [("step_ids", "any", [("is_overdue", "=", True)])]
        return overdue if (operator == "=") == value else ["!", *overdue]

    # ------------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            self._check_can_enrol(vals_list)
        self._complete_enrolment_values(vals_list)
        self._check_enrolment_values(vals_list)
        enrolments = super().create(vals_list)
        enrolments._plan()
        return enrolments

    def write(self, vals):
        check_system_fields(self, vals, self._sales_org_system_fields | ENROLMENT_FIELDS)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_if_not_started(self):
        if any(enrolment.state in ("in_progress", "done") for enrolment in self):
            raise UserError(self.env._("A training that has started stays on record: cancel it instead."))

    def unlink(self):
        self.step_ids.sudo().unlink()  # with their activities and messages
        return super().unlink()

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_cancel(self):
        """Stop these trainings: their open steps' activities go away."""
        self.check_access("read")
        self._check_leader_or_admin(self.env._("Only a leader above the trainee or the sales administrator "
                                               "cancels a training."))
        if any(enrolment.state not in OPEN_STATES for enrolment in self):
            raise UserError(self.env._("Only a planned or ongoing training is cancelled."))
        self.sudo().step_ids.activity_ids.unlink()
        self.sudo().write({"state": "cancelled"})
        return True

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    @api.model
    def _enrol(self, vals_list):
        """Enrol people in programmes, whoever calls: each dict of `vals_list` gives user_id,
        program_id, team_id, date_start and company_id. A person already in that programme
        (planned or in progress) is skipped. Every step is planned with its trainer, and the
        first one given to trainee and trainer: a constant number of queries for any number of
        people. Returns the new enrolments."""
        open_pairs = self._open_pairs({(vals["user_id"], vals["program_id"]) for vals in vals_list})
        todo = []
        for vals in vals_list:
            pair = (vals["user_id"], vals["program_id"])
            if pair not in open_pairs:
                open_pairs.add(pair)
                todo.append(vals)
        if not todo:
            return self.browse()
        enrolments = self.sudo().with_context(tracking_disable=True, mail_create_nolog=True,
                                              mail_create_nosubscribe=True).create(todo)
        return self.browse(enrolments.ids)

    @api.model
    def _incomplete_user_ids(self, user_ids):
        """The ids among `user_ids` of the people with a training planned or in progress (one query)."""
        if not user_ids:
            return set()
        self.flush_model(["user_id", "state"])
        return {user_id for user_id, in self.env.execute_query(SQL(
            "SELECT DISTINCT user_id FROM sales_training_enrolment WHERE user_id IN %s AND state IN %s",
            tuple(user_ids), OPEN_STATES,
        ))}

    @api.model
    def _open_pairs(self, pairs):
        """The (user id, programme id) of `pairs` with an enrolment planned or in progress."""
        if not pairs:
            return set()
        self.flush_model(["user_id", "program_id", "state"])
        return set(self.env.execute_query(SQL(
            """
            SELECT e.user_id, e.program_id FROM sales_training_enrolment e
              JOIN (VALUES %s) AS p(user_id, program_id) ON p.user_id = e.user_id AND p.program_id = e.program_id
             WHERE e.state IN %s
            """,
            SQL(", ").join(SQL("(%s, %s)", user_id, program_id) for user_id, program_id in pairs), OPEN_STATES,
        )))

    @api.model
    def _check_can_enrol(self, vals_list):
        """A leader above the trainee or the sales administrator enrols them; nobody enrols themselves."""
        if any(vals.get("user_id") == self.env.uid for vals in vals_list):
            raise UserError(self.env._("Nobody enrols themselves in a training: a leader above you does."))
        if self.env.user.has_group("sales_team.group_sale_manager"):
            return
        trainees = {vals.get("user_id") for vals in vals_list} - {None, False}
        leaders = self.env["crm.team.member"]._leaders_above(trainees)
        refused = [uid for uid in trainees if self.env.uid not in leaders.get(uid, ())]
        if refused:
            raise AccessError(self.env._(
                "Only a leader above %(people)s or the sales administrator enrols them in a training.",
                people=", ".join(self.env["res.users"].sudo().browse(refused).mapped("name"))))

    @api.model
    def _complete_enrolment_values(self, vals_list):
        """An enrolment without a unit is in the trainee's current unit; its company is its unit's,
        else the trainee's; without a first day it starts on that company's today."""
        Users = self.env["res.users"].sudo()
        without_unit = {vals["user_id"] for vals in vals_list if vals.get("user_id") and "team_id" not in vals}
        unit_of = {}
        if without_unit:
            for member in self.env["crm.team.member"].sudo().search(
                    [("user_id", "in", list(without_unit)), ("crm_team_id.active", "=", True)], order="id"):
                unit_of.setdefault(member.user_id.id, member.crm_team_id.id)
        for vals in vals_list:
            if "team_id" not in vals:
                vals["team_id"] = unit_of.get(vals.get("user_id"), False)
            if not vals.get("company_id") and vals.get("user_id"):
                team = self.env["crm.team"].sudo().browse(vals["team_id"])
                vals["company_id"] = (team.company_id or Users.browse(vals["user_id"]).company_id).id
            if not vals.get("date_start") and vals.get("company_id"):
                vals["date_start"] = self.env["res.company"].browse(vals["company_id"])._sales_org_today()

    @api.model
    def _check_enrolment_values(self, vals_list):
        """Refuse, before anything is written: a training starting before its trainee joined the
        unit (or, without one, the organisation), a programme without steps, and a second open
        enrolment of a person in a programme. A few queries for the whole batch."""
        vals_list = [vals for vals in vals_list if vals.get("user_id") and vals.get("program_id")]
        if not vals_list:
            return
        users = self.env["res.users"].sudo().browse({vals["user_id"] for vals in vals_list})
        programs = self.env["sales.training.program"].sudo().browse({vals["program_id"] for vals in vals_list})
        empty = programs.filtered(lambda program: not program.step_ids)
        if empty:
            raise ValidationError(self.env._("The programme %(program)s has no steps yet.",
                                             program=", ".join(empty.mapped("name"))))
        joined = defaultdict(dict)  # user id -> {unit id: first day in it}
        for user, team, first_day in self.env["sales.org.assignment"].sudo()._read_group(
                [("user_id", "in", users.ids)], ["user_id", "team_id"], ["date_from:min"]):
            joined[user.id][team.id] = first_day
        for vals in vals_list:
            user = users.browse(vals["user_id"])
            date_start = fields.Date.to_date(vals.get("date_start"))
            if vals.get("team_id"):
                first_day = joined[user.id].get(vals["team_id"])
                unit = self.env["crm.team"].sudo().browse(vals["team_id"]).display_name
            else:
                first_day = min(joined[user.id].values(), default=None)
                unit = False
            if not first_day:
                raise ValidationError(self.env._("%(person)s has not joined %(unit)s: enrol them once they have.",
                                                 person=user.name, unit=unit or self.env._("any sales unit")))
            if date_start and date_start < first_day:
                raise ValidationError(self.env._(
                    "%(person)s joined %(unit)s on %(day)s: their training cannot start before.",
                    person=user.name, unit=unit or self.env._("the organisation"),
                    day=format_date(self.env, first_day)))
        pairs = {(vals["user_id"], vals["program_id"]) for vals in vals_list}
        taken = self._open_pairs(pairs)
        if taken or len(pairs) < len(vals_list):
            user_id, program_id = next(iter(taken)) if taken else (vals_list[0]["user_id"], vals_list[0]["program_id"])
            raise ValidationError(self.env._(
                "%(person)s already follows the programme %(program)s.",
                person=users.browse(user_id).name, program=programs.browse(program_id).name))

    def _check_leader_or_admin(self, message):
        """Refuse unless the current user is a leader above each trainee or the sales administrator,
        and never on their own training."""
        if self.env.su:
            return
        if self.env.user in self.sudo().user_id:
            raise AccessError(message)
        if self.env.user.has_group("sales_team.group_sale_manager"):
            return
        leaders = self.env["crm.team.member"]._leaders_above(self.sudo().user_id.ids)
        if any(self.env.uid not in leaders.get(enrolment.sudo().user_id.id, ()) for enrolment in self):
            raise AccessError(message)

    def _plan(self):
        """Plan every step of these new enrolments over their trainee's working days, with its
        trainer, and give the first step to trainee and trainer: a few queries per working calendar
        whatever the number of people."""
        enrolments = self.sudo()
        steps_of = {enrolment: enrolment.program_id.step_ids.sorted(lambda step: (step.sequence, step.id))
                    for enrolment in enrolments}
        days = enrolments._working_days({
            enrolment: max(step.day_offset + step.duration_days for step in steps)
            for enrolment, steps in steps_of.items()})
        trainers = enrolments._trainers(steps_of)
        program_steps = self.env["sales.training.program.step"].union(*steps_of.values())
        names = {lang: dict(zip(program_steps.ids, program_steps.with_context(lang=lang).mapped("name")))
                 for lang in set(enrolments.user_id.mapped("lang"))}
        subtypes = self.env["mail.message.subtype"]._default_subtypes("sales.training.enrolment.step")[0]
        vals_list = []
        for enrolment, steps in steps_of.items():
            for index, step in enumerate(steps):
                trainer = trainers[enrolment, step]
                partners = enrolment.user_id.partner_id | trainer.partner_id
                vals_list.append({
                    "enrolment_id": enrolment.id,
                    "program_step_id": step.id,
                    "sequence": index + 1,
                    "name": names[enrolment.user_id.lang][step.id],
                    "step_type": step.step_type,
                    "date_start": days[enrolment][step.day_offset],
                    "date_end": days[enrolment][step.day_offset + step.duration_days - 1],
                    "trainer_id": trainer.id,
                    # trainee and trainer follow the step from the start: no subscription one by one
                    "message_follower_ids": [Command.create({"res_model": "sales.training.enrolment.step",
                                                             "partner_id": partner.id,
                                                             "subtype_ids": [Command.set(subtypes)]})
                                             for partner in partners],
                })
        steps = self.env["sales.training.enrolment.step"].sudo().with_context(
            tracking_disable=True, mail_create_nolog=True, mail_create_nosubscribe=True).create(vals_list)
        steps.filtered(lambda step: step.sequence == 1)._activate()

    def _working_days(self, needed):
        """{enrolment: the working days of its trainee from its first day on, at least
        `needed[enrolment]` of them}: their own calendar (else their company's) without weekends,
        public holidays and their leaves, in the company's time zone. One computation per calendar."""
        Resource = self.env["resource.resource"].sudo()
        resource_of = {}
        for resource in Resource.search([("user_id", "in", self.user_id.ids)]):
            resource_of.setdefault((resource.user_id.id, resource.company_id.id), resource)
            resource_of.setdefault(resource.user_id.id, resource)
        groups = defaultdict(list)
        for enrolment in self:
            resource = resource_of.get((enrolment.user_id.id, enrolment.company_id.id)) \
                or resource_of.get(enrolment.user_id.id) or Resource
            calendar = resource.calendar_id or enrolment.company_id.resource_calendar_id
            if not calendar:
                raise UserError(self.env._("%(person)s has no working calendar to plan their training on.",
                                           person=enrolment.user_id.name))
            groups[calendar, enrolment.company_id._sales_org_tz()].append((enrolment, resource))
        days = {}
        for (calendar, tz), members in groups.items():
            span = max(needed[enrolment] for enrolment, _resource in members) * 3 + 31  # calendar days
            start = tz.localize(datetime.combine(min(e.date_start for e, _r in members), time.min))
            end = tz.localize(datetime.combine(max(e.date_start for e, _r in members) + timedelta(days=span), time.min))
            resources = Resource.union(*(resource for _enrolment, resource in members))
            intervals = calendar._work_intervals_batch(start, end, resources=resources, tz=tz)
            working = {rid: sorted({begin.astimezone(tz).date() for begin, _end, _meta in found})
                       for rid, found in intervals.items()}
            for enrolment, resource in members:
                days[enrolment] = [day for day in working[resource.id or False] if day >= enrolment.date_start]
                if len(days[enrolment]) < needed[enrolment]:
                    raise UserError(self.env._(
                        "The working calendar %(calendar)s of %(person)s has too few working days to plan the "
                        "programme %(program)s.", calendar=calendar.name, person=enrolment.user_id.name,
                        program=enrolment.program_id.name))
        return days

    def _trainers(self, steps_of):
        """{(enrolment, programme step): the user leading that step for its trainee}, from the tree
        as it is now; the trainee's direct leader when the step's rule finds nobody else."""
        Member = self.env["crm.team.member"].sudo()
        Member.flush_model(["user_id", "crm_team_id", "parent_member_id", "active", "role_id"])
        self.env["crm.team"].flush_model(["active", "parent_path", "user_id"])
        pairs = SQL("SELECT DISTINCT * FROM (VALUES %s) AS p(author, team_id)", SQL(", ").join(
            SQL("(%s, %s::int)", enrolment.user_id.id, enrolment.team_id.id or None) for enrolment in self))
        leader_of = {(author, team_id or False): approver
                     for author, team_id, approver in self.env.execute_query(Member._sql_approvers(pairs))}
        units_of = {enrolment: [int(unit) for unit in reversed((enrolment.team_id.parent_path or "").split("/"))
                                if unit] for enrolment in self}
        roles = self.env["sales.org.role"].union(*(steps.filtered(lambda step: step.trainer == "role").trainer_role_id
                                                   for steps in steps_of.values()))
        holders = defaultdict(list)  # (unit id, role id) -> user ids, oldest membership first
        if roles:
            for member in Member.search([("crm_team_id", "in", list({u for units in units_of.values() for u in units})),
                                         ("role_id", "in", roles.ids)], order="id"):
                holders[member.crm_team_id.id, member.role_id.id].append(member.user_id.id)
        Users = self.env["res.users"].sudo()
        trainers = {}
        for enrolment, steps in steps_of.items():
            trainee = enrolment.user_id.id
            leader = leader_of.get((trainee, enrolment.team_id.id), False)
            for step in steps:
                trainer = False
                if step.trainer == "unit_manager":
                    trainer = enrolment.team_id.user_id.id
                elif step.trainer == "role":
                    trainer = next((uid for unit in units_of[enrolment]
                                    for uid in holders[unit, step.trainer_role_id.id] if uid != trainee), False)
                trainers[enrolment, step] = Users.browse(trainer if trainer and trainer != trainee else leader)
        return trainers

    @api.model
    def _cron_training_reminders(self):
        """Hourly: past the company's hour on its working days, remind the trainee and the
        trainer of each overdue step, once per state of the step."""
        rhythm = self.env["sales.org.rhythm"]
        hour = rhythm._rhythm_hour("sales_team_org.training_reminder_hour", 9)
        for company, today in rhythm._companies_due(hour):
            self._remind_overdue_steps(company, today)

    @api.model
    def _remind_overdue_steps(self, company, today):
        """An e-mail to the trainee and the trainer of the current step (the first not passed) of
        each training of `company`, due before `today`, not reminded yet in its state; a step
        marked done waits for its trainer only. A few queries in all."""
        Step = self.env["sales.training.enrolment.step"].sudo()
        Step.flush_model(["enrolment_id", "company_id", "date_end", "state", "sequence", "reminded_state"])
        self.flush_model(["state"])
        steps = Step.browse([step_id for step_id, in self.env.execute_query(SQL(
            """
            SELECT s.id
              FROM sales_training_enrolment_step s
              JOIN sales_training_enrolment e ON e.id = s.enrolment_id AND e.state IN %(open)s
             WHERE s.company_id = %(company)s AND s.date_end < %(today)s AND s.state != 'passed'
               AND s.reminded_state IS DISTINCT FROM s.state
               AND NOT EXISTS (SELECT 1 FROM sales_training_enrolment_step p
                                WHERE p.enrolment_id = s.enrolment_id AND p.state != 'passed'
                                  AND (p.sequence, p.id) < (s.sequence, s.id))
            """,
            open=OPEN_STATES, company=company.id, today=today,
        ))])
        if not steps:
            return
        people = steps.user_id | steps.trainer_id
        envs = {lang: self.with_context(lang=lang).env for lang in set(people.mapped("lang"))}
        mails = []
        for step in steps:
            trainee, trainer = step.user_id, step.trainer_id
            if step.state != "done" and trainee.email:
                env = envs[trainee.lang]
                mails.append((trainee.partner_id, env._("Overdue training step: %(step)s", step=step.name), env._(
                    "Your training step %(step)s of the programme %(program)s was due on %(date)s.",
                    step=step.name, program=step.enrolment_id.program_id.with_env(env).name,
                    date=format_date(env, step.date_end))))
            if trainer and trainer.email:
                env = envs[trainer.lang]
                values = {"step": step.name, "trainee": trainee.name, "date": format_date(env, step.date_end)}
                mails.append((trainer.partner_id, env._("Overdue training step: %(step)s", step=step.name), env._(
                    "%(trainee)s marked the training step %(step)s done: it waits for your sign-off (due on "
                    "%(date)s).", **values) if step.state == "done" else env._(
                    "%(trainee)s has not finished the training step %(step)s due on %(date)s.", **values)))
        self.env["sales.org.rhythm"]._send_mails(mails)
        for state, group in steps.grouped("state").items():
            group.write({"reminded_state": state})

    def _after_step_passed(self):
        """A step of these enrolments passed: the training is complete once every step is passed,
        else the next step is given to trainee and trainer."""
        complete = self.filtered(lambda enrolment: all(step.state == "passed" for step in enrolment.step_ids))
        for enrolment in complete:
            enrolment.write({"state": "done", "date_done": enrolment.company_id._sales_org_today()})
        following = self.env["sales.training.enrolment.step"]
        for enrolment in self - complete:
            following |= enrolment.step_ids.filtered(lambda step: step.state != "passed").sorted(
                lambda step: (step.sequence, step.id))[:1].filtered(lambda step: not step.activity_ids)
        following._activate()
