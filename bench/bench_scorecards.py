"""Benchmark: a month's scorecards at the scale of DESIGN.md (run after bench_daily_reports.py
and bench_targets.py, same database).

Fed to `odoo-bin shell` by bench/run. In a savepoint rolled back at the end, gives the bench
roles scorecard weights, then the month of the daily reports: a target of confirmed sales for
every bench person (unless the month has person targets already), approved reward and demerit
slips for one person in four, a customer satisfaction on one call line in three. Measures the
scheduled action's work for the month, `_prepare_scorecards` (create, figures, scores, ranks):
for the 3,000 people, then for 300 of them (one tenth, moved to a role of their own, the only
one weighted), to show its queries do not grow with the people.
"""
import os
import statistics
import time

from odoo import SUPERUSER_ID, Command, api
from odoo.tools import SQL

ROUNDS = 3  # seconds each: a few rounds for a median
TENTH = 300
WEIGHTS = {"sales": 40, "growth": 20, "satisfaction": 15, "teamwork": 15, "slips": 10}


def build_targets(env, users, date_from, date_to):
    """The month's target of confirmed sales of every bench person in their unit (SQL, as bench_targets.py)."""
    env.cr.execute(SQL(
        """
        INSERT INTO sales_target (name, target_type, team_id, user_id, company_id, metric, period_type, date_from,
                                  date_to, amount, state, is_closed, closed_actual,
                                  create_date, write_date, create_uid, write_uid)
        SELECT DISTINCT ON (m.user_id) 'Bench', 'person', m.crm_team_id, m.user_id, t.company_id, 'order_amount',
               'month', %(first)s, %(last)s, 10000 + mod(m.user_id, 5) * 10000, 'agreed', FALSE, 0,
               now(), now(), 1, 1
          FROM crm_team_member m JOIN crm_team t ON t.id = m.crm_team_id
         WHERE m.user_id IN %(users)s AND m.active
         ORDER BY m.user_id, m.id
        """,
        first=date_from, last=date_to, users=tuple(users.ids),
    ))
    return env.cr.rowcount


def build_slips(env, users, author, date_from, date_to):
    """Two approved slips, a reward and a demerit, for one bench person in four."""
    env.cr.execute(SQL(
        """
        INSERT INTO sales_slip (kind, user_id, person_id, date, points, amount, company_id, state,
                                create_date, write_date, create_uid, write_uid)
        SELECT CASE WHEN s.points > 0 THEN 'reward' ELSE 'demerit' END, %(author)s, u.id,
               %(first)s::date + mod(u.id * 7 + s.points, %(days)s), s.points, 0, %(company)s, 'approved',
               now(), now(), 1, 1
          FROM res_users u CROSS JOIN (VALUES (5), (-2)) AS s(points)
         WHERE u.id IN %(users)s AND mod(u.id, 4) = 0
        """,
        author=author.id, first=date_from, days=(date_to - date_from).days + 1, company=env.company.id,
        users=tuple(users.ids),
    ))
    return env.cr.rowcount


def rate_lines(env, date_from, date_to):
    """A customer satisfaction (1 to 5) on one call line in three of the month."""
    env.cr.execute(SQL(
        """
        UPDATE sales_daily_report_line SET satisfaction = (1 + mod(id, 5))::text
         WHERE date BETWEEN %s AND %s AND mod(id, 3) = 0
        """,
        date_from, date_to,
    ))
    return env.cr.rowcount


def tenth_role(env, users, day):
    """A weighted role of its own for `TENTH` people of the "own" bench role on `day`."""
    role = env["sales.org.role"].create({
        "name": "Bench scorecard tenth", "code": "BENCH-score", "access_level": "own",
        "scorecard_weight_ids": [Command.create({"criterion": c, "weight": w}) for c, w in WEIGHTS.items()],
    })
    env.flush_all()
    env.cr.execute(SQL(
        """
        UPDATE sales_org_assignment SET role_id = %(role)s
         WHERE id IN (SELECT a.id FROM sales_org_assignment a JOIN sales_org_role r ON r.id = a.role_id
                       WHERE r.code = 'BENCH-own' AND a.user_id IN %(users)s AND a.date_from <= %(day)s
                         AND (a.date_to IS NULL OR a.date_to >= %(day)s)
                       ORDER BY a.user_id LIMIT %(count)s)
        """,
        role=role.id, users=tuple(users.ids), day=day, count=TENTH,
    ))
    env.invalidate_all()
    return role


def measure(env, func):
    """Median time and the queries of `func` over `ROUNDS`, each round rolled back to a
    savepoint: the next one creates the scorecards again."""
    times, queries = [], set()
    for _ in range(ROUNDS):
        env.flush_all()
        env.cr.execute("SAVEPOINT bench_scorecards_round")
        env.invalidate_all()
        env.registry.clear_cache()
        count = env.cr.sql_log_count
        start = time.perf_counter()
        cards = func()
        env.flush_all()
        times.append(time.perf_counter() - start)
        queries.add(env.cr.sql_log_count - count)
        stats = check(env, cards)
        env.cr.execute("ROLLBACK TO SAVEPOINT bench_scorecards_round")
        env.invalidate_all()
    return statistics.median(times), sorted(queries), len(cards), stats


