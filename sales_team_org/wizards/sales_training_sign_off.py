from odoo import fields, models

from ..models.sales_training_enrolment_step import RESULTS


class SalesTrainingSignOff(models.TransientModel):
    """签核: the trainer's result and comment on a training step its trainee marked done."""

    _name = "sales.training.sign.off"
    _description = "Sign Off a Training Step"

    step_id = fields.Many2one("sales.training.enrolment.step", required=True, ondelete="cascade")
    result = fields.Selection(RESULTS, required=True, default="passed")
    comment = fields.Text(help="Required when the step is failed or to repeat: the trainee reads it.")

    def action_sign_off(self):
        self.ensure_one()
        self.step_id.action_sign_off(self.result, self.comment)
        return {"type": "ir.actions.act_window_close"}
