from odoo import api, fields, models
from odoo.exceptions import UserError


class SalesOrgScopeMixin(models.AbstractModel):
    """Records (with a `team_id` and a `user_id`) of the units the current user leads and of all
    units below them, as the unit leaders' record rules see them: a search filter, also for those
    who see more than their units."""

    _name = "sales.org.scope.mixin"
    _description = "Records of My Units and Below"

    sales_org_in_my_units = fields.Boolean(
        string="In My Units and Below",
        compute="_compute_sales_org_in_my_units",
        search="_search_sales_org_in_my_units",
    )

    @api.depends_context("uid")
    def _compute_sales_org_in_my_units(self):
        user = self.env.user
        for record in self:
            record.sales_org_in_my_units = record.team_id in user.sales_org_team_ids if record.team_id \
                else record.user_id in user.sales_org_user_ids

    def _search_sales_org_in_my_units(self, operator, value):
        if operator not in ("=", "!=") or value not in (True, False):
            raise UserError(self.env._("“In My Units and Below” is searched as true or false only."))
        user = self.env.user
        domain = ["|", ("team_id", "in", user.sales_org_team_ids.ids),
                  "&", ("team_id", "=", False), ("user_id", "in", user.sales_org_user_ids.ids)]
        return domain if (operator == "=") == value else ["!", *domain]
