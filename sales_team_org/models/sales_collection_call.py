from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, format_amount, format_date

from .sales_org_guard import MAIL_FIELDS, check_system_fields, trusted_fields

CHANNELS = [("phone", "Phone"), ("visit", "Visit"), ("wechat", "WeChat"), ("email", "Email")]
# what a caller may still correct on their own call; the rest is the record of what was said
AUTHOR_FIELDS = frozenset({"channel", "result"})
DEFAULT_REMINDER_HOUR = 9
BROKEN_PROMISE_ACTIVITY_TYPE = "sales_team_org.mail_activity_type_broken_promise"


class SalesCollectionCall(models.Model):
    """货款催收: a call (or visit, message) about an open customer invoice, with what the customer
    said and, when they promised to pay, the day and the amount. The latest promise is kept on
    the invoice; when its day passes without the promised amount paid since, the salesperson is
    reminded."""

    _name = "sales.collection.call"
    _inherit = ["sales.org.guarded.mixin", "sales.org.logged.mixin"]
    _description = "Collection Call"
    _order = "date desc, id desc"
    _check_company_auto = True
    _sales_org_system_fields = frozenset({"partner_id", "salesperson_id", "team_id", "company_id", "reminded",
                                          "promised_residual"})

    move_id = fields.Many2one(
        "account.move", string="Invoice", required=True, index=True, ondelete="cascade", check_company=True,
        domain="[('move_type', '=', 'out_invoice'), ('state', '=', 'posted'), ('amount_residual', '>', 0)]",
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", related="move_id.commercial_partner_id", store=True, index=True)
    salesperson_id = fields.Many2one(
        "res.users", string="Salesperson", related="move_id.invoice_user_id", store=True, index="btree_not_null")
    team_id = fields.Many2one(
        "crm.team", string="Unit", related="move_id.team_id", store=True, index="btree_not_null",
        help="The invoice's sales team.")
    company_id = fields.Many2one(related="move_id.company_id", store=True, index=True, precompute=True)
    currency_id = fields.Many2one(related="move_id.currency_id")
    amount_residual = fields.Monetary(related="move_id.amount_residual", string="Amount Due")
    invoice_date_due = fields.Date(related="move_id.invoice_date_due", string="Due Date")
    user_id = fields.Many2one(
        "res.users", string="Called By", required=True, index=True, default=lambda self: self.env.user,
        readonly=True, domain=[("share", "=", False)])
    date = fields.Date(
        required=True, index=True, default=lambda self: self.env.company._sales_org_today(),
        help="The day of the call, in the company's time zone.")
    channel = fields.Selection(CHANNELS, required=True, default="phone")
    result = fields.Text(string="What Was Said")
    promised_date = fields.Date(
        string="Promised Payment Date", index="btree_not_null",
        help="The day the customer promised to pay: if it passes without the promised amount paid since the "
        "promise, the salesperson is reminded.")
    promised_amount = fields.Monetary(
        help="What the customer promised to pay, in the invoice's currency; left empty with a date, the whole "
        "amount due.")
    promised_residual = fields.Monetary(
        string="Due When Promised", readonly=True, copy=False,
        help="What was due on the invoice when the payment was promised: the promise is kept once the amount due "
        "is down by the promised amount.")
    reminded = fields.Boolean(
        string="Broken Promise Reminded", readonly=True, copy=False,
        help="The salesperson was reminded that this promise passed unpaid.")

    @api.depends("move_id", "date")
    def _compute_display_name(self):
        for call in self:
            call.display_name = self.env._(
                "%(invoice)s, %(date)s", invoice=call.move_id.sudo().name or "",
                date=format_date(self.env, call.date))

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model
    def _defaults_from_daily_report_line(self, line):
        # the customer's invoice longest overdue, among those the caller reads
        invoice = self.env["account.move"].search([
            ("move_type", "=", "out_invoice"), ("state", "=", "posted"), ("amount_residual", ">", 0),
            ("commercial_partner_id", "=", line.partner_id.commercial_partner_id.id),
        ], order="invoice_date_due, id", limit=1)
        defaults = dict(super()._defaults_from_daily_report_line(line), default_move_id=invoice.id)
        del defaults["default_partner_id"]  # the invoice's, set by the server
        return defaults

    @api.model_create_multi
    def create(self, vals_list):
        check_system_fields(self, vals_list)
        for vals in vals_list:
            if vals.get("promised_date"):
                move = self.env["account.move"].sudo().browse(vals.get("move_id"))
                vals["promised_residual"] = move.amount_residual
                if not vals.get("promised_amount"):
                    vals["promised_amount"] = move.amount_residual
        with trusted_fields({"promised_residual"}):
            calls = super().create(vals_list)
        if not self.env.su:
            calls._check_caller()
        calls._check_promise()
        calls._apply_to_invoices()
        return calls

    def write(self, vals):
        if not self.env.su:
            check_system_fields(self, vals, set(self._fields) - AUTHOR_FIELDS - MAIL_FIELDS)
            if any(call.user_id != self.env.user for call in self):
                raise AccessError(self.env._("Only whoever made a collection call corrects what they wrote of it."))
        return super().write(vals)

    def copy_data(self, default=None):
        raise UserError(self.env._("A collection call is the record of a call made: log a new call instead of "
                                   "duplicating one."))

    @api.onchange("move_id")
    def _onchange_move_id(self):
        # the form shows the invoice's customer, amount due and due date (read with sudo): only to
        # who may log a call about it
        calls = self.filtered(lambda call: call.move_id and call.move_id != call._origin.move_id)
        if calls and not self.env.su:
            calls._check_caller()

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------

    def _check_caller(self):
        """Who may log a call about an invoice: its salesperson, the people of its unit or of a
        unit above it (the clerks who follow up its payment), the leaders above them and the
        sales administrator. Invoices are read with sudo: a leader reaches them through the
        board, where Odoo's rules on invoices would hide them."""
        user = self.env.user
        if user.has_group("sales_team.group_sale_manager"):
            return
        member_of = set(user.crm_team_ids.ids)
        scope_teams, scope_people = set(user.sales_org_team_ids.ids), set(user.sales_org_user_ids.ids)
        for call in self:
            move = call.move_id.sudo()
            units = {int(team_id) for team_id in (move.team_id.parent_path or "").split("/") if team_id}
            if (move.invoice_user_id == user or units & member_of or move.team_id.id in scope_teams
                    or move.invoice_user_id.id in scope_people - {False}):
                continue
            raise AccessError(self.env._(
                "%(user)s may not log a collection call about %(invoice)s: its salesperson, the people of its unit "
                "and their leaders follow up its payment.", user=user.name, invoice=move.name))

    @api.constrains("move_id", "date")
    def _check_move_and_date(self):
        for call in self:
            move = call.move_id.sudo()
            if move.move_type != "out_invoice" or move.state != "posted":
                raise ValidationError(self.env._(
                    "%(invoice)s is not a posted customer invoice: collection calls are about posted customer "
                    "invoices.", invoice=move.display_name))
            if call.date > call.company_id._sales_org_today():
                raise ValidationError(self.env._(
                    "%(date)s is a day still to come: log a collection call once it is made.",
                    date=format_date(self.env, call.date)))
            if move.invoice_date and call.date < move.invoice_date:
                raise ValidationError(self.env._(
                    "%(invoice)s was issued on %(invoice_date)s: a collection call about it is made on that day or "
                    "later, not on %(date)s.", invoice=move.name, invoice_date=format_date(self.env, move.invoice_date),
                    date=format_date(self.env, call.date)))

    def _check_promise(self):
        """At create only: a promise is for a day still to come and at most what is due."""
        for call in self:
            if not call.promised_date:
                if call.promised_amount:
                    raise ValidationError(self.env._("A promised amount goes with the day it is promised for."))
                continue
            move = call.move_id.sudo()
            if call.promised_date < call.company_id._sales_org_today():
                raise ValidationError(self.env._(
                    "%(date)s has passed: a payment is promised for today or a day to come.",
                    date=format_date(self.env, call.promised_date)))
            if move.currency_id.compare_amounts(move.amount_residual, 0) <= 0:
                raise ValidationError(self.env._(
                    "%(invoice)s is paid: there is nothing left to promise.", invoice=move.name))
            if move.currency_id.compare_amounts(call.promised_amount, 0) < 0 \
                    or move.currency_id.compare_amounts(call.promised_amount, move.amount_residual) > 0:
                raise ValidationError(self.env._(
                    "The promised amount %(amount)s is not between zero and what is due on %(invoice)s, "
                    "%(residual)s.",
                    amount=format_amount(self.env, call.promised_amount, move.currency_id), invoice=move.name,
                    residual=format_amount(self.env, move.amount_residual, move.currency_id)))

    # ------------------------------------------------------------------
    # The invoice
    # ------------------------------------------------------------------

    def _apply_to_invoices(self):
        """The invoice keeps the day of its latest call and its latest promise; its chatter tells
        the call."""
        for move, calls in self.grouped("move_id").items():
            move = move.sudo()
            values = {"sales_last_collection_date": max(calls.mapped("date") + [move.sales_last_collection_date
                                                                                 or calls[0].date])}
            promise = calls.filtered("promised_date")[-1:]
            if promise:
                values.update(sales_promised_payment_date=promise.promised_date,
                              sales_promised_amount=promise.promised_amount)
            move.write(values)
            channels = dict(self._fields["channel"]._description_selection(self.env))
            for call in calls:
                body = self.env._("Collection call (%(channel)s) by %(user)s: %(result)s",
                                  channel=channels[call.channel], user=call.user_id.name, result=call.result or "")
                if call.promised_date:
                    body = self.env._(
                        "%(call)s Promised to pay %(amount)s by %(date)s.", call=body,
                        amount=format_amount(self.env, call.promised_amount, move.currency_id),
                        date=format_date(self.env, call.promised_date))
                move.message_post(body=Markup("<p>%s</p>") % body, author_id=call.user_id.partner_id.id,
                                  message_type="comment", subtype_xmlid="mail.mt_note")
        # a new promise takes over from the one broken
        promised = self.filtered("promised_date").move_id
        if promised:
            self.env["mail.activity"].sudo().search([
                ("res_model", "=", "account.move"), ("res_id", "in", promised.ids),
                ("activity_type_id", "=", self.env.ref(BROKEN_PROMISE_ACTIVITY_TYPE).id),
            ]).action_feedback(feedback=self.env._("A new payment promise was made."))

    # ------------------------------------------------------------------
    # Broken promises
    # ------------------------------------------------------------------

    @api.model
    def _cron_remind_broken_promises(self):
        rhythm = self.env["sales.org.rhythm"]
        hour = rhythm._rhythm_hour("sales_team_org.collection_reminder_hour", DEFAULT_REMINDER_HOUR)
        due = [company.id for company, _day in rhythm._companies_due(hour)]
        return self._remind_broken_promises(due) if due else self.browse()

    @api.model
    def _remind_broken_promises(self, company_ids):
        """For each invoice of `company_ids` still open whose promised day has passed (the
        company's day) without the promised amount paid, one activity for its salesperson (else
        the nearest leader of its unit and the units above), once per promise: the promise's call
        is marked reminded. The activities of promises kept, renewed or of invoices no longer due
        are closed first. A constant number of queries."""
        self.env.flush_all()
        self._close_broken_promise_activities(company_ids)
        rows = self.env.execute_query(SQL(
            """
            SELECT latest.id, COALESCE(am.invoice_user_id, leader.user_id)
              FROM (SELECT DISTINCT ON (c.move_id) c.id, c.move_id, c.promised_date, c.promised_amount,
                           c.promised_residual, c.reminded
                      FROM sales_collection_call c
                     WHERE c.promised_date IS NOT NULL AND c.company_id IN %(companies)s
                     ORDER BY c.move_id, c.id DESC) latest
              JOIN account_move am ON am.id = latest.move_id
              JOIN (%(companies_tz)s) co ON co.id = am.company_id
         LEFT JOIN crm_team t ON t.id = am.team_id
         LEFT JOIN LATERAL (SELECT up.user_id
                              FROM crm_team up
                             WHERE up.user_id IS NOT NULL AND t.parent_path LIKE up.parent_path || %(below)s
                             ORDER BY length(up.parent_path) DESC
                             LIMIT 1) leader ON TRUE
             WHERE NOT COALESCE(latest.reminded, FALSE) AND latest.promised_date < co.today
               AND am.state = 'posted' AND am.amount_residual > 0
               AND am.amount_residual > COALESCE(latest.promised_residual - latest.promised_amount, 0)
               AND COALESCE(am.invoice_user_id, leader.user_id) IS NOT NULL
            """,
            companies=tuple(company_ids), companies_tz=self.env["res.company"]._sql_sales_org_tz(), below="%",
        ))
        if not rows:
            return self.browse()
        calls = self.sudo().browse([call_id for call_id, _user_id in rows])
        calls.write({"reminded": True})
        people = self.env["res.users"].sudo().browse({user_id for _call_id, user_id in rows})
        envs = {lang: self.with_context(lang=lang).env for lang in set(people.mapped("lang"))}
        activity_type = self.env.ref(BROKEN_PROMISE_ACTIVITY_TYPE)
        model_id = self.env["ir.model"]._get_id("account.move")
        user_of = dict(rows)
        activities = []
        for call in calls:
            person = people.browse(user_of[call.id])
            env = envs[person.lang]
            move = call.move_id
            activities.append({
                "res_model_id": model_id,
                "res_id": move.id,
                "activity_type_id": activity_type.id,
                "summary": env._("Payment promise broken"),
                "note": Markup("<p>%s</p>") % env._(
                    "%(customer)s promised to pay %(amount)s of %(invoice)s by %(date)s: it is still open.",
                    customer=move.commercial_partner_id.name, invoice=move.name,
                    amount=format_amount(env, call.promised_amount, move.currency_id),
                    date=format_date(env, call.promised_date)),
                "date_deadline": call.company_id._sales_org_today(),
                "user_id": person.id,
                "automated": True,
            })
        self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True).create(activities)
        return calls

    @api.model
    def _close_broken_promise_activities(self, company_ids):
        """Remove the broken-promise activities of the invoices of `company_ids` no longer due,
        whose latest promise was paid after all or was followed by a new promise: nothing is
        left to do on them (one query finds them, one removes them, however many)."""
        rows = self.env.execute_query(SQL(
            """
            SELECT a.id
              FROM mail_activity a
              JOIN account_move am ON am.id = a.res_id
         LEFT JOIN (SELECT DISTINCT ON (c.move_id) c.move_id, c.promised_amount, c.promised_residual, c.reminded
                      FROM sales_collection_call c
                     WHERE c.promised_date IS NOT NULL AND c.company_id IN %(companies)s
                     ORDER BY c.move_id, c.id DESC) latest ON latest.move_id = am.id
             WHERE a.res_model = 'account.move' AND a.activity_type_id = %(activity_type)s AND a.active
               AND am.company_id IN %(companies)s
               AND (am.state != 'posted' OR am.amount_residual <= 0 OR NOT COALESCE(latest.reminded, FALSE)
                    OR am.amount_residual <= latest.promised_residual - latest.promised_amount)
            """,
            companies=tuple(company_ids), activity_type=self.env.ref(BROKEN_PROMISE_ACTIVITY_TYPE).id,
        ))
        self.env["mail.activity"].sudo().browse([activity_id for (activity_id,) in rows]).unlink()
