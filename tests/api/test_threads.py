"""Collapsed reply threads: following, unread replies and mentions, reading, through the API."""

import json
from typing import Any

from tests.api.test_posts import post, private_channel
from tests.support.client import API, World, expect_error


def threads_url(api: API, world: World, suffix: str = "") -> str:
    return f"/users/{api.id}/teams/{world.team['id']}/threads{suffix}"


def threads(api: API, world: World, query: str = "") -> dict[str, Any]:
    return api.ok("GET", threads_url(api, world) + query)  # type: ignore[no-any-return]


def test_the_root_author_and_repliers_follow_a_thread(world: World) -> None:
    root = post(world.hamlet, world.town_square, "who's there?")
    assert threads(world.hamlet, world)["threads"] == []
    reply = post(world.othello, world.town_square, "nay, answer me", root_id=root["id"])
    hamlet_view = threads(world.hamlet, world, "?extended=true")
    assert hamlet_view["total"] == 1 and hamlet_view["total_unread_threads"] == 1
    thread = hamlet_view["threads"][0]
    assert thread["id"] == root["id"] and thread["reply_count"] == 1 and thread["unread_replies"] == 1
    assert thread["is_following"] is True and thread["post"]["id"] == root["id"]
    assert thread["last_reply_at"] == reply["create_at"]
    assert [p["id"] for p in thread["participants"]] == [world.othello.id]
    assert "username" in thread["participants"][0]
    plain = threads(world.hamlet, world)["threads"][0]
    assert plain["participants"] == [{"id": world.othello.id}]
    othello_view = threads(world.othello, world)
    assert othello_view["threads"][0]["unread_replies"] == 0 and othello_view["total_unread_threads"] == 0
    assert threads(world.iago, world)["total"] == 0


def test_mentioned_users_follow_with_an_unread_mention(world: World) -> None:
    root = post(world.hamlet, world.town_square, "plans")
    stream = world.iago.websocket()
    try:
        post(world.othello, world.town_square, f"@{world.iago.username} what say you?", root_id=root["id"])
        event = stream.expect("thread_updated")
        thread = json.loads(event["data"]["thread"])
        assert thread["id"] == root["id"] and thread["unread_mentions"] == 1
        assert event["broadcast"]["user_id"] == world.iago.id
    finally:
        stream.close()
    view = threads(world.iago, world)
    assert view["total_unread_mentions"] == 1 and view["threads"][0]["unread_mentions"] == 1
    unread_only = threads(world.iago, world, "?unread=true")
    assert [t["id"] for t in unread_only["threads"]] == [root["id"]]
    totals = threads(world.iago, world, "?totalsOnly=true")
    assert totals["threads"] == [] and totals["total"] == 1


def test_reading_and_marking_a_thread_unread(world: World) -> None:
    root = post(world.hamlet, world.town_square, "root")
    first = post(world.othello, world.town_square, f"@{world.hamlet.username} one", root_id=root["id"])
    second = post(world.othello, world.town_square, "two", root_id=root["id"])
    stream = world.hamlet.websocket()
    try:
        read = world.hamlet.ok(
            "PUT", threads_url(world.hamlet, world, f"/{root['id']}/read/{second['create_at']}")
        )
        assert read["unread_replies"] == 0 and read["unread_mentions"] == 0
        event = stream.expect("thread_read_changed")
        assert event["data"]["thread_id"] == root["id"] and event["data"]["previous_unread_mentions"] == 1
    finally:
        stream.close()
    again = world.hamlet.ok(
        "POST", threads_url(world.hamlet, world, f"/{root['id']}/set_unread/{first['id']}")
    )
    assert again["unread_replies"] == 2 and again["unread_mentions"] == 1
    assert again["last_viewed_at"] == first["create_at"] - 1
    world.hamlet.ok("PUT", threads_url(world.hamlet, world, "/read"))
    one = world.hamlet.ok("GET", threads_url(world.hamlet, world, f"/{root['id']}?extended=true"))
    assert one["unread_replies"] == 0 and one["unread_mentions"] == 0


