"""Many identical or conflicting writes at once, each on its own connection: nobody gets a 500,
nothing is stored twice, and the losers of a race get Mattermost's error."""

import threading
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import httpx
import pytest

from tests.support.client import API, PASSWORD, World, create_user, expect_error, login, unique
from tests.support.server import (
    ServerProcess,
    running_servers,
)

Call = Callable[[API], httpx.Response]
T = TypeVar("T")


def one_each(items: list[T]) -> Callable[[], T]:
    """Hands out the items one at a time to threads running at once."""
    lock, remaining = threading.Lock(), iter(items)

    def take() -> T:
        with lock:
            return next(remaining)

    return take


def at_once(apis: list[API], call: Call) -> list[httpx.Response]:
    """Each API (its own connection) makes the call; a barrier lets them all go together."""
    clients = [API(api.base_url, api.token, api.user) for api in apis]
    for client in clients:
        # Connect first, so that the barrier releases requests rather than handshakes.
        client.get("/system/ping")
    barrier = threading.Barrier(len(clients))

    def run(client: API) -> httpx.Response:
        barrier.wait()
        return call(client)

    try:
        with ThreadPoolExecutor(len(clients)) as pool:
            responses = list(pool.map(run, clients))
    finally:
        for client in clients:
            client.close()
    assert not [r.text for r in responses if r.status_code >= 500], "a request answered 5xx"
    return responses


def one_winner(
    responses: list[httpx.Response], status: int, loser_status: int, error_id: str
) -> httpx.Response:
    """Exactly one response has `status`; every other one is Mattermost's error."""
    winners = [r for r in responses if r.status_code == status]
    assert len(winners) == 1, Counter(r.status_code for r in responses)
    for response in responses:
        if response is not winners[0]:
            expect_error(response, loser_status, error_id)
    return winners[0]


def all_succeed(responses: list[httpx.Response]) -> list[Any]:
    assert all(r.status_code in (200, 201) for r in responses), [r.text for r in responses]
    return [r.json() for r in responses]


def channel_posts(api: API, channel_id: str) -> list[dict[str, Any]]:
    page = api.ok("GET", f"/channels/{channel_id}/posts?per_page=200")
    return [page["posts"][post_id] for post_id in page["order"]]


def new_channel(api: API, team_id: str, channel_type: str = "O") -> dict[str, Any]:
    name = unique("elsinore-")
    body = {"team_id": team_id, "name": name, "display_name": name, "type": channel_type}
    channel: dict[str, Any] = api.ok("POST", "/channels", body)
    return channel


def test_the_same_channel_name_created_24_times_at_once_makes_one_channel(world: World) -> None:
    name = unique("battlements-")
    body = {"team_id": world.team["id"], "name": name, "display_name": "Battlements", "type": "O"}
    responses = at_once([world.hamlet] * 12 + [world.othello] * 12, lambda api: api.post("/channels", body))

    created = one_winner(responses, 201, 400, "store.sql_channel.save_channel.exists.app_error").json()
    found = world.hamlet.ok("GET", f"/teams/{world.team['id']}/channels/name/{name}")
    assert found["id"] == created["id"]
    listed = world.admin.ok("GET", f"/teams/{world.team['id']}/channels?per_page=200")
    assert [c["id"] for c in listed if c["name"] == name] == [created["id"]]
    members = world.admin.ok("GET", f"/channels/{created['id']}/members")
    assert [m["user_id"] for m in members] == [created["creator_id"]]


def test_channels_or_users_renamed_to_one_name_at_once_let_one_have_it(world: World) -> None:
    channels = [new_channel(world.hamlet, world.team["id"]) for _ in range(8)]
    name = unique("gravediggers-")
    next_channel = one_each(channels)

    def rename(api: API) -> httpx.Response:
        channel = next_channel()
        return api.put(f"/channels/{channel['id']}/patch", {"name": name})

    responses = at_once([world.hamlet] * len(channels), rename)
    renamed = one_winner(responses, 200, 400, "store.sql_channel.save_channel.exists.app_error").json()
    assert world.hamlet.ok("GET", f"/teams/{world.team['id']}/channels/name/{name}")["id"] == renamed["id"]

    username = unique("yorick")
    responses = at_once(
        [world.hamlet, world.othello, world.iago, world.cordelia],
        lambda api: api.put(f"/users/{api.id}/patch", {"username": username}),
    )
    renamed = one_winner(responses, 200, 400, "app.user.save.username_exists.app_error").json()
    assert world.admin.ok("GET", f"/users/username/{username}")["id"] == renamed["id"]


