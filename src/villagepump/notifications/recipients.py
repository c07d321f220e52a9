"""Who a new post notifies, and through which channels, as Mattermost decides it.

One pure function, `decide`, takes the post, its channel and every member's settings and
presence, and answers per member: why they are concerned (a direct message, an @mention, a
mention key, @channel/@here, a reply in a thread they follow) and, for each delivery channel
(mobile push, e-mail, Web Push), whether it applies and the reason when it does not.
Every delivery reads this one answer, so "who is notified" has one home.

The rules are Mattermost's (server/channels/app/notification.go and
notification_push.go): a channel's own level overrides the user's unless it is "default";
muting a channel (mark_unread "mention") stops its pushes and mails; system messages notify
nobody; the poster is never notified of their own post; do-not-disturb and out-of-office stop
pushes; `push_status` says from which presence on the user wants pushes.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from villagepump import mentions

# Why a member is concerned by a post.
DIRECT = "direct_message"
GROUP = "group_message"
MENTION = "mention"
MENTION_KEY = "mention_key"
CHANNEL_MENTION = "channel_mention"
HERE_MENTION = "here_mention"
THREAD_ROOT = "reply_to_own_root"
THREAD_ANY = "reply_in_thread_participated"
THREAD_FOLLOWED = "reply_in_followed_thread"

# Why a delivery channel does not apply.
CHANNEL_MUTED = "channel_muted"
LEVEL_NONE = "level_set_to_none"
NOT_MENTIONED = "not_mentioned"
USER_STATUS = "user_status"  # do not disturb, out of office
USER_ACTIVE = "user_is_active"  # more present than push_status asks for
EMAIL_OFF = "email_off"

_EXPLICIT = {DIRECT, MENTION, MENTION_KEY}


@dataclass(frozen=True)
class Member:
    """What the decision needs to know about one channel member."""

    user_id: str
    username: str
    first_name: str
    user_notify_props: Mapping[str, Any]
    channel_notify_props: Mapping[str, Any]
    status: str  # online, away, offline, dnd, out_of_office
    dnd_end_time: int = 0  # Unix seconds, as Mattermost's; 0 = until changed
    prev_status: str = ""
    collapsed_threads: bool = True  # the user reads replies in threads (CRT)
    is_bot: bool = False


@dataclass(frozen=True)
class Thread:
    """For a reply: its root's author, who wrote in it, who follows it."""

    root_user_id: str
    participants: frozenset[str]
    followers: frozenset[str]


@dataclass
class Decision:
    user_id: str
    reasons: list[str] = field(default_factory=list)
    # delivery channel -> None when it applies, else the reason it does not.
    channels: dict[str, str | None] = field(default_factory=dict)

    def applies(self, channel: str) -> bool:
        return channel in self.channels and self.channels[channel] is None

    @property
    def explicit(self) -> bool:
        return bool(_EXPLICIT & set(self.reasons))

    @property
    def channel_wide(self) -> bool:
        return CHANNEL_MENTION in self.reasons or HERE_MENTION in self.reasons


def effective_status(member: Member, now_ms: int) -> str:
    """Do-not-disturb with an end time that has passed is over: the status before it counts."""
    if member.status == "dnd" and member.dnd_end_time and member.dnd_end_time * 1000 <= now_ms:
        return member.prev_status or "online"
    return member.status


def decide(
    post: Mapping[Any, Any],
    channel_type: str,
    members: list[Member],
    thread: Thread | None,
    now_ms: int,
) -> list[Decision]:
    """One decision per member the post concerns (the poster and bots excepted): mentioned,
    written to, replied to, or wanting every message; the others are left out. System messages
    concern nobody."""
    if str(post.get("type") or "").startswith("system_"):
        return []
    poster_id = post["user_id"]
    parsed = mentions.parse(post["message"])
    decisions = []
    for member in members:
        if member.user_id == poster_id or member.is_bot:
            continue
        decision = Decision(member.user_id, _reasons(post, channel_type, parsed, member, thread, now_ms))
        decision.channels["push"] = _push(channel_type, member, decision, now_ms)
        decision.channels["email"] = _email(channel_type, member, decision, now_ms)
        decision.channels["webpush"] = _webpush(channel_type, member, decision, now_ms)
        # A member at level "all" hears of every post, mentioned or not.
        if decision.reasons or any(reason is None for reason in decision.channels.values()):
            decisions.append(decision)
    return decisions


