from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.osv import expression

from .sales_org_guard import MAIL_FIELDS
from .sales_training_enrolment import OPEN_STATES
from .sales_training_program_step import STEP_TYPES

RESULTS = [("passed", "Passed"), ("failed", "Failed"), ("repeat", "To Repeat")]


class SalesTrainingEnrolmentStep(models.Model):
    """A step of one person's training: planned on their working days, led by their trainer,
    started and marked done in order, then signed off by the trainer or a leader above."""

    _name = "sales.training.enrolment.step"
    _inherit = ["mail.thread", "mail.activity.mixin", "sales.org.guarded.mixin"]
    _description = "Training Step of an Enrolment"
    _order = "enrolment_id, sequence, id"
    _mail_post_access = "read"  # trainee and trainer comment on a step they only read
    _sales_org_system_fields = frozenset({
        "enrolment_id", "program_step_id", "user_id", "company_id", "sequence", "name", "step_type", "date_start",
        "date_end", "trainer_id", "state", "attempt", "result", "result_comment", "signed_by_id", "signed_date",
        "reminded_state",
    }) | MAIL_FIELDS

    # The plan
    enrolment_id = fields.Many2one("sales.training.enrolment", required=True, readonly=True,
                                   index=True, ondelete="cascade", auto_join=True)
    program_step_id = fields.Many2one("sales.training.program.step", string="Programme Step", readonly=True,
                                      ondelete="set null")
    user_id = fields.Many2one(related="enrolment_id.user_id", string="Trainee", store=True, index=True)
    company_id = fields.Many2one(related="enrolment_id.company_id", store=True, index=True)
    program_id = fields.Many2one(related="enrolment_id.program_id")
    sequence = fields.Integer(readonly=True)
    name = fields.Char(string="Topic", required=True, readonly=True)
    step_type = fields.Selection(STEP_TYPES, string="Type", required=True, readonly=True)
    date_start = fields.Date(string="Planned Start", readonly=True)
    date_end = fields.Date(string="Planned End", readonly=True, index=True)
    trainer_id = fields.Many2one("res.users", readonly=True, index="btree_not_null",
                                 ondelete="set null")
    assessment = fields.Text(related="program_step_id.assessment")
    attachment_ids = fields.Many2many(related="program_step_id.attachment_ids", string="Materials")
    description = fields.Html(related="program_step_id.description")
    # Its course
    state = fields.Selection(
        [("todo", "To Do"), ("in_progress", "In Progress"), ("done", "Marked Done"), ("passed", "Passed")],
        string="Status", required=True, default="todo", readonly=True, index=True, tracking=True,
        help="Failed or to repeat at sign-off, a step is to do again, its attempt counted.",
    )
    attempt = fields.Integer(default=1, readonly=True)
    result = fields.Selection(RESULTS, string="Last Result", readonly=True)
    result_comment = fields.Text(string="Sign-off Comment", readonly=True)
    signed_by_id = fields.Many2one("res.users", string="Signed Off By", readonly=True, ondelete="set null")
    signed_date = fields.Date(string="Signed Off On", readonly=True)
    is_overdue = fields.Boolean(string="Overdue", compute="_compute_is_overdue", search="_search_is_overdue",
                                compute_sudo=True)
    reminded_state = fields.Char(readonly=True, help="The status the overdue reminder last told about.")
    # What the current user may do on it (the actions check it again)
    can_start = fields.Boolean(compute="_compute_can")
    can_mark_done = fields.Boolean(compute="_compute_can")
    can_sign_off = fields.Boolean(compute="_compute_can")

    @api.depends("state", "user_id", "trainer_id")
    @api.depends_context("uid")
    def _compute_can(self):
        user = self.env.user
        leaders = self.env["crm.team.member"]._leaders_above(self.sudo().user_id.ids)
        admin = user.has_group("sales_team.group_sale_manager")
        for step, known in zip(self, self.sudo()):  # the whole enrolment, whoever looks
            open_training = known.enrolment_id.state in OPEN_STATES
            earlier = known.enrolment_id.step_ids.filtered(
                lambda other: (other.sequence, other.id) < (known.sequence, known.id))
            step.can_start = open_training and known.state == "todo" and user in known.user_id | known.trainer_id \
                and all(other.state == "passed" for other in earlier)
            step.can_mark_done = open_training and known.state == "in_progress" and user == known.user_id
            step.can_sign_off = open_training and known.state == "done" and user != known.user_id and (
                admin or user == known.trainer_id or user.id in leaders.get(known.user_id.id, ()))

    @api.depends("date_end", "state", "enrolment_id.state")
    def _compute_is_overdue(self):
        today = {}
        for step in self:
            company = step.company_id
            if company not in today:
                today[company] = company._sales_org_today()
            step.is_overdue = bool(step.state != "passed" and step.enrolment_id.state in OPEN_STATES
                                   and step.date_end and step.date_end < today[company])

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Search overdue steps with “is set” or “is not set”."))
        late = expression.OR([[("company_id", "=", company.id), ("date_end", "<", company._sales_org_today())]
                              for company in self.env["res.company"].sudo().search([])])
        overdue = self.sudo()._search(expression.AND([late, [
            ("state", "!=", "passed"), ("enrolment_id.state", "in", OPEN_STATES)]]))
        return [("id", "in" if (operator == "=") == value else "not in", overdue)]

    def message_subscribe(self, partner_ids=None, subtype_ids=None):
        # trainee and trainer follow their steps from the planning on: skip the subscription
        # mail.activity does one by one for each of them
        if self.env.context.get("sales_training_bulk") and not subtype_ids \
                and set(partner_ids or []) <= set((self.user_id | self.trainer_id).partner_id.ids):
            return True
        return super().message_subscribe(partner_ids=partner_ids, subtype_ids=subtype_ids)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_start(self):
        """The trainee or the trainer starts a step once every step before it is passed."""
        self.check_access("read")
        steps = self.sudo()
        for step in steps:
            if self.env.user not in step.user_id | step.trainer_id:
                raise AccessError(self.env._("Only the trainee or the trainer of %(step)s starts it.", step=step.name))
            if step.state != "todo":
                raise UserError(self.env._("%(step)s is not to do: it cannot be started.", step=step.name))
        steps._check_open()
        pending = steps.search([("enrolment_id", "in", steps.enrolment_id.ids), ("state", "!=", "passed")])
        for step in steps:
            before = pending.filtered(lambda other: other.enrolment_id == step.enrolment_id
                                      and (other.sequence, other.id) < (step.sequence, step.id))
            if before:
                raise UserError(self.env._("%(step)s starts once the steps before it are passed: %(before)s.",
                                           step=step.name, before=", ".join(before.mapped("name"))))
        steps.write({"state": "in_progress"})
        steps.enrolment_id.filtered(lambda enrolment: enrolment.state == "planned").write({"state": "in_progress"})
        return True

    def action_mark_done(self):
        """The trainee says they went through the step: it waits for the trainer's sign-off."""
        self.check_access("read")
        steps = self.sudo()
        for step in steps:
            if step.user_id != self.env.user:
                raise AccessError(self.env._("Only the trainee marks their training step done."))
            if step.state != "in_progress":
                raise UserError(self.env._("%(step)s is not in progress: start it first.", step=step.name))
        steps._check_open()
        steps.write({"state": "done"})
        steps.activity_ids.filtered(lambda activity: activity.user_id in steps.user_id).action_feedback()
        return True

    def action_sign_off(self, result=None, comment=False):
        """The trainer, a leader above the trainee or the sales administrator (never the trainee)
        signs off a step marked done: passed, the next step begins; failed or to repeat, the step
        is to do again, its attempt counted and the comment in its chatter."""
        if result not in dict(RESULTS):
            raise UserError(self.env._("A sign-off is passed, failed or to repeat."))
        comment = (comment or "").strip()
        if result != "passed" and not comment:
            raise UserError(self.env._("Say in a comment why the step is failed or to repeat."))
        self.check_access("read")
        steps = self.sudo()
        leaders = self.env["crm.team.member"]._leaders_above(steps.user_id.ids)
        admin = self.env.user.has_group("sales_team.group_sale_manager")
        for step in steps:
            if step.user_id == self.env.user:
                raise AccessError(self.env._("Nobody signs off their own training."))
            if not (admin or step.trainer_id == self.env.user or self.env.uid in leaders.get(step.user_id.id, ())):
                raise AccessError(self.env._(
                    "Only the trainer, a leader above the trainee or the sales administrator signs off %(step)s.",
                    step=step.name))
            if step.state != "done":
                raise UserError(self.env._("%(step)s is signed off once its trainee marked it done.", step=step.name))
        steps._check_open()
        label = dict(self._fields["result"]._description_selection(self.env))[result]
        values = {"result": result, "result_comment": comment or False, "signed_by_id": self.env.uid}
        for step in steps:
            step.write(dict(values, signed_date=step.company_id._sales_org_today(), **(
                {"state": "passed"} if result == "passed"
                else {"state": "todo", "attempt": step.attempt + 1, "reminded_state": False})))
            step.message_post(
                body=self.env._("Signed off: %(result)s. %(comment)s", result=label, comment=comment)
                if comment else self.env._("Signed off: %(result)s.", result=label),
                author_id=self.env.user.partner_id.id, subtype_xmlid="mail.mt_comment")
        passed = steps.filtered(lambda step: step.state == "passed")
        passed.activity_ids.action_feedback()
        (steps - passed)._activate(trainee_only=True)
        passed.enrolment_id._after_step_passed()
        return True

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    def _check_open(self):
        if any(enrolment.state not in OPEN_STATES for enrolment in self.enrolment_id):
            raise UserError(self.env._("This training is completed or cancelled."))

    def _activate(self, trainee_only=False):
        """These steps are now current: an activity for their trainee and their trainer, due at
        the step's planned end, each in its assignee's language, created in one batch."""
        if not self:
            return
        activity_type = self.env.ref("sales_team_org.mail_activity_type_training")
        users = self.user_id | self.trainer_id
        envs = {lang: self.with_context(lang=lang).env for lang in set(users.mapped("lang"))}
        model_id = self.env["ir.model"]._get_id(self._name)
        vals_list = []
        for step in self:
            today = step.company_id._sales_org_today()
            base = {"res_model_id": model_id, "res_id": step.id, "activity_type_id": activity_type.id,
                    "date_deadline": max(step.date_end or today, today), "automated": True}
            vals_list.append(dict(base, user_id=step.user_id.id, summary=envs[step.user_id.lang]._(
                "Training: %(step)s", step=step.name)))
            if step.trainer_id and not trainee_only:
                vals_list.append(dict(base, user_id=step.trainer_id.id, summary=envs[step.trainer_id.lang]._(
                    "Train %(trainee)s: %(step)s", trainee=step.user_id.name, step=step.name)))
        self.env["mail.activity"].sudo().with_context(
            mail_activity_quick_update=True, sales_training_bulk=True).create(vals_list)
