# Fed to `odoo-bin shell` by tools/test with STO_CHECK=snapshot|installed|upgraded and
# STO_SNAPSHOT=FILE: the CRM data a database had before sales_team_org must all be there
# after the module is installed, and again after it is upgraded to this tree's version.
import ast
import json
import os
from pathlib import Path

step = os.environ["STO_CHECK"]
snapshot_file = Path(os.environ["STO_SNAPSHOT"])
Team = env["crm.team"].with_context(active_test=False)


def snapshot():
    leads = env["crm.lead"].with_context(active_test=False)
    per_team = {
        model: {team.id: count for team, count in records._read_group([], ["team_id"], ["__count"])}
        for model, records in (("leads", leads), ("orders", env["sale.order"]))
    }
    return {
        "teams": {
            str(team.id): {
                "name": team.name,
                "leader": team.user_id.id,
                "members": sorted(team.crm_team_member_all_ids.user_id.ids),
                "leads": per_team["leads"].get(team.id, 0),
                "orders": per_team["orders"].get(team.id, 0),
            }
            for team in Team.search([], order="id")
        },
        "leads": leads.search_count([]),
        "orders": env["sale.order"].search_count([]),
    }


if step == "snapshot":
    assert "parent_id" not in Team._fields, "sales_team_org is already installed"
    data = snapshot()
    assert data["teams"] and data["leads"], "no CRM data to install on"
    snapshot_file.write_text(json.dumps(data))
else:
    before = json.loads(snapshot_file.read_text())
    now = snapshot()
    for team_id, was in before["teams"].items():
        assert now["teams"].get(team_id) == was, f"team {team_id}: {was} became {now['teams'].get(team_id)}"
    assert now["leads"] >= before["leads"] and now["orders"] >= before["orders"]
    old_teams = Team.browse([int(team_id) for team_id in before["teams"]])
    # the teams a company already had are the top units of its organisation
    assert not old_teams.filtered("parent_id"), "an existing team was put under another one"
    assert all(team.complete_name == team.name for team in old_teams)
    assert all(team.parent_path == f"{team.id}/" for team in old_teams), "the tree misses an existing team"
    module = env["ir.module.module"].search([("name", "=", "sales_team_org")])
    assert module.state == "installed", module.state
    if step == "upgraded":
        manifest = ast.literal_eval(Path(os.environ["STO_MANIFEST"]).read_text())
        assert module.latest_version == manifest["version"], (module.latest_version, manifest["version"])
print(f"CHECK {step.upper()} OK")
