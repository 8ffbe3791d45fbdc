from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

# What a reviewer writes on a document that is no longer its author's to change.
REVIEW_FIELDS = {"state", "review_comment", "reviewer_id", "review_date"}
REVIEW_STATES = [
    ("draft", "Draft"),
    ("submitted", "Submitted"),
    ("returned", "Returned"),
    ("reviewed", "Reviewed"),
]


class SalesOrgReviewMixin(models.AbstractModel):
    """A document its author (user_id) hands up the unit tree: draft → submitted → reviewed,
    or returned with the reviewer's comment and submitted again.

    The author changes it while draft or returned; a submitted one only takes its review, by a
    leader above the author; a reviewed one is locked for all but the sales administrator.
    """

    _name = "sales.org.review.mixin"
    _description = "Reviewed up the Unit Tree"

    state = fields.Selection(
        REVIEW_STATES, string="Status", default="draft", required=True, index=True, tracking=True, copy=False, readonly=True,
    )
    reviewer_id = fields.Many2one("res.users", readonly=True, copy=False)
    review_date = fields.Datetime(readonly=True, copy=False)
    review_comment = fields.Text(tracking=True, copy=False)
    submit_date = fields.Datetime(readonly=True, copy=False)
    is_locked = fields.Boolean(compute="_compute_is_locked")

    @api.depends("state")
    @api.depends_context("uid")
    def _compute_is_locked(self):
        for document in self:
            document.is_locked = document._locked_for(self.env.user)

    def write(self, vals):
        self._check_may_write(set(vals))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_drafts(self):
        if any(document.state != "draft" for document in self):
            raise UserError(self.env._("Only drafts can be deleted."))

    def action_submit(self):
        for document in self:
            if document.user_id != self.env.user and not self.env.su:
                raise AccessError(self.env._("Only %(person)s can submit their own report.",
                                             person=document.user_id.name))
            if document.state not in ("draft", "returned"):
                raise UserError(self.env._("Only a draft or returned report can be submitted."))
        self._before_submit()
        self.write({"state": "submitted", "submit_date": fields.Datetime.now()})
        return True

    def action_approve(self):
        self._check_reviewer()
        self.write({"state": "reviewed", "reviewer_id": self.env.uid, "review_date": fields.Datetime.now()})
        return True

    def action_return(self):
        self._check_reviewer()
        if any(not document.review_comment for document in self):
            raise UserError(self.env._("Say what to fix in the review comment before returning a report."))
        self.write({"state": "returned", "reviewer_id": self.env.uid, "review_date": fields.Datetime.now()})
        for document in self:
            document.message_post(
                body=document.review_comment, partner_ids=document.user_id.partner_id.ids,
                subtype_xmlid="mail.mt_comment",
            )
        return True

    def _before_submit(self):
        """Hook: what a document does just before it is handed up."""

    def _schedule_reminders(self, summary, deadline):
        """A to-do for the author of each document, created in one batch and in their language.

        :param summary: function of an environment (in the author's language) giving the text
        """
        todo = self.env.ref("mail.mail_activity_data_todo")
        texts = {lang: summary(self.with_context(lang=lang).env) for lang in set(self.user_id.mapped("lang"))}
        self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True).create([{
            "res_model_id": self.env["ir.model"]._get_id(self._name),
            "res_id": document.id,
            "activity_type_id": todo.id,
            "summary": texts[document.user_id.lang],
            "date_deadline": deadline,
            "user_id": document.user_id.id,
            "automated": True,
        } for document in self])

    def _locked_for(self, user):
        """Submitted: only its review may change it. Reviewed: only the sales administrator."""
        self.ensure_one()
        if self.state in ("draft", "returned"):
            return False
        return not user.has_group("sales_team.group_sale_manager")

    def _check_may_write(self, fnames):
        if self.env.su:
            return
        user = self.env.user
        for document in self:
            if not document._locked_for(user):
                continue
            if document.state == "submitted" and user != document.user_id and fnames <= REVIEW_FIELDS:
                continue
            raise UserError(self.env._(
                "%(document)s is %(state)s: it can no longer be changed.",
                document=document.display_name, state=dict(self._fields["state"]._description_selection(self.env))[document.state],
            ))

    def _check_reviewer(self):
        user = self.env.user
        for document in self:
            if document.state != "submitted":
                raise UserError(self.env._("Only a submitted report can be reviewed."))
            if document.user_id == user and not self.env.su:
                raise AccessError(self.env._("You cannot review your own report."))
            in_chain = (
                user.has_group("sales_team.group_sale_salesman_all_leads")
                or (user.has_group("sales_team_org.group_sale_unit_leader")
                    and document.user_id in user.sales_org_user_ids)
            )
            if not in_chain and not self.env.su:
                raise AccessError(self.env._(
                    "Only a manager above %(person)s may review their report.", person=document.user_id.name
                ))
