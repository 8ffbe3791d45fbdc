import contextvars
from contextlib import contextmanager
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date

from .sales_org_guard import MAIL_FIELDS, trusted_fields

RULE_TYPES = [
    ("percent", "Percentage"),
    ("tiered", "Tiers on the Period's Total"),
    ("target_bonus", "Bonus When the Target Is Reached"),
    ("override", "Override for Leaders"),
    ("key_account_fee", "Key-Account Management Fee"),
]
BASES = [
    ("confirmed", "Confirmed Untaxed Amount"),
    ("invoiced", "Invoiced Untaxed Amount"),
    ("paid", "Paid Amount"),
]
# the fields that compute a commission: a version that paid money keeps them, a change makes a
# new version (or, as a correction of a mistake, adjusts the confirmed periods in the next one)
COMPUTATION_FIELDS = frozenset({
    "rule_type", "base", "rate", "tier_mode", "tier_ids", "accelerator_ids", "level_ids", "bonus_amount",
    "bonus_threshold", "fee_permille", "role_ids", "team_ids", "user_ids", "product_categ_ids", "partner_ids",
    "key_accounts_only", "date_from", "date_to", "company_id",
})
# set in Python by the correction and new-version actions, never from what a client sends
_CORRECTING = contextvars.ContextVar("sales_commission_correcting", default=False)


@contextmanager
def correcting():
    token = _CORRECTING.set(True)
    try:
        yield
    finally:
        _CORRECTING.reset(token)


