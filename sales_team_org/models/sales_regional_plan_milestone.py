from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, format_date

from .sales_org_approval_mixin import MAGIC_FIELDS
from .sales_org_guard import check_system_fields

# what the plan's author writes while the plan is theirs (draft, returned)
AUTHOR_FIELDS = frozenset({"sequence", "name", "user_id", "date_deadline"})
FLAG_ACTIVITY_TYPE = "sales_team_org.mail_activity_type_plan_milestone_missed"


class SalesRegionalPlanMilestone(models.Model):
    """A step of a regional plan's schedule (销售进度计划): what is to be reached, by whom, by when.
    Its owner, the plan's author or a leader above the author marks it done once the plan is
    approved; one missed is flagged once to its owner and the author."""

    _name = "sales.regional.plan.milestone"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _description = "Regional Sales Plan Milestone"
    _order = "plan_id, sequence, date_deadline, id"
    _check_company_auto = True
    _mail_post_access = "read"  # its owner and the plan's readers comment on a milestone they only read

    plan_id = fields.Many2one("sales.regional.plan", required=True, index=True, ondelete="cascade")
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Milestone", required=True)
    user_id = fields.Many2one(
        "res.users", string="Owner", index="btree_not_null", domain=[("share", "=", False)],
        help="Who reaches it: a person of the plan's unit or of a unit below it.",
    )
    date_deadline = fields.Date(string="Deadline", index=True)
    date_done = fields.Date(string="Done On", readonly=True, copy=False)
    state = fields.Selection(
        [("planned", "Not Done Yet"), ("done", "Done"), ("late", "Done Late"), ("missed", "Missed")],
        string="Status", compute="_compute_state", store=True, readonly=True, index=True,
        help="Missed: not done and its deadline has passed (the company's day); done late: done after it.",
    )
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    plan_user_id = fields.Many2one(related="plan_id.user_id", string="Plan Author")
    plan_state = fields.Selection(related="plan_id.state", string="Plan Status", store=True, index=True)
    flagged = fields.Boolean(
        string="Flagged Missed", readonly=True, copy=False,
        help="Flagged to its owner and the plan's author as missed (once).",
    )
    can_mark = fields.Boolean(compute="_compute_can_mark", string="Can Mark Done")

    @api.depends("date_done", "date_deadline", "company_id")
    def _compute_state(self):
        todays = {}
        for milestone in self:
            company = milestone.company_id or self.env.company
            if company not in todays:
                todays[company] = company._sales_org_today()
            if milestone.date_done:
                late = milestone.date_deadline and milestone.date_done > milestone.date_deadline
                milestone.state = "late" if late else "done"
            elif milestone.date_deadline and milestone.date_deadline < todays[company]:
                milestone.state = "missed"
            else:
                milestone.state = "planned"

    @api.depends("user_id", "plan_user_id", "plan_state")
    @api.depends_context("uid")
    def _compute_can_mark(self):
        allowed = self._markable_by(self.env.user)
        for milestone in self:
            milestone.can_mark = milestone.plan_state == "approved" and milestone in allowed

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------

    @api.constrains("date_deadline", "plan_id")
    def _check_date_deadline(self):
        for milestone in self:
            plan = milestone.plan_id
            if milestone.date_deadline and plan.date_to and milestone.date_deadline > plan.date_to:
                raise ValidationError(self.env._(
                    "The milestone %(milestone)s is due on %(date)s, after the end of its plan's period (%(end)s).",
                    milestone=milestone.name, date=milestone.date_deadline, end=plan.date_to,
                ))

    @api.constrains("user_id", "plan_id")
    def _check_user_id(self):
        milestones = self.filtered("user_id")
        if not milestones:
            return
        people = milestones.plan_id._unit_people()
        for milestone in milestones:
            if milestone.user_id.id not in people[milestone.plan_id.id]:
                raise ValidationError(self.env._(
                    "%(person)s is not a person of %(unit)s or of a unit below it: a milestone's owner works in "
                    "the plan's unit.", person=milestone.user_id.name, unit=milestone.plan_id.team_id.name,
                ))

    # ------------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            check_system_fields(self, vals_list, set(self._fields) - AUTHOR_FIELDS - {"plan_id"} - MAGIC_FIELDS)
            if any(not vals.get("plan_id") for vals in vals_list):
                raise UserError(self.env._("A milestone belongs to a plan."))
            self.env["sales.regional.plan"].browse({vals["plan_id"] for vals in vals_list})._check_milestones_editable()
        # the plan's chatter tells its story: no log nor follower per milestone
        return super(SalesRegionalPlanMilestone, self.with_context(
            mail_create_nolog=True, mail_create_nosubscribe=True)).create(vals_list)

    def write(self, vals):
        if not self.env.su:
            check_system_fields(self, vals, set(self._fields) - AUTHOR_FIELDS)
            self.plan_id._check_milestones_editable()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_while_planned(self):
        if not self.env.su:
            self.plan_id._check_milestones_editable()

    def message_subscribe(self, partner_ids=None, subtype_ids=None):
        # the flags' people follow the plan already: no subscription one person at a time
        if self.env.context.get("sales_plan_no_subscribe"):
            return True
        return super().message_subscribe(partner_ids=partner_ids, subtype_ids=subtype_ids)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_done(self):
        """Reached: done today (the company's day); its open flags are closed."""
        self._check_can_mark()
        todo = self.filtered(lambda milestone: not milestone.date_done).sudo()
        for company, milestones in todo.grouped("company_id").items():
            milestones.write({"date_done": company._sales_org_today()})
        todo.activity_unlink([FLAG_ACTIVITY_TYPE])
        return True

    def action_reopen(self):
        """Not reached after all: planned again (missed if its deadline has passed, then flagged again)."""
        self._check_can_mark()
        self.filtered("date_done").sudo().write({"date_done": False, "flagged": False})
        return True

    # ------------------------------------------------------------------
    # Business
    # ------------------------------------------------------------------

    def _markable_by(self, user):
        """The milestones of `self` that `user` may mark done or reopen: their owner, the plan's
        author, or a leader above the author."""
        # the owner may not read the plan: its author and status through the related fields
        authors = self.plan_user_id - user
        above = self.env["crm.team.member"].sudo()._leaders_above(authors.ids) if authors else {}
        return self.filtered(lambda milestone: user in (milestone.user_id, milestone.plan_user_id)
                             or user.id in above.get(milestone.plan_user_id.id, ()))

    def _check_can_mark(self):
        not_approved = self.filtered(lambda milestone: milestone.plan_state != "approved")
        if not_approved:
            raise UserError(self.env._(
                "The milestone %(milestone)s is marked once its plan is approved.", milestone=not_approved[0].name,
            ))
        if self.env.su:
            return
        refused = self - self._markable_by(self.env.user)
        if refused:
            raise AccessError(self.env._(
                "Only the owner of %(milestone)s, the plan's author or a leader above them marks it.",
                milestone=refused[0].name,
            ))

    # ------------------------------------------------------------------
    # Rhythm: missed milestones
    # ------------------------------------------------------------------

    @api.model
    def _cron_flag_missed_milestones(self):
        """Hourly. Every milestone not done by its deadline (the company's day) is shown missed;
        past the company's hour, each of an approved plan is flagged once, by an activity for its
        owner and one for the plan's author (one when they are the same person), each in their
        language. A constant number of queries whatever the number of milestones."""
        self.env.flush_all()
        companies = self.env["res.company"]._sql_sales_org_tz()
        overdue = self.sudo().browse([milestone_id for milestone_id, in self.env.execute_query(SQL(
            """
            SELECT m.id FROM sales_regional_plan_milestone m JOIN (%(companies)s) c ON c.id = m.company_id
             WHERE m.state = 'planned' AND m.date_done IS NULL AND m.date_deadline < c.today
            """,
            companies=companies,
        ))])
        # a day has passed: shown missed from now on (what the state's compute gives today)
        overdue.write({"state": "missed"})
        rhythm = self.env["sales.org.rhythm"]
        hour = rhythm._rhythm_hour("sales_team_org.plan_milestone_hour", 9)
        due = [company.id for company, _day in rhythm._companies_due(hour)]
        if not due:
            return self.browse()
        milestones = self.sudo().browse([milestone_id for milestone_id, in self.env.execute_query(SQL(
            """
            SELECT m.id
              FROM sales_regional_plan_milestone m
              JOIN sales_regional_plan p ON p.id = m.plan_id
              JOIN (%(companies)s) c ON c.id = m.company_id
             WHERE m.company_id IN %(due)s AND p.state = 'approved' AND m.date_done IS NULL
               AND m.date_deadline < c.today AND NOT COALESCE(m.flagged, FALSE)
            """,
            companies=companies, due=tuple(due),
        ))])
        if not milestones:
            return milestones
        milestones.write({"flagged": True})
        milestones._flag_missed()
        return milestones

    def _flag_missed(self):
        activity_type = self.env.ref(FLAG_ACTIVITY_TYPE)
        people = self.user_id | self.plan_id.user_id
        lang_of = {person.id: person.lang for person in people}
        envs = {lang: self.with_context(lang=lang).env for lang in set(lang_of.values())}
        model_id = self.env["ir.model"]._get_id(self._name)
        todo = [(milestone, person_id) for milestone in self
                for person_id in dict.fromkeys([milestone.user_id.id, milestone.plan_id.user_id.id]) if person_id]
        self.env["mail.activity"].sudo().with_context(
            mail_activity_quick_update=True, sales_plan_no_subscribe=True,
        ).create([{
            "res_model_id": model_id,
            "res_id": milestone.id,
            "activity_type_id": activity_type.id,
            "summary": envs[lang_of[person_id]]._(
                "Milestone missed: %(milestone)s, due on %(date)s (%(plan)s)", milestone=milestone.name,
                date=format_date(envs[lang_of[person_id]], milestone.date_deadline), plan=milestone.plan_id.name,
            ),
            "date_deadline": milestone.date_deadline,
            "user_id": person_id,
            "automated": True,
        } for milestone, person_id in todo])