def test_unfollow_and_follow_again(world: World) -> None:
    root = post(world.hamlet, world.town_square, "root")
    post(world.othello, world.town_square, "reply", root_id=root["id"])
    stream = world.hamlet.websocket()
    try:
        world.hamlet.ok("DELETE", threads_url(world.hamlet, world, f"/{root['id']}/following"))
        event = stream.expect("thread_follow_changed")
        assert event["data"] == {"thread_id": root["id"], "state": False, "reply_count": 1}
    finally:
        stream.close()
    assert threads(world.hamlet, world)["total"] == 0
    # Unfollowed stays unfollowed when others reply.
    post(world.othello, world.town_square, "another", root_id=root["id"])
    assert threads(world.hamlet, world)["total"] == 0
    one = world.hamlet.ok("GET", threads_url(world.hamlet, world, f"/{root['id']}"))
    assert one["is_following"] is False
    world.hamlet.ok("PUT", threads_url(world.hamlet, world, f"/{root['id']}/following"))
    assert threads(world.hamlet, world)["total"] == 1
    # iago never took part, but may follow a thread he can read.
    world.iago.ok("PUT", threads_url(world.iago, world, f"/{root['id']}/following"))
    assert threads(world.iago, world)["threads"][0]["id"] == root["id"]


def test_thread_paging_and_deleted_threads(world: World) -> None:
    roots = [post(world.hamlet, world.town_square, f"root {i}") for i in range(3)]
    for root in roots:
        post(world.othello, world.town_square, "reply", root_id=root["id"])
    first = threads(world.hamlet, world, "?per_page=2")
    assert [t["id"] for t in first["threads"]] == [roots[2]["id"], roots[1]["id"]]
    rest = threads(world.hamlet, world, f"?per_page=2&before={roots[1]['id']}")
    assert [t["id"] for t in rest["threads"]] == [roots[0]["id"]]
    newer = threads(world.hamlet, world, f"?after={roots[0]['id']}")
    assert {t["id"] for t in newer["threads"]} == {roots[1]["id"], roots[2]["id"]}
    world.hamlet.ok("DELETE", f"/posts/{roots[2]['id']}")
    assert threads(world.hamlet, world)["total"] == 2
    with_deleted = threads(world.hamlet, world, "?deleted=true")
    gone = next(t for t in with_deleted["threads"] if t["id"] == roots[2]["id"])
    assert gone["delete_at"] > 0


def test_direct_message_threads_appear_in_every_team_unless_excluded(world: World) -> None:
    dm = world.hamlet.ok("POST", "/channels/direct", [world.hamlet.id, world.othello.id])
    root = post(world.hamlet, dm, "between us")
    post(world.othello, dm, "indeed", root_id=root["id"])
    view = threads(world.hamlet, world)
    assert [t["id"] for t in view["threads"]] == [root["id"]]
    assert view["threads"][0]["unread_mentions"] == 1
    assert threads(world.hamlet, world, "?excludeDirect=true")["total"] == 0


def test_threads_of_private_channels_stay_private(world: World) -> None:
    secret = private_channel(world, world.hamlet, world.othello)
    root = post(world.hamlet, secret, "secret plan")
    post(world.othello, secret, "agreed", root_id=root["id"])
    assert world.iago.get(threads_url(world.iago, world, f"/{root['id']}")).status_code == 403
    assert world.iago.put(threads_url(world.iago, world, f"/{root['id']}/following")).status_code == 403
    assert world.iago.get(threads_url(world.hamlet, world)).status_code == 403
    assert world.cordelia.get(threads_url(world.cordelia, world)).status_code == 403
    # Leaving the channel takes its threads out of the list.
    world.othello.ok("DELETE", f"/channels/{secret['id']}/members/{world.othello.id}")
    assert threads(world.othello, world)["total"] == 0


