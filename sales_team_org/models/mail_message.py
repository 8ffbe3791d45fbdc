from odoo import fields, models
from odoo.tools import create_index


class MailMessage(models.Model):
    _name = "mail.message"
    _inherit = ["mail.message", "sales.org.guarded.mixin"]
    # Set by the server when a call or a meeting is marked done (a caller can post a message
    # naming any activity type): the figures count calls and visits from it, and the report line
    # takes what was typed on it. An author may edit their message, not these.
    _sales_org_system_fields = frozenset({"sales_activity_done", "sales_activity_text"})

    sales_activity_done = fields.Boolean(readonly=True, copy=False)
    sales_activity_text = fields.Text(
        string="Call or Meeting Notes", readonly=True, copy=False,
        help="What was typed on the call or meeting marked done: summary, feedback, note.",
    )

    def init(self):
        # the few flagged messages among all: the figures find them without a scan
        create_index(self.env.cr, "mail_message_sales_activity_done_index", self._table,
                     ["create_uid", "date"], where="sales_activity_done")
        return super().init()
