"""18.0.1.4.0: the open periods of people archived before are closed (an open period is now an
active person's: the board reads no more than that)."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    api.Environment(cr, SUPERUSER_ID, {})["sales.org.assignment"]._sync()
