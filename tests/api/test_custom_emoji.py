"""Custom emoji and emoji names in reactions, through the API."""

import io
import json
from typing import Any

import httpx
from PIL import Image

from tests.api.test_avatars import SVG, red_left_blue_right_photo_with_gps
from tests.api.test_concurrency import at_once, one_winner
from tests.api.test_files import image_bytes, multipart
from tests.api.test_posts import post
from tests.api.test_reactions import react
from tests.support.client import API, World, expect_error, unique
from tests.support.s3 import admin_on_every_storage, server_on_every_storage  # noqa: F401


def emoji_name(prefix: str = "e") -> str:
    return unique(prefix + "-").lower()[:64]


def create_response(
    api: API, name: str, data: bytes, *, filename: str = "emoji.png", creator_id: str | None = None
) -> httpx.Response:
    described = json.dumps({"name": name, "creator_id": creator_id or api.id}).encode()
    body, content_type = multipart([("image", filename, data), ("emoji", None, described)])
    return api.request("POST", "/emoji", content=body, headers={"Content-Type": content_type})


def create(api: API, name: str, data: bytes | None = None, filename: str = "emoji.png") -> dict[str, Any]:
    response = create_response(api, name, data or image_bytes("PNG", (64, 64)), filename=filename)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def animated_gif(size: tuple[int, int] = (200, 160), frames: int = 3) -> bytes:
    colours = [(255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 0)]
    images = [Image.new("RGB", size, colours[i % len(colours)]) for i in range(frames)]
    buffer = io.BytesIO()
    images[0].save(buffer, "GIF", save_all=True, append_images=images[1:], duration=80, loop=0)
    return buffer.getvalue()


def test_hamlet_adds_an_animated_emoji_and_everyone_can_find_and_see_it(world: World) -> None:
    name = emoji_name("parrot")
    stream = world.othello.websocket()
    try:
        created = create(world.hamlet, name, animated_gif(), "parrot.gif")
        event = stream.expect("emoji_added")
        assert json.loads(event["data"]["emoji"]) == created
    finally:
        stream.close()
    assert created["name"] == name and created["creator_id"] == world.hamlet.id and created["delete_at"] == 0
    assert world.othello.ok("GET", f"/emoji/{created['id']}") == created
    assert world.othello.ok("GET", f"/emoji/name/{name}") == created
    image = world.othello.get(f"/emoji/{created['id']}/image")
    assert image.headers["content-type"] == "image/gif"
    assert image.headers["cache-control"] == "private, max-age=2592000"
    shown = Image.open(io.BytesIO(image.content))
    # Fitted into 128x128 like Mattermost, and still animated.
    assert shown.size == (128, 102) and getattr(shown, "n_frames", 1) == 3
    assert (
        world.othello.get(
            f"/emoji/{created['id']}/image", headers={"If-None-Match": image.headers["etag"]}
        ).status_code
        == 304
    )
    found = world.othello.ok("POST", "/emoji/names", [name, "no-such-emoji-here"])
    assert [e["id"] for e in found] == [created["id"]]
    assert [
        e["id"] for e in world.othello.ok("POST", "/emoji/search", {"term": name[3:], "prefix_only": False})
    ] == [created["id"]]
    assert world.othello.ok("POST", "/emoji/search", {"term": name[3:], "prefix_only": True}) == []
    assert [e["id"] for e in world.othello.ok("GET", f"/emoji/autocomplete?name={name[:-2]}")] == [
        created["id"]
    ]
    listed = world.othello.ok("GET", "/emoji?per_page=200&sort=name")
    assert created in listed and [e["name"] for e in listed] == sorted(e["name"] for e in listed)


def test_a_still_emoji_is_shrunk_to_png_without_its_metadata(world: World) -> None:
    created = create(world.othello, emoji_name("photo"), red_left_blue_right_photo_with_gps(), "photo.jpg")
    image = world.hamlet.get(f"/emoji/{created['id']}/image")
    assert image.headers["content-type"] == "image/png"
    shown = Image.open(io.BytesIO(image.content))
    # Upright (480x640 as shown), fitted into 128x128 keeping its proportions.
    assert shown.size == (96, 128) and not shown.getexif()
    assert b"SpyCam" not in image.content and b"GPS" not in image.content
    small = create(world.othello, emoji_name("small"), image_bytes("PNG", (20, 30)))
    assert Image.open(io.BytesIO(world.hamlet.get(f"/emoji/{small['id']}/image").content)).size == (20, 30)


