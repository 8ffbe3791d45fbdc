from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare, float_round

# Access levels in increasing order; each maps to one group of the Sales ladder.
ACCESS_LEVELS = [
    ("own", "Own documents"),
    ("unit", "Units led and below"),
    ("all", "All documents"),
]
ACCESS_GROUPS = {
    "own": "sales_team.group_sale_salesman",
    "unit": "sales_team_org.group_sale_unit_leader",
    "all": "sales_team.group_sale_salesman_all_leads",
}


class SalesOrgRole(models.Model):
    _name = "sales.org.role"
    _description = "Sales Role"
    _order = "sequence, id"

    # Description
    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    level = fields.Selection(
        [
            ("director", "Director"),
            ("regional", "Regional"),
            ("manager", "Manager"),
            ("supervisor", "Supervisor"),
            ("member", "Member"),
            ("assistant", "Assistant"),
        ],
        required=True,
        default="member",
    )
    parent_id = fields.Many2one(
        "sales.org.role", string="Reports To", index=True, ondelete="restrict"
    )
    description = fields.Html(translate=True)
    duty_ids = fields.One2many("sales.org.role.duty", "role_id", string="Duties", copy=True)
    # Access
    access_level = fields.Selection(
        ACCESS_LEVELS,
        required=True,
        default="own",
        help="What a person holding this role sees of leads, quotations and orders: "
        "their own, everything of the units they lead and all units below, or everything.",
    )
    daily_report_at_top = fields.Boolean(
        string="Daily Reports at the Top",
        help="People in this role write daily reports even with nobody above them to read them. "
             "Otherwise the top of the tree (the sales director) is not asked for any.",
    )
    report_section_ids = fields.Many2many(
        "sales.daily.report.section", "sales_org_role_daily_report_section_rel", "role_id", "section_id",
        string="Daily Report Sections",
        default=lambda self: self.env["sales.daily.report.section"].search([]),
        help="What people in this role answer in their daily reports, before the diary "
             "(e.g. Done Today, Needs Coordination).",
    )
    # Training
    training_required = fields.Boolean(
        string="Assign no leads or orders before training is complete",
        help="A holder of this role with a training programme still planned or in progress cannot be made the "
        "salesperson of a lead, an opportunity, a quotation or an order, and receives no leads from the "
        "automatic assignment, until their training is done.",
    )
    # Headcount
    headcount_ids = fields.One2many("sales.org.headcount", "role_id", string="Headcount Plan")
    limit_ids = fields.One2many(
        "sales.org.role.limit", "role_id", string="Approval Limits", copy=True,
        help="What a holder of the role may grant on their own; above it, the request goes up the tree.",
    )
    member_ids = fields.One2many("crm.team.member", "role_id", string="Holders")
    # Scorecard
    scorecard_weight_ids = fields.One2many(
        "sales.scorecard.weight", "role_id", string="Scorecard Weights", copy=True,
        help="How much each criterion counts in the scorecards of the role's holders, adding up to 100 %. "
             "A role without weights has no scorecard.",
    )
    planned_headcount = fields.Integer(compute="_compute_headcount")
    actual_headcount = fields.Integer(compute="_compute_headcount")

    _sql_constraints = [
        ("code_uniq", "unique(code)", "The code of a role must be unique."),
    ]

    @api.depends("headcount_ids.planned_count", "member_ids.active")
    def _compute_headcount(self):
        actual = dict(
            self.env["crm.team.member"]._read_group(
                [("role_id", "in", self.ids)], ["role_id"], ["__count"]
            )
        )
        for role in self:
            role.planned_headcount = sum(role.headcount_ids.mapped("planned_count"))
            role.actual_headcount = actual.get(role, 0)

    @api.constrains("parent_id")
    def _check_parent_id(self):
        if self._has_cycle():
            raise ValidationError(self.env._("A role cannot report to itself, even indirectly."))

    @api.constrains("scorecard_weight_ids")
    def _check_scorecard_weights(self):
        """A role's weights add up to 100 %, or it has none (no scorecard)."""
        sums = self.env["sales.scorecard.weight"].sudo()._read_group(
            [("role_id", "in", self.ids)], ["role_id"], ["weight:sum"])
        for role, total in sums:
            if float_compare(total, 100, precision_digits=2):
                raise ValidationError(self.env._(
                    "The scorecard weights of %(role)s add up to %(total)s %%, not 100 %%.",
                    role=role.name, total=float_round(total, precision_digits=2),
                ))

    @api.ondelete(at_uninstall=False)
    def _unlink_except_in_use(self):
        used = self.with_context(active_test=False).filtered(lambda role: role.member_ids or role.headcount_ids)
        if used:
            raise UserError(self.env._(
                "%(roles)s is held by people or planned in units: archive it instead, so that its history stays.",
                roles=", ".join(used.mapped("name")),
            ))
        training = self.env["sales.training.program"].sudo().with_context(active_test=False).search(
            [("role_id", "in", self.ids)]).role_id | self.env["sales.training.program.step"].sudo().search(
            [("trainer_role_id", "in", self.ids)]).trainer_role_id
        if training:
            raise UserError(self.env._(
                "%(roles)s has a training programme or trains in one: archive it instead.",
                roles=", ".join(training.mapped("name")),
            ))

    def write(self, vals):
        res = super().write(vals)
        if "access_level" in vals:
            self.env["res.users"]._sales_org_sync_access(self.member_ids.user_id)
            self.env["crm.team"]._sales_org_scope_changed()
        return res

    def action_view_holders(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Holders of %(role)s", role=self.name),
            "res_model": "crm.team.member",
            "view_mode": "list,form",
            "domain": [("role_id", "=", self.id)],
            "context": {"default_role_id": self.id},
        }
