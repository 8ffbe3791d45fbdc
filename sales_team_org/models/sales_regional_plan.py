from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, float_compare

from .sales_org_approval_mixin import EDITABLE_STATES
from .sales_target import PERIOD_TYPES

PLAN_TARGET_METRIC = "order_amount"  # a regional plan answers for the region's confirmed sales
CLOSED_STATES = ("refused", "cancelled")


class SalesRegionalPlan(models.Model):
    """区域销售立案与销售进度计划表: the plan a region's leader writes for a period, from the
    target the tree gave the region: the actions, the resources and budget, and a schedule of
    milestones, each with its owner and deadline. Approved up the tree (the first leader above
    the author decides); once approved, the milestones are marked done as they are reached, and
    those missed are flagged to their owner and the author. The form shows the progress against
    the schedule next to the achievement against the target."""

    _name = "sales.regional.plan"
    _inherit = ["sales.org.approval.mixin"]
    _description = "Regional Sales Plan"
    _order = "date_from desc, id desc"
    _check_company_auto = True
    _sales_org_author_fields = frozenset({
        "name", "team_id", "period_type", "date_from", "date_to", "actions", "resources", "budget", "milestone_ids",
    })
    _sales_org_create_fields = frozenset({"user_id", "company_id"})
    _sales_org_unit_field = "team_id"
    _approval_limit_kind = None

    name = fields.Char(string="Title", required=True)
    user_id = fields.Many2one(
        "res.users", string="Author", required=True, index=True, default=lambda self: self.env.user,
        readonly=True, domain=[("share", "=", False)],
        help="The leader of the unit who writes the plan: the regional director for a region.",
    )
    team_id = fields.Many2one(
        "crm.team", string="Unit", required=True, index=True, check_company=True,
        default=lambda self: self._default_team_id(),
        help="The region (or unit) the plan is for: one the author leads.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, compute="_compute_company_id", store=True, precompute=True,
        readonly=True,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    period_type = fields.Selection(PERIOD_TYPES, string="Period", required=True, default="quarter")
    date_from = fields.Date(
        string="From", required=True, index=True,
        default=lambda self: self._default_period("quarter")[0],
    )
    date_to = fields.Date(string="To", required=True, default=lambda self: self._default_period("quarter")[1])
    target_id = fields.Many2one(
        "sales.target", compute="_compute_target_id",
        help="The unit's target of confirmed sales for the period, from the target tree.",
    )
    target_amount = fields.Float(compute="_compute_target_id")
    actual = fields.Float(compute="_compute_target_id")
    achievement = fields.Float(string="Achievement (%)", compute="_compute_target_id")
    actions = fields.Html(string="Sales Actions", help="销售措施: what the region will do to reach its target.")
    resources = fields.Html(
        help="资源配置: the people, customers, products and support the plan relies on.",
    )
    budget = fields.Monetary(help="费用预算: what the plan will cost, in the company's currency.")
    milestone_ids = fields.One2many("sales.regional.plan.milestone", "plan_id", string="Milestones", copy=True)
    milestone_count = fields.Integer(compute="_compute_schedule", string="Milestones Count")
    schedule_progress = fields.Float(
        compute="_compute_schedule", string="Schedule Progress (%)",
        help="The share of the milestones done.",
    )
    schedule_expected = fields.Float(
        compute="_compute_schedule", string="Expected by Now (%)",
        help="The share of the milestones whose deadline has passed: where the schedule should be today.",
    )
    missed_count = fields.Integer(compute="_compute_schedule", string="Missed Milestones")

    @api.model
    def _default_period(self, period_type):
        return self.env["res.company"]._sales_org_period(period_type, self.env.company._sales_org_today())

    @api.model
    def _default_team_id(self):
        units = self._led_units(self.env.user).get(self.env.uid, self.env["crm.team"])
        return units.sorted(lambda team: (len(team.parent_path or ""), team.id))[:1]

    @api.depends("team_id")
    def _compute_company_id(self):
        for plan in self:
            plan.company_id = plan.team_id.company_id or plan.company_id or self.env.company

    @api.depends("team_id", "date_from", "date_to")
    def _compute_target_id(self):
        plans = self.filtered(lambda plan: plan.team_id and plan.date_from and plan.date_to)
        targets = self.env["sales.target"].sudo().search([
            ("team_id", "in", plans.team_id.ids), ("user_id", "=", False), ("metric", "=", PLAN_TARGET_METRIC),
            ("date_from", "in", list(set(plans.mapped("date_from")))),
        ]) if plans else self.env["sales.target"]
        by_key = {(target.team_id.id, target.date_from, target.date_to): target for target in targets}
        for plan in self:
            target = by_key.get((plan.team_id.id, plan.date_from, plan.date_to), targets.browse())
            plan.target_id = target.with_env(self.env)
            plan.target_amount, plan.actual, plan.achievement = target.amount, target.actual, target.achievement

    @api.depends("milestone_ids.date_done", "milestone_ids.date_deadline", "milestone_ids.state")
    def _compute_schedule(self):
        todays = {}
        for plan in self:
            company = plan.company_id or self.env.company
            if company not in todays:
                todays[company] = company._sales_org_today()
            milestones = plan.milestone_ids
            count = len(milestones)
            plan.milestone_count = count
            plan.schedule_progress = 100.0 * len(milestones.filtered("date_done")) / count if count else 0.0
            plan.schedule_expected = 100.0 * len(milestones.filtered(
                lambda milestone: milestone.date_deadline and milestone.date_deadline < todays[company]
            )) / count if count else 0.0
            plan.missed_count = len(milestones.filtered(lambda milestone: milestone.state == "missed"))

    @api.onchange("period_type", "date_from")
    def _onchange_period(self):
        if self.period_type and self.date_from:
            self.date_from, self.date_to = self.env["res.company"]._sales_org_period(self.period_type, self.date_from)

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------

    @api.constrains("period_type", "date_from", "date_to")
    def _check_period(self):
        Company = self.env["res.company"]
        for plan in self:
            if plan.date_to < plan.date_from:
                raise ValidationError(self.env._(
                    "A period ends after it starts: %(end)s is before %(start)s.", end=plan.date_to, start=plan.date_from,
                ))
            if (plan.date_from, plan.date_to) != Company._sales_org_period(plan.period_type, plan.date_from):
                period = dict(self._fields["period_type"]._description_selection(self.env))[plan.period_type]
                raise ValidationError(self.env._(
                    "A plan of a %(period)s runs from the first to the last day of one calendar %(period)s: "
                    "%(start)s to %(end)s is not one.", period=period.lower(), start=plan.date_from, end=plan.date_to,
                ))
        self.milestone_ids._check_date_deadline()

    @api.constrains("budget")
    def _check_budget(self):
        for plan in self:
            if float_compare(plan.budget, 0.0, precision_rounding=plan.currency_id.rounding or 0.01) < 0:
                raise ValidationError(self.env._(
                    "The budget of %(plan)s cannot be below zero.", plan=plan.name,
                ))

    @api.constrains("team_id", "user_id")
    def _check_team_id(self):
        led = self._led_units(self.user_id)
        for plan in self:
            if plan.team_id not in led.get(plan.user_id.id, ()):
                raise ValidationError(self.env._(
                    "%(person)s does not lead %(unit)s: a plan is written for a unit its author leads, by its "
                    "leader.", person=plan.user_id.name, unit=plan.team_id.name,
                ))

    @api.constrains("team_id", "date_from", "date_to", "state")
    def _check_unique(self):
        for plan in self.filtered(lambda plan: plan.state not in CLOSED_STATES):
            other = self.sudo().search([
                ("id", "!=", plan.id), ("team_id", "=", plan.team_id.id), ("date_from", "=", plan.date_from),
                ("date_to", "=", plan.date_to), ("state", "not in", CLOSED_STATES),
            ], limit=1)
            if other:
                raise ValidationError(self.env._(
                    "%(unit)s has a plan for %(start)s to %(end)s already (%(plan)s): a unit has one plan per period.",
                    unit=plan.team_id.name, start=plan.date_from, end=plan.date_to, plan=other.name,
                ))

    # ------------------------------------------------------------------
    # Business
    # ------------------------------------------------------------------

    @api.model
    def _led_units(self, users):
        """{user id: crm.team} the units each of `users` leads: as the unit's leader (its user_id)
        or through a leading role of theirs there (one seeing beyond their own documents)."""
        if not users:
            return {}
        Team = self.env["crm.team"].sudo()
        led = {user.id: Team for user in users}
        for team in Team.search([("user_id", "in", users.ids)]):
            led[team.user_id.id] |= team
        for member in self.env["crm.team.member"].sudo().search([
            ("user_id", "in", users.ids), ("role_id.access_level", "in", ("unit", "all")),
            ("crm_team_id.active", "=", True),
        ]):
            led[member.user_id.id] |= member.crm_team_id
        return led

    def _unit_people(self):
        """{plan id: set of user ids}: the people of each plan's unit and of the units below it,
        their leaders included; one query."""
        if not self.ids:
            return {}
        self.flush_recordset(["team_id"])
        self.env["crm.team"].flush_model(["parent_path", "user_id", "active"])
        self.env["crm.team.member"].flush_model(["crm_team_id", "user_id", "active"])
        people = {plan_id: set() for plan_id in self.ids}
        for plan_id, user_id in self.env.execute_query(SQL(
            """
            SELECT p.id, m.user_id
              FROM sales_regional_plan p
              JOIN crm_team t ON t.id = p.team_id
              JOIN crm_team sub ON starts_with(sub.parent_path, t.parent_path) AND sub.active
              JOIN crm_team_member m ON m.crm_team_id = sub.id AND m.active
             WHERE p.id IN %(plans)s
             UNION
            SELECT p.id, sub.user_id
              FROM sales_regional_plan p
              JOIN crm_team t ON t.id = p.team_id
              JOIN crm_team sub ON starts_with(sub.parent_path, t.parent_path) AND sub.active
             WHERE p.id IN %(plans)s AND sub.user_id IS NOT NULL
            """,
            plans=tuple(self.ids),
        )):
            people[plan_id].add(user_id)
        return people

    def _check_milestones_editable(self):
        """The author writes the milestones of their plan while it is theirs (draft, returned);
        once approved, the milestones are only marked done or reopened, through their actions."""
        if self.env.su:
            return
        for plan in self:
            if plan.user_id != self.env.user:
                raise AccessError(self.env._(
                    "The milestones of %(plan)s are %(person)s's to write; their owners mark them done.",
                    plan=plan.display_name, person=plan.user_id.name,
                ))
            if plan.state not in EDITABLE_STATES:
                raise UserError(self.env._(
                    "%(plan)s is %(state)s: its milestones can no longer be changed, only marked done or reopened.",
                    plan=plan.display_name,
                    state=dict(self._fields["state"]._description_selection(self.env))[plan.state],
                ))

    # ------------------------------------------------------------------
    # Approval engine hooks
    # ------------------------------------------------------------------

    def _approval_amount(self):
        return {plan.id: plan.budget for plan in self}

    def _approval_check_submit(self):
        for plan in self:
            today = plan.company_id._sales_org_today()
            if plan.date_to < today:
                raise UserError(self.env._(
                    "%(plan)s is for a period that ended on %(date)s: a plan is approved before its period ends.",
                    plan=plan.display_name, date=plan.date_to,
                ))
            if not plan.milestone_ids:
                raise UserError(self.env._(
                    "Give %(plan)s its schedule before submitting it: at least one milestone, with its owner and "
                    "deadline.", plan=plan.display_name,
                ))
            incomplete = plan.milestone_ids.filtered(lambda milestone: not milestone.user_id
                                                     or not milestone.date_deadline)
            if incomplete:
                raise UserError(self.env._(
                    "The milestone %(milestone)s of %(plan)s needs an owner and a deadline.",
                    milestone=incomplete[0].name, plan=plan.display_name,
                ))
