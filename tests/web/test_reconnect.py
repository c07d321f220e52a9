"""The network drops under a reader and comes back: the client shows every message it missed,
once each, whether the server could replay the missed events or it must catch up over REST."""

import time
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.support.client import World, create_user, login
from tests.support.server import ADMIN_PASSWORD, ServerProcess, make_server
from tests.web.conftest import OpenPage, PageErrors, assert_no_server_errors, sign_in, sqlite_only
from tests.web.proxy import CuttableProxy
from tests.web.test_chat import message, post


def cut_and_restore(proxy: CuttableProxy, page: Page, while_away: Any) -> None:
    proxy.cut()
    expect(page.get_by_role("status").filter(has_text="Reconnecting")).to_be_visible()
    while_away()
    proxy.restore()
    expect(page.get_by_role("status").filter(has_text="Reconnecting")).to_have_count(0)


def othello_through(
    proxy: CuttableProxy, open_page: OpenPage, world: World, first: str
) -> tuple[Page, PageErrors]:
    """Othello in Town Square through the proxy, once Hamlet's `first` message has reached him."""
    othello, errors = open_page(base_url=proxy.url)
    sign_in(othello, world.othello.username, f"/{world.team['name']}/channels/town-square")
    post(world.hamlet, world.town_square, first)
    expect(message(othello, first)).to_be_visible()
    return othello, errors


def expect_once_each(page: Page, texts: list[str]) -> None:
    for text in texts:
        expect(message(page, text)).to_have_count(1)


@sqlite_only
def test_a_short_drop_resumes_the_socket_and_misses_nothing(
    open_page: OpenPage, server: ServerProcess, world: World
) -> None:
    proxy = CuttableProxy(server.port)
    try:
        othello, errors = othello_through(proxy, open_page, world, "before the drop")

        def while_away() -> None:
            post(world.hamlet, world.town_square, "during the drop 1")
            post(world.hamlet, world.town_square, "during the drop 2")

        cut_and_restore(proxy, othello, while_away)
        expect_once_each(othello, ["before the drop", "during the drop 1", "during the drop 2"])
        post(world.hamlet, world.town_square, "after the drop")
        expect_once_each(othello, ["during the drop 2", "after the drop"])
        assert [e for e in errors if "page error" in e] == []
    finally:
        proxy.close()


@sqlite_only
def test_a_socket_whose_handshake_never_ends_is_tried_again(
    open_page: OpenPage, server: ServerProcess, world: World
) -> None:
    """@mattermost/client pings a socket only once it is open; a handshake left unanswered kept
    the page without events, and without another try, until Chromium gave up after 4 minutes.
    The page now gives up on it after 15 s (web/src/api/socketOpening.ts)."""
    proxy = CuttableProxy(server.port)
    try:
        othello, errors = othello_through(proxy, open_page, world, "before the silence")
        proxy.cut()
        expect(othello.get_by_role("status").filter(has_text="Reconnecting")).to_be_visible()
        proxy.hold()
        # The client's next try gets as far as its handshake, and no further.
        deadline = time.monotonic() + 30
        while not any("/api/v4/websocket" in line for line in proxy.held):
            assert time.monotonic() < deadline, "the client never tried the socket again"
            othello.wait_for_timeout(100)
        proxy.restore()
        post(world.hamlet, world.town_square, "after the silence")
        # 15 s for the held handshake, 3 to 5 s before the next try, and a margin for a busy machine.
        expect(othello.get_by_role("status").filter(has_text="Reconnecting")).to_have_count(0, timeout=45_000)
        expect_once_each(othello, ["before the silence", "after the silence"])
        assert [e for e in errors if "page error" in e] == []
    finally:
        proxy.close()


@pytest.fixture(scope="module")
def forgetful_server() -> Iterator[ServerProcess]:
    """A server that keeps only a few missed events per dropped socket (the setting also bounds a
    live socket's queue, so not fewer), so a busy absence ends in a new connection and a
    catch-up over REST."""
    server = make_server("sqlite")
    server.env["VILLAGEPUMP_WEBSOCKET_RESUME_EVENTS"] = "3"
    created = server.cli(
        "user", "create", "--username", "sysadmin", "--email", "sysadmin@example.org",
        "--password", ADMIN_PASSWORD, "--system-admin",
    )  # fmt: skip
    assert created.returncode == 0, created.stderr
    server.start()
    yield server
    server.stop()
    assert_no_server_errors(server)


@sqlite_only
def test_after_a_long_drop_the_client_catches_up_over_rest(
    open_page: OpenPage, forgetful_server: ServerProcess
) -> None:
    admin = login(forgetful_server.url, "sysadmin", ADMIN_PASSWORD)
    team = admin.ok("POST", "/teams", {"name": "elsinore", "display_name": "Elsinore", "type": "O"})
    hamlet, othello_api = create_user(admin, "hamlet"), create_user(admin, "othello")
    for user in (hamlet, othello_api):
        admin.ok("POST", f"/teams/{team['id']}/members", {"team_id": team["id"], "user_id": user.id})
    town = hamlet.ok("GET", f"/teams/{team['id']}/channels/name/town-square")
    off_topic = hamlet.ok("GET", f"/teams/{team['id']}/channels/name/off-topic")
    proxy = CuttableProxy(forgetful_server.port)
    try:
        othello, errors = open_page(base_url=proxy.url)
        sign_in(othello, othello_api.username, "/elsinore/channels/town-square")
        first = post(hamlet, town, "the rest is silence")
        doomed = post(hamlet, town, "a message that will be taken back")
        expect(message(othello, doomed["message"])).to_be_visible()

        def while_away() -> None:
            # More events than the server keeps for a dropped socket.
            for n in range(3):
                post(hamlet, town, f"while you slept {n}")
            hamlet.ok("PUT", f"/posts/{first['id']}/patch", {"message": "the rest is silence, revised"})
            hamlet.ok("DELETE", f"/posts/{doomed['id']}")
            post(hamlet, off_topic, f"@{othello_api.username} look here")

        cut_and_restore(proxy, othello, while_away)
        expect_once_each(othello, [f"while you slept {n}" for n in range(3)])
        expect(message(othello, "the rest is silence, revised")).to_be_visible()
        expect(message(othello, doomed["message"])).to_have_count(0)
        off_topic_link = othello.locator(".channel-link", has_text="Off-Topic")
        expect(off_topic_link.locator(".badge")).to_have_text("1")

        post(hamlet, town, "good morning again")
        expect_once_each(othello, ["good morning again", "while you slept 2"])
        assert [e for e in errors if "page error" in e] == []
    finally:
        proxy.close()
