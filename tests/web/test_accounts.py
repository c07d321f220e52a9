"""Accounts in a real browser: where one is signed in, signing the other devices out, and
guests marked as guests wherever they appear."""

from playwright.sync_api import expect

from tests.support.client import World, create_user, expect_error, login
from tests.web.conftest import OpenPage, sign_in, sqlite_only


@sqlite_only
def test_sessions_and_the_guest_badge(open_page: OpenPage, world: World) -> None:
    admin, team, town_square = world.admin, world.team, world.town_square
    admin.ok("PUT", "/config/patch", {"GuestAccountsSettings": {"Enable": True}})
    try:
        guest = create_user(admin, "fortinbras")
        admin.ok("POST", f"/users/{guest.id}/demote")
        admin.ok("POST", f"/teams/{team['id']}/members", {"team_id": team["id"], "user_id": guest.id})
        admin.ok("POST", f"/channels/{town_square['id']}/members", {"user_id": guest.id})
        guest = login(guest.base_url, guest.username)
        guest.ok("POST", "/posts", {"channel_id": town_square["id"], "message": "Go, bid the soldiers shoot"})
        elsewhere = login(world.hamlet.base_url, world.hamlet.username)

        page, errors = open_page()
        sign_in(page, world.hamlet.username, f"/{team['name']}/channels/town-square")
        said = page.locator(".post-list article.post", has_text="Go, bid the soldiers shoot")
        expect(said.locator(".guest-badge")).to_have_text("Guest")
        said.locator(".post-author").click()
        card = page.get_by_role("dialog", name=f"Profile of @{guest.username}")
        expect(card.locator(".guest-badge")).to_have_text("Guest")
        page.keyboard.press("Escape")

        page.locator(".user-menu-button").click()
        page.get_by_role("menuitem", name="Profile and settings").click()
        page.get_by_role("tab", name="Security").click()
        sessions = page.get_by_role("list", name="Where you are signed in").get_by_role("listitem")
        # This browser's, the fixture's API client's and one more: this device first.
        expect(sessions).to_have_count(3)
        expect(sessions.first).to_contain_text("This device")
        expect(sessions.first).to_contain_text("Chrome")
        expect(sessions.first).to_contain_text("Last active")
        page.get_by_role("button", name="Sign out all other devices").click()
        expect(sessions).to_have_count(1)
        expect(sessions.first).to_contain_text("This device")
        expect_error(elsewhere.get("/users/me"), 401, "api.context.session_expired.app_error")
        assert errors == []
    finally:
        admin.ok("PUT", "/config/patch", {"GuestAccountsSettings": {"Enable": False}})
