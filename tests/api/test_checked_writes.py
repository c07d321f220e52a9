"""Checks made inside the write (docs/decisions/0005-checks-inside-the-write.md): once a member
is removed from a channel, or the channel archived, none of their posts, replies, edits, pins,
reactions or deletions gets in, however close behind the change it comes, and whichever way it
comes in (REST or a slash command)."""

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx

from tests.api.test_posts import post, private_channel
from tests.api.test_reactions import nth_emoji, react
from tests.support.client import API, World, expect_error, unique
from tests.support.races import writes_racing

FORBIDDEN = "api.context.permissions.app_error"


def _attempts(
    api: API, channel: dict[str, Any], own: dict[str, Any], other: dict[str, Any]
) -> dict[str, httpx.Response]:
    """One of each write a member makes in a channel: `own` is the member's post, `other` a post
    they reacted to and pinned while they could."""
    return {
        "post": api.post("/posts", {"channel_id": channel["id"], "message": "still here?"}),
        "reply": api.post("/posts", {"channel_id": channel["id"], "message": "and?", "root_id": other["id"]}),
        "edit": api.put(f"/posts/{own['id']}", {"id": own["id"], "message": "edited"}),
        "patch": api.put(f"/posts/{own['id']}/patch", {"message": "patched", "is_pinned": True}),
        "pin": api.post(f"/posts/{own['id']}/pin"),
        "unpin": api.post(f"/posts/{other['id']}/unpin"),
        "react": react(api, own["id"], "smile"),
        "unreact": api.delete(f"/users/{api.id}/posts/{other['id']}/reactions/thumbsup"),
        "delete": api.delete(f"/posts/{own['id']}"),
    }


def _expect_all_refused(responses: dict[str, httpx.Response]) -> None:
    for write, response in responses.items():
        assert response.status_code == 403, f"{write}: {response.status_code} {response.text}"
        expect_error(response, 403, FORBIDDEN)


def _reacted_and_pinned(
    world: World, channel: dict[str, Any], member: API
) -> tuple[dict[str, Any], dict[str, Any]]:
    own = post(member, channel, "my words")
    other = post(world.hamlet, channel, "hamlet's words")
    assert react(member, other["id"]).status_code == 201
    member.ok("POST", f"/posts/{other['id']}/pin")
    return own, other


def test_a_member_removed_from_a_private_channel_can_write_nothing_there(world: World) -> None:
    secret = private_channel(world, world.hamlet, world.othello)
    own, other = _reacted_and_pinned(world, secret, world.othello)
    world.hamlet.ok("DELETE", f"/channels/{secret['id']}/members/{world.othello.id}")
    before = world.hamlet.ok("GET", f"/channels/{secret['id']}/posts")

    _expect_all_refused(_attempts(world.othello, secret, own, other))
    unread = world.othello.post(f"/users/{world.othello.id}/posts/{other['id']}/set_unread")
    expect_error(unread, 403, FORBIDDEN)

    assert world.hamlet.ok("GET", f"/channels/{secret['id']}/posts") == before


def test_an_archived_channel_takes_no_writes_even_from_an_admin(world: World) -> None:
    channel = world.hamlet.ok(
        "POST",
        "/channels",
        {"team_id": world.team["id"], "name": unique("old-"), "display_name": "Old", "type": "O"},
    )
    own, other = _reacted_and_pinned(world, channel, world.hamlet)
    world.hamlet.ok("DELETE", f"/channels/{channel['id']}")
    before = world.hamlet.ok("GET", f"/channels/{channel['id']}/posts")

    _expect_all_refused(_attempts(world.hamlet, channel, own, other))
    expect_error(world.admin.delete(f"/posts/{own['id']}"), 403, FORBIDDEN)
    expect_error(world.admin.put(f"/posts/{own['id']}/patch", {"message": "moderated"}), 403, FORBIDDEN)
    reaction = f"/users/{world.hamlet.id}/posts/{other['id']}/reactions/thumbsup"
    expect_error(world.admin.delete(reaction), 403, FORBIDDEN)

    assert world.hamlet.ok("GET", f"/channels/{channel['id']}/posts") == before


def test_slash_commands_post_through_the_same_checks(world: World) -> None:
    channel = world.hamlet.ok(
        "POST",
        "/channels",
        {"team_id": world.team["id"], "name": unique("old-"), "display_name": "Old", "type": "O"},
    )
    elsewhere = post(world.hamlet, world.town_square, "a root in another channel")
    # A reply posted by /echo is checked like one posted through POST /posts.
    echo = {"channel_id": channel["id"], "command": "/echo hello", "root_id": elsewhere["id"]}
    expect_error(world.hamlet.post("/commands/execute", echo), 400, "api.post.create_post.root_id.app_error")

    world.hamlet.ok("DELETE", f"/channels/{channel['id']}")
    before = world.hamlet.ok("GET", f"/channels/{channel['id']}/posts")
    for command in ("/me waves", "/shrug", "/echo anyone?"):
        response = world.hamlet.post("/commands/execute", {"channel_id": channel["id"], "command": command})
        expect_error(response, 403, FORBIDDEN)
    assert world.hamlet.ok("GET", f"/channels/{channel['id']}/posts") == before


