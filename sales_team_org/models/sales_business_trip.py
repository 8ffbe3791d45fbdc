from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from .sales_org_guard import check_author, check_filed_unit

DRAFT_STATES = ("draft", "returned")


class SalesBusinessTrip(models.Model):
    """出差申请: a trip asked for (reason, visits, plan, expected costs) and approved up the tree
    before it starts; after it, the actual costs and the result of each visit, which go to the
    traveller's daily reports in one action."""

    _name = "sales.business.trip"
    _inherit = ["sales.org.approval.mixin"]
    _description = "Business Trip Request"
    _order = "date_start desc, id desc"
    _check_company_auto = True
    _sales_org_author_fields = frozenset({
        "name", "team_id", "date_start", "date_end", "region_id", "cities", "plan", "visit_ids", "cost_ids",
    })
    _sales_org_create_fields = frozenset({"user_id", "company_id"})
    _sales_org_unit_field = "team_id"
    _approval_limit_kind = "trip_budget"
    # once approved, the traveller writes these through the lines, which check what is written
    _after_trip_fields = frozenset({"visit_ids", "cost_ids"})

    # Request
    name = fields.Char(string="Reason", required=True, help="Why the trip is needed.")
    user_id = fields.Many2one(
        "res.users", string="Traveller", required=True, index=True, default=lambda self: self.env.user,
        readonly=True, domain=[("share", "=", False)],
    )
    team_id = fields.Many2one(
        "crm.team", string="Unit", index=True, check_company=True, default=lambda self: self.env.user.sale_team_id,
    )
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    date_start = fields.Date(string="Leaves On", required=True, index=True)
    date_end = fields.Date(string="Returns On", required=True)
    day_count = fields.Integer(string="Days", compute="_compute_day_count")
    region_id = fields.Many2one("sales.org.region", string="Destination Region", index="btree_not_null")
    cities = fields.Char(help="The cities visited, e.g. 苏州、杭州.")
    plan = fields.Html(help="The programme of the trip, day by day.")
    visit_ids = fields.One2many("sales.business.trip.visit", "trip_id", string="Visits", copy=True)
    cost_ids = fields.One2many(
        "sales.business.trip.cost", "trip_id", string="Costs", copy=True,
        default=lambda self: self._default_cost_ids(),
    )
    # Money, in the company's currency
    budget = fields.Monetary(
        compute="_compute_amounts", store=True, help="The sum of the expected costs: what the approvers grant.",
    )
    actual_amount = fields.Monetary(string="Actual Costs", compute="_compute_amounts", store=True)
    difference = fields.Monetary(
        compute="_compute_amounts", store=True, help="Actual costs less the budget: above zero, over budget.",
    )
    # Flagged once to the traveller and the approver when it reaches its start unapproved
    late_approval_flagged = fields.Boolean(string="Flagged Unapproved at Start", readonly=True, copy=False)

    @api.model
    def _default_cost_ids(self):
        return [Command.create({"cost_type": cost_type, "sequence": sequence})
                for sequence, (cost_type, _label) in enumerate(
                    self.env["sales.business.trip.cost"]._fields["cost_type"].selection)]

    @api.depends("date_start", "date_end")
    def _compute_day_count(self):
        for trip in self:
            trip.day_count = (trip.date_end - trip.date_start).days + 1 if trip.date_start and trip.date_end else 0

    @api.depends("cost_ids.expected_amount", "cost_ids.actual_amount")
    def _compute_amounts(self):
        for trip in self:
            trip.budget = sum(trip.cost_ids.mapped("expected_amount"))
            trip.actual_amount = sum(trip.cost_ids.mapped("actual_amount"))
            trip.difference = trip.actual_amount - trip.budget

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for trip in self:
            if trip.date_start and trip.date_end and trip.date_end < trip.date_start:
                raise ValidationError(self.env._(
                    "A trip returns after it leaves: %(end)s is before %(start)s.",
                    end=trip.date_end, start=trip.date_start,
                ))
        self.visit_ids._check_visit_date()

    @api.constrains("team_id", "user_id")
    def _check_team_id(self):
        check_filed_unit(self, lambda trip: self.env._(
            "%(unit)s is not a unit of %(person)s: a trip is asked for in one of the traveller's units.",
            unit=trip.team_id.name, person=trip.user_id.name,
        ))

    # ------------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------------

    def write(self, vals):
        if (not self.env.su and self and vals and set(vals) <= self._after_trip_fields
                and all(trip.state == "approved" for trip in self)):
            return self._write_after_trip(vals)
        res = super().write(vals)
        if "date_start" in vals:
            # new dates: a new start to be flagged at, should it come unapproved again
            self.filtered("late_approval_flagged").sudo().write({"late_approval_flagged": False})
        return res

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_add_visits_to_daily_report(self):
        """Each visit with a result, not added yet, becomes a visit line of its day's daily report
        of the traveller (the report is created when the day has none): all or nothing."""
        self._check_traveller()
        if any(trip.state != "approved" for trip in self):
            raise UserError(self.env._("The visits of a trip go to the daily report once the trip is approved."))
        visits = self.visit_ids.filtered(lambda visit: visit.result and not visit.report_line_id)
        if not visits:
            raise UserError(self.env._(
                "No visit is waiting to be added: write the result of a visit first (each is added once)."
            ))
        for visit in visits:
            if visit.visit_date > visit.company_id._sales_org_today():
                raise UserError(self.env._(
                    "The visit to %(customer)s is on %(date)s, a day still to come: add it on that day.",
                    customer=visit.display_name, date=visit.visit_date,
                ))
        Report = self.env["sales.daily.report"]
        reports = {(report.user_id, report.date): report for report in Report.search([
            ("user_id", "in", visits.user_id.ids), ("date", "in", list(set(visits.mapped("visit_date")))),
        ])}
        for report in reports.values():
            if report.state not in DRAFT_STATES:
                raise UserError(self.env._(
                    "The daily report of %(date)s is %(state)s: the visits of that day can no longer be added to it.",
                    date=report.date,
                    state=dict(report._fields["state"]._description_selection(self.env))[report.state],
                ))
        days = {(visit.user_id, visit.visit_date): visit.company_id for visit in visits}
        missing = [(key, company) for key, company in days.items() if key not in reports]
        if missing:
            # the traveller's own reports, as from the daily reports' menu (the superuser names them)
            created = Report.create([{"user_id": user.id, "date": day, "company_id": company.id}
                                     for (user, day), company in missing])
            reports.update({(report.user_id, report.date): report for report in created})
        lines = self.env["sales.daily.report.line"].create([{
            "report_id": reports[visit.user_id, visit.visit_date].id,
            "lead_id": visit.lead_id.id,
            "partner_id": visit.partner_id.id,
            "channel": "visit",
            "subject": visit.purpose,
            "result": visit.result,
        } for visit in visits])
        for visit, line in zip(visits, lines):
            visit.sudo().report_line_id = line
        added = lines.report_id
        added._fill_figures()  # the reports' day counts these visits now
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Daily Reports"),
            "res_model": "sales.daily.report",
            "views": [(False, "form")] if len(added) == 1 else [(False, "list"), (False, "form")],
            "res_id": added.id if len(added) == 1 else False,
            "domain": [("id", "in", added.ids)],
            "target": "current",
        }

    # ------------------------------------------------------------------
    # Approval engine hooks
    # ------------------------------------------------------------------

    def _approval_amount(self):
        return {trip.id: trip.budget for trip in self}

    def _approval_check_submit(self):
        for trip in self:
            if not trip.visit_ids:
                raise UserError(self.env._(
                    "List the customers or leads %(trip)s visits before submitting it.", trip=trip.display_name,
                ))
            today = trip.company_id._sales_org_today()
            if trip.date_start < today:
                raise UserError(self.env._(
                    "%(trip)s leaves on %(date)s, a day already past: a trip is approved before it starts; "
                    "change its dates.", trip=trip.display_name, date=trip.date_start,
                ))

    def _on_approved(self):
        self._clear_late_approval_flags()

    def _on_refused(self):
        self._clear_late_approval_flags()

    def _on_returned(self):
        self._clear_late_approval_flags()

    def action_cancel(self):
        super().action_cancel()
        self.sudo()._clear_late_approval_flags()
        return True

    # ------------------------------------------------------------------
    # Business
    # ------------------------------------------------------------------

    def _check_traveller(self):
        check_author(self, lambda trip: self.env._(
            "%(trip)s is %(person)s's to write; others read and approve it.",
            trip=trip.display_name, person=trip.user_id.name,
        ))

    def _check_lines_write(self, fnames, after_trip_fnames):
        """The traveller writes the lines (visits, costs) of their own trips: any of them while
        the trip is theirs (draft, returned); once approved, only `after_trip_fnames`."""
        if self.env.su:
            return
        self._check_traveller()
        for trip in self:
            if trip.state in DRAFT_STATES:
                continue
            if trip.state == "approved" and fnames <= after_trip_fnames:
                continue
            if trip.state == "approved":
                raise UserError(self.env._(
                    "%(trip)s is approved: only the actual costs and the results of the visits are written now.",
                    trip=trip.display_name,
                ))
            raise UserError(self.env._(
                "%(trip)s is %(state)s: it can no longer be changed.", trip=trip.display_name,
                state=dict(self._fields["state"]._description_selection(self.env))[trip.state],
            ))

    def _write_after_trip(self, vals):
        """Visits and costs of approved trips, as the form sends them: each line checks what is
        written on it (results, actual costs); none is removed or moved."""
        self._check_traveller()
        for fname, commands in vals.items():
            Line = self.env[self._fields[fname].comodel_name]
            for command in commands:
                if command[0] == Command.UPDATE and Line.browse(command[1]).trip_id <= self:
                    Line.browse(command[1]).write(command[2])
                elif command[0] == Command.CREATE and len(self) == 1:
                    Line.create(dict(command[2], trip_id=self.id))
                elif command[0] == Command.LINK and Line.browse(command[1]).trip_id <= self:
                    continue
                else:
                    raise UserError(self.env._(
                        "Once a trip is approved, its visits and costs stay: write the actual costs and the "
                        "results of the visits."
                    ))
        return True

    def _clear_late_approval_flags(self):
        self.activity_unlink(["sales_team_org.mail_activity_type_trip_unapproved"])

    @api.model
    def _cron_flag_unapproved_trips(self):
        """Requests still waiting for approval on or after their start date (the company's day):
        an activity for the traveller and one for the approver, once; a constant number of
        queries whatever the number of requests."""
        self.env.flush_all()
        trip_ids = [trip_id for trip_id, in self.env.execute_query(SQL(
            """
            SELECT t.id
              FROM sales_business_trip t
              JOIN (%(companies)s) c ON c.id = t.company_id
             WHERE t.state = 'submitted' AND t.date_start <= c.today AND NOT COALESCE(t.late_approval_flagged, FALSE)
            """,
            companies=self.env["res.company"]._sql_sales_org_tz(),
        ))]
        trips = self.sudo().browse(trip_ids)
        if not trips:
            return trips
        trips.write({"late_approval_flagged": True})
        activity_type = self.env.ref("sales_team_org.mail_activity_type_trip_unapproved")
        # the people's languages in one read, not one per request
        lang_of = {person.id: person.lang for person in trips.user_id | trips.approver_id}
        todo = [(trip, person_id) for trip in trips for person_id in {trip.user_id.id, trip.approver_id.id} - {False}]
        envs = {lang: self.with_context(lang=lang).env for lang in set(lang_of.values())}
        model_id = self.env["ir.model"]._get_id(self._name)
        # the traveller and the approver follow the request already (as its author, as the
        # approver of its pending step): no subscription one person at a time
        self.env["mail.activity"].sudo().with_context(
            mail_activity_quick_update=True, sales_trip_no_subscribe=True,
        ).create([{
            "res_model_id": model_id,
            "res_id": trip.id,
            "activity_type_id": activity_type.id,
            "summary": envs[lang_of[person_id]]._(
                "%(trip)s starts on %(date)s and is not approved yet", trip=trip.name, date=trip.date_start,
            ),
            "date_deadline": trip.date_start,
            "user_id": person_id,
            "automated": True,
        } for trip, person_id in todo])
        return trips

    def message_subscribe(self, partner_ids=None, subtype_ids=None):
        if self.env.context.get("sales_trip_no_subscribe"):
            return True
        return super().message_subscribe(partner_ids=partner_ids, subtype_ids=subtype_ids)
