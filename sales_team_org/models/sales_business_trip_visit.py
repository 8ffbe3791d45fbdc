from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .sales_org_guard import check_system_fields


class SalesBusinessTripVisit(models.Model):
    """A customer or lead a business trip visits: its purpose asked for, its result after."""

    _name = "sales.business.trip.visit"
    _inherit = ["sales.org.guarded.mixin"]
    _description = "Visit of a Business Trip"
    _order = "trip_id, visit_date, sequence, id"
    _check_company_auto = True
    # the trip's traveller and company follow the trip; the daily report line is the action's
    _sales_org_system_fields = frozenset({"user_id", "company_id", "report_line_id"})
    _after_trip_fields = frozenset({"result"})

    trip_id = fields.Many2one("sales.business.trip", string="Business Trip", required=True, ondelete="cascade",
                              index=True)
    sequence = fields.Integer(default=10)
    user_id = fields.Many2one(related="trip_id.user_id", store=True, index=True)
    company_id = fields.Many2one(related="trip_id.company_id", store=True, index=True)
    visit_date = fields.Date(
        string="Day", required=True, compute="_compute_visit_date", store=True, readonly=False, precompute=True,
    )
    lead_id = fields.Many2one("crm.lead", string="Lead/Opportunity", index="btree_not_null", check_company=True)
    partner_id = fields.Many2one(
        "res.partner", string="Customer", index="btree_not_null", check_company=True,
        compute="_compute_partner_id", store=True, readonly=False, precompute=True,
    )
    purpose = fields.Char(required=True, help="What the visit is for.")
    result = fields.Text(help="What came of the visit, written after it.")
    report_line_id = fields.Many2one(
        "sales.daily.report.line", string="Daily Report Line", readonly=True, copy=False, ondelete="set null",
        index="btree_not_null", help="The call line of the daily report this visit was added to.",
    )
    in_daily_report = fields.Boolean(compute="_compute_in_daily_report")

    @api.depends("trip_id.date_start")
    def _compute_visit_date(self):
        for visit in self:
            if not visit.visit_date:
                visit.visit_date = visit.trip_id.date_start

    @api.depends("lead_id")
    def _compute_partner_id(self):
        for visit in self:
            if visit.lead_id and not visit.partner_id:
                visit.partner_id = visit.lead_id.partner_id

    @api.depends("report_line_id")
    def _compute_in_daily_report(self):
        for visit in self:
            visit.in_daily_report = bool(visit.report_line_id)

    @api.depends("partner_id", "lead_id")
    def _compute_display_name(self):
        for visit in self:
            visit.display_name = visit.partner_id.display_name or visit.lead_id.display_name or visit.purpose

    @api.constrains("partner_id", "lead_id")
    def _check_partner_or_lead(self):
        if any(not (visit.partner_id or visit.lead_id) for visit in self):
            raise ValidationError(self.env._("A visit names the customer or the lead it is for."))

    @api.constrains("visit_date", "trip_id")
    def _check_visit_date(self):
        for visit in self:
            trip = visit.trip_id
            if trip.date_end < trip.date_start:
                continue  # the trip's own dates are wrong: its constraint says so
            if visit.visit_date and not trip.date_start <= visit.visit_date <= trip.date_end:
                raise ValidationError(self.env._(
                    "The visit to %(visit)s on %(date)s falls outside the trip (%(start)s to %(end)s).",
                    visit=visit.display_name, date=visit.visit_date, start=trip.date_start, end=trip.date_end,
                ))

    @api.model_create_multi
    def create(self, vals_list):
        trips = self.env["sales.business.trip"].browse({vals.get("trip_id") for vals in vals_list} - {None, False})
        # no new visit once approved: visits are asked for
        trips._check_lines_write({"trip_id"}, set())
        visits = super().create(vals_list)
        visits._check_references_readable()
        return visits

    def write(self, vals):
        check_system_fields(self, vals, {"trip_id"})
        self.trip_id._check_lines_write(set(vals), self._after_trip_fields)
        res = super().write(vals)
        if {"lead_id", "partner_id"} & vals.keys():
            self._check_references_readable()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_only_while_asked(self):
        self.trip_id._check_lines_write({"trip_id"}, set())

    def _check_references_readable(self):
        """A visit names only the leads and customers its traveller may read."""
        if not self.env.su:
            self.lead_id.check_access("read")
            self.partner_id.check_access("read")
