def post_init_hook(env):
    """Existing memberships get their reporting lines (existing teams are top units) and their
    history, from the day each was created."""
    env["crm.team.member"]._update_reporting_lines()
    env["sales.org.assignment"]._sync()
