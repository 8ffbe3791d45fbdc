from odoo import api, fields, models


class SalesMeetingFigure(models.Model):
    """Last week's figures of a unit's person, or of the whole unit (no person), as the minutes
    were prepared: written by the system only (users read them). The place for the achievement
    against the targets once targets exist."""

    _name = "sales.meeting.figure"
    _description = "Weekly Meeting Figures"
    _order = "meeting_id, user_id nulls last, id"
    _rec_name = "user_id"

    meeting_id = fields.Many2one("sales.meeting", required=True, index=True, ondelete="cascade",
                                 readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True, ondelete="cascade",
                              help="Empty on the unit's total line.")
    person_label = fields.Char(string="Who", compute="_compute_person_label")
    currency_id = fields.Many2one(related="meeting_id.currency_id")
    call_count = fields.Integer(string="Calls", readonly=True)
    visit_count = fields.Integer(string="Visits", readonly=True)
    customer_count = fields.Integer(string="Customers Reached", readonly=True)
    new_customer_count = fields.Integer(string="New Customers", readonly=True)
    quotation_count = fields.Integer(string="Quotations Sent", readonly=True)
    order_count = fields.Integer(string="Orders Confirmed", readonly=True)
    order_amount = fields.Monetary(string="Untaxed Amount", readonly=True)
    report_due = fields.Integer(string="Daily Reports Due", readonly=True)
    report_submitted = fields.Integer(string="Daily Reports Submitted", readonly=True)

    @api.depends("user_id")
    @api.depends_context("lang")
    def _compute_person_label(self):
        for line in self:
            line.person_label = line.user_id.name if line.user_id else self.env._("Unit Total")
