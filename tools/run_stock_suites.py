"""Odoo's own test suites of the modules sales_team_org extends, run with the add-on loaded.

Usage: python tools/run_stock_suites.py ODOO-BIN-OPTIONS... (-d DB --test-enable --test-tags ...)

Odoo runs a module's at_install tests while that module is being installed, before the modules
that depend on it are loaded: `-i sales_team_org --test-tags /crm` would test crm without the
add-on. On a database where sales_team_org is already installed, this runs every selected test,
at_install ones included, after the whole registry is loaded and the HTTP server is up, the
way Odoo runs post_install tests.
"""
import odoo
from odoo.tests import loader
from odoo.tests.suite import OdooSuite

import test_assets  # noqa: F401  (tools/ is this script's directory: the assets browser tests open)

_make_suite = loader.make_suite


def make_suite(module_names, position="at_install"):
    if position == "at_install":
        return OdooSuite([])  # the registry is still partial while modules load
    tests = list(_make_suite(module_names, "at_install")) + list(_make_suite(module_names, position))
    return OdooSuite(sorted(tests, key=lambda t: t.test_sequence))


loader.make_suite = make_suite

if __name__ == "__main__":
    odoo.cli.main()
