import hashlib
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, float_compare, float_round, format_amount, formatLang

from .sales_org_approval_mixin import MAGIC_FIELDS
from .sales_org_guard import check_system_fields
from .sales_org_robot_api import escape

METRICS = [
    ("order_amount", "Confirmed Sales"),
    ("invoiced_amount", "Invoiced Sales"),
    ("new_customer_count", "New Customers"),
    ("call_count", "Calls"),
    ("visit_count", "Visits"),
]
MONEY_METRICS = frozenset({"order_amount", "invoiced_amount"})
PERIOD_TYPES = [("year", "Year"), ("quarter", "Quarter"), ("month", "Month")]
# what the leader setting a target writes while it is a draft
SETTER_FIELDS = frozenset({
    "target_type", "team_id", "user_id", "metric", "period_type", "date_from", "date_to", "amount", "parent_id",
    "note",
})
# a target's key: one target per owner (the person, else the unit), metric and period
UNIQUE_KEY = ("user_id", "team_id", "metric", "date_from", "date_to")
UNIQUE_FIELDS = frozenset(UNIQUE_KEY)


class SalesTarget(models.Model):
    """年度/季度/月度销售目标: a target of a unit or a person, for a company-local year, quarter or
    month, on one metric of the figures source.

    Targets are broken down (目标分解) over shorter periods of the same owner and over the units
    and people below (`parent_id`): the targets of a unit form a tree mirroring the unit tree.
    Only a leader above the unit or the person sets it (the sales administrator too), never
    their own; an agreed target is locked, and unlocked with a reason kept in the chatter.

    The actual is live (`sales.target.analysis`): a unit's is everything booked in it and in
    the units below in the period, a person's everything they did in the company, each figure
    counted once. Once a period is over, the scheduled action keeps its actual as it stood
    (`closed_actual`): moving people or units afterwards never changes a closed period.
    """

    _name = "sales.target"
    _inherit = ["mail.thread"]
    _description = "Sales Target"
    _order = "date_from desc, period_type, team_id, user_id, metric"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    target_type = fields.Selection(
        [("unit", "Unit"), ("person", "Person")], string="For", required=True, default="unit", tracking=True,
    )
    team_id = fields.Many2one(
        "crm.team", string="Unit", required=True, index=True, check_company=True, tracking=True, ondelete="cascade",
        help="The unit the target is set for; for a person, the unit they are given it in.",
    )
    user_id = fields.Many2one(
        "res.users", string="Person", index="btree_not_null", tracking=True, ondelete="restrict",
        domain=[("share", "=", False)],
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, compute="_compute_company_id", store=True, precompute=True,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    metric = fields.Selection(METRICS, required=True, default="order_amount", tracking=True)
    is_money = fields.Boolean(compute="_compute_is_money")
    period_type = fields.Selection(PERIOD_TYPES, string="Period", required=True, default="month", tracking=True)
    date_from = fields.Date(string="From", required=True, index=True, tracking=True)
    date_to = fields.Date(string="To", required=True, tracking=True)
    period_label = fields.Char(string="Period Name", compute="_compute_period_label")
    amount = fields.Float(string="Target", digits=(16, 2), required=True, tracking=True)
    note = fields.Text()
    parent_id = fields.Many2one(
        "sales.target", string="Broken Down From", index="btree_not_null", ondelete="set null", check_company=True,
    )
    child_ids = fields.One2many("sales.target", "parent_id", string="Broken Down Into")
    breakdown = fields.Selection(
        [("period", "Over Periods"), ("owner", "Over Units and People")], string="Breakdown Kind",
        compute="_compute_breakdown",
        store=True, help="How this target divides its parent's: a shorter period of the same owner, or the same "
                         "period of a unit or person below.",
    )
    children_amount = fields.Float(
        string="Broken Down", compute="_compute_children_amount", digits=(16, 2),
        help="What the breakdown adds up to (over periods and over units and people, each on its own).",
    )
    breakdown_gap = fields.Float(
        string="Not Broken Down", compute="_compute_children_amount", digits=(16, 2),
        help="The target less its breakdown; a breakdown over periods and one over units and people are "
             "each compared with the target, the larger difference shown.",
    )
    state = fields.Selection(
        [("draft", "Draft"), ("agreed", "Agreed")], string="Status", default="draft", required=True, readonly=True,
        copy=False, tracking=True, index=True,
    )
    agreed_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    agreed_date = fields.Datetime(string="Agreed On", readonly=True, copy=False)
    closed_actual = fields.Float(
        digits=(16, 2), readonly=True, copy=False,
        help="The actual when the period ended, kept as it stood: set by the scheduled action.",
    )
    is_closed = fields.Boolean(string="Period Closed", readonly=True, copy=False, index=True, default=False)
    actual = fields.Float(compute="_compute_actual", digits=(16, 2))
    achievement = fields.Float(string="Achievement (%)", compute="_compute_actual", digits=(16, 1))
    can_set = fields.Boolean(compute="_compute_can_set")

    _sales_org_system_fields = frozenset({
        "company_id", "state", "agreed_by_id", "agreed_date", "closed_actual", "is_closed", "name", "breakdown",
    })

    def init(self):
        # one target per owner, metric and period, whatever runs at the same time
        self.env.cr.execute(SQL(
            "CREATE UNIQUE INDEX IF NOT EXISTS sales_target_unit_uniq ON sales_target"
            " (team_id, metric, date_from, date_to) WHERE user_id IS NULL"))
        self.env.cr.execute(SQL(
            "CREATE UNIQUE INDEX IF NOT EXISTS sales_target_person_uniq ON sales_target"
            " (user_id, metric, date_from, date_to) WHERE user_id IS NOT NULL"))

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("team_id")
    def _compute_company_id(self):
        for target in self:
            target.company_id = target.team_id.company_id or target.company_id or self.env.company

    @api.depends("metric")
    def _compute_is_money(self):
        for target in self:
            target.is_money = target.metric in MONEY_METRICS

    @api.depends("target_type", "team_id.name", "user_id.name", "metric", "period_type", "date_from")
    def _compute_name(self):
        for target in self:
            target.name = target._label()

    @api.depends("target_type", "team_id.name", "user_id.name", "metric", "period_type", "date_from")
    @api.depends_context("lang")
    def _compute_display_name(self):
        # the stored name is in the language it was computed in: shown, in the reader's
        for target in self:
            target.display_name = target._label()

    def _label(self):
        self.ensure_one()
        metrics = dict(self._fields["metric"]._description_selection(self.env))
        owner = self.user_id.name if self.target_type == "person" else self.team_id.name
        return " · ".join(filter(None, [owner, self._period_name(), metrics.get(self.metric)]))

    @api.depends("period_type", "date_from")
    @api.depends_context("lang")
    def _compute_period_label(self):
        for target in self:
            target.period_label = target._period_name()

    def _period_name(self):
        self.ensure_one()
        return self.env["res.company"]._sales_org_period_name(self.period_type, self.date_from)

    @api.depends("parent_id", "target_type", "team_id", "user_id")
    def _compute_breakdown(self):
        for target in self:
            parent = target.parent_id
            if not parent:
                target.breakdown = False
            elif (parent.target_type, parent.team_id, parent.user_id) == (target.target_type, target.team_id,
                                                                          target.user_id):
                target.breakdown = "period"
            else:
                target.breakdown = "owner"

    @api.depends("amount", "child_ids.amount", "child_ids.breakdown")
    def _compute_children_amount(self):
        sums = defaultdict(lambda: defaultdict(float))
        if self.ids:
            for parent, breakdown, amount in self.env["sales.target"].sudo()._read_group(
                    [("parent_id", "in", self.ids)], ["parent_id", "breakdown"], ["amount:sum"]):
                sums[parent.id][breakdown] = amount
        for target in self:
            by_kind = sums.get(target._origin.id, {})
            gaps = [target.amount - amount for amount in by_kind.values()]
            target.children_amount = max(by_kind.values(), default=0.0)
            target.breakdown_gap = max(gaps, key=abs, default=0.0)

    @api.depends("amount", "closed_actual", "is_closed", "metric", "date_from", "date_to", "team_id", "user_id")
    def _compute_actual(self):
        ids = [target_id for target_id in self._origin.ids if target_id]
        actuals = self.env["sales.target.analysis"]._actuals_of_targets(ids)
        for target in self:
            target.actual = actuals.get(target._origin.id, 0.0)
            target.achievement = 100.0 * target.actual / target.amount if target.amount else 0.0

    @api.depends("target_type", "team_id", "user_id")
    @api.depends_context("uid")
    def _compute_can_set(self):
        allowed = self._settable_by(self.env.user)
        for target in self:
            target.can_set = target in allowed

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------

    @api.constrains("amount")
    def _check_amount(self):
        for target in self:
            if float_compare(target.amount, 0.0, precision_digits=2) < 0:
                raise ValidationError(self.env._(
                    "A target cannot be below zero (%(target)s).", target=target.display_name))
            if target.metric not in MONEY_METRICS and target.amount != int(target.amount):
                raise ValidationError(self.env._(
                    "A target of %(metric)s is a whole number (%(target)s).",
                    metric=dict(self._fields["metric"]._description_selection(self.env))[target.metric],
                    target=target.display_name,
                ))

    @api.constrains("period_type", "date_from", "date_to")
    def _check_period(self):
        Company = self.env["res.company"]
        for target in self:
            if target.date_to < target.date_from:
                raise ValidationError(self.env._(
                    "A period ends after it starts: %(end)s is before %(start)s.",
                    end=target.date_to, start=target.date_from,
                ))
            if (target.date_from, target.date_to) != Company._sales_org_period(target.period_type, target.date_from):
                period = dict(self._fields["period_type"]._description_selection(self.env))[target.period_type]
                raise ValidationError(self.env._(
                    "A target of a %(period)s runs from the first to the last day of one calendar %(period)s: "
                    "%(start)s to %(end)s is not one.", period=period.lower(), start=target.date_from,
                    end=target.date_to,
                ))

    @api.constrains("target_type", "team_id", "user_id")
    def _check_owner(self):
        for target in self:
            if target.target_type == "person" and not target.user_id:
                raise ValidationError(self.env._("A target for a person names the person."))
            if target.target_type == "unit" and target.user_id:
                raise ValidationError(self.env._("A target for a unit names no person: choose “Person” for one."))
        people = self.filtered(lambda target: target.target_type == "person")
        if people:
            self.env["crm.team.member"].flush_model()
            members = set(self.env.execute_query(SQL(
                "SELECT user_id, crm_team_id FROM crm_team_member WHERE user_id IN %s AND active",
                tuple(people.user_id.ids),
            )))
            for target in people:
                if (target.user_id.id, target.team_id.id) not in members:
                    raise ValidationError(self.env._(
                        "%(person)s is not a member of %(unit)s: a person's target is given in one of their units.",
                        person=target.user_id.name, unit=target.team_id.name,
                    ))

    def _check_unique_keys(self, keys):
        """Refuse, before they are written, targets whose owner, metric and period another target
        has: `keys` is a list of (user_id, team_id, metric, date_from, date_to), the targets of
        `self` being replaced. One query; the unique indexes stay the guard against races."""
        keys = [(user_id or None, None if user_id else team_id, metric, fields.Date.to_date(date_from),
                 fields.Date.to_date(date_to)) for user_id, team_id, metric, date_from, date_to in keys]
        if len(set(keys)) < len(keys):
            raise ValidationError(self.env._(
                "These targets are for the same owner, metric and period: an owner has one target per metric "
                "and period."))
        if not keys:
            return
        self.flush_model(["team_id", "user_id", "metric", "date_from", "date_to"])
        rows = self.env.execute_query(SQL(
            """
            SELECT t.id FROM sales_target t
              JOIN (VALUES %(keys)s) AS v(user_id, team_id, metric, date_from, date_to)
                ON t.metric = v.metric AND t.date_from = v.date_from AND t.date_to = v.date_to
               AND CASE WHEN v.user_id IS NULL THEN t.user_id IS NULL AND t.team_id = v.team_id
                        ELSE t.user_id = v.user_id END
             WHERE t.id != ALL(%(ids)s)
             LIMIT 1
            """,
            keys=SQL(", ").join(SQL("(%s::int, %s::int, %s::varchar, %s::date, %s::date)", *key) for key in keys),
            ids=self.ids,
        ))
        if rows:
            raise ValidationError(self.env._(
                "%(target)s already exists: an owner has one target per metric and period.",
                target=self.browse(rows[0][0]).sudo().display_name,
            ))

    @api.constrains("parent_id", "metric", "date_from", "date_to", "team_id", "user_id", "target_type")
    def _check_parent(self):
        for target in self.filtered("parent_id"):
            parent = target.parent_id
            if parent.metric != target.metric:
                raise ValidationError(self.env._(
                    "%(target)s breaks down %(parent)s: both are of the same metric.",
                    target=target.display_name, parent=parent.display_name,
                ))
            if target.date_from < parent.date_from or target.date_to > parent.date_to:
                raise ValidationError(self.env._(
                    "%(target)s breaks down %(parent)s: its period lies within its parent's.",
                    target=target.display_name, parent=parent.display_name,
                ))
            if target.breakdown == "period":
                if (target.date_from, target.date_to) == (parent.date_from, parent.date_to):
                    raise ValidationError(self.env._(
                        "%(target)s and %(parent)s are the same target.",
                        target=target.display_name, parent=parent.display_name,
                    ))
                continue
            if (target.date_from, target.date_to) != (parent.date_from, parent.date_to):
                raise ValidationError(self.env._(
                    "%(target)s breaks %(parent)s down to a unit or person below: it has the same period.",
                    target=target.display_name, parent=parent.display_name,
                ))
            if parent.target_type != "unit" or not (
                    (target.target_type == "unit" and target.team_id.parent_id == parent.team_id)
                    or (target.target_type == "person" and target.team_id == parent.team_id)):
                raise ValidationError(self.env._(
                    "%(target)s cannot break down %(parent)s: a unit's target divides over the units just "
                    "below it or over its own people.", target=target.display_name, parent=parent.display_name,
                ))

    # ------------------------------------------------------------------
    # Who sets what
    # ------------------------------------------------------------------

    def _settable_by(self, user):
        """The targets of `self` that `user` may set: a leader above the unit (they lead its parent
        unit or one above) or above the person, or the sales administrator; never their own."""
        if not self:
            return self
        is_admin = user.has_group("sales_team.group_sale_manager")
        scope = user.sudo().sales_org_team_ids
        persons = self.filtered(lambda target: target.target_type == "person").user_id
        leaders = self.env["crm.team.member"].sudo()._leaders_above(persons.ids) if persons else {}
        allowed = self.browse()
        for target in self:
            if target.target_type == "person":
                if target.user_id == user:
                    continue
                if is_admin or user.id in leaders.get(target.user_id.id, ()):
                    allowed |= target
            else:
                team = target.team_id.sudo()
                own = team.user_id == user or team in scope and team.parent_id not in scope
                if own and not (is_admin and team.user_id != user):
                    continue
                if is_admin or team.parent_id in scope:
                    allowed |= target
        return allowed

    def _check_setter(self):
        if self.env.su:
            return
        refused = self - self._settable_by(self.env.user)
        if refused:
            raise AccessError(self.env._(
                "%(target)s is set by a leader above it: nobody sets their own target, nor that of a unit or "
                "person they do not lead.", target=refused[0].display_name,
            ))

    def _check_draft(self):
        agreed = self.filtered(lambda target: target.state == "agreed")
        if agreed:
            raise UserError(self.env._(
                "%(target)s is agreed and locked: unlock it, giving the reason, to change it.",
                target=agreed[0].display_name,
            ))

    # ------------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            check_system_fields(self, vals_list, set(self._fields) - SETTER_FIELDS - MAGIC_FIELDS)
        defaults = self.default_get(list(UNIQUE_KEY))
        self.browse()._check_unique_keys([
            tuple({**defaults, **vals}.get(fname) for fname in UNIQUE_KEY) for vals in vals_list
        ])
        targets = super().create(vals_list)
        targets._check_setter()
        return targets

    def write(self, vals):
        if not self.env.su:
            check_system_fields(self, vals, set(self._fields) - SETTER_FIELDS)
            self._check_setter()
            self._check_draft()
        closed = self.filtered("is_closed")
        if closed and (UNIQUE_FIELDS | {"target_type", "period_type"}) & set(vals):
            raise UserError(self.env._(
                "%(target)s is of a period that has ended: its actual is kept as it stood, so its owner, metric "
                "and period stay.", target=closed[0].display_name,
            ))
        if UNIQUE_FIELDS & set(vals):
            self._check_unique_keys([
                tuple(vals[fname] if fname in vals else target._fields[fname].convert_to_write(target[fname], target)
                      for fname in UNIQUE_KEY)
                for target in self.sudo()
            ])
        res = super().write(vals)
        if not self.env.su and {"target_type", "team_id", "user_id"} & set(vals):
            self._check_setter()  # nor moved onto one's own
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_only_drafts(self):
        self._check_draft()
        if not self.env.su:
            self._check_setter()

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_agree(self):
        """Agree the targets: locked from now on (their setter, or a leader above, unlocks them)."""
        self._check_setter()
        drafts = self.filtered(lambda target: target.state == "draft")
        drafts.sudo().write({"state": "agreed", "agreed_by_id": self.env.uid, "agreed_date": fields.Datetime.now()})
        return True

    def action_unlock(self, reason=None):
        """Unlock agreed targets to change them: the reason goes to each target's chatter."""
        self._check_setter()
        if not isinstance(reason, str) or not reason.strip():
            raise UserError(self.env._("Give the reason for unlocking the target: it is kept in its history."))
        reason = reason.strip()
        agreed = self.filtered(lambda target: target.state == "agreed")
        if not agreed:
            raise UserError(self.env._("Only an agreed target is unlocked."))
        agreed._check_unlocker()
        agreed.sudo().write({"state": "draft", "agreed_by_id": False, "agreed_date": False})
        for target in agreed:
            target.message_post(body=self.env._("Unlocked: %(reason)s", reason=reason))
        return True

    def _check_unlocker(self):
        """An agreement is undone by whoever agreed, a leader above them or the sales administrator:
        never by a leader below the one who agreed."""
        user = self.env.user
        if self.env.su or user.has_group("sales_team.group_sale_manager"):
            return
        agreers = self.agreed_by_id - user
        above = self.env["crm.team.member"].sudo()._leaders_above(agreers.ids) if agreers else {}
        for target in self:
            if target.agreed_by_id and target.agreed_by_id != user \
                    and user.id not in above.get(target.agreed_by_id.id, ()):
                raise AccessError(self.env._(
                    "%(target)s was agreed by %(person)s: they, a leader above them or the sales administrator "
                    "unlock it.", target=target.display_name, person=target.agreed_by_id.name,
                ))

    def action_open_unlock(self):
        self._check_setter()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Unlock Target"),
            "res_model": "sales.target.unlock",
            "view_mode": "form",
            "target": "new",
            "context": {"default_target_ids": self.ids},
        }

    def action_open_breakdown(self):
        self.ensure_one()
        self._check_can_break_down()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Break Down %(target)s", target=self.display_name),
            "res_model": "sales.target.breakdown",
            "view_mode": "form",
            "target": "new",
            "context": {"default_target_id": self.id},
        }

    def _check_can_break_down(self):
        """Breaking a target down sets its children: their setter is a leader above them, the
        target's own owner included (a unit's manager divides the unit's target among its people)."""
        for target in self:
            if target.state != "agreed" and not self.env.su and target not in target._settable_by(self.env.user):
                raise UserError(self.env._(
                    "%(target)s is broken down once agreed, or by whoever sets it.", target=target.display_name,
                ))

    # ------------------------------------------------------------------
    # Rhythm: closing the periods that ended
    # ------------------------------------------------------------------

    @api.model
    def _cron_close_periods(self):
        """Keep the actual of every target whose period has ended (the company's day) as it stands:
        two statements whatever the number of targets, nothing done twice. The targets of the
        month just ended go to the group robots of their units (a few queries more, only where
        a unit has one)."""
        self.env.flush_all()
        rows = self.env.execute_query(SQL(
            """
            SELECT t.id,
                   t.period_type = 'month'
                   AND t.date_to >= (date_trunc('month', c.today::timestamp) - interval '1 month')::date
                   AND EXISTS (SELECT 1 FROM sales_org_robot r
                                WHERE r.team_id = t.team_id AND r.active AND r.send_target)
              FROM sales_target t JOIN (%(companies)s) c ON c.id = t.company_id
             WHERE t.is_closed IS NOT TRUE AND t.date_to < c.today
            """,
            companies=self.env["res.company"]._sql_sales_org_tz(),
        ))
        ended = [tid for tid, _told in rows]
        if not ended:
            return self.browse()
        self.env.cr.execute(SQL(
            """
            UPDATE sales_target t SET closed_actual = r.actual, is_closed = TRUE,
                   write_date = now() AT TIME ZONE 'UTC', write_uid = %(uid)s
              FROM (%(rows)s) r
             WHERE t.id = r.id
            """,
            uid=self.env.uid, rows=self.env["sales.target.analysis"]._sql_rows(ended),
        ))
        targets = self.browse(ended)
        targets.invalidate_recordset(["closed_actual", "is_closed"])
        if told := targets.browse([tid for tid, told in rows if told]):
            self.env["sales.org.robot"]._queue_safely("the target achievement", told._robot_send_achievement)
        return targets

    def _robot_send_achievement(self):
        """Queue to the group robots of each unit the achievement of these closed monthly targets
        given in it (the unit's own and its people's), one message per unit and month, in each
        robot's language. A constant number of queries whatever the number of targets and units."""
        robots_of = self.env["sales.org.robot"]._for_units(self.team_id.ids, "target")
        targets = self.filtered(lambda target: target.team_id.id in robots_of)
        if not targets:
            return
        base_url = targets[:1].get_base_url()
        groups = targets.grouped(lambda target: (target.team_id, target.date_from))
        messages = []
        for env, lang_robots in self.env["sales.org.robot"]._by_language(robots_of):
            metrics = dict(self._fields["metric"]._description_selection(env))
            for (unit, month), theirs in groups.items():
                unit_robots = robots_of[unit.id] & lang_robots
                if not unit_robots:
                    continue
                # the unit's own targets first, then its people's by name; a target of the month
                # closed later (set after the month) goes in a message of its own
                ids = hashlib.sha1(",".join(map(str, sorted(theirs.ids))).encode()).hexdigest()[:16]
                theirs = theirs.sorted(lambda t: (t.target_type != "unit", t.user_id.name or "", t.metric))
                period = env["res.company"]._sales_org_period_name("month", month)
                title = env._("Targets of %(month)s: %(unit)s", month=period, unit=escape(unit.with_env(env).name))
                lines = [f"### {title}"]
                for target in theirs:
                    # computed apart: the translations' extractor reads the arguments of a term
                    achievement = "–"
                    if target.amount:
                        achievement = formatLang(env, 100.0 * target.closed_actual / target.amount, digits=1) + " %"
                    lines.append("- " + env._(
                        "**%(owner)s** · %(metric)s: %(actual)s of %(amount)s (%(achievement)s)",
                        owner=escape(target.user_id.name if target.target_type == "person" else unit.with_env(env).name),
                        metric=metrics[target.metric], actual=target._robot_format(env, target.closed_actual),
                        amount=target._robot_format(env, target.amount), achievement=achievement,
                    ))
                label = env._("Open the targets")
                lines += ["", f"[{label}]({base_url}/odoo/action-sales_team_org.sales_target_action)"]
                messages += [{"robot": robot, "kind": "target", "key": f"target:{unit.id}:{month}:{ids}",
                              "title": title, "body": "\n".join(lines)} for robot in unit_robots]
        self.env["sales.org.robot.message"]._enqueue(messages)

    def _robot_format(self, env, value):
        """A figure of this target as its readers write it: money in the currency, counts whole."""
        if self.metric in MONEY_METRICS:
            return format_amount(env, value, self.currency_id)
        return formatLang(env, value, digits=0)

    # ------------------------------------------------------------------
    # Helpers for the breakdown
    # ------------------------------------------------------------------

    def _round(self, value):
        """A target value at its precision: the currency's for money, whole numbers otherwise."""
        self.ensure_one()
        if self.metric in MONEY_METRICS:
            return self.currency_id.round(value)
        return float_round(value, precision_digits=0)
