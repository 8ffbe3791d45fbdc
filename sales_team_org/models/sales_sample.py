from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date

from .sales_org_guard import MAIL_FIELDS, check_author, check_filed_unit, check_system_fields, trusted_fields


class SalesSample(models.Model):
    """目录、样品的寄送与登记: a sample or a catalogue sent to a customer, what it cost, and its
    follow-up: when sent, its author has a follow-up activity; done with the customer's feedback."""

    _name = "sales.sample"
    _inherit = ["mail.thread", "mail.activity.mixin", "sales.org.guarded.mixin", "sales.org.logged.mixin"]
    _description = "Sample or Catalogue Sent"
    _order = "date_sent desc, id desc"
    _check_company_auto = True
    _sales_org_system_fields = frozenset({
        "name", "state", "total_cost", "done_date", "activity_id",
    }) | MAIL_FIELDS
    # set once, at create, by the author for themselves
    _create_fields = frozenset({"user_id", "company_id", "daily_report_line_id"})
    # the author's while a draft; carrier and tracking number are often known after posting
    _draft_fields = frozenset({
        "kind", "partner_id", "contact_note", "team_id", "date_sent", "follow_up_date", "line_ids",
        "carrier", "tracking_ref", "note",
    })
    _sent_fields = frozenset({"carrier", "tracking_ref", "feedback"})

    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default=lambda self: self.env._("New"),
    )
    kind = fields.Selection(
        [("sample", "Sample"), ("catalogue", "Catalogue")], required=True, default="sample", tracking=True,
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, tracking=True, check_company=True,
        compute="_compute_partner_id", store=True, readonly=False, precompute=True,
    )
    contact_note = fields.Text(string="Contact and Address", help="Whom it goes to and where.")
    user_id = fields.Many2one(
        "res.users", string="Sent By", required=True, index=True, default=lambda self: self.env.user,
        readonly=True, domain=[("share", "=", False)],
    )
    team_id = fields.Many2one(
        "crm.team", string="Unit", index="btree_not_null", check_company=True,
        default=lambda self: self.env.user.sale_team_id,
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company, readonly=True,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    date_sent = fields.Date(
        string="Sent On", required=True, index=True, tracking=True, copy=False,
        default=lambda self: self.env.company._sales_org_today(),
    )
    carrier = fields.Char(help="The courier or the way it was sent.", copy=False)
    tracking_ref = fields.Char(string="Tracking Number", copy=False)
    note = fields.Text(help="Why it is sent, what the customer asked for.")
    line_ids = fields.One2many("sales.sample.line", "sample_id", string="Items", copy=True)
    total_cost = fields.Monetary(
        compute="_compute_total_cost", store=True, currency_field="currency_id",
        help="What the items sent cost, in the company's currency.",
    )
    follow_up_date = fields.Date(
        string="Follow Up On", compute="_compute_follow_up_date", store=True, readonly=False, precompute=True,
        help="When to ask the customer what they think: a week after sending unless set otherwise.",
    )
    state = fields.Selection(
        [("draft", "Draft"), ("sent", "Sent"), ("done", "Followed Up"), ("cancelled", "Cancelled")],
        string="Status", required=True, default="draft", readonly=True, index=True, tracking=True, copy=False,
    )
    feedback = fields.Text(help="What the customer said of it, written when following up.", copy=False)
    done_date = fields.Date(string="Followed Up On", readonly=True, copy=False)
    activity_id = fields.Many2one(
        "mail.activity", string="Follow-up Activity", readonly=True, copy=False, ondelete="set null",
    )
    is_mine = fields.Boolean(compute="_compute_is_mine")

    @api.depends("daily_report_line_id")
    def _compute_partner_id(self):
        for sample in self:
            if sample.daily_report_line_id and not sample.partner_id:
                sample.partner_id = sample.daily_report_line_id.sudo().partner_id

    @api.depends("line_ids.subtotal")
    def _compute_total_cost(self):
        for sample in self:
            sample.total_cost = sum(sample.line_ids.mapped("subtotal"))

    @api.depends("date_sent")
    def _compute_follow_up_date(self):
        for sample in self:
            if sample.date_sent:
                sample.follow_up_date = sample.date_sent + timedelta(days=7)

    @api.depends("user_id")
    @api.depends_context("uid")
    def _compute_is_mine(self):
        for sample in self:
            sample.is_mine = sample.user_id == self.env.user

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------

    @api.constrains("team_id", "user_id")
    def _check_team_id(self):
        check_filed_unit(self, lambda sample: self.env._(
            "%(unit)s is not a unit of %(person)s: file it under one of their units or a unit they lead.",
            unit=sample.team_id.name, person=sample.user_id.name,
        ), led=True)

    @api.constrains("date_sent", "follow_up_date")
    def _check_dates(self):
        for sample in self:
            if sample.follow_up_date and sample.follow_up_date < sample.date_sent:
                raise ValidationError(self.env._(
                    "The follow-up of %(sample)s (%(follow_up)s) comes before it was sent (%(sent)s).",
                    sample=sample.name, follow_up=format_date(self.env, sample.follow_up_date),
                    sent=format_date(self.env, sample.date_sent),
                ))

    # ------------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        check_system_fields(self, vals_list)
        for vals in vals_list:
            company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
            vals["name"] = self.env["ir.sequence"].sudo().with_company(company).next_by_code("sales.sample") \
                or self.env._("New")
        with trusted_fields({"name"}):
            return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            check_system_fields(self, vals, self._sales_org_system_fields | self._create_fields)
            self._check_user_write(set(vals))
        return super().write(vals)

    def _check_user_write(self, fnames):
        if not fnames:
            return
        check_author(self)
        for sample in self:
            allowed = self._draft_fields if sample.state == "draft" else \
                self._sent_fields if sample.state == "sent" else frozenset()
            if fnames - allowed:
                raise UserError(self.env._(
                    "%(sample)s is %(state)s: what was sent and what it cost stay as they were.",
                    sample=sample.display_name, state=dict(self._fields["state"]._description_selection(
                        self.env))[sample.state],
                ))

    @api.ondelete(at_uninstall=False)
    def _unlink_only_drafts(self):
        if any(sample.state != "draft" for sample in self):
            raise UserError(self.env._("A sample sent stays on record: cancel it instead."))

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_send(self):
        """Sent: the day is stamped, the author gets a follow-up activity on the follow-up day."""
        self._check_action("draft")
        today = {}
        for sample in self:
            if not sample.line_ids:
                raise UserError(self.env._("Say what %(sample)s sends: add an item.", sample=sample.display_name))
            company = sample.company_id
            today.setdefault(company, company._sales_org_today())
            if sample.date_sent > today[company]:
                raise UserError(self.env._(
                    "%(sample)s is sent on %(date)s, a day still to come: send it on the day it leaves.",
                    sample=sample.display_name, date=format_date(self.env, sample.date_sent),
                ))
        for sample in self:
            activity = sample.activity_schedule(
                "sales_team_org.mail_activity_type_sample_follow_up",
                date_deadline=sample.follow_up_date or sample.date_sent,
                summary=self.with_context(lang=sample.user_id.lang).env._("Follow up the sample"),
                user_id=sample.user_id.id,
            )
            sample.sudo().write({"state": "sent", "activity_id": activity.id})
        return True

    def action_done(self):
        """Followed up: the customer's feedback is written, the follow-up activity is closed with it."""
        self._check_action("sent")
        for sample in self:
            if not (sample.feedback or "").strip():
                raise UserError(self.env._(
                    "Write what the customer said of %(sample)s before closing its follow-up.",
                    sample=sample.display_name,
                ))
        for sample in self:
            sample.sudo().write({"state": "done", "done_date": sample.company_id._sales_org_today()})
            sample.activity_id.filtered("active").action_feedback(feedback=sample.feedback)
        return True

    def action_cancel(self):
        self._check_action("draft", "sent")
        self.activity_id.filtered("active").unlink()
        self.sudo().write({"state": "cancelled", "activity_id": False})
        return True

    def _check_lines_open(self):
        """Items are added, changed and taken off by the sample's author while it is a draft."""
        check_author(self)
        sent = self.filtered(lambda sample: sample.state != "draft")
        if sent:
            raise UserError(self.env._(
                "%(sample)s has been sent: its items and their cost stay as they were.",
                sample=sent[0].display_name,
            ))

    def _check_action(self, *states):
        check_author(self)
        states_names = dict(self._fields["state"]._description_selection(self.env))
        for sample in self:
            if sample.state not in states:
                raise UserError(self.env._(
                    "%(sample)s is %(state)s: this cannot be done now.",
                    sample=sample.display_name, state=states_names[sample.state],
                ))
