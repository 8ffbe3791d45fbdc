from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError


class SalesCommissionCompute(models.TransientModel):
    """Compute (or compute again) a month's draft settlements of a company, with the adjustments
    of the earlier months already confirmed: what the scheduled action does on the first working
    day, on demand of the sales administrator."""

    _name = "sales.commission.compute"
    _description = "Compute Commissions"

    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company,
                                 domain=lambda self: [("id", "in", self.env.companies.ids)])
    date_from = fields.Date(string="Month", required=True, default=lambda self: self._default_month(),
                            help="The month to compute; the settlements already confirmed are left alone.")

    @api.model
    def _default_month(self):
        """The first day of last month, in the company's day."""
        return (self.env.company._sales_org_today().replace(day=1) - timedelta(days=1)).replace(day=1)

    def action_compute(self):
        self.ensure_one()
        if not self.env.user.has_group("sales_team.group_sale_manager"):
            raise AccessError(self.env._("Only the sales administrator computes the commissions."))
        company = self.company_id
        if company not in self.env.user.company_ids:
            raise AccessError(self.env._("You do not work for %(company)s.", company=company.name))
        date_from = self.date_from.replace(day=1)
        if date_from > company._sales_org_today():
            raise UserError(self.env._("%(month)s has not started yet.",
                                       month=company._sales_org_period_name("month", date_from)))
        self.env["sales.commission.settlement"].sudo()._compute_period(company, date_from)
        action = self.env["ir.actions.act_window"]._for_xml_id("sales_team_org.sales_commission_settlement_action")
        action.update({
            "name": self.env._("Commissions of %(month)s", month=company._sales_org_period_name("month", date_from)),
            "domain": [("company_id", "=", company.id), ("date_from", "=", date_from)],
            "context": {"create": False},
        })
        return action
