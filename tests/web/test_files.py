"""Files in a real browser against a real server: one person attaches an image and a text file
from the composer, another sees the thumbnail, opens it full screen, closes it with Escape, and
downloads the text file from its card."""

import contextlib
import io
import re
from pathlib import Path

from PIL import Image
from playwright.sync_api import Error, Route, expect

from tests.support.client import World
from tests.web.conftest import OpenPage, sign_in, sqlite_only
from tests.web.test_chat import message


def png_file(directory: Path, name: str, size: tuple[int, int]) -> Path:
    path = directory / name
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 60)).save(buffer, format="PNG")
    path.write_bytes(buffer.getvalue())
    return path


@sqlite_only
def test_attach_an_image_and_a_text_file_and_another_person_opens_them(
    open_page: OpenPage, world: World, tmp_path: Path
) -> None:
    team = world.team["name"]
    hamlet, hamlet_errors = open_page()
    othello, othello_errors = open_page()
    sign_in(hamlet, world.hamlet.username, f"/{team}/channels/town-square")
    sign_in(othello, world.othello.username, f"/{team}/channels/town-square")
    composer = hamlet.locator(".channel-view .composer")
    picker = composer.locator("input[type=file]")
    send = composer.get_by_role("button", name="Send")

    # A chip that is removed sends nothing.
    picker.set_input_files(png_file(tmp_path, "discarded.png", (10, 10)))
    discarded = composer.locator(".upload-chip", has_text="discarded.png")
    expect(discarded).to_have_attribute("data-status", "done")
    discarded.get_by_role("button", name="Remove discarded.png").click()
    expect(discarded).to_have_count(0)
    expect(send).to_be_disabled()

    picker.set_input_files(png_file(tmp_path, "skull.png", (640, 480)))
    chip = composer.locator(".upload-chip", has_text="skull.png")
    expect(chip).to_have_attribute("data-status", "done")
    expect(chip).to_contain_text("Ready")
    composer.locator("textarea").fill("Alas, poor Yorick")
    composer.locator("textarea").press("Enter")
    expect(chip).to_have_count(0)

    sent = message(othello, "Alas, poor Yorick")
    thumbnail = sent.get_by_role("button", name="Open image skull.png")
    expect(thumbnail).to_be_visible()
    image = thumbnail.locator("img")
    # The thumbnail's box is known before it loads: 640×480 fits 320×240.
    expect(image).to_have_attribute("width", "320")
    expect(image).to_have_attribute("height", "240")
    othello.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())

    thumbnail.click()
    viewer = othello.get_by_role("dialog", name="Image skull.png")
    expect(viewer).to_be_visible()
    full = viewer.locator("img")
    othello.wait_for_function("img => img.complete && img.naturalWidth === 640", arg=full.element_handle())
    expect(viewer.get_by_role("link", name="Download")).to_have_attribute(
        "href", re.compile(r"\?download=1$")
    )
    zoom = viewer.get_by_role("button", name="Actual size")
    zoom.click()
    expect(zoom).to_have_attribute("aria-pressed", "true")
    othello.keyboard.press("Escape")
    expect(viewer).to_have_count(0)
    expect(thumbnail).to_be_focused()

    # Only a file, no text: the Send button takes it.
    picker.set_input_files(
        {"name": "soliloquy.txt", "mimeType": "text/plain", "buffer": b"To be, or not to be.\n"}
    )
    expect(composer.locator(".upload-chip", has_text="soliloquy.txt")).to_have_attribute(
        "data-status", "done"
    )
    expect(send).to_be_enabled()
    send.click()

    card = othello.locator(".post-list .attachment-card", has_text="soliloquy.txt")
    expect(card).to_contain_text("21 B")
    link = card.get_by_role("link", name="Download soliloquy.txt")
    href = link.get_attribute("href")
    assert href is not None and href.endswith("?download=1")
    download = othello.request.get(href)
    assert download.status == 200
    assert download.body() == b"To be, or not to be.\n"
    assert download.headers["content-disposition"].startswith("attachment")

    posts = world.othello.ok("GET", f"/channels/{world.town_square['id']}/posts")["posts"].values()
    with_files = {p["message"]: p["metadata"]["files"] for p in posts if p.get("file_ids")}
    assert [f["name"] for f in with_files["Alas, poor Yorick"]] == ["skull.png"]
    assert [f["name"] for f in with_files[""]] == ["soliloquy.txt"]
    assert (with_files["Alas, poor Yorick"][0]["width"], with_files["Alas, poor Yorick"][0]["height"]) == (
        640,
        480,
    )
    assert hamlet_errors == [] and othello_errors == []