def check(env, cards):
    env.cr.execute(SQL(
        """
        SELECT count(*), count(*) FILTER (WHERE team_id IS NOT NULL AND rank_unit IS NULL),
               count(*) FILTER (WHERE region_id IS NOT NULL AND rank_region IS NULL),
               count(*) FILTER (WHERE region_id IS NOT NULL), count(*) FILTER (WHERE target_amount > 0),
               count(*) FILTER (WHERE satisfaction_count > 0), count(*) FILTER (WHERE slip_points != 0),
               count(*) FILTER (WHERE score > 0), max(rank_unit), max(rank_region)
          FROM sales_scorecard WHERE id = ANY(%s)
        """,
        cards.ids,
    ))
    total, no_unit_rank, no_region_rank, *stats = env.cr.fetchone()
    assert total == len(cards), "the scorecards returned must exist"
    assert not no_unit_rank and not no_region_rank, "every scorecard with a unit or a region must be ranked"
    assert all(stats[:5]), f"figures and scores must be filled: {stats}"
    return stats


def explain(env, func):
    """Print the plans (EXPLAIN ANALYZE) of the queries `func` runs that take over 0.2 s."""
    cr, queries = env.cr, []
    execute = cr.execute

    def spy(query, params=None, log_exceptions=True):
        start = time.perf_counter()
        result = execute(query, params, log_exceptions)
        if time.perf_counter() - start > 0.2:
            queries.append((query.code, query.params) if isinstance(query, SQL) else (query, params))
        return result

    env.flush_all()
    cr.execute("SAVEPOINT bench_scorecards_explain")
    env.invalidate_all()
    cr.execute = spy
    try:
        func()
        env.flush_all()
    finally:
        del cr.execute
    cr.execute("ROLLBACK TO SAVEPOINT bench_scorecards_explain")
    env.invalidate_all()
    cr.execute("SET LOCAL jit = off")
    for code, args in queries:
        if code.lstrip().upper().startswith(("SELECT", "WITH")):
            cr.execute("EXPLAIN (ANALYZE, BUFFERS) " + code, args)
            print(f"--- plan:\n{code[:2000]}\n" + "\n".join(line for line, in cr.fetchall()))
        else:
            print(f"--- slow, not explained:\n{code[:2000]}")


def main(env):
    env = api.Environment(env.cr, SUPERUSER_ID, {})
    users = env["res.users"].search([("login", "=like", "bench_rep_%")], order="id")
    company = env.company
    env.cr.execute("SELECT max(date) FROM sales_daily_report WHERE name = 'Bench'")
    last_report = env.cr.fetchone()[0]
    assert last_report, "run bench_daily_reports.py first: the scorecards are of the reports' month"
    date_from, date_to = company._sales_org_period("month", last_report)
    Scorecard = env["sales.scorecard"].sudo()

    env.cr.execute("SAVEPOINT bench_scorecards")
    targets = env["sales.target"].search_count([
        ("target_type", "=", "person"), ("metric", "=", "order_amount"),
        ("date_from", "=", date_from), ("date_to", "=", date_to)])
    if not targets:
        targets = build_targets(env, users, date_from, date_to)
        print(f"{targets} person targets of {date_from:%Y-%m} added for this run")
    slips = build_slips(env, users, users[0], date_from, date_to)
    rated = rate_lines(env, date_from, date_to)
    env.cr.execute("ANALYZE sales_target; ANALYZE sales_slip; ANALYZE sales_daily_report_line")
    print(f"{slips} approved slips and {rated} rated call lines of {date_from:%Y-%m} added for this run")

    def prepare():
        return Scorecard._prepare_scorecards(company, "month", date_to)

    role = tenth_role(env, users, date_to)
    tenth = measure(env, prepare)
    for code in ("BENCH-own", "BENCH-unit", "BENCH-all"):
        env["sales.org.role"].search([("code", "=", code)]).scorecard_weight_ids = [
            Command.create({"criterion": c, "weight": w}) for c, w in WEIGHTS.items()]
    everyone = measure(env, prepare)
    stats = everyone[3]
    print(f"scorecards of {date_from:%Y-%m} (_prepare_scorecards: create, figures, scores, ranks), "
          f"median of {ROUNDS} (seconds, SQL queries):")
    print(f"  {everyone[2]} people: {everyone[0]:.2f} s, {'/'.join(map(str, everyone[1]))} queries")
    print(f"  {tenth[2]} people (role {role.code} only weighted): {tenth[0]:.2f} s, "
          f"{'/'.join(map(str, tenth[1]))} queries")
    extra = (everyone[1][-1] - tenth[1][-1]) / (everyone[2] - tenth[2]) * 100
    print(f"  {extra:.1f} more queries per 100 more people (the ORM inserts and updates by batches of 100)")
    print(f"  with a region {stats[0]}, a target {stats[1]}, rated contacts {stats[2]}, slips {stats[3]}, "
          f"a score {stats[4]}; lowest rank in a unit {stats[5]}, in a region {stats[6]}")
    assert everyone[2] == len(users), f"a scorecard for each of the {len(users)} bench people"
    assert tenth[2] == TENTH, f"a scorecard for each of the {TENTH} people of {role.code}"
    if os.environ.get("BENCH_EXPLAIN"):
        explain(env, prepare)
    env.cr.execute("ROLLBACK TO SAVEPOINT bench_scorecards")
    env.cr.rollback()


main(env)  # noqa: F821 - `env` is given by odoo-bin shell