def test_emoji_names_follow_mattermosts_rules(world: World) -> None:
    picture = image_bytes("PNG", (32, 32))
    for bad in ("", "Upper", "has space", "x" * 65, "semi;colon", "ünï"):
        expect_error(create_response(world.hamlet, bad, picture), 400, "model.emoji.name.app_error")
    for standard in ("thumbsup", "+1", "smile", "thumbsup_dark_skin_tone", "hugs", "thinking", "tickets"):
        expect_error(
            create_response(world.hamlet, standard, picture), 400, "model.emoji.system_emoji_name.app_error"
        )
    name = emoji_name("taken")
    create(world.hamlet, name)
    expect_error(create_response(world.othello, name, picture), 400, "api.emoji.create.duplicate.app_error")
    as_someone_else = create_response(world.othello, emoji_name(), picture, creator_id=world.hamlet.id)
    expect_error(as_someone_else, 403, "api.emoji.create.other_user.app_error")
    body, content_type = multipart([("image", "x.png", picture)])
    no_description = world.hamlet.request(
        "POST", "/emoji", content=body, headers={"Content-Type": content_type}
    )
    expect_error(no_description, 400, "api.context.invalid_param.app_error")
    described = json.dumps({"name": emoji_name(), "creator_id": world.hamlet.id}).encode()
    body, content_type = multipart([("emoji", None, described)])
    no_image = world.hamlet.request("POST", "/emoji", content=body, headers={"Content-Type": content_type})
    expect_error(no_image, 400, "api.context.invalid_body_param.app_error")
    expect_error(
        world.hamlet.get("/emoji/name/Not%20A%20Name"), 400, "api.context.invalid_url_param.app_error"
    )
    expect_error(world.hamlet.get("/emoji/name/nothing-by-this-name"), 404, "app.emoji.get_by_name.no_result")
    expect_error(world.hamlet.get("/emoji/" + "a" * 26), 404, "app.emoji.get.no_result")
    expect_error(world.hamlet.get("/emoji?sort=size"), 400, "api.context.invalid_url_param.app_error")
    expect_error(world.hamlet.post("/emoji/search", {"term": ""}), 400, "api.context.invalid_param.app_error")
    expect_error(world.hamlet.get("/emoji/autocomplete"), 400, "api.context.invalid_url_param.app_error")
    many = [f"name-{i}" for i in range(201)]
    expect_error(
        world.hamlet.post("/emoji/names", many), 400, "api.emoji.get_multiple_by_name_too_many.request_error"
    )


def test_emoji_images_that_are_not_images_or_too_large_are_refused(world: World) -> None:
    expect_error(
        create_response(world.hamlet, emoji_name(), SVG, filename="x.svg"),
        400,
        "api.emoji.upload.image.app_error",
    )
    wide = image_bytes("PNG", (1100, 50))
    expect_error(
        create_response(world.hamlet, emoji_name(), wide),
        400,
        "api.emoji.upload.large_image.too_large.app_error",
    )
    buffer = io.BytesIO()
    Image.new("1", (12_000, 12_000)).save(buffer, "PNG")
    bomb = create_response(world.hamlet, emoji_name(), buffer.getvalue())
    expect_error(bomb, 400, "api.emoji.upload.large_image.too_large.app_error")
    truncated = image_bytes("JPEG", (100, 100))[:300]
    expect_error(
        create_response(world.hamlet, emoji_name(), truncated, filename="x.jpg"),
        400,
        "api.emoji.upload.large_image.decode_error",
    )
    heavy = image_bytes("BMP", (500, 500))
    assert len(heavy) > 512 * 1024
    expect_error(
        create_response(world.hamlet, emoji_name(), heavy, filename="x.bmp"),
        413,
        "api.emoji.create.too_large.app_error",
    )


def test_only_the_creator_or_an_admin_deletes_an_emoji_and_its_reactions_go_too(world: World) -> None:
    name = emoji_name("mine")
    created = create(world.hamlet, name)
    message = post(world.othello, world.town_square, "look at this")
    assert react(world.othello, message["id"], name).status_code == 201
    assert react(world.hamlet, message["id"], "+1").status_code == 201
    expect_error(world.othello.delete(f"/emoji/{created['id']}"), 403, "api.context.permissions.app_error")
    stream = world.othello.websocket()
    try:
        assert world.hamlet.delete(f"/emoji/{created['id']}").json() == {"status": "OK"}
        removed = json.loads(stream.expect("reaction_removed")["data"]["reaction"])
        assert removed["emoji_name"] == name and removed["post_id"] == message["id"]
    finally:
        stream.close()
    assert [r["emoji_name"] for r in world.hamlet.ok("GET", f"/posts/{message['id']}/reactions")] == ["+1"]
    expect_error(world.othello.get(f"/emoji/{created['id']}"), 404, "app.emoji.get.no_result")
    expect_error(world.othello.get(f"/emoji/{created['id']}/image"), 404, "app.emoji.get.no_result")
    expect_error(react(world.othello, message["id"], name), 404, "app.emoji.get_by_name.no_result")
    # The name is free again; an admin may delete anyone's.
    again = create(world.othello, name)
    assert again["id"] != created["id"]
    assert world.admin.delete(f"/emoji/{again['id']}").status_code == 200
    expect_error(world.admin.delete(f"/emoji/{again['id']}"), 404, "app.emoji.get.no_result")


