"""Emoji reactions, through the API."""

import json

import httpx

from tests.api.test_posts import post, private_channel
from tests.support.client import API, World
from villagepump.standard_emoji import standard_emoji


def nth_emoji(n: int) -> str:
    """A different standard emoji name for each n: reactions take only real emoji names."""
    names = list(standard_emoji())
    return names[n % len(names)]


def react(api: API, post_id: str, emoji: str = "thumbsup") -> httpx.Response:
    return api.post("/reactions", {"user_id": api.id, "post_id": post_id, "emoji_name": emoji})


def test_othello_reacts_and_everyone_sees_it_in_the_post_metadata(world: World) -> None:
    created = post(world.hamlet, world.town_square, "well said")
    stream = world.hamlet.websocket()
    try:
        response = react(world.othello, created["id"], "+1")
        assert response.status_code == 201
        reaction = response.json()
        assert reaction["user_id"] == world.othello.id and reaction["emoji_name"] == "+1"
        event = stream.expect("reaction_added")
        assert json.loads(event["data"]["reaction"])["post_id"] == created["id"]
        assert event["broadcast"]["channel_id"] == world.town_square["id"]
    finally:
        stream.close()
    fetched = world.hamlet.ok("GET", f"/posts/{created['id']}")
    assert [r["emoji_name"] for r in fetched["metadata"]["reactions"]] == ["+1"]
    assert fetched["update_at"] > created["update_at"]
    history = world.hamlet.ok("GET", f"/channels/{world.town_square['id']}/posts")
    assert history["posts"][created["id"]]["metadata"]["reactions"][0]["user_id"] == world.othello.id
    listed = world.hamlet.ok("GET", f"/posts/{created['id']}/reactions")
    assert [(r["user_id"], r["emoji_name"]) for r in listed] == [(world.othello.id, "+1")]


def test_reacting_twice_is_idempotent_and_removing_works(world: World) -> None:
    created = post(world.hamlet, world.town_square, "hmm")
    assert react(world.othello, created["id"]).status_code == 201
    assert react(world.othello, created["id"]).status_code == 201
    assert len(world.hamlet.ok("GET", f"/posts/{created['id']}/reactions")) == 1
    stream = world.hamlet.websocket()
    try:
        world.othello.ok("DELETE", f"/users/{world.othello.id}/posts/{created['id']}/reactions/thumbsup")
        assert json.loads(stream.expect("reaction_removed")["data"]["reaction"])["emoji_name"] == "thumbsup"
    finally:
        stream.close()
    assert world.hamlet.ok("GET", f"/posts/{created['id']}/reactions") == []
    assert world.hamlet.ok("GET", f"/posts/{created['id']}")["metadata"] == {}
    # Someone else's reaction is not yours to remove.
    react(world.othello, created["id"])
    path = f"/users/{world.othello.id}/posts/{created['id']}/reactions/thumbsup"
    assert world.hamlet.delete(path).status_code == 403


def test_reactions_for_many_posts(world: World) -> None:
    first = post(world.hamlet, world.town_square, "one")
    second = post(world.hamlet, world.town_square, "two")
    secret = private_channel(world, world.hamlet)
    hidden = post(world.hamlet, secret, "hidden")
    react(world.othello, first["id"], "smile")
    react(world.hamlet, hidden["id"], "smile")
    found = world.othello.ok("POST", "/posts/ids/reactions", [first["id"], second["id"], hidden["id"]])
    assert set(found) == {first["id"], second["id"]}
    assert [r["emoji_name"] for r in found[first["id"]]] == ["smile"] and found[second["id"]] == []


def test_reaction_permissions_and_bad_input(world: World) -> None:
    created = post(world.hamlet, world.town_square, "react to me")
    secret = private_channel(world, world.hamlet)
    hidden = post(world.hamlet, secret, "not for you")
    assert react(world.cordelia, created["id"]).status_code == 403
    assert react(world.othello, hidden["id"]).status_code == 403
    assert world.othello.get(f"/posts/{hidden['id']}/reactions").status_code == 403
    as_someone_else = {"user_id": world.hamlet.id, "post_id": created["id"], "emoji_name": "smile"}
    assert world.othello.post("/reactions", as_someone_else).status_code == 403
    for bad in ("", "x" * 65, "Smile", "no spaces", 7, None):
        body = {"user_id": world.othello.id, "post_id": created["id"], "emoji_name": bad}
        assert world.othello.post("/reactions", body).status_code == 400, bad
    assert world.othello.post("/reactions", {"user_id": world.othello.id, "post_id": 5}).status_code == 400
    unknown = {"user_id": world.othello.id, "post_id": "g" * 26, "emoji_name": "smile"}
    assert world.othello.post("/reactions", unknown).status_code == 404
    assert world.othello.post("/reactions", []).status_code == 400


def test_no_reactions_in_an_archived_channel(world: World) -> None:
    channel = world.hamlet.ok(
        "POST",
        "/channels",
        {
            "team_id": world.team["id"],
            "name": f"old-{world.hamlet.id[:6]}",
            "display_name": "Old",
            "type": "O",
        },
    )
    created = post(world.hamlet, channel, "archived soon")
    world.hamlet.ok("DELETE", f"/channels/{channel['id']}")
    assert react(world.hamlet, created["id"]).status_code == 403
