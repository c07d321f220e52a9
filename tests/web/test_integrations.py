"""Integrations in a real browser: a webhook's post shows its own name only with a "Webhook"
mark, and a team admin makes an incoming webhook from the Integrations dialog."""

import httpx
from playwright.sync_api import expect

from tests.support.client import World
from tests.web.conftest import OpenPage, sign_in, sqlite_only
from tests.web.test_accessibility import serious_violations, with_axe
from tests.web.test_chat import message


@sqlite_only
def test_a_webhooks_post_is_marked_and_a_team_admin_makes_a_hook(open_page: OpenPage, world: World) -> None:
    team = world.team["name"]
    settings = {"ServiceSettings": {"EnablePostUsernameOverride": True}}
    world.admin.ok("PUT", "/config/patch", settings)
    try:
        hook = world.iago.ok("POST", "/hooks/incoming", {"channel_id": world.town_square["id"]})
        sent = httpx.post(
            f"{world.iago.base_url}/hooks/{hook['id']}",
            json={"text": "deploy finished", "username": "Hamlet"},
        )
        assert sent.status_code == 200
        iago, errors = open_page()
        with_axe(iago)
        sign_in(iago, world.iago.username, f"/{team}/channels/town-square")
        posted = message(iago, "deploy finished")
        expect(posted.locator(".post-author")).to_have_text("Hamlet")
        expect(posted.locator(".integration-badge")).to_have_text("Webhook")

        iago.locator(".user-menu-button").click()
        iago.get_by_role("menuitem", name="Integrations").click()
        dialog = iago.get_by_role("dialog", name="Integrations")
        expect(dialog.get_by_text(f"/hooks/{hook['id']}")).to_be_visible()
        assert serious_violations(iago) == [], "integrations dialog"
        dialog.get_by_label("Name").first.fill("Alerts")
        dialog.get_by_role("button", name="Add incoming webhook").click()
        expect(dialog.get_by_text("Alerts")).to_be_visible()
        assert errors == []
    finally:
        world.admin.ok("PUT", "/config/patch", {"ServiceSettings": {"EnablePostUsernameOverride": False}})
    hooks = world.iago.ok("GET", f"/hooks/incoming?team_id={world.team['id']}")
    assert sorted(h["display_name"] for h in hooks) == ["", "Alerts"]
