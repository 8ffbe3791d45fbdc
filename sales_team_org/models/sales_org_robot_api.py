"""The two group-robot APIs the outbox speaks: DingTalk's custom robot (钉钉自定义机器人) and
WeCom's group robot (企业微信群机器人). Pure functions, no database: the payload of a message,
DingTalk's signature, the size limits and how a long message is split, what an answer means,
and the scrubbing that keeps a robot's secrets out of every text the add-on writes or logs."""

import base64
import hashlib
import hmac
import logging
import re
import time
import urllib.parse

APPS = [("dingtalk", "DingTalk"), ("wecom", "WeCom")]
# Per robot and minute, both APIs (beyond: DingTalk 130101, WeCom 45009).
RATE_PER_MINUTE = 20
# The longest message each API takes, in bytes of UTF-8.
MAX_BYTES = {
    ("dingtalk", "markdown"): 20000,
    ("wecom", "markdown"): 4096,
    ("wecom", "text"): 2048,
}
# Room kept in every part for its "(2/3)" and the @-mentions added when it is sent.
PART_MARGIN = 24

# Answers meaning: too many messages this minute; the API is busy; the robot's address, secret,
# keyword or IP whitelist is wrong (the robot's queue waits until it is corrected).
RATE_CODES = {"dingtalk": {130101}, "wecom": {45009}}
BUSY_CODES = {"dingtalk": {-1}, "wecom": {-1}}
CONFIG_CODES = {"dingtalk": {300001, 300005, 310000, 400101, 400102}, "wecom": {93000, 93008, 40001, 40014}}


def sign(secret, timestamp):
    """DingTalk's signature of a request: HMAC-SHA256 of "timestamp\\nsecret" keyed with the
    secret, in base64 (put in the URL with the timestamp, in milliseconds)."""
    digest = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def signed_url(webhook, secret, timestamp=None):
    """The webhook to post to: DingTalk's with its timestamp and signature when it has a secret."""
    if not secret:
        return webhook
    timestamp = timestamp if timestamp is not None else int(time.time() * 1000)
    query = urllib.parse.urlencode({"timestamp": timestamp, "sign": sign(secret, timestamp)})
    return f"{webhook}{'&' if '?' in webhook else '?'}{query}"


def msgtype(kind, mobiles):
    """Markdown, except on WeCom where @-mentions by mobile number exist in text messages only."""
    return "text" if kind == "wecom" and mobiles else "markdown"


def plain(markdown):
    """A markdown text as plain text (WeCom's text messages): links as "label: url", no marks."""
    text = re.sub(r"\[([^\]]+)\]\(([^)]+)\)", r"\1: \2", markdown)
    text = re.sub(r"^#+\s*", "", text, flags=re.MULTILINE)
    return text.replace("**", "")


def payload(kind, title, text, mobiles=()):
    """The JSON body of a message to a robot of `kind`."""
    mobiles = list(mobiles)
    if kind == "dingtalk":
        if mobiles:  # DingTalk shows a mention when the text names it
            text = f"{text}\n\n{' '.join('@' + mobile for mobile in mobiles)}"
        return {"msgtype": "markdown", "markdown": {"title": title, "text": text},
                "at": {"atMobiles": mobiles, "isAtAll": False}}
    if mobiles:
        return {"msgtype": "text", "text": {"content": plain(text), "mentioned_mobile_list": mobiles}}
    return {"msgtype": "markdown", "markdown": {"content": text}}


# What a name written by a user could make a link, an image, emphasis, a heading or a mention of
# in the group's markdown: turned into the full-width forms Chinese text uses anyway.
_MARKS = str.maketrans({"[": "［", "]": "］", "(": "（", ")": "）", "*": "＊", "`": "｀", "<": "＜", ">": "＞",
                        "#": "＃", "!": "！", "@": "＠"})
_MOBILE = re.compile(r"\+?[0-9]{6,20}")
_CHINA = re.compile(r"(?:\+86|0086|86)(1[0-9]{10})")


def escape(text):
    """`text` (a name, a title written by a user) safe to put in a message's markdown: on one
    line, without marks, its web addresses not links."""
    return " ".join(str(text or "").split()).translate(_MARKS).replace("://", "：//")


def mobiles(numbers):
    """The mobile numbers of `numbers` that are one, spaces and dashes removed, a mainland
    number without its country code (the apps know it as registered, 11 digits), each once: a
    person's own contact cannot mention anyone else, nor the whole group ("@all")."""
    found = []
    for number in numbers:
        number = re.sub(r"[\s-]", "", str(number or ""))
        number = _CHINA.sub(r"\1", number) if _CHINA.fullmatch(number) else number
        if _MOBILE.fullmatch(number) and number not in found:
            found.append(number)
    return found


