"""Security keys in a real browser, with Chromium's virtual authenticator (over the DevTools
protocol): Hamlet adds a passkey in the security settings, signs out, and signs in with it."""

from playwright.sync_api import Page, expect

from tests.support.client import PASSWORD, create_user, login
from tests.support.server import ADMIN_PASSWORD, running_servers
from tests.web.conftest import OpenPage, sqlite_only
from tests.web.test_accessibility import serious_violations, with_axe
from tests.web.test_mfa import sign_out
from tests.web.test_settings import open_settings


def add_virtual_authenticator(page: Page) -> None:
    """A platform authenticator that holds passkeys and verifies its user at once."""
    devtools = page.context.new_cdp_session(page)
    devtools.send("WebAuthn.enable")
    options = {
        "protocol": "ctap2",
        "transport": "internal",
        "hasResidentKey": True,
        "hasUserVerification": True,
        "isUserVerified": True,
    }
    devtools.send("WebAuthn.addVirtualAuthenticator", {"options": options})


@sqlite_only
def test_hamlet_adds_a_passkey_and_signs_in_with_it(open_page: OpenPage) -> None:
    # WebAuthn needs a secure context, which http://localhost is (127.0.0.1 is too, but the
    # relying party id must be a domain name): the site URL and the page both say localhost.
    with running_servers("sqlite") as (server,):
        site = f"http://localhost:{server.port}"
        admin = login(server.url, "sysadmin", ADMIN_PASSWORD)
        admin.ok("PUT", "/config/patch", {"ServiceSettings": {"SiteURL": site}})
        team = admin.ok("POST", "/teams", {"name": "elsinore", "display_name": "Elsinore", "type": "O"})
        hamlet = create_user(admin, "hamlet")
        admin.ok("POST", f"/teams/{team['id']}/members", {"team_id": team["id"], "user_id": hamlet.id})

        page, errors = open_page(base_url=site)
        with_axe(page)
        add_virtual_authenticator(page)
        page.goto("/elsinore/channels/town-square")
        page.fill("#login-id", hamlet.username)
        page.fill("#login-password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_selector(".composer textarea")

        open_settings(page, "Security")
        expect(page.get_by_role("heading", name="Security keys and passkeys")).to_be_visible()
        page.fill("#key-name", "Laptop")
        page.get_by_role("button", name="Add security key").click()
        # The first second factor: the recovery codes, shown once.
        codes = page.get_by_role("list", name="Your recovery codes").get_by_role("listitem")
        expect(codes).to_have_count(10)
        page.get_by_role("button", name="Done").click()
        keys = page.get_by_role("list", name="Security keys and passkeys").get_by_role("listitem")
        expect(keys).to_have_count(1)
        expect(keys.first).to_contain_text("Laptop")
        expect(keys.first).to_contain_text("not used yet")
        expect(page.get_by_text("Two-factor authentication is on.")).to_be_visible()
        assert serious_violations(page) == []
        page.keyboard.press("Escape")

        sign_out(page)
        page.fill("#login-id", hamlet.username)
        page.fill("#login-password", PASSWORD)
        page.click("button[type=submit]")
        expect(page.locator("#login-code")).to_be_visible()
        assert serious_violations(page) == []
        page.get_by_role("button", name="Use a security key or passkey").click()
        page.wait_for_selector(".composer textarea")
        listed = hamlet.ok("GET", "/villagepump/webauthn/keys")
        assert [key["name"] for key in listed] == ["Laptop"] and listed[0]["last_used_at"] > 0

        # Removing it takes the password; with it gone, two-factor authentication is off.
        open_settings(page, "Security")
        page.get_by_role("button", name="Remove Laptop").click()
        page.fill("#key-remove-password", PASSWORD)
        page.get_by_role("form", name="Remove Laptop").get_by_role("button", name="Remove Laptop").click()
        expect(page.get_by_text("Two-factor authentication is off.")).to_be_visible()
        assert hamlet.ok("GET", "/villagepump/webauthn/keys") == []
        assert errors == []
