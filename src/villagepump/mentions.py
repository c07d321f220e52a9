"""Who a message mentions: @username, @here, @channel and @all, the way Mattermost reads them."""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

# Code is quoted text: a mention inside it notifies nobody.
_CODE = re.compile(r"```.*?(?:```|$)|`[^`\n]*`", re.DOTALL)
# A mention starts a word: "(@hamlet)" mentions, "mail@hamlet" does not.
_MENTION = re.compile(r"(?<![\w@.\-])@([a-z0-9.\-_]+)", re.IGNORECASE)
_TRAILING = ".-_"
_CHANNEL_WORDS = {"channel", "all"}


@dataclass(slots=True)
class ParsedMentions:
    # Each @word as written (lower-cased), longest reading first: "@hamlet." may name "hamlet.",
    # or "hamlet" followed by a full stop; the longer name wins when both exist.
    readings: list[list[str]] = field(default_factory=list)
    channel: bool = False
    here: bool = False

    @property
    def usernames(self) -> set[str]:
        return {name for reading in self.readings for name in reading}

    @property
    def empty(self) -> bool:
        return not self.readings and not self.channel and not self.here


def _readings(word: str) -> list[str]:
    readings = [word]
    while word and word[-1] in _TRAILING:
        word = word[:-1]
        if word:
            readings.append(word)
    return readings


def parse(message: str) -> ParsedMentions:
    parsed = ParsedMentions()
    if "@" not in message:
        return parsed
    for match in _MENTION.finditer(_CODE.sub(" ", message)):
        readings = _readings(match.group(1).lower())
        if any(r in _CHANNEL_WORDS for r in readings):
            parsed.channel = True
        elif "here" in readings:
            parsed.here = True
        else:
            parsed.readings.append(readings)
    return parsed


def ignores_channel_mentions(member: Mapping[Any, Any]) -> bool:
    setting = (member.get("channel_notify_props") or {}).get("ignore_channel_mentions", "default")
    if setting in ("on", "off"):
        return bool(setting == "on")
    return bool((member.get("user_notify_props") or {}).get("channel") == "false")


def mentioned_user_ids(
    parsed: ParsedMentions, members: Iterable[Mapping[Any, Any]], poster_id: str
) -> set[str]:
    """The members a parsed message mentions. `members` rows have user_id, username, status and
    the channel's and user's notify_props. Nobody is mentioned by their own post."""
    by_name = {m["username"]: m for m in members}
    mentioned: set[str] = set()
    for readings in parsed.readings:
        for name in readings:
            if name in by_name:
                mentioned.add(by_name[name]["user_id"])
                break
    if parsed.channel or parsed.here:
        for member in by_name.values():
            if ignores_channel_mentions(member):
                continue
            if parsed.channel or member.get("status") == "online":
                mentioned.add(member["user_id"])
    mentioned.discard(poster_id)
    return mentioned


def direct_channel_other_user(channel_name: str, poster_id: str) -> str:
    """The other person in a direct message channel, named "<idA>__<idB>"."""
    first, _, second = channel_name.partition("__")
    return second if first == poster_id else first


def mentions_user(message: str, username: str, poster_id: str, user_id: str, *, ignore_channel: bool) -> bool:
    """Whether one message mentions one user (@here counted as for an online user); used when
    counting mentions again after the user marks a channel or thread unread."""
    if poster_id == user_id:
        return False
    parsed = parse(message)
    if any(username in readings for readings in parsed.readings):
        return True
    return (parsed.channel or parsed.here) and not ignore_channel


def mentions_keyword(message: str, keywords: Iterable[str], *, case_sensitive: bool) -> bool:
    """Whether the message (outside code) holds one of the words as a whole word: the user's
    mention keys (any case) or first name (exact case), as Mattermost reads them. A key written
    "@word" matches like an @mention."""
    text = _CODE.sub(" ", message)
    flags = 0 if case_sensitive else re.IGNORECASE
    for keyword in keywords:
        if not keyword:
            continue
        if re.search(rf"(?<![\w@.\-]){re.escape(keyword)}(?!\w)", text, flags):
            return True
    return False
