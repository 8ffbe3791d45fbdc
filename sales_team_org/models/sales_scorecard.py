from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, float_round

from .sales_org_guard import MAIL_FIELDS
from .sales_target import PERIOD_TYPES

# "0" is the priority widget's "no star": not rated
RATINGS = [("0", "Not Rated"), ("1", "Poor"), ("2", "Fair"), ("3", "Good"), ("4", "Very Good"), ("5", "Excellent")]
# what the person writes on their own draft, and what a leader above them writes
PERSON_FIELDS = frozenset({"comment"})
LEADER_FIELDS = frozenset({"teamwork", "teamwork_comment"})
SCORE_FIELDS = ("sales_score", "growth_score", "satisfaction_score", "teamwork_score", "slips_score", "score")


def _clamp(value):
    return max(0.0, min(100.0, value))


class SalesScorecard(models.Model):
    """绩效考核: a person's scorecard of a month, quarter or year, computed from the data for
    everyone at once when the period is over, reviewed and confirmed by a leader above them.

    Each criterion scores 0 to 100:

    - sales: the achievement of the person's target of confirmed sales of the period, at most 100;
    - growth: 50 plus half the growth on the same period a year earlier, within 0 and 100;
    - satisfaction: the average satisfaction (1 to 5) of the customers' contacts on the person's
      daily reports, times 20;
    - teamwork: the leader's rating (1 to 5), times 20;
    - slips: 50 plus the points of the person's approved reward and demerit slips, within 0 and 100.

    The total is the average of the scores weighted by the person's role (`sales.scorecard.weight`,
    adding up to 100 %). A criterion without data (no target, no sales a year earlier, no rated
    contact, not yet rated by the leader) is left out and the weights of the others are scaled up:
    total = Σ(weight × score) / Σ(weight) over the criteria with data. The ranks are dense (ties
    share a rank), by total, among the period's scorecards of the same unit and of the same region.
    A confirmed scorecard is never recomputed: it keeps its numbers and its ranks.
    """

    _name = "sales.scorecard"
    _inherit = ["mail.thread", "sales.org.guarded.mixin"]
    _description = "Performance Scorecard"
    _order = "date_from desc, period_type, team_id, score desc, id"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True, precompute=True)
    user_id = fields.Many2one("res.users", string="Person", required=True, readonly=True, index=True,
                              ondelete="cascade")
    team_id = fields.Many2one("crm.team", string="Unit", readonly=True, index=True, ondelete="set null",
                              help="The person's unit on the period's last day.")
    region_id = fields.Many2one("crm.team", readonly=True, index="btree_not_null",
                                ondelete="set null", help="The nearest region at or above the unit.")
    role_id = fields.Many2one("sales.org.role", readonly=True, ondelete="set null",
                              help="The person's role on the period's last day: it weights the criteria.")
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    period_type = fields.Selection(PERIOD_TYPES, string="Period", required=True, readonly=True)
    date_from = fields.Date(string="From", required=True, readonly=True, index=True)
    date_to = fields.Date(string="To", required=True, readonly=True)
    period_label = fields.Char(string="Period Name", compute="_compute_period_label")
    # figures
    sales_amount = fields.Monetary(string="Sales", readonly=True, help="Confirmed sales of the person in the period.")
    target_amount = fields.Monetary(string="Target", readonly=True,
                                    help="The person's target of confirmed sales of exactly this period.")
    achievement = fields.Float(string="Achievement (%)", digits=(16, 1), readonly=True)
    last_year_amount = fields.Monetary(string="Sales a Year Earlier", readonly=True)
    growth = fields.Float(string="Growth (%)", digits=(16, 1), readonly=True)
    satisfaction = fields.Float(string="Customer Satisfaction", digits=(16, 2), readonly=True,
                                help="The average satisfaction (1 to 5) of the rated contacts of the period.")
    satisfaction_count = fields.Integer(string="Rated Contacts", readonly=True)
    teamwork = fields.Selection(RATINGS, tracking=True, help="Rated by a leader above the person.")
    teamwork_comment = fields.Text(tracking=True)
    slip_points = fields.Integer(readonly=True,
                                 help="The points of the person's approved reward and demerit slips of the period.")
    # scores, 0 to 100
    sales_score = fields.Float(digits=(16, 1), readonly=True)
    growth_score = fields.Float(digits=(16, 1), readonly=True)
    satisfaction_score = fields.Float(digits=(16, 1), readonly=True)
    teamwork_score = fields.Float(digits=(16, 1), readonly=True)
    slips_score = fields.Float(digits=(16, 1), readonly=True)
    score = fields.Float(string="Total Score", digits=(16, 1), readonly=True, index=True, aggregator="avg")
    rank_unit = fields.Integer(string="Rank in Unit", readonly=True, aggregator=False)
    rank_region = fields.Integer(string="Rank in Region", readonly=True, aggregator=False)
    has_target = fields.Boolean(compute="_compute_has_data")
    has_growth = fields.Boolean(compute="_compute_has_data")
    state = fields.Selection([("draft", "To Review"), ("confirmed", "Confirmed")], string="Status", default="draft",
                             required=True, readonly=True, copy=False, tracking=True, index=True)
    confirmed_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    confirmed_date = fields.Datetime(string="Confirmed On", readonly=True, copy=False)
    comment = fields.Text(string="My Comment", tracking=True,
                          help="The person's comment on their scorecard, before it is confirmed.")
    can_review = fields.Boolean(compute="_compute_can_review")
    in_my_units = fields.Boolean(string="My People", compute="_compute_in_my_units", search="_search_in_my_units")

    _sales_org_system_fields = frozenset({
        "name", "user_id", "team_id", "region_id", "role_id", "company_id", "period_type", "date_from", "date_to",
        "sales_amount", "target_amount", "achievement", "last_year_amount", "growth", "satisfaction",
        "satisfaction_count", "slip_points", "rank_unit", "rank_region", "state", "confirmed_by_id",
        "confirmed_date", *SCORE_FIELDS, *MAIL_FIELDS,
    })

    _sql_constraints = [
        ("user_period_uniq", "unique(user_id, company_id, period_type, date_from)",
         "A person has one scorecard per period."),
    ]

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("user_id.name", "period_type", "date_from")
    def _compute_name(self):
        for card in self:
            card.name = card._label()

    @api.depends("user_id.name", "period_type", "date_from")
    @api.depends_context("lang")
    def _compute_display_name(self):
        for card in self:
            card.display_name = card._label()

    @api.depends("period_type", "date_from")
    @api.depends_context("lang")
    def _compute_period_label(self):
        for card in self:
            card.period_label = card._period_name()

    def _period_name(self):
        self.ensure_one()
        return self.env["res.company"]._sales_org_period_name(self.period_type, self.date_from)

    def _label(self):
        self.ensure_one()
        return " · ".join(filter(None, [self.user_id.name, self._period_name()]))

    @api.depends("target_amount", "last_year_amount")
    def _compute_has_data(self):
        for card in self:
            card.has_target = card.target_amount > 0
            card.has_growth = card.last_year_amount > 0

    @api.depends("user_id", "state")
    @api.depends_context("uid")
    def _compute_can_review(self):
        allowed = self._reviewable_by(self.env.user)
        for card in self:
            card.can_review = card.state == "draft" and card in allowed

    @api.depends("user_id")
    @api.depends_context("uid")
    def _compute_in_my_units(self):
        people = set(self.env.user.sudo().sales_org_user_ids.ids) - {self.env.uid}
        for card in self:
            card.in_my_units = card.user_id.id in people

    def _search_in_my_units(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("“My People” is searched as true or false only."))
        people = list(set(self.env.user.sudo().sales_org_user_ids.ids) - {self.env.uid})
        return [("user_id", "in" if (operator == "=") == value else "not in", people)]

    # ------------------------------------------------------------------
    # Who writes what
    # ------------------------------------------------------------------

    def _reviewable_by(self, user):
        """The scorecards of `self` that `user` rates and confirms: a leader above the person
        or the sales administrator, never their own."""
        others = self.filtered(lambda card: card.user_id != user)
        if not others or user.has_group("sales_team.group_sale_manager"):
            return others
        leaders = self.env["crm.team.member"].sudo()._leaders_above(others.user_id.ids)
        return others.filtered(lambda card: user.id in leaders.get(card.user_id.id, ()))

    def _check_reviewer(self):
        if self.env.su:
            return
        refused = self - self._reviewable_by(self.env.user)
        if refused:
            raise AccessError(self.env._(
                "%(scorecard)s is rated and confirmed by a leader above its person: nobody rates their own "
                "scorecard.", scorecard=refused[0].display_name,
            ))

    def _check_draft(self):
        confirmed = self.filtered(lambda card: card.state != "draft")
        if confirmed:
            raise UserError(self.env._(
                "%(scorecard)s is confirmed: it is not changed any more.", scorecard=confirmed[0].display_name))

    def write(self, vals):
        if "teamwork" in vals and vals["teamwork"] and vals["teamwork"] not in dict(RATINGS):
            raise ValidationError(self.env._(
                "A teamwork rating is from 1 to 5, not %(rating)s.", rating=vals["teamwork"]))
        if vals.get("teamwork") == "0":
            vals = dict(vals, teamwork=False)
        if not self.env.su:
            self._check_draft()
            if set(vals) & PERSON_FIELDS and any(card.user_id != self.env.user for card in self):
                raise AccessError(self.env._("Only its person comments on a scorecard."))
            if set(vals) & LEADER_FIELDS:
                self._check_reviewer()
        result = super().write(vals)
        if "teamwork" in vals:
            self.sudo()._refresh_scores()
        return result

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_confirm(self):
        """A leader above the person (or the sales administrator) confirms the drafts: locked."""
        self._check_reviewer()
        self._check_draft()
        self.sudo().write({
            "state": "confirmed", "confirmed_by_id": self.env.user.id, "confirmed_date": fields.Datetime.now(),
        })
        return True

    def action_refresh(self):
        """A leader above the person (or the sales administrator) recomputes the drafts."""
        self._check_reviewer()
        self._check_draft()
        self.sudo()._refresh_figures()
        return True

    # ------------------------------------------------------------------
    # Computation
    # ------------------------------------------------------------------

    @api.model
    def _cron_compute_scorecards(self):
        """Hourly: the first time a company's hour has come in a month (on a working day), the
        scorecards of the month just ended, and of the quarter and year it closes. Once per
        company and period: the last period done is kept in a system parameter per company."""
        def work(company, last_day):
            for period_type in ("month", "quarter", "year"):
                if company._sales_org_period(period_type, last_day)[1] == last_day:
                    self.sudo()._prepare_scorecards(company, period_type, last_day)

        self.env["sales.org.rhythm"]._each_month_ended(
            "sales_team_org.scorecard_hour", 8, "sales_team_org.scorecard_done", work)

    @api.model
    def _prepare_scorecards(self, company, period_type, day):
        """Create the scorecards of the `period_type` holding `day` of `company` for everyone who
        held a role with weights on the period's last day, refresh the drafts; the confirmed ones
        are left as they are. A constant number of queries whatever the number of people."""
        if not self.env.su:
            raise AccessError(self.env._("Scorecards are prepared by the scheduled action."))
        company = self.env["res.company"].browse(company) if isinstance(company, int) else company
        day = fields.Date.to_date(day)
        date_from, date_to = company._sales_org_period(period_type, day)
        self.env.flush_all()
        rows = self.env.execute_query(SQL(
            """
            SELECT DISTINCT ON (a.user_id) a.user_id, a.team_id, a.role_id,
                   (SELECT r.id FROM crm_team r
                     WHERE r.unit_type = 'region' AND starts_with(t.parent_path, r.parent_path)
                     ORDER BY length(r.parent_path) DESC LIMIT 1)
              FROM sales_org_assignment a
              JOIN crm_team t ON t.id = a.team_id
              JOIN res_users u ON u.id = a.user_id AND NOT u.share
             WHERE a.company_id = %(company)s AND a.date_from <= %(day)s
               AND (a.date_to IS NULL OR a.date_to >= %(day)s)
               AND EXISTS (SELECT 1 FROM sales_scorecard_weight w WHERE w.role_id = a.role_id AND w.weight > 0)
             ORDER BY a.user_id, a.date_from, a.id
            """,
            company=company.id, day=date_to,
        ))
        existing = self.search([("user_id", "in", [row[0] for row in rows]), ("period_type", "=", period_type),
                                ("date_from", "=", date_from), ("company_id", "=", company.id)])
        held = {row[0]: dict(zip(("team_id", "role_id", "region_id"), row[1:])) for row in rows}
        drafts = existing.filtered(lambda card: card.state == "draft")
        # the drafts follow the unit and role held on the period's last day
        moved = {card: held[card.user_id.id] for card in drafts
                 if (card.team_id.id, card.role_id.id, card.region_id.id)
                 != tuple(value or False for value in held[card.user_id.id].values())}
        self.env["sales.org.figure"]._store(self.browse([card.id for card in moved]), moved)
        seen = set(existing.user_id.ids)
        partner_of = dict(self.env["res.users"].browse([row[0] for row in rows]).mapped(
            lambda user: (user.id, user.partner_id.id)))
        new = self.with_context(tracking_disable=True, mail_create_nolog=True, mail_create_nosubscribe=True).create([{
            "user_id": user_id, "team_id": team_id, "role_id": role_id, "region_id": region_id,
            "company_id": company.id, "period_type": period_type, "date_from": date_from, "date_to": date_to,
            "message_follower_ids": [Command.create({"res_model": self._name, "partner_id": partner_of[user_id]})],
        } for user_id, team_id, role_id, region_id in rows if user_id not in seen])
        cards = drafts | new
        cards._refresh_figures()
        return cards

    def _refresh_figures(self):
        """Compute the figures of these scorecards, then their scores, totals and ranks: a
        constant number of queries whatever their number."""
        cards = self.filtered(lambda card: card.state == "draft")
        if not cards:
            return
        self.env.flush_all()
        Figure = self.env["sales.org.figure"]
        # this period's and last year's confirmed sales, the person's wherever booked (keys: ±id)
        goals = SQL(", ").join(
            SQL("(%s::int, NULL::int, %s::int, %s::int, 'order_amount'::varchar, %s::date, %s::date)",
                key, card.user_id.id, card.company_id.id, start, end)
            for card in cards
            for key, start, end in (
                (card.id, card.date_from, card.date_to),
                (-card.id, card.date_from - relativedelta(years=1), card.date_to - relativedelta(years=1)),
            )
        )
        actuals = self.env["sales.target.analysis"]._actuals(SQL("SELECT * FROM (VALUES %s) AS g", goals))
        targets = dict(self.env.execute_query(SQL(
            """
            SELECT s.id, t.amount FROM sales_scorecard s
              JOIN sales_target t ON t.user_id = s.user_id AND t.company_id = s.company_id
                   AND t.metric = 'order_amount' AND t.date_from = s.date_from AND t.date_to = s.date_to
             WHERE s.id = ANY(%s)
            """,
            cards.ids,
        )))
        start, end = min(cards.mapped("date_from")), max(cards.mapped("date_to"))
        domain = [("user_id", "in", cards.user_id.ids), ("company_id", "in", cards.company_id.ids),
                  ("date", ">=", start), ("date", "<=", end)]
        rated = defaultdict(lambda: [0, 0])
        for user, month, company, total, count in Figure.sudo()._read_group(
                domain + [("satisfaction_count", ">", 0)], ["user_id", "date:month", "company_id"],
                ["satisfaction_sum:sum", "satisfaction_count:sum"]):
            rated[user.id, company.id, month] = [total or 0, count or 0]
        points = {}
        for user, month, company, total in self.env["sales.slip"].sudo()._read_group(
                [("person_id", "in", cards.user_id.ids), ("company_id", "in", cards.company_id.ids),
                 ("state", "=", "approved"), ("date", ">=", start), ("date", "<=", end)],
                ["person_id", "date:month", "company_id"], ["points:sum"]):
            points[user.id, company.id, month] = total or 0
        values = {}
        for card in cards:
            sales, last_year = actuals.get(card.id, 0.0), actuals.get(-card.id, 0.0)
            target = targets.get(card.id) or 0.0
            months = [card.date_from + relativedelta(months=n)
                      for n in range((card.date_to.year - card.date_from.year) * 12
                                     + card.date_to.month - card.date_from.month + 1)]
            key = (card.user_id.id, card.company_id.id)
            total = sum(rated[(*key, month)][0] for month in months if (*key, month) in rated)
            count = sum(rated[(*key, month)][1] for month in months if (*key, month) in rated)
            values[card] = {
                "sales_amount": sales, "target_amount": target,
                "achievement": 100.0 * sales / target if target > 0 else 0.0,
                "last_year_amount": last_year,
                "growth": 100.0 * (sales - last_year) / last_year if last_year > 0 else 0.0,
                "satisfaction": total / count if count else 0.0, "satisfaction_count": count,
                "slip_points": sum(points.get((*key, month), 0) for month in months),
            }
        Figure._store(cards, values)
        cards._refresh_scores()

    def _refresh_scores(self):
        """Scores and totals of these drafts from their figures and their role's weights (one
        UPDATE), then the ranks of their periods' drafts (one UPDATE with window functions)."""
        cards = self.filtered(lambda card: card.state == "draft")
        if not cards:
            return
        weights = defaultdict(dict)
        for role, criterion, weight in self.env["sales.scorecard.weight"].sudo()._read_group(
                [("role_id", "in", cards.role_id.ids)], ["role_id", "criterion"], ["weight:sum"]):
            weights[role.id][criterion] = weight or 0.0
        values = {}
        for card in cards:
            scores = {
                "sales": min(card.achievement, 100.0) if card.target_amount > 0 else None,
                "growth": _clamp(50.0 + card.growth / 2) if card.last_year_amount > 0 else None,
                "satisfaction": card.satisfaction * 20 if card.satisfaction_count else None,
                "teamwork": int(card.teamwork) * 20.0 if card.teamwork else None,
                "slips": _clamp(50.0 + card.slip_points),
            }
            weighted = [(weights[card.role_id.id].get(criterion, 0.0), score)
                        for criterion, score in scores.items() if score is not None]
            total_weight = sum(weight for weight, _score in weighted)
            values[card] = dict(
                {f"{criterion}_score": float_round(score or 0.0, precision_digits=1)
                 for criterion, score in scores.items()},
                # rounded as shown: two scores that read the same share their rank
                score=float_round(sum(weight * score for weight, score in weighted) / total_weight
                                  if total_weight else 0.0, precision_digits=1),
            )
        self.env["sales.org.figure"]._store(cards, values)
        self.env.cr.execute(SQL(
            """
            WITH period AS MATERIALIZED (
                SELECT DISTINCT company_id, period_type, date_from FROM sales_scorecard WHERE id = ANY(%(ids)s)
            ),
            r AS MATERIALIZED (
                    SELECT id,
                           CASE WHEN team_id IS NOT NULL THEN dense_rank() OVER (
                               PARTITION BY company_id, period_type, date_from, team_id ORDER BY score DESC) END
                               AS rank_unit,
                           CASE WHEN region_id IS NOT NULL THEN dense_rank() OVER (
                               PARTITION BY company_id, period_type, date_from, region_id ORDER BY score DESC) END
                               AS rank_region
                      FROM sales_scorecard JOIN period USING (company_id, period_type, date_from)
            )
            -- materialized: ranked once, whatever the planner estimates of a table just filled
            UPDATE sales_scorecard s
               SET rank_unit = r.rank_unit, rank_region = r.rank_region
              FROM r
             WHERE s.id = r.id AND s.state = 'draft'
            """,
            ids=cards.ids,
        ))
        self.invalidate_model(["rank_unit", "rank_region"])
