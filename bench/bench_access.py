"""Benchmark: the cost of hierarchy record rules at the scale of DESIGN.md.

Fed to `odoo-bin shell` by bench/run. Builds (once per database) 5 levels and 300 units,
3,000 salespeople with roles and 300,000 leads, then measures, side by side in one run, a
lead list (search_read of 80 rows + search_count) and the pipeline grouped by stage
(web_read_group) as: an unrestricted user (All Documents), a regional director (the
hierarchy rule) and a "floor" user whose only extra rule is a static
`team_id in [the director's unit ids]` (a bench-only group, created and rolled back here):
the cheapest rule giving the same scope, which any hierarchy rule is compared with.
"""
import statistics
import time

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL

UNITS_PER_LEVEL = [1, 5, 25, 90, 179]  # 300 units, 5 levels
PEOPLE = 3000
LEADS = 300_000
ROUNDS = 40  # the machine is shared: enough rounds for a stable median
LIST_FIELDS = ["name", "partner_id", "user_id", "team_id", "stage_id", "expected_revenue", "priority"]


def build(env):
    Team = env["crm.team"].with_context(tracking_disable=True, mail_create_nolog=True)
    role = {
        level: env["sales.org.role"].create({"name": f"Bench {level}", "code": f"BENCH-{level}", "access_level": level})
        for level in ("own", "unit", "all")
    }
    levels = [Team.create({"name": "Bench HQ", "unit_type": "hq", "company_id": env.company.id})]
    for depth, count in enumerate(UNITS_PER_LEVEL[1:], start=1):
        parents = levels[-1]
        levels.append(Team.create([
            {"name": f"Bench L{depth + 1}-{i}", "parent_id": parents[i % len(parents)].id,
             "unit_type": "region" if depth == 1 else "team"}
            for i in range(count)
        ]))
    teams = Team.union(*levels)
    print(f"built {len(teams)} units in {len(levels)} levels")

    users = env["res.users"].with_context(no_reset_password=True, tracking_disable=True).create([
        {"name": f"Bench Rep {i}", "login": f"bench_rep_{i}", "groups_id": [(6, 0, [env.ref("base.group_user").id])]}
        for i in range(PEOPLE)
    ])
    leaves = levels[-1] | levels[-2]
    members = []
    for i, user in enumerate(users):
        if i < len(levels[1]):  # a regional director per region
            members.append({"crm_team_id": levels[1][i].id, "user_id": user.id, "role_id": role["unit"].id})
        elif i == len(levels[1]):  # the unrestricted user
            members.append({"crm_team_id": levels[0].id, "user_id": user.id, "role_id": role["all"].id})
        else:
            members.append({"crm_team_id": leaves[i % len(leaves)].id, "user_id": user.id, "role_id": role["own"].id})
    env["crm.team.member"].create(members)
    print(f"built {len(users)} salespeople with roles")

    env.flush_all()
    env.cr.execute(SQL(
        """
        INSERT INTO crm_lead (name, type, active, user_id, team_id, company_id, priority,
                              expected_revenue, probability, create_date, write_date, stage_id)
        SELECT 'Bench lead ' || g, 'opportunity', TRUE, m.user_id, m.crm_team_id, %(company)s,
               mod(g, 4)::text, mod(g, 1000) * 100, 10, now(), now(), %(stage)s
          FROM generate_series(1, %(leads)s) g
          JOIN (SELECT row_number() OVER (ORDER BY id) - 1 AS n, user_id, crm_team_id
                  FROM crm_team_member WHERE user_id IN %(users)s) m
            ON m.n = mod(g, %(people)s)
        """,
        company=env.company.id, stage=env["crm.stage"].search([], limit=1).id, leads=LEADS,
        users=tuple(users.ids), people=PEOPLE,
    ))
    env.cr.execute("ANALYZE crm_lead")
    print(f"built {LEADS} leads")
    return users


def lead_list(env, user):
    Lead = env["crm.lead"].with_user(user)
    Lead.search_read([], LIST_FIELDS, limit=80)
    Lead.search_count([])