def _size(text):
    return len(text.encode())


def split(text, limit):
    """`text` in parts of at most `limit` bytes of UTF-8, in order, cut between lines where it
    can be and inside a line too long for one part (never inside a character)."""
    if _size(text) <= limit:
        return [text]
    parts, current = [], ""
    for line in text.split("\n"):
        while _size(line) > limit:  # a line longer than a part: cut it at the limit
            cut = len(line.encode()[:limit].decode(errors="ignore"))
            if current:
                parts.append(current)
                current = ""
            parts.append(line[:cut])
            line = line[cut:]
        candidate = f"{current}\n{line}" if current else line
        if _size(candidate) > limit:
            parts.append(current)
            current = line
        else:
            current = candidate
    if current:
        parts.append(current)
    return [part for part in parts if part.strip()]


def split_message(kind, title, text, mobiles=(), posted=0):
    """[(title, text)]: the parts of a message, each within its API's limit, numbered when more
    than one ("title (2/3)", with the numbering at the head of each part's text). `posted`: the
    parts of the same message already posted, before these in the numbering."""
    limit = MAX_BYTES[kind, msgtype(kind, mobiles)] - PART_MARGIN - _size(" ".join(f"@{m}" for m in mobiles))
    if kind == "dingtalk":
        limit -= _size(title)
    texts = split(text if msgtype(kind, mobiles) == "markdown" else plain(text), limit)
    if len(texts) == 1 and not posted:
        return [(title, texts[0])]
    count = posted + len(texts)
    return [(f"{title} ({number}/{count})", f"({number}/{count})\n{part}")
            for number, part in enumerate(texts, posted + 1)]


_NUMBERED_TITLE = re.compile(r" \([0-9]+/[0-9]+\)$")
_NUMBERED_TEXT = re.compile(r"^\([0-9]+/[0-9]+\)\n")


def unnumbered(title, text):
    """(title, text) of a part without the numbering `split_message` gave it."""
    return _NUMBERED_TITLE.sub("", title), _NUMBERED_TEXT.sub("", text)


def outcome(kind, status, answer):
    """What an HTTP answer means: "sent", "rate" (too many this minute), "retry" (not taken,
    try again), "unknown" (maybe taken), "config" (the robot's address or secret refused) or
    "failed".

    :param status: the HTTP status code
    :param answer: the body of the answer, decoded from JSON when it is, else its text
    """
    if status == 429:
        return "rate"
    if status == 503:  # not taken: unavailable
        return "retry"
    if status >= 500:  # a gateway's error: the app behind it may have taken it
        return "unknown"
    if not isinstance(answer, dict):
        return "config" if status in (401, 403, 404) else "failed"
    code = answer.get("errcode")
    if code == 0:
        return "sent"
    if code in RATE_CODES[kind]:
        return "rate"
    if code in BUSY_CODES[kind]:
        return "retry"
    if code in CONFIG_CODES[kind] or status in (401, 403, 404):
        return "config"
    return "failed"


_QUERY_SECRET = re.compile(r"((?:access_token|key|sign|timestamp)=)[^&\s'\"]+", re.IGNORECASE)


def scrub(text, secrets=()):
    """`text` without any of `secrets` nor the values of the webhooks' secret query parameters."""
    text = _QUERY_SECRET.sub(r"\1***", str(text))
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
            quoted = urllib.parse.quote(secret, safe="")
            if quoted != secret:
                text = text.replace(quoted, "***")
    return text


_FIELD_SECRET = re.compile(r"""((?:secret|webhook_url)['"]?\s*[:=]\s*['"])[^'"]*""")
_DINGTALK_SECRET = re.compile(r"\bSEC[0-9a-zA-Z]{16,}")


class ScrubWebhookFilter(logging.Filter):
    """At the debug level, urllib3 logs each request's URL (the robot's token in it), Odoo each
    call's values (a robot's webhook and secret saved) and each query: the line is scrubbed of
    them before any handler sees it. Only lines logged at an enabled level reach a filter."""

    def filter(self, record):
        message = record.getMessage()
        scrubbed = _DINGTALK_SECRET.sub("SEC***", _FIELD_SECRET.sub(r"\1***", scrub(message)))
        if scrubbed != message:
            record.msg, record.args = scrubbed, ()
        return True


def scrub_http_logs():
    """Install the filter, once, on the loggers that write what is sent or saved at debug level."""
    for name in ("urllib3.connectionpool", "urllib3.connection", "urllib3.poolmanager", "urllib3.util.retry",
                 "urllib3.response", "odoo.api", "odoo.sql_db"):
        logger = logging.getLogger(name)
        if not any(isinstance(existing, ScrubWebhookFilter) for existing in logger.filters):
            logger.addFilter(ScrubWebhookFilter())
