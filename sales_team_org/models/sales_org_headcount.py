from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

GAP_OPERATORS = {"=", "!=", "<", "<=", ">", ">="}


class SalesOrgHeadcount(models.Model):
    """Planned headcount (编制) of a role in a unit, against who holds it."""

    _name = "sales.org.headcount"
    _inherit = ["sales.org.guarded.mixin"]
    _description = "Planned Headcount"
    _order = "team_id, role_id"
    _sales_org_system_fields = frozenset({"company_id"})  # the unit's

    team_id = fields.Many2one("crm.team", string="Unit", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="team_id.company_id", store=True, index=True)
    role_id = fields.Many2one("sales.org.role", required=True, ondelete="restrict", index=True)
    planned_count = fields.Integer(string="Planned", default=1)
    actual_count = fields.Integer(string="Actual", compute="_compute_actual_count")
    gap = fields.Integer(compute="_compute_actual_count", search="_search_gap", help="Planned minus actual.")

    _sql_constraints = [
        ("team_role_uniq", "unique(team_id, role_id)", "A role is planned once per unit."),
        ("planned_positive", "CHECK(planned_count >= 0)", "A planned headcount cannot be negative."),
    ]

    @api.depends("team_id.crm_team_member_ids.role_id")
    def _compute_actual_count(self):
        counts = {
            (team.id, role.id): count
            for team, role, count in self.env["crm.team.member"]._read_group(
                [("crm_team_id", "in", self.team_id.ids), ("role_id", "in", self.role_id.ids)],
                ["crm_team_id", "role_id"],
                ["__count"],
            )
        }
        for line in self:
            line.actual_count = counts.get((line.team_id.id, line.role_id.id), 0)
            line.gap = line.planned_count - line.actual_count

    def _search_gap(self, operator, value):
        if operator not in GAP_OPERATORS or not isinstance(value, int) or isinstance(value, bool):
            raise UserError(self.env._("Compare the gap with a whole number."))
        self.env["crm.team.member"].flush_model(["crm_team_id", "role_id", "active"])
        self.flush_model(["team_id", "role_id", "planned_count"])
        ids = [line_id for line_id, in self.env.execute_query(SQL(
            """
            SELECT h.id FROM sales_org_headcount h
             WHERE h.planned_count - (SELECT count(*) FROM crm_team_member m
                                       WHERE m.active AND m.crm_team_id = h.team_id AND m.role_id = h.role_id)
                   %s %s
            """,
            SQL(operator), value,
        ))]
        return [("id", "in", ids)]