def _race(
    writer: API, write: Callable[[API, int], httpx.Response], change: Callable[[], None]
) -> list[httpx.Response]:
    """Six copies of `writer`, each on its own connection, race `change` (see writes_racing)."""
    return writes_racing([writer] * 6, write, change, (403, FORBIDDEN))


def _everything_in(api: API, channel: dict[str, Any]) -> list[dict[str, Any]]:
    listing = api.ok("GET", f"/channels/{channel['id']}/posts?since=1")
    return list(listing["posts"].values())


def test_posts_racing_a_removal_land_before_it_or_not_at_all(world: World) -> None:
    secret = private_channel(world, world.hamlet, world.othello)

    def write(api: API, n: int) -> httpx.Response:
        return api.post("/posts", {"channel_id": secret["id"], "message": f"burst {n}"})

    def remove() -> None:
        world.hamlet.ok("DELETE", f"/channels/{secret['id']}/members/{world.othello.id}")

    responses = _race(world.othello, write, remove)

    stored = _everything_in(world.hamlet, secret)
    [removal] = [p for p in stored if p["type"] == "system_remove_from_channel"]
    burst = [p for p in stored if p["user_id"] == world.othello.id and not p["type"]]
    assert {p["id"] for p in burst} == {r.json()["id"] for r in responses if r.is_success}
    late = [p for p in burst if p["create_at"] > removal["create_at"]]
    assert not late, f"{len(late)} posts stored after the removal at {removal['create_at']}"


def test_writes_racing_an_archive_land_before_it_or_not_at_all(world: World) -> None:
    channel = world.hamlet.ok(
        "POST",
        "/channels",
        {"team_id": world.team["id"], "name": unique("closing-"), "display_name": "Closing", "type": "O"},
    )
    target = post(world.hamlet, channel, "react to me, edit me")

    def write(api: API, n: int) -> httpx.Response:
        """Posts, replies, reactions, edits, pins and deletions in turn."""
        kind = n % 6
        if kind in (0, 1, 5):
            reply = {"root_id": target["id"]} if kind == 1 else {}
            created = api.post("/posts", {"channel_id": channel["id"], "message": f"burst {n}", **reply})
            return (
                api.delete(f"/posts/{created.json()['id']}") if kind == 5 and created.is_success else created
            )
        if kind == 2:
            return react(api, target["id"], nth_emoji(n))
        if kind == 3:
            return api.put(f"/posts/{target['id']}/patch", {"message": f"edit {n}"})
        return api.post(f"/posts/{target['id']}/{'pin' if n % 12 == 4 else 'unpin'}")

    def archive() -> None:
        world.hamlet.ok("DELETE", f"/channels/{channel['id']}")

    _race(world.hamlet, write, archive)

    stored = _everything_in(world.hamlet, channel)
    [archived] = [p for p in stored if p["type"] == "system_channel_deleted"]
    cutoff = archived["create_at"]
    burst = [p for p in stored if not p["type"]]
    assert all(p["create_at"] <= cutoff and p["update_at"] <= cutoff for p in burst)
    assert any(p["delete_at"] for p in burst) and any(p["root_id"] for p in burst)
    edited = world.hamlet.ok("GET", f"/posts/{target['id']}")
    assert 0 < edited["edit_at"] <= cutoff
    reactions = world.hamlet.ok("GET", f"/posts/{target['id']}/reactions")
    assert reactions and all(r["create_at"] <= cutoff for r in reactions)


def test_every_kind_of_write_at_once_in_one_channel_never_deadlocks(world: World) -> None:
    """Writes that lock the same channel, memberships and posts, from several users at once,
    while the thread they write in is deleted under them: each is answered, none with a 5xx."""
    members = (world.hamlet, world.othello, world.iago)
    channel = world.town_square
    root = post(world.hamlet, channel, "the thread everyone writes in")
    deleted = threading.Event()

    def writes(member: API, copy: int) -> list[httpx.Response]:
        api = API(member.base_url, member.token, member.user)
        answered: list[httpx.Response] = []
        try:
            for n in range(24):
                reply = api.post(
                    "/posts", {"channel_id": channel["id"], "message": f"re {n}", "root_id": root["id"]}
                )
                answered.append(reply)
                answered.append(react(api, root["id"], nth_emoji(copy * 24 + n)))
                answered.append(api.post(f"/posts/{root['id']}/{'pin' if n % 2 else 'unpin'}"))
                answered.append(api.post(f"/users/{api.id}/posts/{root['id']}/set_unread"))
                if reply.is_success:
                    mine = reply.json()["id"]
                    answered.append(react(api, mine, "eyes"))
                    answered.append(api.put(f"/posts/{mine}/patch", {"message": f"re {n}, edited"}))
                    answered.append(api.delete(f"/posts/{mine}"))
                if copy == 0 and n == 12:
                    answered.append(world.hamlet.delete(f"/posts/{root['id']}"))
                    deleted.set()
        finally:
            api.close()
        return answered

    with ThreadPoolExecutor(2 * len(members)) as pool:
        running = [pool.submit(writes, members[i % len(members)], i) for i in range(2 * len(members))]
        answered = [response for each in running for response in each.result()]
    assert deleted.is_set()
    refusals = {(r.status_code, r.json()["id"]) for r in answered if not r.is_success}
    assert refusals <= {(404, "app.post.get.app_error"), (400, "api.post.create_post.root_id.app_error")}
    assert (404, "app.post.get.app_error") in refusals
