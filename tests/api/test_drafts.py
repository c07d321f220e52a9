"""Synced drafts: a message being written follows its author across devices, and no one else."""

import json
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from tests.api.test_posts import post, private_channel
from tests.support.client import API, World, expect_error


def save(api: API, channel: dict[str, Any], message: str, root_id: str = "", **headers: str) -> Any:
    body = {"channel_id": channel["id"], "root_id": root_id, "message": message, "props": {"k": "v"}}
    return api.ok("POST", "/drafts", body) if not headers else api.post("/drafts", body, headers=headers)


def drafts(api: API, world: World) -> list[dict[str, Any]]:
    return api.ok("GET", f"/users/me/teams/{world.team['id']}/drafts")  # type: ignore[no-any-return]


def test_a_draft_is_saved_updated_listed_and_deleted(world: World) -> None:
    root = post(world.othello, world.town_square, "a thread")
    first = save(world.hamlet, world.town_square, "half a thought")
    assert first["user_id"] == world.hamlet.id and first["message"] == "half a thought"
    assert first["props"] == {"k": "v"} and first["root_id"] == "" and first["create_at"] > 0
    save(world.hamlet, world.town_square, "a reply, unsent", root["id"])
    updated = save(world.hamlet, world.town_square, "a whole thought")
    assert updated["create_at"] == first["create_at"] and updated["update_at"] >= first["update_at"]
    listed = drafts(world.hamlet, world)
    assert sorted((d["root_id"], d["message"]) for d in listed) == [
        ("", "a whole thought"),
        (root["id"], "a reply, unsent"),
    ]
    assert drafts(world.othello, world) == []
    channel_id = world.town_square["id"]
    world.hamlet.ok("DELETE", f"/users/{world.hamlet.id}/channels/{channel_id}/drafts/{root['id']}")
    assert [d["root_id"] for d in drafts(world.hamlet, world)] == [""]
    world.hamlet.ok("DELETE", f"/users/me/channels/{channel_id}/drafts")
    assert drafts(world.hamlet, world) == []
    # A draft already gone (deleted on another device) deletes without complaint.
    world.hamlet.ok("DELETE", f"/users/me/channels/{channel_id}/drafts")


def test_an_empty_draft_or_a_sent_message_removes_the_draft(world: World) -> None:
    save(world.hamlet, world.town_square, "soon")
    assert world.hamlet.post("/drafts", {"channel_id": world.town_square["id"], "message": ""}).json() is None
    assert drafts(world.hamlet, world) == []
    save(world.hamlet, world.town_square, "about to send")
    save(world.hamlet, world.off_topic, "elsewhere")
    post(world.hamlet, world.town_square, "about to send")
    assert [d["channel_id"] for d in drafts(world.hamlet, world)] == [world.off_topic["id"]]


def test_a_draft_follows_its_author_to_their_other_sockets_only(world: World) -> None:
    writing = world.hamlet.websocket()
    other_device = world.hamlet.websocket()
    someone_else = world.othello.websocket()
    try:
        connection_id = writing.hello["data"]["connection_id"]
        response = save(world.hamlet, world.town_square, "hello", **{"Connection-Id": connection_id})
        assert response.status_code == 201
        created = other_device.expect("draft_created")
        assert json.loads(created["data"]["draft"])["message"] == "hello"
        save(world.hamlet, world.town_square, "hello there")
        updated = other_device.expect("draft_updated")
        assert json.loads(updated["data"]["draft"])["message"] == "hello there"
        world.hamlet.ok("DELETE", f"/users/me/channels/{world.town_square['id']}/drafts")
        deleted = other_device.expect("draft_deleted")
        assert json.loads(deleted["data"]["draft"])["channel_id"] == world.town_square["id"]
        # The socket that wrote the first version is told of later changes, not of its own.
        writing.expect("draft_updated")
        assert "draft_created" not in [m.get("event") for m in writing.seen]
        someone_else.expect_none("draft_created")
        assert not [m for m in someone_else.seen if str(m.get("event", "")).startswith("draft_")]
    finally:
        for stream in (writing, other_device, someone_else):
            stream.close()


def test_a_draft_is_its_authors_alone(world: World) -> None:
    save(world.hamlet, world.town_square, "mine")
    team_id, channel_id = world.team["id"], world.town_square["id"]
    expect_error(
        world.othello.get(f"/users/{world.hamlet.id}/teams/{team_id}/drafts"),
        403,
        "api.context.permissions.app_error",
    )
    expect_error(
        world.othello.delete(f"/users/{world.hamlet.id}/channels/{channel_id}/drafts"),
        403,
        "api.context.permissions.app_error",
    )
    as_hamlet = {"user_id": world.hamlet.id, "channel_id": channel_id, "message": "forged"}
    expect_error(world.othello.post("/drafts", as_hamlet), 403, "api.context.permissions.app_error")
    assert [d["message"] for d in drafts(world.hamlet, world)] == ["mine"]
    # Nor may anyone draft in a channel they cannot post in, or list a team they are not in.
    secret = private_channel(world, world.hamlet)
    expect_error(
        world.othello.post("/drafts", {"channel_id": secret["id"], "message": "x"}),
        403,
        "api.context.permissions.app_error",
    )
    expect_error(
        world.cordelia.get(f"/users/me/teams/{team_id}/drafts"), 403, "api.context.permissions.app_error"
    )


def test_a_draft_in_a_channel_the_author_left_is_not_listed(world: World) -> None:
    secret = private_channel(world, world.hamlet, world.othello)
    save(world.othello, secret, "never sent")
    save(world.othello, world.town_square, "still here")
    world.othello.ok("DELETE", f"/channels/{secret['id']}/members/{world.othello.id}")
    assert [d["message"] for d in drafts(world.othello, world)] == ["still here"]


def test_bad_drafts_are_refused(world: World) -> None:
    channel_id = world.town_square["id"]
    cases = [
        ({"channel_id": "nope", "message": "x"}, "model.draft.is_valid.channel_id.app_error"),
        (
            {"channel_id": channel_id, "root_id": "short", "message": "x"},
            "model.draft.is_valid.root_id.app_error",
        ),
        ({"channel_id": channel_id, "message": "x" * 20000}, "model.draft.is_valid.msg.app_error"),
        ({"channel_id": channel_id, "message": "x", "props": []}, "model.draft.is_valid.props.app_error"),
        (
            {"channel_id": channel_id, "message": "x", "file_ids": ["a"]},
            "model.draft.is_valid.file_ids.app_error",
        ),
    ]
    for body, error_id in cases:
        expect_error(world.hamlet.post("/drafts", body), 400, error_id)
    world.hamlet.ok("POST", f"/channels/{world.off_topic['id']}/members", {"user_id": world.hamlet.id})
    world.admin.ok("DELETE", f"/channels/{world.off_topic['id']}")
    expect_error(
        world.hamlet.post("/drafts", {"channel_id": world.off_topic["id"], "message": "x"}),
        400,
        "api.draft.create_draft.can_not_draft_to_deleted.error",
    )


def test_concurrent_saves_leave_one_draft(world: World) -> None:
    messages = [f"version {n}" for n in range(12)]
    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(lambda m: save(world.hamlet, world.town_square, m), messages))
    assert all(r["message"] in messages for r in results)
    listed = drafts(world.hamlet, world)
    assert len(listed) == 1 and listed[0]["message"] in messages
    assert len({r["create_at"] for r in results}) == 1
