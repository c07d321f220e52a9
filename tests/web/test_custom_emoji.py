"""Custom emoji in a real browser: drawn in messages from the server's images, offered in the
picker's Custom section, and one made while the page is open is there at once (emoji_added)."""

import re

from playwright.sync_api import expect

from tests.api.test_custom_emoji import create, emoji_name
from tests.api.test_files import image_bytes
from tests.api.test_posts import post
from tests.support.client import World
from tests.web.conftest import OpenPage, sign_in, sqlite_only
from tests.web.test_chat import message


@sqlite_only
def test_custom_emoji_in_messages_and_the_picker_and_a_new_one_arrives_live(
    open_page: OpenPage, world: World
) -> None:
    team = world.team["name"]
    yorick = create(world.hamlet, emoji_name("yorick"), image_bytes("PNG", (64, 64)))
    post(world.hamlet, world.town_square, f"Alas, poor :{yorick['name']}:")
    othello, errors = open_page()
    sign_in(othello, world.othello.username, f"/{team}/channels/town-square")

    alas = message(othello, "Alas, poor")
    drawn = alas.get_by_role("img", name=f":{yorick['name']}:")
    expect(drawn).to_have_attribute("src", re.compile(f"/api/v4/emoji/{yorick['id']}/image$"))
    othello.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=drawn.element_handle())

    alas.hover()
    alas.get_by_role("button", name="Add reaction").click()
    alas.get_by_role("button", name="More emoji").click()
    picker = othello.get_by_role("dialog", name="Add reaction")
    custom = picker.get_by_role("region", name="Custom")
    expect(custom.get_by_role("button", name=f":{yorick['name']}:")).to_be_visible()

    # Made by someone else while the picker is open: no reload needed to use it.
    skull = create(world.hamlet, emoji_name("skull"), image_bytes("PNG", (32, 32)))
    fresh = custom.get_by_role("button", name=f":{skull['name']}:")
    expect(fresh).to_be_visible()
    fresh.click()
    expect(picker).to_have_count(0)
    expect(alas.get_by_role("button", name=f"{skull['name']}: 1 reaction")).to_be_visible()
    assert errors == []
