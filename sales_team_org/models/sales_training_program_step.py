from odoo import api, fields, models
from odoo.exceptions import ValidationError

STEP_TYPES = [
    ("classroom", "Classroom"),
    ("workshop", "Workshop"),
    ("phone", "Phone Practice"),
    ("field", "On the Job"),
    ("assessment", "Assessment"),
]


class SalesTrainingProgramStep(models.Model):
    """培训步骤 of a programme: what is taught, how, by whom, when and how it is assessed."""

    _name = "sales.training.program.step"
    _description = "Training Programme Step"
    _order = "program_id, sequence, id"

    program_id = fields.Many2one("sales.training.program", string="Programme", required=True, index=True,
                                 ondelete="cascade")
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Topic", required=True, translate=True)
    step_type = fields.Selection(STEP_TYPES, string="Type", required=True, default="classroom")
    day_offset = fields.Integer(string="Starts After (Working Days)", default=0,
                                help="Working days between the first day of the programme and the first day of "
                                "this step: 0 starts it on the first day.")
    duration_days = fields.Integer(string="Duration (Working Days)", default=1)
    trainer = fields.Selection(
        [("leader", "Direct Leader"), ("unit_manager", "Unit Manager"), ("role", "Holder of a Role")],
        string="Led By", required=True, default="leader",
        help="Direct Leader: the person the trainee reports to. Unit Manager: the manager of the trainee's "
        "unit. Holder of a Role: someone holding the trainer role in the trainee's unit or the nearest unit above.",
    )
    trainer_role_id = fields.Many2one("sales.org.role", ondelete="set null")
    assessment = fields.Text(help="How the trainer assesses this step before signing it off.")
    attachment_ids = fields.Many2many("ir.attachment", string="Materials")
    description = fields.Html(translate=True)

    _sql_constraints = [
        ("day_offset_positive", "CHECK (day_offset >= 0)", "A step cannot start before the programme."),
        ("duration_positive", "CHECK (duration_days >= 1)", "A step lasts at least one working day."),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_planning_values(vals)
        steps = super().create(vals_list)
        steps._link_materials()
        return steps

    def write(self, vals):
        self._check_planning_values(vals)
        res = super().write(vals)
        if "attachment_ids" in vals:
            self._link_materials()
        return res

    def _check_planning_values(self, vals):
        # before the database's own check, for a message saying which step and why
        if vals.get("day_offset", 0) < 0:
            raise ValidationError(self.env._("A step cannot start before the programme: its offset is 0 or more."))
        if "duration_days" in vals and (vals["duration_days"] or 0) < 1:
            raise ValidationError(self.env._("A step lasts at least one working day."))

    def _link_materials(self):
        # a file uploaded before its step was saved belongs to nobody: tie it to the step, so
        # that whoever reads the programme reads it
        for step in self:
            step.attachment_ids.filtered(lambda attachment: not attachment.res_id and attachment.res_model
                                         in (False, self._name)).write({"res_model": self._name, "res_id": step.id})

    @api.constrains("trainer", "trainer_role_id")
    def _check_trainer_role(self):
        if any(step.trainer == "role" and not step.trainer_role_id for step in self):
            raise ValidationError(self.env._("A step led by the holder of a role names that role."))
