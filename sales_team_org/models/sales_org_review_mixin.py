from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from .sales_org_guard import check_system_fields

REVIEW_STATES = [
    ("draft", "Draft"),
    ("submitted", "Submitted"),
    ("returned", "Returned"),
    ("reviewed", "Reviewed"),
]
UNDECIDED_STATES = ("draft", "returned", "submitted")
# On a change of the tree, the drafts younger than this follow it at once; older ones take
# their approver when they are submitted (the board looks as far back).
REFRESHED_DRAFT_DAYS = 62
MAGIC_FIELDS = frozenset({"id", "display_name", "create_uid", "create_date", "write_uid", "write_date"})


class SalesOrgReviewMixin(models.AbstractModel):
    """A document its author (user_id) hands up the unit tree: draft → submitted → reviewed,
    or returned with the reviewer's comment and submitted again.

    Who writes what is decided here, on the server: the author writes the fields of
    `_sales_org_author_fields` while the document is theirs (draft or returned); the reviewer
    writes those of `_sales_org_review_fields` while it is submitted; `_sales_org_create_fields`
    are set once, at creation, by the author for themselves. Every other field (state, dates,
    approver, figures…) is written only by the actions and scheduled actions, with sudo.

    The approver is the leader on the author's reporting line (crm.team.member), stored, and
    kept up to date with the tree until the document is decided. The approver, a leader above
    them or the sales administrator reviews; never the author, never a peer.
    """

    _name = "sales.org.review.mixin"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _description = "Reviewed up the Unit Tree"
    _sales_org_author_fields = frozenset()
    _sales_org_review_fields = frozenset({"review_comment"})
    _sales_org_create_fields = frozenset({"user_id", "company_id"})
    _sales_org_unit_field = None  # the field naming the author's unit the document is about, if any

    state = fields.Selection(
        REVIEW_STATES, string="Status", default="draft", required=True, index=True, tracking=True, copy=False, readonly=True,
    )
    approver_id = fields.Many2one(
        "res.users", readonly=True, copy=False, index="btree_not_null",
        help="The leader on the author's reporting line, who reviews it; the next leader up when "
             "that seat is empty or is the author's own. Follows the tree until it is decided.",
    )
    reviewer_id = fields.Many2one("res.users", readonly=True, copy=False)
    review_date = fields.Datetime(readonly=True, copy=False)
    review_comment = fields.Text(tracking=True, copy=False)
    submit_date = fields.Datetime(readonly=True, copy=False)
    read_by_id = fields.Many2one(
        "res.users", readonly=True, copy=False,
        help="The first of those who may review it to open it once submitted.",
    )
    read_date = fields.Datetime(string="Read On", readonly=True, copy=False)
    read_label = fields.Char(string="Read Receipt", compute="_compute_read_label")
    is_locked = fields.Boolean(
        compute="_compute_is_locked", help="Not the current user's to change: not theirs, or no longer a draft."
    )
    can_review = fields.Boolean(compute="_compute_can_review")

    @api.depends("state", "user_id")
    @api.depends_context("uid")
    def _compute_is_locked(self):
        for document in self:
            document.is_locked = not (
                document.state in ("draft", "returned") and document.user_id == self.env.user
            )

    @api.depends("state", "approver_id")
    @api.depends_context("uid")
    def _compute_can_review(self):
        reviewable = self._reviewable_by(self.env.user)
        for document in self:
            document.can_review = document in reviewable

    @api.depends("read_by_id", "read_date")
    @api.depends_context("tz", "lang")
    def _compute_read_label(self):
        for document in self:
            document.read_label = document.read_date and self.env._(
                "Read by %(person)s %(date)s", person=document.read_by_id.sudo().name,
                date=fields.Datetime.context_timestamp(document, document.read_date).strftime("%m-%d %H:%M"),
            )

    # ------------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            allowed = self._sales_org_author_fields | self._sales_org_create_fields
            check_system_fields(self, vals_list, set(self._fields) - allowed - MAGIC_FIELDS)
            if any(vals.get("user_id", self.env.uid) != self.env.uid for vals in vals_list):
                raise AccessError(self.env._(
                    "People write their own %(documents)s; the drafts of the others are made by the "
                    "scheduled reminders.", documents=self.env["ir.model"]._get(self._name).name,
                ))
        documents = super().create(vals_list)
        documents._refresh_approvers()
        return documents

    def write(self, vals):
        if not self.env.su:
            self._check_user_write(set(vals))
        return super().write(vals)

    def web_read(self, specification):
        # a form opens one record: its first reader among those who may review it is recorded
        if len(self) == 1 and not self.env.context.get("sales_org_listing"):
            self._mark_read()
        return super().web_read(specification)

    web_read._readonly = False  # the read receipt is written: not on a read-only replica

    @api.readonly
    @api.model
    def web_search_read(self, domain, specification, offset=0, limit=None, order=None, count_limit=None):
        # a list or kanban of one record reads it through web_read: not an opening of it
        return super(SalesOrgReviewMixin, self.with_context(sales_org_listing=True)).web_search_read(
            domain, specification, offset=offset, limit=limit, order=order, count_limit=count_limit,
        )

    @api.ondelete(at_uninstall=False)
    def _unlink_only_own_drafts(self):
        if any(document.state != "draft" for document in self):
            raise UserError(self.env._("Only drafts can be deleted."))
        if not self.env.su and any(document.user_id != self.env.user for document in self):
            raise AccessError(self.env._("Only its author deletes a draft."))

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_submit(self):
        for document in self:
            if document.user_id != self.env.user and not self.env.su:
                raise AccessError(self.env._("Only %(person)s can submit their own %(document)s.",
                                             person=document.user_id.name,
                                             document=self.env["ir.model"]._get(self._name).name))
            if document.state not in ("draft", "returned"):
                raise UserError(self.env._("Only a draft or returned document can be submitted."))
        self._before_submit()
        documents = self.sudo()
        documents._refresh_approvers()  # the tree as it is at the time of submitting
        documents.write({"state": "submitted", "submit_date": fields.Datetime.now(),
                         "read_by_id": False, "read_date": False})
        documents._schedule_review()
        documents._notify_review()
        return True

    def action_refresh_figures(self):
        """The author fills the figures again from what was done in Odoo, while it is theirs."""
        self._check_user_write(set(self._sales_org_author_fields))
        self.sudo()._refresh_figures()
        return True

    def action_approve(self):
        """Approve these documents, one or several selected in the list: all or none."""
        self._check_reviewer()
        self._decide("reviewed")
        return self._action_next_review()

    def action_return(self):
        self._check_reviewer()
        if any(not document.review_comment for document in self):
            raise UserError(self.env._("Say what to fix in the review comment before returning a report."))
        self._decide("returned")
        for document in self:
            document.message_post(
                body=document.review_comment, partner_ids=document.user_id.partner_id.ids,
                subtype_xmlid="mail.mt_comment",
            )
        return self._action_next_review()

    def _action_next_review(self):
        """After a decision on the form (its buttons say `open_next_review`): the next document
        waiting for this user, else the list of those to review."""
        if not self.env.context.get("open_next_review"):
            return True
        following = self.search([("state", "=", "submitted"), ("approver_id", "=", self.env.uid),
                                 ("id", "not in", self.ids)], limit=1)
        if not following:
            return dict(self._action_review_list(), target="main")
        return {
            "type": "ir.actions.act_window",
            "name": following.display_name,
            "res_model": self._name,
            "views": [(False, "form")],
            "res_id": following.id,
            "target": "current",
        }

    def _action_review_list(self):
        """Hook: the window action listing the documents waiting for the user's review."""
        raise NotImplementedError

    # ------------------------------------------------------------------
    # Business
    # ------------------------------------------------------------------

    def _before_submit(self):
        """Just before it is handed up: its figures as they are now; the author's reminder has
        done its job."""
        self._refresh_figures()
        todo = self.env.ref("mail.mail_activity_data_todo")
        self.activity_ids.filtered(lambda activity: activity.automated and activity.activity_type_id == todo) \
            .sudo().unlink()

    def _refresh_figures(self):
        """Hook: fill the document's figures from what was done in Odoo (replacing, never adding)."""
        raise NotImplementedError

    def _decide(self, state):
        # the decision is logged in one batch rather than tracked one document at a time
        documents = self.sudo().with_context(tracking_disable=True)
        documents.write({"state": state, "reviewer_id": self.env.uid, "review_date": fields.Datetime.now()})
        documents.activity_unlink(["sales_team_org.mail_activity_type_review"])
        decision = self.env._("Approved") if state == "reviewed" else self.env._("Returned for changes")
        body = Markup("<p>%s</p>") % decision
        documents._message_log_batch(dict.fromkeys(documents.ids, body))

    def _mark_read(self):
        """Record the first reader of a submitted document among those who may review it."""
        if self.state == "submitted" and not self.read_date and self._reviewable_by(self.env.user):
            self.sudo().write({"read_by_id": self.env.uid, "read_date": fields.Datetime.now()})

    def _notify_review(self):
        """Tell each approver at once, in their language, inbox or e-mail as they chose: one
        notification per approver, on the document (the first of them when several)."""
        for approver, documents in self.filtered("approver_id").grouped("approver_id").items():
            documents = documents.with_context(lang=approver.lang)
            env = documents.env
            model_description = env["ir.model"]._get(self._name).display_name
            documents[0].message_notify(
                partner_ids=approver.partner_id.ids,
                subject=env._("%(person)s submitted %(document)s for your review",
                              person=documents[0].user_id.name, document=documents[0].display_name),
                body=env["ir.qweb"]._render("sales_team_org.message_review_requested", {
                    "documents": documents, "model_description": model_description,
                }, minimal_qcontext=True),
                model_description=model_description,
                email_layout_xmlid="mail.mail_notification_layout",
            )

    def _schedule_review(self):
        """The approver's to-do for each of these submitted documents."""
        waiting = self.filtered("approver_id")
        waiting._schedule_activities(
            self.env.ref("sales_team_org.mail_activity_type_review"), lambda document: document.approver_id,
            lambda env, document: env._("Review: %(document)s", document=document.display_name),
            fields.Date.context_today(self),
        )

    @api.model
    def _bulk_create(self, vals_list):
        """Create documents for their authors in one batch (the crons): each author follows their
        document from the start, without mail's one-by-one subscriptions, and the documents keep
        the `sales_org_bulk` flag for the activities scheduled on them."""
        subtypes = self.env["mail.message.subtype"]._default_subtypes(self._name)[0]
        users = self.env["res.users"].browse({vals["user_id"] for vals in vals_list})
        partner_of = dict(users.mapped(lambda user: (user.id, user.partner_id.id)))
        context = dict(tracking_disable=True, mail_create_nolog=True, mail_create_nosubscribe=True,
                       mail_activity_quick_update=True, sales_org_bulk=True)
        return self.sudo().with_context(**context).create([dict(vals, message_follower_ids=[Command.create({
            "res_model": self._name, "partner_id": partner_of[vals["user_id"]], "subtype_ids": [Command.set(subtypes)],
        })]) for vals in vals_list])

    def message_subscribe(self, partner_ids=None, subtype_ids=None):
        # Documents of _bulk_create are followed by their authors already: skip the one-by-one
        # subscription mail.activity does for each of them.
        if self.env.context.get("sales_org_bulk") and not subtype_ids \
                and set(partner_ids or []) <= set(self.user_id.partner_id.ids):
            return True
        return super().message_subscribe(partner_ids=partner_ids, subtype_ids=subtype_ids)

    def _schedule_reminders(self, summary, deadline):
        """A to-do for the author of each document.

        :param summary: function of an environment (in the author's language) giving the text
        """
        self._schedule_activities(self.env.ref("mail.mail_activity_data_todo"), lambda document: document.user_id,
                                  lambda env, _document: summary(env), deadline)

    def _schedule_activities(self, activity_type, assignee, summary, deadline):
        """An activity on each document, created in one batch, each in its assignee's language,
        without a mail per activity (the digest and the systray tell).

        :param assignee: function of a document giving the user the activity is for
        :param summary: function of an environment (in the assignee's language) and a document
        """
        if not self:
            return
        users = {document: assignee(document) for document in self}
        envs = {lang: self.with_context(lang=lang).env for lang in {user.lang for user in users.values()}}
        self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True).create([{
            "res_model_id": self.env["ir.model"]._get_id(self._name),
            "res_id": document.id,
            "activity_type_id": activity_type.id,
            "summary": summary(envs[users[document].lang], document),
            "date_deadline": deadline,
            "user_id": users[document].id,
            "automated": True,
        } for document in self])

    def _led_by(self, user):
        """The documents of `self` whose author `user` leads: as their approver, a leader above
        the approver, or the sales administrator; never their own."""
        others = self.filtered(lambda document: document.user_id != user)
        if not others or user.has_group("sales_team.group_sale_manager"):
            return others
        above = self.env["crm.team.member"].sudo()._leaders_above(others.approver_id.ids)
        return others.filtered(lambda document: document.approver_id and (
            document.approver_id == user or user.id in above.get(document.approver_id.id, ())
        ))

    def _reviewable_by(self, user):
        """The submitted documents of `self` that `user` may review."""
        return self.filtered(lambda document: document.state == "submitted")._led_by(user)

    def _check_user_write(self, fnames):
        author_fields = fnames & self._sales_org_author_fields
        review_fields = fnames & self._sales_org_review_fields
        check_system_fields(self, dict.fromkeys(fnames - author_fields - review_fields), set(self._fields))
        user = self.env.user
        for document in self:
            if author_fields and document.user_id != user:
                raise AccessError(self.env._(
                    "%(document)s is %(person)s's to write; others read and review it.",
                    document=document.display_name, person=document.user_id.name,
                ))
            if author_fields and document.state not in ("draft", "returned"):
                raise UserError(self.env._(
                    "%(document)s is %(state)s: it can no longer be changed.",
                    document=document.display_name,
                    state=dict(self._fields["state"]._description_selection(self.env))[document.state],
                ))
        if review_fields:
            self._check_reviewer()

    def _check_reviewer(self):
        not_submitted = self.filtered(lambda document: document.state != "submitted")
        if not_submitted:
            raise UserError(self.env._("%(document)s is not submitted: only a submitted document can be reviewed.",
                                       document=not_submitted[0].display_name))
        if self.env.su:
            return
        user = self.env.user
        refused = self - self._reviewable_by(user)
        if refused.filtered(lambda document: document.user_id == user):
            raise AccessError(self.env._("You cannot review your own report."))
        if refused:
            raise AccessError(self.env._(
                "Only the approver of %(document)s, a leader above them or the sales administrator may review it.",
                document=refused[0].display_name,
            ))

    @api.model
    def _refresh_all_approvers(self):
        """The tree changed: every undecided document of every reviewed model follows it."""
        for model in self.env.registry.descendants(["sales.org.review.mixin"], "_inherit"):
            if not self.env[model]._abstract:
                self.env[model]._refresh_approvers(all_undecided=True)

    def _refresh_approvers(self, all_undecided=False):
        """Set the approver of these documents (or of every undecided one) from the tree as it
        is now, in one query; a review waiting for someone else moves to the new approver."""
        if not (self or all_undecided):
            return
        self.env["crm.team.member"].flush_model(["user_id", "crm_team_id", "active", "parent_member_id"])
        self.env["crm.team"].flush_model(["active"])
        self.flush_model()
        table = SQL.identifier(self._table)
        unit = SQL("d.%s", SQL.identifier(self._sales_org_unit_field)) if self._sales_org_unit_field else SQL("NULL::int")
        if all_undecided:
            which = SQL("(d.state = 'submitted' OR d.create_date >= now() at time zone 'utc' - %s * interval '1 day')",
                        REFRESHED_DRAFT_DAYS)
        else:
            which = SQL("d.id IN %s", tuple(self.ids))
        which = SQL("d.state IN %s AND %s", UNDECIDED_STATES, which)
        # resolved once per author and unit, however many documents they have
        pairs = SQL("SELECT DISTINCT d.user_id, %s FROM %s d WHERE %s", unit, table, which)
        changed = self.env.execute_query(SQL(
            """
            UPDATE %(table)s d SET approver_id = a.approver_id
              FROM (%(approvers)s) a
             WHERE %(which)s AND d.user_id = a.author AND COALESCE(%(unit)s, 0) = COALESCE(a.team_id, 0)
               AND d.approver_id IS DISTINCT FROM a.approver_id
         RETURNING d.id, d.approver_id, d.state
            """,
            table=table, approvers=self.env["crm.team.member"]._sql_approvers(pairs), which=which, unit=unit,
        ))
        if not changed:
            return
        self.invalidate_model(["approver_id"])
        moved = {doc_id: approver_id for doc_id, approver_id, state in changed if state == "submitted"}
        if moved:
            activities = self.env["mail.activity"].sudo().search([
                ("res_model", "=", self._name), ("res_id", "in", list(moved)),
                ("activity_type_id", "=", self.env.ref("sales_team_org.mail_activity_type_review").id),
            ])
            # a document that had nobody to wait for now has someone
            self.sudo().browse(set(moved) - set(activities.mapped("res_id")))._schedule_review()
            for approver_id, waiting in activities.grouped(lambda activity: moved[activity.res_id]).items():
                if approver_id:
                    waiting.with_context(mail_activity_quick_update=True).write({"user_id": approver_id})
                else:
                    waiting.unlink()  # nobody above any more: the sales administrator reviews it
