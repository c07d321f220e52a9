"""The built-in IRC bridge against a real IRC server (Debian's ngircd) and a real server process:
both directions, formatting, long posts, flood control, restarts on either side, permissions, and
that nothing from an unmapped or private channel ever reaches IRC."""

import re
import secrets
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from tests.api.test_files import upload
from tests.api.test_posts import post, private_channel
from tests.support.client import API, World, expect_error, login, unique
from tests.support.irc import IrcClient, Ngircd, running_ngircd
from tests.support.server import ADMIN_PASSWORD, ServerProcess, free_port, running_servers, serve_with_admin
from villagepump.bridges.irc.outgoing import unpinged

SITE = "https://chat.example"
BRIDGE_ENV = {
    "VILLAGEPUMP_IRC_LEASE_SECONDS": "1.5",
    "VILLAGEPUMP_IRC_RECONNECT_MIN_SECONDS": "0.2",
    "VILLAGEPUMP_IRC_RECONNECT_MAX_SECONDS": "1",
    "VILLAGEPUMP_IRC_FLOOD_BURST": "3",
    "VILLAGEPUMP_IRC_FLOOD_LINES_PER_SECOND": "4",
    "VILLAGEPUMP_SITE_URL": SITE,
}
ZWSP = "\u200b"
BASE = "/villagepump/bridges/irc"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def server(request: pytest.FixtureRequest) -> Iterator[ServerProcess]:
    yield from serve_with_admin(request.param, env=BRIDGE_ENV)


@pytest.fixture(scope="module")
def admin(server: ServerProcess) -> API:
    return login(server.url, "sysadmin", ADMIN_PASSWORD)


@pytest.fixture(scope="module")
def ircd() -> Iterator[Ngircd]:
    with running_ngircd() as ircd:
        yield ircd


def add_network(admin: API, ircd: Ngircd, **fields: Any) -> dict[str, Any]:
    body = {
        "name": unique("net-"), "host": "127.0.0.1", "port": ircd.port, "tls": False,
        "nick": "vp" + secrets.token_hex(3), **fields,
    }  # fmt: skip
    return admin.ok("POST", f"{BASE}/networks", body)  # type: ignore[no-any-return]


def bridge(
    admin: API, ircd: Ngircd, channel: dict[str, Any], irc_channel: str, **fields: Any
) -> dict[str, Any]:
    network = add_network(admin, ircd)
    body = {"network_id": network["id"], "channel_id": channel["id"], "irc_channel": irc_channel, **fields}
    admin.ok("POST", f"{BASE}/mappings", body)
    return network


def irc_channel() -> str:
    return "#dk-" + secrets.token_hex(4)


def joined(client: IrcClient, network: dict[str, Any], channel: str, start: int = 0) -> None:
    """The bridge joined `channel`, or was in it when the client joined (NAMES); under its nick
    or, while a connection of a killed process still holds that, the nick with `_` added."""
    nick = re.compile(re.escape(network["nick"]) + "_*$")

    def matches(line: str) -> bool:
        source = line.split("!", 1)[0].lstrip(":")
        if nick.match(source) and f"JOIN {channel}" in line.replace(":#", "#"):
            return True
        names = line.split(" :", 1)[1].replace("@", "").split() if " :" in line else []
        return (
            f" 353 {client.nick} " in line and f" {channel} :" in line and any(nick.match(n) for n in names)
        )

    client.wait_for(matches, start=start)


def chat_post(
    api: API, channel: dict[str, Any], matches: Callable[[dict[str, Any]], bool], timeout: float = 20
) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        listed = api.ok("GET", f"/channels/{channel['id']}/posts")
        for found in listed["posts"].values():
            if matches(found):
                return found  # type: ignore[no-any-return]
        assert time.monotonic() < deadline, "no such post: " + str(
            [p["message"] for p in listed["posts"].values()]
        )
        time.sleep(0.2)


def said(client: IrcClient, channel: str, text: str, timeout: float = 20) -> str:
    return client.wait_for(lambda line: f"PRIVMSG {channel} :" in line and text in line, timeout)


@contextmanager
def bridged_town_square(world: World, ircd: Ngircd) -> Iterator[tuple[IrcClient, dict[str, Any], str]]:
    """Alice on IRC in a new channel, which the bridge relays with Town Square."""
    channel = irc_channel()
    alice = IrcClient(ircd.port, "alice" + secrets.token_hex(2))
    try:
        alice.join(channel)
        network = bridge(world.admin, ircd, world.town_square, channel)
        joined(alice, network, channel)
        yield alice, network, channel
    finally:
        alice.close()


