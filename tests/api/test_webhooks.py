"""Incoming and outgoing webhooks, through the API and the hook URL, as integrations use them."""

import json
import urllib.parse
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.api.test_posts import post, private_channel
from tests.support.client import API, World, expect_error, unique
from tests.support.hook_receiver import HookReceiver, allowed_receiver


@pytest.fixture
def receiver(admin: API) -> Iterator[HookReceiver]:
    with allowed_receiver(admin) as hook_receiver:
        yield hook_receiver


@pytest.fixture
def overrides(admin: API) -> Iterator[None]:
    on = {"EnablePostUsernameOverride": True, "EnablePostIconOverride": True}
    admin.ok("PUT", "/config/patch", {"ServiceSettings": on})
    yield
    admin.ok("PUT", "/config/patch", {"ServiceSettings": {key: False for key in on}})


def incoming_hook(api: API, channel: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return api.ok("POST", "/hooks/incoming", {"channel_id": channel["id"], "display_name": "CI", **fields})  # type: ignore[no-any-return]


def send(api: API, hook: dict[str, Any], body: Any = None, **kwargs: Any) -> httpx.Response:
    return httpx.post(f"{api.base_url}/hooks/{hook['id']}", json=body, timeout=30, **kwargs)


def posts_in(api: API, channel: dict[str, Any]) -> list[dict[str, Any]]:
    listing = api.ok("GET", f"/channels/{channel['id']}/posts")
    return [listing["posts"][post_id] for post_id in listing["order"]]


def test_an_incoming_webhook_posts_marked_as_from_a_webhook(world: World) -> None:
    hook = incoming_hook(world.iago, world.town_square, username="ci-bot")
    assert hook["user_id"] == world.iago.id and hook["team_id"] == world.team["id"]
    stream = world.hamlet.websocket()
    try:
        response = send(
            world.iago, hook, {"text": "build *passed*", "username": "Impostor", "props": {"ci": 1}}
        )
        assert response.status_code == 200 and response.text == "ok"
        posted = json.loads(stream.expect("posted")["data"]["post"])
    finally:
        stream.close()
    assert posted["message"] == "build *passed*" and posted["user_id"] == world.iago.id
    # Overrides are off by default: no other name, but the post is still marked.
    assert posted["props"] == {"from_webhook": "true", "webhook_display_name": "CI", "ci": 1}


def test_username_and_icon_override_when_the_admin_allows_them(world: World, overrides: None) -> None:
    hook = incoming_hook(
        world.iago, world.town_square, username="ci-bot", icon_url="https://example.org/ci.png"
    )
    send(world.iago, hook, {"text": "with the hook's name"}).raise_for_status()
    send(
        world.iago,
        hook,
        {"text": "with its own", "username": "deploy", "icon_url": "https://example.org/d.png"},
    )
    first, second = posts_in(world.hamlet, world.town_square)[1::-1]
    assert first["props"]["override_username"] == "ci-bot"
    assert first["props"]["override_icon_url"] == "https://example.org/ci.png"
    assert second["props"]["override_username"] == "deploy" and second["props"]["from_webhook"] == "true"
    client = world.hamlet.ok("GET", "/config/client?format=old")
    assert client["EnablePostUsernameOverride"] == "true" and client["EnableIncomingWebhooks"] == "true"


def test_slack_payloads_channels_by_name_and_direct_messages(world: World) -> None:
    hook = incoming_hook(world.iago, world.town_square)
    slack = {"text": "see <https://example.org/x|the report> <!channel>", "channel": "off-topic"}
    form = urllib.parse.urlencode({"payload": json.dumps(slack)})
    response = httpx.post(
        f"{world.iago.base_url}/hooks/{hook['id']}",
        content=form,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 200, response.text
    latest = posts_in(world.iago, world.off_topic)[0]
    assert latest["message"] == "see [the report](https://example.org/x) @channel"
    attachments = [{"fallback": "f", "text": "attached", "color": "#ff0000"}]
    response = send(world.iago, hook, {"attachments": attachments, "channel": "@" + world.othello.username})
    assert response.status_code == 200, response.text
    direct = world.othello.ok("POST", "/channels/direct", [world.othello.id, world.iago.id])
    assert direct["type"] == "D"
    message = posts_in(world.othello, direct)[0]
    assert message["props"]["attachments"] == attachments and message["props"]["from_webhook"] == "true"


def test_a_hook_posts_in_any_public_channel_of_its_team_but_a_private_one_needs_its_creator(
    world: World,
) -> None:
    # As in Mattermost: Matterbridge's webhook mode posts wherever it relays, and its hook's
    # maker is rarely in every channel.
    public = world.hamlet.ok(
        "POST",
        "/channels",
        {"team_id": world.team["id"], "name": unique("bridged-"), "display_name": "Bridged", "type": "O"},
    )
    secret = private_channel(world, world.hamlet)
    hook = incoming_hook(world.iago, world.town_square)
    response = send(world.iago, hook, {"text": "from IRC", "channel": public["name"]})
    assert response.status_code == 200, response.text
    latest = posts_in(world.hamlet, public)[0]
    assert latest["message"] == "from IRC" and latest["user_id"] == world.iago.id
    assert latest["props"]["from_webhook"] == "true"
    # Posting did not make the hook's maker a member.
    expect_error(
        world.iago.request("GET", f"/channels/{public['id']}/members/{world.iago.id}"),
        404,
        "app.channel.get_member.missing.app_error",
    )
    before = posts_in(world.hamlet, secret)
    refused = send(world.iago, hook, {"text": "into the secret", "channel": secret["name"]})
    expect_error(refused, 403, "web.incoming_webhook.permissions.app_error")
    assert posts_in(world.hamlet, secret) == before


def test_bad_requests_to_a_hook_get_mattermost_errors_and_write_nothing(world: World) -> None:
    hook = incoming_hook(world.iago, world.town_square, channel_locked=True)
    before = len(posts_in(world.iago, world.town_square))
    for body in (
        {"text": 5},
        {"text": "x", "props": []},
        {"text": "x", "attachments": {}},
        {"text": "x", "type": "system_join_channel"},
        ["text"],
    ):
        expect_error(send(world.iago, hook, body), 400, "api.webhook.incoming.error")
    expect_error(
        send(world.iago, hook, content=b"{not json", headers={"Content-Type": "application/json"}),
        400,
        "api.webhook.incoming.error",
    )
    huge = b'{"text": "' + b"a" * (10 * 1024 * 1024) + b'"}'
    expect_error(send(world.iago, hook, content=huge), 400, "api.webhook.incoming.error")
    expect_error(send(world.iago, hook, {"text": "  "}), 400, "web.incoming_webhook.text.app_error")
    expect_error(
        send(world.iago, hook, {"text": "x", "channel": "nowhere"}),
        404,
        "web.incoming_webhook.channel.app_error",
    )
    expect_error(
        send(world.iago, hook, {"text": "x", "channel": "off-topic"}),
        403,
        "web.incoming_webhook.channel_locked.app_error",
    )
    expect_error(
        send(world.iago, hook, {"text": "x", "channel": "@nobody-here"}),
        400,
        "web.incoming_webhook.user.app_error",
    )
    expect_error(
        send(world.iago, {"id": "x" * 26}, {"text": "x"}), 400, "web.incoming_webhook.invalid.app_error"
    )
    world.admin.ok("PUT", "/config/patch", {"ServiceSettings": {"EnableIncomingWebhooks": False}})
    try:
        expect_error(send(world.iago, hook, {"text": "x"}), 501, "web.incoming_webhook.disabled.app_error")
        expect_error(
            world.iago.get("/hooks/incoming?team_id=" + world.team["id"]),
            501,
            "api.incoming_webhook.disabled.app_error",
        )
    finally:
        world.admin.ok("PUT", "/config/patch", {"ServiceSettings": {"EnableIncomingWebhooks": True}})
    assert len(posts_in(world.iago, world.town_square)) == before


def test_a_user_cannot_pass_a_post_off_as_a_webhooks(world: World) -> None:
    forged = {"from_webhook": "true", "override_username": "sysadmin", "override_icon_url": "https://x/y.png"}
    created = post(world.hamlet, world.town_square, "trust me", props={**forged, "kept": "yes"})
    assert created["props"] == {"kept": "yes"}
    edited = world.hamlet.ok("PUT", f"/posts/{created['id']}/patch", {"props": forged})
    assert edited["props"] == {}


def test_managing_incoming_hooks_takes_a_team_admin(world: World) -> None:
    expect_error(
        world.hamlet.post("/hooks/incoming", {"channel_id": world.town_square["id"]}),
        403,
        "api.context.permissions.app_error",
    )
    secret = private_channel(world, world.hamlet)
    expect_error(
        world.iago.post("/hooks/incoming", {"channel_id": secret["id"]}),
        403,
        "api.context.permissions.app_error",
    )
    expect_error(
        world.iago.post("/hooks/incoming", {"channel_id": 3}), 400, "api.context.invalid_body_param.app_error"
    )
    hook = incoming_hook(world.iago, world.town_square)
    listed = world.iago.ok("GET", f"/hooks/incoming?team_id={world.team['id']}")
    assert [h["id"] for h in listed] == [hook["id"]]
    expect_error(
        world.hamlet.get(f"/hooks/incoming?team_id={world.team['id']}"),
        403,
        "api.context.permissions.app_error",
    )
    expect_error(world.iago.get("/hooks/incoming"), 403, "api.context.permissions.app_error")
    assert hook["id"] in [h["id"] for h in world.admin.ok("GET", "/hooks/incoming?per_page=200")]
    assert world.iago.ok("GET", f"/hooks/incoming/{hook['id']}")["display_name"] == "CI"
    changed = world.iago.ok(
        "PUT",
        f"/hooks/incoming/{hook['id']}",
        {"id": hook["id"], "channel_id": world.off_topic["id"], "display_name": "CD"},
    )
    assert changed["channel_id"] == world.off_topic["id"] and changed["display_name"] == "CD"
    world.iago.ok("DELETE", f"/hooks/incoming/{hook['id']}")
    expect_error(world.iago.get(f"/hooks/incoming/{hook['id']}"), 404, "app.not_found.app_error")
    expect_error(send(world.iago, hook, {"text": "gone"}), 400, "web.incoming_webhook.invalid.app_error")


def outgoing_hook(api: API, world: World, receiver: HookReceiver, **fields: Any) -> dict[str, Any]:
    body = {"team_id": world.team["id"], "display_name": "echo", "callback_urls": [receiver.url()], **fields}
    return api.ok("POST", "/hooks/outgoing", body)  # type: ignore[no-any-return]


def test_an_outgoing_webhook_sends_mattermosts_form_and_its_answer_becomes_a_post(
    world: World, receiver: HookReceiver, overrides: None
) -> None:
    hook = outgoing_hook(world.iago, world, receiver, trigger_words=["!echo"], username="echo-bot")
    receiver.answer = {"text": "echo: hi", "response_type": "comment"}
    stream = world.hamlet.websocket()
    try:
        said = post(world.hamlet, world.town_square, "!echo hi")
        (call,) = receiver.wait_for(1)
        answer = json.loads(stream.expect("posted", timeout=10)["data"]["post"])
        while answer["id"] == said["id"]:
            answer = json.loads(stream.expect("posted", timeout=10)["data"]["post"])
    finally:
        stream.close()
    assert call.headers["content-type"] == "application/x-www-form-urlencoded"
    fields = {
        key: values[0]
        for key, values in urllib.parse.parse_qs(call.body.decode(), keep_blank_values=True).items()
    }
    assert fields == {
        "token": hook["token"],
        "team_id": world.team["id"],
        "team_domain": world.team["name"],
        "channel_id": world.town_square["id"],
        "channel_name": "town-square",
        "timestamp": str(said["create_at"] // 1000),
        "user_id": world.hamlet.id,
        "user_name": world.hamlet.username,
        "post_id": said["id"],
        "text": "!echo hi",
        "trigger_word": "!echo",
        "file_ids": "",
    }
    assert answer["message"] == "echo: hi" and answer["root_id"] == said["id"]
    assert answer["props"]["from_webhook"] == "true" and answer["props"]["override_username"] == "echo-bot"
    # The hook's own post did not fire it again, nor does a post that does not start with the word.
    post(world.hamlet, world.town_square, "say !echo")
    post(world.hamlet, world.town_square, "!echo once more")
    assert len(receiver.wait_for(2)) == 2


def test_matterbridge_relays_and_webhook_posts_never_fire_outgoing_hooks(
    world: World, receiver: HookReceiver
) -> None:
    outgoing_hook(
        world.iago, world, receiver, channel_id=world.town_square["id"], content_type="application/json"
    )
    incoming = incoming_hook(world.iago, world.town_square)
    send(world.iago, incoming, {"text": "from IRC", "props": {"matterbridge_abc": True}}).raise_for_status()
    relayed = posts_in(world.iago, world.town_square)[0]
    assert relayed["props"]["matterbridge_abc"] is True
    post(world.hamlet, world.town_square, "a Matterbridge echo", props={"matterbridge_abc": True})
    post(world.hamlet, world.town_square, "a person")
    (call,) = receiver.wait_for(1)
    assert call.headers["content-type"] == "application/json"
    body = json.loads(call.body)
    assert body["text"] == "a person" and body["trigger_word"] == "" and body["file_ids"] == []
    assert body["timestamp"] > 10**12  # milliseconds in JSON
    with pytest.raises(AssertionError):
        receiver.wait_for(2, timeout=1.5)


def test_outgoing_hooks_refuse_private_addresses_and_bad_fields(world: World, admin: API) -> None:
    base = {"team_id": world.team["id"], "trigger_words": ["go"]}
    for url in (
        "http://127.0.0.1:9/x",
        "http://10.1.2.3/x",
        "http://[::1]/x",
        "http://localhost/x",
        "ftp://example.org/x",
    ):
        response = world.iago.post("/hooks/outgoing", {**base, "callback_urls": [url]})
        expect_error(response, 400, "model.outgoing_hook.is_valid.callback.app_error")
    good = {**base, "callback_urls": ["https://example.org/hook"]}
    expect_error(
        world.iago.post("/hooks/outgoing", {**good, "trigger_words": []}),
        400,
        "api.webhook.create_outgoing.triggers.app_error",
    )
    expect_error(
        world.iago.post("/hooks/outgoing", {**good, "trigger_when": "first"}),
        400,
        "api.context.invalid_body_param.app_error",
    )
    expect_error(
        world.iago.post("/hooks/outgoing", {**good, "trigger_words": "go"}),
        400,
        "api.context.invalid_body_param.app_error",
    )
    secret = private_channel(world, world.iago)
    expect_error(
        world.iago.post("/hooks/outgoing", {**good, "channel_id": secret["id"]}),
        403,
        "api.context.permissions.app_error",
    )
    expect_error(world.hamlet.post("/hooks/outgoing", good), 403, "api.context.permissions.app_error")
    hook = world.iago.ok("POST", "/hooks/outgoing", good)
    regenerated = world.iago.ok("POST", f"/hooks/outgoing/{hook['id']}/regen_token")
    assert regenerated["token"] != hook["token"] and len(regenerated["token"]) == 26
    listed = world.iago.ok("GET", f"/hooks/outgoing?team_id={world.team['id']}")
    assert [h["id"] for h in listed] == [hook["id"]]
    updated = world.iago.ok(
        "PUT", f"/hooks/outgoing/{hook['id']}", {**good, "trigger_words": ["stop"], "trigger_when": 1}
    )
    assert updated["trigger_words"] == ["stop"] and updated["trigger_when"] == 1
    world.iago.ok("DELETE", f"/hooks/outgoing/{hook['id']}")
    expect_error(world.iago.get(f"/hooks/outgoing/{hook['id']}"), 404, "app.not_found.app_error")
