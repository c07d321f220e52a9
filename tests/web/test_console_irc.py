"""The System Console's IRC bridge section in a real browser: an admin adds a network with a SASL
password (which the page never shows again), edits it keeping the password, bridges a private
channel, and removes it all; the server has each change."""

import re
from typing import Any

from playwright.sync_api import Page, expect

from tests.api.test_posts import private_channel
from tests.support.client import API, World, unique
from tests.support.server import free_port
from tests.web.conftest import OpenPage, sign_in, sqlite_only
from tests.web.test_accessibility import serious_violations, with_axe
from tests.web.test_console import an_admin, open_console
from tests.web.test_notifications import eventually

BASE = "/villagepump/bridges/irc"


def network_named(admin: API, name: str) -> dict[str, Any] | None:
    return next((n for n in admin.ok("GET", f"{BASE}/networks") if n["name"] == name), None)


def add_network_in_page(page: Page, name: str, port: int) -> None:
    page.get_by_role("button", name="Add a network").click()
    form = page.get_by_role("form", name="Add an IRC network")
    form.get_by_label("Name", exact=True).fill(name)
    form.get_by_label("Server", exact=True).fill("127.0.0.1")
    form.get_by_label("Port", exact=True).fill(str(port))
    form.get_by_label("Nick", exact=True).fill("vpconsole")
    form.get_by_label("Connect with TLS", exact=True).uncheck()
    form.get_by_label("SASL mechanism", exact=True).select_option("PLAIN")
    # The form checks before sending: PLAIN without a password is refused on the page.
    form.get_by_label("SASL account", exact=True).fill("wikichat")
    form.get_by_role("button", name="Add network").click()
    expect(form.get_by_role("alert")).to_have_text("SASL PLAIN needs an account and a password.")
    form.get_by_label("SASL password", exact=True).fill("s3cret-pass")
    form.get_by_role("button", name="Add network").click()
    expect(page.get_by_role("status")).to_have_text("The network was saved.")


@sqlite_only
def test_an_admin_adds_a_network_and_bridges_a_private_channel(open_page: OpenPage, world: World) -> None:
    horatio = an_admin(world)
    secret = private_channel(world, world.hamlet)
    name = unique("net-")
    # Nothing listens on the port: the relay only retries; the section is what is tested.
    port = free_port()
    page, errors = open_page()
    with_axe(page)
    sign_in(page, horatio.username)
    open_console(page)
    page.get_by_role("link", name="IRC bridge").click()
    expect(page.get_by_role("heading", name="IRC bridge")).to_be_visible()
    try:
        add_network_in_page(page, name, port)
        network = network_named(world.admin, name)
        assert network is not None
        assert (network["host"], network["port"], network["tls"], network["nick"]) == (
            "127.0.0.1",
            port,
            False,
            "vpconsole",
        )
        assert network["sasl_mechanism"] == "PLAIN" and network["has_sasl_password"] is True
        row = page.get_by_role("row").filter(has_text=name)
        expect(row).to_contain_text("PLAIN as wikichat, password set")
        # A server process takes the network's connection (the section shows `held` as read).
        held = eventually(lambda: network_named(world.admin, name), lambda n: n is not None and n["held"])
        assert held is not None and held["held"] is True
        page.reload()
        expect(row).to_contain_text("Held by a server process")
        assert serious_violations(page) == [], "networks"

        # An edit leaves the password out: the page never had it, and the server keeps it.
        row.get_by_role("button", name=f"Edit {name}").click()
        form = page.get_by_role("form", name=f"Edit the network {name}")
        expect(form.get_by_label("SASL password", exact=True)).to_have_value("")
        form.get_by_label("Nick", exact=True).fill("vpedited")
        form.get_by_role("button", name="Save network").click()
        expect(page.get_by_role("status")).to_have_text("The network was saved.")
        edited = network_named(world.admin, name)
        assert edited is not None and edited["nick"] == "vpedited" and edited["has_sasl_password"] is True

        # Bridging: the admin finds the private channel (admins may bridge any channel).
        bridging = page.get_by_role("region", name="Bridge a channel")
        bridging.get_by_label("Find a chat channel", exact=True).fill(secret["name"])
        bridging.get_by_role("button", name="Search").click()
        channel = bridging.get_by_label("Chat channel", exact=True)
        expect(channel).to_have_value(secret["id"])
        expect(channel.locator("option")).to_have_text(["Denmark / Secret (Private)"])
        bridging.get_by_label("Network", exact=True).select_option(label=name)
        bridging.get_by_label("IRC channel", exact=True).fill("no-hash")
        bridging.get_by_role("button", name="Bridge", exact=True).click()
        expect(bridging.get_by_role("alert")).to_contain_text("starts with # or &")
        bridging.get_by_label("IRC channel", exact=True).fill("#Elsinore")
        bridging.get_by_role("button", name="Bridge", exact=True).click()
        expect(page.get_by_role("status")).to_have_text("The channel is bridged.")
        mappings = world.admin.ok("GET", f"{BASE}/mappings?network_id={edited['id']}")
        assert [(m["channel_id"], m["irc_channel"]) for m in mappings] == [(secret["id"], "#elsinore")]
        expect(page.get_by_role("row").filter(has_text="#elsinore")).to_contain_text(
            re.compile(f"{secret['name']}.*{name}")
        )
        assert serious_violations(page) == [], "mappings"

        page.get_by_role("button", name=f"Unmap #elsinore on {name}").click()
        expect(page.get_by_role("status")).to_have_text("The channel is no longer bridged.")
        assert world.admin.ok("GET", f"{BASE}/mappings?network_id={edited['id']}") == []
        row.get_by_role("button", name=f"Remove {name}").click()
        page.get_by_role("region", name=f"Remove {name}").get_by_role(
            "button", name="Remove", exact=True
        ).click()
        expect(page.get_by_role("status")).to_have_text("The network was removed.")
        assert network_named(world.admin, name) is None
        assert errors == []
    finally:
        left = network_named(world.admin, name)
        if left is not None:
            world.admin.ok("DELETE", f"{BASE}/networks/{left['id']}")
