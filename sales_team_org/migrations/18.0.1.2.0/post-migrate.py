"""18.0.1.2.0: the units of a tree belong to one company; the history of classifications is
kept per company; every undecided document gets its approver from the tree."""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    # A tree without a company takes the first company, its units without one take their top's.
    cr.execute("""
        UPDATE crm_team t SET company_id = (SELECT min(id) FROM res_company)
         WHERE t.parent_id IS NULL AND t.company_id IS NULL
           AND EXISTS (SELECT 1 FROM crm_team c WHERE c.parent_id = t.id)
    """)
    cr.execute("""
        UPDATE crm_team t SET company_id = top.company_id
          FROM crm_team top
         WHERE top.id = split_part(t.parent_path, '/', 1)::int AND t.parent_id IS NOT NULL
           AND t.company_id IS NULL
    """)
    cr.execute("""
        SELECT t.name->>'en_US' FROM crm_team t JOIN crm_team p ON p.id = t.parent_id
         WHERE t.company_id IS DISTINCT FROM p.company_id
    """)
    for name, in cr.fetchall():
        _logger.warning("Sales unit %s belongs to another company than the unit above it: move one of them.", name)
    cr.execute("""
        UPDATE sales_customer_classification h SET company_id = u.company_id
          FROM res_users u WHERE u.id = h.user_id AND h.company_id IS DISTINCT FROM u.company_id
    """)
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["crm.team"]._sales_org_scope_changed()