def test_reactions_take_every_standard_name_and_existing_custom_ones(world: World) -> None:
    message = post(world.hamlet, world.town_square, "react")
    for name in ("+1", "thumbsup", "-1", "100", "thumbsup_medium_skin_tone", "man-facepalming", "flag-is"):
        assert react(world.othello, message["id"], name).status_code == 201, name
    expect_error(
        react(world.othello, message["id"], "not_an_emoji_at_all"), 404, "app.emoji.get_by_name.no_result"
    )
    expect_error(
        react(world.othello, message["id"], "Smile"), 400, "model.reaction.is_valid.emoji_name.app_error"
    )
    custom = emoji_name("yay")
    create(world.iago, custom)
    assert react(world.othello, message["id"], custom).status_code == 201
    names = {r["emoji_name"] for r in world.hamlet.ok("GET", f"/posts/{message['id']}/reactions")}
    assert {"+1", "thumbsup", custom} <= names and "not_an_emoji_at_all" not in names


def test_reactions_take_the_older_names_mattermost_keeps(world: World) -> None:
    # Mattermost adds gemoji's names to emoji-datasource's (additional_shortnames.json), so a
    # reaction :hugs: made in its apps must be one here too, and the other way round.
    message = post(world.hamlet, world.town_square, "react with old names")
    older = ("hugs", "thinking", "satisfied", "laughing", "tada", "rofl", "pout", "canada", "uk")
    toned = ("fist_oncoming_dark_skin_tone", "vulcan_salute_light_skin_tone", "metal_medium_skin_tone")
    for name in (*older, *toned):
        assert react(world.othello, message["id"], name).status_code == 201, name
    # Mattermost gives these aliases no skin-tone forms: neither do we.
    for name in ("thanks_light_skin_tone", "ng_man_dark_skin_tone", "facepalm"):
        expect_error(react(world.othello, message["id"], name), 404, "app.emoji.get_by_name.no_result")
    names = {r["emoji_name"] for r in world.hamlet.ok("GET", f"/posts/{message['id']}/reactions")}
    assert names == {*older, *toned}


def test_admins_can_turn_custom_emoji_off(world: World) -> None:
    custom = emoji_name("off")
    created = create(world.hamlet, custom)
    message = post(world.hamlet, world.town_square, "react")
    assert world.hamlet.ok("GET", "/config/client?format=old")["EnableCustomEmoji"] == "true"
    world.admin.ok("PUT", "/config/patch", {"ServiceSettings": {"EnableCustomEmoji": False}})
    try:
        assert world.hamlet.ok("GET", "/config/client?format=old")["EnableCustomEmoji"] == "false"
        expect_error(
            create_response(world.hamlet, emoji_name(), image_bytes("PNG")),
            501,
            "api.emoji.disabled.app_error",
        )
        expect_error(world.hamlet.get("/emoji"), 501, "api.emoji.disabled.app_error")
        expect_error(world.hamlet.get(f"/emoji/{created['id']}/image"), 501, "api.emoji.disabled.app_error")
        expect_error(react(world.othello, message["id"], custom), 403, "api.emoji.disabled.app_error")
        assert react(world.othello, message["id"], "smile").status_code == 201
    finally:
        world.admin.ok("PUT", "/config/patch", {"ServiceSettings": {"EnableCustomEmoji": True}})
    assert react(world.othello, message["id"], custom).status_code == 201


def test_one_name_created_twelve_times_at_once_makes_one_emoji(world: World) -> None:
    name = emoji_name("race")
    picture = image_bytes("PNG", (40, 40))
    responses = at_once(
        [world.hamlet, world.othello, world.iago] * 4, lambda api: create_response(api, name, picture)
    )
    created = one_winner(responses, 201, 400, "api.emoji.create.duplicate.app_error").json()
    assert world.hamlet.ok("GET", f"/emoji/name/{name}")["id"] == created["id"]
    assert [e["id"] for e in world.hamlet.ok("POST", "/emoji/names", [name])] == [created["id"]]
