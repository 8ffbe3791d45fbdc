from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import format_amount, format_date

STEP_STATES = [
    ("pending", "Waiting"),
    ("approved", "Approved"),
    ("refused", "Refused"),
    ("returned", "Returned"),
    ("skipped", "Skipped"),
    ("escalated", "Escalated"),
    ("cancelled", "Cancelled"),
]
NOTES = [
    ("absent", "Away, nobody named to stand in"),
    ("delegated", "Decided by the delegate"),
    ("taken_over", "Decided above the one waiting"),
]


class SalesOrgApprovalStep(models.Model):
    """One step of a request's way up the tree: whom it waited for and what they decided. The
    history the requester reads; written only by the approval engine."""

    _name = "sales.org.approval.step"
    _description = "Approval Step"
    _order = "res_model, res_id, round, sequence, id"
    _rec_name = "res_name"

    res_model = fields.Char(string="Document Model", required=True, index=True, readonly=True)
    res_id = fields.Many2oneReference(string="Document", model_field="res_model", required=True, index=True,
                                      readonly=True)
    res_name = fields.Char(string="Document Name", compute="_compute_res_name")
    model_description = fields.Char(string="Request", compute="_compute_res_name")
    requester_id = fields.Many2one("res.users", string="Requested By", required=True, readonly=True, index=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    round = fields.Integer(readonly=True, default=1, help="The how-many-th submission of the request.")
    sequence = fields.Integer(readonly=True, default=1)
    leader_id = fields.Many2one(
        "res.users", readonly=True, index="btree_not_null",
        help="The leader on the requester's reporting line this step goes to; empty when nobody is "
             "above: the sales administrator decides.",
    )
    approver_id = fields.Many2one(
        "res.users", readonly=True, index="btree_not_null",
        help="Who decides: the leader, or the delegate they named while away.",
    )
    state = fields.Selection(STEP_STATES, string="Status", required=True, default="pending", readonly=True,
                             index=True)
    note = fields.Selection(NOTES, string="Decided How", readonly=True)
    amount = fields.Float(readonly=True, help="The amount the request asked to be granted at this step.")
    amount_display = fields.Char(string="Asked", compute="_compute_amount_display")
    limit = fields.Float(readonly=True, help="What the leader's role may grant; -1: no limit.")
    decided_by_id = fields.Many2one("res.users", string="Handled By", readonly=True)
    decided_date = fields.Datetime(string="Decided On", readonly=True)
    comment = fields.Text(string="Approver's Comment", readonly=True)
    reminded_date = fields.Datetime(string="Reminded On", readonly=True)
    create_date = fields.Datetime(string="Waiting Since", readonly=True)

    @api.depends("res_model", "res_id")
    def _compute_res_name(self):
        for model, steps in self.grouped("res_model").items():
            if model not in self.env:
                steps.res_name = steps.model_description = False
                continue
            documents = self.env[model].sudo().browse(steps.mapped("res_id")).exists()
            names = dict(zip(documents.ids, documents.mapped("display_name")))
            description = self.env["ir.model"]._get(model).name
            for step in steps:
                step.res_name = names.get(step.res_id, "")
                step.model_description = description

    @api.depends("res_model", "amount", "company_id")
    @api.depends_context("lang")
    def _compute_amount_display(self):
        """The amount in its unit: a percentage for a price reduction, money for a budget."""
        for step in self:
            kind = self.env[step.res_model]._approval_limit_kind if step.res_model in self.env else None
            if not kind or not step.amount:
                step.amount_display = False
            elif kind == "discount":
                step.amount_display = f"{step.amount:g} %"
            else:
                step.amount_display = format_amount(self.env, step.amount, step.company_id.currency_id)

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise AccessError(self.env._("Approval steps are recorded by the approval itself, not by hand."))
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            raise AccessError(self.env._("Approval steps are recorded by the approval itself, not by hand."))
        return super().write(vals)

    def action_open_document(self):
        """Open the request of this step (its own access rules apply)."""
        self.ensure_one()
        self.env[self.res_model].browse(self.res_id).check_access("read")
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "views": [(False, "form")],
            "target": "current",
        }

    def _remind(self):
        """Remind the approvers of these steps: one mail to each, in their language, listing
        what waits for them; a line in each request's chatter. Created in one batch."""
        documents = {model: self.env[model].sudo().browse(set(steps.mapped("res_id"))).exists()
                     for model, steps in self.grouped("res_model").items() if model in self.env}
        names = {(model, document.id): document.display_name
                 for model, records in documents.items() for document in records}
        self.filtered(lambda step: (step.res_model, step.res_id) not in names).state = "cancelled"  # deleted
        mails = []
        for approver, steps in self.filtered(lambda step: step.state == "pending").grouped("approver_id").items():
            env = self.with_context(lang=approver.lang).env
            lines = [env._("%(request)s of %(person)s, waiting since %(date)s",
                           request=names[step.res_model, step.res_id], person=step.requester_id.name,
                           date=format_date(env, step.create_date)) for step in steps]
            mails.append((approver.partner_id, env._("Requests waiting for your approval"), Markup(
                "<p>%s</p><ul>%s</ul>") % (env._("These requests wait for your decision (CRM ‣ Approvals ‣ To "
                                                 "Approve):"), Markup().join(Markup("<li>%s</li>") % line
                                                                             for line in lines))))
        self.env["sales.org.rhythm"]._send_mails(mails)
        for model, records in documents.items():
            approver_of = {step.res_id: step.approver_id for step in self if step.res_model == model}
            records._message_log_batch({
                document.id: Markup("<p>%s</p>") % records.with_context(lang=approver_of[document.id].lang).env._(
                    "Reminder sent to %(person)s.", person=approver_of[document.id].name)
                for document in records if document.id in approver_of
            })
