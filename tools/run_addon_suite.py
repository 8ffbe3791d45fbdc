"""odoo-bin for the add-on's own suite, with the assets of tools/test_assets.py.

Usage: python tools/run_addon_suite.py ODOO-BIN-OPTIONS... (-d DB -i sales_team_org --test-enable ...)
"""
import odoo

import test_assets  # noqa: F401  (tools/ is this script's directory)

if __name__ == "__main__":
    odoo.cli.main()
