"""Posting, reading channel history and threads, editing, pinning and deleting, through the API."""

import json
from typing import Any

from tests.support.client import API, World, unique


def post(api: API, channel: dict[str, Any], message: str, **extra: Any) -> dict[str, Any]:
    return api.ok("POST", "/posts", {"channel_id": channel["id"], "message": message, **extra})  # type: ignore[no-any-return]


def private_channel(world: World, owner: API, *members: API) -> dict[str, Any]:
    channel = owner.ok(
        "POST",
        "/channels",
        {"team_id": world.team["id"], "name": unique("secret-"), "display_name": "Secret", "type": "P"},
    )
    for member in members:
        owner.ok("POST", f"/channels/{channel['id']}/members", {"user_id": member.id})
    return channel  # type: ignore[no-any-return]


def test_hamlet_posts_and_othello_reads_it(world: World) -> None:
    created = post(world.hamlet, world.town_square, "To be, or not to be #question", pending_post_id="p:1")
    assert created["user_id"] == world.hamlet.id
    assert created["pending_post_id"] == "p:1"
    assert created["hashtags"] == "#question"
    assert created["metadata"] == {} and created["reply_count"] == 0 and created["participants"] is None
    fetched = world.othello.ok("GET", f"/posts/{created['id']}")
    assert fetched["message"] == "To be, or not to be #question"
    history = world.othello.ok("GET", f"/channels/{world.town_square['id']}/posts?page=0&per_page=60")
    assert history["order"][0] == created["id"]
    assert set(history) >= {"order", "posts", "next_post_id", "prev_post_id", "has_next"}


def test_posted_event_carries_the_post_as_json_string(world: World) -> None:
    stream = world.othello.websocket()
    try:
        created = post(
            world.hamlet, world.town_square, f"hello @{world.othello.username}", pending_post_id="x"
        )
        event = stream.expect("posted")
        data = event["data"]
        assert json.loads(data["post"])["id"] == created["id"]
        assert json.loads(data["post"])["pending_post_id"] == "x"
        assert data["sender_name"] == "@" + world.hamlet.username
        assert data["channel_type"] == "O" and data["team_id"] == world.team["id"]
        assert json.loads(data["mentions"]) == [world.othello.id]
        assert event["broadcast"]["channel_id"] == world.town_square["id"]
    finally:
        stream.close()


def test_history_pages_before_after_and_since(world: World) -> None:
    channel = world.off_topic["id"]
    ids = [post(world.hamlet, world.off_topic, f"line {i}")["id"] for i in range(5)]
    first = world.hamlet.ok("GET", f"/channels/{channel}/posts?page=0&per_page=2")
    assert first["order"] == [ids[4], ids[3]]
    assert first["prev_post_id"] == ids[2] and first["next_post_id"] == ""
    older = world.hamlet.ok("GET", f"/channels/{channel}/posts?before={ids[3]}&per_page=2")
    assert older["order"] == [ids[2], ids[1]]
    newer = world.hamlet.ok("GET", f"/channels/{channel}/posts?after={ids[1]}&per_page=2")
    assert newer["order"] == [ids[3], ids[2]] and newer["next_post_id"] == ids[4]
    since = world.hamlet.ok("GET", f"/posts/{ids[2]}")["create_at"]
    world.hamlet.ok("DELETE", f"/posts/{ids[0]}")
    changed = world.hamlet.ok("GET", f"/channels/{channel}/posts?since={since}")
    assert set(changed["order"]) >= {ids[2], ids[3], ids[4], ids[0]}
    assert changed["posts"][ids[0]]["delete_at"] > 0 and changed["posts"][ids[0]]["message"] == ""


def test_replies_and_collapsed_threads(world: World) -> None:
    root = post(world.hamlet, world.town_square, "a question")
    reply = post(world.othello, world.town_square, "an answer", root_id=root["id"])
    assert reply["root_id"] == root["id"] and reply["reply_count"] == 1
    flat = world.iago.ok("GET", f"/channels/{world.town_square['id']}/posts")
    assert flat["order"][:2] == [reply["id"], root["id"]]
    collapsed = world.iago.ok(
        "GET",
        f"/channels/{world.town_square['id']}/posts?collapsedThreads=true&collapsedThreadsExtended=true",
    )
    assert reply["id"] not in collapsed["order"]
    shown_root = collapsed["posts"][root["id"]]
    assert shown_root["reply_count"] == 1 and shown_root["last_reply_at"] == reply["create_at"]
    assert [u["id"] for u in shown_root["participants"]] == [world.othello.id]
    assert shown_root["is_following"] is False
    thread = world.iago.ok("GET", f"/posts/{reply['id']}/thread")
    assert thread["order"] == [reply["id"], root["id"]]
    # A root updated by its reply: clients that cache by update_at refetch it.
    assert world.iago.ok("GET", f"/posts/{root['id']}")["update_at"] >= reply["create_at"]


