"""Integrations from the shell (`villagepump bot`, `webhook`, `command`): made as the user named
by --as, with that user's rights, and usable at once through the API."""

import httpx

from tests.api.test_bots import bots_on  # noqa: F401 - a fixture
from tests.support.client import API, World, unique
from tests.support.server import ServerProcess


def test_a_bot_made_from_the_shell_acts_with_its_printed_token(
    world: World,
    server: ServerProcess,
    bots_on: None,  # noqa: F811
) -> None:
    name = unique("relay-")
    made = server.cli("bot", "create", name, "--as", "sysadmin", "--description", "relays IRC")
    assert made.returncode == 0, made.stderr
    token = made.stdout.split("Access token: ")[1].strip()
    bot = API(server.url, token)
    me = bot.ok("GET", "/users/me")
    assert me["username"] == name and me["is_bot"] is True
    listed = server.cli("bot", "list")
    assert f"{name}\t{me['id']}" in listed.stdout and "relays IRC" in listed.stdout
    # an ordinary member may not make bots
    refused = server.cli("bot", "create", unique("relay-"), "--as", world.hamlet.username)
    assert refused.returncode != 0 and "error:" in refused.stderr


def test_an_incoming_webhook_made_from_the_shell_posts_and_is_deleted_by_a_team_admin_only(
    world: World, server: ServerProcess
) -> None:
    team, channel = world.team["name"], world.off_topic["name"]
    refused = server.cli(
        "webhook", "create-incoming", "--as", world.cordelia.username, "--team", team, "--channel", channel
    )
    assert refused.returncode != 0
    made = server.cli(
        "webhook", "create-incoming", "--as", world.iago.username, "--team", team, "--channel", channel
    )
    assert made.returncode == 0, made.stderr
    url = made.stdout.rsplit(": ", 1)[1].strip()
    hook_id = url.rsplit("/", 1)[1]
    assert httpx.post(server.url + f"/hooks/{hook_id}", json={"text": "from the shell"}).text == "ok"
    posts = world.iago.ok("GET", f"/channels/{world.off_topic['id']}/posts")["posts"]
    assert any(p["message"] == "from the shell" for p in posts.values())
    assert f"incoming\t{hook_id}\t{world.off_topic['id']}" in server.cli("webhook", "list").stdout
    assert server.cli("webhook", "delete", hook_id, "--as", world.hamlet.username).returncode != 0
    deleted = server.cli("webhook", "delete", hook_id, "--as", world.iago.username)
    assert deleted.returncode == 0, deleted.stderr
    assert httpx.post(server.url + f"/hooks/{hook_id}", json={"text": "gone"}).status_code >= 400
    assert hook_id not in server.cli("webhook", "list").stdout


def test_a_teams_custom_commands_are_listed(world: World, server: ServerProcess) -> None:
    trigger = unique("weather")
    body = {
        "team_id": world.team["id"],
        "trigger": trigger,
        "url": "https://example.org/weather",
        "method": "P",
    }
    made = world.iago.ok("POST", "/commands", body, status=201)
    listed = server.cli("command", "list", "--team", world.team["name"])
    assert listed.returncode == 0, listed.stderr
    assert f"/{trigger}\t{made['id']}\tP https://example.org/weather" in listed.stdout
    assert server.cli("command", "list", "--team", "no-such-team").returncode != 0
