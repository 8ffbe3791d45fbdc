from odoo import api, fields, models
from odoo.tools import SQL

from ..models.sales_target import METRICS, PERIOD_TYPES

# a metric's column in the figures source
METRIC_COLUMNS = {metric: metric for metric, _label in METRICS}


class SalesTargetAnalysis(models.Model):
    """Targets against their actuals, live: one row per target, for the pivot and the graph.

    The roll-up (`_sql_actuals`) serves every screen and the breakdown assistant: the figures
    source is summed once per unit, person and month over the months the goals cover, each unit's
    months are added to every unit above it (its `parent_path`), and each goal takes the months
    of its period: a unit's actual is everything booked in it and below, a person's everything
    they did, each figure counted once. A closed period reads the actual kept when it ended.
    """

    _name = "sales.target.analysis"
    _description = "Sales Targets against Actuals"
    _auto = False
    _order = "date_from desc, team_id, user_id"
    _rec_name = "target_id"
    _depends = {
        "sales.target": ["target_type", "team_id", "user_id", "company_id", "metric", "period_type", "date_from",
                         "date_to", "amount", "state", "closed_actual", "is_closed", "parent_id"],
        "crm.team": ["parent_path"],
    }

    target_id = fields.Many2one("sales.target", string="Sales Target", readonly=True)
    parent_id = fields.Many2one("sales.target", string="Broken Down From", readonly=True)
    target_type = fields.Selection([("unit", "Unit"), ("person", "Person")], string="For", readonly=True)
    team_id = fields.Many2one("crm.team", string="Unit", readonly=True)
    user_id = fields.Many2one("res.users", string="Person", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    metric = fields.Selection(METRICS, readonly=True)
    period_type = fields.Selection(PERIOD_TYPES, string="Period", readonly=True)
    date_from = fields.Date(string="From", readonly=True)
    date_to = fields.Date(string="To", readonly=True)
    state = fields.Selection([("draft", "Draft"), ("agreed", "Agreed")], string="Status", readonly=True)
    amount = fields.Float(string="Target", readonly=True, aggregator="sum", digits=(16, 2))
    actual = fields.Float(readonly=True, aggregator="sum", digits=(16, 2))
    gap = fields.Float(string="Still to Do", readonly=True, aggregator="sum", digits=(16, 2),
                       help="The target less the actual, where the actual is short of it.")

    @property
    def _table_query(self):
        if self.env.su:
            return self._sql_rows()
        # the rules cannot reach into the roll-up: only the targets the reader may see are summed
        return self._sql_rows(self.env["sales.target"]._search([]).subselect())

    @api.model
    def _sql_rows(self, target_ids=None):
        """SQL of the rows of the targets (`target_ids`: ids or an SQL query of ids; else all): the
        live actual of an open period, the kept one of a closed period."""
        if target_ids is None:
            only = SQL()
        elif isinstance(target_ids, SQL):
            only = SQL(" AND t.id IN %s", target_ids)  # a subselect brings its parentheses
        else:
            only = SQL(" AND t.id = ANY(%s)", list(target_ids))
        live = self._sql_actuals(SQL(
            """
            SELECT t.id, t.team_id, t.user_id, t.company_id, t.metric, t.date_from, t.date_to
              FROM sales_target t WHERE t.is_closed IS NOT TRUE%s
            """,
            only,
        ))
        return SQL(
            """
            SELECT r.*, GREATEST(r.amount - r.actual, 0) AS gap
              FROM (SELECT t.id, t.id AS target_id, t.parent_id, t.target_type, t.team_id, t.user_id, t.company_id,
                           t.metric, t.period_type, t.date_from, t.date_to, t.state, t.amount,
                           CASE WHEN t.is_closed THEN t.closed_actual ELSE COALESCE(live.actual, 0) END AS actual
                      FROM sales_target t
                 LEFT JOIN (%(live)s) live ON live.key = t.id
                     WHERE TRUE%(only)s) r
            """,
            live=live, only=only,
        )

    @api.model
    def _read_group(self, domain, groupby=(), aggregates=(), having=(), offset=0, limit=None, order=None):
        self.env.cr.execute("SET LOCAL jit = off")  # as sales.org.figure: compiling costs more than running
        return super()._read_group(domain, groupby, aggregates, having, offset, limit, order)

    @api.model
    def _sql_actuals(self, goals):
        """SQL of (key, actual) for `goals`, an SQL query of (key, team_id, user_id, company_id,
        metric, date_from, date_to): with a user_id, the person's actual, else the unit's and the
        units' below; periods are whole months. A few scans of the figures, whatever the number
        of goals."""
        figure = self.env["sales.org.figure"]
        columns = SQL(", ").join(SQL("sum(f.%s) AS %s", SQL.identifier(c), SQL.identifier(c))
                                 for c in METRIC_COLUMNS.values())
        summed = SQL(", ").join(SQL("sum(x.%s) AS %s", SQL.identifier(c), SQL.identifier(c))
                                for c in METRIC_COLUMNS.values())
        pick = SQL("CASE g.metric %s END", SQL(" ").join(
            SQL("WHEN %s THEN x.%s", metric, SQL.identifier(column)) for metric, column in METRIC_COLUMNS.items()))
        return SQL(
            """
            WITH goal(key, team_id, user_id, company_id, metric, date_from, date_to) AS MATERIALIZED (%(goals)s),
            span AS (SELECT min(date_from) AS lo, max(date_to) AS hi FROM goal),
            -- the figures of the months the goals cover, per unit, person and month
            monthly AS MATERIALIZED (
                SELECT f.company_id, f.team_id, f.user_id, date_trunc('month', f.date)::date AS month, %(columns)s
                  FROM (%(figures)s) f, span
                 WHERE f.date >= span.lo AND f.date <= span.hi
                 GROUP BY 1, 2, 3, 4
            ),
            -- each unit's months, added to itself and every unit above it
            unit_month AS (
                SELECT x.company_id, above.id AS team_id, x.month, %(summed)s
                  FROM monthly x
                  JOIN crm_team ft ON ft.id = x.team_id
                 CROSS JOIN LATERAL unnest(string_to_array(rtrim(ft.parent_path, '/'), '/')::int[]) AS above(id)
                 WHERE above.id IN (SELECT team_id FROM goal WHERE user_id IS NULL)
                 GROUP BY 1, 2, 3
            ),
            person_month AS (
                SELECT x.company_id, x.user_id, x.month, %(summed)s
                  FROM monthly x
                 WHERE x.user_id IN (SELECT user_id FROM goal WHERE user_id IS NOT NULL)
                 GROUP BY 1, 2, 3
            )
            SELECT g.key, COALESCE(sum(%(pick)s), 0) AS actual
              FROM goal g
              JOIN unit_month x ON g.user_id IS NULL AND x.team_id = g.team_id AND x.company_id = g.company_id
                   AND x.month BETWEEN g.date_from AND g.date_to
             GROUP BY g.key
             UNION ALL
            SELECT g.key, COALESCE(sum(%(pick)s), 0)
              FROM goal g
              JOIN person_month x ON x.user_id = g.user_id AND x.company_id = g.company_id
                   AND x.month BETWEEN g.date_from AND g.date_to
             GROUP BY g.key
            """,
            goals=goals, columns=columns, summed=summed, pick=pick, figures=figure._table_query,
        )

    @api.model
    def _actuals(self, goals):
        """{key: actual} of `goals`, an SQL query as for `_sql_actuals`: one query."""
        self.env.flush_all()
        self.env.cr.execute("SET LOCAL jit = off")
        return dict(self.env.execute_query(self._sql_actuals(goals)))

    @api.model
    def _actuals_of_targets(self, target_ids):
        """{target id: actual}: live for an open period, as kept for a closed one; one query."""
        if not target_ids:
            return {}
        self.env.flush_all()
        self.env.cr.execute("SET LOCAL jit = off")
        return dict(self.env.execute_query(SQL("SELECT r.id, r.actual FROM (%s) r", self._sql_rows(target_ids))))
