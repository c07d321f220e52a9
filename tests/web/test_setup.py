"""A brand-new server: the first admin is made from the one-time link in the browser, creates
the first team and lands in its Town Square."""

import re
import time
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from tests.support.server import ServerProcess, make_server
from tests.web.conftest import OpenPage, assert_no_server_errors, sqlite_only


@pytest.fixture(scope="module")
def empty_server() -> Iterator[ServerProcess]:
    server = make_server("sqlite")
    server.start()
    yield server
    server.stop()
    assert_no_server_errors(server)


def setup_link(server: ServerProcess) -> str:
    deadline = time.monotonic() + 10
    while "/setup/" not in server.log() and time.monotonic() < deadline:
        time.sleep(0.05)
    return "/setup/" + server.log().split("/setup/")[1].split()[0]


@sqlite_only
def test_the_first_admin_sets_up_the_server_and_a_team(
    open_page: OpenPage, empty_server: ServerProcess
) -> None:
    page, errors = open_page(base_url=empty_server.url)
    page.goto(setup_link(empty_server))
    page.get_by_label("Username").fill("Founder")
    page.get_by_label("E-mail").fill("founder@example.org")
    page.get_by_label("Password (at least 8 characters)").fill("short")
    page.get_by_role("button", name="Create administrator").click()
    # The browser's own check stops a short password before the server is asked.
    assert page.get_by_label("Password (at least 8 characters)").evaluate("input => input.validity.tooShort")
    page.get_by_label("Password (at least 8 characters)").fill("founder-password")
    page.get_by_role("button", name="Create administrator").click()

    expect(page.get_by_text("You are not in any team yet.")).to_be_visible()
    page.get_by_label("Team name").fill("Globe Théâtre")
    expect(page.get_by_text(re.compile(r"/globe-theatre$"))).to_be_visible()
    page.get_by_role("button", name="Create team").click()
    expect(page).to_have_url(re.compile(r"/globe-theatre/channels/town-square$"))
    expect(page.locator("#channel-title")).to_have_text("Town Square")
    expect(page.locator(".team-name")).to_have_text("Globe Théâtre")

    assert errors == []

    # The link works once: a second visitor cannot make another admin with it.
    intruder, _ = open_page(base_url=empty_server.url)
    intruder.goto(setup_link(empty_server))
    intruder.get_by_label("Username").fill("intruder")
    intruder.get_by_label("E-mail").fill("intruder@example.org")
    intruder.get_by_label("Password (at least 8 characters)").fill("intruder-password")
    intruder.get_by_role("button", name="Create administrator").click()
    expect(intruder.get_by_role("alert")).to_be_visible()
    expect(intruder.locator("#setup-username")).to_be_visible()