@sqlite_only
def test_an_upload_shows_its_progress_and_can_be_cancelled(open_page: OpenPage, world: World) -> None:
    team = world.team["name"]
    hamlet, errors = open_page()
    sign_in(hamlet, world.hamlet.username, f"/{team}/channels/town-square")
    composer = hamlet.locator(".channel-view .composer")
    # The upload request is held on its way, so it is still under way when cancelled. The client
    # names the channel in the query string too, which a glob ending in /files would not match.
    held: list[Route] = []
    uploads = re.compile(r"/api/v4/files\?")

    def hold(route: Route) -> None:
        held.append(route)

    hamlet.route(uploads, hold)
    composer.locator("input[type=file]").set_input_files(
        {"name": "folio.bin", "mimeType": "application/octet-stream", "buffer": b"x" * 300_000}
    )
    chip = composer.locator(".upload-chip", has_text="folio.bin")
    expect(chip).to_have_attribute("data-status", "uploading")
    expect(chip.get_by_role("progressbar", name="Uploading folio.bin")).to_be_visible()
    expect(chip).to_contain_text("293 KB")
    assert len(held) == 1
    chip.get_by_role("button", name="Cancel uploading folio.bin").click()
    expect(chip).to_have_count(0)
    expect(composer.get_by_role("button", name="Send")).to_be_disabled()
    hamlet.unroute(uploads)
    for route in held:
        # The browser may have dropped the request already, when the upload was cancelled.
        with contextlib.suppress(Error):
            route.abort()
    assert errors == []


# Drops a file on an element and pastes one into another, as the browser would deliver them.
DROP_AND_PASTE = """([dropOn, pasteIn]) => {
    const transfer = (name, type, text) => {
        const data = new DataTransfer();
        data.items.add(new File([text], name, {type}));
        return data;
    };
    const target = document.querySelector(dropOn);
    const dropped = transfer('dropped.csv', 'text/csv', 'a,b\\n1,2\\n');
    for (const type of ['dragenter', 'dragover', 'drop']) {
        target.dispatchEvent(new DragEvent(type, {bubbles: true, cancelable: true, dataTransfer: dropped}));
    }
    const pasted = transfer('pasted.txt', 'text/plain', 'from the clipboard');
    document.querySelector(pasteIn).dispatchEvent(
        new ClipboardEvent('paste', {bubbles: true, cancelable: true, clipboardData: pasted}));
}"""


@sqlite_only
def test_files_dropped_on_the_channel_and_pasted_into_the_composer(open_page: OpenPage, world: World) -> None:
    team = world.team["name"]
    hamlet, errors = open_page()
    sign_in(hamlet, world.hamlet.username, f"/{team}/channels/town-square")
    composer = hamlet.locator(".channel-view .composer")
    hamlet.evaluate(DROP_AND_PASTE, [".post-list", ".channel-view .composer textarea"])
    for name in ("dropped.csv", "pasted.txt"):
        expect(composer.locator(".upload-chip", has_text=name)).to_have_attribute("data-status", "done")
    composer.locator("textarea").fill("Two ways in")
    composer.locator("textarea").press("Enter")
    expect(message(hamlet, "Two ways in").locator(".attachment-card")).to_have_count(2)

    posts = world.hamlet.ok("GET", f"/channels/{world.town_square['id']}/posts")["posts"].values()
    sent = next(p for p in posts if p["message"] == "Two ways in")
    # Uploaded side by side: the server lists them in the order they arrived.
    names = sorted(f["name"] for f in sent["metadata"]["files"])
    assert names == ["dropped.csv", "pasted.txt"]
    assert errors == []


def letter_file(directory: Path) -> Path:
    path = directory / "letter.txt"
    path.write_bytes(b"Doubt thou the stars are fire\n")
    return path


@sqlite_only
def test_the_channel_files_panel_lists_what_was_shared_and_opens_it(
    open_page: OpenPage, world: World, tmp_path: Path
) -> None:
    team = world.team["name"]
    hamlet, errors = open_page()
    sign_in(hamlet, world.hamlet.username, f"/{team}/channels/town-square")
    composer = hamlet.locator(".channel-view .composer")
    composer.locator("input[type=file]").set_input_files(
        [
            png_file(tmp_path, "ophelia.png", (300, 200)),
            letter_file(tmp_path),
        ]
    )
    for name in ("ophelia.png", "letter.txt"):
        expect(composer.locator(".upload-chip", has_text=name)).to_have_attribute("data-status", "done")
    composer.locator("textarea").fill("For the Files panel")
    composer.locator("textarea").press("Enter")
    expect(message(hamlet, "For the Files panel").locator(".attachment-card")).to_have_count(1)

    files_button = hamlet.get_by_role("button", name="Channel files")
    files_button.click()
    expect(files_button).to_have_attribute("aria-pressed", "true")
    panel = hamlet.get_by_role("complementary", name="Files")
    letter = panel.locator(".file-result", has_text="letter.txt")
    expect(letter).to_contain_text(world.hamlet.username)
    expect(letter).to_contain_text("30 B")
    expect(letter.get_by_role("link", name="Download letter.txt")).to_have_attribute(
        "href", re.compile(r"\?download=1$")
    )
    panel.get_by_role("button", name="Open image ophelia.png").click()
    viewer = hamlet.get_by_role("dialog", name="Image ophelia.png")
    hamlet.wait_for_function(
        "img => img.complete && img.naturalWidth === 300", arg=viewer.locator("img").element_handle()
    )
    hamlet.keyboard.press("Escape")
    expect(viewer).to_have_count(0)
    assert errors == []