def test_bad_thread_requests(world: World) -> None:
    root = post(world.hamlet, world.town_square, "root")
    reply = post(world.othello, world.town_square, "reply", root_id=root["id"])
    base = threads_url(world.hamlet, world)
    assert world.hamlet.get(base + "/nope").status_code == 400
    assert world.hamlet.get(base + "?per_page=x").status_code == 400
    assert world.hamlet.put(base + f"/{root['id']}/read/yesterday").status_code == 400
    assert world.hamlet.get(base + f"/{'e' * 26}").status_code == 404
    assert world.hamlet.get(base + f"/{reply['id']}").status_code == 400
    assert world.hamlet.get(base + f"?before={'f' * 26}").status_code == 400


def test_a_post_without_replies_is_no_thread_to_mark_read_or_unread(world: World) -> None:
    lonely = post(world.hamlet, world.town_square, "nobody answers this")
    base = threads_url(world.othello, world, f"/{lonely['id']}")
    expect_error(world.othello.put(f"{base}/read/{lonely['create_at']}"), 404, "app.thread.get.app_error")
    expect_error(world.othello.post(f"{base}/set_unread/{lonely['id']}"), 404, "app.thread.get.app_error")
    # Nothing was written: othello follows nothing, and the first reply makes a thread as usual.
    assert threads(world.othello, world)["threads"] == []
    post(world.hamlet, world.town_square, "answering myself", root_id=lonely["id"])
    read = world.othello.ok("PUT", f"{base}/read/{lonely['create_at']}")
    assert read["id"] == lonely["id"] and read["reply_count"] == 1


def test_team_unreads_count_followed_threads(world: World) -> None:
    root = post(world.hamlet, world.town_square, "the play's the thing")
    post(world.othello, world.town_square, f"@{world.hamlet.username} wherein?", root_id=root["id"])
    [unread] = world.hamlet.ok("GET", "/users/me/teams/unread")
    assert unread["team_id"] == world.team["id"]
    assert (unread["thread_count"], unread["thread_mention_count"]) == (1, 1)
    one_team = world.hamlet.ok("GET", f"/users/me/teams/{world.team['id']}/unread")
    assert (one_team["thread_count"], one_team["thread_mention_count"]) == (1, 1)
    world.hamlet.ok("PUT", threads_url(world.hamlet, world, "/read"))
    [read] = world.hamlet.ok("GET", "/users/me/teams/unread")
    assert (read["thread_count"], read["thread_mention_count"]) == (0, 0)


def test_marking_a_thread_unread_from_a_reply_follows_it_again_and_leaves_the_channel(world: World) -> None:
    root = post(world.hamlet, world.town_square, "root")
    first = post(world.othello, world.town_square, f"@{world.hamlet.username} one", root_id=root["id"])
    post(world.othello, world.town_square, "two", root_id=root["id"])
    world.hamlet.ok("POST", "/channels/members/me/view", {"channel_id": world.town_square["id"]})
    world.hamlet.ok("DELETE", threads_url(world.hamlet, world, f"/{root['id']}/following"))
    stream = world.hamlet.websocket()
    try:
        thread = world.hamlet.ok(
            "POST", threads_url(world.hamlet, world, f"/{root['id']}/set_unread/{first['id']}")
        )
        event = stream.expect("thread_read_changed", thread_id=root["id"])
    finally:
        stream.close()
    # The same thread state as marking the reply unread from a client without collapsed threads.
    assert thread["is_following"] is True and thread["last_viewed_at"] == first["create_at"] - 1
    assert (thread["unread_replies"], thread["unread_mentions"]) == (2, 1)
    assert event["data"]["timestamp"] == first["create_at"] - 1
    assert (event["data"]["unread_replies"], event["data"]["unread_mentions"]) == (2, 1)
    assert event["data"]["channel_id"] == world.town_square["id"]
    channel = world.hamlet.ok("GET", f"/channels/{world.town_square['id']}")
    members = world.hamlet.ok("GET", f"/users/me/teams/{world.team['id']}/channels/members")
    mine = next(m for m in members if m["channel_id"] == world.town_square["id"])
    assert channel["total_msg_count"] == mine["msg_count"] and mine["mention_count"] == 0
    other = post(world.hamlet, world.town_square, "elsewhere")
    wrong = threads_url(world.hamlet, world, f"/{root['id']}/set_unread/{other['id']}")
    assert world.hamlet.post(wrong).status_code == 400
