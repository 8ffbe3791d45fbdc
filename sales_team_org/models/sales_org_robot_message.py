import logging
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import requests
import urllib3

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, create_index

from . import sales_org_robot_api as api_

_logger = logging.getLogger(__name__)
api_.scrub_http_logs()

STATES = [
    ("queued", "To Send"),
    ("sending", "Sending"),
    ("sent", "Sent to the Group"),
    ("unknown", "Not Confirmed"),
    ("failed", "Undelivered"),
    ("cancelled", "Cancelled"),
]
KINDS = [
    ("digest", "Daily Digest"),
    ("reminder", "Report Reminder"),
    ("approval", "Approval Waiting"),
    ("meeting", "Meeting Minutes"),
    ("target", "Target Achievement"),
    ("test", "Test Message"),
]
# A day's reminder and digest are no news the next day; an approval no longer waiting is none.
EXPIRES = {"reminder": timedelta(days=1), "digest": timedelta(days=1), "meeting": timedelta(days=7),
           "target": timedelta(days=7), "test": timedelta(hours=1)}
# The apps count a minute on their own clock; ours is read to the second: a second more, to be safe.
RATE_WINDOW = timedelta(seconds=61)
MAX_ATTEMPTS = 12  # back-off of 1, 2, 4 … minutes, at most an hour: about six hours of trying
MAX_BACKOFF_MINUTES = 60
BATCH = 500  # messages posted, then their outcome committed, at a time
RUN_SECONDS = 45  # a run stops taking batches after this: the next one, a minute later, goes on
SENDING_STALE = timedelta(minutes=15)  # a run that died while sending: its messages are not confirmed
WORKERS = 4  # robots sent to at once; each robot's messages one after the other, in order
# What a waiting message queued anew as it is keeps
QUEUED_AGAIN = ("robot_id", "company_id", "kind", "key", "part", "part_count", "title", "body", "mobiles",
                "split_kind", "expire_date", "next_try_date", "attempt_count", "last_error")


