#!/usr/bin/env python3
"""Benchmark: settling a month of commissions, ours side by side with OCA's `sale_commission_oca` 18.0.

    .venv/bin/python bench/bench_commissions.py [--small] [--rebuild] [--again] [--explain] [--month YYYY-MM]

Full size: the 3,000 bench people and 200,000 confirmed order lines in the month (4 per
order), their posted invoices; --small: 300 people and 20,000 lines. Not a test: run it
with the machine quiet.

1. The bench tree: database `sto_bc_tree`, a copy of bench/run's `sto_bench` (its 300 units
   and 3,000 people; built by bench/run first if missing), sales_team_org upgraded to this tree.
2. OCA's wheels `odoo-addon-sale_commission_oca==18.0.*` and the two it needs
   (`account_commission_oca`, `commission_oca`) are pip-installed `--no-deps --target` a
   directory of the benchmark's own ($BENCH_OCA_DIR, by default under /tmp), never into the
   project's virtualenv: that directory's `odoo/addons` is on the addons path of OCA's run
   only. sales_team_org never depends on them.
3. Two copies of the tree: `sto_bc_ours_<size>` and `sto_bc_oca_<size>` (OCA's modules
   installed), then the same data in both (bench_commissions_data.py): ours gets a flat 2 %
   rule on confirmed sales, an override of three levels and the 2 ‰ key-account fee; OCA the
   same 2 % as a fixed-percentage commission, each order and invoice line's agent set (OCA
   18.0 settles invoices: the month's orders are invoiced on their day).
4. Measures, in one run: `sales.commission.settlement._compute_period(company, month)`
   (bench_commissions_ours.py) and OCA's settlement wizard `commission.make.settle` on the
   month's sales invoices (bench_commissions_oca.py), prints both with the lines each made,
   and checks that both flat rules credit the same total.
"""
import argparse
import ast
import json
import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
ODOO_SRC = Path(os.environ.get("ODOO_SRC", "/opt/odoo-18.0"))
PYTHON = Path(os.environ.get("VENV", ROOT / ".venv")) / "bin" / "python"
OCA_DIR = Path(os.environ.get("BENCH_OCA_DIR", "/tmp/sales_team_org-bench-oca"))
OCA_WHEELS = ["odoo-addon-sale_commission_oca==18.0.*", "odoo-addon-account_commission_oca==18.0.*",
              "odoo-addon-commission_oca==18.0.*"]
OCA_MODULES = ["commission_oca", "account_commission_oca", "sale_commission_oca"]
SOURCE_DB = os.environ.get("BENCH_DB", "sto_bench")
TREE_DB = "sto_bc_tree"
SIZES = {"full": (3000, 200_000), "small": (300, 20_000)}


def log(message):
    print(f"[bench_commissions {time.strftime('%H:%M:%S')}] {message}", flush=True)


def run(cmd, **kwargs):
    return subprocess.run(cmd, check=True, text=True, **kwargs)


def psql(db, sql):
    return run(["psql", "-X", "-q", "-d", db, "-tAc", sql], capture_output=True).stdout.strip()


def db_exists(db):
    return psql("postgres", f"SELECT 1 FROM pg_database WHERE datname = '{db}'") == "1"


def copy_db(template, db):
    run(["dropdb", "--if-exists", db])
    run(["createdb", "-T", template, db])


def addons_path(oca=False):
    paths = [path for path in (ODOO_SRC / "odoo" / "addons", ODOO_SRC / "addons") if path.is_dir()] + [ROOT]
    if oca:
        paths.append(OCA_DIR / "odoo" / "addons")
    return ",".join(str(path) for path in paths)


def odoo(db, *args, oca=False, script=None, env=None):
    """odoo-bin (or its shell fed `script`) on `db`, without HTTP; the shell's output returned."""
    binary = ODOO_SRC / "setup" / "odoo-bin"
    cmd = [str(PYTHON), str(binary if binary.exists() else ODOO_SRC / "odoo-bin")]
    if script:
        cmd.append("shell")
    cmd += [f"--addons-path={addons_path(oca)}", "-d", db, "--db_host=", "--no-http", "--log-level=warn", *args]
    if not script:
        run(cmd + ["--stop-after-init"])
        return ""
    with open(BENCH / script) as stdin:
        result = subprocess.run(cmd, stdin=stdin, capture_output=True, text=True, env={**os.environ, **(env or {})},
                                check=False)
    errors = "".join(line for line in result.stderr.splitlines(keepends=True) if "as user 'root'" not in line)
    if errors.strip() or result.returncode:
        print(errors, file=sys.stderr, end="")
    if result.returncode:
        print(result.stdout)
        raise SystemExit(f"{script} failed on {db}")
    return result.stdout


