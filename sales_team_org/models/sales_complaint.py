from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_amount, format_date

from .sales_org_guard import MAIL_FIELDS, check_author, check_filed_unit

SEVERITIES = [("low", "Low"), ("medium", "Medium"), ("high", "High"), ("critical", "Critical")]
SATISFACTION = [
    ("1", "Very Dissatisfied"), ("2", "Dissatisfied"), ("3", "Neutral"), ("4", "Satisfied"), ("5", "Very Satisfied"),
]
# what the reporter writes while a draft; set once, when it is logged; what the service unit writes
REPORTER_FIELDS = frozenset({
    "partner_id", "contact_name", "team_id", "date", "category_id", "severity", "order_id", "invoice_id",
    "claim_amount", "description",
})
CREATE_FIELDS = frozenset({"user_id", "company_id", "daily_report_line_id"})
SERVICE_FIELDS = frozenset({"root_cause", "resolution", "satisfaction", "action_ids"})
WORKING_STATES = ("open", "in_progress")


class SalesComplaint(models.Model):
    """客户投诉与索赔: a customer's complaint or claim, logged by whoever heard it (often from a
    call of their daily report), routed up the unit tree to the nearest customer service unit,
    which finds its cause, takes corrective and preventive actions and closes it with the
    customer's satisfaction."""

    _name = "sales.complaint"
    _inherit = ["mail.thread", "mail.activity.mixin", "sales.org.guarded.mixin", "sales.org.logged.mixin"]
    _description = "Customer Complaint"
    _order = "date desc, id desc"
    _check_company_auto = True
    _sales_org_system_fields = frozenset({
        "name", "state", "service_team_id", "responsible_id", "region_id", "close_date",
    }) | MAIL_FIELDS

    name = fields.Char(string="Reference", readonly=True, copy=False, index="trigram")
    # What the reporter logs
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, tracking=True, check_company=True,
    )
    contact_name = fields.Char(string="Contact Person")
    user_id = fields.Many2one(
        "res.users", string="Reported By", required=True, index=True, readonly=True, copy=False,
        default=lambda self: self.env.user, domain=[("share", "=", False)],
    )
    team_id = fields.Many2one(
        "crm.team", string="Unit", index="btree_not_null", check_company=True, copy=False,
        default=lambda self: self.env.user.sale_team_id, help="The reporter's unit, where the complaint comes from.",
    )
    region_id = fields.Many2one(related="team_id.region_id", store=True, index="btree_not_null", string="Region")
    company_id = fields.Many2one(
        "res.company", required=True, index=True, readonly=True, default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(
        required=True, index=True, default=lambda self: self.env.company._sales_org_today(),
        help="The day the customer complained.",
    )
    category_id = fields.Many2one(
        "sales.complaint.category", index="btree_not_null", check_company=True,
        ondelete="restrict",
    )
    severity = fields.Selection(SEVERITIES, required=True, default="medium", tracking=True)
    order_id = fields.Many2one(
        "sale.order", string="Sales Order", index="btree_not_null", check_company=True,
        domain="[('partner_id', 'child_of', partner_id)]",
    )
    invoice_id = fields.Many2one(
        "account.move", index="btree_not_null", check_company=True,
        domain="[('move_type', '=', 'out_invoice'), ('partner_id', 'child_of', partner_id)]",
    )
    claim_amount = fields.Monetary(
        string="Amount Claimed", tracking=True, help="What the customer asks for, in the company's currency.",
    )
    description = fields.Html(help="What the customer complains about, in their words.")
    # Routed by the tree, worked by the service unit
    service_team_id = fields.Many2one(
        "crm.team", string="Service Unit", index="btree_not_null", readonly=True, tracking=True, copy=False,
        help="The customer service unit nearest the reporter's unit up the tree, which handles the complaint.",
    )
    responsible_id = fields.Many2one(
        "res.users", index="btree_not_null", readonly=True, tracking=True, copy=False,
        help="The leader of the service unit.",
    )
    state = fields.Selection(
        [("draft", "Draft"), ("open", "Open"), ("in_progress", "In Progress"), ("closed", "Closed"),
         ("cancelled", "Cancelled")],
        string="Status", required=True, default="draft", readonly=True, index=True, tracking=True, copy=False,
    )
    root_cause = fields.Text(copy=False, help="Why it happened, as the customer service unit found it.")
    resolution = fields.Text(copy=False, help="How the complaint was settled with the customer.")
    satisfaction = fields.Selection(
        SATISFACTION, string="Customer Satisfaction", copy=False,
        help="How satisfied the customer was with the resolution.",
    )
    close_date = fields.Date(string="Closed On", readonly=True, copy=False)
    action_ids = fields.One2many("sales.complaint.action", "complaint_id", string="Actions")
    action_count = fields.Integer(compute="_compute_action_count")
    open_action_count = fields.Integer(compute="_compute_action_count")
    is_reporter = fields.Boolean(compute="_compute_rights")
    can_work = fields.Boolean(compute="_compute_rights")
    can_lead = fields.Boolean(compute="_compute_rights")
    in_my_units = fields.Boolean(
        compute="_compute_in_my_units", search="_search_in_my_units",
        help="From a unit I lead or below, or routed to a service unit I belong to or lead.",
    )

    @api.depends("action_ids.state")
    def _compute_action_count(self):
        for complaint in self:
            complaint.action_count = len(complaint.action_ids)
            complaint.open_action_count = len(complaint.action_ids.filtered(lambda action: action.state == "open"))

    @api.depends("user_id", "service_team_id")
    @api.depends_context("uid")
    def _compute_rights(self):
        user = self.env.user
        workers = self._worked_by(user)
        leaders = self._led_by(user)
        for complaint in self:
            complaint.is_reporter = complaint.user_id == user
            complaint.can_work = complaint in workers
            complaint.can_lead = complaint in leaders

    def _my_units_domain(self):
        user = self.env.user.sudo()
        scope = user.sales_org_team_ids.ids
        return ["|", "|", ("team_id", "in", scope), ("service_team_id", "in", scope),
                ("service_team_id", "in", user.crm_team_ids.ids)]

    @api.depends_context("uid")
    def _compute_in_my_units(self):
        mine = self.filtered_domain(self._my_units_domain())
        for complaint in self:
            complaint.in_my_units = complaint in mine

    def _search_in_my_units(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("In My Units is searched as true or false."))
        domain = self._my_units_domain()
        return domain if (operator == "=") == value else ["!", *domain]

    @api.onchange("partner_id")
    def _onchange_partner_id(self):
        partner = self.partner_id.commercial_partner_id
        if self.order_id and self.order_id.partner_id.commercial_partner_id != partner:
            self.order_id = False
        if self.invoice_id and self.invoice_id.partner_id.commercial_partner_id != partner:
            self.invoice_id = False

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------

    @api.constrains("claim_amount")
    def _check_claim_amount(self):
        for complaint in self:
            if complaint.claim_amount < 0:
                raise ValidationError(self.env._(
                    "A claim is what the customer asks for: %(amount)s is below zero.",
                    amount=format_amount(self.env, complaint.claim_amount, complaint.currency_id),
                ))

    @api.constrains("date", "company_id")
    def _check_date(self):
        for complaint in self:
            if complaint.date > complaint.company_id._sales_org_today():
                raise ValidationError(self.env._(
                    "%(date)s is a day still to come: a complaint is logged on or after the day the customer made it.",
                    date=format_date(self.env, complaint.date),
                ))

    @api.constrains("partner_id", "order_id", "invoice_id")
    def _check_order_invoice(self):
        for complaint in self.sudo():
            customer = complaint.partner_id.commercial_partner_id
            if complaint.order_id and complaint.order_id.partner_id.commercial_partner_id != customer:
                raise ValidationError(self.env._(
                    "%(order)s is not an order of %(customer)s.", order=complaint.order_id.name, customer=customer.name,
                ))
            invoice = complaint.invoice_id
            if invoice and (invoice.move_type != "out_invoice" or invoice.commercial_partner_id != customer):
                raise ValidationError(self.env._(
                    "%(invoice)s is not a customer invoice of %(customer)s.",
                    invoice=invoice.display_name, customer=customer.name,
                ))

    def _check_team(self):
        """The reporter files a complaint under one of their units or a unit they lead."""
        check_filed_unit(self, lambda complaint: self.env._(
            "%(unit)s is not a unit of %(person)s: a complaint is filed under one of the reporter's units.",
            unit=complaint.team_id.name, person=complaint.user_id.sudo().name,
        ), led=True)

    @api.model
    def _defaults_from_daily_report_line(self, line):
        # the customer's last confirmed order of the call's opportunity: the one complained about, likely
        # the call's opportunity may be someone else's: only the orders the user reads are proposed
        customer = line.partner_id.commercial_partner_id
        orders = line.sudo().lead_id.order_ids.filtered(
            lambda order: order.state == "sale" and order.partner_id.commercial_partner_id == customer,
        ).with_env(self.env)._filtered_access("read")
        return dict(
            super()._defaults_from_daily_report_line(line),
            default_contact_name=line.contact_name or False,
            default_order_id=orders.sorted("date_order")[-1:].id,
            default_team_id=line.report_id.team_id.id or self.env.user.sale_team_id.id,
            default_date=line.date,
        )

    # ------------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            for vals in vals_list:
                written = {fname for fname, value in vals.items() if value} & SERVICE_FIELDS
                if written:
                    raise AccessError(self.env._(
                        "%(fields)s are written by the customer service unit once the complaint is submitted.",
                        fields=self._field_labels(written),
                    ))
            self._check_documents_readable(vals_list)
        complaints = super().create(vals_list)
        for complaint in complaints.sudo():
            complaint.name = self.env["ir.sequence"].with_company(complaint.company_id).next_by_code(
                "sales.complaint", sequence_date=complaint.date) or "/"
        if not self.env.su:
            complaints._check_team()
            complaints.partner_id.check_access("read")
        return complaints

    def write(self, vals):
        if not self.env.su:
            self._check_user_write(set(vals) - self._sales_org_system_fields)
            self._check_documents_readable([vals])
        res = super().write(vals)
        if not self.env.su and "team_id" in vals:
            self._check_team()
        return res

    @api.model
    def _check_documents_readable(self, vals_list):
        """The order and the invoice a complaint names are ones its writer reads: the complaint
        shows their names to whoever reads it."""
        for fname, model in (("order_id", "sale.order"), ("invoice_id", "account.move")):
            records = self.env[model].browse({vals[fname] for vals in vals_list if vals.get(fname)})
            if records:
                records.check_access("read")

    @api.ondelete(at_uninstall=False)
    def _unlink_only_own_drafts(self):
        if any(complaint.state != "draft" for complaint in self):
            raise UserError(self.env._("A submitted complaint is cancelled, not deleted."))
        if not self.env.su and any(complaint.user_id != self.env.user for complaint in self):
            raise AccessError(self.env._("Only its reporter deletes a draft complaint."))

    def _check_user_write(self, fnames):
        env = self.env
        once = fnames & CREATE_FIELDS
        if once:
            raise AccessError(env._("%(fields)s of a complaint are set when it is logged.",
                                    fields=self._field_labels(once)))
        other = fnames - REPORTER_FIELDS - SERVICE_FIELDS
        if other:
            raise AccessError(env._("%(fields)s of a complaint are set by its workflow, not by hand.",
                                    fields=self._field_labels(other)))
        if fnames & REPORTER_FIELDS:
            check_author(self, lambda complaint: env._(
                "What %(complaint)s says is written by its reporter, %(person)s.",
                complaint=complaint.name, person=complaint.user_id.name))
            for complaint in self:
                if complaint.state != "draft":
                    raise UserError(env._(
                        "%(complaint)s is submitted: what the customer said stays as logged; the customer "
                        "service unit adds the cause and the resolution.", complaint=complaint.name))
        if fnames & SERVICE_FIELDS:
            if any(complaint.state not in WORKING_STATES for complaint in self):
                raise UserError(env._(
                    "The cause, the resolution and the actions are written while the complaint is open or in "
                    "progress: reopen a closed complaint first."))
            refused = self - self._worked_by(env.user)
            if refused:
                raise AccessError(env._(
                    "%(complaint)s is handled by %(unit)s: its people and the leaders above write its cause and "
                    "resolution.", complaint=refused[0].name, unit=refused[0].sudo().service_team_id.name or ""))

    def _field_labels(self, fnames):
        return ", ".join(sorted(self._fields[fname]._description_string(self.env) for fname in fnames))

    # ------------------------------------------------------------------
    # Routing and rights
    # ------------------------------------------------------------------

    def _route(self):
        """Send each complaint to the service unit and leader of its reporter's unit (see
        `_routes`); returns those whose route changed."""
        complaints = self.sudo()
        routes = self._routes({(complaint.team_id, complaint.company_id) for complaint in complaints})
        moved = defaultdict(list)
        for complaint in complaints:
            route = routes[complaint.team_id, complaint.company_id]
            if (complaint.service_team_id, complaint.responsible_id) != route:
                moved[route].append(complaint.id)
        for (unit, leader), ids in moved.items():
            complaints.browse(ids).write({"service_team_id": unit.id, "responsible_id": leader.id})
        return complaints.browse([cid for ids in moved.values() for cid in ids])

    @api.model
    def _routes(self, keys):
        """{(unit, company): (service unit, leader)} for `keys`, the reporters' units and
        companies: the nearest service unit up the tree from the unit (the unit itself, else a
        service unit among the children of each of its ancestors, nearest first), else the
        unit itself; without a unit, the company's service unit highest in the tree. Its leader
        (or the nearest leader above) is responsible. Worked out once per unit, not per
        complaint: a few queries whatever their number."""
        Team = self.env["crm.team"].sudo()
        paths = {team: [int(tid) for tid in (team.parent_path or "").split("/") if tid] for team, _company in keys}
        ancestor_ids = list({tid for path in paths.values() for tid in path})
        services = Team.search([
            ("unit_type", "=", "service"), "|", ("id", "in", ancestor_ids), ("parent_id", "in", ancestor_ids),
        ], order="sequence, id") if ancestor_ids else Team
        fallback = {company: Team.search([
            ("unit_type", "=", "service"), ("company_id", "in", (company.id, False))], order="parent_path", limit=1)
            for company in {company for team, company in keys if not team}}
        routes = {}
        for team, company in keys:
            unit = team or fallback[company]
            for ancestor_id in reversed(paths[team]):
                found = services.filtered(lambda service, a=ancestor_id, c=company: (
                    service.id == a or service.parent_id.id == a) and service.company_id in (c, c.browse()))
                if found:
                    unit = found.filtered(lambda service, a=ancestor_id: service.id == a)[:1] or found[:1]
                    break
            leader = unit.user_id
            if not leader and unit.parent_path:
                above = Team.browse([int(tid) for tid in unit.parent_path.split("/") if tid])
                leader = next((above_team.user_id for above_team in reversed(above) if above_team.user_id), leader)
            routes[team, company] = (unit, leader)
        return routes

    @api.model
    def _refresh_routing(self):
        """The tree changed: the complaints being handled go to the service unit and leader
        they would go to now, the "Handle complaint" activity with them. One grouped read of
        them, their routes once per unit, one write per new route."""
        Complaint = self.sudo()
        groups = Complaint._read_group(
            [("state", "in", WORKING_STATES)], ["team_id", "company_id", "service_team_id", "responsible_id"],
            ["id:array_agg"])
        if not groups:
            return
        routes = self._routes({(team, company) for team, company, *_rest in groups})
        moved = defaultdict(list)
        for team, company, unit, leader, ids in groups:
            route = routes[team, company]
            if (unit, leader) != route:
                moved[route] += ids
        if not moved:
            return
        activities = Complaint.browse([cid for ids in moved.values() for cid in ids])._handling_activities()
        for (unit, leader), ids in moved.items():
            Complaint.browse(ids).write({"service_team_id": unit.id, "responsible_id": leader.id})
            theirs = activities.filtered(lambda activity, ids=set(ids): activity.res_id in ids)
            if leader:
                theirs.with_context(mail_activity_quick_update=True).write({"user_id": leader.id})
            else:
                theirs.unlink()  # nobody leads it now: no to-do left with one who may not open it
        Complaint.browse([cid for ids in moved.values() for cid in ids])._schedule_handling()

    def _worked_by(self, user):
        """The complaints `user` works on: as a member of their service unit, its leader or a
        leader above it, or the sales administrator."""
        if user.has_group("sales_team.group_sale_manager"):
            return self
        teams = self.env["crm.team.member"]._units_of(user.ids, led=True).get(user.id, set())
        return self.filtered(lambda complaint: complaint.sudo().service_team_id.id in teams)

    def _led_by(self, user):
        """The complaints `user` decides on (cancel, reopen): the service unit's leader, a leader
        above it, or the sales administrator."""
        if user.has_group("sales_team.group_sale_manager"):
            return self
        teams = set(user.sudo().sales_org_team_ids.ids)
        return self.filtered(lambda complaint: complaint.sudo().service_team_id.id in teams)

    def _check_worker(self):
        if self.env.su:
            return
        refused = self - self._worked_by(self.env.user)
        if refused:
            raise AccessError(self.env._(
                "%(complaint)s is handled by %(unit)s: its people and the leaders above work on it.",
                complaint=refused[0].name, unit=refused[0].sudo().service_team_id.name or ""))

    def _check_leader(self):
        if self.env.su:
            return
        refused = self - self._led_by(self.env.user)
        if refused:
            raise AccessError(self.env._(
                "%(complaint)s is decided by the leader of %(unit)s or a leader above.",
                complaint=refused[0].name, unit=refused[0].sudo().service_team_id.name or ""))

    def _check_states(self, states):
        labels = dict(self._fields["state"]._description_selection(self.env))
        for complaint in self:
            if complaint.state not in states:
                raise UserError(self.env._(
                    "%(complaint)s is %(state)s: this step is not for it now.",
                    complaint=complaint.name, state=labels[complaint.state]))

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_submit(self):
        """The reporter hands the complaint to the customer service unit found up the tree."""
        self._check_states(("draft",))
        if not self.env.su and any(complaint.user_id != self.env.user for complaint in self):
            raise AccessError(self.env._("Only its reporter submits a complaint."))
        for complaint in self:
            if not complaint.category_id:
                raise UserError(self.env._("Choose what %(complaint)s is about (its category) before submitting it.",
                                           complaint=complaint.name))
        self._check_date()
        self._route()
        complaints = self.sudo()
        if complaints.filtered(lambda complaint: not complaint.responsible_id):
            raise UserError(self.env._(
                "No customer service unit or leader was found above %(unit)s: ask the sales administrator to "
                "set one in the unit tree.", unit=complaints.team_id[:1].name or ""))
        complaints.write({"state": "open"})
        complaints._schedule_handling()
        return True

    def action_start(self):
        """The service unit starts working on it."""
        self._check_states(("open",))
        self._check_worker()
        self.sudo().write({"state": "in_progress"})
        return True

    def action_close(self):
        """Closed once the service unit has settled it and knows how satisfied the customer is."""
        self._check_states(WORKING_STATES)
        self._check_worker()
        for complaint in self:
            missing = [label for fname, label in (
                ("resolution", self.env._("the resolution")), ("satisfaction", self.env._("the customer's satisfaction")),
            ) if not complaint[fname]]
            if missing:
                raise UserError(self.env._(
                    "%(complaint)s is closed with %(missing)s: fill them in first.",
                    complaint=complaint.name, missing=self.env._(" and ").join(missing)))
        for company, complaints in self.sudo().grouped("company_id").items():
            complaints.write({"state": "closed", "close_date": company._sales_org_today()})
        self._handling_activities().action_feedback(feedback=self.env._("Complaint closed."))
        return True

    def action_cancel(self):
        """Dropped: by its reporter while nobody works on it yet, or by the service unit's leader
        once submitted."""
        self._check_states(("draft", "open", "in_progress"))
        if not self.env.su:
            own = self.filtered(lambda complaint: complaint.user_id == self.env.user and complaint.state != "in_progress")
            if (self - own).filtered(lambda complaint: complaint.state == "draft"):
                raise AccessError(self.env._("A draft complaint is its reporter's: only they cancel it."))
            (self - own)._check_leader()
        complaints = self.sudo()
        complaints.write({"state": "cancelled"})
        complaints.action_ids.filtered(lambda action: action.state == "open")._close("cancelled")
        self._handling_activities().unlink()
        return True

    def action_reopen(self):
        """The service unit's leader takes a closed complaint up again."""
        self._check_states(("closed",))
        self._check_leader()
        complaints = self.sudo()
        complaints.write({"state": "in_progress", "close_date": False})
        complaints._schedule_handling()
        return True

    def action_view_actions(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id("sales_team_org.sales_complaint_action_action")
        action["domain"] = [("complaint_id", "=", self.id)]
        action["context"] = {"default_complaint_id": self.id}
        return action

    # ------------------------------------------------------------------
    # Activities
    # ------------------------------------------------------------------

    def _handling_activities(self):
        activity_type = self.env.ref("sales_team_org.mail_activity_type_complaint")
        return self.sudo().activity_ids.filtered(lambda activity: activity.activity_type_id == activity_type)

    def _schedule_handling(self):
        """The responsible leader gets one "Handle complaint" activity per complaint, in their
        language, all created in one batch (their activities list them: no mail each)."""
        complaints = self.sudo()
        handled = set(complaints._handling_activities().mapped("res_id"))
        complaints = complaints.filtered(lambda complaint: complaint.id not in handled and complaint.responsible_id)
        if not complaints:
            return
        activity_type = self.env.ref("sales_team_org.mail_activity_type_complaint")
        envs = {lang: self.with_context(lang=lang).env for lang in set(complaints.responsible_id.mapped("lang"))}
        today = {company: company._sales_org_today() for company in complaints.company_id}
        self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True).create([{
            "res_model_id": self.env["ir.model"]._get_id(self._name),
            "res_id": complaint.id,
            "activity_type_id": activity_type.id,
            "summary": envs[complaint.responsible_id.lang]._("Handle complaint %(complaint)s", complaint=complaint.name),
            "note": Markup("<p>%s</p>") % envs[complaint.responsible_id.lang]._(
                "%(customer)s, reported by %(person)s.", customer=complaint.partner_id.name,
                person=complaint.user_id.name),
            "date_deadline": today[complaint.company_id],
            "user_id": complaint.responsible_id.id,
            "automated": True,
        } for complaint in complaints])

    def _sales_org_activity_done(self, activities):
        """An action's activity marked done in the chatter closes the action, when who marked it
        may close the action."""
        actions = self.action_ids.filtered(lambda action: action.state == "open" and action.activity_id in activities)
        if actions:
            actions.sudo(False)._check_closer()
            actions._close("done")