def test_batches_adding_the_same_users_to_a_team_at_once_add_each_once(world: World) -> None:
    team = world.admin.ok("POST", "/teams", {"name": unique("wittenberg-"), "display_name": "W", "type": "O"})
    user_ids = [world.hamlet.id, world.othello.id, world.iago.id, world.cordelia.id]
    batch = [{"team_id": team["id"], "user_id": user_id} for user_id in user_ids]
    # Half the requests name the users in the opposite order.
    next_batch = one_each([batch, batch[::-1]] * 4)

    def add_batch(api: API) -> httpx.Response:
        return api.post(f"/teams/{team['id']}/members/batch", next_batch())

    all_succeed(at_once([world.admin] * 8, add_batch))
    members = world.admin.ok("GET", f"/teams/{team['id']}/members?per_page=200")
    assert sorted(m["user_id"] for m in members) == sorted([world.admin.id, *user_ids])
    town_square = world.admin.ok("GET", f"/teams/{team['id']}/channels/name/town-square")
    added = [p for p in channel_posts(world.admin, town_square["id"]) if p["type"] == "system_add_to_team"]
    assert sorted(p["props"]["addedUserId"] for p in added) == sorted(user_ids)


def test_a_user_joining_a_channel_at_once_is_one_member_with_one_system_message(world: World) -> None:
    channel = new_channel(world.hamlet, world.team["id"])
    join = {"user_id": world.othello.id}
    responses = at_once(
        [world.othello] * 16, lambda api: api.post(f"/channels/{channel['id']}/members", join)
    )

    assert {m["user_id"] for m in all_succeed(responses)} == {world.othello.id}
    members = world.hamlet.ok("GET", f"/channels/{channel['id']}/members")
    assert sorted(m["user_id"] for m in members) == sorted([world.hamlet.id, world.othello.id])
    joins = [p for p in channel_posts(world.hamlet, channel["id"]) if p["user_id"] == world.othello.id]
    assert [p["type"] for p in joins] == ["system_join_channel"]


def test_a_user_added_to_a_team_at_once_is_one_member_with_one_system_message(world: World) -> None:
    team_id = world.team["id"]
    add = {"team_id": team_id, "user_id": world.cordelia.id}
    responses = at_once([world.admin] * 16, lambda api: api.post(f"/teams/{team_id}/members", add))

    assert {m["user_id"] for m in all_succeed(responses)} == {world.cordelia.id}
    members = world.admin.ok("GET", f"/teams/{team_id}/members?per_page=200")
    assert [m["user_id"] for m in members].count(world.cordelia.id) == 1
    town_square = channel_posts(world.admin, world.town_square["id"])
    assert [p["type"] for p in town_square if p["user_id"] == world.cordelia.id] == ["system_join_team"]
    off_topic = channel_posts(world.admin, world.off_topic["id"])
    assert [p["type"] for p in off_topic if p["user_id"] == world.cordelia.id] == ["system_join_channel"]
    mine = world.cordelia.ok("GET", f"/users/me/teams/{team_id}/channels")
    assert sorted(c["name"] for c in mine) == ["off-topic", "town-square"]


