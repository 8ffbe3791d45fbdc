from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError


class SalesOrgDelegation(models.Model):
    """While a leader is away, the requests waiting for them go to the delegate they named."""

    _name = "sales.org.delegation"
    _description = "Approval Delegation"
    _order = "date_from desc, id desc"

    user_id = fields.Many2one(
        "res.users", string="Leader", required=True, default=lambda self: self.env.user, index=True,
        ondelete="cascade",
    )
    delegate_id = fields.Many2one("res.users", required=True, ondelete="cascade")
    date_from = fields.Date(string="From", required=True, default=fields.Date.context_today)
    date_to = fields.Date(string="To", required=True, default=fields.Date.context_today)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    active = fields.Boolean(default=True)
    note = fields.Char()

    @api.constrains("user_id", "delegate_id", "date_from", "date_to")
    def _check_dates(self):
        for delegation in self:
            if delegation.delegate_id.share:
                raise ValidationError(self.env._("A delegate is one of the company's users, not a portal user."))
            if delegation.date_to < delegation.date_from:
                raise ValidationError(self.env._("A delegation cannot end before it starts."))
            if delegation.delegate_id == delegation.user_id:
                raise ValidationError(self.env._("Name someone else to stand in for you."))

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and not self._is_administrator():
            if any(vals.get("user_id", self.env.uid) != self.env.uid for vals in vals_list):
                raise AccessError(self.env._("People name their own delegates."))
        delegations = super().create(vals_list)
        self.env["sales.org.approval.mixin"]._refresh_all_approvers()  # requests waiting for them follow
        return delegations

    def write(self, vals):
        if not self.env.su and "company_id" in vals:
            raise AccessError(self.env._("A delegation stays in the company it was made in."))
        if not self.env.su and not self._is_administrator():
            if "user_id" in vals or any(delegation.user_id != self.env.user for delegation in self):
                raise AccessError(self.env._("People name their own delegates."))
        result = super().write(vals)
        self.env["sales.org.approval.mixin"]._refresh_all_approvers()
        return result

    def _is_administrator(self):
        return self.env.user.has_group("sales_team.group_sale_manager")

    @api.model
    def _active_for(self, user_ids):
        """{user id: their delegate's id} for those of `user_ids` who named one for today (in
        their delegation's company's day)."""
        if not user_ids:
            return {}
        delegations = self.search([("user_id", "in", list(user_ids)), ("delegate_id.active", "=", True)])
        result = {}
        for delegation in delegations:
            today = delegation.company_id._sales_org_today()
            if delegation.date_from <= today <= delegation.date_to:
                result.setdefault(delegation.user_id.id, delegation.delegate_id.id)
        return result
