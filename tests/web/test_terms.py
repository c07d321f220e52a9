"""The terms of service in a real browser: Hamlet must answer them after signing in; declining
signs him out, accepting lets him in, and a new version brings the screen back."""

from playwright.sync_api import expect

from tests.api.test_terms_of_service import publish, terms_enforced
from tests.support.client import PASSWORD, World
from tests.web.conftest import OpenPage, sqlite_only
from tests.web.test_accessibility import serious_violations, with_axe


@sqlite_only
def test_hamlet_declines_then_accepts_the_terms_and_meets_a_new_version(
    open_page: OpenPage, world: World
) -> None:
    publish(world.admin, "# Code of conduct\n\nBe **kind**, including in direct messages.")
    with terms_enforced(world.admin):
        page, errors = open_page()
        with_axe(page)
        page.goto(f"/{world.team['name']}/channels/town-square")
        page.fill("#login-id", world.hamlet.username)
        page.fill("#login-password", PASSWORD)
        page.click("button[type=submit]")
        expect(page.get_by_role("heading", name="Terms of service")).to_be_visible()
        terms = page.get_by_role("region", name="Terms of service")
        expect(terms.get_by_role("heading", name="Code of conduct")).to_be_visible()
        expect(terms.locator("strong")).to_have_text("kind")
        assert serious_violations(page) == []
        page.get_by_role("button", name="Decline and sign out").click()
        expect(page.locator("#login-id")).to_be_visible()

        page.fill("#login-id", world.hamlet.username)
        page.fill("#login-password", PASSWORD)
        page.click("button[type=submit]")
        page.get_by_role("button", name="I accept").click()
        expect(page.locator(".composer textarea")).to_be_visible()

        # A new version closes the socket; the client finds the terms waiting and shows them.
        publish(world.admin, "# Code of conduct, second edition\n\nNo spam.")
        expect(page.get_by_role("heading", name="Code of conduct, second edition")).to_be_visible()
        page.get_by_role("button", name="I accept").click()
        expect(page.locator(".composer textarea")).to_be_visible()
        assert errors == []
