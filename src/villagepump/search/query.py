"""The search language users type, as in Mattermost: words (all must match, or any of them with
`is_or_search`), "exact phrases", -excluded words, prefix*, #hashtags, @mentions, from:user,
in:channel (in:@user for a direct message), before:, after: and on: dates (YYYY-MM-DD in the
searcher's time zone), and -from:/-in: to leave some out.

Nothing typed reaches an engine as syntax: every term becomes tokens (search/text.py) that the
engines quote, so FTS5 or tsquery operators typed by a user are just words.
"""

import datetime
from dataclasses import dataclass, field

from villagepump.search.text import MAX_TOKEN_LENGTH, fold, is_unspaced, word_tokens

MAX_TERMS_LENGTH = 4096
MAX_TERMS = 64
_FLAGS = {
    "from": "from",
    "in": "in",
    "channel": "in",
    "before": "before",
    "after": "after",
    "on": "on",
    "ext": "ext",
}
_MENTION_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789._-")
# English stop words, which PostgreSQL's "english" configuration drops and Mattermost's database
# search with it: a search for them alone finds nothing rather than every post.
STOP_WORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "me",
        "more",
        "most",
        "my",
        "myself",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
    ]
)


class TermsTooLong(ValueError):
    pass


@dataclass(frozen=True)
class Term:
    """Tokens that must follow one another (one token for most words); with `prefix`, the
    last one need only begin a token. `text` is what the user typed, for highlighting."""

    tokens: tuple[str, ...]
    prefix: bool = False
    text: str = ""


@dataclass
class SearchQuery:
    terms: list[Term] = field(default_factory=list)
    excluded: list[Term] = field(default_factory=list)
    from_users: list[str] = field(default_factory=list)
    excluded_users: list[str] = field(default_factory=list)
    in_channels: list[str] = field(default_factory=list)
    excluded_channels: list[str] = field(default_factory=list)
    after: datetime.date | None = None
    before: datetime.date | None = None
    on: datetime.date | None = None
    # File searches only: extensions (ext:pdf), lower case, without the dot.
    extensions: list[str] = field(default_factory=list)
    # Words were typed but none is left to look for (stop words, punctuation): nothing matches.
    nothing_to_find: bool = False

    @property
    def has_filters(self) -> bool:
        return bool(self.from_users or self.in_channels or self.after or self.before or self.on)

    @property
    def is_empty(self) -> bool:
        """Whether the query can match nothing at all; an unfiltered search for only excluded
        words would list every post, which Mattermost does not do either."""
        return self.nothing_to_find or (not self.terms and not self.has_filters)


def parse(text: str) -> SearchQuery:
    if len(text) > MAX_TERMS_LENGTH:
        raise TermsTooLong(f"Search terms must be at most {MAX_TERMS_LENGTH} characters.")
    query = SearchQuery()
    typed_words = False
    words = _split(text)
    index = 0
    while index < len(words):
        word, quoted = words[index]
        index += 1
        if quoted:
            excluded = word.startswith("-")
            phrase = word[1:] if excluded else word
            typed_words = typed_words or not excluded
            _add(query, _phrase(phrase), excluded)
            continue
        flag = _flag(word)
        if flag is not None:
            name, value, excluded = flag
            if not value and index < len(words) and not words[index][1]:
                value, index = words[index][0], index + 1
            _add_flag(query, name, value, excluded)
            continue
        excluded = word.startswith("-") and len(word) > 1
        body = word[1:] if excluded else word
        typed_words = typed_words or not excluded
        _add(query, _word(body), excluded)
    query.terms = query.terms[:MAX_TERMS]
    query.excluded = query.excluded[:MAX_TERMS]
    query.nothing_to_find = typed_words and not query.terms
    return query


def _split(text: str) -> list[tuple[str, bool]]:
    """Words and quoted phrases (a quote left open runs to the end); a "-" right before a
    quote excludes the phrase."""
    words: list[tuple[str, bool]] = []
    rest = text
    while rest:
        quote = rest.find('"')
        if quote < 0:
            words.extend((w, False) for w in rest.split())
            break
        before, excluded = rest[:quote], False
        if before.endswith("-") and (len(before) == 1 or before[-2].isspace()):
            before, excluded = before[:-1], True
        words.extend((w, False) for w in before.split())
        end = rest.find('"', quote + 1)
        phrase = rest[quote + 1 : end] if end >= 0 else rest[quote + 1 :]
        words.append((("-" if excluded else "") + phrase, True))
        rest = rest[end + 1 :] if end >= 0 else ""
    return words


def _flag(word: str) -> tuple[str, str, bool] | None:
    excluded = word.startswith("-")
    name, colon, value = word.lstrip("-").partition(":")
    if not colon or name.lower() not in _FLAGS:
        return None
    return _FLAGS[name.lower()], value, excluded


def _add_flag(query: SearchQuery, name: str, value: str, excluded: bool) -> None:
    value = value.strip()
    if not value:
        return
    if name == "from":
        (query.excluded_users if excluded else query.from_users).append(value.lstrip("@").lower())
    elif name == "in":
        (query.excluded_channels if excluded else query.in_channels).append(value.lower())
    elif name == "ext":
        if not excluded:
            query.extensions.append(value.lstrip(".").lower())
    elif not excluded:
        date = _date(value)
        # As in Mattermost, a date it cannot read filters nothing.
        if date is not None:
            setattr(query, name, date)


def _date(value: str) -> datetime.date | None:
    parts = value.split("-")
    if len(parts) != 3 or not all(p.isdigit() and p.isascii() for p in parts):
        return None
    try:
        return datetime.date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        return None


def _add(query: SearchQuery, term: Term | None, excluded: bool) -> None:
    if term is not None and term not in (query.excluded if excluded else query.terms):
        (query.excluded if excluded else query.terms).append(term)


def _phrase(text: str) -> Term | None:
    tokens = word_tokens(text)
    return Term(tuple(tokens), text=text.strip()) if tokens else None


def _word(word: str) -> Term | None:
    prefix = word.endswith("*")
    body = word.rstrip("*")
    if body.startswith("#") or body.startswith("@"):
        tagged = _tagged(body)
        if tagged is not None:
            return Term((tagged,), prefix=prefix, text=body)
    tokens = word_tokens(body)
    if not tokens:
        return None
    if len(tokens) == 1 and tokens[0] in STOP_WORDS and not prefix:
        return None
    if any(is_unspaced(token) for token in tokens):
        prefix = prefix and not is_unspaced(tokens[-1])
    return Term(tuple(tokens), prefix=prefix, text=body.strip(".,;:!?()[]{}'\""))


def _tagged(word: str) -> str | None:
    """The token of "#tag" or "@name", or None when the sign is just punctuation."""
    sign, name = word[0], word[1:]
    if sign == "#":
        body = "".join(word_tokens(name))
        return "#" + body[: MAX_TOKEN_LENGTH - 1] if body else None
    name = fold(name).rstrip("._-,;:!?")
    if not name or not set(name) <= _MENTION_NAME_CHARS:
        return None
    return "@" + name[: MAX_TOKEN_LENGTH - 1]


def day_bounds(date: datetime.date, time_zone_offset: int) -> tuple[int, int]:
    """First and last millisecond of a day in a time zone `time_zone_offset` seconds east of UTC."""
    zone = datetime.timezone(datetime.timedelta(seconds=time_zone_offset))
    start = datetime.datetime(date.year, date.month, date.day, tzinfo=zone)
    start_ms = int(start.timestamp() * 1000)
    return start_ms, start_ms + 86_400_000 - 1
