"""Channel and team writes check their actor inside the write
(docs/decisions/0005-checks-inside-the-write.md): a member removed, an admin demoted, a user
taken out of the team or a channel archived a moment before is refused, however close behind
the change the write comes, and slash commands meet the same checks as the REST routes."""

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx

from tests.api.test_commands import run
from tests.api.test_posts import private_channel
from tests.support.client import API, World, create_user, expect_error, unique
from tests.support.races import writes_racing

FORBIDDEN = "api.context.permissions.app_error"
ARCHIVED = "api.channel.update_channel.deleted.app_error"
NOT_IN_TEAM = "api.channel.add_members.user_denied"
NOT_A_MEMBER = "app.channel.get_member.missing.app_error"


def public_channel(world: World, owner: API, prefix: str = "open-") -> dict[str, Any]:
    return owner.ok(  # type: ignore[no-any-return]
        "POST",
        "/channels",
        {"team_id": world.team["id"], "name": unique(prefix), "display_name": "Open", "type": "O"},
    )


def execute(api: API, channel: dict[str, Any], command: str) -> httpx.Response:
    body = {"command": command, "channel_id": channel["id"], "team_id": channel.get("team_id", "")}
    return api.post("/commands/execute", body)


def member_ids(api: API, channel: dict[str, Any]) -> set[str]:
    return {m["user_id"] for m in api.ok("GET", f"/channels/{channel['id']}/members?per_page=200")}


def test_a_member_removed_a_moment_before_can_neither_kick_nor_change_the_header(world: World) -> None:
    secret = private_channel(world, world.hamlet, world.othello, world.iago)
    world.othello.ok("DELETE", f"/channels/{secret['id']}/members/{world.hamlet.id}")
    before = world.othello.ok("GET", f"/channels/{secret['id']}")

    header = world.hamlet.put(f"/channels/{secret['id']}/patch", {"header": "mine now"})
    expect_error(header, 403, FORBIDDEN)
    expect_error(world.hamlet.delete(f"/channels/{secret['id']}/members/{world.iago.id}"), 403, FORBIDDEN)
    expect_error(world.hamlet.delete(f"/channels/{secret['id']}"), 403, FORBIDDEN)
    for command in (f"/kick @{world.iago.username}", "/header mine now", "/rename Mine", "/leave"):
        expect_error(execute(world.hamlet, secret, command), 403, FORBIDDEN)

    assert world.othello.ok("GET", f"/channels/{secret['id']}") == before
    assert member_ids(world.othello, secret) == {world.othello.id, world.iago.id}


def test_a_demoted_channel_admin_can_no_longer_change_roles_or_privacy(world: World) -> None:
    secret = private_channel(world, world.hamlet, world.othello)
    roles = f"/channels/{secret['id']}/members/{world.othello.id}/schemeRoles"
    world.hamlet.ok("PUT", roles, {"scheme_admin": True, "scheme_user": True})
    demote = f"/channels/{secret['id']}/members/{world.hamlet.id}/schemeRoles"
    world.othello.ok("PUT", demote, {"scheme_admin": False, "scheme_user": True})

    expect_error(world.hamlet.put(roles, {"scheme_admin": False, "scheme_user": True}), 403, FORBIDDEN)
    by_string = f"/channels/{secret['id']}/members/{world.othello.id}/roles"
    expect_error(world.hamlet.put(by_string, {"roles": "channel_user"}), 403, FORBIDDEN)
    privacy = world.hamlet.put(f"/channels/{secret['id']}/privacy", {"privacy": "O"})
    expect_error(privacy, 403, FORBIDDEN)

    othello = world.othello.ok("GET", f"/channels/{secret['id']}/members/{world.othello.id}")
    assert othello["scheme_admin"] is True
    assert world.othello.ok("GET", f"/channels/{secret['id']}")["type"] == "P"


def test_slash_commands_are_refused_where_the_routes_are(world: World) -> None:
    """Each command runs in a channel the caller belongs to; the action it calls refuses it with
    the error the route gives, shown as Mattermost's answer to the command, and changes nothing."""
    elsewhere = public_channel(world, world.iago, "elsewhere-")
    members = member_ids(world.iago, elsewhere)

    # hamlet is not in ~elsewhere: he may not add others to it.
    add = world.hamlet.post(f"/channels/{elsewhere['id']}/members", {"user_id": world.othello.id})
    expect_error(add, 403, FORBIDDEN)
    invite = run(world.hamlet, world.town_square, f"/invite @{world.othello.username} ~{elsewhere['name']}")
    assert (
        invite["text"]
        == f"You don't have enough permissions to add @{world.othello.username} in {elsewhere['name']}."
    )

    # cordelia is not in the team.
    outsider = world.iago.post(f"/channels/{elsewhere['id']}/members", {"user_id": world.cordelia.id})
    expect_error(outsider, 403, NOT_IN_TEAM)
    invite = run(world.iago, elsewhere, f"/invite @{world.cordelia.username}")
    assert "once they are members of the **Denmark** team" in invite["text"]

    # othello is not in ~elsewhere to be removed from it.
    kick = world.iago.delete(f"/channels/{elsewhere['id']}/members/{world.othello.id}")
    expect_error(kick, 404, NOT_A_MEMBER)
    assert run(world.iago, elsewhere, f"/kick @{world.othello.username}")["text"] == (
        f"{world.othello.username} is not a member of this channel."
    )

    # A private channel hamlet is not in cannot be joined.
    secret = private_channel(world, world.iago)
    join = world.hamlet.post(f"/channels/{secret['id']}/members", {"user_id": world.hamlet.id})
    expect_error(join, 403, FORBIDDEN)
    assert member_ids(world.iago, secret) == {world.iago.id}
    assert member_ids(world.iago, elsewhere) == members


