from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .res_partner import CLASSIFICATIONS
from .sales_org_guard import check_system_fields


class SalesDailyReportLine(models.Model):
    """One call or visit of the day (a row of the 电话销售日报表)."""

    _name = "sales.daily.report.line"
    _description = "Call or Visit of a Daily Report"
    _order = "report_id, sequence, id"
    _check_company_auto = True
    # The report's author, day and company follow the report; the done activity a line was
    # filled from and the scheduling of its next step are the workflow's.
    _sales_org_system_fields = frozenset({"user_id", "date", "company_id", "message_id", "activity_scheduled"})

    report_id = fields.Many2one("sales.daily.report", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(default=10)
    user_id = fields.Many2one(related="report_id.user_id", store=True, index=True)
    date = fields.Date(related="report_id.date", store=True)
    company_id = fields.Many2one(related="report_id.company_id", store=True, index=True)
    lead_id = fields.Many2one("crm.lead", string="Lead/Opportunity", index="btree_not_null", check_company=True)
    partner_id = fields.Many2one(
        "res.partner", string="Customer", index="btree_not_null", check_company=True,
        compute="_compute_partner_id", store=True, readonly=False, precompute=True,
    )
    contact_name = fields.Char(string="Contact Person")
    channel = fields.Selection(
        [("phone", "Phone"), ("visit", "Visit"), ("wechat", "WeChat"), ("email", "E-mail"), ("other", "Other")],
        string="Contact Method", default="phone", required=True,
    )
    duration = fields.Float(help="In hours.")
    subject = fields.Char(string="Discussed")
    result = fields.Text()
    next_step = fields.Char()
    next_step_date = fields.Date()
    classification = fields.Selection(
        CLASSIFICATIONS, compute="_compute_classification", inverse="_inverse_classification",
        help="Set by the manager on the customer, with its history.",
    )
    message_id = fields.Many2one(
        "mail.message", readonly=True, index="btree_not_null", ondelete="set null",
        help="The done activity this line was filled from.",
    )
    activity_scheduled = fields.Boolean(readonly=True, copy=False)

    _sql_constraints = [
        ("message_uniq", "unique(message_id)", "A done activity fills one line only."),
    ]

    @api.depends("lead_id")
    def _compute_partner_id(self):
        for line in self:
            if line.lead_id and not line.partner_id:
                line.partner_id = line.lead_id.partner_id

    @api.depends("partner_id.sales_classification")
    @api.depends_context("company")
    def _compute_classification(self):
        for line in self:
            line.classification = line.partner_id.commercial_partner_id.sales_classification

    def _inverse_classification(self):
        for line in self.filtered("partner_id"):
            partner = line.partner_id.commercial_partner_id
            if partner.sales_classification != line.classification:
                partner._set_sales_classification(line.classification, reason=line.result or line.subject)

    @api.constrains("duration")
    def _check_duration(self):
        for line in self:
            if not 0 <= line.duration <= 24:
                raise ValidationError(self.env._(
                    "A call or visit lasts between 0 and 24 hours, not %(duration)s.", duration=line.duration,
                ))

    @api.constrains("next_step_date", "report_id")
    def _check_next_step_date(self):
        for line in self:
            if line.next_step_date and line.next_step_date < line.report_id.date:
                raise ValidationError(self.env._(
                    "The next step of a call comes after it: %(next_date)s is before the report's day, %(date)s.",
                    next_date=line.next_step_date, date=line.report_id.date,
                ))

    @api.model_create_multi
    def create(self, vals_list):
        check_system_fields(self, vals_list)
        if not self.env.su:
            reports = self.env["sales.daily.report"].browse({vals["report_id"] for vals in vals_list if vals.get("report_id")})
            reports._check_user_write({"line_ids"})
        lines = super().create(vals_list)
        lines._check_references_readable()
        return lines

    def write(self, vals):
        # a line stays on its report; the classification belongs to the customer (its own rule)
        check_system_fields(self, vals, self._sales_org_system_fields | {"report_id"})
        if not self.env.su and set(vals) - {"classification"}:
            self.report_id._check_user_write({"line_ids"})
        res = super().write(vals)
        if {"lead_id", "partner_id"} & vals.keys():
            self._check_references_readable()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_only_by_the_author(self):
        if not self.env.su:
            self.report_id._check_user_write({"line_ids"})

    def action_classify_customer(self):
        """A leader classifies the customer of a call from its report, whatever the report's
        state: the classification is the customer's (its own rule and history), not the report's."""
        self.ensure_one()
        self.check_access("read")
        if not self.partner_id:
            raise UserError(self.env._("This call names no customer to classify."))
        action = self.partner_id.action_set_classification()
        action["context"] = dict(action["context"], default_reason=self.result or self.subject or False,
                                 default_classification=self.classification or "primary")
        return action

    def action_schedule_next_step(self):
        """The reviewer turns the next step into an activity for the report's author."""
        reports = self.report_id
        if not self.env.su and reports - reports._led_by(self.env.user):
            raise AccessError(self.env._("Only a leader above its author schedules the next step of a report."))
        for line in self.filtered(lambda line: line.next_step and not line.activity_scheduled):
            record = line.lead_id or line.partner_id
            if not record:
                continue
            record.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=line.next_step_date or line.report_id.date,
                summary=line.next_step,
                user_id=line.user_id.id,
            )
            line.sudo().activity_scheduled = True
        return True

    def _check_references_readable(self):
        """A line names only the leads and customers its writer may read (their names show)."""
        if not self.env.su:
            self.lead_id.check_access("read")
            self.partner_id.check_access("read")