def test_a_user_leaving_a_channel_or_team_at_once_leaves_once(world: World) -> None:
    channel = new_channel(world.hamlet, world.team["id"])
    world.othello.ok("POST", f"/channels/{channel['id']}/members", {"user_id": world.othello.id})
    path = f"/channels/{channel['id']}/members/{world.othello.id}"
    responses = at_once([world.othello] * 12, lambda api: api.delete(path))

    one_winner(responses, 200, 404, "app.channel.get_member.missing.app_error")
    leaves = [p for p in channel_posts(world.hamlet, channel["id"]) if p["user_id"] == world.othello.id]
    assert [p["type"] for p in leaves] == ["system_leave_channel", "system_join_channel"]

    team_id = world.team["id"]
    path = f"/teams/{team_id}/members/{world.iago.id}"
    responses = at_once([world.admin] * 12, lambda api: api.delete(path))
    one_winner(responses, 200, 404, "app.team.get_member.missing.app_error")
    removals = [
        p for p in channel_posts(world.admin, world.town_square["id"]) if p["user_id"] == world.iago.id
    ]
    assert [p["type"] for p in removals][0] == "system_remove_from_team"
    assert [p["type"] for p in removals].count("system_remove_from_team") == 1


def test_a_channel_archived_at_once_is_archived_once(world: World) -> None:
    channel = new_channel(world.hamlet, world.team["id"])
    responses = at_once([world.hamlet] * 12, lambda api: api.delete(f"/channels/{channel['id']}"))

    one_winner(responses, 200, 400, "api.channel.update_channel.deleted.app_error")
    notices = [p["type"] for p in channel_posts(world.hamlet, channel["id"])]
    assert notices.count("system_channel_deleted") == 1


def test_many_first_replies_at_once_are_all_counted_in_the_thread(world: World) -> None:
    channel_id = world.town_square["id"]
    root = world.hamlet.ok("POST", "/posts", {"channel_id": channel_id, "message": "To be, or not to be"})
    repliers = [world.othello, world.iago, world.admin] * 6
    replies = at_once(
        repliers,
        lambda api: api.post(
            "/posts", {"channel_id": channel_id, "root_id": root["id"], "message": "that is"}
        ),
    )

    assert len({r["id"] for r in all_succeed(replies)}) == len(repliers)
    thread = world.hamlet.ok("GET", f"/posts/{root['id']}/thread")
    assert len(thread["order"]) == len(repliers) + 1
    assert world.hamlet.ok("GET", f"/posts/{root['id']}")["reply_count"] == len(repliers)
    for api in (world.hamlet, world.othello, world.iago):
        followed = api.ok("GET", f"/users/me/teams/{world.team['id']}/threads/{root['id']}")
        assert followed["reply_count"] == len(repliers)
        assert sorted(p["id"] for p in followed["participants"]) == sorted(
            [world.othello.id, world.iago.id, world.admin.id]
        )


def test_the_same_reaction_at_once_is_one_reaction_and_one_event(world: World) -> None:
    channel_id = world.town_square["id"]
    post = world.hamlet.ok("POST", "/posts", {"channel_id": channel_id, "message": "Alas, poor Yorick"})
    listener = world.hamlet.websocket()
    body = {"user_id": world.othello.id, "post_id": post["id"], "emoji_name": "skull"}
    responses = at_once([world.othello] * 16, lambda api: api.post("/reactions", body))

    assert {(r["user_id"], r["emoji_name"]) for r in all_succeed(responses)} == {(world.othello.id, "skull")}
    reactions = world.hamlet.ok("GET", f"/posts/{post['id']}/reactions")
    assert [(r["user_id"], r["emoji_name"]) for r in reactions] == [(world.othello.id, "skull")]
    # Events leave in commit order: once the marker is heard, every reaction event has been.
    world.hamlet.ok("POST", "/posts", {"channel_id": channel_id, "message": "marker"})
    listener.expect("posted", timeout=10)
    assert [m.get("event") for m in listener.seen].count("reaction_added") == 1
    listener.ws.close()


def test_the_same_direct_message_opened_at_once_is_one_channel(world: World) -> None:
    pair = [world.hamlet.id, world.othello.id]
    responses = at_once(
        [world.hamlet, world.othello] * 8,
        lambda api: api.post("/channels/direct", pair if api.id == world.hamlet.id else pair[::-1]),
    )
    assert len({c["id"] for c in all_succeed(responses)}) == 1

    group = [world.hamlet.id, world.othello.id, world.iago.id]
    responses = at_once(
        [world.hamlet, world.othello, world.iago] * 5, lambda api: api.post("/channels/group", group)
    )
    channel_ids = {c["id"] for c in all_succeed(responses)}
    assert len(channel_ids) == 1
    members = world.hamlet.ok("GET", f"/channels/{channel_ids.pop()}/members")
    assert sorted(m["user_id"] for m in members) == sorted(group)


