from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import SQL

SCOPE_FIELDS = {"role_id", "user_id", "crm_team_id", "active"}


class CrmTeamMember(models.Model):
    _name = "crm.team.member"
    _inherit = ["crm.team.member", "sales.org.guarded.mixin"]
    _sales_org_system_fields = frozenset({"parent_member_id", "child_member_ids"})  # the tree's bookkeeping

    crm_team_id = fields.Many2one(tracking=True)  # a move shows in the membership's chatter
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
    training_held_back = fields.Boolean(
        string="In Training", compute="_compute_training_held_back",
        help="The person holds a role that asks for training first and a training of theirs is planned or "
        "in progress: they receive no leads from the automatic assignment.")

    def _compute_training_held_back(self):
        held = self.user_id._sales_training_held_back()
        for member in self:
            member.training_held_back = member.user_id in held

    @api.model_create_multi
    def create(self, vals_list):
        held = self.search([("user_id", "in", [vals["user_id"] for vals in vals_list if vals.get("user_id")])])
        held_roles = {(member.user_id.id, member.role_id.id) for member in held if member.active}
        members = super().create(vals_list)
        members._log_transfers(held.filtered(lambda member: not member.active))  # archived by the new ones
        self.env["res.users"]._sales_org_sync_access(members.filtered("role_id").user_id)
        self.env["crm.team"]._sales_org_scope_changed()
        members._sales_training_enrol(held_roles)
        return members

    def write(self, vals):
        if not SCOPE_FIELDS & vals.keys():
            return super().write(vals)
        users_before = self.filtered("role_id").user_id
        joining = vals.get("active", True)  # archiving joins nothing
        held_roles = {(member.user_id.id, member.role_id.id) for member in self.search(
            [("user_id", "in", self.user_id.ids), ("active", "=", True)])} if joining else set()
        res = super().write(vals)
        users = users_before | self.filtered("role_id").user_id
        self.env["res.users"]._sales_org_sync_access(users)
        self.env["crm.team"]._sales_org_scope_changed()
        if joining:
            self._sales_training_enrol(held_roles)
        return res

    def unlink(self):
        users = self.filtered("role_id").user_id
        res = super().unlink()
        self.env["res.users"]._sales_org_sync_access(users)
        self.env["crm.team"]._sales_org_scope_changed()
        return res

    def _get_assignment_quota(self, force_quota=False):
        # CRM's automatic assignment passes over a person held back by their training
        if self.training_held_back:
            return 0
        return super()._get_assignment_quota(force_quota=force_quota)

    def _sales_training_enrol(self, held_roles):
        """Enrol the people of these memberships in the active programme of their role (their
        unit's company's, else the shared one) from their company's today, in one batch.

        `held_roles`: the (user id, role id) pairs held before, whose holders moved within
        their role and start nothing. A programme done, planned or in progress is not started
        again."""
        joined = self.filtered(lambda member: member.active and member.role_id
                               and (member.user_id.id, member.role_id.id) not in held_roles)
        if not joined:
            return
        programs = self.env["sales.training.program"].sudo().search(
            [("role_id", "in", joined.role_id.ids), ("step_ids", "!=", False)])  # one being written has none yet
        if not programs:
            return
        by_role_company = {(program.role_id, program.company_id): program for program in programs}
        Enrolment = self.env["sales.training.enrolment"].sudo()
        done = {(user.id, program.id) for user, program in Enrolment._read_group(
            [("user_id", "in", joined.user_id.ids), ("program_id", "in", programs.ids), ("state", "=", "done")],
            ["user_id", "program_id"])}
        vals_list = {}
        for member in joined:
            company = member.crm_team_id.company_id or member.user_id.company_id
            program = by_role_company.get((member.role_id, company)) \
                or by_role_company.get((member.role_id, company.browse()))
            key = (member.user_id.id, program and program.id)
            if program and key not in done and key not in vals_list:
                vals_list[key] = {
                    "user_id": member.user_id.id, "program_id": program.id, "team_id": member.crm_team_id.id,
                    "company_id": company.id, "date_start": company._sales_org_today(),
                }
        if vals_list:
            Enrolment._enrol(list(vals_list.values()))

    def _log_transfers(self, left):
        """Say in each new membership's chatter which unit its person left for it (stock CRM
        archives their other memberships), in the person's language, in one batch."""
        if self.env.context.get("tracking_disable"):
            return
        left_by_user = {member.user_id: member for member in left}
        bodies = {}
        for member in self.filtered("active"):
            old = left_by_user.get(member.user_id)
            if not old or old.crm_team_id == member.crm_team_id:
                continue
            env = member.with_context(lang=member.user_id.lang or self.env.lang).env
            names = {
                "old_unit": old.crm_team_id.with_env(env).name, "unit": member.crm_team_id.with_env(env).name,
                "old_role": old.role_id.with_env(env).name or "—", "role": member.role_id.with_env(env).name or "—",
            }
            if old.role_id == member.role_id:
                bodies[member.id] = env._("Transferred from %(old_unit)s to %(unit)s.", **names)
            else:
                bodies[member.id] = env._(
                    "Transferred from %(old_unit)s (%(old_role)s) to %(unit)s (%(role)s).", **names)
        if bodies:  # names are text, not markup
            self.browse(bodies)._message_log_batch({mid: Markup("<p>%s</p>") % body for mid, body in bodies.items()})

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
    def _sql_writes_daily_report(self, member="m", team="t", role="r"):
        """SQL condition: the membership's person writes daily reports. They hold a role in an
        active unit and someone is above them to read their report, or their role asks for
        reports even at the top. Needs its unit joined as `team` and its role joined as `role`;
        `team=None` for a membership known to be active in an active unit (an open period of
        sales.org.assignment)."""
        above = SQL("(%s IS NOT NULL OR %s)", SQL.identifier(member, "parent_member_id"),
                    SQL.identifier(role, "daily_report_at_top"))
        if team is None:
            return above
        return SQL("(%s AND %s AND %s)", SQL.identifier(member, "active"), SQL.identifier(team, "active"), above)

    @api.model
    def _sql_leader_chain(self, pairs, past_own_seats_only=False):
        """SQL of the recursive CTEs `pair`, `chain` of a query over the reporting lines of
        `pairs`, an SQL query of distinct (author, unit) pairs (the unit may be NULL): the caller
        appends its SELECT. `chain` holds (author, team_id, member_id, depth): the memberships
        above the author, nearest first (depth 1), from their membership of the unit (without
        one, their oldest membership). `past_own_seats_only` stops the walk at the first seat
        that is not the author's own, for who only needs the nearest leader."""
        stop = SQL("AND m.user_id = c.author") if past_own_seats_only else SQL()
        return SQL(
            """
            WITH RECURSIVE pair(author, team_id) AS (%(pairs)s),
            start AS (
                SELECT DISTINCT ON (p.author, p.team_id) p.author, p.team_id, m.parent_member_id AS member_id
                  FROM pair p
                  JOIN crm_team_member m ON m.user_id = p.author AND m.active
                  JOIN crm_team t ON t.id = m.crm_team_id AND t.active
                 ORDER BY p.author, p.team_id, m.crm_team_id IS NOT DISTINCT FROM p.team_id DESC, m.id
            ),
            chain AS (
                SELECT s.author, s.team_id, s.member_id, 1 AS depth FROM start s WHERE s.member_id IS NOT NULL
                 UNION ALL
                SELECT c.author, c.team_id, m.parent_member_id, c.depth + 1
                  FROM chain c
                  JOIN crm_team_member m ON m.id = c.member_id
                 WHERE m.parent_member_id IS NOT NULL AND c.depth < 50 %(stop)s
            )
            """,
            pairs=pairs, stop=stop,
        )

    @api.model
    def _sql_approvers(self, pairs):
        """SQL of (author, unit, approver user id) for `pairs`, an SQL query of distinct
        (author, unit) pairs (the unit may be NULL).

        The approver is the leader on the author's reporting line: that of their membership of
        the unit (without one, of their oldest membership), climbing past any seat that is the
        author's own. NULL when nobody is above the author.
        """
        return SQL(
            """
            %(chain)s,
            approver AS (
                SELECT DISTINCT ON (c.author, c.team_id) c.author, c.team_id, m.user_id
                  FROM chain c JOIN crm_team_member m ON m.id = c.member_id
                 WHERE m.user_id != c.author
                 ORDER BY c.author, c.team_id, c.depth
            )
            SELECT p.author, p.team_id, a.user_id AS approver_id
              FROM pair p
         LEFT JOIN approver a ON a.author = p.author AND COALESCE(a.team_id, 0) = COALESCE(p.team_id, 0)
            """,
            chain=self._sql_leader_chain(pairs, past_own_seats_only=True),
        )

    @api.model
    def _leaders_above(self, user_ids):
        """{user id: ids of the leaders above them on their reporting lines}, in one query."""
        self.flush_model(["user_id", "parent_member_id", "active"])
        rows = self.env.execute_query(SQL(
            """
            WITH RECURSIVE chain(origin, member_id) AS (
                SELECT m.user_id, m.parent_member_id FROM crm_team_member m
                 WHERE m.user_id IN %(users)s AND m.active AND m.parent_member_id IS NOT NULL
                 UNION
                SELECT c.origin, p.parent_member_id FROM chain c
                  JOIN crm_team_member p ON p.id = c.member_id
                 WHERE p.parent_member_id IS NOT NULL
            )
            SELECT c.origin, array_agg(DISTINCT m.user_id)
              FROM chain c JOIN crm_team_member m ON m.id = c.member_id
             GROUP BY c.origin
            """,
            users=tuple(user_ids) or (0,),
        ))
        return {origin: set(leaders) - {origin} for origin, leaders in rows}

    @api.model
    def _sql_led_units(self, user_ids):
        """SQL of (user_id, team_id): the units each of `user_ids` leads, as the unit's manager or
        through a role giving access to units and below (or to all), and every unit below them.
        Flushes what it reads."""
        self.env["crm.team"].flush_model(["parent_path", "user_id", "active"])
        self.flush_model(["crm_team_id", "user_id", "role_id", "active"])
        self.env["sales.org.role"].flush_model(["access_level"])
        return SQL(
            """
            SELECT led.user_id, sub.id AS team_id
              FROM (
                SELECT t.user_id, t.parent_path
                  FROM crm_team t
                 WHERE t.user_id IN %(users)s AND t.active
                 UNION
                SELECT m.user_id, t.parent_path
                  FROM crm_team_member m
                  JOIN sales_org_role r ON r.id = m.role_id AND r.access_level IN ('unit', 'all')
                  JOIN crm_team t ON t.id = m.crm_team_id AND t.active
                 WHERE m.user_id IN %(users)s AND m.active
              ) led
              JOIN crm_team sub ON starts_with(sub.parent_path, led.parent_path)
            """,
            users=tuple(user_ids) or (None,),
        )

    @api.model
    def _units_of(self, user_ids, led=False):
        """{user id: ids of the units they are a member of} for `user_ids`; when `led`, with the
        units they lead and every unit below them, and of all these the active ones only (as
        their `crm_team_ids` and `sales_org_team_ids` read them). One query."""
        if not user_ids:
            return {}
        self.flush_model(["crm_team_id", "user_id", "active"])
        query = SQL("SELECT user_id, crm_team_id FROM crm_team_member WHERE user_id IN %s AND active",
                    tuple(user_ids))
        if led:
            query = SQL("SELECT u.user_id, u.team_id FROM (%s UNION %s) u(user_id, team_id) "
                        "JOIN crm_team t ON t.id = u.team_id AND t.active",
                        query, self._sql_led_units(user_ids))
        units = defaultdict(set)
        for user_id, team_id in self.env.execute_query(query):
            units[user_id].add(team_id)
        return dict(units)

    @api.model
    def _update_reporting_lines(self):
        """Point every active membership to the person it reports to: two queries in all.

        A membership leads its unit when its person is the unit manager or holds a role
        giving access to units and below. A person reports to the leader of their unit (its
        unit manager first; a leader: to the leader of the nearest unit above), else to the
        nearest leader above. Memberships of archived units count for nothing.
        """
        self.env["crm.team"].flush_model(["parent_path", "user_id", "active"])
        self.flush_model(["crm_team_id", "user_id", "role_id", "active", "parent_member_id"])
        self.env["sales.org.role"].flush_model(["access_level"])
        rows = self.env.execute_query(SQL("""
            SELECT m.id, m.active AND t.active, m.crm_team_id, t.parent_path, m.parent_member_id, %s,
                   t.user_id IS NOT DISTINCT FROM m.user_id
              FROM crm_team_member m
              JOIN crm_team t ON t.id = m.crm_team_id
         LEFT JOIN sales_org_role r ON r.id = m.role_id
        """, self._sql_leads()))
        leaders = defaultdict(list)  # unit id -> its leading memberships: its manager's, then oldest first
        for member_id, active, team_id, _path, _parent, leads, _manager in sorted(rows, key=lambda r: (not r[6], r[0])):
            if active and leads:
                leaders[team_id].append(member_id)
        changes = []
        for member_id, active, team_id, path, current, leads, _manager in rows:
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
