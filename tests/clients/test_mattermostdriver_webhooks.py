"""mattermostdriver, as integrations use it: a team admin makes an incoming webhook with the
driver's webhooks endpoint, then the driver's call_webhook posts through it."""

from typing import Any

from tests.clients.test_mattermostdriver import make_driver
from tests.support.client import World
from tests.support.server import ServerProcess


def test_mattermostdriver_creates_and_calls_an_incoming_webhook(server: ServerProcess, world: World) -> None:
    driver = make_driver(server, world.iago.username)
    try:
        hook: dict[str, Any] = driver.webhooks.create_incoming_hook(
            {
                "channel_id": world.town_square["id"],
                "display_name": "alerts",
                "description": "from the driver",
            }
        )
        assert hook["channel_id"] == world.town_square["id"] and hook["user_id"] == world.iago.id
        listed = driver.webhooks.list_incoming_hooks({"team_id": world.team["id"]})
        assert [h["id"] for h in listed] == [hook["id"]]
        response = driver.webhooks.call_webhook(
            hook["id"], {"text": "disk full on db1", "props": {"severity": 2}}
        )
        assert response.status_code == 200 and response.text == "ok"
    finally:
        driver.logout()
    listing = world.hamlet.ok("GET", f"/channels/{world.town_square['id']}/posts")
    latest = listing["posts"][listing["order"][0]]
    assert latest["message"] == "disk full on db1"
    assert latest["props"] == {"from_webhook": "true", "webhook_display_name": "alerts", "severity": 2}
