"""Two-factor authentication in a real browser: Hamlet turns it on from the settings (QR code,
key, a code, the ten recovery codes), then signs in with a code, and with a recovery code."""

import time

import pyotp
from playwright.sync_api import Page, expect

from tests.support.client import PASSWORD, World
from tests.support.server import ADMIN_PASSWORD, running_servers
from tests.web.conftest import OpenPage, sign_in, sqlite_only
from tests.web.test_accessibility import serious_violations, with_axe
from tests.web.test_settings import open_settings


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.locator("#login-id")).to_be_visible()


def sign_in_with_code(page: Page, username: str, code: str) -> None:
    page.fill("#login-id", username)
    page.fill("#login-password", PASSWORD)
    page.click("button[type=submit]")
    page.fill("#login-code", code)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_selector(".composer textarea, #team-display-name")


@sqlite_only
def test_hamlet_turns_on_two_factor_then_signs_in_with_a_code_and_a_recovery_code(
    open_page: OpenPage, world: World
) -> None:
    page, errors = open_page()
    with_axe(page)
    sign_in(page, world.hamlet.username, f"/{world.team['name']}/channels/town-square")
    open_settings(page, "Security")
    expect(page.get_by_text("Two-factor authentication is off.")).to_be_visible()
    page.get_by_role("button", name="Set up two-factor authentication").click()
    qr = page.get_by_role("img", name="QR code to scan with your authenticator app")
    expect(qr).to_be_visible()
    page.wait_for_function("document.querySelector('.mfa-qr').naturalWidth > 0")
    secret = page.get_by_test_id("mfa-secret").inner_text()
    totp = pyotp.TOTP(secret)
    assert serious_violations(page) == []

    page.fill("#mfa-code", "000000" if totp.now() != "000000" else "111111")
    page.get_by_role("button", name="Turn on", exact=True).click()
    expect(page.get_by_role("alert")).to_have_text("Invalid MFA token.")
    page.fill("#mfa-code", totp.now())
    page.get_by_role("button", name="Turn on", exact=True).click()
    codes = page.get_by_role("list", name="Your recovery codes").get_by_role("listitem")
    expect(codes).to_have_count(10)
    recovery_codes = codes.all_inner_texts()
    assert serious_violations(page) == []
    expect(page.get_by_role("link", name="Download codes")).to_have_attribute(
        "download", "recovery-codes.txt"
    )
    page.get_by_role("button", name="Done").click()
    expect(page.get_by_text("Two-factor authentication is on.")).to_be_visible()
    assert world.hamlet.ok("GET", "/users/me")["mfa_active"] is True
    page.keyboard.press("Escape")

    # The code that turned it on was used; the next one signs in.
    sign_out(page)
    sign_in_with_code(page, world.hamlet.username, totp.at(time.time() + 30))
    sign_out(page)
    sign_in_with_code(page, world.hamlet.username, recovery_codes[0].strip())
    # A recovery code works once.
    sign_out(page)
    page.fill("#login-id", world.hamlet.username)
    page.fill("#login-password", PASSWORD)
    page.click("button[type=submit]")
    page.fill("#login-code", recovery_codes[0].strip())
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_have_text("Invalid MFA token.")
    assert serious_violations(page) == []
    assert errors == []


@sqlite_only
def test_when_the_server_requires_it_the_admin_enrols_before_anything_else(open_page: OpenPage) -> None:
    with running_servers("sqlite", env={"VILLAGEPUMP_ENFORCE_MFA": "true"}) as (server,):
        page, errors = open_page(base_url=server.url)
        page.goto("/")
        page.fill("#login-id", "sysadmin")
        page.fill("#login-password", ADMIN_PASSWORD)
        page.click("button[type=submit]")
        expect(page.get_by_role("heading", name="Set up two-factor authentication")).to_be_visible()
        expect(page.get_by_role("status")).to_have_text(
            "This server requires two-factor authentication. Turn it on to carry on."
        )
        page.get_by_role("button", name="Set up two-factor authentication").click()
        secret = page.get_by_test_id("mfa-secret").inner_text()
        page.fill("#mfa-code", pyotp.TOTP(secret).now())
        page.get_by_role("button", name="Turn on", exact=True).click()
        expect(page.get_by_role("list", name="Your recovery codes").get_by_role("listitem")).to_have_count(10)
        page.get_by_role("button", name="Done").click()
        # Enrolled: the app opens (an admin without a team is offered to create one), and stays
        # open after a reload.
        page.wait_for_selector("#team-display-name")
        page.reload()
        page.wait_for_selector("#team-display-name")
        assert errors == []
