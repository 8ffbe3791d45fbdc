from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import format_amount, format_date

from .sales_org_guard import check_filed_unit
from .sales_slip_reason import check_points_and_amount


class SalesSlip(models.Model):
    """奖励单 / 过失单: a reward or a demerit slip a leader writes about a person below them in
    the unit tree, approved up the author's reporting line (a larger amount goes higher). The
    person reads their slips and comments on them; approved slips count in the scorecard."""

    _name = "sales.slip"
    _inherit = ["sales.org.approval.mixin"]
    _description = "Reward or Demerit Slip"
    _order = "date desc, id desc"
    _check_company_auto = True
    _mail_post_access = "read"  # the person comments on a slip they only read
    _sales_org_author_fields = frozenset({
        "kind", "person_id", "team_id", "date", "reason_id", "description", "points", "amount",
    })
    _sales_org_create_fields = frozenset({"user_id", "company_id"})
    # the request is the author's: it climbs from the author, whatever the person's unit
    _sales_org_unit_field = None
    _approval_limit_kind = "slip_amount"

    kind = fields.Selection(
        [("reward", "Reward Slip"), ("demerit", "Demerit Slip")], required=True, default="reward", tracking=True,
    )
    user_id = fields.Many2one(
        "res.users", string="Written By", required=True, index=True, default=lambda self: self.env.user,
        readonly=True, domain=[("share", "=", False)],
    )
    person_id = fields.Many2one(
        "res.users", required=True, index=True, tracking=True, domain=[("share", "=", False)],
        help="Whom the slip is about: a person below its author in the unit tree.",
    )
    team_id = fields.Many2one(
        "crm.team", string="Unit", compute="_compute_team_id", store=True, readonly=False, precompute=True,
        index="btree_not_null", check_company=True, help="The person's unit.",
    )
    date = fields.Date(
        required=True, index=True, default=lambda self: self.env.company._sales_org_today(),
        help="The day it happened.",
    )
    reason_id = fields.Many2one(
        "sales.slip.reason", index="btree_not_null", check_company=True, ondelete="restrict",
        domain="[('kind', '=', kind)]",
    )
    description = fields.Html(help="What happened.")
    points = fields.Integer(
        compute="_compute_from_reason", store=True, readonly=False, precompute=True, required=True, tracking=True,
        help="Above zero for a reward, below zero for a demerit; they count in the person's scorecard once approved.",
    )
    amount = fields.Monetary(
        compute="_compute_from_reason", store=True, readonly=False, precompute=True, tracking=True,
        help="The bonus (reward) or the fine (demerit), if any: the larger it is, the higher the slip is approved.",
    )
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")

    @api.depends("kind", "person_id", "date")
    def _compute_display_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for slip in self:
            slip.display_name = self.env._(
                "%(kind)s: %(person)s, %(date)s",
                kind=kinds.get(slip.kind, ""), person=slip.person_id.name or "", date=format_date(self.env, slip.date),
            )

    @api.depends("person_id")
    def _compute_team_id(self):
        for slip in self:
            if not slip.team_id or slip.team_id not in slip.person_id.sudo().crm_team_member_ids.crm_team_id:
                slip.team_id = slip.person_id.sale_team_id

    @api.depends("kind", "reason_id")
    def _compute_from_reason(self):
        for slip in self:
            if slip.reason_id:
                slip.points = slip.reason_id.points
                slip.amount = slip.reason_id.amount
            elif slip.kind == "reward" and slip.points <= 0:
                slip.points = 1
            elif slip.kind == "demerit" and slip.points >= 0:
                slip.points = -1

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------

    @api.constrains("kind", "points", "amount", "reason_id")
    def _check_points_amount(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for slip in self:
            if slip.reason_id and slip.reason_id.kind != slip.kind:
                raise ValidationError(self.env._(
                    "%(reason)s is not a reason for a %(kind)s: pick one of that kind.",
                    reason=slip.reason_id.name, kind=kinds[slip.kind],
                ))
        check_points_and_amount(self)

    @api.constrains("user_id", "person_id")
    def _check_person(self):
        leaders = self.env["crm.team.member"].sudo()._leaders_above(self.person_id.ids)
        for slip in self:
            if slip.person_id == slip.user_id:
                raise ValidationError(self.env._(
                    "Nobody writes a slip about themselves: a leader above %(person)s writes it.",
                    person=slip.person_id.name,
                ))
            if slip.user_id.id not in leaders.get(slip.person_id.id, ()):
                raise ValidationError(self.env._(
                    "%(author)s is not above %(person)s in the unit tree: a slip is written by a leader above "
                    "the person.", author=slip.user_id.name, person=slip.person_id.name,
                ))

    @api.constrains("team_id", "person_id")
    def _check_team_id(self):
        check_filed_unit(self, lambda slip: self.env._(
            "%(unit)s is not a unit of %(person)s: a slip is filed under one of the person's units.",
            unit=slip.team_id.name, person=slip.person_id.name,
        ), person="person_id")

    @api.constrains("date", "company_id")
    def _check_date(self):
        for slip in self:
            if slip.date > slip.company_id._sales_org_today():
                raise ValidationError(self.env._(
                    "%(date)s is a day still to come: a slip tells what has happened.", date=format_date(self.env, slip.date),
                ))

    # ------------------------------------------------------------------
    # Approval engine hooks
    # ------------------------------------------------------------------

    def _approval_amount(self):
        return {slip.id: slip.amount for slip in self}

    def _approval_check_submit(self):
        # the tree may have changed since the draft was written
        self._check_person()
        self._check_date()

    def _led_by(self, user):
        # nobody decides a slip about themselves, whatever their seat
        return super()._led_by(user).filtered(lambda slip: slip.person_id != user)

    def _on_approved(self):
        """The person is told, in their language, and follows the slip from now on."""
        for person, slips in self.grouped("person_id").items():
            env = slips.with_context(lang=person.lang).env
            kinds = dict(self._fields["kind"]._description_selection(env))
            for slip in slips:
                body = env._(
                    "%(kind)s of %(date)s by %(author)s approved: %(points)s points.",
                    kind=kinds[slip.kind], date=format_date(env, slip.date), author=slip.user_id.name, points=slip.points,
                )
                if slip.amount:
                    body = env._("%(approved)s Amount: %(amount)s.", approved=body,
                                 amount=format_amount(env, slip.amount, slip.currency_id))
                slip.message_post(body=Markup("<p>%s</p>") % body, partner_ids=person.partner_id.ids,
                                  message_type="comment", subtype_xmlid="mail.mt_note")
            slips.message_subscribe(partner_ids=person.partner_id.ids)
        if not self:
            return
        # approved after its period's scorecards were made: the drafts count it now
        self.env["sales.scorecard"].sudo().search([
            ("user_id", "in", self.person_id.ids), ("state", "=", "draft"),
            ("date_from", "<=", max(self.mapped("date"))), ("date_to", ">=", min(self.mapped("date"))),
        ])._refresh_figures()
