"""OCA's side of the commissions' benchmark (bench_commissions.py), fed to `odoo-bin shell` in
the copy where OCA's `sale_commission_oca` 18.0 is installed.

Settles the month BENCH_MONTH of every agent with OCA's own wizard, `commission.make.settle`
of type "Sales Invoices" up to the first day of the next month (its agents settle monthly:
the month's invoice lines, the only ones), once, rolled back. Prints one `BENCH_RESULT`
JSON line.
"""
import json
import os
import time
from datetime import date, timedelta

from odoo import SUPERUSER_ID, api


def main(env):
    env = api.Environment(env.cr, SUPERUSER_ID, {})
    month = date.fromisoformat(os.environ["BENCH_MONTH"])
    next_month = (month + timedelta(days=32)).replace(day=1)
    env.cr.execute("SAVEPOINT bench_commissions_oca")
    wizard = env["commission.make.settle"].create({"date_to": next_month, "settlement_type": "sale_invoice"})
    env.flush_all()
    env.invalidate_all()
    env.registry.clear_cache()
    count = env.cr.sql_log_count
    start = time.perf_counter()
    wizard.action_settle()
    env.flush_all()
    seconds = time.perf_counter() - start
    queries = env.cr.sql_log_count - count
    env.cr.execute(
        "SELECT count(*), count(DISTINCT settlement_id), sum(settled_amount) FROM commission_settlement_line "
        "WHERE date >= %s AND date < %s", (month, next_month))
    lines, settlements, total = env.cr.fetchone()
    env.cr.execute("ROLLBACK TO SAVEPOINT bench_commissions_oca")
    env.cr.rollback()
    print("BENCH_RESULT " + json.dumps({"seconds": seconds, "queries": queries, "rounds": 1, "lines": lines,
                                        "settlements": settlements, "total": float(total or 0)}))


main(env)  # noqa: F821 - `env` is given by odoo-bin shell
