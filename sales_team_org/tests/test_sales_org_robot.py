"""The group robots' outbox against a loopback server playing DingTalk's and WeCom's contracts:
signature, rate limit, size limits and splitting, retries, a server down for a while, answers
that never come, and secrets kept out of every log line and message. Nothing leaves 127.0.0.1."""
import logging
import time
import urllib.parse
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged
from odoo.tests.common import BlockedRequest, _super_send

from ..models import sales_org_robot_api as robot_api
from .common import SalesOrgCommon
from .robot_server import RobotServer

SECRET = "SECdeadbeef0123456789abcdefcafebabe"
TOKEN = "tok3n-of-the-east-group"
KEY = "k3y-of-the-shanghai-group"
NOW = datetime(2026, 11, 30, 10, 0, 0)


@tagged("post_install", "-at_install")
class TestSalesOrgRobot(SalesOrgCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = RobotServer().start()
        cls.addClassCleanup(cls.server.stop)
        cls.env["ir.config_parameter"].sudo().set_param("sales_team_org.robot_timeout", "0.5")
        cls.env["ir.config_parameter"].sudo().set_param("sales_team_org.robot_hosts", "127.0.0.1")
        Robot = cls.env["sales.org.robot"]
        cls.dingtalk = Robot.create({
            "name": "East group", "team_id": cls.east_business.id, "kind": "dingtalk", "lang": "en_US",
            "webhook_url": cls.server.add_dingtalk(TOKEN, SECRET), "secret": SECRET,
        })
        cls.wecom = Robot.create({
            "name": "Shanghai group", "team_id": cls.shanghai.id, "kind": "wecom", "lang": "en_US",
            "webhook_url": cls.server.add_wecom(KEY),
        })
        cls.Message = cls.env["sales.org.robot.message"]
        cls.admin = new_test_user(cls.env, login="t_robot_admin", groups="sales_team.group_sale_manager")

    @classmethod
    def _request_handler(cls, s, r, /, **kw):
        # Odoo's tests let requests reach this machine, with their timeout raised to 10 s and
        # their URL logged: here only the loopback server is reached, as the add-on posts it
        if urllib.parse.urlsplit(r.url).hostname != "127.0.0.1":
            raise BlockedRequest(f"Only the loopback robot server is reached (was {r.url})")
        return _super_send(s, r, **kw)

    def setUp(self):
        super().setUp()
        self.server.accepted.clear()
        self.server.requests.clear()
        self.server.fail_next = self.server.busy_next = self.server.hang_next = 0
        self.server.drop_next = self.server.gateway_next = 0
        self.server._sent_at.clear()

    def queue(self, robot, count=1, key="t", body="Hello", mobiles=()):
        return self.Message._enqueue([{
            "robot": robot, "kind": "digest", "key": f"{key}:{index}", "title": f"Title {index}",
            "body": f"{body} {index}", "mobiles": list(mobiles),
        } for index in range(count)])

    def run_outbox(self):
        return self.Message._cron_send()

    # ------------------------------------------------------------------
    # The APIs' contracts
    # ------------------------------------------------------------------

    def test_signature_of_known_timestamp_and_secret(self):
        """HMAC-SHA256 of "timestamp\\nsecret" in base64 (as `openssl dgst -sha256 -hmac` gives it),
        URL-encoded in the webhook with its timestamp."""
        self.assertEqual(robot_api.sign("SEC1234567890abcdef", 1577262236757),
                         "f7qQ1A8KagEZ45y1gasTtKsEq5ERTeDXP9T+WkIqzDk=")
        url = robot_api.signed_url("https://oapi.dingtalk.com/robot/send?access_token=abc", "SEC1234567890abcdef",
                                   1577262236757)
        self.assertEqual(url, "https://oapi.dingtalk.com/robot/send?access_token=abc&timestamp=1577262236757"
                              "&sign=f7qQ1A8KagEZ45y1gasTtKsEq5ERTeDXP9T%2BWkIqzDk%3D")

    def test_signed_message_is_accepted_and_sent_once(self):
        with freeze_time(NOW):
            message = self.queue(self.dingtalk, mobiles=["13800000001"])
            self.assertEqual(message.state, "queued")
            self.run_outbox()
            self.run_outbox()
        self.assertEqual(message.state, "sent")
        self.assertEqual(message.attempt_count, 1)
        self.assertEqual(len(self.server.accepted), 1, "sent once, whatever the number of runs")
        token, payload = self.server.accepted[0]
        self.assertEqual(token, TOKEN)
        self.assertEqual(payload["msgtype"], "markdown")
        self.assertEqual(payload["at"]["atMobiles"], ["13800000001"])
        self.assertIn("@13800000001", payload["markdown"]["text"], "DingTalk shows a mention the text names")

    def test_wecom_mentions_go_as_text(self):
        """WeCom mentions by mobile only in text messages: a message with mentions is sent as text."""
        with freeze_time(NOW):
            self.queue(self.wecom, body="**Not submitted** [board](https://x.test/b)", mobiles=["13800000002"])
            self.queue(self.wecom, key="plain", body="# Digest")
            self.run_outbox()
        kinds = [payload["msgtype"] for _key, payload in self.server.accepted]
        self.assertEqual(kinds, ["text", "markdown"])
        text = self.server.accepted[0][1]["text"]
        self.assertEqual(text["mentioned_mobile_list"], ["13800000002"])
        self.assertEqual(text["content"], "Not submitted board: https://x.test/b 0")

    def test_idempotency_key(self):
        """The same event queued twice to a robot is one message; to another robot, another."""
        first = self.queue(self.dingtalk, key="digest:1:2026-11-30")
        again = self.queue(self.dingtalk, key="digest:1:2026-11-30")
        other = self.queue(self.wecom, key="digest:1:2026-11-30")
        self.assertTrue(first)
        self.assertFalse(again)
        self.assertTrue(other)
        self.assertEqual(self.Message.search_count([("key", "=", "digest:1:2026-11-30:0")]), 2)

    # ------------------------------------------------------------------
    # Rate and size
    # ------------------------------------------------------------------

    def test_burst_of_100_held_to_20_a_minute(self):
        """100 messages to one robot go 20 a minute, in order: the server never has to refuse one."""
        with freeze_time(NOW) as clock:
            messages = self.queue(self.dingtalk, count=100)
            self.queue(self.wecom, count=5)
            sent_per_run = []
            for _minute in range(7):
                before = len(self.server.accepted)
                self.run_outbox()
                self.run_outbox()  # a second run in the same minute sends nothing more
                sent_per_run.append(len(self.server.accepted) - before)
                clock.tick(timedelta(seconds=61))
        self.assertEqual(sent_per_run, [25, 20, 20, 20, 20, 0, 0], "20 a minute to the busy robot, the other unhindered")
        self.assertEqual(set(messages.mapped("state")), {"sent"})
        dingtalk_texts = [payload["markdown"]["text"] for token, payload in self.server.accepted if token == TOKEN]
        self.assertEqual(dingtalk_texts, [f"Hello {index}" for index in range(100)], "in order, each once")
        self.assertEqual(len(self.server.requests), 105, "no request refused for the rate")

    def test_rate_refused_by_the_app_is_tried_next_minute(self):
        """Another sender used the robot's 20 of the minute: the app refuses, the message waits a
        minute without counting as an attempt."""
        with freeze_time(NOW) as clock:
            self.server._sent_at[TOKEN] = [NOW.timestamp()] * 20
            message = self.queue(self.dingtalk)
            self.run_outbox()
            self.assertEqual((message.state, message.attempt_count), ("queued", 0))
            self.assertIn("130101", message.last_error)
            self.assertEqual(message.next_try_date, NOW + timedelta(minutes=1))
            clock.tick(timedelta(seconds=61))
            self.run_outbox()
        self.assertEqual(message.state, "sent")

    def test_long_digest_split_in_order(self):
        """A digest over each API's limit goes in numbered parts within the limit, in order, and
        together they are the whole text."""
        lines = [f"- 第{index}位销售代表：电话拜访 12 次，客户 5 家，订单 3 张，金额 ¥12,345.00" for index in range(400)]
        body = "\n".join(lines)
        self.assertGreater(len(body.encode()), 20000)
        with freeze_time(NOW):
            wecom_parts = self.Message._enqueue([{"robot": self.wecom, "kind": "digest", "key": "long",
                                                  "title": "日报汇总", "body": body}])
            dingtalk_parts = self.Message._enqueue([{"robot": self.dingtalk, "kind": "digest", "key": "long",
                                                     "title": "日报汇总", "body": body}])
            self.run_outbox()
        self.assertGreater(len(wecom_parts), 5)
        self.assertEqual(len(dingtalk_parts), 2)
        for parts, token, field, limit in ((wecom_parts, KEY, "content", 4096), (dingtalk_parts, TOKEN, "text", 20000)):
            texts = [payload["markdown"][field] for robot, payload in self.server.accepted if robot == token]
            self.assertEqual(len(texts), len(parts), "every part accepted: none over the limit")
            self.assertTrue(all(len(text.encode()) <= limit for text in texts))
            count = len(parts)
            self.assertEqual([text.split("\n", 1)[0] for text in texts],
                             [f"({number}/{count})" for number in range(1, count + 1)])
            self.assertEqual("\n".join(text.split("\n", 1)[1] for text in texts), body)
        self.assertEqual(dingtalk_parts.sorted("part").mapped("title"), ["日报汇总 (1/2)", "日报汇总 (2/2)"])

    def long_body(self, size):
        lines, index = [], 0
        while len("\n".join(lines).encode()) < size:
            lines.append(f"- 第{index}位销售代表：电话拜访 12 次，客户 5 家，订单 3 张，金额 ¥12,345.00")
            index += 1
        return "\n".join(lines)

    def test_switched_app_splits_waiting_messages_again(self):
        """A robot switched from DingTalk to WeCom: its waiting messages, split for DingTalk's
        20,000 bytes, are split again for WeCom's 4,096, in the same order, none refused. A
        message already half posted goes on from its next part, numbered after it."""
        half, whole = self.long_body(30000), self.long_body(15000)
        with freeze_time(NOW):
            halfway = self.Message._enqueue([{"robot": self.dingtalk, "kind": "digest", "key": "half",
                                              "title": "日报汇总", "body": half}])
            self.assertEqual(len(halfway), 2)
            # the first part goes, the second waits its next try
            halfway.sorted("part")[1].sudo().write({"next_try_date": NOW + timedelta(minutes=5)})
            self.run_outbox()
            self.assertEqual(halfway.mapped("state"), ["sent", "queued"])
            posted = halfway.sorted("part")[0]
            waiting = self.Message._enqueue([
                {"robot": self.dingtalk, "kind": "digest", "key": "whole", "title": "日报汇总", "body": whole,
                 "mobiles": ["13800000001"]},
                {"robot": self.dingtalk, "kind": "reminder", "key": "short", "title": "提醒", "body": "短消息"},
            ])
            self.assertEqual(len(waiting), 2, "each fits DingTalk in one part")
            self.dingtalk.with_user(self.admin).write({"kind": "wecom", "webhook_url": self.server.add_wecom("k2")})
            self.assertFalse(waiting.exists(), "queued anew, split for WeCom")
            self.assertEqual((posted.exists().part, posted.state), (1, "sent"), "what was posted stays as it was")
            queued = self.Message.search([("robot_id", "=", self.dingtalk.id), ("state", "=", "queued")], order="id")
            self.assertEqual(queued[:1].next_try_date, NOW + timedelta(minutes=5), "each keeps its turn")
            self.server.accepted.clear()
            with freeze_time(NOW + timedelta(minutes=6)):
                self.run_outbox()
            self.assertEqual(set(queued.mapped("state")), {"sent"}, "none refused as too long")
        accepted = [payload for key, payload in self.server.accepted if key == "k2"]
        self.assertEqual(len(accepted), len(queued))
        contents = [payload.get("markdown", payload.get("text", {})).get("content") for payload in accepted]
        self.assertTrue(all(len(content.encode()) <= 4096 for content in contents))
        halves = queued.filtered(lambda message: message.key == "half")
        count = len(halves) + 1
        self.assertEqual(halves.mapped("part"), list(range(2, count + 1)), "numbered after the part posted")
        self.assertEqual(halves.mapped("title"), [f"日报汇总 ({number}/{count})" for number in range(2, count + 1)])
        wholes = queued.filtered(lambda message: message.key == "whole")
        self.assertEqual(queued.mapped("key"), ["half"] * len(halves) + ["whole"] * len(wholes) + ["short"],
                         "in the order they were queued")
        self.assertEqual("\n".join(robot_api.unnumbered(m.title, m.body)[1] for m in wholes), whole)
        self.assertEqual(wholes.mapped("mobiles")[-1], "13800000001", "the mentions with the last part")
        self.assertEqual(accepted[-2]["text"]["mentioned_mobile_list"], ["13800000001"])

    def test_sent_again_after_the_app_changed(self):
        """A message undelivered while the robot was on DingTalk, sent again once it is on
        WeCom, is split for WeCom."""
        body = self.long_body(10000)
        with freeze_time(NOW):
            message = self.Message._enqueue([{"robot": self.dingtalk, "kind": "meeting", "key": "m",
                                              "title": "周会纪要", "body": body}])
            message.with_user(self.admin).action_cancel()
            self.dingtalk.with_user(self.admin).write({"kind": "wecom", "webhook_url": self.server.add_wecom("k3")})
            action = message.with_user(self.admin).action_send_again()
            self.assertEqual(action["res_model"], "sales.org.robot.message", "the parts queued anew are shown")
            parts = self.Message.search(action["domain"], order="id")
            self.assertFalse(message.exists())
            self.assertEqual(len(parts), 3)
            self.run_outbox()
        self.assertEqual(set(parts.mapped("state")), {"sent"})
        self.assertEqual("\n".join(payload["markdown"]["content"].split("\n", 1)[1]
                                   for key, payload in self.server.accepted if key == "k3"), body)

    def switch_behind_its_back(self, robot, key):
        """The robot switched to WeCom by another transaction, which did not see what this one
        queued or claimed meanwhile."""
        url = self.server.add_wecom(key)
        self.env.flush_all()
        self.env.cr.execute("UPDATE sales_org_robot SET kind = 'wecom', webhook_url = %s, secret = NULL "
                            "WHERE id = %s", (url, robot.id))
        self.env.invalidate_all()

    def test_queued_for_the_former_app_meanwhile(self):
        """A message queued for DingTalk while the robot was being switched to WeCom, and one
        claimed for sending then: neither is posted in DingTalk's size; the outbox splits them
        again first."""
        body = self.long_body(12000)
        with freeze_time(NOW):
            queued = self.Message._enqueue([{"robot": self.dingtalk, "kind": "digest", "key": "q",
                                             "title": "日报汇总", "body": body}])
            claimed = self.Message._enqueue([{"robot": self.dingtalk, "kind": "digest", "key": "c",
                                              "title": "日报汇总", "body": body}])
            self.switch_behind_its_back(self.dingtalk, "k4")
            (queued | claimed)._send()
            self.assertEqual((queued | claimed).mapped("state"), ["queued", "queued"], "held back, not posted")
            self.assertFalse(self.server.requests)
            self.run_outbox()
        messages = self.Message.search([("robot_id", "=", self.dingtalk.id)], order="id")
        self.assertEqual(set(messages.mapped("split_kind")), {"wecom"})
        self.assertEqual(set(messages.mapped("state")), {"sent"})
        self.assertEqual(messages.mapped("key"), ["q"] * 3 + ["c"] * 3, "in order")
        self.assertEqual(len(self.server.accepted), 6)

    def test_queued_before_the_app_was_recorded(self):
        """A message queued before its parts recorded their app is split again once, for the
        robot's app as it is."""
        with freeze_time(NOW):
            message = self.Message._enqueue([{"robot": self.dingtalk, "kind": "meeting", "key": "old",
                                              "title": "周会纪要", "body": self.long_body(12000)}])
            self.env.flush_all()
            self.env.cr.execute("UPDATE sales_org_robot_message SET split_kind = NULL WHERE id = %s", message.ids)
            self.switch_behind_its_back(self.dingtalk, "k6")
            self.run_outbox()
        parts = self.Message.search([("robot_id", "=", self.dingtalk.id)], order="id")
        self.assertEqual(len(parts), 3)
        self.assertEqual(set(parts.mapped("state")), {"sent"})

    def test_sent_again_without_a_switch_as_it_was(self):
        """Sending a part again, the robot's app unchanged, touches nothing else: the part goes
        again with its own number."""
        with freeze_time(NOW):
            parts = self.Message._enqueue([{"robot": self.wecom, "kind": "meeting", "key": "m",
                                            "title": "纪要", "body": "会" * 4000}]).sorted("part")
            self.assertEqual(len(parts), 3)
            parts[0].sudo().write({"state": "failed"})
            parts[1].sudo().write({"state": "sent"})
            self.assertIs(parts[0].with_user(self.admin).action_send_again(), True)
            self.assertEqual(parts.mapped("state"), ["queued", "sent", "queued"])
            self.assertEqual(parts.mapped("title"), ["纪要 (1/3)", "纪要 (2/3)", "纪要 (3/3)"])

    def test_numbered_after_the_parts_posted_only(self):
        """Parts cancelled before being posted are not counted in the numbering of a message
        split again: the group reads it from (1/n)."""
        with freeze_time(NOW):
            parts = self.Message._enqueue([{"robot": self.dingtalk, "kind": "meeting", "key": "m",
                                            "title": "周会纪要", "body": self.long_body(30000)}]).sorted("part")
            self.assertEqual(len(parts), 2)
            parts.with_user(self.admin).action_cancel()
            self.dingtalk.with_user(self.admin).write({"kind": "wecom", "webhook_url": self.server.add_wecom("k5")})
            parts[0].with_user(self.admin).action_send_again()
            again = self.Message.search([("robot_id", "=", self.dingtalk.id), ("state", "=", "queued")], order="id")
        count = len(again)
        self.assertEqual(again.mapped("title"), [f"周会纪要 ({number}/{count})" for number in range(1, count + 1)])
        self.assertEqual(again.mapped("part"), list(range(3, count + 3)), "after the numbers taken")

    def test_split_never_cuts_a_character(self):
        line = "测" * 3000  # 9000 bytes on one line
        parts = robot_api.split(line, 4000)
        self.assertEqual("".join(parts), line)
        self.assertTrue(all(len(part.encode()) <= 4000 for part in parts))

    # ------------------------------------------------------------------
    # Failures
    # ------------------------------------------------------------------

    def test_retries_with_backoff_without_duplicates(self):
        """A gateway error and a busy API are retried after 1, then 2 minutes; the robot's later
        messages wait behind the first, so that the group reads them in order; each arrives once."""
        self.server.fail_next = 1
        self.server.busy_next = 1
        with freeze_time(NOW) as clock:
            messages = self.queue(self.dingtalk, count=3)
            first = messages.sorted("id")[0]
            self.run_outbox()
            self.assertEqual((first.state, first.attempt_count), ("queued", 1))
            self.assertEqual(first.next_try_date, NOW + timedelta(minutes=1))
            self.assertIn("HTTP 503", first.last_error)
            self.assertEqual(len(self.server.requests), 1, "the others wait behind the first")
            self.run_outbox()
            self.assertEqual(len(self.server.requests), 1, "not before its next try")
            clock.tick(timedelta(seconds=61))
            self.run_outbox()
            self.assertEqual((first.attempt_count, first.next_try_date), (2, NOW + timedelta(seconds=61, minutes=2)))
            self.assertIn('"errcode": -1', first.last_error)
            clock.tick(timedelta(minutes=2))
            self.run_outbox()
            self.run_outbox()
        self.assertEqual(set(messages.mapped("state")), {"sent"})
        self.assertEqual([payload["markdown"]["text"] for _t, payload in self.server.accepted],
                         ["Hello 0", "Hello 1", "Hello 2"])

    def test_nothing_lost_while_the_server_is_down(self):
        """Down for half an hour: the messages wait, retried with back-off, and all arrive once, in
        order, when it is back; after the last attempt a message is failed, shown with the answer,
        and sent again on request."""
        with freeze_time(NOW) as clock:
            messages = self.queue(self.wecom, count=4)
            self.server.stop()
            try:
                for _minute in range(30):
                    self.run_outbox()
                    clock.tick(timedelta(minutes=1))
            finally:
                self.server.start()
            first = messages.sorted("id")[0]
            self.assertEqual(set(messages.mapped("state")), {"queued"})
            self.assertEqual(first.attempt_count, 5, "tried after 1, 2, 4, 8, 16 minutes")
            self.assertIn("ConnectionError", first.last_error)
            clock.tick(timedelta(minutes=20))
            self.run_outbox()
        self.assertEqual(set(messages.mapped("state")), {"sent"})
        self.assertEqual([payload["markdown"]["content"] for _k, payload in self.server.accepted],
                         ["Hello 0", "Hello 1", "Hello 2", "Hello 3"])

    def test_gives_up_after_the_last_attempt(self):
        with freeze_time(NOW) as clock:
            message = self.queue(self.wecom)
            self.server.fail_next = 100
            for _hour in range(12):
                self.run_outbox()
                clock.tick(timedelta(hours=1))
            self.assertEqual((message.state, message.attempt_count), ("failed", 12))
            self.assertIn("HTTP 503", message.last_error)
            self.server.fail_next = 0
            message.with_user(self.admin).action_send_again()
            self.assertEqual((message.state, message.attempt_count), ("queued", 0))
            self.run_outbox()
        self.assertEqual(message.state, "sent")

    def test_no_answer_is_not_sent_again(self):
        """An answer that never comes: the message may have arrived; it is not posted again by
        itself (never twice), but shown as not confirmed until the administrator decides."""
        self.server.hang_next = 1
        with freeze_time(NOW) as clock:
            message = self.queue(self.dingtalk)
            self.run_outbox()
            self.assertEqual(message.state, "unknown")
            self.assertIn("may have reached the group", message.last_error)
            clock.tick(timedelta(hours=2))
            self.run_outbox()
            self.assertEqual(len(self.server.requests), 1)
            message.with_user(self.admin).action_send_again()
            self.run_outbox()
        self.assertEqual(message.state, "sent")
        self.assertEqual(len(self.server.accepted), 1)

    def test_taken_then_dropped_is_not_posted_again(self):
        """The app took it and the connection dropped before its answer, or a gateway answered
        502 after passing it on: it may have arrived, so it is never posted again by itself."""
        self.server.drop_next = 1
        self.server.gateway_next = 1
        with freeze_time(NOW) as clock:
            dropped, gateway, third = self.queue(self.dingtalk, count=3).sorted("id")
            for _minute in range(10):
                self.run_outbox()
                clock.tick(timedelta(minutes=1))
        self.assertEqual((dropped.state, gateway.state, third.state), ("unknown", "unknown", "sent"))
        self.assertIn("ConnectionError", dropped.last_error)
        self.assertIn("HTTP 502", gateway.last_error)
        self.assertEqual(len(self.server.requests), 3, "each posted once")

    def test_silent_app_backs_off(self):
        """An app that takes requests and never answers: one message after another goes unconfirmed,
        after 1, 2, 4, 8, 16 minutes, not the whole queue at once."""
        self.server.hang_next = 100
        with freeze_time(NOW) as clock:
            messages = self.queue(self.wecom, count=7)
            for _minute in range(30):
                self.run_outbox()
                clock.tick(timedelta(minutes=1))
        self.assertEqual(messages.mapped("state").count("unknown"), 5)
        self.assertEqual(messages.mapped("state").count("queued"), 2)
        self.assertEqual(len(self.server.requests), 5)

    def test_run_ends_in_time(self):
        """Past the run's deadline a robot's messages are not posted: back in the queue, in order."""
        messages = self.queue(self.dingtalk, count=3)
        messages._send(deadline=time.monotonic() - 1)
        self.assertEqual(set(messages.mapped("state")), {"queued"})
        self.assertEqual(messages.mapped("attempt_count"), [0, 0, 0])
        self.assertFalse(self.server.requests)

    def test_out_of_date_and_decided_are_not_sent(self):
        """A reminder or digest not delivered within a day, an approval whose step is decided:
        cancelled, said so, not sent."""
        self.dingtalk.is_paused = True
        with freeze_time(NOW) as clock:
            reminder = self.Message._enqueue([{"robot": self.dingtalk, "kind": "reminder", "key": "r",
                                               "title": "t", "body": "b"}])
            approval = self.Message._enqueue([{"robot": self.dingtalk, "kind": "approval", "key": "approval:0",
                                               "title": "t", "body": "b"}])
            meeting = self.queue(self.dingtalk, key="m")
            self.dingtalk.is_paused = False
            self.run_outbox()
            self.assertEqual(approval.state, "cancelled", "its step is not waiting")
            self.assertIn("Out of date", approval.last_error)
            self.assertEqual((reminder.state, meeting.state), ("sent", "sent"))
            late = self.Message._enqueue([{"robot": self.dingtalk, "kind": "digest", "key": "d",
                                           "title": "t", "body": "b"}])
            self.dingtalk.is_paused = True
            clock.tick(timedelta(days=1, minutes=1))
            self.dingtalk.is_paused = False
            self.run_outbox()
        self.assertEqual(late.state, "cancelled")
        self.assertEqual(len(self.server.accepted), 2)

    def test_mentions_and_names_kept_to_what_they_are(self):
        """Only mobile numbers are mentioned, mainland ones as the apps know them; a name cannot
        make a link, an image, a heading or a mention of the group."""
        self.assertEqual(robot_api.mobiles(["+86 138 0013 8000", "139-1234-5678", "@all", "138,139", None, "13912345678"]),
                         ["13800138000", "13912345678"])
        self.assertEqual(robot_api.escape("陈静 http://evil.test\n\n# @all [x](y) ![i](z)"),
                         "陈静 http：//evil.test ＃ ＠all ［x］（y） ！［i］（z）")
        message = self.queue(self.wecom, mobiles=["@all", "13800138000", "+8613800138000"])
        self.assertEqual(message.mobiles, "13800138000")

    def test_a_robot_never_blocks_what_it_tells(self):
        """A message that cannot be queued is logged; the action or scheduled action goes on."""
        def broken():
            self.queue(self.dingtalk, key="broken")
            raise ValueError("broken builder")
        with self.assertLogs("odoo.addons.sales_team_org.models.sales_org_robot", "ERROR"):
            result = self.env["sales.org.robot"]._queue_safely("a test", broken)
        self.assertFalse(result)
        self.assertFalse(self.Message.search([("key", "=", "broken:0")]), "undone")

    def test_language_deactivated_falls_back_to_english(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.wecom.lang = "fr_FR"
        self.env["res.lang"].with_context(active_test=False).search([("code", "=", "fr_FR")]).active = False
        self.assertEqual(self.wecom._lang_env().lang, "en_US")

    def test_run_that_died_while_sending(self):
        """Messages left being sent by a run that died are not confirmed, never posted again."""
        message = self.queue(self.dingtalk)
        self.env.flush_all()
        self.env.cr.execute("UPDATE sales_org_robot_message SET state = 'sending', sent_date = now() at time zone "
                            "'UTC' - interval '1 hour' WHERE id = %s", [message.id])
        message.invalidate_recordset()
        self.run_outbox()
        self.assertEqual(message.state, "unknown")
        self.assertFalse(self.server.requests)

    def test_refused_address_pauses_the_robot(self):
        """A wrong secret: the robot is paused with the app's answer, its messages wait (none lost
        nor failed); corrected, they go."""
        self.dingtalk.secret = "SECwrong"
        with freeze_time(NOW):
            messages = self.queue(self.dingtalk, count=2)
            self.run_outbox()
            self.assertTrue(self.dingtalk.is_paused)
            self.assertIn("310000", self.dingtalk.paused_reason)
            self.assertEqual(set(messages.mapped("state")), {"queued"})
            self.assertEqual(messages.mapped("attempt_count"), [0, 0])
            self.run_outbox()
            self.assertEqual(len(self.server.requests), 1, "a paused robot is not tried")
            self.dingtalk.secret = SECRET
            self.assertFalse(self.dingtalk.is_paused)
            self.run_outbox()
        self.assertEqual(set(messages.mapped("state")), {"sent"})

    def test_secrets_absent_from_logs_and_messages(self):
        """A robot saved and every way of failing, with the HTTP stack and the database logging
        at debug level: neither the token, the key nor the secret appear in any log line, answer,
        message or pause reason."""
        wrong_secret = "SEC" + "3f9a" * 16  # as DingTalk gives them: SEC and 64 hexadecimal digits
        secrets = [TOKEN, KEY, SECRET, "unknown-t0ken", wrong_secret]
        sql_logger = logging.getLogger("odoo.sql_db")
        level = sql_logger.level
        self.addCleanup(sql_logger.setLevel, level)
        with freeze_time(NOW) as clock, self.assertLogs(level=logging.DEBUG) as logs:
            sql_logger.setLevel(logging.DEBUG)
            wrong = self.env["sales.org.robot"].create({
                "name": "Wrong", "team_id": self.north.id, "kind": "dingtalk",
                "webhook_url": f"{self.server.url}/robot/send?access_token=unknown-t0ken", "secret": wrong_secret,
            })
            wrong.flush_recordset()
            sql_logger.setLevel(level)
            self.queue(self.dingtalk, count=2)
            self.queue(self.wecom, count=2)
            self.queue(wrong)
            self.server.fail_next = 1
            self.run_outbox()
            self.server.hang_next = 1
            clock.tick(timedelta(minutes=2))
            self.run_outbox()
            self.server.stop()
            try:
                clock.tick(timedelta(minutes=5))
                self.run_outbox()
            finally:
                self.server.start()
            logging.getLogger("urllib3.connectionpool").debug("probe %s", "access_token=" + TOKEN)
        lines = [record.getMessage() for record in logs.records]
        self.assertTrue(any("/robot/send" in line for line in lines), "the HTTP stack did log its requests")
        self.assertTrue(any('INSERT INTO "sales_org_robot"' in line for line in lines), "the database logged the robot")
        texts = lines + [
            value or "" for message in self.Message.search([])
            for value in (message.last_error, message.body, message.title, message.key)
        ] + [wrong.paused_reason or ""] + self.env["mail.message"].search([]).mapped(lambda m: str(m.body))
        for secret in secrets:
            self.assertFalse([text for text in texts if secret in text], f"{secret[:4]}… leaked")

    # ------------------------------------------------------------------
    # The administrator
    # ------------------------------------------------------------------

    def test_only_the_sales_administrator_sees_robots(self):
        with self.assertRaises(AccessError):
            self.dingtalk.with_user(self.manager).read(["name"])
        with self.assertRaises(AccessError):
            self.Message.with_user(self.manager).search([])
        robot = self.dingtalk.with_user(self.admin)
        self.assertEqual(robot.read(["secret"])[0]["secret"], SECRET)
        self.assertNotIn("secret", robot.copy_data()[0])
        message = self.queue(self.dingtalk)
        for attempt in (lambda: message.with_user(self.admin).write({"state": "sent"}),
                        lambda: message.with_user(self.admin).unlink(),
                        lambda: self.Message.with_user(self.admin).create({
                            "robot_id": self.dingtalk.id, "company_id": self.env.company.id, "kind": "test",
                            "key": "x", "title": "x", "body": "x"})):
            with self.assertRaises(UserError):
                attempt()
        with self.assertRaises(AccessError):
            robot.with_user(self.admin).write({"is_paused": True})
        with self.assertRaises(AccessError):
            message.with_user(self.manager).action_send_again()

    def test_address_checked_again_when_sending(self):
        """A host no longer allowed (the system parameter changed) is not posted to: the robot is
        paused, its message waits."""
        message = self.queue(self.wecom)
        self.env["ir.config_parameter"].sudo().set_param("sales_team_org.robot_hosts", "")
        self.run_outbox()
        self.assertFalse(self.server.requests)
        self.assertEqual(message.state, "queued")
        self.assertTrue(self.wecom.is_paused)

    def test_one_robot_per_group(self):
        """A group's webhook on two robots would post more than its 20 a minute: refused."""
        with self.assertRaises(ValidationError):
            self.env["sales.org.robot"].create({"name": "Same group", "team_id": self.east.id, "kind": "wecom",
                                                "webhook_url": self.wecom.webhook_url})

    def test_wecom_keeps_no_secret(self):
        """A DingTalk robot turned into a WeCom one loses its signing secret (WeCom signs nothing)."""
        self.dingtalk.write({"kind": "wecom", "webhook_url": self.server.add_wecom("was-dingtalk")})
        self.assertFalse(self.dingtalk.secret)

    def test_history_kept(self):
        """A robot that has sent keeps its outbox: archived, not deleted; another company's
        administrator cannot move it to their unit, nor one of theirs to another company's."""
        self.queue(self.dingtalk)
        with self.assertRaises(UserError):
            self.dingtalk.with_user(self.admin).unlink()
        other = self.env["res.company"].create({"name": "T Other Company"})
        other_unit = self.env["crm.team"].create({"name": "T Other Unit", "company_id": other.id})
        with self.assertRaises(AccessError):
            self.wecom.with_user(self.admin).write({"team_id": other_unit.id})

    def test_robot_form(self):
        """The administrator adds a robot in its form, as the screen offers it."""
        with Form(self.env["sales.org.robot"].with_user(self.admin)) as form:
            form.name = "North group"
            form.team_id = self.north
            form.kind = "wecom"
            form.webhook_url = self.server.add_wecom("north-key")
            self.assertEqual(form.lang, self.admin.lang)
        robot = form.record
        self.assertTrue(robot.send_digest and robot.send_reminder and robot.send_approval)
        self.assertEqual(robot.company_id, self.north.company_id)

    def test_webhook_checked(self):
        Robot = self.env["sales.org.robot"]
        for webhook in (
            "https://oapi.dingtalk.com/robot/send",  # no token
            "http://oapi.dingtalk.com/robot/send?access_token=x",  # in clear
            "https://oapi.dingtalk.com.evil.test/robot/send?access_token=x",  # not the app
            "https://10.0.0.1/robot/send?access_token=x",
            "https://oapi.dingtalk.com/web/other?access_token=x",
            "https://oapi.dingtalk.com:8443/robot/send?access_token=x",
            "ftp://127.0.0.1/robot/send?access_token=x",
            "http://127.1:8431\\@127.0.0.1/robot/send?access_token=x",  # read apart by the HTTP stack
            "http://user@127.0.0.1/robot/send?access_token=x",
            "http://127.0.0.1/robot/send?access_token=x#drops-the-signature",
            "http://127.0.0.1:99999/robot/send?access_token=x",
            "http://[::1/robot/send?access_token=x",
            "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x",  # WeCom's, for a DingTalk robot
        ):
            with self.subTest(webhook=webhook), self.assertRaises(ValidationError), self.cr.savepoint():
                Robot.create({"name": "Bad", "team_id": self.east.id, "kind": "dingtalk", "webhook_url": webhook})
        Robot.create({"name": "Good", "team_id": self.east.id, "kind": "dingtalk",
                      "webhook_url": "https://oapi.dingtalk.com/robot/send?access_token=x"})
        Robot.create({"name": "Good", "team_id": self.east.id, "kind": "wecom",
                      "webhook_url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x"})

    def test_send_a_test_message(self):
        with freeze_time(NOW):
            result = self.dingtalk.with_user(self.admin).action_send_test()
            self.assertEqual(result["params"]["type"], "success")
            self.assertEqual(len(self.server.accepted), 1)
            self.assertIn("East group", self.server.accepted[0][1]["markdown"]["text"])
            self.server.fail_next = 1
            result = self.wecom.with_user(self.admin).action_send_test()
        self.assertEqual(result["params"]["type"], "warning")
        self.assertIn("HTTP 503", result["params"]["message"])
        self.assertNotIn(KEY, result["params"]["message"])
        self.assertEqual(self.wecom.waiting_count, 1, "tried again by the scheduled action")
        with self.assertRaises(UserError):
            self.dingtalk.with_user(self.manager).action_send_test()

    # ------------------------------------------------------------------
    # Speed
    # ------------------------------------------------------------------

    def test_cron_queries_constant(self):
        """The scheduled action: the same number of queries for 2 robots as for 6, 3 messages each."""
        Robot = self.env["sales.org.robot"]
        robots = Robot
        for index in range(6):
            robots |= Robot.create({"name": f"R{index}", "team_id": self.east.id, "kind": "wecom",
                                    "webhook_url": self.server.add_wecom(f"qk{index}")})
        with freeze_time(NOW) as clock:
            self.queue(robots[0], key="warm-up")
            self.run_outbox()  # the system parameters read once, then cached
            clock.tick(timedelta(minutes=1))
            for size in (2, 6):
                for robot in robots[:size]:
                    self.queue(robot, count=3, key=f"size{size}")
                self.env.flush_all()
                self.env.invalidate_all()
                with self.assertQueryCount(9):
                    self.run_outbox()
                clock.tick(timedelta(minutes=1))
        self.assertEqual(len(self.server.accepted), 25)
