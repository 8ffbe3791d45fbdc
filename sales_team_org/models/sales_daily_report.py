from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

# What a reviewer writes on a report that is no longer the author's to change.
REVIEW_FIELDS = {"state", "review_comment", "reviewer_id", "review_date"}
REPORT_STATES = [
    ("draft", "Draft"),
    ("submitted", "Submitted"),
    ("returned", "Returned"),
    ("reviewed", "Reviewed"),
]


class SalesDailyReport(models.Model):
    """电话销售日报表 + 销售日记: one per person and working day."""

    _name = "sales.daily.report"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _description = "Daily Sales Report"
    _order = "date desc, user_id"
    _check_company_auto = True

    # Description
    name = fields.Char(compute="_compute_name", store=True)
    user_id = fields.Many2one(
        "res.users", string="Salesperson", required=True, index=True, default=lambda self: self.env.user,
        readonly=True, domain=[("share", "=", False)],
    )
    date = fields.Date(required=True, index=True, default=lambda self: self._today(), readonly=True)
    team_id = fields.Many2one(
        "crm.team", string="Unit", index=True, compute="_compute_team_id", store=True, readonly=False,
        precompute=True,
    )
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    diary = fields.Html(string="Sales Diary", sanitize_overridable=True)
    line_ids = fields.One2many("sales.daily.report.line", "report_id", string="Calls and Visits", copy=False)
    # Review
    state = fields.Selection(
        REPORT_STATES,
        default="draft", required=True, index=True, tracking=True, copy=False, readonly=True,
    )
    manager_id = fields.Many2one(
        "res.users", compute="_compute_manager_id", store=True, index="btree_not_null",
        help="The leader the author reports to in the unit tree, who reviews the report.",
    )
    reviewer_id = fields.Many2one("res.users", readonly=True, copy=False)
    review_date = fields.Datetime(readonly=True, copy=False)
    review_comment = fields.Text(tracking=True, copy=False)
    submit_date = fields.Datetime(readonly=True, copy=False)
    # Key figures: from the lines, and from what the person did in Odoo that day
    call_count = fields.Integer(string="Calls", compute="_compute_line_figures", store=True)
    visit_count = fields.Integer(string="Visits", compute="_compute_line_figures", store=True)
    customer_count = fields.Integer(
        string="Customers Reached", compute="_compute_line_figures", store=True
    )
    new_customer_count = fields.Integer(string="New Customers", readonly=True)
    quotation_count = fields.Integer(string="Quotations Sent", readonly=True)
    order_count = fields.Integer(string="Orders Confirmed", readonly=True)
    order_amount = fields.Monetary(string="Orders Amount", readonly=True)
    is_locked = fields.Boolean(compute="_compute_is_locked")

    _sql_constraints = [
        ("user_date_uniq", "unique(user_id, date)", "A person writes one daily report per day."),
    ]

    @api.depends("user_id", "date")
    def _compute_name(self):
        for report in self:
            report.name = f"{report.user_id.name or ''} {report.date or ''}".strip()

    @api.depends("user_id")
    def _compute_team_id(self):
        for report in self:
            report.team_id = report.user_id.sale_team_id

    @api.depends("user_id", "team_id")
    def _compute_manager_id(self):
        memberships = self.env["crm.team.member"].sudo().search([
            ("user_id", "in", self.user_id.ids), ("crm_team_id", "in", self.team_id.ids),
        ])
        leader = {(m.user_id.id, m.crm_team_id.id): m.parent_member_id.user_id for m in memberships}
        for report in self:
            report.manager_id = leader.get((report.user_id.id, report.team_id.id)) or report.team_id.user_id

    @api.depends("line_ids.channel", "line_ids.partner_id", "line_ids.lead_id")
    def _compute_line_figures(self):
        for report in self:
            lines = report.line_ids
            report.call_count = len(lines.filtered(lambda line: line.channel != "visit"))
            report.visit_count = len(lines.filtered(lambda line: line.channel == "visit"))
            report.customer_count = len({
                (line.partner_id.commercial_partner_id.id, line.lead_id.id if not line.partner_id else 0)
                for line in lines
            })

    @api.depends("state")
    @api.depends_context("uid")
    def _compute_is_locked(self):
        for report in self:
            report.is_locked = report._locked_for(self.env.user)

    # ------------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        reports = super().create(vals_list)
        reports._refresh_figures()
        return reports

    def write(self, vals):
        self._check_may_write(set(vals))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_drafts(self):
        if any(report.state != "draft" for report in self):
            raise UserError(self.env._("Only draft daily reports can be deleted."))

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_submit(self):
        for report in self:
            if report.user_id != self.env.user and not self.env.su:
                raise AccessError(self.env._("Only %(person)s can submit their own report.", person=report.user_id.name))
            if report.state not in ("draft", "returned"):
                raise UserError(self.env._("Only a draft or returned report can be submitted."))
        self._refresh_figures()
        self.write({"state": "submitted", "submit_date": fields.Datetime.now()})

    def action_approve(self):
        self._check_reviewer()
        self.write({"state": "reviewed", "reviewer_id": self.env.uid, "review_date": fields.Datetime.now()})

    def action_return(self):
        self._check_reviewer()
        if any(not report.review_comment for report in self):
            raise UserError(self.env._("Say what to fix in the review comment before returning a report."))
        self.write({"state": "returned", "reviewer_id": self.env.uid, "review_date": fields.Datetime.now()})
        for report in self:
            report.message_post(
                body=report.review_comment, partner_ids=report.user_id.partner_id.ids,
                subtype_xmlid="mail.mt_comment",
            )

    def action_refresh_figures(self):
        if any(report.is_locked for report in self):
            raise UserError(self.env._("A submitted or reviewed report keeps its figures."))
        self._refresh_figures()

    # ------------------------------------------------------------------
    # Business
    # ------------------------------------------------------------------

    @api.model
    def _today(self):
        return fields.Date.context_today(self)

    def _locked_for(self, user):
        """Submitted: only its review may change it. Reviewed: only the sales administrator."""
        self.ensure_one()
        if self.state in ("draft", "returned"):
            return False
        return not user.has_group("sales_team.group_sale_manager")

    def _check_may_write(self, fnames):
        if self.env.su:
            return
        user = self.env.user
        for report in self:
            if not report._locked_for(user):
                continue
            if report.state == "submitted" and user != report.user_id and fnames <= REVIEW_FIELDS:
                continue
            raise UserError(self.env._(
                "The daily report %(report)s is %(state)s: it can no longer be changed.",
                report=report.name, state=dict(self._fields["state"].selection)[report.state],
            ))

    def _check_reviewer(self):
        user = self.env.user
        for report in self:
            if report.state != "submitted":
                raise UserError(self.env._("Only a submitted report can be reviewed."))
            if report.user_id == user and not self.env.su:
                raise AccessError(self.env._("You cannot review your own daily report."))
            in_chain = (
                user.has_group("sales_team.group_sale_salesman_all_leads")
                or (user.has_group("sales_team_org.group_sale_unit_leader") and report.user_id in user.sales_org_user_ids)
            )
            if not in_chain and not self.env.su:
                raise AccessError(self.env._(
                    "Only a manager above %(person)s may review their report.", person=report.user_id.name
                ))

    def _day_bounds(self):
        """The report's day in UTC, in its author's time zone."""
        tz = pytz.timezone(self.user_id.tz or self.env.user.tz or "UTC")
        start = tz.localize(datetime.combine(self.date, time.min)).astimezone(pytz.utc).replace(tzinfo=None)
        return start, start + timedelta(days=1)

    def _refresh_figures(self):
        """Fill the day's figures from what the person did in Odoo, replacing (never adding to)
        what a previous refresh found; done activities become call lines once."""
        if not self:
            return
        Line = self.env["sales.daily.report.line"]
        for report in self:
            start, end = report._day_bounds()
            user = report.user_id
            cr = self.env.cr
            rows = self.env.execute_query(SQL(
                """
                SELECT msg.id, msg.model, msg.res_id, msg.subject, atype.category, atype.name->>'en_US'
                  FROM mail_message msg
                  JOIN mail_activity_type atype ON atype.id = msg.mail_activity_type_id
                 WHERE msg.author_id = %(partner)s AND msg.date >= %(start)s AND msg.date < %(end)s
                   AND msg.model IN ('crm.lead', 'res.partner')
                   AND NOT EXISTS (SELECT 1 FROM sales_daily_report_line l WHERE l.message_id = msg.id)
                 ORDER BY msg.id
                """,
                partner=user.partner_id.id, start=start, end=end,
            ))
            new_lines = []
            leads = self.env["crm.lead"].browse([r[2] for r in rows if r[1] == "crm.lead"]).exists()
            lead_by_id = {lead.id: lead for lead in leads}
            for message_id, model, res_id, subject, category, type_name in rows:
                lead = lead_by_id.get(res_id, leads.browse()) if model == "crm.lead" else leads.browse()
                new_lines.append({
                    "report_id": report.id,
                    "message_id": message_id,
                    "lead_id": lead.id,
                    "partner_id": lead.partner_id.id if lead else (res_id if model == "res.partner" else False),
                    "channel": "phone" if category == "phonecall" else ("visit" if category == "meeting" else "other"),
                    "subject": subject or type_name,
                })
            Line.sudo().create(new_lines)
            cr.execute(SQL(
                """
                SELECT (SELECT count(*) FROM crm_lead
                         WHERE create_uid = %(uid)s AND create_date >= %(start)s AND create_date < %(end)s),
                       (SELECT count(DISTINCT msg.res_id) FROM mail_message msg
                          JOIN sale_order so ON so.id = msg.res_id
                         WHERE msg.model = 'sale.order' AND msg.author_id = %(partner)s
                           AND msg.date >= %(start)s AND msg.date < %(end)s
                           AND (msg.subtype_id = %(sent)s OR (msg.message_type = 'comment' AND so.state IN ('sent', 'sale')))),
                       count(so.id), COALESCE(sum(so.amount_total), 0)
                  FROM sale_order so
                 WHERE so.user_id = %(uid)s AND so.state = 'sale'
                   AND so.date_order >= %(start)s AND so.date_order < %(end)s
                """,
                uid=user.id, partner=user.partner_id.id, start=start, end=end,
                sent=self.env.ref("sale.mt_order_sent").id,
            ))
            leads_created, quotations, orders, amount = cr.fetchone()
            report.sudo().write({
                "new_customer_count": leads_created, "quotation_count": quotations,
                "order_count": orders, "order_amount": amount,
            })
