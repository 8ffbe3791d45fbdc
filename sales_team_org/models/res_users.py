from collections import defaultdict

from odoo import Command, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .sales_org_role import ACCESS_GROUPS, ACCESS_LEVELS


class ResUsers(models.Model):
    _inherit = "res.users"

    # Precomputed scope read by the record rules of group_sale_unit_leader: plain id
    # lists keep the rule domains cheap (no x2many paths evaluated in SQL).
    sales_org_team_ids = fields.Many2many(
        "crm.team",
        string="Units in My Scope",
        compute="_compute_sales_org_scope",
        compute_sudo=True,
        help="The units this person leads (as their manager, or through a role giving access beyond "
        "their own documents) and every unit below them.",
    )
    sales_org_user_ids = fields.Many2many(
        "res.users",
        string="People in My Scope",
        compute="_compute_sales_org_scope",
        compute_sudo=True,
    )

    def _compute_sales_org_scope(self):
        # Two queries for any number of users, units and levels.
        rows = self.env.execute_query(SQL(
            "SELECT user_id, array_agg(DISTINCT team_id) FROM (%s) led GROUP BY user_id",
            self.env["crm.team.member"]._sql_led_units(self.ids),
        ))
        teams_by_user = dict(rows)
        all_team_ids = list({tid for tids in teams_by_user.values() for tid in tids})
        people_by_team = defaultdict(set)
        if all_team_ids:
            for team_id, user_ids in self.env.execute_query(SQL(
                """
                SELECT team_id, array_agg(DISTINCT user_id) FROM (
                    SELECT crm_team_id AS team_id, user_id FROM crm_team_member
                     WHERE crm_team_id = ANY(%(teams)s) AND active
                     UNION ALL
                    SELECT id, user_id FROM crm_team
                     WHERE id = ANY(%(teams)s) AND user_id IS NOT NULL
                ) people GROUP BY team_id
                """,
                teams=all_team_ids,
            )):
                people_by_team[team_id].update(user_ids)
        for user in self:
            team_ids = teams_by_user.get(user.id, [])
            user_ids = set().union(*(people_by_team[t] for t in team_ids)) if team_ids else set()
            user.sales_org_team_ids = [Command.set(team_ids)]
            user.sales_org_user_ids = [Command.set(list(user_ids | {user.id}))]

    def write(self, vals):
        res = super().write(vals)
        if "active" in vals:
            # an archived person leaves the tree (their period ends, their reviews move on), a
            # restored person comes back to it
            self.env["crm.team"]._sales_org_scope_changed()
        return res

    def _sales_org_sync_access(self, users):
        """Give each user exactly the Sales access of their highest role; a unit manager reads
        what their unit does whatever their role (they review it).

        Only users who hold or held a role are touched; sales administrators keep
        their configuration rights whatever their role.
        """
        admins = self.env.ref("sales_team.group_sale_manager")
        users = users.sudo().search([("id", "in", users.ids), ("groups_id", "not in", admins.ids)])
        if not users:
            return
        ranks = {level: rank for rank, (level, _label) in enumerate(ACCESS_LEVELS)}
        best = {}
        for user, role in self.env["crm.team.member"].sudo()._read_group(
            [("user_id", "in", users.ids), ("role_id", "!=", False), ("crm_team_id.active", "=", True)],
            ["user_id", "role_id"],
        ):
            level = role.access_level
            if user not in best or ranks[level] > ranks[best[user]]:
                best[user] = level
        holders = self.env["res.users"].union(*best)
        for user in self.env["crm.team"].sudo().search([("user_id", "in", holders.ids)]).user_id:
            if ranks[best[user]] < ranks["unit"]:
                best[user] = "unit"
        ladder = {level: self.env.ref(xmlid) for level, xmlid in ACCESS_GROUPS.items()}
        by_level = defaultdict(lambda: self.env["res.users"])
        for user in users:
            by_level[best.get(user)] |= user
        for level, level_users in by_level.items():
            commands = [Command.unlink(group.id) for group in ladder.values()]
            if level:
                commands.append(Command.link(ladder[level].id))
            # elevated, and only ever the Sales ladder: a sales administrator assigns roles
            # without being a user administrator
            level_users.sudo().write({"groups_id": commands})

    def _sales_training_held_back(self):
        """The users of `self` who may not be made salesperson yet: they hold a role that asks
        for training first and a training of theirs is still planned or in progress. One query,
        two when one of them holds such a role."""
        holders = self.env["crm.team.member"].sudo()._read_group(
            [("user_id", "in", self.ids), ("active", "=", True), ("role_id.training_required", "=", True)],
            ["user_id"])
        if not holders:
            return self.browse()
        pending = self.env["sales.training.enrolment"].sudo()._incomplete_user_ids([user.id for user, in holders])
        return self.filtered(lambda user: user.id in pending)

    def _sales_training_check_salesperson(self):
        """Refuse these users as the salesperson of a lead or an order while their training holds
        them back, naming them and their programmes."""
        held = self._sales_training_held_back()
        if not held:
            return
        enrolments = self.env["sales.training.enrolment"].sudo().search(
            [("user_id", "in", held.ids), ("state", "in", ("planned", "in_progress"))])
        messages = []
        for user in held:
            programs = ", ".join(enrolments.filtered(lambda e, user=user: e.user_id == user).program_id.mapped("name"))
            if user == self.env.user:
                messages.append(self.env._(
                    "You are still in training (%(programs)s): no leads or orders are put in your name until it "
                    "is complete. Leave the salesperson empty or ask your manager to choose one.",
                    programs=programs))
            else:
                messages.append(self.env._(
                    "%(person)s is still in training (%(programs)s): no leads or orders are put in their name "
                    "until it is complete. Choose another salesperson.",
                    person=user.name, programs=programs))
        raise UserError("\n".join(messages))
