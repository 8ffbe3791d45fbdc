from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_is_zero, format_amount


class SalesCommissionDispute(models.Model):
    """A person questions a line of their settlement: the dispute goes to their leader through
    the approval engine. Approved, its adjustment (what the leader grants, plus or minus) is
    credited in the person's next open month, pointing to the line; refused, with the
    leader's reason."""

    _name = "sales.commission.dispute"
    _inherit = ["sales.org.approval.mixin"]
    _description = "Commission Dispute"
    _order = "create_date desc, id desc"
    _check_company_auto = True
    _sales_org_author_fields = frozenset({"line_id", "description", "amount_claimed"})
    _sales_org_review_fields = frozenset({"review_comment", "amount_granted"})
    _sales_org_create_fields = frozenset({"user_id", "company_id"})
    _approval_limit_kind = "commission_dispute"

    user_id = fields.Many2one("res.users", string="Raised By", required=True, index=True, readonly=True,
                              default=lambda self: self.env.user)
    line_id = fields.Many2one("sales.commission.settlement.line", string="Line Questioned", required=True,
                              index=True, ondelete="cascade")
    settlement_id = fields.Many2one(related="line_id.settlement_id", store=True, index=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    line_amount = fields.Monetary(related="line_id.amount", string="Amount Credited")
    description = fields.Text(string="Why", required=True)
    amount_claimed = fields.Monetary(string="Difference Claimed", help="How much more (or less) the line should say.")
    amount_granted = fields.Monetary(string="Adjustment Granted",
                                     help="Set by the approver: the adjustment credited in the next open month.")
    adjustment_line_id = fields.Many2one("sales.commission.settlement.line", string="Adjustment", readonly=True,
                                         copy=False)

    @api.depends("line_id")
    def _compute_display_name(self):
        for dispute in self:
            dispute.display_name = self.env._("Dispute of %(line)s", line=dispute.line_id.display_name or "")

    @api.constrains("line_id", "user_id")
    def _check_line(self):
        for dispute in self:
            if dispute.line_id.user_id != dispute.user_id:
                raise ValidationError(self.env._("A person disputes lines of their own settlements only."))
            if dispute.line_id.settlement_id.state == "draft":
                raise ValidationError(self.env._(
                    "A draft settlement is computed again until it is confirmed: dispute its line once confirmed."))
            if dispute.line_id.company_id != dispute.company_id:
                raise ValidationError(self.env._("A dispute is filed in the company of its settlement."))

    @api.constrains("line_id", "state")
    def _check_one_per_line(self):
        open_states = ("draft", "submitted", "returned", "approved")
        disputes = self.filtered(lambda dispute: dispute.state in open_states)
        if disputes and self.search_count([("id", "not in", disputes.ids), ("line_id", "in", disputes.line_id.ids),
                                           ("state", "in", open_states)], limit=1):
            raise ValidationError(self.env._(
                "This line is already disputed: follow that dispute, or cancel it before raising another."))

    def _approval_amount(self):
        # routed by the claim; decided by what the leader grants of it
        return {dispute.id: abs(dispute.amount_granted or dispute.amount_claimed) for dispute in self}

    def _approval_check_submit(self):
        self._check_line()
        if any(float_is_zero(dispute.amount_claimed, precision_rounding=dispute.currency_id.rounding)
               for dispute in self):
            raise UserError(self.env._("Say how much more (or less) the line should say."))

    def action_approve(self):
        for dispute in self:
            granted, claimed = dispute.amount_granted, dispute.amount_claimed
            if float_is_zero(granted, precision_rounding=dispute.currency_id.rounding):
                raise UserError(self.env._(
                    "Set the adjustment granted before approving, or refuse the dispute with a reason."))
            if granted * claimed < 0 or abs(granted) > abs(claimed):
                raise UserError(self.env._(
                    "The adjustment granted is at most what was claimed (%(claimed)s), in the same direction.",
                    claimed=format_amount(self.env, claimed, dispute.currency_id)))
        return super().action_approve()

    def _on_approved(self):
        engine = self.env["sales.commission.settlement"].sudo()
        for dispute in self:
            dispute.adjustment_line_id = engine._credit_dispute(dispute)
            dispute.message_post(body=self.env._(
                "Adjustment of %(amount)s credited in %(settlement)s.",
                amount=format_amount(self.env, dispute.amount_granted, dispute.currency_id),
                settlement=dispute.adjustment_line_id.settlement_id.display_name))
