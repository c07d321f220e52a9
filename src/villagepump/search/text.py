"""Text as the search index sees it: folded, cut into tokens, the same way for posts and queries.

Both engines index the tokens made here, not their own, so a word is found the same way on
SQLite and PostgreSQL whatever the database's locale (decision 0020):

- folding: Unicode case folding (so "Straße" is "strasse", "Андрей" is "андрей"), compatibility
  forms (full-width Latin, half-width katakana), and accents that readers often leave out:
  Latin/Greek/Cyrillic combining accents, Arabic harakat and Hebrew points. Marks that spell
  a word (Devanagari vowel signs, Thai vowels) stay.
- words: runs of letters, digits and marks; "_" and punctuation separate them.
- scripts written without spaces between words (Chinese, Japanese, Thai, Lao, Khmer, Myanmar)
  and Korean syllables: every character is a token of its own; a query for such text is a
  phrase of its characters, so any substring is found, whatever its length.
- @mentions and #hashtags: a token with the sign ("@alice", "#release") after the words, so
  "@alice" finds mentions only while "alice" finds the name anywhere.
"""

import re
import unicodedata
from functools import cache

MAX_TOKEN_LENGTH = 64
# Accents folded away: combining diacritical marks (Latin, Greek, Cyrillic), Arabic harakat,
# Hebrew points and cantillation.
_FOLDED_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u064b-\u065f\u0670\u0591-\u05c7]")
# Scripts without spaces between words, and Hangul syllables (Korean particles are written
# onto the noun: "서울에서" is "in Seoul").
_UNSPACED = (
    "\u0e00-\u0eff"  # Thai, Lao
    "\u1000-\u109f"  # Myanmar
    "\u1780-\u17ff"  # Khmer
    "\u1100-\u11ff\u3130-\u318f\uac00-\ud7af"  # Hangul
    "\u2e80-\u2fdf\u3005-\u3007\u3021-\u3029\u3040-\u30ff\u31f0-\u31ff"  # CJK radicals, kana
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"  # Han
)
_MENTION = re.compile(r"(?<![\w@.])@([a-z0-9][a-z0-9._\-]*)")


@cache
def _mark_class() -> str:
    """A character class of every combining mark (category M*): Python's \\w leaves them out."""
    ranges: list[str] = []
    start = previous = -2
    for code in range(0x300, 0x20000):
        if unicodedata.category(chr(code))[0] != "M":
            continue
        if code != previous + 1:
            if start >= 0:
                ranges.append(_range(start, previous))
            start = code
        previous = code
    ranges.append(_range(start, previous))
    ranges.append(_range(0xE0100, 0xE01EF))
    return "".join(ranges)


def _range(start: int, end: int) -> str:
    return re.escape(chr(start)) + ("-" + re.escape(chr(end)) if end > start else "")


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    marks = _mark_class()
    word = re.compile(f"(?:[^\\W_]|[{marks}])+")
    # Inside a word: one unspaced character with its marks, or a run of anything else.
    piece = re.compile(f"[{_UNSPACED}][{marks}]*|(?:(?![{_UNSPACED}])(?:[^\\W_]|[{marks}]))+")
    return word, piece


_ASCII_WORD = re.compile("[a-z0-9]+")


def fold(text: str) -> str:
    """Case, compatibility forms and accents folded away; see the module's docstring."""
    if text.isascii():
        # ASCII is its own NFKD and NFC form and carries no marks: only the case folds.
        return text.lower()
    text = unicodedata.normalize("NFKD", text.casefold())
    return unicodedata.normalize("NFC", _FOLDED_MARKS.sub("", text))


def word_tokens(text: str) -> list[str]:
    """The tokens of a text's words, in order (folding first)."""
    return _folded_word_tokens(fold(text))


def _folded_word_tokens(folded: str) -> list[str]:
    if folded.isascii():
        # An ASCII word is letters and digits, and one piece (bulk import and reindexing pass
        # here for most posts: the general patterns cost several times more).
        return [w[:MAX_TOKEN_LENGTH] for w in _ASCII_WORD.findall(folded)]
    word, piece = _patterns()
    tokens: list[str] = []
    for match in word.finditer(folded):
        tokens.extend(p[:MAX_TOKEN_LENGTH] for p in piece.findall(match.group()))
    return tokens


def is_unspaced(token: str) -> bool:
    """Whether a token is one character of a script written without spaces."""
    return bool(token) and re.match(f"[{_UNSPACED}]", token) is not None


def mention_tokens(text: str) -> list[str]:
    return _folded_mention_tokens(fold(text))


def _folded_mention_tokens(folded: str) -> list[str]:
    found: list[str] = []
    if "@" not in folded:
        return found
    for name in _MENTION.findall(folded):
        token = "@" + name.rstrip("._-")[: MAX_TOKEN_LENGTH - 1]
        if token not in found:
            found.append(token)
    return found


def hashtag_tokens(hashtags: str) -> list[str]:
    """The post's hashtags column ("#one #two"), as tokens."""
    found: list[str] = []
    for tag in hashtags.split():
        token = "#" + "".join(word_tokens(tag))[: MAX_TOKEN_LENGTH - 1]
        if len(token) > 1 and token not in found:
            found.append(token)
    return found


def document_tokens(message: str, hashtags: str) -> list[str]:
    """What the index holds for a post: its words, then its mentions and hashtags."""
    folded = fold(message)
    return _folded_word_tokens(folded) + _folded_mention_tokens(folded) + hashtag_tokens(hashtags)
