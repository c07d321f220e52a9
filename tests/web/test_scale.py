"""A channel of 10,000 messages: the virtualised list keeps only the rows near the viewport in the
DOM, keeps the reader's place when older messages load above, and follows new ones at the end."""

import re
import time

from playwright.sync_api import Route, expect

from tests.support.client import World
from tests.support.server import ServerProcess
from tests.web.bulk import insert_posts
from tests.web.conftest import OpenPage, sign_in, sqlite_only

ROWS = ".post-list article.post"

# Where the first message in view is, relative to the list's top edge.
FIRST_IN_VIEW = """list => {
    const top = list.getBoundingClientRect().top;
    for (const row of list.querySelectorAll('article.post')) {
        const box = row.getBoundingClientRect();
        if (box.bottom > top + 1) {
            return {text: row.querySelector('.post-text')?.textContent.trim(), offset: box.top - top};
        }
    }
    return null;
}"""

# Where the message with this text is, relative to the list's top edge (null if not rendered).
OFFSET_OF = """(list, text) => {
    const top = list.getBoundingClientRect().top;
    for (const row of list.querySelectorAll('article.post')) {
        if (row.querySelector('.post-text')?.textContent.trim() === text) {
            return row.getBoundingClientRect().top - top;
        }
    }
    return null;
}"""


# Scrolls to the top until a load of older messages begins, and then says where the first
# message in view was (polled in the page: the late route's handler holds up Python meanwhile).
SCROLL_UNTIL_LOADING = (
    "() => {"
    " const list = document.querySelector('.post-list');"
    f" if (document.querySelector('.loading-older')) return ({FIRST_IN_VIEW})(list);"
    # From 0 to 1 and back, so that every poll scrolls and the list hears a scroll event.
    " list.scrollTop = list.scrollTop > 0 ? 0 : 1;"
    " return false; }"
)


@sqlite_only
def test_ten_thousand_messages_scroll_with_a_small_dom(
    open_page: OpenPage, world: World, server: ServerProcess
) -> None:
    team = world.team["name"]
    insert_posts(server.data_dir, world.off_topic["id"], world.hamlet.user["id"], 10_000, "line {n:05d}")
    world.othello.ok("POST", "/channels/members/me/view", {"channel_id": world.off_topic["id"]})
    page, errors = open_page(width=1200, height=800)
    sign_in(page, world.othello.username, f"/{team}/channels/off-topic")
    expect(page.locator(ROWS, has_text="line 09999")).to_be_in_viewport()
    listing = page.locator(".post-list")

    # Older pages answer late, so what the reader sees before and after each load can be compared.
    def late(route: Route) -> None:
        time.sleep(0.4)
        route.continue_()

    page.route(re.compile(r"/api/v4/channels/[a-z0-9]+/posts\?.*before="), late)
    loading = page.locator(".loading-older")
    # Scroll up through pages of older messages; each load keeps the message in view in place.
    for _ in range(12):
        # A row measured just then can re-anchor the list before the scroll event is handled, as
        # it would under a reader who keeps scrolling: scroll to the top until the load starts.
        before = page.wait_for_function(SCROLL_UNTIL_LOADING, polling=50, timeout=15_000).json_value()
        expect(loading).to_have_count(0)
        page.wait_for_timeout(100)
        assert before is not None
        # The message at the top when the load began is still where it was, give or take a
        # row or two (rows above it are measured as they render): the older ones went in
        # above it, out of view, and the reader was not thrown to another place.
        after = listing.evaluate(OFFSET_OF, before["text"])
        assert after is not None and abs(after - before["offset"]) < 100, (before, after)
        assert page.locator(ROWS).count() < 200

    # Deep in the history now: hundreds of messages loaded, a couple of screens' worth in the DOM.
    height = page.evaluate("() => document.querySelector('.post-list').scrollHeight")
    assert height > 15_000
    in_dom = page.locator(ROWS).count()
    assert 10 < in_dom < 200, in_dom

    # The middle of the list renders as it scrolls past.
    listing.evaluate("list => { list.scrollTop = list.scrollHeight / 2; }")
    page.wait_for_timeout(300)
    middle = listing.evaluate(FIRST_IN_VIEW)
    assert middle is not None and middle["text"].startswith("line ")
    assert page.locator(ROWS).count() < 200

    # Back at the end, a new message is followed.
    page.get_by_role("button", name="Jump to recent messages").click()
    expect(page.locator(ROWS, has_text="line 09999")).to_be_in_viewport()
    world.hamlet.ok("POST", "/posts", {"channel_id": world.off_topic["id"], "message": "the rest is silence"})
    expect(page.locator(ROWS, has_text="the rest is silence")).to_be_in_viewport()
    assert page.locator(ROWS).count() < 200
    assert errors == []