def ensure_oca():
    """OCA's wheels in the benchmark's own directory, and their dependencies checked to be Odoo
    Community's or each other's."""
    if not all((OCA_DIR / "odoo" / "addons" / name / "__manifest__.py").exists() for name in OCA_MODULES):
        log(f"installing {', '.join(OCA_WHEELS)} into {OCA_DIR} (--no-deps --target: not the project's venv)")
        pip = run([str(PYTHON), "-m", "pip", "install", "-q", "--no-deps", "--upgrade", "--target", str(OCA_DIR),
                   *OCA_WHEELS], capture_output=True)
        # without this machine's warnings about its unused local index folders
        print("".join(line for line in (pip.stdout + pip.stderr).splitlines(keepends=True)
                      if "is ignored: it is neither a file nor a directory" not in line), end="")
    versions = {}
    for name in OCA_MODULES:
        manifest = ast.literal_eval((OCA_DIR / "odoo" / "addons" / name / "__manifest__.py").read_text())
        versions[name] = manifest["version"]
        for dep in manifest.get("depends", []):
            if dep not in OCA_MODULES and not any((ODOO_SRC / path / dep / "__manifest__.py").exists()
                                                  for path in ("addons", "odoo/addons")):
                raise SystemExit(f"{name} depends on {dep}, not in Odoo 18 Community at {ODOO_SRC}")
    return versions


def ensure_tree(rebuild, env):
    """The bench tree with sales_team_org at this tree's code, the bench's orders out of the way."""
    if rebuild or not db_exists(TREE_DB):
        people = db_exists(SOURCE_DB) and psql(
            SOURCE_DB, "SELECT count(*) FROM res_users WHERE login LIKE 'bench\\_rep\\_%'") or "0"
        if int(people) < SIZES["full"][0]:
            log(f"{SOURCE_DB} has no bench tree: building it with bench/run (some minutes)")
            run([str(BENCH / "run")], env={**os.environ, "BENCH_DB": SOURCE_DB})
        log(f"copying {SOURCE_DB} to {TREE_DB}")
        copy_db(SOURCE_DB, TREE_DB)
    started = time.perf_counter()
    odoo(TREE_DB, "-u", "sales_team_org")
    log(f"sales_team_org upgraded in {TREE_DB} in {time.perf_counter() - started:.0f} s")
    result_of(odoo(TREE_DB, script="bench_commissions_data.py", env={**env, "BENCH_TREE": "1"})
              + "\nBENCH_RESULT {}", TREE_DB)


def last_month():
    today = date.today()
    return (today.replace(day=1) - date.resolution).replace(day=1)