def test_irc_and_chat_talk_both_ways(world: World, ircd: Ngircd) -> None:
    with bridged_town_square(world, ircd) as (alice, network, channel):
        # IRC -> chat: a bridged sender of its own, marked as not a local user, formatting kept.
        alice.say(channel, "\x02hello\x02 from \x0304irc\x03 *literally*")
        relayed = chat_post(world.hamlet, world.town_square, lambda p: "from irc" in p["message"])
        assert relayed["message"] == "**hello** from irc \\*literally\\*"
        props = relayed["props"]
        assert props["override_username"] == alice.nick and props["from_webhook"] == "true"
        assert props["from_irc"] == "true" and props["override_icon_url"].endswith("/image")
        alice.say(channel, "@channel wake up")
        loud = chat_post(world.hamlet, world.town_square, lambda p: "wake up" in p["message"])
        assert loud["message"] == f"@{ZWSP}channel wake up"  # IRC cannot notify a whole channel
        alice.say(channel, "\x01ACTION waves\x01")
        chat_post(world.hamlet, world.town_square, lambda p: p["message"] == f"*{alice.nick} waves*")
        # Bad bytes: Latin-1 rather than UTF-8, and control characters, do not stop the relay.
        alice.send_raw(f"PRIVMSG {channel} :caf".encode() + b"\xe9 \x07bell\x1b\r\n")
        chat_post(world.hamlet, world.town_square, lambda p: p["message"] == "café bell")

        # Chat -> IRC: <nick> with a zero-width space, Markdown stripped.
        root = post(world.hamlet, world.town_square, "**To be** or _not_ to be, that is the question")
        hamlet, othello = unpinged(world.hamlet.username), unpinged(world.othello.username)
        assert ZWSP in hamlet
        assert said(alice, channel, "To be or not").endswith(
            f":<{hamlet}> To be or not to be, that is the question"
        )
        post(world.othello, world.town_square, "indeed", root_id=root["id"])
        said(alice, channel, f'<{othello}> {hamlet}: "To be or not to be, that is the question" ← indeed')
        world.hamlet.ok("PUT", f"/posts/{root['id']}/patch", {"message": "To sleep, perchance"})
        said(alice, channel, f"<{hamlet}> To sleep, perchance (edited)")
        # A reaction touches the post but says nothing new: no second "(edited)".
        world.othello.ok(
            "POST", "/reactions", {"user_id": world.othello.id, "post_id": root["id"], "emoji_name": "smile"}
        )

        # Long and many-line posts: a few lines, each within 512 bytes, then the permalink.
        long = post(world.hamlet, world.town_square, "\n".join(f"line {n} " + "ø" * 300 for n in range(10)))
        link = f"{SITE}/{world.team['name']}/pl/{long['id']}"
        said(alice, channel, link)
        texts = [t for t in alice.privmsgs(channel) if "ø" in t or link in t]
        assert len(texts) == 4 and all(len(t.encode()) < 512 for t in texts)

        # Flood control queues: a burst of posts all arrive, in order.
        for n in range(8):
            post(world.othello, world.town_square, f"burst {n}")
        said(alice, channel, "burst 7")
        bursts = [t.split("> ", 1)[1] for t in alice.privmsgs(channel) if "burst" in t]
        assert bursts == [f"burst {n}" for n in range(8)]
        # The bridge never echoes what it posted itself.
        assert not any("from irc" in t or "waves" in t for t in alice.privmsgs(channel))
        assert world.admin.ok("GET", f"{BASE}/networks")