def test_thread_paging_with_camel_case_parameters(world: World) -> None:
    root = post(world.hamlet, world.town_square, "count with me")
    replies = [post(world.othello, world.town_square, str(i), root_id=root["id"]) for i in range(4)]
    page = world.hamlet.ok("GET", f"/posts/{root['id']}/thread?perPage=2&direction=up")
    assert page["order"] == [replies[3]["id"], replies[2]["id"], root["id"]] and page["has_next"] is True
    down = world.hamlet.ok(
        "GET",
        f"/posts/{root['id']}/thread?perPage=2&direction=down&fromPost={replies[1]['id']}"
        f"&fromCreateAt={replies[1]['create_at']}",
    )
    assert down["order"] == [replies[3]["id"], replies[2]["id"], root["id"]] and down["has_next"] is False


def test_reply_must_name_a_root_post_of_the_same_channel(world: World) -> None:
    root = post(world.hamlet, world.town_square, "root")
    reply = post(world.hamlet, world.town_square, "reply", root_id=root["id"])
    for bad_root in (reply["id"], "a" * 26):
        response = world.hamlet.post(
            "/posts", {"channel_id": world.town_square["id"], "message": "x", "root_id": bad_root}
        )
        assert response.status_code == 400
        assert response.json()["id"] == "api.post.create_post.root_id.app_error"
    elsewhere = world.hamlet.post(
        "/posts", {"channel_id": world.off_topic["id"], "message": "x", "root_id": root["id"]}
    )
    assert elsewhere.status_code == 400


def test_bad_input_is_a_400_never_a_500(world: World) -> None:
    channel_id = world.town_square["id"]
    too_long = world.hamlet.post("/posts", {"channel_id": channel_id, "message": "x" * 16384})
    assert too_long.status_code == 400
    for body in (
        {"channel_id": channel_id, "message": 5},
        {"channel_id": "nope", "message": "x"},
        {"channel_id": channel_id, "message": "x", "root_id": 7},
        {"channel_id": channel_id, "message": "x", "props": []},
        {"channel_id": channel_id, "message": "x", "file_ids": "abc"},
        {"channel_id": channel_id, "message": ""},
        {"message": "x"},
        [],
    ):
        assert world.hamlet.post("/posts", body).status_code == 400, body
    assert world.hamlet.post("/posts", {"channel_id": "b" * 26, "message": "x"}).status_code == 404
    assert world.hamlet.get("/posts/not-an-id").status_code == 400
    assert world.hamlet.get(f"/posts/{'c' * 26}").status_code == 404
    assert world.hamlet.get(f"/channels/{channel_id}/posts?page=x").status_code == 400
    assert world.hamlet.get(f"/channels/{channel_id}/posts?before=zzz").status_code == 400


def test_edit_own_post_and_admins_edit_others(world: World) -> None:
    created = post(world.hamlet, world.town_square, "first draft")
    stream = world.othello.websocket()
    try:
        edited = world.hamlet.ok("PUT", f"/posts/{created['id']}/patch", {"message": "second draft"})
        assert edited["message"] == "second draft" and edited["edit_at"] > 0
        assert edited["update_at"] > created["update_at"]
        event = stream.expect("post_edited")
        assert json.loads(event["data"]["post"])["message"] == "second draft"
    finally:
        stream.close()
    assert world.othello.put(f"/posts/{created['id']}/patch", {"message": "vandal"}).status_code == 403
    full = world.iago.ok("PUT", f"/posts/{created['id']}", {"id": created["id"], "message": "moderated"})
    assert full["message"] == "moderated"
    mismatch = world.hamlet.put(f"/posts/{created['id']}", {"id": "d" * 26, "message": "x"})
    assert mismatch.status_code == 400
    too_long = world.hamlet.put(f"/posts/{created['id']}/patch", {"message": "x" * 20000})
    assert too_long.status_code == 400


def test_deleting_a_root_deletes_its_replies(world: World) -> None:
    root = post(world.hamlet, world.town_square, "soon gone")
    reply = post(world.othello, world.town_square, "me too", root_id=root["id"])
    assert world.othello.delete(f"/posts/{root['id']}").status_code == 403
    stream = world.othello.websocket()
    try:
        assert world.hamlet.ok("DELETE", f"/posts/{root['id']}") == {"status": "OK"}
        event = stream.expect("post_deleted")
        deleted = json.loads(event["data"]["post"])
        assert deleted["id"] == root["id"] and deleted["delete_at"] > 0
        # As in Mattermost, the event keeps the words (see tests/clients/test_matterbridge.py).
        assert deleted["message"] == "soon gone"
    finally:
        stream.close()
    assert world.othello.get(f"/posts/{root['id']}").status_code == 404
    assert world.othello.get(f"/posts/{reply['id']}").status_code == 404
    assert root["id"] not in world.othello.ok("GET", f"/channels/{world.town_square['id']}/posts")["order"]