class SalesCommissionRule(models.Model):
    """提成 and 奖金 as data: one version of a commission rule, valid from a date.

    Whom it credits (roles, units and the units below, people; nobody named: everyone), on
    which base (confirmed, invoiced or paid untaxed amounts, in the company currency), on which
    sales (product categories, customers, key accounts only), and how: a percentage; tiers on
    the period's total, marginal or on the whole amount; a bonus when the person's target is
    reached; an override for the leaders of the units above the sale, by level; the
    key-account management fee in ‰ for the unit that manages an account the director took
    over. Accelerators multiply a percentage or tiers by the target's achievement.

    A version that confirmed settlements used keeps its computation: changing it makes a new
    version from a date (past periods keep theirs). Correcting a mistake in place is allowed
    to the sales administrator; the confirmed periods it changes are adjusted in the next
    open period.
    """

    _name = "sales.commission.rule"
    _inherit = ["mail.thread", "sales.org.guarded.mixin"]
    _description = "Commission Rule"
    _sales_org_system_fields = MAIL_FIELDS | {"origin_id", "version"}
    _order = "sequence, name, date_from desc, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    origin_id = fields.Many2one(
        "sales.commission.rule", string="First Version", index="btree_not_null", readonly=True, copy=False,
        ondelete="restrict", help="The version this rule was first made as; its later versions point to it too.",
    )
    version = fields.Integer(default=1, readonly=True, copy=False)
    version_ids = fields.One2many("sales.commission.rule", compute="_compute_version_ids", string="Versions")
    date_from = fields.Date(string="Valid From", required=True, tracking=True,
                            default=lambda self: self.env.company._sales_org_today().replace(day=1))
    date_to = fields.Date(string="Valid To", tracking=True, help="The last day it applies; empty: until changed.")
    rule_type = fields.Selection(RULE_TYPES, string="Computation", required=True, default="percent", tracking=True)
    base = fields.Selection(BASES, required=True, default="confirmed", tracking=True,
                            help="Paid: each invoice line in proportion to what was paid of its invoice, on the day "
                                 "of the payment.")
    # whom: nobody named is everybody
    role_ids = fields.Many2many("sales.org.role", string="Roles")
    team_ids = fields.Many2many("crm.team", string="Units", check_company=True,
                                help="These units and the units below them.")
    user_ids = fields.Many2many("res.users", string="People", domain=[("share", "=", False)])
    # which sales
    product_categ_ids = fields.Many2many("product.category", string="Product Categories",
                                         help="These categories and those below them; empty: all products.")
    partner_ids = fields.Many2many("res.partner", string="Customers", domain=[("parent_id", "=", False)])
    key_accounts_only = fields.Boolean()
    # how
    rate = fields.Float(string="Rate (%)", digits=(16, 4), tracking=True)
    tier_mode = fields.Selection(
        [("marginal", "Each Slice at Its Rate"), ("whole", "The Reached Tier's Rate on the Whole")],
        string="Tiers Apply", default="marginal", required=True, tracking=True,
    )
    tier_ids = fields.One2many("sales.commission.rule.tier", "rule_id", string="Tiers", copy=True)
    accelerator_ids = fields.One2many("sales.commission.rule.accelerator", "rule_id", string="Accelerators",
                                      copy=True)
    level_ids = fields.One2many("sales.commission.rule.level", "rule_id", string="Override Levels", copy=True)
    bonus_amount = fields.Monetary(string="Bonus", tracking=True)
    bonus_threshold = fields.Float(string="Achievement Needed (%)", default=100.0, tracking=True)
    fee_permille = fields.Float(string="Fee (‰)", digits=(16, 4), tracking=True)
    is_used = fields.Boolean(
        compute="_compute_is_used",
        help="Confirmed settlements credit this version, or it is valid in a month already confirmed: its "
             "computation is locked.")

    _sql_constraints = [
        ("rate_range", "CHECK (rate >= 0 AND rate <= 100)", "A rate is between 0 % and 100 %."),
        ("fee_range", "CHECK (fee_permille >= 0 AND fee_permille <= 1000)", "A fee is between 0 ‰ and 1000 ‰."),
        ("bonus_positive", "CHECK (bonus_amount >= 0)", "A bonus is not negative."),
        ("dates", "CHECK (date_to IS NULL OR date_to >= date_from)", "A rule's validity ends after it starts."),
    ]

    @api.depends("origin_id")
    def _compute_version_ids(self):
        for rule in self:
            origin = rule.origin_id or rule
            rule.version_ids = self.with_context(active_test=False).search(
                ["|", ("id", "=", origin.id), ("origin_id", "=", origin.id)], order="date_from") if origin.id else rule

    def _compute_is_used(self):
        used = set()
        if self.ids:
            used = {rule.id for [rule] in self.env["sales.commission.settlement.line"].sudo()._read_group(
                [("rule_id", "in", self.ids), ("settlement_id.state", "!=", "draft")], ["rule_id"])}
        # a version valid in a confirmed month is locked even if it paid nothing: changing it would pay there
        confirmed = dict(self.env["sales.commission.settlement"].sudo()._read_group(
            [("company_id", "in", self.company_id.ids), ("state", "!=", "draft")], ["company_id"], ["date_to:max"]))
        for rule in self:
            last = confirmed.get(rule.company_id)
            rule.is_used = rule.id in used or bool(last and rule.date_from and rule.date_from <= last)

    @api.constrains("rate", "fee_permille", "bonus_amount", "date_from", "date_to", "rule_type", "bonus_threshold")
    def _check_values(self):
        for rule in self:
            if not 0 <= rule.rate <= 100:
                raise ValidationError(self.env._("%(rule)s: a rate is between 0 %% and 100 %%.", rule=rule.name))
            if not 0 <= rule.fee_permille <= 1000:
                raise ValidationError(self.env._("%(rule)s: a fee is between 0 ‰ and 1000 ‰.", rule=rule.name))
            if rule.bonus_amount < 0 or rule.bonus_threshold < 0:
                raise ValidationError(self.env._("%(rule)s: a bonus and its achievement are not negative.",
                                                 rule=rule.name))
            if rule.date_to and rule.date_to < rule.date_from:
                raise ValidationError(self.env._(
                    "%(rule)s: its validity ends on %(end)s, before it starts on %(start)s.", rule=rule.name,
                    end=format_date(self.env, rule.date_to), start=format_date(self.env, rule.date_from)))
            if rule.rule_type == "tiered" and not rule.tier_ids:
                raise ValidationError(self.env._("%(rule)s: tiers need at least one tier.", rule=rule.name))
            if rule.rule_type == "override" and not rule.level_ids:
                raise ValidationError(self.env._("%(rule)s: an override needs the rate of at least one level.",
                                                 rule=rule.name))

    @api.constrains("origin_id", "date_from", "date_to", "active")
    def _check_versions_overlap(self):
        for rule in self.filtered("active"):
            origin = rule.origin_id or rule
            siblings = self.search([
                ("id", "!=", rule.id), "|", ("id", "=", origin.id), ("origin_id", "=", origin.id),
                ("date_from", "<=", rule.date_to or fields.Date.to_date("9999-12-31")),
                "|", ("date_to", "=", False), ("date_to", ">=", rule.date_from),
            ], limit=1)
            if siblings:
                raise ValidationError(self.env._(
                    "%(rule)s: version %(version)s is valid on the same days as version %(other)s.",
                    rule=rule.name, version=rule.version, other=siblings.version))

    @api.model_create_multi
    def create(self, vals_list):
        rules = super().create(vals_list)
        if not _CORRECTING.get():
            for rule in rules:
                self.env["sales.commission.settlement"]._check_after_confirmed(
                    rule.company_id, rule.date_from, self.env._("a new rule"))
        return rules

    def write(self, vals):
        # archiving stops a version; bringing one back is a change of what it computes
        if COMPUTATION_FIELDS & set(vals) or vals.get("active"):
            self._check_computation_editable()
        if vals.get("date_from") and not _CORRECTING.get():
            for rule in self.filtered(lambda rule: fields.Date.to_date(vals["date_from"]) < rule.date_from):
                self.env["sales.commission.settlement"]._check_after_confirmed(
                    rule.company_id, fields.Date.to_date(vals["date_from"]), self.env._("a rule"))
        return super().write(vals)

    def _check_computation_editable(self):
        """A used version's computation changes only as a correction by the sales administrator."""
        if _CORRECTING.get():
            return
        used = self.filtered("is_used")
        if used:
            raise UserError(self.env._(
                "%(rule)s is valid in confirmed months: make a new version from a month to come, or correct it "
                "(the confirmed months are then adjusted in the next open one).", rule=used[0].name))

    @api.ondelete(at_uninstall=False)
    def _unlink_except_used(self):
        if self.filtered("is_used"):
            raise UserError(self.env._("A rule settlements used is archived, not deleted."))

    def _correct(self, vals, reason):
        """Correct a mistake in this version in place, the reason kept in the chatter: the
        confirmed periods it changes are adjusted in the next open period."""
        self.ensure_one()
        if not reason or not reason.strip():
            raise UserError(self.env._("Say why the rule is corrected."))
        with correcting():
            self.write(vals)
        self.message_post(body=self.env._("Corrected: %(reason)s", reason=reason.strip()))

    def _new_version(self, date_from):
        """A copy of this version valid from `date_from`, this one ending the day before."""
        self.ensure_one()
        if date_from <= self.date_from:
            raise UserError(self.env._(
                "A new version starts after the current one (%(start)s).", start=format_date(self.env, self.date_from)))
        if self.date_to and date_from > self.date_to:
            raise UserError(self.env._("This version ended on %(end)s: make the new version from an earlier day.",
                                       end=format_date(self.env, self.date_to)))
        if date_from.day != 1:
            raise UserError(self.env._("A new version starts on the first day of a month: a month is settled by one "
                                       "version."))
        self.env["sales.commission.settlement"]._check_after_confirmed(
            self.company_id, date_from, self.env._("a new version"))
        origin = self.origin_id or self
        last = max(self.with_context(active_test=False).search(
            ["|", ("id", "=", origin.id), ("origin_id", "=", origin.id)]).mapped("version"))
        date_to = self.date_to
        with correcting():
            self.date_to = date_from - timedelta(days=1)
        with trusted_fields({"origin_id", "version"}):
            version = self.copy({"origin_id": origin.id, "version": last + 1, "date_from": date_from,
                                 "date_to": date_to, "name": self.name})
        self.invalidate_model(["version_ids"])
        return version


def check_bands(env, rule, bands, what):
    """Refuse bands [from, to) of `rule` that are empty or overlap (to None: no upper bound)."""
    ordered = sorted(bands, key=lambda band: band[0])
    for low, high in ordered:
        if low < 0 or (high is not None and high <= low):
            raise ValidationError(env._("%(rule)s: each of the %(what)s starts at 0 or more and ends after it starts.",
                                        rule=rule.name, what=what))
    for (_low, high), (next_low, _next_high) in zip(ordered, ordered[1:]):
        if high is None or high > next_low:
            raise ValidationError(env._("%(rule)s: the %(what)s overlap.", rule=rule.name, what=what))