def result_of(output, label):
    for line in output.splitlines():
        if line.startswith("BENCH_DATA"):
            log(f"{label}: {line[11:]}")
    lines = [line for line in output.splitlines() if line.startswith("BENCH_RESULT ")]
    if not lines:
        print(output)
        raise SystemExit(f"{label}: no result")
    for line in output.splitlines():
        if line.startswith("--- ") or line.startswith("    ") or line.startswith("  "):
            print(line)
    return json.loads(lines[-1][len("BENCH_RESULT "):])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", action="store_true", help="300 people, 20,000 order lines")
    parser.add_argument("--rebuild", action="store_true", help=f"copy {SOURCE_DB} to {TREE_DB} again")
    parser.add_argument("--again", action="store_true",
                        help="measure again in the databases of the last run (same month), without building them")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE our statements over 0.1 s")
    parser.add_argument("--month", help="the month settled, YYYY-MM (default: last month)")
    args = parser.parse_args()
    size = "small" if args.small else "full"
    people, lines = SIZES[size]
    month = date.fromisoformat(args.month + "-01") if args.month else last_month()
    env = {"BENCH_MONTH": month.isoformat(), "BENCH_PEOPLE": str(people), "BENCH_LINES": str(lines),
           "BENCH_EXPLAIN": "1" if args.explain else ""}
    started = time.perf_counter()
    versions = ensure_oca()
    ours_db, oca_db = f"sto_bc_ours_{size}", f"sto_bc_oca_{size}"
    if args.again and db_exists(ours_db) and db_exists(oca_db):
        log(f"measuring again in {ours_db} and {oca_db}, sales_team_org upgraded")
        odoo(ours_db, "-u", "sales_team_org")
    else:
        ensure_tree(args.rebuild, env)
        copy_db(TREE_DB, ours_db)
        copy_db(TREE_DB, oca_db)
        log(f"installing {', '.join(f'{n} {v}' for n, v in versions.items())} in {oca_db}")
        odoo(oca_db, "-i", "sale_commission_oca", "--without-demo=all", oca=True)
        log(f"the same data in {ours_db} and {oca_db}: {people} people, {lines} order lines of {month:%Y-%m}")
        for db, oca in ((ours_db, False), (oca_db, True)):
            result_of(odoo(db, oca=oca, script="bench_commissions_data.py", env=env) + "\nBENCH_RESULT {}", db)
    log(f"set up in {time.perf_counter() - started:.0f} s; measuring ours, then OCA's")
    ours = result_of(odoo(ours_db, script="bench_commissions_ours.py", env=env), "ours")
    oca = result_of(odoo(oca_db, oca=True, script="bench_commissions_oca.py", env=env), "OCA")

    print(f"\nSettling {month:%Y-%m}: {people:,} people, {lines:,} confirmed order lines ({size} size), "
          f"a machine of {os.cpu_count()} cores; ours: median of {ours['rounds']}, OCA: one run")
    print(f"| size | ours, 3 rules (flat 2 %, override, 2 ‰ fee) | ours, the flat rule alone | "
          f"OCA sale_commission_oca {versions['sale_commission_oca']}, the flat rule (commission.make.settle) | "
          f"ratio OCA/ours: 3 rules, flat alone |")
    print("|---|---|---|---|---|")
    print(f"| {people:,} people, {lines:,} lines | {ours['seconds']:.2f} s, {ours['queries']} queries, "
          f"{ours['lines']:,} lines | {ours['flat_only_seconds']:.2f} s, {ours['flat_only_queries']} queries, "
          f"{ours['flat_only_lines']:,} lines | {oca['seconds']:.1f} s, {oca['queries']:,} queries, "
          f"{oca['lines']:,} lines | **{oca['seconds'] / ours['seconds']:.1f}×**, "
          f"{oca['seconds'] / ours['flat_only_seconds']:.1f}× |")
    print(f"ours, 3 rules: {ours['lines']:,} lines in {ours['settlements']:,} draft settlements "
          f"({', '.join(f'{kind} {count:,}' for kind, count in sorted(ours['kinds'].items()))}), rounds "
          f"{', '.join(f'{t:.2f}' for t in ours['times'])} s; the month computed again over its drafts: "
          f"{ours['recompute_seconds']:.2f} s, {ours['recompute_queries']} queries, "
          f"same lines: {ours['recompute_same']}")
    print(f"OCA: {oca['lines']:,} settlement lines in {oca['settlements']:,} settlements")
    print(f"the flat 2 % rule: ours {ours['flat_lines']:,} lines, total {ours['flat_total']:,.2f} "
          f"(alone: {ours['flat_only_total']:,.2f}); OCA {oca['lines']:,} lines, total {oca['total']:,.2f}")
    ok = (round(ours["flat_total"], 2) == round(oca["total"], 2) == round(ours["flat_only_total"], 2)
          and ours["flat_lines"] == oca["lines"] == lines)
    print(f"sanity (the same lines and total for the flat rule): {'OK' if ok else 'MISMATCH'}; "
          f"goal at least 5×: {'met' if oca['seconds'] >= 5 * ours['seconds'] else 'NOT met'}")
    log(f"done in {time.perf_counter() - started:.0f} s")
    if not ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
