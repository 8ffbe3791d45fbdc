"""18.0.1.6.0: reviews move onto the approval engine. A daily report or monthly summary
submitted before the upgrade gets the step it waits on, with its approver's to-do, as if it
had been submitted now."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    for model in ("sales.daily.report", "sales.monthly.summary"):
        env[model].search([("state", "=", "submitted")])._approval_reroute()
