"""Users are told how long messages are kept: the channel header shows the policy that applies
(the channel's own, else its team's, else the global one)."""

from playwright.sync_api import expect

from tests.support.client import World
from tests.web.conftest import OpenPage, sign_in, sqlite_only


@sqlite_only
def test_the_channel_header_says_when_messages_are_deleted(open_page: OpenPage, world: World) -> None:
    admin, team = world.admin, world.team["name"]
    policy = admin.ok(
        "POST",
        "/data_retention/policies",
        {"display_name": "Short talk", "post_duration": 7, "channel_ids": [world.off_topic["id"]]},
        status=201,
    )
    admin.ok("PUT", "/config/patch", {"DataRetentionSettings": {"EnableMessageDeletion": True}})
    try:
        page, errors = open_page()
        sign_in(page, world.hamlet.username, f"/{team}/channels/town-square")
        notice = page.locator(".channel-header .retention-notice")
        expect(notice).to_have_text("Messages here are deleted after 90 days")
        page.locator(".channel-item", has_text="Off-Topic").click()
        expect(page.locator("#channel-title")).to_have_text("Off-Topic")
        expect(notice).to_have_text("Messages here are deleted after 7 days")
        assert errors == []
    finally:
        admin.ok("PUT", "/config/patch", {"DataRetentionSettings": {"EnableMessageDeletion": False}})
        admin.ok("DELETE", f"/data_retention/policies/{policy['id']}")
