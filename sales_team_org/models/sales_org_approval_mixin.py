from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, format_amount
from odoo.tools.translate import LazyTranslate

from .sales_org_guard import check_system_fields, without_system_defaults
from . import sales_org_robot_api as robot_api

_lt = LazyTranslate(__name__)
APPROVAL_STATES = [
    ("draft", _lt("Draft")),
    ("submitted", _lt("Submitted")),
    ("approved", _lt("Approved")),
    ("refused", _lt("Refused")),
    ("returned", _lt("Returned")),
    ("cancelled", _lt("Cancelled")),
]
EDITABLE_STATES = ("draft", "returned")
MAGIC_FIELDS = frozenset({"id", "display_name", "create_uid", "create_date", "write_uid", "write_date"})
NO_LIMIT = float("inf")


class SalesOrgApprovalMixin(models.AbstractModel):
    """A request its author (user_id) hands up the unit tree, decided step by step.

    draft → submitted → approved, refused, or returned with a comment (then edited and
    submitted again); cancelled by its author. The state changes only through the actions.

    Each step waits for one leader of the author's reporting line, resolved from the tree at
    the time of the step (`sales.org.approval.step`): the first leader above the author, then
    the next one up while the request's amount (`_approval_amount`) is above what the
    deciding leader's role may grant (`sales.org.role.limit` of `_approval_limit_kind`); the
    top of the tree decides whatever the amount. A leader who is archived or on leave is
    skipped upward, unless they named a delegate for the day (`sales.org.delegation`). The
    author never decides their own request; the step's leader, a leader above them, or the
    sales administrator does. Pending steps follow the tree when it changes.

    Who writes what: the author writes `_sales_org_author_fields` while the request is theirs
    (draft or returned); the approver writes `_sales_org_review_fields` while it waits for
    them; `_sales_org_create_fields` are set once, by the author, for themselves. Every other
    field is written by the engine, with sudo.
    """

    _name = "sales.org.approval.mixin"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _description = "Approved up the Unit Tree"
    _sales_org_author_fields = frozenset()
    _sales_org_review_fields = frozenset({"review_comment"})
    _sales_org_create_fields = frozenset({"user_id", "company_id"})
    _sales_org_unit_field = None  # the field naming the unit the request is filed under, if any
    _approval_limit_kind = None  # a kind of sales.org.role.limit; None: the first leader decides
    _approval_states = APPROVAL_STATES  # a document may have fewer (a review is never refused)
    _approval_done_state = "approved"
    _approval_activity_type = "sales_team_org.mail_activity_type_approval"
    _approval_escalate = True  # reminded, then escalated, by the scheduled action
    _approval_robot = True  # each waiting step told in the group of the unit where it is decided
    _approval_notify = True  # the approver is notified of a new request by Odoo's activity mail

    state = fields.Selection(
        selection="_selection_state", string="Status", default="draft", required=True, index=True, tracking=True, copy=False,
        readonly=True,
    )
    approver_id = fields.Many2one(
        "res.users", readonly=True, copy=False, index="btree_not_null",
        help="Whom the request waits for: the leader on the author's reporting line at this step, or "
             "the delegate they named; follows the tree until it is decided.",
    )
    approval_step_ids = fields.One2many(
        "sales.org.approval.step", "res_id", string="Approval History", readonly=True, copy=False,
        domain=lambda self: [("res_model", "=", self._name)],
    )
    reviewer_id = fields.Many2one("res.users", string="Decided By", readonly=True, copy=False)
    review_date = fields.Datetime(string="Decided On", readonly=True, copy=False)
    review_comment = fields.Text(string="Approver's Comment", tracking=True, copy=False)
    submit_date = fields.Datetime(readonly=True, copy=False)
    is_locked = fields.Boolean(
        compute="_compute_is_locked", help="Not the current user's to change: not theirs, or no longer a draft."
    )
    can_review = fields.Boolean(compute="_compute_can_review", string="Can Decide")

    @api.model
    def _selection_state(self):
        return [(value, label._translate(self.env.lang or "en_US")) for value, label in self._approval_states]

    @api.depends("state", "user_id")
    @api.depends_context("uid")
    def _compute_is_locked(self):
        for document in self:
            document.is_locked = not (document.state in EDITABLE_STATES and document.user_id == self.env.user)

    @api.depends("state", "approver_id")
    @api.depends_context("uid")
    def _compute_can_review(self):
        reviewable = self._reviewable_by(self.env.user)
        for document in self:
            document.can_review = document in reviewable

    # ------------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        records = self
        if not self.env.su:
            allowed = self._sales_org_author_fields | self._sales_org_create_fields
            check_system_fields(self, vals_list, set(self._fields) - allowed - MAGIC_FIELDS)
            records = without_system_defaults(self, set(self._fields) - allowed - MAGIC_FIELDS)
            # a default in the context names an author as much as a value does
            author = self.env.context.get("default_user_id", self.env.uid)
            if any(vals.get("user_id", author) != self.env.uid for vals in vals_list):
                raise AccessError(self.env._(
                    "People write their own %(documents)s; the drafts of the others are made by the "
                    "scheduled reminders.", documents=self.env["ir.model"]._get(self._name).name,
                ))
        return super(SalesOrgApprovalMixin, records).create(vals_list)

    def write(self, vals):
        if not self.env.su:
            self._check_user_write(set(vals))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_own_drafts(self):
        if any(document.state != "draft" for document in self):
            raise UserError(self.env._("Only drafts can be deleted."))
        if not self.env.su and any(document.user_id != self.env.user for document in self):
            raise AccessError(self.env._("Only its author deletes a draft."))

    def unlink(self):
        self.env["sales.org.approval.step"].sudo().search(
            [("res_model", "=", self._name), ("res_id", "in", self.ids)]).unlink()
        return super().unlink()

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_submit(self):
        for document in self:
            if document.user_id != self.env.user and not self.env.su:
                raise AccessError(self.env._("Only %(person)s can submit their own %(document)s.",
                                             person=document.user_id.name,
                                             document=self.env["ir.model"]._get(self._name).name))
            if document.state not in EDITABLE_STATES:
                raise UserError(self.env._("Only a draft or returned document can be submitted."))
        self._approval_check_submit()
        self._before_submit()
        documents = self.sudo()
        documents.write({"state": "submitted", "submit_date": fields.Datetime.now(), "review_comment": False})
        documents._approval_start()
        return True

    def action_approve(self):
        """Approve these documents, one or several selected in a list: all or none."""
        self._check_reviewer()
        self._approval_decide("approved")
        return True

    def action_return(self):
        self._check_reviewer()
        if any(not document.review_comment for document in self):
            raise UserError(self.env._("Say what to fix in the comment before returning it."))
        self._approval_decide("returned")
        return True

    def action_refuse(self):
        if "refused" not in dict(self._approval_states):
            raise UserError(self.env._("A %(document)s is returned for changes, not refused.",
                                       document=self.env["ir.model"]._get(self._name).name))
        self._check_reviewer()
        if any(not document.review_comment for document in self):
            raise UserError(self.env._("Say why in the comment before refusing it."))
        self._approval_decide("refused")
        return True

    def action_cancel(self):
        if "cancelled" not in dict(self._approval_states):
            raise UserError(self.env._("A %(document)s cannot be cancelled.",
                                       document=self.env["ir.model"]._get(self._name).name))
        for document in self:
            if document.user_id != self.env.user and not self.env.su:
                raise AccessError(self.env._("Only its author cancels %(document)s.",
                                             document=document.display_name))
            if document.state not in ("draft", "submitted", "returned"):
                raise UserError(self.env._("%(document)s is decided: it can no longer be cancelled.",
                                           document=document.display_name))
        documents = self.sudo()
        documents._approval_close_steps("cancelled", decided=True)
        documents.write({"state": "cancelled"})
        return True

    # ------------------------------------------------------------------
    # Hooks
    # ------------------------------------------------------------------

    def _approval_amount(self):
        """{document id: the amount its approver must be allowed to grant} (in the unit of
        `_approval_limit_kind`)."""
        return {}

    def _approval_check_submit(self):
        """Raise when these documents are not fit to be submitted."""

    def _before_submit(self):
        """Just before the documents are handed up."""

    def _on_approved(self):
        """Called with sudo on the documents just approved by their last step."""

    def _on_refused(self):
        """Called with sudo on the documents just refused."""

    def _on_returned(self):
        """Called with sudo on the documents just returned to their author."""

    # ------------------------------------------------------------------
    # Routing
    # ------------------------------------------------------------------

    def _approval_chains(self, pairs=None):
        """{(author id, unit id or None): [(user id, role id, at the top)]}: the leaders above
        each author of `self` (or of `pairs`) on their reporting line, nearest first, each
        person once; at the top: they lead a unit at the root of the tree in a role seeing
        everything (营销总监), not merely the last leader of a line. The line starts from the
        author's membership of the document's unit (without one, their oldest membership)."""
        self.env["crm.team.member"].flush_model(["user_id", "crm_team_id", "active", "parent_member_id", "role_id"])
        self.env["crm.team"].flush_model(["active", "parent_id"])
        self.env["sales.org.role"].flush_model(["access_level"])
        if pairs is None:
            unit = self._sales_org_unit_field
            pairs = {(document.user_id.id, document[unit].id if unit else None) for document in self}
        if not pairs:
            return {}
        values = SQL(", ").join(SQL("(%s, %s::int)", author, team) for author, team in pairs)
        rows = self.env.execute_query(SQL(
            """
            %(chain)s
            SELECT c.author, c.team_id, m.user_id, m.role_id, t.parent_id IS NULL AND r.access_level = 'all'
              FROM chain c
              JOIN crm_team_member m ON m.id = c.member_id
              JOIN crm_team t ON t.id = m.crm_team_id
         LEFT JOIN sales_org_role r ON r.id = m.role_id
             ORDER BY c.author, c.team_id, c.depth
            """,
            chain=self.env["crm.team.member"]._sql_leader_chain(SQL("VALUES %s", values)),
        ))
        chains = {pair: [] for pair in pairs}
        for author, team, user_id, role_id, top in rows:
            chain = chains[author, team]
            if user_id != author and all(user_id != seen for seen, _role, _top in chain):
                chain.append((user_id, role_id, top))
        return chains

    def _approval_absent(self, user_ids):
        """{user id: delegate id or None} of those of `user_ids` away now: archived, or on a
        leave of their working calendar. The delegate is the one they named for today."""
        if not user_ids:
            return {}
        now = fields.Datetime.now()
        rows = self.env.execute_query(SQL(
            """
            SELECT u.id FROM res_users u WHERE u.id IN %(users)s AND NOT u.active
             UNION
            SELECT rr.user_id FROM resource_calendar_leaves lv
              JOIN resource_resource rr ON rr.id = lv.resource_id
             WHERE rr.user_id IN %(users)s AND lv.date_from <= %(now)s AND lv.date_to > %(now)s
               AND (lv.time_type = 'leave' OR lv.time_type IS NULL)
            """,
            users=tuple(user_ids), now=now,
        ))
        absent = {user_id for (user_id,) in rows}
        delegations = self.env["sales.org.delegation"].sudo()._active_for(absent)
        return {user_id: delegations.get(user_id) for user_id in absent}

    def _approval_limits(self, role_ids):
        """{role id: what it may grant of this model's kind}."""
        if not self._approval_limit_kind:
            return defaultdict(lambda: NO_LIMIT)
        limits = self.env["sales.org.role.limit"].sudo().search_read(
            [("role_id", "in", list(role_ids)), ("kind", "=", self._approval_limit_kind)], ["role_id", "limit"])
        found = {limit["role_id"][0]: limit["limit"] for limit in limits}
        return defaultdict(float, found)

    def _approval_route(self, new_round=False):
        """{document id: the step they wait for next}: a dict of leader_id, approver_id, limit,
        note and skipped (leaders passed over), from the tree as it is now. The step comes above
        every leader who already decided in this round (approved or escalated, stood in for by
        a delegate, or taken over from above); approver_id is False when nobody is left above:
        the sales administrator decides."""
        if not self:
            return {}
        chains = self._approval_chains()
        unit = self._sales_org_unit_field
        rounds = {} if new_round else self._approval_current_steps()
        absent, limits = self._approval_context(chains)
        routes = {}
        for document in self:
            chain = chains[document.user_id.id, document[unit].id if unit else None]
            passed, skipped_before = set(), set()
            for step in rounds.get(document.id, ()):
                if step.state in ("approved", "escalated"):
                    passed |= {step.leader_id.id, step.decided_by_id.id}
                elif step.state == "skipped":
                    skipped_before.add(step.leader_id.id)
            routes[document.id] = self._approval_next(chain, passed, skipped_before, absent, limits,
                                                      document.user_id.id)
        return routes

    def _approval_context(self, chains):
        """(who of the leaders of `chains` is away, with their delegate; the limits of their roles)."""
        people = {user_id for chain in chains.values() for user_id, _role, _top in chain}
        roles = {role for chain in chains.values() for _user, role, _top in chain}
        return self._approval_absent(people), self._approval_limits(roles)

    @api.model
    def _approval_next(self, chain, passed, skipped_before, absent, limits, author_id):
        """The step a request of `author_id` waits for next on `chain`, above the leaders of
        `passed` (who decided in this round); see _approval_route."""
        start = max((index + 1 for index, (user_id, _role, _top) in enumerate(chain) if user_id in passed),
                    default=0)
        route = {"leader_id": False, "approver_id": False, "limit": NO_LIMIT, "note": False, "skipped": []}
        for user_id, role_id, top in chain[start:]:
            if user_id in passed:
                continue
            limit = NO_LIMIT if top else limits[role_id]
            if user_id in absent:
                delegate = absent[user_id]
                if not delegate or delegate == author_id:
                    if user_id not in skipped_before:  # the history says it once a round
                        route["skipped"].append(user_id)
                    continue
                route.update(leader_id=user_id, approver_id=delegate, limit=limit, note="delegated")
            else:
                route.update(leader_id=user_id, approver_id=user_id, limit=limit)
            break
        return route

    def _approval_current_steps(self):
        """{document id: its steps of the current submission}."""
        steps = self.env["sales.org.approval.step"].sudo().search(
            [("res_model", "=", self._name), ("res_id", "in", self.ids)], order="round, sequence, id")
        last_round = {}
        for step in steps:
            last_round[step.res_id] = max(last_round.get(step.res_id, 0), step.round)
        current = defaultdict(list)
        for step in steps:
            if step.round == last_round[step.res_id]:
                current[step.res_id].append(step)
        return current

    # ------------------------------------------------------------------
    # Steps
    # ------------------------------------------------------------------

    def _approval_start(self):
        """Open the first step of a new round for these submitted documents."""
        rounds = self._approval_current_steps()
        numbers = {document.id: (rounds[document.id][0].round + 1 if rounds.get(document.id) else 1)
                   for document in self}
        self._approval_open_steps(numbers, notify=True)

    def _approval_open_steps(self, rounds=None, notify=False):
        """Route these submitted documents and open the step each waits for: its approver's
        activity, its skipped leaders in the history. Documents with nobody left above after
        an approval are approved by the top of the tree.

        :param rounds: {document id: round} for new rounds; else the current round continues
        :param notify: tell each approver by Odoo's notification of a new activity (a user's
            action on a few requests); the scheduled action leaves it to the to-do list
        """
        self = self.browse(list(dict.fromkeys(self.ids)))  # pylint: disable=self-cls-assignment
        routes = self._approval_route(new_round=bool(rounds))
        current = {} if rounds else self._approval_current_steps()
        amounts = self._approval_amount()
        vals_list, approvers = [], {}
        for document in self:
            route = routes[document.id]
            steps = current.get(document.id, [])
            number = rounds[document.id] if rounds else (steps[0].round if steps else 1)
            sequence = len(steps)
            common = {"res_model": self._name, "res_id": document.id, "round": number,
                      "amount": amounts.get(document.id, 0.0), "requester_id": document.user_id.id,
                      "company_id": document.company_id.id}
            for skipped in route["skipped"]:
                sequence += 1
                vals_list.append(dict(common, sequence=sequence, leader_id=skipped, state="skipped", note="absent"))
            sequence += 1
            vals_list.append(dict(common, sequence=sequence, leader_id=route["leader_id"],
                                  approver_id=route["approver_id"], state="pending", note=route["note"] or False,
                                  limit=route["limit"] if route["limit"] != NO_LIMIT else -1))
            approvers[document.id] = route["approver_id"]
        steps = self.env["sales.org.approval.step"].sudo().create(vals_list)
        self.flush_recordset(["approver_id"])
        self.env.cr.execute(SQL(
            "UPDATE %s d SET approver_id = v.approver_id FROM (VALUES %s) AS v(id, approver_id) WHERE d.id = v.id",
            SQL.identifier(self._table),
            SQL(", ").join(SQL("(%s, %s::int)", doc_id, approver_id or None) for doc_id, approver_id in approvers.items()),
        ))
        self.invalidate_recordset(["approver_id"])
        self.filtered("approver_id")._approval_schedule(notify=notify and self._approval_notify)
        waiting = steps.filtered(lambda step: step.state == "pending" and step.approver_id)
        if self._approval_robot and waiting:
            self.env["sales.org.robot"]._queue_safely("the approvals waiting", self._approval_tell_robots, waiting)

    def _approval_robot_units(self, steps):
        """{step id: the unit where it is decided}: of the units of the step's leader (its approver
        without one), preferably one at or above the document's unit, else one at or above one of
        the requester's units, the deepest such first; without any, the document's unit or the
        requester's first. Never merely the document's unit, which its requester chooses. One
        query."""
        self.env["crm.team.member"].flush_model(["user_id", "crm_team_id", "active"])
        self.env["crm.team"].flush_model(["active", "parent_path"])
        unit = self._sales_org_unit_field
        documents = {document.id: document for document in self}
        values = SQL(", ").join(SQL(
            "(%s, %s::int, %s::int, %s::int)", step.id, (step.leader_id or step.approver_id).id or None,
            documents[step.res_id][unit].id or None if unit else None, step.requester_id.id,
        ) for step in steps)
        return dict(self.env.execute_query(SQL(
            """
            SELECT s.id, COALESCE((
                       SELECT m.crm_team_id
                         FROM crm_team_member m
                         JOIN crm_team t ON t.id = m.crm_team_id AND t.active
                    LEFT JOIN crm_team d ON d.id = s.unit_id
                        WHERE m.user_id = s.leader_id AND m.active
                     ORDER BY starts_with(d.parent_path, t.parent_path) IS TRUE DESC,
                              EXISTS (SELECT 1 FROM crm_team_member rm
                                        JOIN crm_team rt ON rt.id = rm.crm_team_id AND rt.active
                                       WHERE rm.user_id = s.requester_id AND rm.active
                                         AND starts_with(rt.parent_path, t.parent_path)) DESC,
                              length(t.parent_path) DESC, m.id
                        LIMIT 1
                   ), s.unit_id, (
                       SELECT m.crm_team_id
                         FROM crm_team_member m
                         JOIN crm_team t ON t.id = m.crm_team_id AND t.active
                        WHERE m.user_id = s.requester_id AND m.active
                     ORDER BY m.id
                        LIMIT 1
                   ))
              FROM (VALUES %s) AS s(id, leader_id, unit_id, requester_id)
            """, values)))

    def _approval_tell_robots(self, steps):
        """Queue, for each of these pending steps of documents of `self`, a message to the group
        robots where it is decided: those of the unit of the deciding leader (see
        `_approval_robot_units`) or, without any robot, of the nearest unit above with some (see
        `sales.org.robot._nearest_for_units`: a group with approvals switched off stops there);
        its approver @-mentioned by mobile. A constant number of queries whatever the number of
        steps."""
        if not steps:
            return
        documents = self.browse(list(dict.fromkeys(steps.mapped("res_id"))))
        units = documents._approval_robot_units(steps)
        robots_of = self.env["sales.org.robot"]._nearest_for_units({uid for uid in units.values() if uid}, "approval")
        steps = steps.filtered(lambda step: units[step.id] in robots_of)
        if not steps:
            return
        base_url = documents[:1].get_base_url()
        messages = []
        for env, lang_robots in self.env["sales.org.robot"]._by_language(robots_of):
            request = env["ir.model"]._get(self._name).name
            names = dict(zip(documents.ids, documents.with_env(env).mapped("display_name")))
            for step in steps:
                theirs = robots_of[units[step.id]] & lang_robots
                if not theirs:
                    continue
                document = documents.browse(step.res_id)
                name = robot_api.escape(names[step.res_id])
                lines = [
                    "### " + env._("%(request)s waiting for approval", request=request),
                    f"**{name}**",
                    "",
                    "- " + env._("Requested by: %(person)s", person=robot_api.escape(step.requester_id.name)),
                ]
                if step.amount:
                    amount = (f"{step.amount:g} %" if self._approval_limit_kind == "discount"
                              else format_amount(env, step.amount, document.company_id.currency_id))
                    lines.append("- " + env._("Amount: %(amount)s", amount=amount))
                label = env._("Open in Odoo")
                lines += [
                    "- " + env._("Waiting for: %(person)s", person=robot_api.escape(step.approver_id.name)),
                    "",
                    f"[{label}]({base_url}/mail/view?model={self._name}&res_id={step.res_id})",
                ]
                messages += [{
                    "robot": robot, "kind": "approval", "key": f"approval:{step.id}",
                    "title": env._("To approve: %(document)s", document=name), "body": "\n".join(lines),
                    "mobiles": [step.approver_id.partner_id.mobile],
                } for robot in theirs]
        self.env["sales.org.robot.message"]._enqueue(messages)

    def _approval_schedule(self, notify=False):
        """The approver's activity on each of these documents."""
        self._schedule_activities(
            self.env.ref(self._approval_activity_type), lambda document: document.approver_id,
            lambda env, document: env._("To approve: %(document)s", document=document.display_name),
            fields.Date.context_today(self), notify=notify,
        )

    def _approval_close_steps(self, state, decided=False):
        """Close the pending steps of these documents and their activities."""
        pending = self.env["sales.org.approval.step"].sudo().search(
            [("res_model", "=", self._name), ("res_id", "in", self.ids), ("state", "=", "pending")])
        values = {"state": state, "decided_date": fields.Datetime.now()}
        if decided:
            values["decided_by_id"] = self.env.uid
        pending.write(values)
        self.activity_unlink([self._approval_activity_type])
        return pending

    def _approval_decide(self, decision):
        """Record the current user's decision on the pending step of each of these documents:
        approved ones whose amount is within the decider's limit (or with nobody above) are
        approved; the others go one step up."""
        documents = self.sudo().with_context(tracking_disable=True)
        documents = documents.browse(list(dict.fromkeys(documents.ids)))
        steps = documents._approval_close_steps(decision, decided=True)
        by_document = {step.res_id: step for step in steps}
        comment_of = {document.id: document.review_comment for document in documents}
        comments = [(step.id, comment_of.get(step.res_id)) for step in steps]
        if any(comment for _step, comment in comments):
            steps.flush_recordset(["comment"])
            self.env.cr.execute(SQL(
                "UPDATE sales_org_approval_step s SET comment = v.comment FROM (VALUES %s) AS v(id, comment) "
                "WHERE s.id = v.id", SQL(", ").join(SQL("(%s, %s)", *pair) for pair in comments)))
            steps.invalidate_recordset(["comment"])
        user = self.env.user
        # a leader above the one waiting took the step over
        steps.filtered(lambda step: step.leader_id and user not in step.leader_id | step.approver_id).note = \
            "taken_over"
        more = documents.browse()
        if decision == "approved":
            granted = documents._approval_granted_by(user, by_document)
            amounts = documents._approval_amount()
            more = documents.filtered(lambda document: amounts.get(document.id, 0.0) > granted[document.id])
        if more:
            # the next approver writes their own comment; nobody left above: the sales administrator decides
            more.write({"review_comment": False})
            more._approval_open_steps(notify=True)
        decided = documents - more
        state = self._approval_done_state if decision == "approved" else decision
        decided.write({"state": state, "reviewer_id": user.id, "review_date": fields.Datetime.now()})
        labels = {"approved": self.env._("Approved"), "returned": self.env._("Returned for changes"),
                  "refused": self.env._("Refused")}
        bodies = {}
        for document in documents:
            step = by_document.get(document.id)
            label = labels[decision]
            if step and step.amount_display:
                label = self.env._("%(decision)s: %(amount)s", decision=label, amount=step.amount_display)
            body = Markup("<p>%s</p>") % label
            if step and step.comment and decision == "approved":  # returned and refused: posted to the author
                body += Markup("<p>%s</p>") % step.comment
            if document in more:
                body += Markup("<p>%s</p>") % self.env._(
                    "Beyond what %(person)s may grant: handed up to %(next)s.", person=user.name,
                    next=document.approver_id.name or self.env._("the sales administrator"))
            bodies[document.id] = body
        documents._message_log_batch(bodies)
        if decision != "approved":
            # what to change, or why not: told to the requester
            for document in decided:
                document.message_post(body=document.review_comment, partner_ids=document.user_id.partner_id.ids,
                                      subtype_xmlid="mail.mt_comment")
        if decision == "approved":
            decided._on_approved()
        elif decision == "refused":
            decided._on_refused()
        else:
            decided._on_returned()

    def _approval_granted_by(self, user, steps):
        """{document id: what `user` may grant on it}: the limit of their role on the
        document's reporting line (a delegate grants what the leader they stand in for may);
        no limit for the sales administrator nor for the top of the line."""
        if user.has_group("sales_team.group_sale_manager") or not self._approval_limit_kind:
            return defaultdict(lambda: NO_LIMIT)
        chains = self._approval_chains()
        limits = self._approval_limits({role for chain in chains.values() for _user, role, _top in chain})
        unit = self._sales_org_unit_field
        granted = {}
        for document in self:
            chain = chains[document.user_id.id, document[unit].id if unit else None]
            step = steps.get(document.id)
            acting_for = step.leader_id.id if step and step.approver_id == user and step.leader_id else user.id
            position = next((index for index, (user_id, _role, _top) in enumerate(chain)
                             if user_id == acting_for), None)
            if position is None:
                granted[document.id] = 0.0
            elif chain[position][2]:  # the top of the tree decides whatever the amount
                granted[document.id] = NO_LIMIT
            else:
                granted[document.id] = limits[chain[position][1]]
        return granted

    def _approval_reroute(self):
        """The tree changed: the pending step of each of these submitted documents moves to
        the leader it would go to now, its activity with it."""
        current = self._approval_current_steps()
        routes = self._approval_route()
        moved = self.browse()
        for document in self:
            step = next((step for step in current.get(document.id, ()) if step.state == "pending"), None)
            route = routes[document.id]
            if step and (step.leader_id.id, step.approver_id.id) == (route["leader_id"], route["approver_id"]):
                continue
            moved |= document
        if not moved:
            return
        moved._approval_close_steps("cancelled")
        moved._approval_open_steps()

    @api.model
    def _refresh_all_approvers(self):
        """The tree changed: every undecided document of every approval model follows it."""
        for model in self.env.registry.descendants(["sales.org.approval.mixin"], "_inherit"):
            if not self.env[model]._abstract:
                self.env[model].sudo()._refresh_approvers(all_undecided=True)

    def _refresh_approvers(self, all_undecided=False):
        """Re-route the submitted ones of these documents (or of all of them)."""
        if all_undecided:
            self.browse(self._approval_moved_ids())._approval_reroute()
        else:
            self.filtered(lambda document: document.state == "submitted")._approval_reroute()

    @api.model
    def _approval_moved_ids(self):
        """Ids of the submitted documents of this model whose pending step would move now,
        from one query of their steps: the routes are worked out once per requester, unit and
        leaders who already decided, not once per document, and only the documents that move
        are loaded (a change of the tree moves few of the many that wait)."""
        unit = self._sales_org_unit_field
        self.flush_model(["state", "user_id"] + ([unit] if unit else []))
        self.env["sales.org.approval.step"].flush_model(
            ["res_model", "res_id", "round", "state", "leader_id", "approver_id", "decided_by_id"])
        rows = self.env.execute_query(SQL(
            """
            SELECT d.id, d.user_id, %(unit)s, pending.leader_id, pending.approver_id, pending.id IS NOT NULL,
                   COALESCE((SELECT array_agg(DISTINCT x) FROM sales_org_approval_step s,
                                    unnest(ARRAY[s.leader_id, s.decided_by_id]) x
                              WHERE s.res_model = %(model)s AND s.res_id = d.id AND s.round = pending.round
                                AND s.state IN ('approved', 'escalated') AND x IS NOT NULL), '{}')
              FROM %(table)s d
         LEFT JOIN sales_org_approval_step pending
                ON pending.res_model = %(model)s AND pending.res_id = d.id AND pending.state = 'pending'
             WHERE d.state = 'submitted'
            """,
            unit=SQL.identifier("d", unit) if unit else SQL("NULL::int"),
            model=self._name, table=SQL.identifier(self._table),
        ))
        if not rows:
            return []
        chains = self._approval_chains({(author, team) for _id, author, team, *_rest in rows})
        absent, limits = self._approval_context(chains)
        routes, moved = {}, []
        for doc_id, author, team, leader, approver, has_pending, passed in rows:
            key = (author, team, frozenset(passed))
            if key not in routes:
                route = self._approval_next(chains[author, team], key[2], set(), absent, limits, author)
                routes[key] = (route["leader_id"] or None, route["approver_id"] or None)
            if not has_pending or routes[key] != (leader, approver):
                moved.append(doc_id)
        return list(dict.fromkeys(moved))

    # ------------------------------------------------------------------
    # Who decides
    # ------------------------------------------------------------------

    def _led_by(self, user):
        """The documents of `self` whose author `user` leads: as the approver (or the leader
        they stand in for), a leader above them, or the sales administrator; never their own."""
        others = self.filtered(lambda document: document.user_id != user)
        if not others or user.has_group("sales_team.group_sale_manager"):
            return others
        pending = self.env["sales.org.approval.step"].sudo().search_read(
            [("res_model", "=", self._name), ("res_id", "in", others.ids), ("state", "=", "pending")],
            ["res_id", "leader_id"])
        leader_of = {step["res_id"]: step["leader_id"][0] for step in pending if step["leader_id"]}
        # the seat: the leader the step waits for (a delegate only stands in for them)
        seat_of = {document.id: leader_of.get(document.id) or document.approver_id.id for document in others}
        above = self.env["crm.team.member"].sudo()._leaders_above({seat for seat in seat_of.values() if seat})
        return others.filtered(lambda document: document.approver_id == user or seat_of[document.id] and (
            seat_of[document.id] == user.id or user.id in above.get(seat_of[document.id], ())))

    def _reviewable_by(self, user):
        """The submitted documents of `self` that `user` may decide."""
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
            if author_fields and document.state not in EDITABLE_STATES:
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
            raise AccessError(self.env._("You cannot decide on your own request."))
        if refused:
            raise AccessError(self.env._(
                "Only the approver of %(document)s, a leader above them or the sales administrator may decide it.",
                document=refused[0].display_name,
            ))

    # ------------------------------------------------------------------
    # Activities and the rhythm
    # ------------------------------------------------------------------

    def _schedule_activities(self, activity_type, assignee, summary, deadline, notify=False):
        """An activity on each document, created in one batch, each in its assignee's language,
        without a mail per activity (the digest and the systray tell) unless `notify`.

        :param assignee: function of a document giving the user the activity is for
        :param summary: function of an environment (in the assignee's language) and a document
        """
        if not self:
            return
        users = {document: assignee(document) for document in self}
        envs = {lang: self.with_context(lang=lang).env for lang in {user.lang for user in users.values()}}
        self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=not notify).create([{
            "res_model_id": self.env["ir.model"]._get_id(self._name),
            "res_id": document.id,
            "activity_type_id": activity_type.id,
            "summary": summary(envs[users[document].lang], document),
            "date_deadline": deadline,
            "user_id": users[document].id,
            "automated": True,
        } for document in self])

    @api.model
    def _cron_approval_reminders(self):
        """Each hour: pending steps follow who is away now (leaves and delegations begin and
        end); a step waiting the company's number of working hours reminds its approver once,
        by mail in their language; as long again later it is handed one level up, once. A
        constant number of queries per kind of request, whatever the number of steps."""
        Step = self.env["sales.org.approval.step"].sudo()
        now = fields.Datetime.now()
        approval_models = [model for model in self.env.registry.descendants(["sales.org.approval.mixin"], "_inherit")
                           if not self.env[model]._abstract]
        escalated_models = [model for model in approval_models if self.env[model]._approval_escalate]
        # the requests, not the daily reviews (tens of thousands a month: they follow the tree's changes)
        for model in escalated_models:
            self.env[model].sudo().search([("state", "=", "submitted")])._approval_reroute()
        for company in self.env["res.company"].sudo().search([("sales_org_approval_hours", ">", 0)]):
            calendar = company.resource_calendar_id
            if calendar:
                since = calendar.plan_hours(-company.sales_org_approval_hours, now, compute_leaves=True)
            else:
                since = now - timedelta(hours=company.sales_org_approval_hours)
            base = [("company_id", "=", company.id), ("state", "=", "pending"),
                    ("res_model", "in", escalated_models), ("approver_id", "!=", False)]
            to_escalate = Step.search(base + [("reminded_date", "!=", False), ("reminded_date", "<=", since)])
            to_remind = Step.search(base + [("reminded_date", "=", False), ("create_date", "<=", since)])
            if to_remind:
                to_remind.write({"reminded_date": now})
                to_remind._remind()
            for model, steps in to_escalate.grouped("res_model").items():
                documents = self.env[model].sudo().browse(set(steps.mapped("res_id"))).exists()
                steps.write({"state": "escalated", "decided_date": now})
                if not documents:
                    continue
                documents.activity_unlink([documents._approval_activity_type])
                documents._approval_open_steps()
                bodies = {}
                for lang, waiting in documents.grouped(lambda document: document.approver_id.lang).items():
                    env = waiting.with_context(lang=lang).env
                    bodies.update({document.id: Markup("<p>%s</p>") % env._(
                        "Waiting too long: handed up to %(person)s.",
                        person=document.approver_id.name or env._("the sales administrator"),
                    ) for document in waiting})
                documents._message_log_batch(bodies)