def test_the_same_username_or_email_signed_up_at_once_makes_one_account(world: World) -> None:
    username = unique("laertes")

    def same_username(api: API) -> httpx.Response:
        return api.post(
            "/users", {"username": username, "email": f"{unique('l')}@example.org", "password": PASSWORD}
        )

    responses = at_once([world.admin] * 12, same_username)
    one_winner(responses, 201, 400, "app.user.save.username_exists.app_error")

    email = f"{unique('ophelia')}@example.org"

    def same_email(api: API) -> httpx.Response:
        return api.post("/users", {"username": unique("ophelia"), "email": email, "password": PASSWORD})

    responses = at_once([world.admin] * 12, same_email)
    created = one_winner(responses, 201, 400, "app.user.save.email_exists.app_error").json()
    assert world.admin.ok("GET", f"/users/email/{email}")["id"] == created["id"]
    assert login(world.admin.base_url, username).username == username


def test_many_posts_at_once_in_one_channel_are_all_listed_and_counted(world: World) -> None:
    team_id = world.team["id"]
    world.admin.ok("POST", f"/teams/{team_id}/members", {"team_id": team_id, "user_id": world.cordelia.id})
    channel = new_channel(world.hamlet, team_id)
    posters = [world.hamlet, world.othello, world.iago]
    for api in posters[1:] + [world.cordelia]:
        api.ok("POST", f"/channels/{channel['id']}/members", {"user_id": api.id})
    everyone = posters * 8
    message = f"Words, words, words @{world.cordelia.username}"
    responses = at_once(
        everyone, lambda api: api.post("/posts", {"channel_id": channel["id"], "message": message})
    )

    sent = {r["id"] for r in all_succeed(responses)}
    listed = {p["id"] for p in channel_posts(world.hamlet, channel["id"]) if p["type"] == ""}
    assert listed == sent and len(sent) == len(everyone)
    assert world.hamlet.ok("GET", f"/channels/{channel['id']}")["total_msg_count"] == len(everyone)
    unread = world.cordelia.ok("GET", f"/users/me/channels/{channel['id']}/unread")
    assert (unread["msg_count"], unread["mention_count"]) == (len(everyone), len(everyone))
    # A poster has read everything up to their own last post, never more than the channel holds.
    for api in posters:
        mine = api.ok("GET", f"/users/me/channels/{channel['id']}/unread")
        assert 0 <= mine["msg_count"] < len(everyone)


def test_the_same_preference_saved_at_once_is_stored_once(world: World) -> None:
    user_id = world.hamlet.id
    items = [
        {"user_id": user_id, "category": "display_settings", "name": "use_military_time", "value": "true"},
        {"user_id": user_id, "category": "favorite_channel", "name": world.off_topic["id"], "value": "true"},
    ]
    responses = at_once([world.hamlet] * 16, lambda api: api.put(f"/users/{user_id}/preferences", items))

    all_succeed(responses)
    saved = world.hamlet.ok("GET", f"/users/{user_id}/preferences")
    keys = [(p["category"], p["name"]) for p in saved]
    assert keys.count(("display_settings", "use_military_time")) == 1
    assert keys.count(("favorite_channel", world.off_topic["id"])) == 1
    categories = world.hamlet.ok("GET", f"/users/{user_id}/teams/{world.team['id']}/channels/categories")
    placed = [cid for c in categories["categories"] for cid in c["channel_ids"]]
    assert placed.count(world.off_topic["id"]) == 1
    favorites = next(c for c in categories["categories"] if c["type"] == "favorites")
    assert world.off_topic["id"] in favorites["channel_ids"]


def _assert_one_sidebar(categories: list[dict[str, Any]], custom: int) -> None:
    kinds = Counter(c["type"] for c in categories)
    assert kinds == Counter(favorites=1, channels=1, direct_messages=1, custom=custom), kinds
    placed = [cid for c in categories for cid in c["channel_ids"]]
    assert len(placed) == len(set(placed)), placed


