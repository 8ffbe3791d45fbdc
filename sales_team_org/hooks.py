def post_init_hook(env):
    """Existing memberships get their reporting lines (existing teams are top units) and their
    history, from the day each was created."""
    env["crm.team.member"]._update_reporting_lines()
    env["sales.org.assignment"]._sync()


def uninstall_hook(env):
    """The demo's invoices and payment are posted accounting entries, which Odoo does not delete
    with the module's data: drafted and deleted first, so that the demo customers and products
    they name can go too."""
    data = env["ir.model.data"].search([
        ("module", "=", "sales_team_org"), ("model", "in", ("account.payment", "account.move"))])
    payments = env["account.payment"].browse(data.filtered(lambda d: d.model == "account.payment").mapped("res_id"))
    moves = env["account.move"].browse(data.filtered(lambda d: d.model == "account.move").mapped("res_id"))
    payments = payments.exists()
    payments.action_draft()  # unreconciled, its entry drafted
    payments.unlink()  # with its entry
    moves = moves.exists()
    moves.filtered(lambda move: move.state != "draft").button_draft()
    moves.with_context(force_delete=True).unlink()
