"""Our side of the commissions' benchmark (bench_commissions.py), fed to `odoo-bin shell`.

Drafts the month BENCH_MONTH of every bench person with `_compute_period` (the flat 2 %
rule, the override and the key-account fee of bench_commissions_data.py), median of
`ROUNDS`, each round rolled back; the first round also computes the month again (the same
lines expected). Then the same with the flat rule alone, like for like with OCA's. Prints
one `BENCH_RESULT` JSON line; with BENCH_EXPLAIN, the plans of the statements over 0.1 s
(EXPLAIN ANALYZE, a round of its own).
"""
import json
import os
import re
import statistics
import time
from datetime import date, timedelta

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL

ROUNDS = 3
FLAT = "Bench flat 2 %"  # bench_commissions_data.py's flat rule


def summary(env, month):
    env.cr.execute(SQL(
        """
        SELECT l.kind, r.name->>'en_US' = %s, count(*), sum(l.amount), count(DISTINCT l.settlement_id)
          FROM sales_commission_settlement_line l
          JOIN sales_commission_settlement s ON s.id = l.settlement_id
     LEFT JOIN sales_commission_rule r ON r.id = l.rule_id
         WHERE s.date_from = %s AND s.state = 'draft'
         GROUP BY 1, 2
        """,
        FLAT, month,
    ))
    rows = env.cr.fetchall()
    env.cr.execute(SQL("SELECT count(*) FROM sales_commission_settlement WHERE date_from = %s AND state = 'draft'",
                       month))
    return {
        "settlements": env.cr.fetchone()[0],
        "lines": sum(count for _k, _f, count, _s, _n in rows),
        "kinds": {kind: sum(c for k, _f, c, _s, _n in rows if k == kind) for kind in {row[0] for row in rows}},
        "flat_lines": sum(count for kind, flat, count, _s, _n in rows if flat and kind == "own"),
        "flat_total": float(sum(total for _k, flat, _c, total, _n in rows if flat)),
        "total": float(sum(total for _k, _f, _c, total, _n in rows)),
    }


def timed(env, func):
    env.invalidate_all()
    env.registry.clear_cache()
    count = env.cr.sql_log_count
    start = time.perf_counter()
    func()
    env.flush_all()
    return time.perf_counter() - start, env.cr.sql_log_count - count


def statements(code, args):
    """`code` (with its `args`) cut into its statements, each with its own args."""
    pieces, args = [], list(args or ())
    for piece in re.split(r";\s*(?=\S|$)", code.strip()):
        if not piece.strip():
            continue
        count = piece.replace("%%", "").count("%s")
        pieces.append((piece, args[:count]))
        args = args[count:]
    return pieces


def explain(env, func):
    """Run `func` once, each of its statements under EXPLAIN ANALYZE (which runs it): print
    the plans of those over 0.1 s, then roll back."""
    cr = env.cr
    execute = cr.execute
    slow = 0.1

    def plan(code, args):
        start = time.perf_counter()
        execute("EXPLAIN (ANALYZE, BUFFERS) " + code, args if args else None)
        lines = [line for line, in cr.fetchall()]
        seconds = time.perf_counter() - start
        if seconds > slow:
            print(f"--- {seconds:.2f} s:\n{code.strip()[:4000]}\n" + "\n".join(f"    {line}" for line in lines))

    def spy(query, params=None, log_exceptions=True):
        code, args = (query.code, query.params) if isinstance(query, SQL) else (query, params)
        head = code.lstrip().upper()
        if head.startswith(("SELECT", "WITH")) and not re.search(r"\b(INSERT|UPDATE|DELETE)\b", head):
            start = time.perf_counter()
            result = execute(query, params, log_exceptions)
            if time.perf_counter() - start > slow:
                plan(code, args)
                result = execute(query, params, log_exceptions)  # the caller reads the rows it asked for
            return result
        pieces = statements(code, args)
        for i, (piece, piece_args) in enumerate(pieces):
            explainable = re.match(r"\s*(CREATE TEMP TABLE \w+ (ON COMMIT DROP )?AS|INSERT|UPDATE|DELETE|WITH)",
                                   piece, re.I)
            if explainable and not (i == len(pieces) - 1 and re.search(r"\bRETURNING\b", piece, re.I)):
                plan(piece, piece_args)
            else:
                start = time.perf_counter()
                result = execute(piece, piece_args if piece_args else None, log_exceptions)
                if time.perf_counter() - start > slow:
                    print(f"--- {time.perf_counter() - start:.2f} s, not explained:\n{piece.strip()[:4000]}")
        return None

    env.flush_all()
    cr.execute("SAVEPOINT bench_commissions_explain")
    env.invalidate_all()
    cr.execute("SET LOCAL jit = off")
    cr.execute = spy
    try:
        func()
        env.flush_all()
    finally:
        del cr.execute
    cr.execute("ROLLBACK TO SAVEPOINT bench_commissions_explain")
    env.invalidate_all()


def main(env):
    env = api.Environment(env.cr, SUPERUSER_ID, {})
    month = date.fromisoformat(os.environ["BENCH_MONTH"])
    company = env.company
    Settlement = env["sales.commission.settlement"].sudo()

    def compute():
        Settlement._compute_period(company, month)

    times, queries, result = [], set(), None
    for round_ in range(ROUNDS):
        env.flush_all()
        env.cr.execute("SAVEPOINT bench_commissions_round")
        seconds, count = timed(env, compute)
        times.append(seconds)
        queries.add(count)
        if not round_:
            result = summary(env, month)
            again, again_queries = timed(env, compute)
            result.update(recompute_seconds=again, recompute_queries=again_queries,
                          recompute_same=summary(env, month) == result)
        env.cr.execute("ROLLBACK TO SAVEPOINT bench_commissions_round")
        env.invalidate_all()
    result.update(seconds=statistics.median(times), rounds=ROUNDS, times=times,
                  queries="/".join(map(str, sorted(queries))))

    # like for like with OCA: the flat rule alone, the override and the fee ended the month before
    env.cr.execute("SAVEPOINT bench_commissions_flat")
    env["sales.commission.rule"].search([("name", "in", ["Bench override", "Bench key-account fee"])]).write(
        {"date_to": month - timedelta(days=1)})
    flat_times = []
    for _round in range(ROUNDS):
        env.flush_all()
        env.cr.execute("SAVEPOINT bench_commissions_round")
        seconds, count = timed(env, compute)
        flat_times.append(seconds)
        if not _round:
            flat = summary(env, month)
            result.update(flat_only_lines=flat["lines"], flat_only_total=flat["flat_total"], flat_only_queries=count)
        env.cr.execute("ROLLBACK TO SAVEPOINT bench_commissions_round")
        env.invalidate_all()
    result.update(flat_only_seconds=statistics.median(flat_times))
    env.cr.execute("ROLLBACK TO SAVEPOINT bench_commissions_flat")
    env.invalidate_all()
    if os.environ.get("BENCH_EXPLAIN"):
        explain(env, compute)
    env.cr.rollback()
    print("BENCH_RESULT " + json.dumps(result))


main(env)  # noqa: F821 - `env` is given by odoo-bin shell
