"""A loopback HTTP server playing the contracts of DingTalk's custom robot and WeCom's group
robot, for the outbox's tests: on 127.0.0.1 only, on a port of the system's choosing.

- DingTalk: POST /robot/send?access_token=T[&timestamp=…&sign=…]; a robot with a secret checks
  the signature and that the timestamp is within the hour (310000 "sign not match"); an unknown
  token is 300001; a text over 20000 bytes is 460101.
- WeCom: POST /cgi-bin/webhook/send?key=K; an unknown key is 93000; markdown over 4096 bytes or
  text over 2048 bytes is 40058.
- Both: at most 20 messages a minute per robot (the 21st: DingTalk 130101, WeCom 45009), on the
  server's clock (time.time, which a test may freeze).

A test makes it misbehave: `fail_next` answers the next requests with an HTTP 503 (nothing
accepted), `busy_next` with errcode -1, `hang_next` holds them past the client's timeout and then
drops them (nothing accepted), `drop_next` accepts them and closes the connection without an
answer, `gateway_next` accepts them and answers a gateway's 502; `stop()`/`start()` take it down
and up on the same port.
`accepted` lists the messages the server took, in order: (robot, payload); `requests` every
request with its path and query."""

import base64
import hashlib
import hmac
import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

DINGTALK_MAX = 20000
WECOM_MAX = {"markdown": 4096, "text": 2048}
RATE = 20


class RobotServer:

    def __init__(self):
        self.dingtalk = {}  # token: secret or None
        self.wecom = set()  # keys
        self.accepted = []
        self.requests = []
        self.fail_next = 0
        self.busy_next = 0
        self.hang_next = 0
        self.drop_next = 0
        self.gateway_next = 0
        self.hang_seconds = 2.0
        self.delay = 0.0  # seconds each answer takes (the benchmark's round trip)
        self._sent_at = {}  # robot: [times accepted]
        self._lock = threading.Lock()
        self._server = None
        self._thread = None
        self.port = None

    # -- the robots the server knows -------------------------------------------------------

    def add_dingtalk(self, token, secret=None):
        self.dingtalk[token] = secret
        return f"{self.url}/robot/send?access_token={token}"

    def add_wecom(self, key):
        self.wecom.add(key)
        return f"{self.url}/cgi-bin/webhook/send?key={key}"

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    # -- up and down -----------------------------------------------------------------------

    def start(self):
        handler = type("Handler", (_Handler,), {"robots": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port or 0), handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self):
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    # -- the contract ------------------------------------------------------------------------

    def answer(self, path, query, body):
        """(HTTP status, JSON answer or None to drop the connection) of a request."""
        with self._lock:
            self.requests.append((path, query, body))
            if self.hang_next:
                self.hang_next -= 1
                return None, None
            if self.fail_next:
                self.fail_next -= 1
                return 503, "Service Unavailable"
            if self.busy_next:
                self.busy_next -= 1
                return 200, {"errcode": -1, "errmsg": "system busy"}
            if path == "/robot/send":
                robot, error = self._check_dingtalk(query, body)
            elif path == "/cgi-bin/webhook/send":
                robot, error = self._check_wecom(query, body)
            else:
                return 404, "Not Found"
            if error:
                return 200, error
            now = time.time()
            recent = [moment for moment in self._sent_at.get(robot, []) if moment > now - 60]
            if len(recent) >= RATE:
                code = 130101 if path == "/robot/send" else 45009
                return 200, {"errcode": code, "errmsg": "send too fast, exceed 20 times per minute"}
            self._sent_at[robot] = recent + [now]
            self.accepted.append((robot, body))
            if self.drop_next:
                self.drop_next -= 1
                return "drop", None
            if self.gateway_next:
                self.gateway_next -= 1
                return 502, "Bad Gateway"
            return 200, {"errcode": 0, "errmsg": "ok"}

    def _check_dingtalk(self, query, body):
        token = query.get("access_token", [""])[0]
        if token not in self.dingtalk:
            return token, {"errcode": 300001, "errmsg": "token is not exist"}
        secret = self.dingtalk[token]
        if secret:
            timestamp = query.get("timestamp", ["0"])[0]
            expected = base64.b64encode(hmac.new(
                secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()).decode()
            if query.get("sign", [""])[0] != expected or abs(time.time() * 1000 - int(timestamp)) > 3600 * 1000:
                return token, {"errcode": 310000, "errmsg": "sign not match"}
        text = (body.get("markdown") or {}).get("text") or (body.get("text") or {}).get("content") or ""
        if not text:
            return token, {"errcode": 400003, "errmsg": "content is empty"}
        if len(text.encode()) > DINGTALK_MAX:
            return token, {"errcode": 460101, "errmsg": "message too long, exceed 20000 bytes"}
        return token, None

    def _check_wecom(self, query, body):
        key = query.get("key", [""])[0]
        if key not in self.wecom:
            return key, {"errcode": 93000, "errmsg": "invalid webhook url"}
        kind = body.get("msgtype")
        content = (body.get(kind) or {}).get("content") or ""
        if kind not in WECOM_MAX or not content:
            return key, {"errcode": 40008, "errmsg": "invalid message type"}
        if len(content.encode()) > WECOM_MAX[kind]:
            return key, {"errcode": 40058, "errmsg": f"content exceed max length {WECOM_MAX[kind]}"}
        return key, None


class _Handler(BaseHTTPRequestHandler):
    robots = None

    def do_POST(self):  # noqa: N802 (http.server's name)
        url = urllib.parse.urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        try:
            body = json.loads(self.rfile.read(length) or b"{}")
        except ValueError:
            body = {}
        if self.robots.delay:
            time.sleep(self.robots.delay)
        status, answer = self.robots.answer(url.path, urllib.parse.parse_qs(url.query), body)
        if status is None:  # a gateway that holds the request, then drops it
            time.sleep(self.robots.hang_seconds)
            self.close_connection = True
            return
        if status == "drop":  # taken, then the connection lost before the answer
            self.close_connection = True
            return
        data = (json.dumps(answer) if isinstance(answer, dict) else answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json" if isinstance(answer, dict) else "text/plain")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format, *args):  # noqa: A002 (http.server's name)
        pass  # the test asserts what the add-on logs: the server logs nothing