def test_unmapped_and_private_channels_never_reach_irc(world: World, ircd: Ngircd) -> None:
    with bridged_town_square(world, ircd) as (alice, network, channel):
        secret = private_channel(world, world.hamlet, world.othello)
        post(world.hamlet, secret, "the secret plan")
        post(world.hamlet, world.off_topic, "off topic chatter")
        post(world.hamlet, world.town_square, "public marker")
        said(alice, channel, "public marker")
        # A private channel mapped on another network is relayed only there.
        other = irc_channel()
        alice.join(other)
        hamlet_map = {"network_id": network["id"], "channel_id": secret["id"], "irc_channel": other}
        world.hamlet.ok("POST", f"{BASE}/mappings", hamlet_map)  # hamlet made it: its channel admin
        joined(alice, network, other)
        post(world.hamlet, secret, "now bridged")
        said(alice, other, "now bridged")
        post(world.hamlet, world.town_square, "second marker")
        said(alice, channel, "second marker")
        everything = alice.privmsgs(channel) + alice.privmsgs(other)
        assert not any("secret plan" in t or "off topic" in t for t in everything)
        assert not any("now bridged" in t for t in alice.privmsgs(channel))
        # Unmapped: the bridge leaves the IRC channel and relays nothing more from it.
        mapping = next(
            m for m in world.admin.ok("GET", f"{BASE}/mappings") if m["channel_id"] == secret["id"]
        )
        world.hamlet.ok("DELETE", f"{BASE}/mappings/{mapping['id']}")
        alice.wait_for(lambda line: line.startswith(f":{network['nick']}!") and f"PART {other}" in line)
        post(world.hamlet, secret, "after unmapping")
        post(world.hamlet, world.town_square, "third marker")
        said(alice, channel, "third marker")
        assert not any("after unmapping" in t for t in alice.privmsgs(other))
        # Kicked (alice is the channel's operator: she made it), the bridge joins again.
        kicked_at = len(alice.lines)
        alice.send(f"KICK {channel} {network['nick']} :out")
        joined(alice, network, channel, start=kicked_at)
        post(world.hamlet, world.town_square, "back after the kick")
        said(alice, channel, "back after the kick")


def test_who_may_bridge_and_bad_input(world: World, ircd: Ngircd) -> None:
    body = {"name": "x", "host": "127.0.0.1", "port": ircd.port, "tls": False, "nick": "vpx"}
    expect_error(world.hamlet.post(f"{BASE}/networks", body), 403, "api.context.permissions.app_error")
    expect_error(world.hamlet.get(f"{BASE}/networks"), 403, "api.context.permissions.app_error")
    expect_error(
        world.admin.post(f"{BASE}/networks", {**body, "port": "6667"}),
        400,
        "api.context.invalid_param.app_error",
    )
    expect_error(
        world.admin.post(f"{BASE}/networks", {**body, "nick": "bad nick"}),
        400,
        "api.irc_bridge.invalid_nick.app_error",
    )
    expect_error(
        world.admin.post(f"{BASE}/networks", {**body, "sasl_mechanism": "PLAIN"}),
        400,
        "api.irc_bridge.invalid_sasl_password.app_error",
    )
    network = add_network(world.admin, ircd, sasl_mechanism="PLAIN", sasl_username="u", sasl_password="pw")
    assert "sasl_password" not in network and network["has_sasl_password"] is True
    same_name = {**body, "name": network["name"].upper()}
    expect_error(
        world.admin.post(f"{BASE}/networks", same_name), 400, "api.irc_bridge.network_exists.app_error"
    )
    mapping = {"network_id": network["id"], "channel_id": world.town_square["id"], "irc_channel": "#ok"}
    expect_error(world.hamlet.post(f"{BASE}/mappings", mapping), 403, "api.context.permissions.app_error")
    secret = private_channel(world, world.hamlet, world.othello)
    on_secret = {**mapping, "channel_id": secret["id"]}
    # A member who is not the private channel's admin may not bridge it; a stranger learns nothing.
    expect_error(world.othello.post(f"{BASE}/mappings", on_secret), 403, "api.context.permissions.app_error")
    expect_error(world.iago.post(f"{BASE}/mappings", on_secret), 403, "api.context.permissions.app_error")
    expect_error(
        world.admin.post(f"{BASE}/mappings", {**mapping, "irc_channel": "no-hash"}),
        400,
        "api.irc_bridge.invalid_irc_channel.app_error",
    )
    world.admin.ok("POST", f"{BASE}/mappings", mapping)
    expect_error(
        world.admin.post(f"{BASE}/mappings", {**mapping, "irc_channel": "#OK"}),
        400,
        "api.irc_bridge.mapping_exists.app_error",
    )
    world.admin.ok("DELETE", f"{BASE}/networks/{network['id']}")
    assert network["id"] not in [n["id"] for n in world.admin.ok("GET", f"{BASE}/networks")]


