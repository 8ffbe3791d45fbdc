"""Benchmark: the targets' roll-up at the scale of DESIGN.md (run after bench_access.py, same database).

Fed to `odoo-bin shell` by bench/run. Adds (once) 200,000 confirmed orders of the bench people
over this year, one line each, then creates this year's targets — 12 monthly targets of
confirmed sales for each of the 300 units and each of the 3,000 people (39,600) — and measures,
side by side in one run: (a) the target analysis of the whole year grouped by unit (a
read_group computing every target's actual), (b) the live actual of one screen of targets
(80) and (c) a plain read_group of the same orders grouped by unit and month, the floor any
roll-up is compared with. The targets are rolled back at the end.
"""
import os
import statistics
import time
from datetime import date

from odoo import SUPERUSER_ID, api, fields
from odoo.tools import SQL

ORDERS = 200_000
ROUNDS = 5  # the year's roll-up takes seconds: a few rounds for a median


def build_orders(env, users, first, last):
    """`ORDERS` confirmed orders of the bench people in their units, spread over [first, last]."""
    partner = env["res.partner"].create({"name": "Bench Customer", "is_company": True})
    product = env["product.product"].create({"name": "Bench Gate", "list_price": 1000.0})
    env.flush_all()
    company = env.company
    env.cr.execute(SQL(
        """
        INSERT INTO sale_order (name, state, date_order, partner_id, partner_invoice_id, partner_shipping_id,
                                company_id, currency_id, currency_rate, user_id, team_id, amount_untaxed,
                                amount_tax, amount_total, create_date, write_date, create_uid, write_uid)
        SELECT 'BENCH/' || g, 'sale',
               %(first)s::timestamp + (mod(g * 7919, %(days)s) || ' days')::interval + INTERVAL '12 hours',
               %(partner)s, %(partner)s, %(partner)s, %(company)s, %(currency)s, 1.0, m.user_id, m.crm_team_id,
               mod(g, 100) * 100 + 500, 0, mod(g, 100) * 100 + 500, now(), now(), 1, 1
          FROM generate_series(1, %(orders)s) g
          JOIN (SELECT row_number() OVER (ORDER BY id) - 1 AS n, user_id, crm_team_id
                  FROM crm_team_member WHERE user_id IN %(users)s AND active) m
            ON m.n = mod(g, %(people)s)
        """,
        first=first, days=(last - first).days + 1, partner=partner.id, company=company.id,
        currency=company.currency_id.id, orders=ORDERS, users=tuple(users.ids), people=len(users),
    ))
    env.cr.execute(SQL(
        """
        INSERT INTO sale_order_line (order_id, name, sequence, product_id, product_uom, product_uom_qty, price_unit,
                                     price_subtotal, price_total, customer_lead, state, company_id, currency_id,
                                     order_partner_id, salesman_id, create_date, write_date, create_uid, write_uid)
        SELECT so.id, 'Bench Gate', 10, %(product)s, %(uom)s, 1, so.amount_untaxed, so.amount_untaxed,
               so.amount_untaxed, 0, 'sale', so.company_id, so.currency_id, so.partner_id, so.user_id,
               now(), now(), 1, 1
          FROM sale_order so WHERE starts_with(so.name, 'BENCH/')
        """,
        product=product.id, uom=product.uom_id.id,
    ))
    env.cr.execute("ANALYZE sale_order; ANALYZE sale_order_line")


def build_targets(env, units, first):
    """This year's monthly targets of confirmed sales of every bench unit and person (in SQL:
    the ORM's checks of each target are not what is measured here)."""
    env.cr.execute(SQL(
        """
        INSERT INTO sales_target (name, target_type, team_id, user_id, company_id, metric, period_type, date_from,
                                  date_to, amount, state, is_closed, closed_actual,
                                  create_date, write_date, create_uid, write_uid)
        SELECT 'Bench', o.target_type, o.team_id, o.user_id, t.company_id, 'order_amount', 'month', m::date,
               (m + INTERVAL '1 month - 1 day')::date, o.amount, 'agreed', FALSE, 0, now(), now(), 1, 1
          FROM (SELECT 'unit' AS target_type, id AS team_id, NULL::int AS user_id, 1000000 AS amount
                  FROM crm_team WHERE id IN %(units)s
                 UNION ALL
               (SELECT DISTINCT ON (user_id) 'person', crm_team_id, user_id, 100000
                  FROM crm_team_member WHERE crm_team_id IN %(units)s AND active ORDER BY user_id, id)) o
          JOIN crm_team t ON t.id = o.team_id
         CROSS JOIN generate_series(%(first)s::date, %(first)s::date + INTERVAL '11 months', INTERVAL '1 month') m
        """,
        units=tuple(units.ids), first=first,
    ))
    count = env.cr.rowcount
    env.cr.execute("ANALYZE sales_target")
    return count


