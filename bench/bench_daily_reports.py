"""Benchmark: daily reports at the scale of DESIGN.md (run after bench_access.py, same database).

Fed to `odoo-bin shell` by bench/run. Adds (once) a month of daily reports for the 3,000
salespeople — 90,000 reports with two call lines each — then measures, in one run: the board
"who has not submitted" (sales.daily.report.status) of a regional director against a plain
read of the same people's reports, the reminder of a day (time, SQL queries, peak Python
memory), the manager digest of a day, and the XLSX export of the whole month (time, size and
peak Python memory). Everything it does at run time is rolled back.
"""
import os
import resource
import statistics
import tempfile
import time
import tracemalloc
from datetime import timedelta

from odoo import SUPERUSER_ID, api, fields
from odoo.tools import SQL

DAYS = 30
ROUNDS = 40  # the machine is shared: enough rounds for a stable median
BOARD_FIELDS = ["date", "team_id", "user_id", "role_id", "call_count", "state", "is_submitted"]
REPORT_FIELDS = ["date", "team_id", "user_id", "call_count", "state"]


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
    # their first step opens as a submission would (the approver's to-do), without 72,000 notifications
    submitted = env["sales.daily.report"].browse([report_id for report_id, in env.cr.fetchall()])
    submitted._approval_open_steps(dict.fromkeys(submitted.ids, 1))
    # fresh statistics: without them the first change of the tree plans the steps as an empty table
    env.cr.execute("ANALYZE sales_daily_report; ANALYZE sales_daily_report_line; ANALYZE sales_org_approval_step")


def backdate_assignments(env, users, first_day):
    """Bench set-up: the memberships' history (sales.org.assignment) starts each period the day
    its membership was created, i.e. the day the bench data was built, after the month of
    reports. The bench people have been in their units since the month's first day."""
    env.flush_all()
    env.cr.execute(SQL(
        """
        UPDATE sales_org_assignment a SET date_from = %(first)s
         WHERE a.user_id IN %(users)s AND a.date_to IS NULL AND a.date_from > %(first)s
           AND NOT EXISTS (SELECT 1 FROM sales_org_assignment b WHERE b.member_id = a.member_id AND b.id != a.id)
        """,
        first=first_day, users=tuple(users.ids),
    ))
    if env.cr.rowcount:
        print(f"bench set-up: {env.cr.rowcount} assignments backdated to {first_day}")
        env.cr.commit()
    env.invalidate_all()


def board(env, user, day):
    """The first page of "Who Has Not Submitted" with the action's default filters, for `day`."""
    Status = env["sales.daily.report.status"].with_user(user)
    domain = [("user_id", "!=", user.id), ("date", "=", day), ("is_submitted", "=", False)]
    return Status.search_read(domain, BOARD_FIELDS, limit=80), Status.search_count(domain)


def plain_reports(env, user, day):
    """The same people's daily reports of `day`, read as they are."""
    Report = env["sales.daily.report"].with_user(user)
    domain = [("user_id", "!=", user.id), ("date", "=", day)]
    return Report.search_read(domain, REPORT_FIELDS, limit=80), Report.search_count(domain)


def explain(env, label, func, tables):
    """Print the plans (EXPLAIN ANALYZE) of the queries `func` runs on any of `tables`."""
    cr, queries = env.cr, []
    execute = cr.execute

    def spy(query, params=None, log_exceptions=True):
        code, args = (query.code, query.params) if isinstance(query, SQL) else (query, params)
        if any(table in code for table in tables):
            queries.append((code, args))
        return execute(query, params, log_exceptions)

    cr.execute = spy
    try:
        env.invalidate_all()
        func()
    finally:
        del cr.execute
    for code, args in queries:
        cr.execute("EXPLAIN (ANALYZE, BUFFERS) " + code, args)
        print(f"--- plan, {label}:\n" + "\n".join(line for line, in cr.fetchall()))


def side_by_side(env, funcs):
    """Median time of each of `funcs`, taking turns in each round (the machine is shared)."""
    for func in funcs.values():
        func()  # warm the caches
    times = {label: [] for label in funcs}
    for _ in range(ROUNDS):
        for label, func in funcs.items():
            env.invalidate_all()
            start = time.perf_counter()
            func()
            times[label].append(time.perf_counter() - start)
    return {label: statistics.median(values) for label, values in times.items()}


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
    env.cr.execute("SELECT min(date) FROM sales_daily_report WHERE name = 'Bench'")
    backdate_assignments(env, users, min(env.cr.fetchone()[0], days[0]))

    Report = env["sales.daily.report"]
    company = env.company
    # the latest working day of the bench month (the board shows the last 62 days)
    day = next(d for d in reversed(days)
               if env["sales.org.rhythm"]._is_working_day(company.resource_calendar_id, company._sales_org_tz(), d))
    regional = users[0]
    env.cr.execute(SQL(
        """SELECT count(DISTINCT user_id) FROM sales_org_assignment
            WHERE user_id IN %s AND date_from <= %s AND (date_to IS NULL OR date_to >= %s)""",
        tuple(users.ids), day, day))
    print(f"{env.cr.fetchone()[0]} of the {len(users)} bench people have a unit on {day} (sales.org.assignment)")
    rows, missing = board(env, regional, day)
    _reports, written = plain_reports(env, regional, day)
    print(f"board of {day} for a regional director ({len(regional.sales_org_user_ids)} people): "
          f"{missing} not submitted ({len(rows)} on the first page); {written} reports of that day")
    t = side_by_side(env, {"board": lambda: board(env, regional, day),
                           "plain": lambda: plain_reports(env, regional, day)})
    print(f"board's first page (search_read 80 + search_count), median of {ROUNDS}:")
    print(f"  who has not submitted (sales.daily.report.status): {t['board'] * 1000:.1f} ms")
    print(f"  the same people's daily reports (sales.daily.report): {t['plain'] * 1000:.1f} ms")
    print(f"  RATIO board/reports: {t['board'] / t['plain']:.2f} (goal: at most 1.5)")
    if os.environ.get("BENCH_EXPLAIN"):
        explain(env, "board", lambda: board(env, regional, day), ["sales_org_assignment"])
        explain(env, "reports", lambda: plain_reports(env, regional, day), ['FROM "sales_daily_report"'])

    env.cr.execute("SAVEPOINT bench_reminder")
    reminded = timed(env, f"reminder for {day} (drafts and activities for who has not submitted)",
                     lambda: Report._remind_missing_reports(company, day))
    print(f"  {len(reminded)} people reminded")
    env.invalidate_all()
    env.cr.execute("ROLLBACK TO SAVEPOINT bench_reminder")
    env.registry.clear_cache()
    # again, undone above, for its peak Python memory (tracemalloc slows it down: not timed)
    tracemalloc.start()
    reminded = Report._remind_missing_reports(company, day)
    env.flush_all()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"  peak Python memory of the reminder ({len(reminded)} people): {peak / 2**20:.1f} MiB")
    digests = timed(env, f"manager digest for {day}", lambda: Report._send_digest(company, day))
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
