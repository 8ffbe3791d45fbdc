from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_date

from .sales_org_guard import MAIL_FIELDS, check_author, check_filed_unit

KINDS = [
    ("price", "Competitor Price"),
    ("terms", "Competitor Terms"),
    ("supplier_opinion", "Customer's Opinion of their Supplier"),
    ("infringement", "Infringement"),
    ("trend", "Market Trend"),
    ("other", "Other"),
]
# what the information is about: a competitor's offer or a customer's supplier is a competitor's
NEEDS_COMPETITOR = frozenset({"price", "terms", "supplier_opinion"})
# what its author writes while it is new
AUTHOR_FIELDS = frozenset({
    "date", "team_id", "partner_id", "competitor_id", "kind", "product_id", "product_description", "price",
    "currency_id", "description",
})
# given when it is created, never changed
CREATE_FIELDS = frozenset({"user_id", "company_id", "daily_report_line_id"})


class SalesMarketInfo(models.Model):
    """市场信息: what a salesperson learns in the field (进行市场调查及时向公司反馈市场、客户信息与侵权信息):
    a competitor's price or terms, a customer's opinion of their current supplier, an
    infringement, a market trend. Read by the leaders above, who acknowledge it; fed into the
    monthly summaries and weekly meetings of its unit and the units above."""

    _name = "sales.market.info"
    _inherit = ["mail.thread", "mail.activity.mixin", "sales.org.guarded.mixin", "sales.org.scope.mixin",
                "sales.org.logged.mixin"]
    _description = "Market Information"
    _order = "date desc, id desc"
    _check_company_auto = True
    _mail_post_access = "read"  # the leaders above comment on what they only read
    _sales_org_system_fields = frozenset({"state", "acknowledged_by_id", "acknowledged_date", "region_id"})

    date = fields.Date(
        required=True, index=True, compute="_compute_from_line", store=True, readonly=False, precompute=True,
        help="The day it was learnt.",
    )
    user_id = fields.Many2one(
        "res.users", string="Reported By", required=True, index=True, default=lambda self: self.env.user,
        readonly=True, domain=[("share", "=", False)],
    )
    team_id = fields.Many2one(
        "crm.team", string="Unit", index="btree_not_null", check_company=True,
        compute="_compute_from_line", store=True, readonly=False, precompute=True,
        help="The unit it is filed under: one of its author's units, or a unit they lead.",
    )
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    region_id = fields.Many2one(
        "sales.org.region", string="Sales Region", index="btree_not_null", readonly=True,
        compute="_compute_region_id", store=True, precompute=True,
        help="The region of its unit (or of the nearest unit above with one), else of the customer's province.",
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", index="btree_not_null", check_company=True,
        compute="_compute_from_line", store=True, readonly=False, precompute=True,
    )
    competitor_id = fields.Many2one(
        "sales.competitor", index="btree_not_null", check_company=True, ondelete="restrict", tracking=True,
    )
    kind = fields.Selection(KINDS, required=True, default="price", tracking=True)
    product_id = fields.Many2one(
        "product.product", string="Our Product", index="btree_not_null", check_company=True,
        help="Our product it compares with, if any.",
    )
    product_description = fields.Char(string="Their Product", help="The product seen, as they name it.")
    price = fields.Monetary(string="Observed Price", tracking=True)
    currency_id = fields.Many2one(
        "res.currency", required=True, default=lambda self: self.env.company.currency_id,
    )
    description = fields.Text(required=True, help="What was seen or heard, where and from whom.")
    state = fields.Selection(
        [("new", "New"), ("acknowledged", "Acknowledged")], string="Status", default="new", required=True,
        readonly=True, index=True, tracking=True, copy=False,
    )
    acknowledged_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    acknowledged_date = fields.Datetime(string="Acknowledged On", readonly=True, copy=False)
    can_acknowledge = fields.Boolean(compute="_compute_can_acknowledge")
    can_edit = fields.Boolean(compute="_compute_can_edit", string="Can Write It")

    # ------------------------------------------------------------------
    # Compute
    # ------------------------------------------------------------------

    @api.depends("kind", "competitor_id", "partner_id", "date")
    def _compute_display_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for info in self:
            about = info.competitor_id.name or info.partner_id.name
            info.display_name = self.env._(
                "%(kind)s: %(about)s, %(date)s", kind=kinds.get(info.kind, ""), about=about,
                date=format_date(self.env, info.date),
            ) if about else self.env._("%(kind)s, %(date)s", kind=kinds.get(info.kind, ""),
                                       date=format_date(self.env, info.date))

    @api.depends("daily_report_line_id", "user_id")
    def _compute_from_line(self):
        for info in self:
            line = info.daily_report_line_id.sudo()
            if line:
                info.partner_id = info.partner_id or line.partner_id
                info.date = line.date
            info.date = info.date or (info.company_id or self.env.company)._sales_org_today()
            info.team_id = info.team_id or line.report_id.team_id or info.user_id.sale_team_id

    @api.depends("team_id", "partner_id")
    def _compute_region_id(self):
        # the nearest unit at or above with a region, read for all of them at once
        paths = {info: [int(unit) for unit in (info.team_id.sudo().parent_path or "").split("/") if unit]
                 for info in self}
        units = self.env["crm.team"].sudo().browse({unit for path in paths.values() for unit in path})
        regions = {unit.id: unit.region_id for unit in units}
        for info, path in paths.items():
            region = next((regions[unit] for unit in reversed(path) if regions[unit]), None)
            partner = info.partner_id.sudo()
            info.region_id = region or partner.sales_region_id or partner.commercial_partner_id.sales_region_id

    @api.depends("state", "user_id", "team_id")
    @api.depends_context("uid")
    def _compute_can_acknowledge(self):
        allowed = self._acknowledgeable_by(self.env.user)
        for info in self:
            info.can_acknowledge = info in allowed

    @api.depends("state", "user_id")
    @api.depends_context("uid")
    def _compute_can_edit(self):
        for info in self:
            info.can_edit = info.state == "new" and info.user_id == self.env.user

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------

    @api.constrains("date", "company_id")
    def _check_date(self):
        for info in self:
            if info.date > info.company_id._sales_org_today():
                raise ValidationError(self.env._(
                    "%(date)s is a day still to come: market information tells what was learnt.",
                    date=format_date(self.env, info.date),
                ))

    @api.constrains("kind", "price", "competitor_id", "partner_id", "product_id", "product_description")
    def _check_kind(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for info in self:
            if info.price < 0:
                raise ValidationError(self.env._("A price is not below zero: %(price)s.", price=info.price))
            if info.kind in NEEDS_COMPETITOR and not info.competitor_id:
                raise ValidationError(self.env._(
                    "%(kind)s: say which competitor it is about.", kind=kinds[info.kind]))
            if info.kind == "supplier_opinion" and not info.partner_id:
                raise ValidationError(self.env._("Say which customer gave this opinion of their supplier."))
            if info.kind == "price" and not info.price:
                raise ValidationError(self.env._("A competitor's price tells the price they ask: enter it."))
            if info.kind == "price" and not (info.product_id or info.product_description):
                raise ValidationError(self.env._(
                    "A competitor's price is the price of a product: name it, or the product of ours it competes with."))

    @api.constrains("team_id", "user_id")
    def _check_team_id(self):
        check_filed_unit(self, lambda info: self.env._(
            "%(unit)s is not a unit of %(person)s: market information is filed under one of its author's "
            "units or a unit they lead.", unit=info.team_id.name, person=info.user_id.name,
        ), led=True)

    # ------------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        infos = super().create(vals_list)
        infos.filtered(lambda info: info.kind == "infringement")._notify_infringement()
        return infos

    def write(self, vals):
        if not self.env.su:
            self._check_user_write(set(vals))
        res = super().write(vals)
        if "kind" in vals:
            # no longer an infringement: the leader has nothing to look into
            self.filtered(lambda info: info.kind != "infringement")._infringement_activities().filtered(
                "active").unlink()
            self.filtered(lambda info: info.kind == "infringement")._notify_infringement()
        return res

    def _check_user_write(self, fnames):
        refused = fnames & (CREATE_FIELDS | MAIL_FIELDS)
        if refused:
            raise AccessError(self.env._(
                "%(fields)s of market information are given when it is reported, never changed.",
                fields=", ".join(self._fields[fname]._description_string(self.env) for fname in sorted(refused)),
            ))
        if not fnames & AUTHOR_FIELDS:
            return
        check_author(self, lambda info: self.env._(
            "%(info)s is written by its author, %(author)s.", info=info.display_name, author=info.user_id.name))
        for info in self:
            if info.state != "new":
                raise UserError(self.env._(
                    "%(info)s has been acknowledged: it stays as it was read. Report what is new as new "
                    "information.", info=info.display_name))

    @api.ondelete(at_uninstall=False)
    def _unlink_only_new_by_the_author(self):
        if self.env.su:
            return
        for info in self:
            if info.state != "new" or info.user_id != self.env.user:
                raise UserError(self.env._(
                    "Only its author deletes market information, and only before it is acknowledged."))

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_acknowledge(self):
        """A leader above its author (or of its unit), or the sales administrator, marks it read."""
        if any(info.state != "new" for info in self):
            raise UserError(self.env._("This market information has been acknowledged already."))
        if not self.env.su:
            self.check_access("read")
            refused = self - self._acknowledgeable_by(self.env.user)
            if refused:
                raise AccessError(self.env._(
                    "%(info)s is acknowledged by a leader above its author, not by %(user)s.",
                    info=refused[0].display_name, user=self.env.user.name))
        self.sudo().write({"state": "acknowledged", "acknowledged_by_id": self.env.uid,
                           "acknowledged_date": fields.Datetime.now()})
        # what it asked of the leaders is answered
        self._infringement_activities().filtered("active").action_feedback()
        self.sudo().activity_ids.filtered(lambda activity: activity.user_id == self.env.user).action_feedback()
        return True

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _acknowledgeable_by(self, user):
        """The new records of `self` that `user` may acknowledge: never their own."""
        infos = self.filtered(lambda info: info.state == "new" and info.user_id != user)
        if not infos or user.has_group("sales_team.group_sale_manager"):
            return infos
        above = self.env["crm.team.member"].sudo()._leaders_above(infos.user_id.ids + [user.id])
        led = user.sudo().sales_org_team_ids
        # a leader of the unit it is filed under, unless its author is above them
        return infos.filtered(lambda info: user.id in above.get(info.user_id.id, ()) or (
            info.team_id in led and info.user_id.id not in above.get(user.id, ())))

    @api.model
    def _defaults_from_daily_report_line(self, line):
        # the customer, day and unit are computed from the line together: a default for one of
        # them would keep the others from being computed
        defaults = super()._defaults_from_daily_report_line(line)
        del defaults["default_partner_id"]
        return defaults

    def _sales_org_activity_done(self, activities):
        """The leader marking the infringement to-do done has read it: acknowledged, when it is
        theirs to acknowledge (else it waits for one who may)."""
        infringement = self.env.ref("sales_team_org.mail_activity_type_infringement")
        for activity in activities.exists().filtered(
                lambda activity: activity.res_model == self._name and activity.activity_type_id == infringement):
            info = self.browse(activity.res_id)
            if info.state == "new" and info._acknowledgeable_by(activity.user_id):
                info.write({"state": "acknowledged", "acknowledged_by_id": activity.user_id.id,
                            "acknowledged_date": fields.Datetime.now()})

    def _infringement_activities(self):
        activity_type = self.env.ref("sales_team_org.mail_activity_type_infringement")
        return self.sudo().activity_ids.filtered(lambda activity: activity.activity_type_id == activity_type)

    def _notify_infringement(self):
        """An infringement goes to the leader of its author's unit as a to-do, once."""
        notified = set(self._infringement_activities().filtered("active").mapped("res_id"))
        infos = self.filtered(lambda info: info.state == "new" and info.id not in notified)
        if not infos:
            return
        members = self.env["crm.team.member"].sudo().search([
            ("user_id", "in", infos.user_id.ids), ("crm_team_id", "in", infos.team_id.ids)])
        reports_to = {(m.user_id.id, m.crm_team_id.id): m.parent_member_id.user_id for m in members}
        for info in infos.sudo():
            leader = info.team_id.user_id
            if not leader or leader == info.user_id:
                leader = reports_to.get((info.user_id.id, info.team_id.id))
            if not leader:
                continue
            env = info.with_context(lang=leader.lang or self.env.lang).env
            info.activity_schedule(
                "sales_team_org.mail_activity_type_infringement", user_id=leader.id, note=info.description,
                summary=env._("Infringement reported"),
            )

    @api.model
    def _feed(self, requests):
        """{key: market information}: for each request (key, unit ids, company id, first day, last
        day), the information the current user may read of those units and the units below them,
        in that company, learnt between those days. One search whatever the number of requests."""
        if not requests:
            return {}
        roots = {unit for _key, units, _company, _first, _last in requests for unit in units}
        # the units below include the archived ones: what was filed under them stays
        infos = self.with_context(active_test=False).search([
            ("team_id", "child_of", list(roots)),
            ("company_id", "in", list({company for _key, _units, company, _first, _last in requests})),
            ("date", ">=", min(first for _key, _units, _company, first, _last in requests)),
            ("date", "<=", max(last for _key, _units, _company, _first, last in requests)),
        ]) if roots else self.browse()
        above = {}
        for info in infos:
            path = info.team_id.sudo().parent_path or ""
            above[info] = {int(unit) for unit in path.split("/") if unit}
        feeds = defaultdict(list)
        for key, units, company, first, last in requests:
            units = set(units)
            feeds[key] = self.browse([
                info.id for info in infos
                if info.company_id.id == company and first <= info.date <= last and above[info] & units])
        return feeds
