from odoo import Command, api, fields, models
from odoo.exceptions import UserError


class SalesOrgRegion(models.Model):
    _name = "sales.org.region"
    _description = "Sales Region"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char()
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    country_id = fields.Many2one(
        "res.country", default=lambda self: self.env.ref("base.cn", raise_if_not_found=False)
    )
    state_ids = fields.One2many(
        "res.country.state",
        "sales_region_id",
        string="Provinces",
        help="A province belongs to one region at most.",
    )
    team_ids = fields.One2many("crm.team", "region_id", string="Sales Units")
    routing_team_id = fields.Many2one(
        "crm.team",
        string="Routing Unit",
        compute="_compute_routing_team_id",
        help="The unit that receives this region's leads that have no salesperson: "
        "its first active regional unit, else its first unit.",
    )

    _sql_constraints = [
        ("code_uniq", "unique(code)", "The code of a sales region must be unique."),
    ]

    @api.depends("team_ids.unit_type", "team_ids.sequence", "team_ids.active")
    def _compute_routing_team_id(self):
        for region in self:
            teams = region.team_ids.sorted("sequence")
            region.routing_team_id = (
                teams.filtered(lambda t: t.unit_type == "region")[:1] or teams[:1]
            )

    @api.model_create_multi
    def create(self, vals_list):
        provinces = [vals.pop("state_ids", None) for vals in vals_list]
        regions = super().create(vals_list)
        for region, commands in zip(regions, provinces):
            if commands:
                region._set_provinces(commands)
        return regions

    def write(self, vals):
        if "state_ids" in vals:
            vals = dict(vals)
            self._set_provinces(vals.pop("state_ids"))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_in_use(self):
        # every company's units and every province count, seen or not
        used = self.sudo().with_context(active_test=False).filtered(lambda region: region.state_ids or region.team_ids)
        if used:
            raise UserError(self.env._(
                "%(regions)s still has provinces or units: archive it instead, or take them out first.",
                regions=", ".join(used.mapped("name")),
            ))

    def action_view_provinces_without_region(self):
        """The provinces of the regions' countries that belong to no region: their leads go to
        the company's default unit."""
        countries = self.search([]).country_id or self.env.ref("base.cn", raise_if_not_found=False)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Provinces without a Region"),
            "res_model": "res.country.state",
            "view_mode": "list",
            "views": [(self.env.ref("sales_team_org.res_country_state_view_list_without_region").id, "list")],
            "domain": [("sales_region_id", "=", False), ("country_id", "in", countries.ids)],
            "context": {"create": False},
        }

    def _set_provinces(self, commands):
        """Provinces are Odoo's, writable by contact managers: the sales administrator, who may
        write regions, links them to a region and unlinks them, and changes nothing else."""
        self.check_access("write")
        if any(command[0] not in (Command.LINK, Command.UNLINK, Command.SET, Command.CLEAR) for command in commands):
            raise UserError(self.env._("A region takes existing provinces; it does not create or change them."))
        self._check_provinces_free(commands)
        return super(SalesOrgRegion, self.sudo()).write({"state_ids": commands})

    def _check_provinces_free(self, commands):
        """A province joins a region only from no region, and leaves only the region it is in:
        never moved from one region to another behind that region's back."""
        States = self.env["res.country.state"].sudo()
        joining = States.browse([
            state_id for command in commands if command[0] in (Command.LINK, Command.SET)
            for state_id in ([command[1]] if command[0] == Command.LINK else command[2])
        ])
        leaving = States.browse([command[1] for command in commands if command[0] == Command.UNLINK])
        for state in joining:  # an archived region keeps its provinces too
            if state.sales_region_id and state.sales_region_id not in self:
                raise UserError(self.env._(
                    "%(province)s belongs to the region %(region)s: take it out of %(region)s before "
                    "adding it to another region.",
                    province=state.name, region=state.sales_region_id.name,
                ))
        for state in leaving:
            if state.sales_region_id and state.sales_region_id not in self:
                raise UserError(self.env._(
                    "%(province)s belongs to the region %(region)s, not to %(regions)s.",
                    province=state.name, region=state.sales_region_id.name,
                    regions=", ".join(self.mapped("name")),
                ))
