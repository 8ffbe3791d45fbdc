from odoo import api, fields, models
from odoo.exceptions import AccessError


class SalesMeetingAttendee(models.Model):
    """Who was expected at a weekly meeting and whether they came: written by the chair and the
    note-taker while the minutes are a draft."""

    _name = "sales.meeting.attendee"
    _description = "Weekly Meeting Attendance"
    _order = "meeting_id, is_guest, id"
    _rec_name = "user_id"

    meeting_id = fields.Many2one("sales.meeting", required=True, index=True, ondelete="cascade")
    user_id = fields.Many2one("res.users", string="Person", required=True, index=True, ondelete="cascade")
    attendance = fields.Selection(
        [("present", "Present"), ("absent", "Absent"), ("late", "Late"), ("excused", "Excused")],
        default="present", required=True,
    )
    is_present = fields.Boolean(
        string="Came", compute="_compute_is_present", inverse="_inverse_is_present",
        help="Came to the meeting, on time or late.",
    )
    is_guest = fields.Boolean(string="Guest", readonly=True,
                              help="Invited by the organisation, not a member of the unit.")
    note = fields.Char()

    _sql_constraints = [
        ("meeting_user_uniq", "unique(meeting_id, user_id)", "A person is listed once in a meeting's attendance."),
    ]

    @api.depends("attendance")
    def _compute_is_present(self):
        for line in self:
            line.is_present = line.attendance in ("present", "late")

    def _inverse_is_present(self):
        for line in self:
            if line.is_present != (line.attendance in ("present", "late")):
                line.attendance = "present" if line.is_present else "absent"

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            if any(vals.get("is_guest") for vals in vals_list):
                raise AccessError(self.env._("The guests of a meeting are invited by the organisation."))
            meeting_ids = {vals["meeting_id"] for vals in vals_list if vals.get("meeting_id")}
            meetings = self.env["sales.meeting"].browse(meeting_ids)
            meetings._check_minutes_editable()
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            if {"meeting_id", "user_id", "is_guest"} & vals.keys():
                raise AccessError(self.env._(
                    "An attendance line stays that of its person: remove it and add another."))
            self.meeting_id._check_minutes_editable()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_in_draft(self):
        self.meeting_id._check_minutes_editable()
