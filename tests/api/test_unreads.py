"""Unread messages and mentions, end to end: posting, viewing, marking unread."""

import json
from typing import Any

from tests.api.test_posts import post, private_channel
from tests.support.client import API, World


def member(api: API, world: World, channel: dict[str, Any]) -> dict[str, Any]:
    members = api.ok("GET", f"/users/me/teams/{world.team['id']}/channels/members")
    return next(m for m in members if m["channel_id"] == channel["id"])  # type: ignore[no-any-return]


def unread(api: API, world: World, channel: dict[str, Any]) -> tuple[int, int]:
    """(unread messages, mentions) as the sidebar computes them."""
    fresh = api.ok("GET", f"/channels/{channel['id']}")
    mine = member(api, world, channel)
    return fresh["total_msg_count"] - mine["msg_count"], mine["mention_count"]


def view(api: API, channel: dict[str, Any]) -> None:
    api.ok("POST", "/channels/members/me/view", {"channel_id": channel["id"]})


def test_othello_is_mentioned_then_views_the_channel(world: World) -> None:
    view(world.othello, world.town_square)
    post(world.hamlet, world.town_square, f"@{world.othello.username}, a word")
    post(world.hamlet, world.town_square, "and another")
    assert unread(world.othello, world, world.town_square) == (2, 1)
    view(world.othello, world.town_square)
    assert unread(world.othello, world, world.town_square) == (0, 0)


def test_the_poster_has_read_their_own_post(world: World) -> None:
    post(world.othello, world.town_square, "before")
    post(world.hamlet, world.town_square, f"my own words, @{world.hamlet.username}")
    mine = member(world.hamlet, world, world.town_square)
    assert unread(world.hamlet, world, world.town_square) == (0, 0)
    assert (
        mine["msg_count_root"]
        == world.hamlet.ok("GET", f"/channels/{world.town_square['id']}")["total_msg_count_root"]
    )


def test_channel_mentions_reach_every_member_but_the_poster(world: World) -> None:
    for api in (world.hamlet, world.othello, world.iago):
        view(api, world.off_topic)
    post(world.hamlet, world.off_topic, "Hear ye, @channel!")
    post(world.hamlet, world.off_topic, "and @all.")
    assert unread(world.othello, world, world.off_topic) == (2, 2)
    assert unread(world.iago, world, world.off_topic) == (2, 2)
    assert unread(world.hamlet, world, world.off_topic) == (0, 0)


def test_ignore_channel_mentions_is_respected(world: World) -> None:
    view(world.othello, world.off_topic)
    world.othello.ok(
        "PUT",
        f"/channels/{world.off_topic['id']}/members/{world.othello.id}/notify_props",
        {"channel_id": world.off_topic["id"], "user_id": world.othello.id, "ignore_channel_mentions": "on"},
    )
    post(world.hamlet, world.off_topic, "@channel meeting")
    post(world.hamlet, world.off_topic, f"@{world.othello.username.upper()}: you especially")
    assert unread(world.othello, world, world.off_topic) == (2, 1)


def test_here_mentions_only_members_who_are_online(world: World) -> None:
    view(world.othello, world.off_topic)
    view(world.iago, world.off_topic)
    world.othello.ok(
        "PUT", f"/users/{world.othello.id}/status", {"user_id": world.othello.id, "status": "online"}
    )
    world.iago.ok("PUT", f"/users/{world.iago.id}/status", {"user_id": world.iago.id, "status": "offline"})
    post(world.hamlet, world.off_topic, "anyone @here?")
    assert unread(world.othello, world, world.off_topic)[1] == 1
    assert unread(world.iago, world, world.off_topic)[1] == 0


def test_mentions_of_non_members_and_lookalikes_do_not_count(world: World) -> None:
    secret = private_channel(world, world.hamlet, world.othello)
    view(world.othello, secret)
    post(
        world.hamlet, secret, f"@{world.iago.username} is not here; mail{world.othello.username}@example.org"
    )
    post(world.hamlet, secret, f"`@{world.othello.username}` in code")
    post(world.hamlet, secret, f"thanks @{world.othello.username}.")
    assert unread(world.othello, world, secret) == (3, 1)


