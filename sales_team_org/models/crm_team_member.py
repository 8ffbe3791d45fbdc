from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import SQL

SCOPE_FIELDS = {"role_id", "user_id", "crm_team_id", "active"}


class CrmTeamMember(models.Model):
    _inherit = "crm.team.member"

    role_id = fields.Many2one(
        "sales.org.role",
        index="btree_not_null",
        ondelete="restrict",
        tracking=True,
        help="The role decides the person's access: assigning, changing or removing "
        "it updates their groups at once.",
    )
    role_level = fields.Selection(related="role_id.level")
    unit_type = fields.Selection(related="crm_team_id.unit_type")
    # People org chart: maintained by _update_reporting_lines, set-based, when the tree changes.
    parent_member_id = fields.Many2one(
        "crm.team.member", string="Reports To", readonly=True, index="btree_not_null", ondelete="set null"
    )
    child_member_ids = fields.One2many("crm.team.member", "parent_member_id", string="Direct Reports")

    @api.model_create_multi
    def create(self, vals_list):
        members = super().create(vals_list)
        self.env["res.users"]._sales_org_sync_access(members.filtered("role_id").user_id)
        self.env["crm.team"]._sales_org_scope_changed()
        return members

    def write(self, vals):
        if not SCOPE_FIELDS & vals.keys():
            return super().write(vals)
        users_before = self.filtered("role_id").user_id
        res = super().write(vals)
        users = users_before | self.filtered("role_id").user_id
        self.env["res.users"]._sales_org_sync_access(users)
        self.env["crm.team"]._sales_org_scope_changed()
        return res

    def unlink(self):
        users = self.filtered("role_id").user_id
        res = super().unlink()
        self.env["res.users"]._sales_org_sync_access(users)
        self.env["crm.team"]._sales_org_scope_changed()
        return res

    @api.model
    def _sql_leads(self, member="m", team="t", role="r"):
        """SQL condition: the membership leads its unit, its person being the unit manager or
        holding a role that gives access to units and below (or to all). Needs its unit joined
        as `team` and its role left-joined as `role`."""
        return SQL(
            "(%s IS NOT DISTINCT FROM %s OR COALESCE(%s, 'own') != 'own')",
            SQL.identifier(team, "user_id"), SQL.identifier(member, "user_id"),
            SQL.identifier(role, "access_level"),
        )

    @api.model
    def _update_reporting_lines(self):
        """Point every active membership to the person it reports to: two queries in all.

        A membership leads its unit when its person is the unit manager or holds a role
        giving access to units and below. A person reports to the leader of their unit
        (a leader: to the leader of the nearest unit above), else to the nearest leader above.
        """
        self.env["crm.team"].flush_model(["parent_path", "user_id"])
        self.flush_model(["crm_team_id", "user_id", "role_id", "active", "parent_member_id"])
        self.env["sales.org.role"].flush_model(["access_level"])
        rows = self.env.execute_query(SQL("""
            SELECT m.id, m.active, m.crm_team_id, t.parent_path, m.parent_member_id, %s
              FROM crm_team_member m
              JOIN crm_team t ON t.id = m.crm_team_id
         LEFT JOIN sales_org_role r ON r.id = m.role_id
        """, self._sql_leads()))
        leaders = defaultdict(list)  # unit id -> its leading memberships, oldest first
        for member_id, active, team_id, _path, _parent, leads in sorted(rows):
            if active and leads:
                leaders[team_id].append(member_id)
        changes = []
        for member_id, active, team_id, path, current, leads in rows:
            parent = None
            if active:
                units = [int(unit) for unit in path.split("/") if unit]
                if leads:
                    units.pop()  # a leader reports above their own unit
                for unit in reversed(units):
                    parent = next((leader for leader in leaders[unit] if leader != member_id), None)
                    if parent:
                        break
            if parent != current:
                changes.append(SQL("(%s, %s::int)", member_id, parent))
        if changes:
            self.env.cr.execute(SQL(
                """
                UPDATE crm_team_member m SET parent_member_id = line.parent_id
                  FROM (VALUES %s) AS line(id, parent_id)
                 WHERE m.id = line.id
                """,
                SQL(", ").join(changes),
            ))
            self.invalidate_model(["parent_member_id", "child_member_ids"])
