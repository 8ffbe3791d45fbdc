import logging
import urllib.parse
import uuid

import urllib3

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from . import sales_org_robot_api as api_

# What a robot may send, each switched on or off per robot: the field that switches it.
TOPICS = {
    "digest": "send_digest",
    "reminder": "send_reminder",
    "approval": "send_approval",
    "meeting": "send_meeting",
    "target": "send_target",
}
# Where each app's robots live: the webhook goes there, over https, and nowhere else. The
# system parameter `sales_team_org.robot_hosts` (comma-separated, the system administrator's)
# adds hosts reached as they are written, http and any path included: a relay of the company's,
# a test server.
APP_HOSTS = {"dingtalk": ("oapi.dingtalk.com", "/robot/send"), "wecom": ("qyapi.weixin.qq.com", "/cgi-bin/webhook/send")}

_logger = logging.getLogger(__name__)


def _lang_get(records):
    return records.env["res.lang"].get_installed()


class SalesOrgRobot(models.Model):
    """A unit's group robot in DingTalk (钉钉自定义机器人) or WeCom (企业微信群机器人): where the
    add-on's digests, reminders, approvals, minutes and target achievement reach the unit's
    group chat. Its webhook and signing secret are the sales administrator's alone: the model
    is theirs, and the two fields are kept from every other group, from copies, from the
    messages' errors and from the logs."""

    _name = "sales.org.robot"
    _inherit = ["sales.org.guarded.mixin"]
    _description = "Work-Chat Group Robot"
    _order = "team_id, name, id"
    _sales_org_system_fields = frozenset({"company_id", "is_paused", "paused_reason", "paused_date"})

    name = fields.Char(required=True, help="The group chat, as its people know it.")
    active = fields.Boolean(default=True)
    team_id = fields.Many2one("crm.team", string="Unit", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one("res.company", related="team_id.company_id", store=True, index=True)
    kind = fields.Selection(api_.APPS, string="App", required=True,
                            default="dingtalk")
    webhook_url = fields.Char(
        string="Webhook", copy=False, groups="sales_team.group_sale_manager",
        help="The robot's address, as the group's robot settings give it: "
             "https://oapi.dingtalk.com/robot/send?access_token=… or "
             "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…")
    secret = fields.Char(
        string="Signing Secret", copy=False, groups="sales_team.group_sale_manager",
        help="DingTalk's 加签 secret (SEC…), when the robot's security setting is signing.")
    lang = fields.Selection(_lang_get, string="Language", required=True,
                            default=lambda self: self.env.lang or "en_US",
                            help="The language of the messages this robot sends.")
    send_digest = fields.Boolean(string="Daily Digest", default=True,
                                 help="Each day: who of the unit and below submitted, who did not, the day's figures.")
    send_reminder = fields.Boolean(string="Report Reminders", default=True,
                                   help="Who of the unit has not submitted their daily report, @-mentioned by mobile.")
    send_approval = fields.Boolean(string="Approvals Waiting", default=True,
                                   help="A request of the unit waiting for its approver, with a link to it.")
    send_meeting = fields.Boolean(string="Meeting Minutes", default=True,
                                  help="The unit's weekly meeting minutes, once confirmed.")
    send_target = fields.Boolean(string="Target Achievement", default=True,
                                 help="At month end, the achievement of the unit's targets of the month.")
    is_paused = fields.Boolean(string="Paused", readonly=True,
                               help="The app refused the robot's address or secret: its messages wait, "
                                    "none lost, until the robot is corrected.")
    paused_reason = fields.Text(string="Why Paused", readonly=True)
    paused_date = fields.Datetime(string="Paused Since", readonly=True)
    message_ids = fields.One2many("sales.org.robot.message", "robot_id", string="Outbox")
    waiting_count = fields.Integer(string="To Send", compute="_compute_counts")
    failed_count = fields.Integer(string="Undelivered", compute="_compute_counts")

    def _compute_counts(self):
        counts = {(robot.id, state): count for robot, state, count in self.env["sales.org.robot.message"]._read_group(
            [("robot_id", "in", self.ids), ("state", "in", ("queued", "sending", "unknown", "failed"))],
            ["robot_id", "state"], ["__count"])}
        for robot in self:
            robot.waiting_count = counts.get((robot.id, "queued"), 0) + counts.get((robot.id, "sending"), 0)
            robot.failed_count = counts.get((robot.id, "failed"), 0) + counts.get((robot.id, "unknown"), 0)

    @api.constrains("kind", "webhook_url", "secret", "active")
    def _check_webhook(self):
        for robot in self.sudo().filtered("active"):  # an archived one may keep an address no longer allowed
            robot._check_webhook_url()
        # one group's robot is one record: its 20 messages a minute are counted on it
        for robot in self.sudo().filtered("active"):
            if self.sudo().search_count([("webhook_url", "=", robot.webhook_url), ("id", "!=", robot.id)], limit=1):
                raise ValidationError(self.env._(
                    "%(robot)s has the webhook of another robot: a group's robot is added once, to the unit "
                    "whose group it is.", robot=robot.name))

    def _check_webhook_url(self):
        webhook = self.webhook_url or ""
        param = "access_token" if self.kind == "dingtalk" else "key"
        host, path = APP_HOSTS[self.kind]
        extra = {name.strip() for name in (self.env["ir.config_parameter"].sudo().get_param(
            "sales_team_org.robot_hosts") or "").split(",") if name.strip()}
        try:
            # as the HTTP stack reads it, and as the standard library does: both must agree
            sent, read = urllib3.util.parse_url(webhook), urllib.parse.urlsplit(webhook)
            sane = (sent.host == read.hostname and sent.port == read.port and not sent.auth and not sent.fragment
                    and "\\" not in webhook and "@" not in webhook
                    and bool(urllib.parse.parse_qs(read.query).get(param)))
            app = sent.scheme == "https" and sent.host == host and sent.port in (None, 443) and sent.path == path
            relay = sent.host in extra and sent.scheme in ("http", "https")  # at its own path
            valid = sane and (app or relay)
        except (ValueError, urllib3.exceptions.LocationParseError):
            valid = False
        if not valid:
            raise ValidationError(self.env._(
                "The webhook of %(robot)s is the address the group's robot settings give, over https with its "
                "%(param)s, for instance %(example)s.", robot=self.name, param=param,
                example="https://oapi.dingtalk.com/robot/send?access_token=…" if self.kind == "dingtalk"
                else "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…"))

    @api.model_create_multi
    def create(self, vals_list):
        return super().create([self._without_secret_of_wecom(vals) for vals in vals_list])

    @api.constrains("lang")
    def _check_lang(self):
        installed = dict(self.env["res.lang"].get_installed())
        for robot in self:
            if robot.lang not in installed:
                raise ValidationError(self.env._(
                    "The language %(lang)s of %(robot)s is not installed: install it first, or choose another.",
                    lang=robot.lang, robot=robot.name))

    def write(self, vals):
        if "secret" in vals and "kind" not in vals and all(robot.kind == "wecom" for robot in self):
            vals = dict(vals, secret=False)
        switched = self.filtered(lambda robot: "kind" in vals and robot.kind != vals["kind"])
        res = super().write(self._without_secret_of_wecom(vals))
        if switched:
            self.env["sales.org.robot.message"]._resplit(switched)
        if "team_id" in vals and not self.env.su:
            self.check_access("write")  # moved to a unit of another company: refused as a create is
        if {"webhook_url", "secret", "kind", "active"} & set(vals):
            # corrected: its messages go out again at the next run
            self.sudo().filtered("is_paused").write({"is_paused": False, "paused_reason": False, "paused_date": False})
            self.env.ref("sales_team_org.ir_cron_robot_outbox")._trigger()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_history(self):
        if self.env["sales.org.robot.message"].sudo().search_count([("robot_id", "in", self.ids)], limit=1):
            raise UserError(self.env._("A robot that has sent messages keeps them: archive it instead."))

    @api.model
    def _without_secret_of_wecom(self, vals):
        """A WeCom group robot signs nothing: its secret, kept from a DingTalk one, goes."""
        return dict(vals, secret=False) if vals.get("kind") == "wecom" else vals

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_send_test(self):
        """Send a test message now, through the outbox like every other, and say how it went."""
        self.ensure_one()
        self._check_admin()
        env = self._lang_env()
        messages = self.env["sales.org.robot.message"]._enqueue([{
            "robot": self, "kind": "test", "key": f"test:{uuid.uuid4().hex}",
            "title": env._("Test message"),
            "body": env._("Test message from Odoo to %(robot)s of %(unit)s: this group will receive its unit's "
                          "messages here.", robot=self.name, unit=self.team_id.with_env(env).display_name),
        }])
        # now if it is the robot's turn (active, not paused nor held, nothing older waiting, within
        # its rate), else in its turn by the outbox
        messages.flush_recordset()
        if messages and messages[:1] in self.env["sales.org.robot.message"]._due():
            messages._send(commit=False)
        message = messages[:1]
        if message.state == "sent":
            return self._notify(self.env._("Test message sent to %(robot)s.", robot=self.name), "success")
        if message.state == "queued":
            return self._notify(self.env._(
                "The test message to %(robot)s is not sent yet; the outbox tries again by itself: %(error)s",
                robot=self.name, error=message.last_error or ""), "warning")
        return self._notify(self.env._("The test message to %(robot)s was not sent: %(error)s",
                                       robot=self.name, error=message.last_error or message.state), "warning")

    def action_resume(self):
        """Send this robot's waiting messages again, once it is corrected."""
        self._check_admin()
        self.sudo().write({"is_paused": False, "paused_reason": False, "paused_date": False})
        self.env.ref("sales_team_org.ir_cron_robot_outbox")._trigger()
        return True

    def action_view_messages(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Outbox of %(robot)s", robot=self.name),
            "res_model": "sales.org.robot.message",
            "view_mode": "list,kanban,form",
            "views": [(False, "list"), (False, "kanban"), (False, "form")],
            "domain": [("robot_id", "=", self.id)],
            "context": {"search_default_not_sent": 1},
        }

    def _notify(self, message, kind):
        return {"type": "ir.actions.client", "tag": "display_notification",
                "params": {"message": message, "type": kind, "sticky": kind != "success",
                           "next": {"type": "ir.actions.client", "tag": "soft_reload"}}}

    def _check_admin(self):
        self.check_access("write")
        if not self.env.user.has_group("sales_team.group_sale_manager"):
            raise UserError(self.env._("Only the sales administrator manages the group robots."))

    # ------------------------------------------------------------------
    # Who sends what
    # ------------------------------------------------------------------

    @api.model
    def _for_units(self, team_ids, topic):
        """{unit id: robots}: the active robots of these units that send `topic`. One query."""
        if not team_ids:
            return {}
        robots = self.sudo().search([("team_id", "in", list(team_ids)), ("team_id.active", "=", True),
                                     (TOPICS[topic], "=", True)])
        return {team.id: theirs for team, theirs in robots.grouped("team_id").items()}

    @api.model
    def _nearest_for_units(self, team_ids, topic):
        """{unit id: robots}: for each of these units, the robots of the unit itself or, without
        any, of the nearest unit above it that has some, those of them that send `topic`: a unit
        whose group is switched off for `topic` is not told of it in a group above. One query."""
        if not team_ids:
            return {}
        self.env["crm.team"].flush_model(["parent_path", "active"])
        self.flush_model(["team_id", "active", TOPICS[topic]])
        rows = self.env.execute_query(SQL(
            """
            SELECT u.id, r.id, a.parent_path, r.%s
              FROM crm_team u
              JOIN crm_team a ON starts_with(u.parent_path, a.parent_path)
              JOIN sales_org_robot r ON r.team_id = a.id AND r.active
             WHERE u.id IN %s AND a.active
            """, SQL.identifier(TOPICS[topic]), tuple(team_ids)))
        # the deepest unit up the path with robots (the longest parent_path), its robots sending it
        deepest = {}
        for unit_id, robot_id, path, sends in rows:
            if len(path) > len(deepest.get(unit_id, ("", []))[0]):
                deepest[unit_id] = (path, [])
            if path == deepest[unit_id][0] and sends:
                deepest[unit_id][1].append(robot_id)
        deepest = {unit_id: found for unit_id, found in deepest.items() if found[1]}
        robots = self.sudo().browse({robot_id for _path, robot_ids in deepest.values() for robot_id in robot_ids})
        return {unit_id: robots.browse(robot_ids).with_prefetch(robots._prefetch_ids)
                for unit_id, (_path, robot_ids) in deepest.items()}

    @api.model
    def _by_language(self, robots_of):
        """[(an environment in a language, the robots writing in it)] of the robots of {unit id:
        robots}: each message is written once per language, then queued to each robot."""
        robots = self.sudo().union(*robots_of.values())
        return [(theirs[:1]._lang_env(), theirs) for theirs in robots.grouped("lang").values()]

    def _lang_env(self):
        """An environment in the robot's language, or in English once that language is
        deactivated: a message is never held up by it."""
        lang = self.lang if self.env["res.lang"]._get_data(code=self.lang) else "en_US"
        return self.with_context(lang=lang).env

    @api.model
    def _queue_safely(self, what, builder, *args):
        """Call `builder(*args)`, which queues messages to the group robots, in a savepoint: its
        failure is logged and undone, never the action or scheduled action that tells the groups."""
        # flushed first, and a savepoint that does not clear the transaction's hooks when rolled
        # back: the chatter's tracking and notifications of the action stay
        self.env.flush_all()
        try:
            with self.env.cr.savepoint(flush=False):
                return builder(*args)
        except Exception:  # noqa: BLE001 (a message to a group never blocks the work it tells of)
            _logger.exception("Group robots: %s could not be queued", what)
            self.env.invalidate_all(flush=False)
            return self.env["sales.org.robot.message"]
