from collections import defaultdict

from odoo import models
from odoo.exceptions import AccessError
from odoo.tools import html2plaintext, is_html_empty


# the workflow's to-dos: only their assignee closes them
WORKFLOW_ACTIVITY_TYPES = (
    "sales_team_org.mail_activity_type_review",
    "sales_team_org.mail_activity_type_approval",
    "sales_team_org.mail_activity_type_complaint",
    "sales_team_org.mail_activity_type_complaint_action",
    "sales_team_org.mail_activity_type_infringement",
)


class MailActivity(models.Model):
    _inherit = "mail.activity"

    def write(self, vals):
        self._check_review_activity()
        return super().write(vals)

    def unlink(self):
        self._check_review_activity()
        return super().unlink()

    def _action_done(self, feedback=False, attachment_ids=None):
        # a call or a meeting done: the figures count it (calls and visits), flagged by the server,
        # with what its user typed for the line of their daily report (read before mail deletes it)
        texts = defaultdict(list)
        done = defaultdict(set)
        for activity in self:
            texts[activity.res_model, activity.res_id].append(activity._sales_call_text(feedback))
            done[activity.res_model].add(activity.res_id)
        messages, next_activities = super()._action_done(feedback=feedback, attachment_ids=attachment_ids)
        for message in messages:
            text = texts[message.model, message.res_id].pop(0) if texts[message.model, message.res_id] else False
            if message.mail_activity_type_id.category in ("phonecall", "meeting"):
                message.sudo().write({"sales_activity_done": True, "sales_activity_text": text})
        # a document whose workflow follows its activities (an action item closed with its owner's
        # activity) hears of them: one call per model
        for model, res_ids in done.items():
            if model in self.env and hasattr(self.env[model], "_sales_org_activity_done"):
                self.env[model].sudo().browse(res_ids)._sales_org_activity_done(self)
        return messages, next_activities

    def _sales_call_text(self, feedback):
        """What was typed about the activity, most telling first: its summary, the feedback given
        when marking it done, its note; one per line, or False."""
        self.ensure_one()
        note = False if is_html_empty(self.note) else html2plaintext(self.note).strip()
        return "\n".join(text.strip() for text in (self.summary, feedback, note) if text and text.strip()) or False

    def _check_review_activity(self):
        """A review or approval waiting for its approver is the workflow's (moved with the tree,
        closed by the decision): only the approver marks it done; its author cannot take it away.
        So is a leader's to-do the workflow gives them about someone's document (a complaint to
        handle, an infringement reported)."""
        if self.env.su:
            return
        workflow = self.env["mail.activity.type"]
        for xmlid in WORKFLOW_ACTIVITY_TYPES:
            workflow |= self.env.ref(xmlid, raise_if_not_found=False) or workflow
        if self.filtered(lambda activity: activity.activity_type_id in workflow and activity.user_id != self.env.user):
            raise AccessError(self.env._(
                "This to-do is part of its document's workflow: only the person it is assigned to closes it."))

