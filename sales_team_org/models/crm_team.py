from datetime import datetime, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

# Changing these fields changes who sees what (see res.users _compute_sales_org_scope).
SCOPE_FIELDS = {"parent_id", "user_id", "active"}


class CrmTeam(models.Model):
    _name = "crm.team"
    _inherit = ["crm.team", "sales.org.guarded.mixin"]
    _parent_store = True
    _sales_org_system_fields = frozenset({"parent_path", "complete_name"})

    # Tree
    parent_id = fields.Many2one(
        "crm.team", string="Parent Unit", index=True, ondelete="restrict", check_company=True
    )
    child_ids = fields.One2many("crm.team", "parent_id", string="Sub-units")
    parent_path = fields.Char(index=True)
    complete_name = fields.Char(
        compute="_compute_complete_name", recursive=True, store=True, string="Full Name"
    )
    # Organisation
    unit_type = fields.Selection(
        [
            ("hq", "Headquarters"),
            ("region", "Regional Sales"),
            ("product_line", "Product Line"),
            ("service", "Customer Service"),
            ("support", "Sales Support"),
            ("team", "Sales Group"),
        ],
        default="team",
        required=True,
    )
    sales_channel = fields.Selection(
        [("inside", "Inside Sales"), ("field", "Field Sales")],
        string="Channel",
        help="Inside sales work by phone, e-mail and online; field sales meet customers.",
    )
    region_id = fields.Many2one("sales.org.region", string="Sales Region", index="btree_not_null", ondelete="restrict")
    product_category_ids = fields.Many2many(
        "product.category", string="Product Categories", help="What a product-line unit sells."
    )
    headcount_ids = fields.One2many("sales.org.headcount", "team_id", string="Headcount Plan")
    planned_headcount = fields.Integer(compute="_compute_headcount")
    actual_headcount = fields.Integer(compute="_compute_headcount")
    subtree_planned_headcount = fields.Integer(
        compute="_compute_subtree_headcount", string="Planned incl. Sub-units",
        help="Planned headcount of this unit and every active unit below it.")
    subtree_actual_headcount = fields.Integer(
        compute="_compute_subtree_headcount", string="Actual incl. Sub-units",
        help="Active members of this unit and of every active unit below it.")
    gap_unit_count = fields.Integer(
        compute="_compute_subtree_headcount", string="Units with Gaps",
        help="This unit and the active units below it where a role has fewer people than planned.")
    staff_user_ids = fields.Many2many(
        "res.users", compute="_compute_staff_user_ids", string="Members besides the Manager")
    child_count = fields.Integer(compute="_compute_child_count", string="Sub-unit Count")
    # Weekly meeting (周例会), company-local
    meeting_weekday = fields.Selection(
        [("0", "Monday"), ("1", "Tuesday"), ("2", "Wednesday"), ("3", "Thursday"), ("4", "Friday"),
         ("5", "Saturday"), ("6", "Sunday")],
        string="Meeting Day", help="The unit's weekly meeting is prepared a week ahead for this day.",
    )
    meeting_hour = fields.Float(string="Meeting Time", help="In the company's time zone.")
    meeting_duration = fields.Float(default=1.0, help="In hours.")

    @api.depends("name", "parent_id.complete_name")
    def _compute_complete_name(self):
        for team in self:
            if team.parent_id:
                team.complete_name = f"{team.parent_id.complete_name} / {team.name}"
            else:
                team.complete_name = team.name

    @api.depends("headcount_ids.planned_count", "crm_team_member_ids")
    def _compute_headcount(self):
        actual = dict(
            self.env["crm.team.member"]._read_group(
                [("crm_team_id", "in", self.ids)], ["crm_team_id"], ["__count"]
            )
        )
        for team in self:
            team.planned_headcount = sum(team.headcount_ids.mapped("planned_count"))
            team.actual_headcount = actual.get(team, 0)

    @api.depends("headcount_ids.planned_count", "crm_team_member_ids.role_id", "child_ids")
    def _compute_subtree_headcount(self):
        """Plan against actual over each unit's subtree: one query whatever the size of the tree."""
        teams = self.filtered("id")
        (self - teams).update({"subtree_planned_headcount": 0, "subtree_actual_headcount": 0, "gap_unit_count": 0})
        if not teams:
            return
        self.flush_model(["parent_path", "active"])
        self.env["crm.team.member"].flush_model(["crm_team_id", "role_id", "active"])
        self.env["sales.org.headcount"].flush_model(["team_id", "role_id", "planned_count"])
        rows = self.env.execute_query(SQL(
            """
            WITH pair AS (
                SELECT root.id AS root_id, unit.id AS unit_id
                  FROM crm_team root
                  JOIN crm_team unit ON unit.parent_path LIKE root.parent_path || %(below)s
                 WHERE root.id IN %(ids)s
                   -- a unit counts while it and every unit between it and the root are active
                   AND NOT EXISTS (
                       SELECT 1 FROM crm_team mid
                        WHERE NOT mid.active
                          AND mid.parent_path LIKE root.parent_path || %(strictly_below)s
                          AND unit.parent_path LIKE mid.parent_path || %(below)s)
            ),
            staff AS (
                SELECT m.crm_team_id AS unit_id, m.role_id, count(*) AS actual
                  FROM crm_team_member m
                 WHERE m.active AND m.crm_team_id IN (SELECT unit_id FROM pair)
                 GROUP BY m.crm_team_id, m.role_id
            ),
            plan AS (
                SELECT h.team_id AS unit_id, h.role_id, h.planned_count AS planned, COALESCE(s.actual, 0) AS actual
                  FROM sales_org_headcount h
             LEFT JOIN staff s ON s.unit_id = h.team_id AND s.role_id = h.role_id
                 WHERE h.team_id IN (SELECT unit_id FROM pair)
            ),
            unit AS (
                SELECT u.unit_id, COALESCE(p.planned, 0) AS planned, COALESCE(a.actual, 0) AS actual,
                       COALESCE(p.has_gap, FALSE) AS has_gap
                  FROM (SELECT DISTINCT unit_id FROM pair) u
             LEFT JOIN (SELECT unit_id, sum(planned) AS planned, bool_or(planned > actual) AS has_gap
                          FROM plan GROUP BY unit_id) p ON p.unit_id = u.unit_id
             LEFT JOIN (SELECT unit_id, sum(actual) AS actual FROM staff GROUP BY unit_id) a ON a.unit_id = u.unit_id
            )
            SELECT pair.root_id, sum(unit.planned), sum(unit.actual), count(*) FILTER (WHERE unit.has_gap)
              FROM pair JOIN unit ON unit.unit_id = pair.unit_id
             GROUP BY pair.root_id
            """,
            ids=tuple(teams.ids), below="%", strictly_below="_%",
        ))
        figures = {root_id: (planned, actual, gaps) for root_id, planned, actual, gaps in rows}
        for team in teams:
            planned, actual, gaps = figures.get(team.id, (0, 0, 0))
            team.subtree_planned_headcount = planned
            team.subtree_actual_headcount = actual
            team.gap_unit_count = gaps

    @api.depends("member_ids", "user_id")
    def _compute_staff_user_ids(self):
        # the org chart shows the manager apart, once
        for team in self:
            team.staff_user_ids = team.member_ids - team.user_id

    @api.depends("child_ids")
    def _compute_child_count(self):
        counts = dict(
            self._read_group(
                [("parent_id", "in", self.ids)], ["parent_id"], ["__count"]
            )
        )
        for team in self:
            team.child_count = counts.get(team, 0)

    @api.constrains("name")
    def _check_name(self):
        if any(not (team.name or "").strip() for team in self):
            raise ValidationError(self.env._("A sales unit needs a name."))

    @api.constrains("parent_id", "company_id")
    def _check_unit_company(self):
        for team in self:
            if not (team.parent_id or team.child_ids):
                continue  # a unit outside the tree, as in stock CRM
            if not team.company_id:
                unit = team.parent_id if team.parent_id and not team.parent_id.company_id else team
                raise ValidationError(self.env._(
                    "The units of a tree belong to a company: set the company of %(unit)s.", unit=unit.name,
                ))
            if team.parent_id and team.parent_id.company_id != team.company_id:
                raise ValidationError(self.env._(
                    "%(unit)s belongs to %(company)s, as %(parent)s above it does.",
                    unit=team.name, company=team.parent_id.company_id.name, parent=team.parent_id.name,
                ))

    @api.constrains("meeting_hour", "meeting_duration")
    def _check_meeting_time(self):
        if any(not 0 <= team.meeting_hour < 24 for team in self):
            raise ValidationError(self.env._("A meeting time is between 00:00 and 23:59."))
        if any(team.meeting_duration <= 0 for team in self):
            raise ValidationError(self.env._("A meeting lasts some time: its duration is above zero."))

    @api.ondelete(at_uninstall=False)
    def _unlink_except_sub_units(self):
        if self.child_ids - self:
            raise UserError(self.env._(
                "Move or archive the sub-units of %(units)s before deleting it.",
                units=", ".join((self.child_ids - self).parent_id.mapped("name")),
            ))

    @api.ondelete(at_uninstall=False)
    def _unlink_except_history(self):
        self.env.flush_all()
        used = self.browse([team_id for team_id, in self.env.execute_query(SQL(
            """
            SELECT t.id FROM crm_team t
             WHERE t.id IN %(ids)s AND (
                   EXISTS (SELECT 1 FROM crm_team_member m WHERE m.crm_team_id = t.id)
                OR EXISTS (SELECT 1 FROM crm_lead l WHERE l.team_id = t.id)
                OR EXISTS (SELECT 1 FROM sale_order o WHERE o.team_id = t.id)
                OR EXISTS (SELECT 1 FROM sales_daily_report r WHERE r.team_id = t.id)
                OR EXISTS (SELECT 1 FROM sales_meeting w WHERE w.team_id = t.id)
                OR EXISTS (SELECT 1 FROM sales_target g WHERE g.team_id = t.id)
                OR EXISTS (SELECT 1 FROM sales_regional_plan p WHERE p.team_id = t.id))
            """,
            ids=tuple(self.ids),
        ))])
        if used:
            raise UserError(self.env._(
                "%(units)s has members, leads, orders, daily reports, weekly meetings, targets or regional plans: "
                "archive it instead, so that its history stays.", units=", ".join(used.mapped("name")),
            ))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("parent_id") and "company_id" not in vals:
                vals["company_id"] = self.browse(vals["parent_id"]).company_id.id  # a sub-unit is its parent's
        teams = super().create(vals_list)
        self._sales_org_scope_changed()
        self.env["res.users"]._sales_org_sync_access(self._role_holders(teams.user_id))
        return teams

    def write(self, vals):
        if vals.get("parent_id"):
            parent = self.browse(vals["parent_id"])
            self._check_parent_loop(parent)
            if "company_id" not in vals and not self.company_id:
                vals = dict(vals, company_id=parent.company_id.id)  # a unit joining a tree joins its company
        members = self.crm_team_member_ids if "active" in vals else self.env["crm.team.member"]
        managers = self.user_id if {"user_id", "active"} & vals.keys() else self.env["res.users"]
        res = super().write(vals)
        if "company_id" in vals and self:
            # a unit and all units below it belong to one company
            below = self.with_context(active_test=False).search([("id", "child_of", self.ids), ("id", "not in", self.ids)])
            below.filtered(lambda team: team.company_id.id != vals["company_id"]).write(
                {"company_id": vals["company_id"]})
        if SCOPE_FIELDS & vals.keys():
            self._sales_org_scope_changed()
        if members or managers:
            # archiving a unit ends what its memberships give, restoring it gives it back; a unit
            # manager's access follows the seat
            self.env["res.users"]._sales_org_sync_access(
                members.filtered("role_id").user_id | self._role_holders(managers | self.user_id))
        return res

    def unlink(self):
        res = super().unlink()
        self._sales_org_scope_changed()
        return res

    def action_view_children(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Sub-units of %(unit)s", unit=self.name),
            "res_model": "crm.team",
            "view_mode": "list,form",
            "domain": [("parent_id", "=", self.id)],
            "context": {"default_parent_id": self.id},
        }

    def _meeting_start(self, week_start):
        """The start (naive UTC) of this unit's weekly meeting in the company-local week of Monday
        `week_start`."""
        self.ensure_one()
        company = self.company_id or self.env.company
        day = week_start + timedelta(days=int(self.meeting_weekday or 0))
        minutes = round((self.meeting_hour or 0.0) * 60)
        local = datetime.combine(day, datetime.min.time()) + timedelta(minutes=minutes)
        return company._sales_org_tz().localize(local).astimezone(pytz.utc).replace(tzinfo=None)

    @api.model
    def _role_holders(self, users):
        """Of `users`, those who hold a role: the organisation gives them their access; the
        others keep what their administrator gave them, as in stock CRM."""
        return self.env["crm.team.member"].sudo().search([("user_id", "in", users.ids), ("role_id", "!=", False)]).user_id

    def _check_parent_loop(self, parent):
        # Checked before writing: the parent_path update would fail with a bare "Recursion Detected".
        for team in self:
            if team.id and parent.parent_path and parent.parent_path.startswith(team.parent_path or "-"):
                raise ValidationError(self.env._(
                    "%(unit)s cannot be placed under %(parent)s: %(parent)s is %(unit)s itself or one of its sub-units.",
                    unit=team.name, parent=parent.name,
                ))

    @api.model
    def _sales_org_scope_changed(self):
        """The tree or the memberships changed: what each leader sees changes now.

        Record rules read the scope precomputed on res.users; drop both the rule
        cache (ormcache of ir.rule._compute_domain, cleared in every worker) and
        the scope cached in this transaction. Reporting lines follow the tree, and so do
        the approvers of the documents not yet decided and the complaints being handled; the
        memberships' history records the move.
        """
        self.env.registry.clear_cache()
        self.env["res.users"].invalidate_model(["sales_org_team_ids", "sales_org_user_ids"])
        self.env["crm.team.member"]._update_reporting_lines()
        self.env["sales.org.assignment"]._sync()
        self.env["sales.org.review.mixin"]._refresh_all_approvers()
        self.env["sales.complaint"]._refresh_routing()
