"""IRC lines (RFC 1459/2812 with IRCv3 message tags): parsing what a server sends, building what
we send. Whatever arrives is handled without raising: an over-long line is cut, invalid UTF-8 is
read as Latin-1 (as most IRC clients do), NUL and other control characters never get through."""

import re
from dataclasses import dataclass, field

# RFC 1459: 512 bytes including CR LF; IRCv3 tags come on top, up to 8191 bytes more.
MAX_LINE_BYTES = 512
MAX_TAGGED_LINE_BYTES = 8191 + MAX_LINE_BYTES
# Control characters other than IRC's formatting codes (bold 02, colour 03, hex colour 04,
# reset 0F, monospace 11, reverse 16, italic 1D, strike 1E, underline 1F) and the tab.
_CONTROL = re.compile(r"[\x00-\x01\x05-\x08\x0a-\x0e\x10\x12-\x15\x17-\x1c\x7f]")
# The same, keeping \x01: incoming CTCP (/me) is framed by it; formatting drops it afterwards.
_CONTROL_BUT_CTCP = re.compile(r"[\x00\x05-\x08\x0a-\x0e\x10\x12-\x15\x17-\x1c\x7f]")


@dataclass(slots=True)
class Message:
    command: str
    params: list[str] = field(default_factory=list)
    prefix: str = ""
    tags: dict[str, str] = field(default_factory=dict)

    @property
    def nick(self) -> str:
        """The sender's nick, from `nick!user@host`."""
        return self.prefix.split("!", 1)[0]

    def param(self, index: int) -> str:
        return self.params[index] if index < len(self.params) else ""


def decode(raw: bytes) -> str:
    """UTF-8 where it is, Latin-1 otherwise: every byte string means something."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def strip_controls(text: str) -> str:
    """Removes control characters (NUL, CR, LF, BEL, ...) but keeps IRC formatting codes."""
    return _CONTROL.sub("", text)


def _unescape_tag(value: str) -> str:
    escapes = {":": ";", "s": " ", "\\": "\\", "r": "\r", "n": "\n"}
    out, chars = [], iter(value)
    for char in chars:
        if char == "\\":
            out.append(escapes.get(next(chars, ""), ""))
        else:
            out.append(char)
    return "".join(out)


def parse(raw: bytes) -> Message | None:
    """One line without its CR LF; None for an empty or meaningless one."""
    raw = raw.split(b"\0", 1)[0][:MAX_TAGGED_LINE_BYTES]
    line = decode(raw).strip("\r\n ")
    tags: dict[str, str] = {}
    if line.startswith("@"):
        tag_text, _, line = line.partition(" ")
        for item in tag_text[1:].split(";"):
            key, _, value = item.partition("=")
            if key:
                tags[key] = _unescape_tag(value)
        line = line.lstrip(" ")
    if len(line.encode("utf-8", "surrogateescape")) > MAX_LINE_BYTES:
        line = line.encode("utf-8")[: MAX_LINE_BYTES - 2].decode("utf-8", "ignore")
    prefix = ""
    if line.startswith(":"):
        prefix, _, line = line[1:].partition(" ")
        line = line.lstrip(" ")
    head, colon, trailing = line.partition(" :")
    params = head.split()
    if not params:
        return None
    if colon:
        params.append(trailing)
    command = params.pop(0).upper()
    return Message(command, [_CONTROL_BUT_CTCP.sub("", p) for p in params], strip_controls(prefix), tags)


def line(command: str, *params: str, tags: dict[str, str] | None = None) -> bytes:
    """A line to send. Only the last parameter may hold spaces; no parameter may hold CR, LF or
    NUL (they are removed here, whatever the caller passed, so a chat message can never smuggle
    a second IRC command)."""
    cleaned = [p.replace("\r", "").replace("\n", " ").replace("\0", "") for p in params]
    parts = [command, *cleaned[:-1]]
    if cleaned:
        last = cleaned[-1]
        parts.append(":" + last if (not last or " " in last or last.startswith(":")) else last)
    text = " ".join(parts)
    if tags:
        text = "@" + ";".join(f"{k}={_escape_tag(v)}" if v else k for k, v in tags.items()) + " " + text
    return text.encode("utf-8") + b"\r\n"


def _escape_tag(value: str) -> str:
    table = {";": "\\:", " ": "\\s", "\\": "\\\\", "\r": "\\r", "\n": "\\n"}
    return "".join(table.get(c, c) for c in value)