def build_reports(env, users, today):
    """A month of daily reports with two call lines each, as bench_daily_reports.py builds them
    (for the figures source's calls and visits): only when that bench has not built them."""
    env.cr.execute(SQL(
        """
        WITH r AS (
            INSERT INTO sales_daily_report (name, user_id, date, team_id, company_id, state, call_count, visit_count,
                                            create_date, write_date, create_uid, write_uid)
            SELECT 'Bench', m.user_id, d::date, m.crm_team_id, %(company)s, 'draft', 1, 1, now(), now(), 1, 1
              FROM crm_team_member m
        CROSS JOIN generate_series(%(today)s::date - 30, %(today)s::date - 1, INTERVAL '1 day') d
             WHERE m.user_id IN %(users)s AND m.active
         RETURNING id, user_id, date
        )
        INSERT INTO sales_daily_report_line (report_id, user_id, date, channel, sequence, subject,
                                             create_date, write_date, create_uid, write_uid)
        SELECT r.id, r.user_id, r.date, c.channel, c.seq, 'Gate prices', now(), now(), 1, 1
          FROM r CROSS JOIN (VALUES ('phone', 1), ('visit', 2)) AS c(channel, seq)
        """,
        company=env.company.id, today=today, users=tuple(users.ids),
    ))
    count = env.cr.rowcount
    env.cr.execute("ANALYZE sales_daily_report; ANALYZE sales_daily_report_line")
    return count


def side_by_side(env, funcs):
    """Median time and the queries of each of `funcs`, taking turns in each round."""
    times = {label: [] for label in funcs}
    queries = {}
    for _ in range(ROUNDS):
        for label, func in funcs.items():
            env.invalidate_all()
            env.registry.clear_cache()
            count = env.cr.sql_log_count
            start = time.perf_counter()
            func()
            times[label].append(time.perf_counter() - start)
            queries[label] = env.cr.sql_log_count - count
    return {label: (statistics.median(values), queries[label]) for label, values in times.items()}


def explain(env, label, sql):
    env.cr.execute("SET LOCAL jit = off")
    env.cr.execute(SQL("EXPLAIN (ANALYZE, BUFFERS) %s", sql))
    print(f"--- plan, {label}:\n" + "\n".join(line for line, in env.cr.fetchall()))


def main(env):
    env = api.Environment(env.cr, SUPERUSER_ID, {})
    users = env["res.users"].search([("login", "=like", "bench_rep_%")], order="id")
    units = env["crm.team"].search([("name", "=like", "Bench %")])
    today = fields.Date.context_today(env["res.users"])
    first, last = date(today.year, 1, 1), date(today.year, 12, 31)
    if not env["sale.order"].search_count([("name", "=like", "BENCH/%")], limit=1):
        start = time.perf_counter()
        build_orders(env, users, first, last)
        env.cr.commit()
        print(f"built {ORDERS} confirmed orders in {time.perf_counter() - start:.0f} s")
    env.cr.execute("SAVEPOINT bench_targets")
    if not env["sales.daily.report"].search_count([("name", "=", "Bench")], limit=1):
        print(f"{build_reports(env, users, today)} daily-report lines of the last 30 days added for this run")
    start = time.perf_counter()
    count = build_targets(env, units, first)
    print(f"{count} targets of {today.year} ({len(units)} units, {len(users)} people, 12 months) "
          f"created in {time.perf_counter() - start:.1f} s")

    Analysis, Target, Order = env["sales.target.analysis"], env["sales.target"], env["sale.order"]
    year = [("date_from", ">=", first), ("date_to", "<=", last)]
    order_domain = [("state", "=", "sale"), ("date_order", ">=", first),
                    ("date_order", "<", date(first.year + 1, 1, 1)), ("team_id", "in", units.ids)]
    screen = Target.search(year + [("name", "=", "Bench")], limit=80)

    def rollup():
        return Analysis._read_group(year, ["team_id", "target_type"], ["amount:sum", "actual:sum"])

    def one_screen():
        return Target.browse(screen.ids).mapped("actual")

    def plain():
        return Order._read_group(order_domain, ["team_id", "date_order:month"], ["amount_untaxed:sum"])

    # the roll-up adds up to the orders: HQ's year is every bench order of the year
    hq = units.filtered(lambda unit: not unit.parent_id)
    by_unit = {team: actual for team, target_type, _amount, actual in rollup() if target_type == "unit"}
    orders_total = sum(amount for _team, _month, amount in plain())
    print(f"HQ's actual for the year: {by_unit[hq]:,.0f}; the orders' untaxed total: {orders_total:,.0f}")
    assert round(by_unit[hq], 2) == round(orders_total, 2), "the roll-up must add up to the orders"

    t = side_by_side(env, {"rollup": rollup, "screen": one_screen, "plain": plain})
    print(f"median of {ROUNDS} (seconds, SQL queries):")
    print(f"  (a) target analysis of the year by unit ({count} targets' actuals): "
          f"{t['rollup'][0]:.2f} s, {t['rollup'][1]} queries")
    print(f"  (b) live actual of one screen ({len(screen)} targets): {t['screen'][0]:.2f} s, {t['screen'][1]} queries")
    print(f"  (c) plain read_group of the same orders by unit and month: {t['plain'][0]:.2f} s, "
          f"{t['plain'][1]} queries")
    print(f"  RATIO roll-up/plain: {t['rollup'][0] / t['plain'][0]:.1f}")
    if os.environ.get("BENCH_EXPLAIN"):
        explain(env, "roll-up of the year", Analysis._sql_rows())
        explain(env, "one screen", Analysis._sql_rows(screen.ids))
    env.cr.execute("ROLLBACK TO SAVEPOINT bench_targets")
    env.cr.rollback()


main(env)  # noqa: F821 - `env` is given by odoo-bin shell
