import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date, format_datetime

from .sales_org_guard import MAIL_FIELDS, check_author, check_filed_unit, check_system_fields


class SalesVisit(models.Model):
    """客户来访接待: a customer's visit received at the company: who came, who hosted them, the
    factory tour or product inspection, lodging and meals arranged, and what came of it. The
    hosts follow it and have an activity on its day; it is linked to the customer and to the
    day's report of the person who recorded it."""

    _name = "sales.visit"
    _inherit = ["mail.thread", "mail.activity.mixin", "sales.org.guarded.mixin", "sales.org.logged.mixin"]
    _description = "Customer Visit"
    _order = "date_start desc, id desc"
    _check_company_auto = True
    _sales_org_system_fields = frozenset({"state"}) | MAIL_FIELDS
    _create_fields = frozenset({"user_id", "company_id", "daily_report_line_id"})
    # the author's while the visit is planned; what came of it also once it is done
    _planned_fields = frozenset({
        "partner_id", "visitor_names", "visitor_count", "date_start", "date_end", "host_ids", "team_id", "purpose",
        "factory_tour", "quality_inspection", "lodging_arranged", "lodging_note", "meals_arranged", "meals_note",
        "outcome",
    })
    _done_fields = frozenset({"outcome"})

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, tracking=True, check_company=True,
        compute="_compute_partner_id", store=True, readonly=False, precompute=True,
    )
    visitor_names = fields.Char(string="Visitors", required=True, help="Who came: names and positions.")
    visitor_count = fields.Integer(string="Number of Visitors", default=1, required=True)
    date_start = fields.Datetime(string="Arrival", required=True, index=True, tracking=True)
    date_end = fields.Datetime(string="Departure", required=True)
    host_ids = fields.Many2many(
        "res.users", "sales_visit_host_rel", "visit_id", "user_id", string="Hosts",
        domain=[("share", "=", False)], help="Who receives the visitors: they follow the visit and have an "
        "activity on its day.",
    )
    user_id = fields.Many2one(
        "res.users", string="Recorded By", required=True, index=True, default=lambda self: self.env.user,
        readonly=True, domain=[("share", "=", False)],
    )
    team_id = fields.Many2one(
        "crm.team", string="Unit", index="btree_not_null", check_company=True,
        default=lambda self: self.env.user.sale_team_id,
        help="Everyone of this unit and its leaders read the visit.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company, readonly=True,
    )
    purpose = fields.Char(required=True, help="Why they come: a quotation, an inspection, a complaint…")
    factory_tour = fields.Boolean(help="The visitors are shown round the factory.")
    quality_inspection = fields.Boolean(
        string="Product Inspection", help="The visitors inspect the quality of their products.",
    )
    lodging_arranged = fields.Boolean()
    lodging_note = fields.Text(string="Lodging", help="Hotel, nights, who pays.")
    meals_arranged = fields.Boolean()
    meals_note = fields.Text(string="Meals")
    outcome = fields.Text(help="What came of the visit.")
    state = fields.Selection(
        [("planned", "To Receive"), ("done", "Received"), ("cancelled", "Cancelled")],
        string="Status", required=True, default="planned", readonly=True, index=True, tracking=True, copy=False,
    )
    daily_report_id = fields.Many2one(
        "sales.daily.report", compute="_compute_daily_report_id",
        help="The daily report of the person who recorded the visit, of the day of the visit.",
    )
    is_mine = fields.Boolean(compute="_compute_is_mine")

    @api.depends("partner_id", "date_start")
    def _compute_display_name(self):
        for visit in self:
            visit.display_name = self.env._(
                "%(customer)s, %(date)s", customer=visit.partner_id.name or "",
                date=format_datetime(self.env, visit.date_start, dt_format="short") if visit.date_start else "",
            )

    @api.depends("daily_report_line_id")
    def _compute_partner_id(self):
        for visit in self:
            if visit.daily_report_line_id and not visit.partner_id:
                visit.partner_id = visit.daily_report_line_id.sudo().partner_id

    @api.depends("user_id", "date_start", "company_id")
    def _compute_daily_report_id(self):
        days = {visit: visit._local_day() for visit in self}
        # one search for every visit; the reader sees the reports their own rules allow
        reports = self.env["sales.daily.report"].search([
            ("user_id", "in", self.user_id.ids), ("date", "in", list(set(days.values()) - {False})),
            ("company_id", "in", self.company_id.ids),
        ]) if self.user_id else self.env["sales.daily.report"]
        by_key = {(report.user_id.id, report.date, report.company_id.id): report for report in reports}
        for visit in self:
            visit.daily_report_id = by_key.get((visit.user_id.id, days[visit], visit.company_id.id), False)

    @api.depends("user_id")
    @api.depends_context("uid")
    def _compute_is_mine(self):
        for visit in self:
            visit.is_mine = visit.user_id == self.env.user

    def _local_day(self):
        """The company-local day the visit starts on."""
        self.ensure_one()
        if not self.date_start:
            return False
        company = self.company_id or self.env.company
        return pytz.utc.localize(self.date_start).astimezone(company._sales_org_tz()).date()

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for visit in self:
            if visit.date_end <= visit.date_start:
                raise ValidationError(self.env._(
                    "The visitors of %(customer)s cannot leave (%(end)s) before they arrive (%(start)s).",
                    customer=visit.partner_id.name, end=format_datetime(self.env, visit.date_end),
                    start=format_datetime(self.env, visit.date_start),
                ))

    @api.constrains("visitor_count")
    def _check_visitor_count(self):
        for visit in self:
            if visit.visitor_count < 1:
                raise ValidationError(self.env._(
                    "A visit of %(customer)s has at least one visitor, not %(count)s.",
                    customer=visit.partner_id.name, count=visit.visitor_count,
                ))

    @api.constrains("host_ids", "team_id")
    def _check_host_ids(self):
        if self.host_ids.filtered("share"):
            raise ValidationError(self.env._("The hosts of a visit are the company's own people."))
        # a host is told of the visit by an activity on it: one they can open (one query a host)
        for host in self.host_ids:
            visits = self.filtered(lambda visit: host in visit.host_ids)
            closed = visits - visits.with_user(host)._filtered_access("read")
            if closed:
                raise ValidationError(self.env._(
                    "%(host)s cannot open the visit of %(customer)s: its hosts are people of its unit or the "
                    "leaders above it.", host=host.name, customer=closed[0].partner_id.name,
                ))

    @api.constrains("team_id", "user_id")
    def _check_team_id(self):
        check_filed_unit(self, lambda visit: self.env._(
            "%(unit)s is not a unit of %(person)s: file it under one of their units or a unit they lead.",
            unit=visit.team_id.name, person=visit.user_id.name,
        ), led=True)

    # ------------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        visits = super().create(vals_list)
        visits._sync_hosts()
        return visits

    def write(self, vals):
        if not self.env.su:
            check_system_fields(self, vals, self._sales_org_system_fields | self._create_fields)
            self._check_user_write(set(vals))
        res = super().write(vals)
        if {"host_ids", "date_start"} & vals.keys():
            self._sync_hosts()
        return res

    def _check_user_write(self, fnames):
        if not fnames:
            return
        check_author(self)
        states = dict(self._fields["state"]._description_selection(self.env))
        for visit in self:
            allowed = self._planned_fields if visit.state == "planned" else \
                self._done_fields if visit.state == "done" else frozenset()
            if fnames - allowed:
                raise UserError(self.env._(
                    "%(visit)s is %(state)s: it stays as it was recorded.",
                    visit=visit.display_name, state=states[visit.state],
                ))

    @api.ondelete(at_uninstall=False)
    def _unlink_only_planned(self):
        if any(visit.state != "planned" for visit in self):
            raise UserError(self.env._("A visit received stays on record: cancel a visit that did not happen."))

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_done(self):
        """Received: the visitors came; the hosts' activities are closed."""
        self._check_action("planned")
        now = fields.Datetime.now()
        for visit in self:
            if visit.date_start > now:
                raise UserError(self.env._(
                    "The visitors of %(customer)s arrive on %(start)s: a visit is received once they have come.",
                    customer=visit.partner_id.name, start=format_datetime(self.env, visit.date_start),
                ))
        self.sudo().write({"state": "done"})
        feedback = self.env._("The visitors were received.")
        self._host_activities().action_feedback(feedback=feedback)
        return True

    def action_cancel(self):
        self._check_action("planned")
        self._host_activities().unlink()
        self.sudo().write({"state": "cancelled"})
        return True

    def action_open_daily_report(self):
        """The day's report of the person who recorded the visit, as far as the reader may read it."""
        self.ensure_one()
        if not self.daily_report_id:
            raise UserError(self.env._(
                "%(person)s has no daily report of %(day)s you can read.",
                person=self.user_id.name, day=format_date(self.env, self._local_day()),
            ))
        return {
            "type": "ir.actions.act_window",
            "res_model": "sales.daily.report",
            "res_id": self.daily_report_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def _check_action(self, *states):
        check_author(self)
        names = dict(self._fields["state"]._description_selection(self.env))
        for visit in self:
            if visit.state not in states:
                raise UserError(self.env._(
                    "%(visit)s is %(state)s: this cannot be done now.", visit=visit.display_name,
                    state=names[visit.state],
                ))

    # ------------------------------------------------------------------
    # The hosts: followers, with an activity on the visit's day
    # ------------------------------------------------------------------

    def _host_activities(self):
        activity_type = self.env.ref("sales_team_org.mail_activity_type_customer_visit")
        return self.activity_ids.filtered(lambda activity: activity.activity_type_id == activity_type)

    def _sync_hosts(self):
        """Each host of a planned visit follows it and has one activity, due on its day."""
        activity_type = self.env.ref("sales_team_org.mail_activity_type_customer_visit")
        for visit in self.filtered(lambda visit: visit.state == "planned"):
            visit.message_subscribe(partner_ids=visit.host_ids.partner_id.ids)
            day = visit._local_day()
            activities = visit._host_activities()
            gone = activities.filtered(lambda activity: activity.user_id not in visit.host_ids)
            kept = activities - gone
            gone.unlink()
            kept.filtered(lambda activity: activity.date_deadline != day).date_deadline = day
            for host in visit.host_ids - kept.user_id:
                visit.activity_schedule(
                    activity_type_id=activity_type.id, date_deadline=day, user_id=host.id,
                    summary=visit.with_context(lang=host.lang).env._(
                        "Receive the visitors of %(customer)s", customer=visit.partner_id.name),
                )

