"""IRC formatting codes to Markdown (IRC -> chat), and Markdown to plain text (chat -> IRC)."""

import re

BOLD, ITALIC, UNDERLINE, STRIKE, MONOSPACE = "\x02", "\x1d", "\x1f", "\x1e", "\x11"
COLOUR, HEX_COLOUR, RESET, REVERSE = "\x03", "\x04", "\x0f", "\x16"
_COLOUR_CODE = re.compile(r"\x03(\d{1,2}(,\d{1,2})?)?")
_HEX_COLOUR_CODE = re.compile(r"\x04([0-9A-Fa-f]{6}(,[0-9A-Fa-f]{6})?)?")
# Markdown for each style IRC has; underline has none, so it is dropped.
_MARKERS = {BOLD: "**", ITALIC: "_", STRIKE: "~~", MONOSPACE: "`"}
_STYLE_ORDER = (MONOSPACE, BOLD, ITALIC, STRIKE)
# Characters Markdown would read as formatting or links in text that came from IRC.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_~\[\]<>|#])")


def _runs(text: str) -> list[tuple[str, frozenset[str]]]:
    """The text cut where its style changes: (text, styles on) pieces, codes removed."""
    runs: list[tuple[str, frozenset[str]]] = []
    styles: set[str] = set()
    piece: list[str] = []
    index = 0

    def flush() -> None:
        if piece:
            runs.append(("".join(piece), frozenset(styles)))
            piece.clear()

    while index < len(text):
        char = text[index]
        if char in (COLOUR, HEX_COLOUR):
            found = (_COLOUR_CODE if char == COLOUR else _HEX_COLOUR_CODE).match(text, index)
            index = found.end() if found else index + 1
            continue
        if char == "\x01":  # a CTCP frame's edge
            index += 1
            continue
        if char in _MARKERS or char in (UNDERLINE, RESET, REVERSE):
            flush()
            if char == RESET:
                styles.clear()
            elif char in _MARKERS:
                styles.symmetric_difference_update({char})
            index += 1
            continue
        piece.append(char)
        index += 1
    flush()
    return runs


def irc_to_markdown(text: str) -> str:
    """Bold, italic, strike and monospace become Markdown; colours, underline and reverse are
    dropped. Markdown's own characters in the text are escaped, so an IRC user's `*` stays a `*`.
    Spaces at a styled run's edges go outside its markers (`** x**` is not bold in Markdown)."""
    out: list[str] = []
    for piece, styles in _runs(text):
        body = piece.replace("`", "'") if MONOSPACE in styles else _MARKDOWN_SPECIAL.sub(r"\\\1", piece)
        core = body.strip(" ")
        if not core or not styles:
            out.append(body)
            continue
        lead, trail = body[: len(body) - len(body.lstrip(" "))], body[len(body.rstrip(" ")) :]
        opening = "".join(_MARKERS[s] for s in _STYLE_ORDER if s in styles)
        closing = "".join(_MARKERS[s] for s in reversed(_STYLE_ORDER) if s in styles)
        out.append(f"{lead}{opening}{core}{closing}{trail}")
    return "".join(out)


def strip_irc_formatting(text: str) -> str:
    return "".join(piece for piece, _ in _runs(text))


_FENCE = re.compile(r"^\s*(```|~~~).*$", re.MULTILINE)
_IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]+)>")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+", re.MULTILINE)
_EMPHASIS = re.compile(r"(\*\*\*|\*\*|\*|___|__|~~)(?=\S)(.+?)(?<=\S)\1")
_UNDERSCORE_EMPHASIS = re.compile(r"(?<![\w\\])_(?=\S)(.+?)(?<=\S)_(?!\w)")
_INLINE_CODE = re.compile(r"`([^`\n]+)`")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!~|<>])")


def markdown_to_plain(text: str) -> str:
    """What a Markdown message reads as without its markup: emphasis, code marks, fences and
    headings go; a link becomes `text <url>` (or the bare URL when the text is the URL)."""
    text = _FENCE.sub("", text)
    text = _AUTOLINK.sub(r"\1", text)
    text = _IMAGE.sub(lambda m: m.group(2), text)
    text = _LINK.sub(
        lambda m: m.group(2) if m.group(1) == m.group(2) else f"{m.group(1)} <{m.group(2)}>", text
    )
    text = _HEADING.sub("", text)
    text = _INLINE_CODE.sub(r"\1", text)
    previous = None
    while previous != text:
        previous = text
        text = _EMPHASIS.sub(r"\2", text)
        text = _UNDERSCORE_EMPHASIS.sub(r"\1", text)
    return _ESCAPE.sub(r"\1", text)