def test_a_user_removed_from_the_team_cannot_join_its_channels_afterwards(world: World) -> None:
    channel = public_channel(world, world.hamlet)
    dm = world.othello.ok("POST", "/channels/direct", [world.othello.id, world.hamlet.id])
    world.iago.ok("DELETE", f"/teams/{world.team['id']}/members/{world.othello.id}")

    join = world.othello.post(f"/channels/{channel['id']}/members", {"user_id": world.othello.id})
    expect_error(join, 403, FORBIDDEN)
    added = world.hamlet.post(f"/channels/{channel['id']}/members", {"user_id": world.othello.id})
    expect_error(added, 403, NOT_IN_TEAM)
    # From the direct message they still have, naming the team they left: refused like the route.
    command = {"command": f"/join ~{channel['name']}", "channel_id": dm["id"], "team_id": world.team["id"]}
    expect_error(world.othello.post("/commands/execute", command), 403, FORBIDDEN)
    invite = run(world.hamlet, channel, f"/invite @{world.othello.username}")
    assert "once they are members" in invite["text"]

    assert world.othello.id not in member_ids(world.hamlet, channel)


def test_joins_racing_a_removal_from_the_team_leave_no_membership_behind(world: World) -> None:
    channels = [public_channel(world, world.hamlet) for _ in range(4)]

    def join_or_leave(api: API, n: int) -> httpx.Response:
        channel = channels[n % len(channels)]
        if (n // len(channels)) % 2 == 0:
            return api.post(f"/channels/{channel['id']}/members", {"user_id": api.id})
        return api.delete(f"/channels/{channel['id']}/members/{api.id}")

    def remove_from_team() -> None:
        world.iago.ok("DELETE", f"/teams/{world.team['id']}/members/{world.othello.id}")

    writes_racing([world.othello] * len(channels), join_or_leave, remove_from_team, (403, FORBIDDEN))

    for channel in channels:
        gone = world.hamlet.get(f"/channels/{channel['id']}/members/{world.othello.id}")
        expect_error(gone, 404, NOT_A_MEMBER)


def _posts(api: API, channel: dict[str, Any]) -> list[dict[str, Any]]:
    return list(api.ok("GET", f"/channels/{channel['id']}/posts?since=1")["posts"].values())


def test_joins_and_adds_racing_an_archive_land_before_it_or_not_at_all(world: World) -> None:
    channel = public_channel(world, world.hamlet, "closing-")
    added = [world.cordelia]
    world.admin.ok("POST", f"/teams/{world.team['id']}/members", {"user_id": world.cordelia.id})

    def write(api: API, n: int) -> httpx.Response:
        """othello and iago join and leave; hamlet adds cordelia and removes her."""
        user_id = api.id if api.id != world.hamlet.id else added[0].id
        if (n // 3) % 2 == 0:
            return api.post(f"/channels/{channel['id']}/members", {"user_id": user_id})
        return api.delete(f"/channels/{channel['id']}/members/{user_id}")

    def archive() -> None:
        world.hamlet.ok("DELETE", f"/channels/{channel['id']}")

    writes_racing([world.othello, world.iago, world.hamlet], write, archive, (400, ARCHIVED))

    stored = _posts(world.hamlet, channel)
    [archived] = [p for p in stored if p["type"] == "system_channel_deleted"]
    cutoff = archived["create_at"]
    joins = [p for p in stored if p["type"] in ("system_join_channel", "system_add_to_channel")]
    assert joins and all(p["create_at"] <= cutoff for p in joins)
    for member in world.hamlet.ok("GET", f"/channels/{channel['id']}/members?per_page=200"):
        assert member["last_update_at"] <= cutoff, member


def test_a_team_join_racing_the_archive_of_a_default_channel_skips_it(world: World) -> None:
    newcomers = [create_user(world.admin, "newcomer") for _ in range(8)]
    take = iter(newcomers)
    lock = threading.Lock()

    def add_next() -> httpx.Response | None:
        with lock:
            user = next(take, None)
        if user is None:
            return None
        return world.admin.post(f"/teams/{world.team['id']}/members", {"user_id": user.id})

    def keep_adding() -> list[httpx.Response]:
        answered = []
        while (response := add_next()) is not None:
            answered.append(response)
        return answered

    with ThreadPoolExecutor(4) as pool:
        running = [pool.submit(keep_adding) for _ in range(4)]
        world.hamlet.ok("DELETE", f"/channels/{world.off_topic['id']}")
        answered = [r for each in running for r in each.result()]
    assert all(r.status_code == 201 for r in answered), [r.text for r in answered]
    late = create_user(world.admin, "late")
    world.admin.ok("POST", f"/teams/{world.team['id']}/members", {"user_id": late.id})

    stored = _posts(world.hamlet, world.off_topic)
    [archive] = [p for p in stored if p["type"] == "system_channel_deleted"]
    assert all(p["create_at"] <= archive["create_at"] for p in stored)
    members = world.hamlet.ok("GET", f"/channels/{world.off_topic['id']}/members?per_page=200")
    assert all(m["last_update_at"] <= archive["create_at"] for m in members)
    assert late.id not in {m["user_id"] for m in members}
