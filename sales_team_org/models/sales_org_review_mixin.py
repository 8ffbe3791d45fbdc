from odoo import Command, api, fields, models
from odoo.tools import SQL
from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)
REVIEW_STATES = [
    ("draft", _lt("Draft")),
    ("submitted", _lt("Submitted")),
    ("returned", _lt("Returned")),
    ("reviewed", _lt("Reviewed")),
]
UNDECIDED_STATES = ("draft", "returned", "submitted")
# On a change of the tree, the drafts younger than this follow it at once; older ones take
# their approver when they are submitted (the board looks as far back).
REFRESHED_DRAFT_DAYS = 62


class SalesOrgReviewMixin(models.AbstractModel):
    """A document its author (user_id) hands up to their leader on the approval engine
    (sales.org.approval.mixin): draft → submitted → reviewed, or returned with the reviewer's
    comment and submitted again. One step: the first leader decides.

    On top of the engine: the figures filled from what was done in Odoo, the read receipt,
    the approver shown on drafts already (the digest and the board tell the leader who has not
    submitted), the documents the crons make in one batch.
    """

    _name = "sales.org.review.mixin"
    _inherit = ["sales.org.approval.mixin"]
    _description = "Reviewed up the Unit Tree"
    _approval_states = REVIEW_STATES
    _approval_done_state = "reviewed"
    _approval_activity_type = "sales_team_org.mail_activity_type_review"
    _approval_escalate = False  # the daily rhythm (digest, board) follows reviews up
    _approval_robot = False  # tens of thousands a month: the groups get the digest, not each review
    _approval_notify = False  # one message per approver for all they receive (_notify_review)

    read_by_id = fields.Many2one(
        "res.users", readonly=True, copy=False,
        help="The first of those who may review it to open it once submitted.",
    )
    read_date = fields.Datetime(string="Read On", readonly=True, copy=False)
    read_label = fields.Char(string="Read Receipt", compute="_compute_read_label")

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
        documents = super().create(vals_list)
        documents._refresh_approvers()
        return documents

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

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_submit(self):
        super().action_submit()
        documents = self.sudo()
        documents.write({"read_by_id": False, "read_date": False})
        documents._notify_review()
        return True

    def action_refresh_figures(self):
        """The author fills the figures again from what was done in Odoo, while it is theirs."""
        self._check_user_write(set(self._sales_org_author_fields))
        self.sudo()._refresh_figures()
        return True

    def action_approve(self):
        """Approve these documents, one or several selected in the list: all or none."""
        super().action_approve()
        return self._action_next_review()

    def action_return(self):
        super().action_return()
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

    def _refresh_approvers(self, all_undecided=False):
        """Show the approver of these drafts (or of every undecided one) from the tree as it is
        now, in one query; the submitted ones follow the engine's routing."""
        super()._refresh_approvers(all_undecided=all_undecided)
        if not (self or all_undecided):
            return
        self.env["crm.team.member"].flush_model(["user_id", "crm_team_id", "active", "parent_member_id"])
        self.env["crm.team"].flush_model(["active"])
        self.flush_model()
        table = SQL.identifier(self._table)
        unit = SQL("d.%s", SQL.identifier(self._sales_org_unit_field)) if self._sales_org_unit_field else SQL("NULL::int")
        if all_undecided:
            which = SQL("d.create_date >= now() at time zone 'utc' - %s * interval '1 day'", REFRESHED_DRAFT_DAYS)
        else:
            which = SQL("d.id IN %s", tuple(self.ids))
        which = SQL("d.state IN ('draft', 'returned') AND %s", which)
        # resolved once per author and unit, however many documents they have
        pairs = SQL("SELECT DISTINCT d.user_id, %s FROM %s d WHERE %s", unit, table, which)
        changed = self.env.execute_query(SQL(
            """
            UPDATE %(table)s d SET approver_id = a.approver_id
              FROM (%(approvers)s) a
             WHERE %(which)s AND d.user_id = a.author AND COALESCE(%(unit)s, 0) = COALESCE(a.team_id, 0)
               AND d.approver_id IS DISTINCT FROM a.approver_id
         RETURNING d.id
            """,
            table=table, approvers=self.env["crm.team.member"]._sql_approvers(pairs), which=which, unit=unit,
        ))
        if changed:
            self.invalidate_model(["approver_id"])
