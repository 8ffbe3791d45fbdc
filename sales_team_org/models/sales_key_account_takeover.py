from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, format_date


class SalesKeyAccountTakeover(models.Model):
    """大客户: the sales director took a key account over, from `date_from` to `date_to` (the day
    before the hand-back; empty: still theirs). Meanwhile the account's orders are the
    director's own sales, and `team_id`, the unit that keeps managing it, earns the
    management fee on them. Dated history, written by the takeover and hand-back actions
    only."""

    _name = "sales.key.account.takeover"
    _inherit = ["mail.thread"]
    _description = "Key-Account Takeover"
    _order = "date_from desc, id desc"
    _rec_name = "partner_id"
    _check_company_auto = True

    partner_id = fields.Many2one("res.partner", string="Key Account", required=True, index=True, readonly=True,
                                 ondelete="cascade")
    director_id = fields.Many2one("res.users", string="Owner", required=True, index=True, readonly=True,
                                  ondelete="cascade", help="The sales director who took the account over.")
    team_id = fields.Many2one("crm.team", string="Managing Unit", required=True, index=True, readonly=True,
                              check_company=True, ondelete="cascade")
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    date_from = fields.Date(string="From", required=True, readonly=True)
    date_to = fields.Date(string="Handed Back", readonly=True, help="The last day of the takeover.")
    reason = fields.Text(required=True, readonly=True)
    handback_reason = fields.Text(string="Hand-back Reason", readonly=True)

    _sql_constraints = [("dates", "CHECK (date_to IS NULL OR date_to >= date_from)",
                         "A takeover ends after it starts.")]

    def init(self):
        # one open takeover per account and company
        self.env.cr.execute(SQL(
            "CREATE UNIQUE INDEX IF NOT EXISTS sales_key_account_takeover_open_uniq"
            " ON sales_key_account_takeover (partner_id, company_id) WHERE date_to IS NULL"))

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise AccessError(self.env._("Key accounts are taken over and handed back with their actions."))
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            raise AccessError(self.env._("Key accounts are taken over and handed back with their actions."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_history(self):
        if not self.env.su:
            raise AccessError(self.env._("The history of key accounts is kept."))

    @api.constrains("partner_id", "date_from", "date_to", "company_id")
    def _check_overlap(self):
        for takeover in self:
            if self.search_count([
                ("id", "!=", takeover.id), ("partner_id", "=", takeover.partner_id.id),
                ("company_id", "=", takeover.company_id.id),
                ("date_from", "<=", takeover.date_to or fields.Date.to_date("9999-12-31")),
                "|", ("date_to", "=", False), ("date_to", ">=", takeover.date_from),
            ], limit=1):
                raise ValidationError(self.env._(
                    "%(account)s was already taken over on these days.", account=takeover.partner_id.display_name))

    @api.depends("director_id", "date_from", "date_to")
    def _compute_display_name(self):
        for takeover in self:
            dates = format_date(self.env, takeover.date_from)
            if takeover.date_to:
                dates = f"{dates} – {format_date(self.env, takeover.date_to)}"
            takeover.display_name = self.env._("%(director)s, %(dates)s", director=takeover.director_id.name or "",
                                               dates=dates)

    @api.model
    def _check_director(self):
        """The sales director decides: those who see all documents, or the sales administrator."""
        if not (self.env.su or self.env.user.has_group("sales_team.group_sale_salesman_all_leads")):
            raise AccessError(self.env._("Only the sales director takes a key account over or hands it back."))

    @api.model
    def _take_over(self, partner, team, date, reason):
        """The current user, the director, takes `partner` over from `date`, `team` managing it."""
        self._check_director()
        partner = partner.commercial_partner_id
        company = team.company_id or self.env.company
        if not partner.sudo().with_company(company).sales_key_account:
            raise UserError(self.env._(
                "%(customer)s is not a key account: mark it as one first.", customer=partner.display_name))
        if not team:
            raise UserError(self.env._("Say which unit keeps managing %(customer)s.", customer=partner.display_name))
        if not reason or not reason.strip():
            raise UserError(self.env._("Say why the director takes the account over."))
        if self.sudo().search_count([("partner_id", "=", partner.id), ("company_id", "=", company.id),
                                     "|", ("date_to", "=", False), ("date_to", ">=", date)], limit=1):
            raise UserError(self.env._("%(account)s was already taken over on these days.",
                                       account=partner.display_name))
        self.env["sales.commission.settlement"]._check_after_confirmed(company, date, self.env._("a takeover"))
        if date > company._sales_org_today():
            raise UserError(self.env._("A takeover is recorded on the day it happened, not ahead: %(date)s.",
                                       date=format_date(self.env, date)))
        takeover = self.sudo().create({
            "partner_id": partner.id, "director_id": self.env.uid, "team_id": team.id, "company_id": company.id,
            "date_from": date, "reason": reason.strip(),
        })
        partner.sudo().message_post(body=self.env._(
            "Key account taken over by %(director)s from %(date)s, managed by %(unit)s: %(reason)s",
            director=self.env.user.name, date=format_date(self.env, date), unit=team.name, reason=reason.strip()))
        return takeover

    def _hand_back(self, date, reason):
        """End the takeover on the day before `date`: the account's orders from `date` are the
        salesperson's again."""
        self._check_director()
        self.ensure_one()
        if self.date_to:
            raise UserError(self.env._("%(account)s was already handed back.", account=self.partner_id.display_name))
        if not reason or not reason.strip():
            raise UserError(self.env._("Say why the account is handed back."))
        if self.director_id != self.env.user and not self.env.user.has_group("sales_team.group_sale_manager"):
            raise AccessError(self.env._("%(director)s took %(account)s over: they hand it back, or the sales "
                                         "administrator.", director=self.director_id.name,
                                         account=self.partner_id.display_name))
        self.env["sales.commission.settlement"]._check_after_confirmed(self.company_id, date, self.env._("a hand-back"))
        if date <= self.date_from:
            raise UserError(self.env._("A hand-back comes after the takeover of %(date)s.",
                                       date=format_date(self.env, self.date_from)))
        if date > self.company_id._sales_org_today():
            raise UserError(self.env._("A hand-back is recorded on the day it happened, not ahead: %(date)s.",
                                       date=format_date(self.env, date)))
        self.sudo().write({"date_to": fields.Date.subtract(date, days=1), "handback_reason": reason.strip()})
        self.partner_id.sudo().message_post(body=self.env._(
            "Key account handed back from %(date)s: %(reason)s", date=format_date(self.env, date), reason=reason.strip()))
