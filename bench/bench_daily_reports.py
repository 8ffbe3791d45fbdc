"""Benchmark: daily reports at the scale of DESIGN.md (run after bench_access.py, same database).

Fed to `odoo-bin shell` by bench/run. Adds (once) a month of daily reports for the 3,000
salespeople — 90,000 reports with two call lines each — then measures, in one run: the
reminder and the manager digest of a day (time and SQL queries), and the XLSX export of the
whole month (time, size and peak Python memory). Everything it does at run time is rolled back.
"""
import resource
import tempfile
import time
import tracemalloc
from datetime import timedelta

from odoo import SUPERUSER_ID, api, fields
from odoo.tools import SQL

DAYS = 30


def build(env, users, days):
    env.cr.execute(SQL(
        """
        INSERT INTO sales_daily_report (name, user_id, date, team_id, company_id, state, call_count, visit_count,
                                        customer_count, new_customer_count, quotation_count, order_count,
                                        order_amount, create_date, write_date, create_uid, write_uid)
        SELECT 'Bench', m.user_id, d::date, m.crm_team_id, %(company)s, 'draft',
               1, 1, 2, mod(m.user_id, 2), mod(m.user_id, 3), mod(m.user_id, 4), mod(m.user_id, 4) * 1000,
               now(), now(), 1, 1
          FROM crm_team_member m
    CROSS JOIN generate_series(%(first)s::date, %(last)s::date, INTERVAL '1 day') d
         WHERE m.user_id IN %(users)s AND m.active
        """,
        company=env.company.id, first=days[0], last=days[-1], users=tuple(users.ids),
    ))
    env.cr.execute(
        """
        INSERT INTO sales_daily_report_line (report_id, user_id, date, channel, sequence, subject, result,
                                             next_step, create_date, write_date, create_uid, write_uid)
        SELECT r.id, r.user_id, r.date, c.channel, c.seq, 'Gate prices and delivery', 'Interested',
               'Send the catalogue', now(), now(), 1, 1
          FROM sales_daily_report r
    CROSS JOIN (VALUES ('phone', 1), ('visit', 2)) AS c(channel, seq)
         WHERE r.name = 'Bench'
        """
    )
    # each report goes to its approver; four in five are then submitted and wait for them
    env["sales.org.review.mixin"]._refresh_all_approvers()
    env.cr.execute("""
        UPDATE sales_daily_report SET state = 'submitted'
         WHERE name = 'Bench' AND mod(user_id + extract(day FROM date)::int, 5) != 0
     RETURNING id
    """)
    env["sales.daily.report"].browse([report_id for report_id, in env.cr.fetchall()])._schedule_review()
    env.cr.execute("ANALYZE sales_daily_report; ANALYZE sales_daily_report_line")


def timed(env, label, func):
    env.flush_all()
    env.invalidate_all()
    env.registry.clear_cache()
    queries = env.cr.sql_log_count
    start = time.perf_counter()
    result = func()
    env.flush_all()
    print(f"{label}: {time.perf_counter() - start:.2f} s, {env.cr.sql_log_count - queries} queries")
    return result


def main(env):
    env = api.Environment(env.cr, SUPERUSER_ID, {})
    users = env["res.users"].search([("login", "=like", "bench_rep_%")], order="id")
    today = fields.Date.context_today(env["res.users"])
    days = [today - timedelta(days=n) for n in range(DAYS, 0, -1)]  # the 30 days before today
    if not env["sales.daily.report"].search_count([("name", "=", "Bench")], limit=1):
        start = time.perf_counter()
        build(env, users, days)
        env.cr.commit()
        print(f"built a month of daily reports in {time.perf_counter() - start:.0f} s")
    count = env["sales.daily.report"].search_count([("date", ">=", days[0]), ("date", "<=", days[-1])])
    lines = env["sales.daily.report.line"].search_count([("date", ">=", days[0]), ("date", "<=", days[-1])])
    print(f"{count} daily reports, {lines} call lines for {len(users)} people over {DAYS} days")

    Report = env["sales.daily.report"]
    day = days[-1]
    reminded = timed(env, "reminder for a day (drafts and activities for who has not submitted)",
                     lambda: Report._remind_missing_reports(env.company, day))
    print(f"  {len(reminded)} people reminded")
    digests = timed(env, "manager digest for a day", lambda: Report._send_digest(env.company, day))
    print(f"  {len(digests)} managers sent a digest")

    # What a change of the tree costs with a month of reports waiting: reporting lines, then the
    # approver of every undecided document (submitted, or a draft of the last two months)
    undecided = Report.search_count([("state", "in", ("draft", "returned", "submitted"))])
    timed(env, f"approvers of {undecided} undecided reports checked, nothing to change",
          env["sales.org.review.mixin"]._refresh_all_approvers)
    member = env["crm.team.member"].search([("user_id", "in", users.ids), ("role_id.access_level", "=", "unit")],
                                            limit=1)
    other = env["crm.team"].search([("id", "!=", member.crm_team_id.id), ("parent_id", "!=", False)], limit=1)
    timed(env, "a leader moved to another unit (the whole change, through the ORM)",
          lambda: member.write({"crm_team_id": other.id}))

    export = env["sales.daily.report.export"].create({"date_from": days[0], "date_to": days[-1]})
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with tempfile.TemporaryFile() as fileobj:
        start = time.perf_counter()
        export._write_xlsx(fileobj)
        elapsed = time.perf_counter() - start
        size = fileobj.tell()
    rss_growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before
    print(f"XLSX export of the month: {elapsed:.1f} s, {size / 2**20:.1f} MiB written, "
          f"peak memory of the process grew by {rss_growth / 1024:.0f} MiB")
    # Peak Python memory follows the number of sheets (xlsxwriter keeps each worksheet's
    # state, about 36 KiB), not the number of reports or lines: same month, sheet per unit.
    for sheet_by in ("team", "user"):
        export.sheet_by = sheet_by
        with tempfile.TemporaryFile() as fileobj:
            tracemalloc.start()
            export._write_xlsx(fileobj)
            _current, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
        key = "team_id" if sheet_by == "team" else "user_id"
        sheets = len(env["sales.daily.report"]._read_group(
            [("date", ">=", days[0]), ("date", "<=", days[-1])], [key]))
        print(f"  peak Python memory, same month, {sheets} sheets: {peak / 2**20:.1f} MiB")
    env.cr.rollback()


main(env)  # noqa: F821 - `env` is given by odoo-bin shell