def test_every_direct_message_is_a_mention(world: World) -> None:
    dm = world.hamlet.ok("POST", "/channels/direct", [world.hamlet.id, world.othello.id])
    stream = world.othello.websocket()
    try:
        post(world.hamlet, dm, "psst")
        event = stream.expect("posted")
        assert json.loads(event["data"]["mentions"]) == [world.othello.id]
        assert event["data"]["channel_type"] == "D"
    finally:
        stream.close()
    post(world.hamlet, dm, "are you there")
    assert unread(world.othello, world, dm) == (2, 2)
    assert unread(world.hamlet, world, dm) == (0, 0)


def test_mark_unread_from_a_post(world: World) -> None:
    view(world.othello, world.town_square)
    zero = post(world.hamlet, world.town_square, "zero")
    first = post(world.hamlet, world.town_square, "one")
    post(world.hamlet, world.town_square, f"two @{world.othello.username}")
    post(world.hamlet, world.town_square, "three")
    view(world.othello, world.town_square)
    stream = world.othello.websocket()
    try:
        result = world.othello.ok(
            "POST",
            f"/users/{world.othello.id}/posts/{first['id']}/set_unread",
            {"collapsed_threads_supported": True},
        )
        assert result["mention_count"] == 1 and result["last_viewed_at"] == first["create_at"] - 1
        event = stream.expect("post_unread")
        assert (
            event["data"]["mention_count"] == 1
            and event["broadcast"]["channel_id"] == world.town_square["id"]
        )
    finally:
        stream.close()
    assert unread(world.othello, world, world.town_square) == (3, 1)
    around = world.othello.ok(
        "GET",
        f"/users/{world.othello.id}/channels/{world.town_square['id']}/posts/unread?limit_after=2&limit_before=1",
    )
    assert around["order"][1:] == [first["id"], zero["id"]] and len(around["order"]) == 3
    assert world.othello.post(f"/users/{world.hamlet.id}/posts/{first['id']}/set_unread").status_code == 403
    unread_url = f"/users/{world.othello.id}/channels/{world.town_square['id']}/posts/unread?limit_after=0"
    assert world.othello.get(unread_url).status_code == 400


def test_replies_count_as_messages_but_not_as_root_messages(world: World) -> None:
    view(world.othello, world.town_square)
    root = post(world.hamlet, world.town_square, "root")
    post(world.hamlet, world.town_square, f"reply to @{world.othello.username}", root_id=root["id"])
    channel = world.othello.ok("GET", f"/channels/{world.town_square['id']}")
    mine = member(world.othello, world, world.town_square)
    assert channel["total_msg_count"] - mine["msg_count"] == 2
    assert channel["total_msg_count_root"] - mine["msg_count_root"] == 1
    assert mine["mention_count"] == 1 and mine["mention_count_root"] == 0


def _thread_scene(world: World) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """Hamlet asks; othello replies twice, naming him in the first reply; hamlet reads the channel
    and the thread."""
    root = post(world.hamlet, world.town_square, "who's there?")
    post(world.othello, world.town_square, "a root of othello's, later")
    first = post(world.othello, world.town_square, f"@{world.hamlet.username} nay", root_id=root["id"])
    last = post(world.othello, world.town_square, "answer me", root_id=root["id"])
    view(world.hamlet, world.town_square)
    threads = f"/users/{world.hamlet.id}/teams/{world.team['id']}/threads"
    world.hamlet.ok("PUT", f"{threads}/{root['id']}/read/{last['create_at']}")
    return root, first, world.hamlet.ok("GET", f"/channels/{world.town_square['id']}")


def _thread_of(api: API, world: World, root: dict[str, Any]) -> dict[str, Any]:
    path = f"/users/{api.id}/teams/{world.team['id']}/threads/{root['id']}"
    return api.ok("GET", path)  # type: ignore[no-any-return]


