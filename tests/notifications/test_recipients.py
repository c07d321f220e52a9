"""The decision itself, for the rules the server stories do not reach: group messages, the
`comments` setting without collapsed threads, bots, system messages and the e-mail channel."""

from typing import Any

from villagepump.notifications import recipients
from villagepump.notifications.recipients import Member, Thread, decide

NOW = 1_700_000_000_000


def member(user_id: str, status: str = "offline", crt: bool = True, **props: Any) -> Member:
    return Member(
        user_id=user_id,
        username=user_id,
        first_name="",
        user_notify_props=props,
        channel_notify_props={},
        status=status,
        collapsed_threads=crt,
    )


def pushed(
    post: dict[str, Any], channel_type: str, members: list[Member], thread: Thread | None = None
) -> set[str]:
    return {d.user_id for d in decide(post, channel_type, members, thread, NOW) if d.applies("push")}


def a_post(message: str, user_id: str = "hamlet", **extra: Any) -> dict[str, Any]:
    return {"id": "p", "user_id": user_id, "message": message, "type": "", "root_id": "", **extra}


def test_group_messages_push_every_message_at_the_mention_level() -> None:
    members = [member("hamlet"), member("othello"), member("iago", push="none")]
    assert pushed(a_post("hello all"), "G", members) == {"othello"}
    assert pushed(a_post("hello all"), "O", members) == set()


def test_without_collapsed_threads_the_comments_setting_decides() -> None:
    thread = Thread("othello", frozenset({"othello", "iago"}), frozenset())
    reply = a_post("a reply", root_id="root")
    members = [
        member("othello", crt=False, comments="root"),
        member("iago", crt=False, comments="any"),
        member("cassio", crt=False, comments="any"),  # never wrote in it
        member("emilia", crt=False, comments="never"),
    ]
    decisions = {d.user_id: d for d in decide(reply, "O", members, thread, NOW)}
    assert set(decisions) == {"othello", "iago"}
    assert decisions["othello"].reasons == [recipients.THREAD_ROOT]
    assert decisions["iago"].reasons == [recipients.THREAD_ANY]


def test_followers_with_collapsed_threads_unless_they_chose_mentions_only() -> None:
    thread = Thread("othello", frozenset({"othello"}), frozenset({"othello", "iago"}))
    reply = a_post("a reply", root_id="root")
    members = [member("othello"), member("iago", push_threads="mention")]
    assert pushed(reply, "O", members, thread) == {"othello"}


def test_bots_system_messages_and_the_poster_are_never_notified() -> None:
    members = [member("hamlet"), member("othello")]
    assert pushed(a_post("@othello", type="system_header_change"), "O", members) == set()
    assert pushed(a_post("@hamlet"), "O", members) == set()
    bot = Member("bot", "bot", "", {}, {}, "offline", is_bot=True)
    assert pushed(a_post("@bot"), "O", [bot]) == set()


def test_email_goes_to_the_concerned_who_are_not_online_and_want_it() -> None:
    members = [
        member("othello"),
        member("iago", status="online"),
        member("cassio", email="false"),
        member("emilia"),  # not mentioned
    ]
    decisions = {d.user_id: d for d in decide(a_post("@othello @iago @cassio"), "O", members, None, NOW)}
    assert decisions["othello"].applies("email")
    assert decisions["iago"].channels["email"] == recipients.USER_ACTIVE
    assert decisions["cassio"].channels["email"] == recipients.EMAIL_OFF
    assert "emilia" not in decisions


def test_mention_keys_are_words_outside_code() -> None:
    othello = member("othello", mention_keys="ghost, @moor")
    assert pushed(a_post("the ghost!"), "O", [othello]) == {"othello"}
    assert pushed(a_post("ghostly"), "O", [othello]) == set()
    assert pushed(a_post("`ghost`"), "O", [othello]) == set()
    assert pushed(a_post("hey @Moor"), "O", [othello]) == {"othello"}