def test_a_sidebar_read_or_categories_created_at_once_keep_one_of_each(world: World) -> None:
    team_id = world.team["id"]
    path = f"/users/{world.othello.id}/teams/{team_id}/channels/categories"
    responses = at_once([world.othello] * 12, lambda api: api.get(path))
    for body in all_succeed(responses):
        _assert_one_sidebar(body["categories"], 0)

    path = f"/users/{world.iago.id}/teams/{team_id}/channels/categories"
    next_number = one_each(list(range(12)))

    def create(api: API) -> httpx.Response:
        n = next_number()
        body = {"user_id": api.id, "team_id": team_id, "display_name": f"Plays {n}", "type": "custom"}
        if n % 2:
            body["channel_ids"] = [world.off_topic["id"]]
        return api.post(path, body)

    created = all_succeed(at_once([world.iago] * 12, create))
    assert len({c["id"] for c in created}) == 12
    _assert_one_sidebar(world.iago.ok("GET", path)["categories"], 12)


@pytest.fixture(scope="module")
def two_processes() -> Iterator[tuple[ServerProcess, ServerProcess]]:
    """Two server processes on one new, empty PostgreSQL database, started at the same time."""
    with running_servers("postgresql", 2, with_admin=False, together=True) as (a, b):
        yield a, b


def _found(a: ServerProcess, b: ServerProcess) -> API:
    """Founders open the setup link on both processes at once: one of them becomes the admin."""
    # Each process prints the link as it starts; both print the same one.
    tokens = {server.log().split("/setup/")[1].split()[0] for server in (a, b)}
    assert len(tokens) == 1
    token = tokens.pop()
    founders = one_each([unique("founder") for _ in range(16)])

    def found(api: API) -> httpx.Response:
        fields = {"username": founders(), "email": f"{unique('f')}@example.org", "password": PASSWORD}
        return api.post(f"/users?setup_token={token}", fields)

    responses = at_once([API(a.url), API(b.url)] * 8, found)
    founder = one_winner(responses, 201, 403, "api.context.permissions.app_error").json()
    assert "system_admin" in founder["roles"]
    return login(a.url, founder["username"])


def test_two_processes_on_one_database_let_one_writer_win(
    two_processes: tuple[ServerProcess, ServerProcess],
) -> None:
    a, b = two_processes
    admin_a = _found(a, b)
    admin_b = API(b.url, admin_a.token, admin_a.user)
    both = [admin_a, admin_b] * 12

    team_name = unique("elsinore-")
    team_body = {"name": team_name, "display_name": "Elsinore", "type": "O"}
    team = one_winner(
        at_once(both, lambda api: api.post("/teams", team_body)), 201, 400, "app.team.save.existing.app_error"
    ).json()

    name = unique("ramparts-")
    body = {"team_id": team["id"], "name": name, "display_name": "Ramparts", "type": "O"}
    one_winner(
        at_once(both, lambda api: api.post("/channels", body)),
        201,
        400,
        "store.sql_channel.save_channel.exists.app_error",
    )

    horatio = create_user(admin_a, "horatio")
    add = {"team_id": team["id"], "user_id": horatio.id}
    all_succeed(at_once(both, lambda api: api.post(f"/teams/{team['id']}/members", add)))
    town_square = admin_b.ok("GET", f"/teams/{team['id']}/channels/name/town-square")
    joins = [p for p in channel_posts(admin_b, town_square["id"]) if p["user_id"] == horatio.id]
    assert [p["type"] for p in joins] == ["system_join_team"]

    horatio_b = API(b.url, horatio.token, horatio.user)
    pair = [admin_a.id, horatio.id]
    opened = all_succeed(at_once([admin_a, horatio_b] * 8, lambda api: api.post("/channels/direct", pair)))
    assert len({c["id"] for c in opened}) == 1

    username = unique("fortinbras")

    def sign_up(api: API) -> httpx.Response:
        return api.post(
            "/users", {"username": username, "email": f"{unique('f')}@example.org", "password": PASSWORD}
        )

    one_winner(at_once(both, sign_up), 201, 400, "app.user.save.username_exists.app_error")