def test_an_admin_edits_a_network_and_its_relay_reconnects_with_the_change(
    world: World, ircd: Ngircd
) -> None:
    network = add_network(world.admin, ircd, port=free_port())  # nothing listens there
    other = add_network(world.admin, ircd, port=free_port())
    path = f"{BASE}/networks/{network['id']}"
    channel = irc_channel()
    alice = IrcClient(ircd.port, "alice" + secrets.token_hex(2))
    try:
        alice.join(channel)
        mapping = {"network_id": network["id"], "channel_id": world.town_square["id"], "irc_channel": channel}
        world.admin.ok("POST", f"{BASE}/mappings", mapping)
        expect_error(
            world.hamlet.request("PATCH", path, json={"port": ircd.port}),
            403,
            "api.context.permissions.app_error",
        )
        expect_error(
            world.admin.request("PATCH", path, json={"port": "6667"}),
            400,
            "api.context.invalid_param.app_error",
        )
        expect_error(
            world.admin.request("PATCH", path, json={"nick": "bad nick"}),
            400,
            "api.irc_bridge.invalid_nick.app_error",
        )
        expect_error(
            world.admin.request("PATCH", path, json={"name": other["name"]}),
            400,
            "api.irc_bridge.network_exists.app_error",
        )
        expect_error(
            world.admin.request("PATCH", f"{BASE}/networks/{'x' * 26}", json={"port": 1}),
            404,
            "api.irc_bridge.network_missing.app_error",
        )
        edited = world.admin.ok("PATCH", path, {"port": ircd.port})
        assert (edited["port"], edited["nick"], edited["name"]) == (
            ircd.port,
            network["nick"],
            network["name"],
        )
        # The relay holding the network drops the dead address and connects to the new one.
        joined(alice, network, channel)
    finally:
        alice.close()
    plain = {"sasl_mechanism": "PLAIN", "sasl_username": "u", "sasl_password": "pw", "port": free_port()}
    assert world.admin.ok("PATCH", path, plain)["has_sasl_password"] is True
    # The password is write-only: an edit that leaves it out keeps it; one that empties it is refused.
    assert world.admin.ok("PATCH", path, {"sasl_username": "v"})["has_sasl_password"] is True
    expect_error(
        world.admin.request("PATCH", path, json={"sasl_password": ""}),
        400,
        "api.irc_bridge.invalid_sasl_password.app_error",
    )
    cleared = world.admin.ok("PATCH", path, {"sasl_mechanism": "", "sasl_username": "", "sasl_password": ""})
    assert cleared["has_sasl_password"] is False and cleared["sasl_mechanism"] == ""
    for each in (network, other):
        world.admin.ok("DELETE", f"{BASE}/networks/{each['id']}")


def hello_again(alice: IrcClient, channel: str, world: World) -> None:
    """Alice's words reach the chat again. Said anew every few seconds: while the lease moves
    to the new process, a line can fall between two connections (IRC keeps no history)."""
    for attempt in range(10):
        alice.say(channel, f"hello again {attempt}")
        try:
            chat_post(world.hamlet, world.town_square, lambda p: p["message"].startswith("hello again"), 3)
            return
        except AssertionError:
            continue
    raise AssertionError("nothing from IRC reached the chat after the restart")


def test_the_bridge_comes_back_after_either_server_restarts(world: World, server: ServerProcess) -> None:
    channel = irc_channel()
    with running_ngircd() as ircd:
        alice = IrcClient(ircd.port, "alice" + secrets.token_hex(2))
        alice.join(channel)
        network = bridge(world.admin, ircd, world.town_square, channel)
        joined(alice, network, channel)
        alice.close()
        # The IRC server dies and comes back: the relay reconnects and joins again.
        ircd.stop()
        ircd.start()
        alice = IrcClient(ircd.port, "alice" + secrets.token_hex(2))
        try:
            alice.join(channel)
            joined(alice, network, channel)
            post(world.hamlet, world.town_square, "after the IRC restart")
            said(alice, channel, "after the IRC restart")
            # Our server restarts: the new process takes the network's lease and relays again.
            start = len(alice.lines)
            server.stop()
            server.start()
            joined(alice, network, channel, start=start)
            hello_again(alice, channel, world)
            post(world.hamlet, world.town_square, "after our restart")
            said(alice, channel, "after our restart")
        finally:
            alice.close()