def _reasons(
    post: Mapping[Any, Any],
    channel_type: str,
    parsed: mentions.ParsedMentions,
    member: Member,
    thread: Thread | None,
    now_ms: int,
) -> list[str]:
    props = member.user_notify_props
    reasons = []
    if channel_type == "D":
        reasons.append(DIRECT)
    elif channel_type == "G":
        reasons.append(GROUP)
    if any(member.username in readings for readings in parsed.readings):
        reasons.append(MENTION)
    elif _mention_key_hit(post["message"], member):
        reasons.append(MENTION_KEY)
    ignored = mentions.ignores_channel_mentions(
        {"channel_notify_props": member.channel_notify_props, "user_notify_props": props}
    )
    if not ignored and channel_type not in ("D",):
        if parsed.channel:
            reasons.append(CHANNEL_MENTION)
        elif parsed.here and effective_status(member, now_ms) == "online":
            reasons.append(HERE_MENTION)
    if thread is not None:
        reasons.extend(_thread_reasons(member, thread))
    return reasons


def _mention_key_hit(message: str, member: Member) -> bool:
    props = member.user_notify_props
    keys = [key.strip() for key in str(props.get("mention_keys") or "").split(",")]
    if mentions.mentions_keyword(message, keys, case_sensitive=False):
        return True
    if props.get("first_name") != "true" or not member.first_name:
        return False
    return mentions.mentions_keyword(message, [member.first_name], case_sensitive=True)


def _thread_reasons(member: Member, thread: Thread) -> list[str]:
    """With collapsed threads a follower hears of replies unless push_threads says only
    mentions; without, the `comments` setting decides: replies to one's own root, or to any
    thread one wrote in."""
    props = member.user_notify_props
    if member.collapsed_threads:
        if member.user_id in thread.followers and props.get("push_threads", "all") == "all":
            return [THREAD_FOLLOWED]
        return []
    comments = props.get("comments", "never")
    if comments == "any" and (member.user_id in thread.participants or member.user_id == thread.root_user_id):
        return [THREAD_ANY]
    if comments in ("root", "any") and member.user_id == thread.root_user_id:
        return [THREAD_ROOT]
    return []


def _level(member: Member, prop: str, channel_type: str) -> str:
    level = str(member.channel_notify_props.get(prop) or "default")
    if level != "default":
        return level
    level = str(member.user_notify_props.get(prop) or "mention")
    # A group message is a conversation: "mention" there means every message (Mattermost).
    return "all" if channel_type == "G" and level == "mention" else level


def _by_level(member: Member, prop: str, channel_type: str, decision: Decision) -> str | None:
    """What the channel and the user's level for `prop` (push, desktop) say: muted, none, or
    mentions only (THREAD_* reasons count as mentions, as Mattermost counts comment mentions)."""
    if member.channel_notify_props.get("mark_unread") == "mention":
        return CHANNEL_MUTED
    level = _level(member, prop, channel_type)
    if level == "none":
        return LEVEL_NONE
    if level == "mention" and not set(decision.reasons) - {GROUP}:
        return NOT_MENTIONED
    return None


def _push(channel_type: str, member: Member, decision: Decision, now_ms: int) -> str | None:
    refused = _by_level(member, "push", channel_type, decision)
    if refused:
        return refused
    status = effective_status(member, now_ms)
    if status in ("dnd", "out_of_office"):
        return USER_STATUS
    push_status = member.user_notify_props.get("push_status", "away")
    if push_status == "online":
        return None
    if push_status == "offline":
        return None if status == "offline" else USER_ACTIVE
    return None if status in ("away", "offline") else USER_ACTIVE


def _webpush(channel_type: str, member: Member, decision: Decision, now_ms: int) -> str | None:
    """A browser is pushed to by the desktop level (it is the browser's notification), while the
    user has no page open and active: an open page shows its own notifications."""
    refused = _by_level(member, "desktop", channel_type, decision)
    if refused:
        return refused
    status = effective_status(member, now_ms)
    if status in ("dnd", "out_of_office"):
        return USER_STATUS
    return USER_ACTIVE if status == "online" else None


def _email(channel_type: str, member: Member, decision: Decision, now_ms: int) -> str | None:
    """E-mail goes for whatever concerns the user (messages to them, mentions, thread replies)
    while they are not online; the sender (not built yet) batches by `email_interval`."""
    if member.channel_notify_props.get("mark_unread") == "mention":
        return CHANNEL_MUTED
    channel_email = str(member.channel_notify_props.get("email") or "default")
    wanted = member.user_notify_props.get("email", "true") if channel_email == "default" else channel_email
    if wanted != "true":
        return EMAIL_OFF
    if not decision.reasons:
        return NOT_MENTIONED
    status = effective_status(member, now_ms)
    if status == "online":
        return USER_ACTIVE
    return None
