from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

STATES = [("draft", "Draft"), ("confirmed", "Confirmed"), ("paid", "Paid")]
LOCK_KEY = 160016  # first key of the add-on's advisory lock of a company's commission runs
# the target metric that measures achievement for a rule's base
NO_MONTH = date(1900, 1, 1)  # matches no month: an empty array of dates would need a cast
BASE_METRIC = {"confirmed": "order_amount", "invoiced": "invoiced_amount", "paid": "invoiced_amount"}


class SalesCommissionSettlement(models.Model):
    """A person's commissions and bonuses of one company-local month: draft while the month is
    computed (and computed again, always to the same lines), confirmed by the sales
    administrator, then paid. Once confirmed nothing in it changes: what changes later
    (an order, a credit note, a cancellation, a corrected rule, a dispute) becomes an
    adjustment line of the next open month pointing to the original line."""

    _name = "sales.commission.settlement"
    _inherit = ["mail.thread"]
    _description = "Commission Settlement"
    _order = "date_from desc, user_id, id"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name")
    user_id = fields.Many2one("res.users", string="Person", required=True, index=True, readonly=True,
                              ondelete="cascade")
    team_id = fields.Many2one("crm.team", string="Unit", readonly=True, index="btree_not_null",
                              ondelete="set null", help="The person's unit on the month's last day.")
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    date_from = fields.Date(string="Month", required=True, readonly=True, index=True)
    date_to = fields.Date(required=True, readonly=True)
    state = fields.Selection(STATES, string="Status", required=True, default="draft", readonly=True, index=True,
                             tracking=True, copy=False)
    line_ids = fields.One2many("sales.commission.settlement.line", "settlement_id", string="Lines", readonly=True)
    amount_total = fields.Monetary(string="Total", readonly=True, aggregator="sum")
    line_count = fields.Integer(readonly=True)
    confirm_uid = fields.Many2one("res.users", string="Confirmed By", readonly=True)
    confirm_date = fields.Datetime(string="Confirmed On", readonly=True)
    paid_date = fields.Date(string="Paid On", readonly=True)
    dispute_ids = fields.One2many("sales.commission.dispute", "settlement_id", string="Disputes", readonly=True)

    _sql_constraints = [("person_month_uniq", "UNIQUE (company_id, user_id, date_from)",
                         "A person has one settlement per month.")]

    @api.depends("user_id", "date_from")
    def _compute_name(self):
        for settlement in self:
            settlement.name = self.env._(
                "%(person)s, %(month)s", person=settlement.user_id.name or "",
                month=settlement.date_from and settlement.company_id._sales_org_period_name(
                    "month", settlement.date_from) or "")

    @api.depends("name")
    def _compute_display_name(self):
        for settlement in self:
            settlement.display_name = settlement.name

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise AccessError(self.env._("Settlements are computed, never written by hand."))
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            raise AccessError(self.env._("Settlements change only through Compute, Confirm and Mark as Paid."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_computed(self):
        if self.filtered(lambda settlement: settlement.state != "draft"):
            raise UserError(self.env._("A confirmed settlement is kept: what changes later is adjusted in the next "
                                       "month."))
        if not self.env.su:
            raise AccessError(self.env._("Settlements are computed, never deleted by hand."))

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def _check_administrator(self):
        if not self.env.user.has_group("sales_team.group_sale_manager"):
            raise AccessError(self.env._("Only the sales administrator confirms settlements and marks them paid."))

    def action_confirm(self):
        self._check_administrator()
        if self.filtered(lambda settlement: settlement.state != "draft"):
            raise UserError(self.env._("Only draft settlements are confirmed."))
        if self.filtered(lambda settlement: settlement.date_to >= settlement.company_id._sales_org_today()):
            raise UserError(self.env._("A month is confirmed once it has ended."))
        self.sudo().write({"state": "confirmed", "confirm_uid": self.env.uid, "confirm_date": fields.Datetime.now()})
        return True

    def action_mark_paid(self):
        self._check_administrator()
        if self.filtered(lambda settlement: settlement.state != "confirmed"):
            raise UserError(self.env._("Only confirmed settlements are paid."))
        for company, settlements in self.grouped("company_id").items():
            settlements.sudo().write({"state": "paid", "paid_date": company._sales_org_today()})
        return True

    @api.model
    def _check_after_confirmed(self, company, day, what):
        """Refuse `day` when it falls in a month of `company` already confirmed: what changes a
        confirmed month goes through a rule correction, never through a date set in its past."""
        last = self.sudo().search([("company_id", "=", company.id), ("state", "!=", "draft")],
                                  order="date_to desc", limit=1)
        if last and day <= last.date_to:
            raise UserError(self.env._(
                "%(month)s is confirmed: %(what)s is dated after it.", month=company._sales_org_period_name("month", last.date_from), what=what))

    # ------------------------------------------------------------------
    # The settlement run
    # ------------------------------------------------------------------

    @api.model
    def _lock_company(self, company):
        """One run at a time per company, until the transaction ends; the second is told so."""
        if not self.env.execute_query(SQL("SELECT pg_try_advisory_xact_lock(%s, %s)", LOCK_KEY, company.id))[0][0]:
            raise UserError(self.env._(
                "Commissions of %(company)s are being computed right now: try again in a moment.",
                company=company.name))

    @api.model
    def _cron_draft_settlements(self):
        """Hourly: on a company's first working day of a month, once its hour has come, draft the
        settlements of the month just ended. Once per company and month."""
        self.env["sales.org.rhythm"]._each_month_ended(
            "sales_team_org.commission_hour", 7, "sales_team_org.commission_done",
            lambda company, last_day: self.sudo()._compute_period(company, last_day))

    @api.model
    def _compute_period(self, company, date_from):
        """Compute the draft settlements of `company`'s month starting `date_from` for everyone
        credited, and the adjustments of the months already confirmed (up to
        `sales_team_org.commission_lookback_months` before) whose sources or rules changed since.
        Computing again gives the same lines; persons whose month is confirmed are left alone.
        A constant number of queries whatever the number of people, orders or rules."""
        if not self.env.su:
            raise AccessError(self.env._("Commissions are computed by the sales administrator or the scheduled action."))
        company = self.env["res.company"].browse(company) if isinstance(company, int) else company
        period = fields.Date.to_date(date_from).replace(day=1)
        period_end = period + relativedelta(months=1, days=-1)
        self._lock_company(company)
        self.env.flush_all()
        try:
            lookback = int(self.env["ir.config_parameter"].get_param("sales_team_org.commission_lookback_months", 3))
        except ValueError:
            lookback = 3
        closed = [month for [month] in self.env.execute_query(SQL(
            """SELECT DISTINCT date_from FROM sales_commission_settlement
                WHERE company_id = %s AND state != 'draft' AND date_from < %s AND date_from >= %s""",
            company.id, period, period - relativedelta(months=lookback)))]
        months = sorted(closed) + [period]
        rules = self.env["sales.commission.rule"].with_context(active_test=False).search([
            ("company_id", "=", company.id), ("date_from", "<=", period_end),
            "|", ("date_to", "=", False), ("date_to", ">=", months[0]),
        ])
        self._sql_calc(company, months, period, rules)
        self._sql_write(company, period, period_end, months)
        self.invalidate_model()
        self.env["sales.commission.settlement.line"].invalidate_model()
        return self.search([("company_id", "=", company.id), ("date_from", "=", period)])

    def _sql_achievements(self, company, months, rules):
        """SQL of (user_id, period_date, metric, achievement %) of the people's month targets the
        rules with accelerators or a bonus need: live for an open month, as kept for a closed one."""
        metrics = {BASE_METRIC[rule.base] for rule in rules
                   if rule.rule_type == "target_bonus" or rule.accelerator_ids}
        rows = []
        if metrics:
            targets = self.env["sales.target"].sudo().search([
                ("company_id", "=", company.id), ("target_type", "=", "person"), ("period_type", "=", "month"),
                ("date_from", "in", months), ("metric", "in", list(metrics)),
            ])
            actuals = self.env["sales.target.analysis"].sudo()._actuals_of_targets(targets.ids)
            goals = {}
            for target in targets:
                goal = goals.setdefault((target.user_id.id, target.date_from, target.metric), [0.0, 0.0])
                goal[0] += target.amount
                goal[1] = actuals.get(target.id) or 0.0  # a person's actual, whatever the unit
            rows = [SQL("(%s, %s::date, %s, %s::numeric)", user, month, metric, actual * 100.0 / amount)
                    for (user, month, metric), (amount, actual) in goals.items() if amount > 0]
        if not rows:
            return SQL("SELECT NULL::int AS user_id, NULL::date AS period_date, NULL::varchar AS metric, "
                       "NULL::numeric AS achievement WHERE false")
        return SQL("SELECT * FROM (VALUES %s) AS v(user_id, period_date, metric, achievement)", SQL(", ").join(rows))

    def _sql_sources(self, company, months, bases):
        """SQL of the base rows of `months` for the `bases` in use: one per order line, invoice
        line, or invoice line paid in part, in the company currency, dated company-locally."""
        tz = company._sales_org_tz().zone
        lo, hi = months[0], months[-1] + relativedelta(months=1, days=-1)
        utc_lo = company._sales_org_day_bounds(lo)[0]
        utc_hi = company._sales_org_day_bounds(hi)[1]
        unit_on = self.env["sales.org.assignment"]._sql_unit_on
        product = SQL("""
            LEFT JOIN product_product pp ON pp.id = aml.product_id
            LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id
            LEFT JOIN LATERAL (SELECT r.order_line_id FROM sale_order_line_invoice_rel r
                                WHERE r.invoice_line_id = aml.id ORDER BY r.order_line_id LIMIT 1) rel ON true
            LEFT JOIN sale_order_line sol ON sol.id = rel.order_line_id
        """)
        branches = []
        if "confirmed" in bases:
            branches.append(SQL("""
                SELECT 'confirmed'::varchar AS base, 'sol:' || sol.id AS ref, d.date, so.user_id AS seller_id,
                       COALESCE(so.team_id, %(unit)s) AS team_id, p.commercial_partner_id AS partner_id,
                       pt.categ_id, sol.price_subtotal
                           / CASE COALESCE(so.currency_rate, 0) WHEN 0 THEN 1.0 ELSE so.currency_rate END AS amount,
                       so.id AS order_id, sol.id AS order_line_id, NULL::int AS move_id, NULL::int AS move_line_id,
                       NULL::int AS partial_id
                  FROM sale_order so
                  CROSS JOIN LATERAL (SELECT (so.date_order AT TIME ZONE 'UTC' AT TIME ZONE %(tz)s)::date AS date) d
                  JOIN sale_order_line sol ON sol.order_id = so.id AND sol.display_type IS NULL
                  JOIN res_partner p ON p.id = so.partner_id
                  LEFT JOIN product_product pp ON pp.id = sol.product_id
                  LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id
                 WHERE so.company_id = %(company)s AND so.state = 'sale'
                   AND so.date_order >= %(utc_lo)s AND so.date_order < %(utc_hi)s
            """, unit=unit_on(SQL("so.user_id"), SQL("d.date")), tz=tz, company=company.id, utc_lo=utc_lo,
                utc_hi=utc_hi))
        if "invoiced" in bases:
            branches.append(SQL("""
                SELECT 'invoiced', 'aml:' || aml.id, am.invoice_date, am.invoice_user_id,
                       COALESCE(am.team_id, %(unit)s), am.commercial_partner_id, pt.categ_id, -aml.balance,
                       sol.order_id, sol.id, am.id, aml.id, NULL::int
                  FROM account_move am
                  JOIN account_move_line aml ON aml.move_id = am.id AND aml.display_type = 'product'
                  %(product)s
                 WHERE am.company_id = %(company)s AND am.state = 'posted' AND am.move_type IN ('out_invoice', 'out_refund')
                   AND am.invoice_date BETWEEN %(lo)s AND %(hi)s
            """, unit=unit_on(SQL("am.invoice_user_id"), SQL("am.invoice_date")), product=product,
                company=company.id, lo=lo, hi=hi))
        if "paid" in bases:
            # each side of a reconciliation that is a customer invoice or credit note: its product
            # lines in proportion to the part of its total this reconciliation settles
            branches.append(SQL("""
                SELECT 'paid', 'pay:' || apr.id || ':' || aml.id, apr.max_date, am.invoice_user_id,
                       COALESCE(am.team_id, %(unit)s), am.commercial_partner_id, pt.categ_id,
                       -aml.balance * apr.amount / abs(am.amount_total_signed), sol.order_id, sol.id, am.id, aml.id,
                       apr.id
                  FROM account_partial_reconcile apr
                  JOIN account_move_line rec ON rec.id IN (apr.debit_move_id, apr.credit_move_id)
                  JOIN account_move am ON am.id = rec.move_id AND am.state = 'posted'
                       AND am.move_type IN ('out_invoice', 'out_refund') AND am.amount_total_signed != 0
                  JOIN account_move_line aml ON aml.move_id = am.id AND aml.display_type = 'product'
                  %(product)s
                 WHERE apr.company_id = %(company)s AND apr.max_date BETWEEN %(lo)s AND %(hi)s
            """, unit=unit_on(SQL("am.invoice_user_id"), SQL("apr.max_date")), product=product,
                company=company.id, lo=lo, hi=hi))
        return SQL(" UNION ALL ").join(branches)

    def _sql_calc(self, company, months, period, rules):
        """Fill the temporary table sc_calc with every line `months` should have, rounded, with
        the rounding lines: (period_date, user_id, kind, rule_id, level, ref, date, order_id,
        order_line_id, move_id, move_line_id, partial_id, slip_id, partner_id, seller_id, team_id,
        base_amount, rate, amount). Two statements."""
        cr = self.env.cr
        Rule = self.env["sales.commission.rule"]
        digits = company.currency_id.decimal_places
        bases = set(rules.mapped("base"))
        cr.execute("DROP TABLE IF EXISTS sc_src; DROP TABLE IF EXISTS sc_calc")
        if bases:
            cr.execute(SQL("""
                CREATE TEMP TABLE sc_src ON COMMIT DROP AS
                SELECT raw.*, date_trunc('month', raw.date)::date AS period_date,
                       COALESCE(tk.director_id, raw.seller_id) AS credited_id, tk.team_id AS fee_team_id,
                       COALESCE((cp.sales_key_account ->> %(company_key)s)::boolean, false) AS key_account
                  FROM (%(sources)s) AS raw(base, ref, date, seller_id, team_id, partner_id, categ_id, amount, order_id,
                                            order_line_id, move_id, move_line_id, partial_id)
                  LEFT JOIN res_partner cp ON cp.id = raw.partner_id
                  LEFT JOIN sales_key_account_takeover tk ON tk.partner_id = raw.partner_id AND tk.company_id = %(company)s
                       AND tk.date_from <= raw.date AND (tk.date_to IS NULL OR tk.date_to >= raw.date)
                 WHERE date_trunc('month', raw.date)::date = ANY(%(months)s)
            """, sources=self._sql_sources(company, months, bases), company=company.id, months=months,
                company_key=str(company.id)))
        else:
            cr.execute(SQL("""
                CREATE TEMP TABLE sc_src ON COMMIT DROP AS
                SELECT NULL::varchar AS base, NULL::varchar AS ref, NULL::date AS date, NULL::int AS seller_id,
                       NULL::int AS team_id, NULL::int AS partner_id, NULL::int AS categ_id, NULL::numeric AS amount,
                       NULL::int AS order_id, NULL::int AS order_line_id, NULL::int AS move_id,
                       NULL::int AS move_line_id, NULL::int AS partial_id, NULL::date AS period_date,
                       NULL::int AS credited_id, NULL::int AS fee_team_id, false AS key_account
                 WHERE false
            """))

        def rel(fname):
            field = Rule._fields[fname]
            return SQL.identifier(field.relation), SQL.identifier(field.column1), SQL.identifier(field.column2)

        users, teams, roles, categs, partners = (rel(f) for f in (
            "user_ids", "team_ids", "role_ids", "product_categ_ids", "partner_ids"))

        def in_scope(user, day_from, day_to=None):
            return SQL(
                "(ru.everyone OR EXISTS (SELECT 1 FROM scope sc WHERE sc.rule_id = ru.id AND sc.user_id = %s"
                " AND sc.d_from <= %s AND sc.d_to >= %s))", user, day_to or day_from, day_from)

        period_end = SQL("(%s + interval '1 month - 1 day')::date", SQL("a.period_date"))
        lo = months[0]
        cr.execute(SQL(
            """
            CREATE TEMP TABLE sc_calc ON COMMIT DROP AS
            WITH rule AS MATERIALIZED (
                SELECT r.id, r.rule_type, r.base, r.active, r.date_from, r.date_to, r.tier_mode,
                       COALESCE(r.key_accounts_only, false) AS key_accounts_only,
                       COALESCE(r.rate, 0)::numeric AS rate, COALESCE(r.fee_permille, 0)::numeric AS fee_permille,
                       COALESCE(r.bonus_amount, 0) AS bonus_amount,
                       COALESCE(r.bonus_threshold, 0)::numeric AS bonus_threshold,
                       NOT EXISTS (SELECT 1 FROM %(u_rel)s x WHERE x.%(u_rule)s = r.id)
                       AND NOT EXISTS (SELECT 1 FROM %(t_rel)s x WHERE x.%(t_rule)s = r.id)
                       AND NOT EXISTS (SELECT 1 FROM %(o_rel)s x WHERE x.%(o_rule)s = r.id) AS everyone,
                       EXISTS (SELECT 1 FROM %(c_rel)s x WHERE x.%(c_rule)s = r.id) AS has_categ,
                       EXISTS (SELECT 1 FROM %(p_rel)s x WHERE x.%(p_rule)s = r.id) AS has_partner
                  FROM sales_commission_rule r
                 WHERE r.id = ANY(%(rule_ids)s)
            ),
            -- who each rule names, and from when to when: people, units (and below), roles
            scope AS MATERIALIZED (
                SELECT x.%(u_rule)s AS rule_id, x.%(u_col)s AS user_id, '-infinity'::date AS d_from,
                       'infinity'::date AS d_to
                  FROM %(u_rel)s x JOIN rule ON rule.id = x.%(u_rule)s
                 UNION ALL
                SELECT x.%(t_rule)s, a.user_id, a.date_from, COALESCE(a.date_to, 'infinity'::date)
                  FROM %(t_rel)s x
                  JOIN rule ON rule.id = x.%(t_rule)s
                  JOIN crm_team rt ON rt.id = x.%(t_col)s
                  JOIN crm_team t ON starts_with(t.parent_path, rt.parent_path)
                  JOIN sales_org_assignment a ON a.team_id = t.id AND (a.date_to IS NULL OR a.date_to >= %(lo)s)
                 UNION ALL
                SELECT x.%(o_rule)s, a.user_id, a.date_from, COALESCE(a.date_to, 'infinity'::date)
                  FROM %(o_rel)s x
                  JOIN rule ON rule.id = x.%(o_rule)s
                  JOIN sales_org_assignment a ON a.role_id = x.%(o_col)s AND a.company_id = %(company)s
                       AND (a.date_to IS NULL OR a.date_to >= %(lo)s)
            ),
            rule_categ AS MATERIALIZED (
                SELECT x.%(c_rule)s AS rule_id, c.id AS categ_id
                  FROM %(c_rel)s x
                  JOIN rule ON rule.id = x.%(c_rule)s
                  JOIN product_category rc ON rc.id = x.%(c_col)s
                  JOIN product_category c ON starts_with(c.parent_path, rc.parent_path)
            ),
            achv AS MATERIALIZED (%(achievements)s),
            -- an archived rule credits only the closed months it paid out (claw-backs included)
            kept AS MATERIALIZED (
                SELECT DISTINCT l.rule_id, l.period_date
                  FROM sales_commission_settlement_line l
                  JOIN sales_commission_settlement ls ON ls.id = l.settlement_id AND ls.state != 'draft'
                  JOIN rule ON rule.id = l.rule_id AND NOT rule.active
                 WHERE l.company_id = %(company)s AND l.period_date = ANY(%(months)s) AND l.period_date < %(period)s
            ),
            -- each base row with each rule it falls under
            matched AS MATERIALIZED (
                SELECT s.*, ru.id AS rule_id, ru.rule_type
                  FROM sc_src s
                  JOIN rule ru ON ru.base = s.base AND ru.rule_type != 'target_bonus'
                       AND s.date >= ru.date_from AND (ru.date_to IS NULL OR s.date <= ru.date_to)
                       AND (ru.active OR EXISTS (
                           SELECT 1 FROM kept k WHERE k.rule_id = ru.id AND k.period_date = s.period_date))
                       AND (NOT ru.has_categ OR EXISTS (
                           SELECT 1 FROM rule_categ rc WHERE rc.rule_id = ru.id AND rc.categ_id = s.categ_id))
                       AND (NOT ru.has_partner OR EXISTS (
                           SELECT 1 FROM %(p_rel)s x WHERE x.%(p_rule)s = ru.id AND x.%(p_col)s = s.partner_id))
                       AND (NOT ru.key_accounts_only OR s.key_account)
            ),
            own AS (
                SELECT m.period_date, m.credited_id AS user_id, 'own'::varchar AS kind, m.rule_id, NULL::int AS level,
                       m.ref, m.date, m.order_id, m.order_line_id, m.move_id, m.move_line_id, m.partial_id,
                       NULL::int AS slip_id, m.partner_id, m.seller_id, m.team_id, m.amount AS base_amount,
                       ru.rate, m.amount * ru.rate / 100 AS amount
                  FROM matched m JOIN rule ru ON ru.id = m.rule_id
                 WHERE m.rule_type = 'percent' AND %(own_scope)s
            ),
            tier_total AS (
                SELECT m.period_date, m.credited_id AS user_id, m.rule_id, sum(m.amount) AS total
                  FROM matched m JOIN rule ru ON ru.id = m.rule_id
                 WHERE m.rule_type = 'tiered' AND %(own_scope)s
                 GROUP BY 1, 2, 3
            ),
            tier AS (
                SELECT tt.period_date, tt.user_id, 'tier'::varchar, tt.rule_id, NULL::int, 'tier'::varchar, NULL::date,
                       NULL::int, NULL::int, NULL::int, NULL::int, NULL::int, NULL::int, NULL::int, NULL::int,
                       NULL::int, tt.total, CASE WHEN tt.total > 0 THEN x.amount * 100 / tt.total END, x.amount
                  FROM tier_total tt
                  JOIN rule ru ON ru.id = tt.rule_id
                 CROSS JOIN LATERAL (
                    SELECT COALESCE(CASE
                        WHEN tt.total <= 0 THEN 0
                        WHEN ru.tier_mode = 'marginal' THEN (
                            SELECT sum(GREATEST(0, LEAST(tt.total, COALESCE(NULLIF(t.amount_to, 0), tt.total))
                                                   - t.amount_from) * t.rate::numeric / 100)
                              FROM sales_commission_rule_tier t WHERE t.rule_id = ru.id)
                        ELSE (SELECT tt.total * t.rate::numeric / 100
                                FROM sales_commission_rule_tier t
                               WHERE t.rule_id = ru.id AND tt.total >= t.amount_from
                                 AND (COALESCE(t.amount_to, 0) = 0 OR tt.total < t.amount_to))
                    END, 0) AS amount
                 ) x
            ),
            -- accelerators: the rule's commission of the month, times the band of the achievement
            accel AS (
                SELECT b.period_date, b.user_id, 'accelerator'::varchar, b.rule_id, NULL::int, 'accelerator'::varchar,
                       NULL::date, NULL::int, NULL::int, NULL::int, NULL::int, NULL::int, NULL::int, NULL::int,
                       NULL::int, NULL::int, b.commission, acc.multiplier::numeric - 100,
                       b.commission * (acc.multiplier::numeric - 100) / 100
                  FROM (SELECT period_date, user_id, rule_id, sum(amount) AS commission
                          FROM (SELECT period_date, user_id, rule_id, amount FROM own
                                 UNION ALL SELECT period_date, user_id, rule_id, amount FROM tier) c
                         GROUP BY 1, 2, 3) b
                  JOIN rule ru ON ru.id = b.rule_id
                  JOIN achv a ON a.user_id = b.user_id AND a.period_date = b.period_date
                       AND a.metric = CASE ru.base WHEN 'confirmed' THEN 'order_amount' ELSE 'invoiced_amount' END
                  JOIN sales_commission_rule_accelerator acc ON acc.rule_id = ru.id
                       AND a.achievement >= acc.achievement_from
                       AND (COALESCE(acc.achievement_to, 0) = 0 OR a.achievement < acc.achievement_to)
                 WHERE acc.multiplier != 100
            ),
            bonus AS (
                SELECT a.period_date, a.user_id, 'bonus'::varchar, ru.id, NULL::int, 'bonus'::varchar, NULL::date,
                       NULL::int, NULL::int, NULL::int, NULL::int, NULL::int, NULL::int, NULL::int, NULL::int,
                       NULL::int, NULL::numeric, a.achievement, ru.bonus_amount
                  FROM rule ru
                  JOIN achv a ON a.metric = CASE ru.base WHEN 'confirmed' THEN 'order_amount' ELSE 'invoiced_amount' END
                       AND a.achievement >= ru.bonus_threshold AND a.period_date = ANY(%(months)s)
                 WHERE ru.rule_type = 'target_bonus' AND ru.date_from <= %(bonus_end)s
                   AND (ru.date_to IS NULL OR ru.date_to >= a.period_date) AND (ru.active OR EXISTS (
                       SELECT 1 FROM kept k WHERE k.rule_id = ru.id AND k.period_date = a.period_date))
                   AND %(bonus_scope)s
            ),
            -- overrides: the leaders of the sale's unit and the units above it, once per row each
            override AS (
                SELECT DISTINCT ON (m.ref, m.rule_id, lt.user_id)
                       m.period_date, lt.user_id, 'override'::varchar, m.rule_id, lvl.level, m.ref, m.date, m.order_id,
                       m.order_line_id, m.move_id, m.move_line_id, m.partial_id, NULL::int, m.partner_id,
                       m.credited_id, m.team_id, m.amount, lv.rate::numeric, m.amount * lv.rate::numeric / 100
                  FROM matched m
                  JOIN rule ru ON ru.id = m.rule_id
                  JOIN crm_team st ON st.id = m.team_id
                 CROSS JOIN LATERAL (
                    SELECT anc.id, cardinality(path.ids) - anc.pos + 1 AS level
                      FROM (SELECT string_to_array(rtrim(st.parent_path, '/'), '/')::int[] AS ids) path,
                           unnest(path.ids) WITH ORDINALITY AS anc(id, pos)
                 ) lvl
                  JOIN crm_team lt ON lt.id = lvl.id AND lt.user_id IS NOT NULL
                       AND lt.user_id IS DISTINCT FROM m.credited_id
                  JOIN sales_commission_rule_level lv ON lv.rule_id = m.rule_id AND lv.level = lvl.level
                 WHERE m.rule_type = 'override' AND %(leader_scope)s
                 ORDER BY m.ref, m.rule_id, lt.user_id, lvl.level
            ),
            fee AS (
                SELECT m.period_date, ft.user_id, 'fee'::varchar, m.rule_id, NULL::int, m.ref, m.date, m.order_id,
                       m.order_line_id, m.move_id, m.move_line_id, m.partial_id, NULL::int, m.partner_id,
                       m.credited_id, m.fee_team_id, m.amount, ru.fee_permille / 10, m.amount * ru.fee_permille / 1000
                  FROM matched m
                  JOIN rule ru ON ru.id = m.rule_id
                  JOIN crm_team ft ON ft.id = m.fee_team_id AND ft.user_id IS NOT NULL
                 WHERE m.rule_type = 'key_account_fee' AND %(fee_scope)s
            ),
            slip AS (
                SELECT date_trunc('month', sl.date)::date, sl.person_id, 'slip'::varchar, NULL::int, NULL::int,
                       'slip:' || sl.id, sl.date, NULL::int, NULL::int, NULL::int, NULL::int, NULL::int, sl.id,
                       NULL::int, sl.user_id, sl.team_id, NULL::numeric, NULL::numeric,
                       CASE sl.kind WHEN 'demerit' THEN -sl.amount ELSE sl.amount END
                  FROM sales_slip sl
                 WHERE sl.company_id = %(company)s AND sl.state = 'approved' AND sl.amount != 0
                   AND date_trunc('month', sl.date)::date = ANY(%(months)s)
            ),
            exact AS (
                SELECT * FROM own UNION ALL SELECT * FROM tier UNION ALL SELECT * FROM accel
                 UNION ALL SELECT * FROM bonus UNION ALL SELECT * FROM override UNION ALL SELECT * FROM fee
                 UNION ALL SELECT * FROM slip
            ),
            rounded AS (SELECT e.*, round(e.amount, %(digits)s) AS amount_r FROM exact e WHERE e.amount != 0 AND e.user_id IS NOT NULL)
            SELECT period_date, user_id, kind, rule_id, level, ref, date, order_id, order_line_id, move_id,
                   move_line_id, partial_id, slip_id, partner_id, seller_id, team_id, base_amount, rate,
                   amount_r AS amount
              FROM rounded
             WHERE amount_r != 0
             UNION ALL
            -- what rounding each line lost, given back once per person, rule and month
            SELECT period_date, user_id, 'rounding', rule_id, NULL, 'rounding', NULL, NULL, NULL, NULL, NULL, NULL,
                   NULL, NULL, NULL, NULL, NULL, NULL, round(sum(amount), %(digits)s) - sum(amount_r)
              FROM rounded
             GROUP BY period_date, user_id, rule_id
            HAVING round(sum(amount), %(digits)s) != sum(amount_r);
            -- a temporary table is never analysed by autovacuum: without its statistics the planner
            -- expects one row and joins the lines to the people in nested loops
            ANALYZE sc_calc
            """,
            u_rel=users[0], u_rule=users[1], u_col=users[2],
            t_rel=teams[0], t_rule=teams[1], t_col=teams[2],
            o_rel=roles[0], o_rule=roles[1], o_col=roles[2],
            c_rel=categs[0], c_rule=categs[1], c_col=categs[2],
            p_rel=partners[0], p_rule=partners[1], p_col=partners[2],
            rule_ids=rules.ids, company=company.id, lo=lo, months=months, period=period, digits=digits,
            achievements=self._sql_achievements(company, months, rules),
            own_scope=in_scope(SQL("m.credited_id"), SQL("m.date")),
            bonus_scope=in_scope(SQL("a.user_id"), SQL("a.period_date"), period_end), bonus_end=period_end,
            leader_scope=in_scope(SQL("lt.user_id"), SQL("m.date")),
            fee_scope=in_scope(SQL("ft.user_id"), SQL("m.date")),
        ))

    def _sql_write(self, company, period, period_end, months):
        """From sc_calc: the month's draft settlements and their lines, the adjustments of the
        confirmed months, the totals. A few statements whatever the number of lines."""
        cr = self.env.cr
        uid = self.env.uid
        now = fields.Datetime.now()
        closed = months[:-1]
        line_columns = SQL(
            "settlement_id, user_id, company_id, period_date, date, kind, level, rule_id, source_ref, order_id, "
            "order_line_id, move_id, move_line_id, payment_ref, slip_id, partner_id, seller_id, team_id, "
            "base_amount, rate, amount, origin_line_id, create_uid, create_date, write_uid, write_date")
        cr.execute(SQL(
            """
            DELETE FROM sales_commission_settlement_line l USING sales_commission_settlement s
             WHERE l.settlement_id = s.id AND s.company_id = %(company)s AND s.date_from = %(period)s
               AND s.state = 'draft' AND l.kind != 'dispute';
            DROP TABLE IF EXISTS sc_adj;
            -- what the confirmed months should have credited, against what was credited for them
            CREATE TEMP TABLE sc_adj ON COMMIT DROP AS
            WITH open_month AS (
                SELECT user_id, date_from FROM sales_commission_settlement
                 WHERE company_id = %(company)s AND state = 'draft' AND date_from = ANY(%(closed)s)
            ),
            should AS (
                SELECT c.* FROM sc_calc c
                 WHERE c.period_date = ANY(%(closed)s)
                   AND NOT EXISTS (SELECT 1 FROM open_month o WHERE o.user_id = c.user_id AND o.date_from = c.period_date)
            ),
            credited AS (
                SELECT l.user_id, l.source_ref, l.rule_id, l.period_date, sum(l.amount) AS amount,
                       min(l.id) FILTER (WHERE l.kind != 'adjustment') AS origin_id
                  FROM sales_commission_settlement_line l
                 WHERE l.company_id = %(company)s AND l.period_date = ANY(%(closed)s) AND l.kind != 'dispute'
                   AND NOT EXISTS (SELECT 1 FROM open_month o WHERE o.user_id = l.user_id AND o.date_from = l.period_date)
                 GROUP BY 1, 2, 3, 4
            )
            SELECT COALESCE(sh.user_id, cr.user_id) AS user_id, COALESCE(sh.period_date, cr.period_date) AS period_date,
                   COALESCE(sh.ref, cr.source_ref) AS ref, COALESCE(sh.rule_id, cr.rule_id) AS rule_id,
                   -- a source gone (a cancelled order) is still named, from the line it takes back
                   COALESCE(sh.level, o.level) AS level, COALESCE(sh.date, o.date) AS date,
                   COALESCE(sh.order_id, o.order_id) AS order_id, COALESCE(sh.order_line_id, o.order_line_id) AS order_line_id,
                   COALESCE(sh.move_id, o.move_id) AS move_id, COALESCE(sh.move_line_id, o.move_line_id) AS move_line_id,
                   COALESCE(sh.partial_id, o.payment_ref) AS partial_id, COALESCE(sh.slip_id, o.slip_id) AS slip_id,
                   COALESCE(sh.partner_id, o.partner_id) AS partner_id, COALESCE(sh.seller_id, o.seller_id) AS seller_id,
                   COALESCE(sh.team_id, o.team_id) AS team_id, sh.base_amount, sh.rate,
                   COALESCE(sh.amount, 0) - COALESCE(cr.amount, 0) AS amount, cr.origin_id
              FROM should sh
              FULL JOIN credited cr ON cr.user_id = sh.user_id AND cr.source_ref = sh.ref
                   AND cr.rule_id IS NOT DISTINCT FROM sh.rule_id AND cr.period_date = sh.period_date
              LEFT JOIN sales_commission_settlement_line o ON o.id = cr.origin_id
             WHERE COALESCE(sh.amount, 0) != COALESCE(cr.amount, 0);
            INSERT INTO sales_commission_settlement (user_id, team_id, company_id, date_from, date_to, state,
                                                     amount_total, line_count, create_uid, create_date, write_uid,
                                                     write_date)
            SELECT p.user_id, %(unit)s, %(company)s, %(period)s, %(period_end)s, 'draft', 0, 0,
                   %(uid)s, %(now)s, %(uid)s, %(now)s
              FROM (SELECT user_id FROM sc_calc c WHERE period_date = %(period)s AND NOT %(adjusted_later)s
                     UNION SELECT user_id FROM sc_adj c WHERE NOT %(adjusted_later)s) p
            ON CONFLICT (company_id, user_id, date_from) DO NOTHING;
            -- the same for the month's settlements and lines, when their tables were last seen empty
            ANALYZE sales_commission_settlement;
            INSERT INTO sales_commission_settlement_line (%(columns)s)
            SELECT s.id, c.user_id, %(company)s, c.period_date, c.date, c.kind, c.level, c.rule_id, c.ref, c.order_id,
                   c.order_line_id, c.move_id, c.move_line_id, c.partial_id, c.slip_id, c.partner_id, c.seller_id,
                   c.team_id, c.base_amount, c.rate, c.amount, NULL, %(uid)s, %(now)s, %(uid)s, %(now)s
              FROM sc_calc c
              JOIN sales_commission_settlement s ON s.company_id = %(company)s AND s.user_id = c.user_id
                   AND s.date_from = %(period)s AND s.state = 'draft'
             WHERE c.period_date = %(period)s AND NOT %(adjusted_later)s
             UNION ALL
            SELECT s.id, c.user_id, %(company)s, c.period_date, c.date, 'adjustment', c.level, c.rule_id, c.ref,
                   c.order_id, c.order_line_id, c.move_id, c.move_line_id, c.partial_id, c.slip_id, c.partner_id,
                   c.seller_id, c.team_id, c.base_amount, c.rate, c.amount, c.origin_id,
                   %(uid)s, %(now)s, %(uid)s, %(now)s
              FROM sc_adj c
              JOIN sales_commission_settlement s ON s.company_id = %(company)s AND s.user_id = c.user_id
                   AND s.date_from = %(period)s AND s.state = 'draft'
             WHERE NOT %(adjusted_later)s;
            ANALYZE sales_commission_settlement_line;
            DELETE FROM sales_commission_settlement s
             WHERE s.company_id = %(company)s AND s.date_from = %(period)s AND s.state = 'draft'
               AND NOT EXISTS (SELECT 1 FROM sales_commission_settlement_line l WHERE l.settlement_id = s.id)
               AND NOT EXISTS (SELECT 1 FROM sales_commission_dispute d WHERE d.settlement_id = s.id);
            """,
            company=company.id, period=period, period_end=period_end, closed=closed or [NO_MONTH], uid=uid, now=now,
            # a person whose month later settlements already adjust (computed after it was confirmed
            # for others) keeps it there, its own adjustments too: computing it here would pay twice
            adjusted_later=SQL("""EXISTS (
                SELECT 1 FROM sales_commission_settlement_line x
                  JOIN sales_commission_settlement xs ON xs.id = x.settlement_id AND xs.date_from > %(period)s
                 WHERE x.company_id = %(company)s AND x.user_id = c.user_id AND x.period_date = %(period)s
                   AND x.kind = 'adjustment')""", period=period, company=company.id),
            columns=line_columns,
            unit=self.env["sales.org.assignment"]._sql_unit_on(SQL("p.user_id"), SQL("%s::date", period_end)),
        ))
        self._sql_totals(SQL("s.company_id = %s AND s.date_from = %s AND s.state = 'draft'", company.id, period))

    def _sql_totals(self, where):
        self.env.cr.execute(SQL("""
            UPDATE sales_commission_settlement s
               SET amount_total = COALESCE(t.total, 0), line_count = COALESCE(t.count, 0)
              FROM sales_commission_settlement s2
              LEFT JOIN LATERAL (SELECT sum(l.amount) AS total, count(*) AS count
                                   FROM sales_commission_settlement_line l WHERE l.settlement_id = s2.id) t ON TRUE
             WHERE s.id = s2.id AND %s
        """, where))

    @api.model
    def _credit_dispute(self, dispute):
        """The adjustment an approved dispute grants, as a line of the person's next open month:
        the company's current month, or the first after it not yet confirmed."""
        company = dispute.company_id
        month = company._sales_org_today().replace(day=1)
        settlements = self.sudo().search([("company_id", "=", company.id), ("user_id", "=", dispute.user_id.id),
                                          ("date_from", ">=", month)])
        by_month = {settlement.date_from: settlement for settlement in settlements}
        while by_month.get(month) and by_month[month].state != "draft":
            month += relativedelta(months=1)
        settlement = by_month.get(month)
        if not settlement:
            month_end = month + relativedelta(months=1, days=-1)
            # the person's unit on the month's last day, as the run files every settlement
            [[team_id]] = self.env.execute_query(SQL("SELECT %s", self.env["sales.org.assignment"]._sql_unit_on(
                SQL("%s", dispute.user_id.id), SQL("%s::date", month_end))))
            settlement = self.sudo().create({
                "user_id": dispute.user_id.id, "company_id": company.id, "date_from": month, "date_to": month_end,
                "team_id": team_id,
            })
        line = dispute.line_id
        adjustment = self.env["sales.commission.settlement.line"].sudo().create({
            "settlement_id": settlement.id, "user_id": dispute.user_id.id, "company_id": company.id,
            "period_date": line.period_date, "kind": "dispute", "rule_id": line.rule_id.id,
            "source_ref": f"dispute:{dispute.id}", "order_id": line.order_id.id, "partner_id": line.partner_id.id,
            "amount": dispute.amount_granted, "origin_line_id": line.id, "dispute_id": dispute.id,
            "date": company._sales_org_today(), "note": (dispute.description or "")[:200],
        })
        self.flush_model()
        adjustment.flush_recordset()
        self._sql_totals(SQL("s.id = %s", settlement.id))
        settlement.invalidate_recordset(["amount_total", "line_count"])
        return adjustment
