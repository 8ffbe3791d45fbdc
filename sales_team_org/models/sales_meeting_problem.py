from odoo import api, fields, models
from odoo.exceptions import AccessError


class SalesMeetingProblem(models.Model):
    """A problem met in last week's sales and the solution the meeting agreed on."""

    _name = "sales.meeting.problem"
    _description = "Weekly Meeting Problem"
    _order = "meeting_id, sequence, id"
    _rec_name = "problem"

    meeting_id = fields.Many2one("sales.meeting", required=True, index=True, ondelete="cascade")
    sequence = fields.Integer(default=10)
    problem = fields.Text(required=True)
    solution = fields.Text()
    user_id = fields.Many2one("res.users", string="Followed up by", index="btree_not_null")

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            meeting_ids = {vals["meeting_id"] for vals in vals_list if vals.get("meeting_id")}
            meetings = self.env["sales.meeting"].browse(meeting_ids)
            meetings._check_minutes_editable()
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            if "meeting_id" in vals:
                raise AccessError(self.env._("A problem stays in the minutes it was written in."))
            self.meeting_id._check_minutes_editable()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_in_draft(self):
        self.meeting_id._check_minutes_editable()