def test_a_collapsed_threads_client_marks_the_channel_unread_from_a_reply(world: World) -> None:
    root, first, _ = _thread_scene(world)
    path = f"/users/{world.hamlet.id}/posts/{first['id']}/set_unread"
    result = world.hamlet.ok("POST", path, {"collapsed_threads_supported": True})
    # As Mattermost does: the channel, with its root posts counted apart; the thread is untouched.
    assert result["last_viewed_at"] == first["create_at"] - 1
    assert (result["mention_count"], result["mention_count_root"]) == (1, 0)
    fresh = world.hamlet.ok("GET", f"/channels/{world.town_square['id']}")
    assert fresh["total_msg_count"] - result["msg_count"] == 2
    assert fresh["total_msg_count_root"] - result["msg_count_root"] == 0
    assert _thread_of(world.hamlet, world, root)["unread_replies"] == 0


def test_an_older_client_marking_a_reply_unread_makes_its_thread_unread(world: World) -> None:
    root, first, _ = _thread_scene(world)
    world.hamlet.ok(
        "DELETE", f"/users/{world.hamlet.id}/teams/{world.team['id']}/threads/{root['id']}/following"
    )
    stream = world.hamlet.websocket()
    try:
        result = world.hamlet.ok("POST", f"/users/{world.hamlet.id}/posts/{first['id']}/set_unread")
        updated = json.loads(stream.expect("thread_updated")["data"]["thread"])
        event = stream.expect("post_unread", post_id=first["id"])
    finally:
        stream.close()
    assert updated["id"] == root["id"] and updated["is_following"] is True
    assert (updated["unread_replies"], updated["unread_mentions"]) == (2, 1)
    assert updated["last_viewed_at"] == first["create_at"] - 1
    thread = _thread_of(world.hamlet, world, root)
    assert (thread["unread_replies"], thread["unread_mentions"], thread["is_following"]) == (2, 1, True)
    # The channel is unread from the reply for this client, but its root posts stay read.
    fresh = world.hamlet.ok("GET", f"/channels/{world.town_square['id']}")
    assert fresh["total_msg_count"] - result["msg_count"] == 2
    assert result["msg_count_root"] == fresh["total_msg_count_root"]
    assert (result["mention_count"], result["mention_count_root"]) == (1, 0)
    assert event["data"]["msg_count_root"] == result["msg_count_root"]
    assert event["data"]["last_viewed_at"] == first["create_at"] - 1


def test_a_user_without_collapsed_threads_gets_the_older_behaviour_and_no_thread_event(
    world: World,
) -> None:
    root, first, _ = _thread_scene(world)
    off = {"user_id": world.hamlet.id, "category": "display_settings", "name": "collapsed_reply_threads"}
    world.hamlet.ok("PUT", "/users/me/preferences", [{**off, "value": "off"}])
    stream = world.hamlet.websocket()
    try:
        world.hamlet.ok(
            "POST",
            f"/users/{world.hamlet.id}/posts/{first['id']}/set_unread",
            {"collapsed_threads_supported": True},
        )
        stream.expect("post_unread", post_id=first["id"])
        assert "thread_updated" not in [m.get("event") for m in stream.seen]
    finally:
        stream.close()
    assert _thread_of(world.hamlet, world, root)["unread_replies"] == 2


def test_marking_a_root_post_unread_is_the_same_for_every_client(world: World) -> None:
    root, _, _ = _thread_scene(world)
    older = world.hamlet.ok("POST", f"/users/{world.hamlet.id}/posts/{root['id']}/set_unread")
    view(world.hamlet, world.town_square)
    newer = world.hamlet.ok(
        "POST",
        f"/users/{world.hamlet.id}/posts/{root['id']}/set_unread",
        {"collapsed_threads_supported": True},
    )
    assert {k: v for k, v in older.items() if k != "last_update_at"} == {
        k: v for k, v in newer.items() if k != "last_update_at"
    }
    assert _thread_of(world.hamlet, world, root)["unread_replies"] == 0
    bad = world.hamlet.post(
        f"/users/{world.hamlet.id}/posts/{root['id']}/set_unread", {"collapsed_threads_supported": 3}
    )
    assert bad.status_code == 400
