"""Forgot password: the reset link is asked for from the sign-in page, arrives by mail (a real
SMTP server on loopback), and its page sets a new password that then signs in."""

from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from tests.support.client import API, create_user, login, unique
from tests.support.mail import Mailbox, link_in, running_mailbox
from tests.support.server import ADMIN_PASSWORD, ServerProcess, running_servers
from tests.web.conftest import OpenPage, sqlite_only


@pytest.fixture(scope="module")
def mailing_server() -> Iterator[tuple[ServerProcess, Mailbox]]:
    with running_mailbox() as mailbox, running_servers("sqlite") as (server,):
        admin = login(server.url, "sysadmin", ADMIN_PASSWORD)
        admin.ok(
            "PUT",
            "/config/patch",
            {"ServiceSettings": {"SiteURL": server.url}, "EmailSettings": mailbox.settings()},
        )
        yield server, mailbox


def member(server: ServerProcess) -> API:
    admin = login(server.url, "sysadmin", ADMIN_PASSWORD)
    team = admin.ok("POST", "/teams", {"name": unique("globe-"), "display_name": "Globe", "type": "O"})
    user = create_user(admin, "viola")
    admin.ok("POST", f"/teams/{team['id']}/members", {"team_id": team["id"], "user_id": user.id})
    return user


@sqlite_only
def test_a_forgotten_password_is_reset_from_the_mail_and_signs_in(
    open_page: OpenPage, mailing_server: tuple[ServerProcess, Mailbox]
) -> None:
    server, mailbox = mailing_server
    viola = member(server)
    email = f"{viola.username}@example.org"
    page, errors = open_page(base_url=server.url)
    page.goto("/login")
    page.get_by_role("link", name="Forgot your password?").click()
    expect(page).to_have_url(f"{server.url}/reset_password")
    page.get_by_label("E-mail").fill(email)
    page.get_by_role("button", name="Send reset link").click()
    expect(page.get_by_role("status")).to_contain_text(email)

    page.goto(link_in(mailbox.wait_for(email)))
    page.get_by_label("New password", exact=True).fill("twelfth-night")
    page.get_by_label("New password, again").fill("twelfth-nite")
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_role("alert")).to_have_text("The two passwords are not the same.")
    page.get_by_label("New password, again").fill("twelfth-night")
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_role("status")).to_contain_text("Your password has been changed")
    # The old session is over.
    assert viola.get("/users/me").status_code == 401

    page.get_by_role("link", name="Back to sign in").click()
    page.fill("#login-id", viola.username)
    page.fill("#login-password", "twelfth-night")
    page.click("button[type=submit]")
    page.wait_for_selector(".composer textarea, #team-display-name")
    assert errors == []
