from odoo import api, fields, models

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
