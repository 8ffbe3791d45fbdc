"""18.0.1.3.0: memberships get their history, from the day each was created; the calls and
meetings done so far are flagged for the figures; undecided daily reports of the last two
months take their figures from the figures source. Decided reports and summaries keep theirs."""

from odoo import SUPERUSER_ID, api
from odoo.tools import split_every


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["sales.org.assignment"]._sync()
    cr.execute("""
        UPDATE mail_message msg SET sales_activity_done = TRUE
          FROM mail_activity_type atype
         WHERE atype.id = msg.mail_activity_type_id AND atype.category IN ('phonecall', 'meeting')
           AND msg.model IN ('crm.lead', 'res.partner') AND msg.message_type = 'notification'
           AND msg.subtype_id = (SELECT res_id FROM ir_model_data WHERE module = 'mail' AND name = 'mt_activities')
    """)
    cr.execute("""
        SELECT id FROM sales_daily_report
         WHERE state IN ('draft', 'returned', 'submitted') AND date >= CURRENT_DATE - 62
    """)
    Report = env["sales.daily.report"]
    for ids in split_every(5000, [row[0] for row in cr.fetchall()]):
        Report.browse(ids)._fill_figures()
        env.invalidate_all()