def test_pin_and_unpin(world: World) -> None:
    created = post(world.hamlet, world.town_square, "remember this")
    stream = world.othello.websocket()
    try:
        world.othello.ok("POST", f"/posts/{created['id']}/pin")
        assert json.loads(stream.expect("post_edited")["data"]["post"])["is_pinned"] is True
    finally:
        stream.close()
    pinned = world.hamlet.ok("GET", f"/channels/{world.town_square['id']}/pinned")
    assert pinned["order"] == [created["id"]]
    world.hamlet.ok("POST", f"/posts/{created['id']}/unpin")
    assert world.hamlet.ok("GET", f"/channels/{world.town_square['id']}/pinned")["order"] == []


def test_posts_by_ids_skips_what_the_caller_cannot_read(world: World) -> None:
    secret = private_channel(world, world.hamlet)
    hidden = post(world.hamlet, secret, "hidden")
    public = post(world.hamlet, world.town_square, "public")
    found = world.othello.ok("POST", "/posts/ids", [hidden["id"], public["id"]])
    assert [p["id"] for p in found] == [public["id"]]
    assert world.othello.post("/posts/ids", ["nope"]).status_code == 400


def test_cordelia_reads_nothing_in_a_private_channel(world: World) -> None:
    secret = private_channel(world, world.hamlet, world.othello)
    root = post(world.hamlet, secret, "between us")
    post(world.othello, secret, "agreed", root_id=root["id"])
    world.hamlet.ok("POST", f"/posts/{root['id']}/pin")
    for outsider in (world.cordelia, world.iago):
        assert outsider.get(f"/posts/{root['id']}").status_code == 403
        assert outsider.get(f"/posts/{root['id']}/thread").status_code == 403
        assert outsider.get(f"/posts/{root['id']}/reactions").status_code == 403
        assert outsider.get(f"/channels/{secret['id']}/posts").status_code == 403
        assert outsider.get(f"/channels/{secret['id']}/pinned").status_code == 403
        assert (
            outsider.post("/posts", {"channel_id": secret["id"], "message": "let me in"}).status_code == 403
        )
        assert outsider.post(f"/posts/{root['id']}/pin").status_code == 403
        assert outsider.delete(f"/posts/{root['id']}").status_code == 403
    assert world.cordelia.get(f"/channels/{world.town_square['id']}/posts").status_code == 403


def test_cannot_post_in_an_archived_channel(world: World) -> None:
    channel = world.hamlet.ok(
        "POST",
        "/channels",
        {"team_id": world.team["id"], "name": unique("old-"), "display_name": "Old", "type": "O"},
    )
    created = post(world.hamlet, channel, "last words")
    world.hamlet.ok("DELETE", f"/channels/{channel['id']}")
    assert world.hamlet.post("/posts", {"channel_id": channel["id"], "message": "x"}).status_code == 403
    assert world.hamlet.put(f"/posts/{created['id']}/patch", {"message": "y"}).status_code == 403


def test_saved_posts_are_flagged_preferences(world: World) -> None:
    public = post(world.othello, world.town_square, "worth keeping")
    secret = private_channel(world, world.othello, world.hamlet)
    private = post(world.othello, secret, "keep this too")
    prefs = [
        {"user_id": world.hamlet.id, "category": "flagged_post", "name": p["id"], "value": "true"}
        for p in (public, private)
    ]
    world.hamlet.ok("PUT", f"/users/{world.hamlet.id}/preferences", prefs)
    saved = world.hamlet.ok("GET", f"/users/{world.hamlet.id}/posts/flagged")
    assert set(saved["order"]) == {public["id"], private["id"]}
    # Leaving the channel takes its saved posts out of sight.
    world.hamlet.ok("DELETE", f"/channels/{secret['id']}/members/{world.hamlet.id}")
    saved = world.hamlet.ok("GET", f"/users/{world.hamlet.id}/posts/flagged")
    assert saved["order"] == [public["id"]]
    # Nobody saves a post they cannot read.
    cordelia_pref = [
        {"user_id": world.cordelia.id, "category": "flagged_post", "name": private["id"], "value": "true"}
    ]
    assert world.cordelia.put(f"/users/{world.cordelia.id}/preferences", cordelia_pref).status_code == 403
    assert world.cordelia.get(f"/users/{world.hamlet.id}/posts/flagged").status_code == 403