class SalesOrgRobotMessage(models.Model):
    """The outbox of the group robots: every message is queued here and sent by the scheduled
    action, in order per robot, at most 20 a minute per robot, split beforehand within each API's
    size limit, retried with back-off when the API is busy or down. The idempotency key (one per
    robot and event, each part numbered) keeps an event from being queued twice; a message is
    marked as being sent, committed, before it is posted, so that a run that dies halfway never
    posts it again: it is left *Not Confirmed* for the administrator, as is one whose answer
    never came. The administrator sees every failure with the API's answer."""

    _name = "sales.org.robot.message"
    _description = "Robot Outbox Message"
    _order = "id desc"
    _rec_name = "title"

    robot_id = fields.Many2one("sales.org.robot", required=True, ondelete="restrict", index=True,
                               readonly=True)
    team_id = fields.Many2one(related="robot_id.team_id", string="Unit")
    company_id = fields.Many2one("res.company", readonly=True, index=True,
                                 help="The robot's: none for a robot of a unit outside any company.")
    kind = fields.Selection(KINDS, string="Message", required=True, readonly=True)
    key = fields.Char(string="Idempotency Key", required=True, readonly=True,
                      help="The event the message tells of: the same event is never queued twice to a robot.")
    part = fields.Integer(default=1, readonly=True)
    part_count = fields.Integer(string="Parts", default=1, readonly=True)
    title = fields.Char(required=True, readonly=True)
    body = fields.Text(string="Text", required=True, readonly=True)
    mobiles = fields.Char(string="@-Mentions", readonly=True, help="Mobile numbers mentioned, comma-separated.")
    split_kind = fields.Selection(api_.APPS, string="Split For", readonly=True,
                                  help="The app whose size limit the message was split for.")
    state = fields.Selection(STATES, string="Status", required=True, default="queued", readonly=True, index=True)
    attempt_count = fields.Integer(string="Attempts", readonly=True)
    next_try_date = fields.Datetime(string="Next Try", readonly=True)
    expire_date = fields.Datetime(string="Out of Date On", readonly=True,
                                  help="Not delivered by then, it is cancelled: yesterday's reminder is no news.")
    sent_date = fields.Datetime(string="Delivered On", readonly=True, index=True,
                                help="When it was posted (and, once delivered, when the app took it).")
    last_error = fields.Text(string="App's Answer", readonly=True, help="What the app answered, or why it could not be reached.")

    _sql_constraints = [
        ("robot_key_part_uniq", "unique(robot_id, key, part)", "A robot is sent each message once."),
    ]

    def init(self):
        # the scheduled action's one read: a robot's waiting messages in order
        create_index(self.env.cr, "sales_org_robot_message_waiting_idx", self._table, ["robot_id", "id"],
                     where="state = 'queued'")

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise UserError(self.env._("Messages are queued by the organisation's events, not written by hand."))
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            raise UserError(self.env._("The outbox is written by its scheduled action: send again or cancel."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_by_the_system(self):
        if not self.env.su:
            raise UserError(self.env._("The outbox keeps what was sent: cancel a message instead."))

    # ------------------------------------------------------------------
    # Queueing
    # ------------------------------------------------------------------

    @api.model
    def _enqueue(self, messages):
        """Queue messages, each split within its robot's limit. Two queries whatever their number;
        the events already queued to a robot (same key) are left as they are.

        :param messages: dicts of robot (a record), kind, key, title, body (markdown in the
            robot's language) and mobiles (a list of mobile numbers to @-mention, optional)
        :return: the new messages
        """
        messages = [message for message in messages if message["robot"]]
        if not messages:
            return self.browse()
        self.flush_model(["robot_id", "key"])
        taken = set(self.env.execute_query(SQL(
            "SELECT robot_id, key FROM sales_org_robot_message WHERE (robot_id, key) IN %s",
            tuple((message["robot"].id, message["key"]) for message in messages))))
        vals_list = []
        now = fields.Datetime.now()
        for message in messages:
            robot = message["robot"]
            if (robot.id, message["key"]) in taken:
                continue
            taken.add((robot.id, message["key"]))
            vals_list += self._parts_vals(
                robot, message["kind"], message["key"], message["title"], message["body"],
                api_.mobiles(message.get("mobiles") or ()),
                expire_date=now + EXPIRES[message["kind"]] if message["kind"] in EXPIRES else False)
        if not vals_list:
            return self.browse()
        new = self.sudo().create(vals_list)
        self.env.ref("sales_team_org.ir_cron_robot_outbox").sudo()._trigger()
        return new

    @api.model
    def _parts_vals(self, robot, kind, key, title, body, mobiles, posted=0, first_part=None, **values):
        """The values of the parts of one message to `robot`, split within its app's limit and
        numbered after the `posted` parts of it already posted (their `part` from `first_part`,
        by default the next number); `values` go to every part."""
        parts = api_.split_message(robot.kind, title, body, mobiles, posted=posted)
        first_part = first_part or posted + 1
        last = first_part + len(parts) - 1
        return [dict(values, robot_id=robot.id, company_id=robot.company_id.id, kind=kind, key=key, part=number,
                     part_count=posted + len(parts), title=part_title, body=part_body, split_kind=robot.kind,
                     # the mentions go with the last part, read last
                     mobiles=",".join(mobiles) if number == last else False)
                for number, (part_title, part_body) in enumerate(parts, first_part)]

    @api.model
    def _resplit(self, robots):
        """Split again the waiting messages of `robots` split for another app than theirs: a robot
        switched from DingTalk (20,000 bytes) to WeCom (4,096) would have them refused. A message's
        waiting parts are joined and split anew, numbered after those already posted. The outbox
        sends a robot's messages by id: from the first message split again on, the robot's
        waiting messages are queued anew, in the same order, each part keeping its turn (its next
        try, attempts and last answer). Returns the messages queued anew."""
        waiting = self.sudo().search([("robot_id", "in", robots.ids), ("state", "=", "queued")], order="id")
        # queued before the app was recorded (none): split once more, to be sure
        other_app = waiting.filtered(lambda message: message.split_kind != message.robot_id.kind)
        if not other_app:
            return self.browse()
        # the parts of these messages not waiting: their numbers are taken; those posted are counted
        taken, posted = {}, {}
        for robot, key, state, last, count in self.sudo()._read_group(
                [("robot_id", "in", other_app.robot_id.ids), ("key", "in", other_app.mapped("key")),
                 ("state", "!=", "queued")], ["robot_id", "key", "state"], ["part:max", "__count"]):
            taken[robot.id, key] = max(taken.get((robot.id, key), 0), last)
            if state in ("sent", "sending", "unknown"):
                posted[robot.id, key] = posted.get((robot.id, key), 0) + count
        vals_list = []
        replaced = waiting.browse()
        for robot, messages in waiting.grouped("robot_id").items():
            split_keys = set(other_app.filtered(lambda message, r=robot: message.robot_id == r).mapped("key"))
            if not split_keys:
                continue
            start = min(message.id for message in messages if message.key in split_keys)
            tail = messages.filtered(lambda message, s=start: message.id >= s)
            replaced |= tail
            for key, parts in tail.grouped("key").items():
                parts = parts.sorted("part")
                if key not in split_keys:
                    vals_list += [{fname: part._fields[fname].convert_to_write(part[fname], part)
                                   for fname in QUEUED_AGAIN} for part in parts]
                    continue
                texts = [api_.unnumbered(part.title, part.body) for part in parts]
                vals_list += self._parts_vals(
                    robot, parts[0].kind, key, texts[0][0], "\n".join(text for _title, text in texts),
                    parts._mentions(), posted=posted.get((robot.id, key), 0),
                    first_part=taken.get((robot.id, key), 0) + 1, expire_date=parts[0].expire_date,
                    next_try_date=parts[0].next_try_date, attempt_count=parts[0].attempt_count,
                    last_error=parts[0].last_error)
        replaced.unlink()
        return self.sudo().create(vals_list)

    def _mentions(self):
        return [mobile for message in self for mobile in (message.mobiles or "").split(",") if mobile]

    # ------------------------------------------------------------------
    # Sending
    # ------------------------------------------------------------------

    @api.model
    def _cron_send(self):
        """Send what is due: the messages of each robot not paused, in order, up to its 20 of the
        last minute, from the first one waiting for a later try on; in batches, committed one by
        one, for at most RUN_SECONDS (the next run takes the rest). A constant number of queries
        per batch whatever the number of messages and robots."""
        self.env.flush_all()
        self._expire()
        commit = not getattr(threading.current_thread(), "testing", False)
        deadline = time.monotonic() + RUN_SECONDS
        sent = self.browse()
        while time.monotonic() < deadline:
            self._resplit_switched()
            if not (due := self._due()):
                break
            due._send(commit=commit, deadline=deadline)
            sent |= due
        return sent

    @api.model
    def _resplit_switched(self):
        """Split again what was queued for a robot's former app while it was being switched (the
        switch splits again what was waiting then): one query when there is none."""
        robot_ids = [robot_id for robot_id, in self.env.execute_query(SQL(
            """
            SELECT DISTINCT m.robot_id FROM sales_org_robot_message m JOIN sales_org_robot r ON r.id = m.robot_id
             WHERE m.state = 'queued' AND m.split_kind IS DISTINCT FROM r.kind
            """))]
        if robot_ids:
            self._resplit(self.env["sales.org.robot"].sudo().browse(robot_ids))
            self.env.flush_all()

    @api.model
    def _expire(self):
        """Settle what waits for nothing: messages left being sent by a run that died (not
        confirmed: they may have been posted), reminders and digests out of date, approvals no
        longer waiting (cancelled). Two statements when there are some, one otherwise."""
        now = fields.Datetime.now()
        rows = self.env.execute_query(SQL(
            """
            UPDATE sales_org_robot_message m
               SET state = CASE WHEN m.state = 'sending' THEN 'unknown' ELSE 'cancelled' END,
                   next_try_date = NULL, write_date = %(now)s
              FROM sales_org_robot r
             WHERE r.id = m.robot_id
               AND ((m.state = 'sending' AND m.sent_date < %(stale)s)
                    OR (m.state = 'queued' AND m.expire_date < %(now)s)
                    OR (m.state = 'queued' AND m.kind = 'approval' AND NOT EXISTS (
                            SELECT 1 FROM sales_org_approval_step s
                             WHERE m.key = 'approval:' || s.id AND s.state = 'pending')))
         RETURNING m.id, m.state, r.lang
            """, now=now, stale=now - SENDING_STALE))
        if not rows:
            return
        envs = {}
        reasons = []
        for mid, state, lang in rows:
            if lang not in envs:
                envs[lang] = self.env["sales.org.robot"].new({"lang": lang})._lang_env()
            env = envs[lang]
            reasons.append((mid, env._("The sending was interrupted: it may have reached the group.")
                            if state == "unknown" else env._("Out of date: no longer sent.")))
        self.env.cr.execute(SQL(
            "UPDATE sales_org_robot_message m SET last_error = v.reason FROM (VALUES %s) AS v(id, reason) "
            "WHERE m.id = v.id", SQL(", ").join(SQL("(%s, %s)", mid, reason) for mid, reason in reasons)))
        self.invalidate_model(["state", "next_try_date", "last_error"])

    @api.model
    def _due(self):
        """The messages to post now: one query. A robot whose app may have taken messages lately
        without answering (not confirmed) is held 1, 2, 4 … minutes after the last, the longer the
        more of them in the last two hours: not posted to one after the other in the same silence."""
        now = fields.Datetime.now()
        return self.browse([mid for mid, in self.env.execute_query(SQL(
            """
            WITH waiting AS (
                SELECT m.id, m.robot_id,
                       row_number() OVER w AS rank,
                       bool_and(m.next_try_date IS NULL OR m.next_try_date <= %(now)s) OVER w AS in_turn
                  FROM sales_org_robot_message m
                  JOIN sales_org_robot r ON r.id = m.robot_id AND r.active AND NOT COALESCE(r.is_paused, FALSE)
                  JOIN crm_team t ON t.id = r.team_id AND t.active
                 WHERE m.state = 'queued'
                WINDOW w AS (PARTITION BY m.robot_id ORDER BY m.id)
            ), recent AS (
                SELECT robot_id, count(*) AS sent
                  FROM sales_org_robot_message
                 WHERE state IN ('sent', 'sending', 'unknown', 'failed') AND sent_date > %(minute_ago)s
              GROUP BY robot_id
            ), silent AS (
                SELECT robot_id
                  FROM sales_org_robot_message
                 WHERE state = 'unknown' AND sent_date > %(hours_ago)s
              GROUP BY robot_id
                HAVING max(sent_date) + LEAST(power(2, count(*) - 1), %(most)s) * INTERVAL '1 minute' > %(now)s
            )
            SELECT w.id FROM waiting w LEFT JOIN recent ON recent.robot_id = w.robot_id
             WHERE w.in_turn AND w.rank <= %(rate)s - COALESCE(recent.sent, 0)
               AND w.robot_id NOT IN (SELECT robot_id FROM silent)
          ORDER BY w.id LIMIT %(max)s
            """, now=now, minute_ago=now - RATE_WINDOW, rate=api_.RATE_PER_MINUTE, max=BATCH,
            hours_ago=now - timedelta(hours=2), most=MAX_BACKOFF_MINUTES))])

    def _send(self, commit=False, deadline=None):
        """Post these queued messages: marked as being sent first (committed when `commit`),
        posted robot by robot in order, each robot stopping at its first message not sent or at
        `deadline` (a `time.monotonic()`), and every outcome written in one statement."""
        now = fields.Datetime.now()
        self.flush_model()
        # claimed in one statement: only those still waiting, whoever else looks at the outbox
        claimed = {mid for mid, in self.env.execute_query(SQL(
            "UPDATE sales_org_robot_message SET state = 'sending', sent_date = %s, write_date = %s "
            "WHERE id IN %s AND state = 'queued' RETURNING id", now, now, tuple(self.ids) or (0,)))}
        self.invalidate_recordset(["state", "sent_date"])
        messages = self.filtered(lambda message: message.id in claimed).sorted("id")
        if not messages:
            return
        if commit:
            # claimed before posting, whatever happens next: a message is never posted twice
            self.env.cr.commit()  # pylint: disable=invalid-commit
        timeout = float(self.env["ir.config_parameter"].sudo().get_param("sales_team_org.robot_timeout", 10))
        queues, not_posted = [], []
        for robot, theirs in messages.grouped("robot_id").items():
            robot = robot.sudo()
            if any(message.split_kind != robot.kind for message in theirs):
                # switched to another app since they were claimed: split again by the next run
                not_posted += [(message.id, None, None) for message in theirs]
                continue
            try:  # its address as allowed now, not only when it was saved
                robot._check_webhook_url()
            except ValidationError as error:
                not_posted += [(message.id, "config", str(error)) for message in theirs]
                continue
            queues.append((robot.kind, robot.webhook_url, robot.secret if robot.kind == "dingtalk" else None,
                           [(message.id, message.title, message.body,
                             message.mobiles.split(",") if message.mobiles else []) for message in theirs]))
        # HTTP only in the threads; the database only here
        with ThreadPoolExecutor(max_workers=max(1, min(WORKERS, len(queues)))) as pool:
            results = not_posted + [result for queue in pool.map(
                lambda queue: _post_queue(*queue, timeout=timeout, deadline=deadline), queues) for result in queue]
        paused = self._record(results)
        if commit:
            self.env.cr.commit()  # pylint: disable=invalid-commit
        if paused:
            # apart from the outcomes, committed already: an administrator's edit of the robot at
            # the same moment cannot undo what was posted
            self._pause(paused)
            if commit:
                self.env.cr.commit()  # pylint: disable=invalid-commit

    def _record(self, results):
        """Write the outcome of each message posted: [(id, outcome, answer)] with outcome one of
        sent, rate, retry, config, failed, unknown, or None when not posted, in one statement.
        Return {robot id: the app's answer} of the robots to pause."""
        now = fields.Datetime.now()
        values = []
        paused = {}
        messages = self.browse([mid for mid, _outcome, _answer in results])
        attempts = {message.id: message.attempt_count for message in messages}
        robots = {message.id: message.robot_id for message in messages}
        for mid, outcome, answer in results:
            attempt = attempts[mid] + 1
            message = messages.browse(mid)
            if outcome is None:
                answer = message.last_error or None  # not posted this time: the last answer stands
            elif outcome == "unknown":
                answer = "\n".join(filter(None, [answer, message.robot_id._lang_env()._(
                    "No answer in time: it may have reached the group. Send it again if it did not.")]))
            if outcome == "sent":
                values.append((mid, "sent", attempt, None, now, answer))
            elif outcome in (None, "rate"):  # not posted, or refused for the rate only: not an attempt
                later = now + timedelta(minutes=1) if outcome == "rate" else None
                values.append((mid, "queued", attempts[mid], later, None, answer))
            elif outcome == "config":
                values.append((mid, "queued", attempts[mid], None, None, answer))
                paused[robots[mid].id] = answer
            elif outcome == "retry" and attempt < MAX_ATTEMPTS:
                later = now + timedelta(minutes=min(2 ** (attempt - 1), MAX_BACKOFF_MINUTES))
                values.append((mid, "queued", attempt, later, None, answer))
            elif outcome == "unknown":
                values.append((mid, "unknown", attempt, None, now, answer))
            else:  # refused for good, or retried for the last time: counts in its robot's minute
                values.append((mid, "failed", attempt, None, now, answer))
        self.env.cr.execute(SQL(
            """
            UPDATE sales_org_robot_message m
               SET state = v.state, attempt_count = v.attempt, next_try_date = v.next_try,
                   sent_date = v.sent, last_error = v.answer, write_date = %s, write_uid = %s
              FROM (VALUES %s) AS v(id, state, attempt, next_try, sent, answer)
             WHERE m.id = v.id
            """, now, self.env.uid,
            SQL(", ").join(SQL("(%s, %s, %s, %s::timestamp, %s::timestamp, %s)", *row) for row in values)))
        self.invalidate_model(["state", "attempt_count", "next_try_date", "sent_date", "last_error"])
        counts = {}
        for _mid, outcome, _answer in results:
            counts[outcome] = counts.get(outcome, 0) + 1
        _logger.info("Robot outbox: %s", ", ".join(f"{outcome or 'not posted'} {count}"
                                                    for outcome, count in sorted(counts.items(), key=str)))
        return paused

    @api.model
    def _pause(self, paused):
        """Pause the robots of {robot id: the app's answer}: their messages wait until corrected."""
        self.env.cr.execute(SQL(
            """
            UPDATE sales_org_robot r SET is_paused = TRUE, paused_reason = v.reason, paused_date = %s
              FROM (VALUES %s) AS v(id, reason) WHERE r.id = v.id
            """, fields.Datetime.now(), SQL(", ").join(SQL("(%s, %s)", rid, reason) for rid, reason in paused.items())))
        self.env["sales.org.robot"].invalidate_model(["is_paused", "paused_reason", "paused_date"])
        _logger.warning("Group robots %s paused: their app refused their address or secret.", sorted(paused))

    # ------------------------------------------------------------------
    # Actions of the administrator
    # ------------------------------------------------------------------

    def action_send_again(self):
        """Queue these failed or not confirmed messages again, from a first attempt and as news
        again (the administrator asks for them); an approval decided meanwhile is not."""
        self._check_admin()
        again = self.filtered(lambda message: message.state in ("failed", "unknown", "cancelled"))
        if not again:
            raise UserError(self.env._("Only failed, cancelled or not confirmed messages are sent again."))
        now = fields.Datetime.now()
        for kind, theirs in again.grouped("kind").items():
            theirs.sudo().write({"state": "queued", "attempt_count": 0, "next_try_date": False, "sent_date": False,
                                 "expire_date": now + EXPIRES[kind] if kind in EXPIRES else False})
        self.env.ref("sales_team_org.ir_cron_robot_outbox").sudo()._trigger()
        # split for the app the robot spoke when they were queued: split again for today's
        robots = again.robot_id
        if self._resplit(robots):
            return {
                "type": "ir.actions.act_window",
                "name": self.env._("Robot Outbox"),
                "res_model": self._name,
                "view_mode": "list,form",
                "views": [(False, "list"), (False, "form")],
                "domain": [("robot_id", "in", robots.ids), ("state", "=", "queued")],
            }
        return True

    def action_cancel(self):
        self._check_admin()
        cancelled = self.filtered(lambda message: message.state in ("queued", "failed", "unknown"))
        if not cancelled:
            raise UserError(self.env._("Only waiting, failed or not confirmed messages are cancelled."))
        cancelled.sudo().write({"state": "cancelled", "next_try_date": False})
        return True

    def _check_admin(self):
        self.check_access("read")
        if not self.env.user.has_group("sales_team.group_sale_manager"):
            raise UserError(self.env._("Only the sales administrator manages the group robots."))


def _post_queue(kind, webhook, secret, messages, timeout, deadline=None):
    """Post one robot's messages in order: [(id, outcome, answer)]. After a message not sent, or
    once `deadline` has passed, the robot's others wait (outcome None), so that the group reads
    them in order and a run ends in time. No database."""
    results = []
    session = requests.Session()
    try:
        for index, (mid, title, body, mobiles) in enumerate(messages):
            if deadline is not None and time.monotonic() > deadline:
                results.extend((other[0], None, None) for other in messages[index:])
                break
            outcome, answer = _post(session, kind, webhook, secret, title, body, mobiles, timeout)
            results.append((mid, outcome, answer))
            if outcome != "sent":
                results.extend((other[0], None, None) for other in messages[index + 1:])
                break
    finally:
        session.close()
    return results


def _post(session, kind, webhook, secret, title, body, mobiles, timeout):
    """(outcome, answer) of posting one message; the answer never holds the webhook or secret."""
    secrets = (webhook, secret, *_query_values(webhook))
    try:
        response = session.post(api_.signed_url(webhook, secret), json=api_.payload(kind, title, body, mobiles),
                                timeout=timeout, allow_redirects=False)
    except requests.exceptions.ReadTimeout:
        # posted, no answer: it may have arrived; never posted twice, so left for the administrator
        return "unknown", None
    except Exception as error:  # noqa: BLE001 (every failure is said, never raised into the run)
        text = api_.scrub(f"{type(error).__name__}: {error}", secrets)[:1000]
        if isinstance(error, (requests.exceptions.InvalidURL, requests.exceptions.MissingSchema,
                              requests.exceptions.InvalidSchema, urllib3.exceptions.LocationValueError)):
            return "config", text  # an address the HTTP stack refuses: the robot to correct
        reason = error.args[0] if isinstance(error, requests.exceptions.ConnectionError) and error.args else None
        reason = getattr(reason, "reason", reason)  # urllib3's MaxRetryError wraps what happened
        if isinstance(error, requests.exceptions.ConnectTimeout) \
                or isinstance(reason, urllib3.exceptions.NewConnectionError):
            return "retry", text  # never connected (refused, no route, no name): not posted
        # anything else may have happened once the request was sent (a connection dropped, an
        # answer broken off, TLS failing while reading): it may have arrived, never posted again
        return "unknown", text
    try:
        answer = response.json()
    except ValueError:
        answer = response.text
    text = api_.scrub(f"HTTP {response.status_code}: {response.text}", secrets)[:1000]
    outcome = api_.outcome(kind, response.status_code, answer)
    return outcome, (text if outcome != "sent" else None)


def _query_values(url):
    return [value for values in urllib.parse.parse_qs(urllib.parse.urlsplit(url or "").query).values()
            for value in values]
