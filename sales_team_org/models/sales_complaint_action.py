from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression
from odoo.tools import format_date

EDITABLE_FIELDS = frozenset({"kind", "description", "owner_id", "date_deadline"})


class SalesComplaintAction(models.Model):
    """纠正与预防措施: what the customer service unit decides someone does about a complaint, by a
    deadline: correct this case, or prevent the next one. Its owner has an activity on the
    complaint for it."""

    _name = "sales.complaint.action"
    _inherit = ["sales.org.guarded.mixin"]
    _description = "Corrective or Preventive Action"
    _order = "date_deadline, id"
    _check_company_auto = True
    _sales_org_system_fields = frozenset({
        "company_id", "team_id", "service_team_id", "responsible_id", "reporter_id",  # the complaint's
        "state", "done_date", "activity_id",
    })

    complaint_id = fields.Many2one("sales.complaint", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="complaint_id.company_id", store=True, index=True)
    team_id = fields.Many2one(related="complaint_id.team_id", store=True, index="btree_not_null", string="Unit")
    service_team_id = fields.Many2one(
        related="complaint_id.service_team_id", store=True, index="btree_not_null", string="Service Unit")
    responsible_id = fields.Many2one(
        related="complaint_id.responsible_id", store=True, index="btree_not_null", string="Responsible")
    reporter_id = fields.Many2one(related="complaint_id.user_id", store=True, index=True, string="Reported By")
    partner_id = fields.Many2one(related="complaint_id.partner_id", string="Customer")
    kind = fields.Selection(
        [("corrective", "Corrective"), ("preventive", "Preventive")], required=True, default="corrective",
        help="Corrective: put this case right. Preventive: keep it from happening again.",
    )
    description = fields.Text(string="Action", required=True)
    owner_id = fields.Many2one(
        "res.users", required=True, index=True, default=lambda self: self.env.user,
        domain=[("share", "=", False)],
    )
    date_deadline = fields.Date(
        string="Deadline", required=True,
        default=lambda self: self.env.company._sales_org_today() + timedelta(days=7),
    )
    state = fields.Selection(
        [("open", "Open"), ("done", "Done"), ("cancelled", "Cancelled")], string="Status", required=True,
        default="open", readonly=True, index=True, copy=False,
    )
    done_date = fields.Date(string="Done On", readonly=True, copy=False)
    activity_id = fields.Many2one("mail.activity", string="Owner's Activity", readonly=True, copy=False,
                                  ondelete="set null")
    is_late = fields.Boolean(string="Overdue", compute="_compute_is_late", search="_search_is_late")
    can_close = fields.Boolean(compute="_compute_can_close")

    @api.depends("state", "date_deadline", "company_id")
    def _compute_is_late(self):
        today = {}
        for action in self:
            company = action.company_id or self.env.company
            if company not in today:
                today[company] = company._sales_org_today()
            action.is_late = bool(action.state == "open" and action.date_deadline and action.date_deadline < today[company])

    def _search_is_late(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Late is searched as true or false."))
        late = expression.AND([[("state", "=", "open")], expression.OR([
            [("company_id", "=", company.id), ("date_deadline", "<", company._sales_org_today())]
            for company in self.env.companies
        ])])
        return late if (operator == "=") == value else ["!", *expression.normalize_domain(late)]

    @api.depends("owner_id", "complaint_id")
    @api.depends_context("uid")
    def _compute_can_close(self):
        leaders = self.complaint_id._led_by(self.env.user)
        for action in self:
            action.can_close = action.state == "open" and (
                action.owner_id == self.env.user or action.complaint_id in leaders)

    @api.depends("kind", "description")
    def _compute_display_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for action in self:
            action.display_name = f"{kinds.get(action.kind, '')}: {(action.description or '').splitlines()[0][:60]}" \
                if action.description else kinds.get(action.kind, "")

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------

    @api.constrains("owner_id", "complaint_id")
    def _check_owner(self):
        for owner, actions in self.grouped("owner_id").items():
            unread = actions.complaint_id - actions.complaint_id.with_user(owner)._filtered_access("read")
            if unread:
                raise ValidationError(self.env._(
                    "%(owner)s cannot read %(complaint)s: give the action to someone of the customer service unit, "
                    "its reporter or a leader above them.",
                    owner=owner.name, complaint=unread[0].sudo().name))

    @api.constrains("date_deadline")
    def _check_date_deadline(self):
        # checked when the deadline is set or changed: one already past stays until it is moved
        today = {}
        for action in self:
            company = action.company_id
            if company not in today:
                today[company] = company._sales_org_today()
            if action.date_deadline < today[company]:
                raise ValidationError(self.env._(
                    "%(date)s is already past: give the action a deadline from today on.",
                    date=format_date(self.env, action.date_deadline)))

    @api.constrains("description")
    def _check_description(self):
        if any(not (action.description or "").strip() for action in self):
            raise ValidationError(self.env._("Say what is to be done: an action needs a description."))

    # ------------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        actions = super().create(vals_list)
        if not self.env.su:
            actions.complaint_id._check_states(("open", "in_progress"))
            actions.complaint_id._check_worker()
        actions._schedule_activities()
        return actions

    def write(self, vals):
        if not self.env.su:
            if "complaint_id" in vals:
                raise UserError(self.env._("An action stays on the complaint it was decided for."))
            if EDITABLE_FIELDS & vals.keys():
                if any(action.state != "open" for action in self):
                    raise UserError(self.env._("A done or cancelled action stays as it was."))
                self.complaint_id._check_states(("open", "in_progress"))
                self.complaint_id._check_worker()
        moved = self.filtered(lambda action: action.state == "open") \
            if {"owner_id", "date_deadline", "description"} & vals.keys() else self.browse()
        res = super().write(vals)
        moved._move_activities()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        if not self.env.su:
            raise UserError(self.env._("An action of a complaint is cancelled, not deleted."))

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_done(self):
        """Its owner, or the service unit's leader, says it is done."""
        if any(action.state != "open" for action in self):
            raise UserError(self.env._("Only an open action can be marked done."))
        self._check_closer()
        self._close("done")
        return True

    def action_cancel(self):
        """Dropped, by the service unit's leader."""
        if any(action.state != "open" for action in self):
            raise UserError(self.env._("Only an open action can be cancelled."))
        self.complaint_id._check_leader()
        self._close("cancelled")
        return True

    def _check_closer(self):
        if self.env.su:
            return
        leaders = self.complaint_id._led_by(self.env.user)
        refused = self.filtered(lambda action: action.owner_id != self.env.user and action.complaint_id not in leaders)
        if refused:
            raise AccessError(self.env._(
                "“%(action)s” is closed by its owner, %(owner)s, or the leader of the service unit.",
                action=refused[0].display_name, owner=refused[0].owner_id.name))

    def _close(self, state):
        """Done or cancelled, dated the company's day; its owner's activity done or dropped."""
        for company, actions in self.sudo().grouped("company_id").items():
            actions.write({"state": state, "done_date": company._sales_org_today()})
        activities = self.sudo().activity_id.filtered("active")
        if state == "done":
            activities.action_feedback(feedback=self.env._("Action done."))
        else:
            activities.unlink()

    # ------------------------------------------------------------------
    # The owner's activity, on the complaint
    # ------------------------------------------------------------------

    def _schedule_activities(self):
        actions = self.sudo().filtered(lambda action: action.state == "open")
        if not actions:
            return
        def summary(action):
            # in the owner's language (code terms: read from the .po even while demo data loads)
            env = self.with_context(lang=action.owner_id.lang).env
            if action.kind == "preventive":
                return env._("Preventive action: %(complaint)s", complaint=action.complaint_id.name)
            return env._("Corrective action: %(complaint)s", complaint=action.complaint_id.name)

        activities = self.env["mail.activity"].sudo().create([{
            "res_model_id": self.env["ir.model"]._get_id("sales.complaint"),
            "res_id": action.complaint_id.id,
            "activity_type_id": self.env.ref("sales_team_org.mail_activity_type_complaint_action").id,
            "summary": summary(action),
            "note": Markup("<p>%s</p>") % action.description,
            "date_deadline": action.date_deadline,
            "user_id": action.owner_id.id,
        } for action in actions])
        for action, activity in zip(actions, activities):
            action.activity_id = activity

    def _move_activities(self):
        actions = self.sudo()
        with_activity = actions.filtered(lambda action: action.activity_id.active)
        for action in with_activity:
            action.activity_id.write({
                "user_id": action.owner_id.id, "date_deadline": action.date_deadline,
                "note": Markup("<p>%s</p>") % action.description,
            })
        (actions - with_activity)._schedule_activities()
