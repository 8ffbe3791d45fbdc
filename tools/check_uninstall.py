import odoo

# Fed to `odoo-bin shell`: uninstall sales_team_org, then use stock CRM as a user would.
module = env["ir.module.module"].search([("name", "=", "sales_team_org")])
module.button_immediate_uninstall()
# the uninstall commits and rebuilds the registry: work in a fresh environment of it
env = odoo.api.Environment(env.cr, odoo.SUPERUSER_ID, {})
assert env["ir.module.module"].search([("name", "=", "sales_team_org")]).state == "uninstalled"
assert "parent_id" not in env["crm.team"]._fields
team = env["crm.team"].create({"name": "After uninstall"})
lead = env["crm.lead"].create({"name": "Still works", "team_id": team.id, "type": "opportunity"})
lead.action_set_won()
assert not env["ir.model"].search([("model", "like", "sales.org.%")])
env.cr.rollback()
print("UNINSTALL OK")
