from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class SalesTrainingProgram(models.Model):
    """培训计划: the ordered steps a newcomer in a role goes through, configured by the sales
    administrator and planned for each person enrolled (sales.training.enrolment)."""

    _name = "sales.training.program"
    _inherit = ["mail.thread"]
    _description = "Training Programme"
    _order = "name, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True, tracking=True)
    # a role followed by a programme, and a programme by people, are archived, not deleted
    # (their ondelete checks); the add-on's uninstall removes them together
    role_id = fields.Many2one("sales.org.role", required=True, index=True, ondelete="cascade",
                              tracking=True, help="The role whose newcomers follow this programme.")
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one("res.company", index=True, help="Empty: the programme of every company.")
    description = fields.Html(translate=True)
    step_ids = fields.One2many("sales.training.program.step", "program_id", string="Steps", copy=True)
    step_count = fields.Integer(string="Steps Count", compute="_compute_step_count")
    duration_days = fields.Integer(string="Working Days", compute="_compute_step_count",
                                   help="Working days from the first day of the programme to the end of its last step.")

    @api.depends("step_ids.day_offset", "step_ids.duration_days")
    def _compute_step_count(self):
        for program in self:
            program.step_count = len(program.step_ids)
            program.duration_days = max((step.day_offset + step.duration_days for step in program.step_ids),
                                        default=0)

    @api.constrains("role_id", "company_id", "active")
    def _check_one_active_per_role(self):
        for program in self.filtered("active"):
            if self.search_count([("id", "!=", program.id), ("role_id", "=", program.role_id.id),
                                  ("company_id", "=", program.company_id.id)], limit=1):
                raise ValidationError(self.env._(
                    "The role %(role)s already has an active training programme in %(company)s: archive it first.",
                    role=program.role_id.display_name, company=program.company_id.name,
                ) if program.company_id else self.env._(
                    "The role %(role)s already has an active training programme for every company: archive it "
                    "first.", role=program.role_id.display_name))

    @api.ondelete(at_uninstall=False)
    def _unlink_unless_followed(self):
        if self.env["sales.training.enrolment"].sudo().with_context(active_test=False).search_count(
                [("program_id", "in", self.ids)], limit=1):
            raise UserError(self.env._("People followed this programme: archive it instead, their trainings stay."))
