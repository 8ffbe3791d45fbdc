from odoo import models
from odoo.exceptions import AccessError


class MailActivity(models.Model):
    _inherit = "mail.activity"

    def write(self, vals):
        self._check_review_activity()
        return super().write(vals)

    def unlink(self):
        self._check_review_activity()
        return super().unlink()

    def _action_done(self, feedback=False, attachment_ids=None):
        # a call or a meeting done: the figures count it (calls and visits), flagged by the server
        messages, next_activities = super()._action_done(feedback=feedback, attachment_ids=attachment_ids)
        messages.filtered(lambda message: message.mail_activity_type_id.category in ("phonecall", "meeting")) \
            .sudo().sales_activity_done = True
        return messages, next_activities

    def _check_review_activity(self):
        """A review waiting for its approver is the workflow's (moved with the tree, closed by
        the decision): only the approver marks it done; its author cannot take it away."""
        if self.env.su:
            return
        review = self.env.ref("sales_team_org.mail_activity_type_review", raise_if_not_found=False)
        if review and self.filtered(lambda activity: activity.activity_type_id == review
                                    and activity.user_id != self.env.user):
            raise AccessError(self.env._("A review waits for its approver: only they close it."))
