from odoo import api, models

from .sales_org_guard import check_system_fields, without_system_defaults


class SalesOrgGuardedMixin(models.AbstractModel):
    """Fields only the add-on's own workflow writes, listed in `_sales_org_system_fields`:
    a user's create or write that sets one is refused (the workflow writes them with sudo)."""

    _name = "sales.org.guarded.mixin"
    _description = "Fields Written by the Organisation's Workflow"
    _sales_org_system_fields = frozenset()

    @api.model_create_multi
    def create(self, vals_list):
        check_system_fields(self, vals_list)
        return super(SalesOrgGuardedMixin, without_system_defaults(self)).create(vals_list)

    def write(self, vals):
        check_system_fields(self, vals)
        return super().write(vals)