def test_an_admin_bridges_from_the_command_line(world: World, server: ServerProcess, ircd: Ngircd) -> None:
    name = unique("cli-")
    added = server.cli("bridge", "irc", "add-network", name, "--host", "127.0.0.1", "--port", str(ircd.port),
                       "--no-tls", "--nick", "vp" + secrets.token_hex(3))  # fmt: skip
    assert added.returncode == 0, added.stderr
    channel = irc_channel()
    target = f"{world.team['name']}/off-topic"
    mapped = server.cli("bridge", "irc", "map", name, channel, target, "--relay-joins")
    assert mapped.returncode == 0, mapped.stderr
    listed = server.cli("bridge", "irc", "list")
    assert name in listed.stdout and channel in listed.stdout and world.off_topic["id"] in listed.stdout
    again = server.cli("bridge", "irc", "map", name, channel.upper(), target)
    assert again.returncode == 1 and "already bridged" in again.stderr
    # Joins are relayed on this mapping: a running server picks the mapping up by itself.
    alice = IrcClient(ircd.port, "alice" + secrets.token_hex(2))
    try:
        network = next(n for n in world.admin.ok("GET", f"{BASE}/networks") if n["name"] == name)
        joined_at = len(alice.lines)
        alice.join(channel)
        joined(alice, network, channel, start=joined_at)
        alice.send(f"PART {channel}")
        chat_post(
            world.hamlet, world.off_topic, lambda p: p["message"] == f"_{alice.nick} left {channel} on IRC_"
        )
    finally:
        alice.close()
    assert server.cli("bridge", "irc", "unmap", name, channel).returncode == 0
    assert server.cli("bridge", "irc", "remove", name).returncode == 0
    assert name not in server.cli("bridge", "irc", "list").stdout


def handed_over(alice: IrcClient, network: dict[str, Any], channel: str, stop: Callable[[], None]) -> None:
    """Stops a process; if it held the network (its relay quits), waits for the other to join.
    A post made between the two is not relayed (decision 0030), as for any IRC client away."""
    start = len(alice.lines)
    stop()
    time.sleep(1)
    if any(line.startswith(f":{network['nick']}!") and " QUIT " in line for line in alice.lines[start:]):
        joined(alice, network, channel, start=start)


def test_one_process_holds_a_network_and_another_takes_it_over(ircd: Ngircd) -> None:
    """Two processes on one PostgreSQL and Redis: one IRC connection, each post relayed once
    whichever process took it in, and the network moves when its process stops."""
    with running_servers("postgresql", 2, redis=True, env=BRIDGE_ENV) as (first, second):
        admins = [login(server.url, "sysadmin", ADMIN_PASSWORD) for server in (first, second)]
        team = admins[0].ok("POST", "/teams", {"name": unique("two-"), "display_name": "Two", "type": "O"})
        town_square = admins[0].ok("GET", f"/teams/{team['id']}/channels/name/town-square")
        channel = irc_channel()
        alice = IrcClient(ircd.port, "alice" + secrets.token_hex(2))
        try:
            alice.join(channel)
            network = bridge(admins[0], ircd, town_square, channel)
            joined(alice, network, channel)
            for n, api in enumerate(admins):
                post(api, town_square, f"through process {n}")
                said(alice, channel, f"through process {n}")
            time.sleep(3)  # two lease periods: the other process must not have connected too
            assert [t for t in alice.privmsgs(channel) if "through process" in t] == [
                f"<{unpinged('sysadmin')}> through process 0",
                f"<{unpinged('sysadmin')}> through process 1",
            ]
            connections = [
                line for line in alice.lines if " JOIN " in line and line.startswith(f":{network['nick']}")
            ]
            assert len(connections) == 1, connections
            # Whichever held it, after each process stops in turn the other relays.
            handed_over(alice, network, channel, first.stop)
            post(admins[1], town_square, "first stopped")
            said(alice, channel, "first stopped")
            first.start()
            handed_over(alice, network, channel, second.stop)
            post(admins[0], town_square, "second stopped")
            said(alice, channel, "second stopped")
            second.start()
        finally:
            alice.close()


def test_files_go_as_public_links_only_while_the_admin_allows_them(world: World, ircd: Ngircd) -> None:
    with bridged_town_square(world, ircd) as (alice, _, channel):
        named = upload(world.hamlet, world.town_square, "minutes.txt", b"the minutes")
        post(world.hamlet, world.town_square, "the minutes", file_ids=[named["id"]])
        said(alice, channel, "[file] minutes.txt")
        world.admin.ok("PUT", "/config/patch", {"FileSettings": {"EnablePublicLink": True}})
        try:
            linked = upload(world.hamlet, world.town_square, "agenda.txt", b"the agenda")
            post(world.hamlet, world.town_square, "the agenda", file_ids=[linked["id"]])
            link = world.hamlet.ok("GET", f"/files/{linked['id']}/link")["link"]
            assert link.startswith(SITE)
            said(alice, channel, f"agenda.txt: {link}")
        finally:
            world.admin.ok("PUT", "/config/patch", {"FileSettings": {"EnablePublicLink": False}})
