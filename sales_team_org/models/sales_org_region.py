from odoo import api, fields, models


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