def pipeline(env, user):
    """The pipeline's kanban: opportunities grouped by stage, count and expected revenue."""
    env["crm.lead"].with_user(user).web_read_group(
        [("type", "=", "opportunity")], ["expected_revenue:sum"], ["stage_id"], lazy=True)


def measure(env, func, users):
    """Median time of `func` for each of `users`, the users taking turns in each round, so that
    the load of the (shared) machine weighs on all of them alike."""
    for user in users.values():
        func(env, user)  # warm the rule cache and the prefetch
    times = {who: [] for who in users}
    for _ in range(ROUNDS):
        for who, user in users.items():
            env.invalidate_all()
            start = time.perf_counter()
            func(env, user)
            times[who].append(time.perf_counter() - start)
    return {who: statistics.median(values) for who, values in times.items()}


def make_floor_user(env, team_ids):
    """A user seeing the given units through a static rule, nothing of the hierarchy: a bench-only
    group with `team_id in [ids]` on crm.lead, plus the plain Sales "own documents" group."""
    group = env["res.groups"].create({"name": "Bench floor: static units"})
    env["ir.rule"].create({
        "name": "Bench floor: leads of static units",
        "model_id": env["ir.model"]._get_id("crm.lead"),
        "domain_force": repr([("team_id", "in", sorted(team_ids))]),
        "groups": [(6, 0, group.ids)],
    })
    user = env["res.users"].with_context(no_reset_password=True).create({
        "name": "Bench Floor", "login": "bench_floor",
        "groups_id": [(6, 0, [env.ref("base.group_user").id, env.ref("sales_team.group_sale_salesman").id,
                              group.id])],
    })
    assert not user.has_group("sales_team_org.group_sale_unit_leader")
    return user


def main(env):
    env = api.Environment(env.cr, SUPERUSER_ID, {})
    users = env["res.users"].search([("login", "=like", "bench_rep_%")], order="id")
    if len(users) < PEOPLE:
        started = time.perf_counter()
        users = build(env)
        env.cr.commit()
        print(f"data built in {time.perf_counter() - started:.0f} s")
    regional, unrestricted = users[0], users[5]
    visible = env["crm.lead"].with_user(regional).search_count([])
    total = env["crm.lead"].with_user(unrestricted).search_count([])
    scope = regional.sales_org_team_ids
    print(f"regional director: {len(scope)} units, {len(regional.sales_org_user_ids)} people, "
          f"{visible} of {total} leads visible")
    floor = make_floor_user(env, scope.ids)
    floor_visible = env["crm.lead"].with_user(floor).search_count([])
    print(f"floor user (static team_id in [{len(scope)} unit ids]): {floor_visible} leads visible "
          f"(regional director: {visible})")
    assert floor_visible == visible, "the floor user must see what the regional director sees"
    for label, func in (("lead list (search_read 80 + search_count)", lead_list),
                        ("pipeline grouped by stage (web_read_group, count + expected revenue)", pipeline)):
        t = measure(env, func, {"unrestricted": unrestricted, "regional": regional, "floor": floor})
        print(f"{label}, median of {ROUNDS}:")
        print(f"  unrestricted user:                 {t['unrestricted'] * 1000:.1f} ms")
        print(f"  regional director (hierarchy rule): {t['regional'] * 1000:.1f} ms")
        print(f"  floor user (static unit ids rule):  {t['floor'] * 1000:.1f} ms")
        print(f"  RATIO regional/floor: {t['regional'] / t['floor']:.2f} (goal: at most 1.2), "
              f"regional/unrestricted: {t['regional'] / t['unrestricted']:.2f}")
    env.cr.execute("UPDATE crm_team_member SET parent_member_id = NULL")
    env.invalidate_all()
    started = time.perf_counter()
    env["crm.team.member"]._update_reporting_lines()
    print(f"reporting lines of {len(users)} people recomputed in {(time.perf_counter() - started) * 1000:.0f} ms")
    started = time.perf_counter()
    env["crm.team.member"]._update_reporting_lines()
    print(f"reporting lines checked again, nothing to change, in {(time.perf_counter() - started) * 1000:.0f} ms")
    env.cr.rollback()


main(env)  # noqa: F821 - `env` is given by odoo-bin shell
