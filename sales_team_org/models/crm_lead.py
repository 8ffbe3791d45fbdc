from odoo import api, fields, models


class CrmLead(models.Model):
    _name = "crm.lead"
    _inherit = ["crm.lead", "sales.org.guarded.mixin", "sales.org.scope.mixin"]
    _sales_org_system_fields = frozenset({"sales_region_id"})  # follows the province

    sales_region_id = fields.Many2one(
        related="state_id.sales_region_id", store=True, index="btree_not_null", string="Sales Region"
    )
    sales_classification = fields.Selection(
        related="partner_id.commercial_partner_id.sales_classification", string="Customer Classification"
    )

    @api.model_create_multi
    def create(self, vals_list):
        leads = super().create(vals_list)
        leads.user_id._sales_training_check_salesperson()  # the salesperson may come from a default
        leads.filtered(lambda lead: not lead.team_id)._route_to_region()
        return leads

    def write(self, vals):
        # a record is written as its id (Odoo's own code and tests write either)
        user = self._fields["user_id"].convert_to_record(
            self._fields["user_id"].convert_to_cache(vals.get("user_id"), self), self)
        if user and any(lead.user_id != user for lead in self):
            user._sales_training_check_salesperson()
        res = super().write(vals)
        if {"state_id", "partner_id", "user_id", "team_id"} & vals.keys():
            self.filtered(lambda lead: not lead.team_id)._route_to_region()
        return res

    def action_route_to_region(self):
        """Send the selected leads that have no salesperson to the unit of their region (or, for a
        province of no region, to the company's default unit)."""
        self._route_to_region()
        return True

    def _route_to_region(self):
        # A lead nobody owns goes to the unit of its region; one whose province belongs to no
        # region, to its company's default unit.
        unowned = self.filtered(lambda lead: not lead.user_id)
        for region, leads in unowned.grouped("sales_region_id").items():
            if region.routing_team_id:
                leads.write({"team_id": region.routing_team_id.id})
        outside = unowned.filtered(lambda lead: lead.state_id and not lead.sales_region_id)
        for company, leads in outside.grouped(lambda lead: lead.company_id or self.env.company).items():
            team = company.sales_org_default_team_id
            if team.active and (not team.company_id or team.company_id == company):
                leads.write({"team_id": team.id})
