"""A chat post as IRC lines: `<nick> text`, replies, edits, files, and the split into lines that
each fit in 512 bytes once the server has put our prefix in front."""

from dataclasses import dataclass, field

from villagepump.bridges.irc.formatting import markdown_to_plain
from villagepump.bridges.irc.protocol import MAX_LINE_BYTES, strip_controls

ZERO_WIDTH_SPACE = "\u200b"
# RFC 2812 caps a user name at 10 and a host name at 63 characters: what the server adds in
# front of our line when it relays it (":nick!user@host ") is at most this plus our nick.
_SOURCE_RESERVE = 1 + 1 + 10 + 1 + 63 + 1
_ELLIPSIS = "…"


@dataclass(slots=True)
class Outgoing:
    """What to say for one post: the sender (for `<nick>` or RELAYMSG) and the text lines."""

    sender: str
    lines: list[str] = field(default_factory=list)


def unpinged(nick: str) -> str:
    """The nick with a zero-width space after its first character, so IRC clients that highlight
    their user's nick do not fire for a relayed mention of the chat user of the same name."""
    return nick[:1] + ZERO_WIDTH_SPACE + nick[1:] if len(nick) > 1 else nick


def first_words(text: str, limit: int = 40) -> str:
    plain = " ".join(markdown_to_plain(text).split())
    if len(plain) <= limit:
        return plain
    cut = plain[:limit].rsplit(" ", 1)[0] or plain[:limit]
    return cut + _ELLIPSIS


def text_lines(
    message: str,
    *,
    reply_to: tuple[str, str] | None = None,
    edited: bool = False,
    files: list[str] | None = None,
) -> list[str]:
    """The post's text as IRC would read it: Markdown stripped, control characters gone, empty
    lines dropped; a reply starts `nick: "first words…"`; an edit ends "(edited)"; files follow."""
    plain = markdown_to_plain(message).replace("\t", " ").replace("\r", "")
    lines = [strip_controls(line).rstrip() for line in plain.split("\n")]
    lines = [line for line in lines if line.strip()]
    if reply_to is not None:
        author, root_text = reply_to
        quoted = first_words(root_text)
        lead = f'{unpinged(author)}: "{quoted}" ←' if quoted else f"{unpinged(author)}:"
        lines = [f"{lead} {lines[0]}" if lines else lead, *lines[1:]]
    if edited and lines:
        lines[-1] += " (edited)"
    lines.extend(files or [])
    return lines


def budget(our_nick: str, target: str, sender_prefix: str) -> int:
    """How many bytes of text fit in one PRIVMSG to `target` after `sender_prefix`."""
    overhead = _SOURCE_RESERVE + len(our_nick.encode()) + len(f"PRIVMSG {target} :".encode()) + 2
    return MAX_LINE_BYTES - overhead - len(sender_prefix.encode())


def _cut(text: str, limit: int) -> tuple[str, str]:
    """The longest head of `text` within `limit` UTF-8 bytes, cut at a space if one is near."""
    encoded = text.encode()
    if len(encoded) <= limit:
        return text, ""
    head = encoded[:limit].decode("utf-8", "ignore")
    space = head.rfind(" ")
    if space > len(head) // 2:
        head = head[:space]
    return head, text[len(head) :].lstrip(" ")


def split_lines(lines: list[str], limit: int, max_lines: int, permalink: str) -> list[str]:
    """Each line cut to `limit` bytes; past `max_lines` lines, the last one says where to read
    the rest (the permalink) instead."""
    pieces: list[str] = []
    for line in lines:
        rest = line
        while rest:
            head, rest = _cut(rest, limit)
            pieces.append(head)
    if len(pieces) <= max_lines:
        return pieces
    more = f"{_ELLIPSIS} full message: {permalink}" if permalink else f"{_ELLIPSIS} (message cut)"
    kept = pieces[: max(max_lines - 1, 0)]
    return [*kept, _cut(more, limit)[0]]
