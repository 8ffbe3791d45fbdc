def post_init_hook(env):
    """Existing memberships get their reporting lines (existing teams are top units)."""
    env["crm.team.member"]._update_reporting_lines()
