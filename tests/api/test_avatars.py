"""Profile pictures and team icons, through the API."""

import io
import json
from email.utils import formatdate
from typing import Any

import httpx
from PIL import Image

from tests.api.test_files import GPS_IFD, MAKE, ORIENTATION, image_bytes, multipart
from tests.support.client import API, World, expect_error, unique
from tests.support.s3 import admin_on_every_storage, server_on_every_storage  # noqa: F401

SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'


def set_picture(
    api: API, path: str, data: bytes, name: str = "me.png", field: str = "image"
) -> httpx.Response:
    body, content_type = multipart([(field, name, data)])
    return api.request("POST", path, content=body, headers={"Content-Type": content_type})


def picture(response: httpx.Response) -> Image.Image:
    assert response.status_code == 200, response.text
    image = Image.open(io.BytesIO(response.content))
    image.load()
    return image


def red_left_blue_right_photo_with_gps() -> bytes:
    """A landscape JPEG whose EXIF says "rotate 90° clockwise to show", taken at a secret place."""
    image = Image.new("RGB", (640, 480), (220, 20, 20))
    image.paste((20, 20, 220), (320, 0, 640, 480))
    exif = Image.Exif()
    exif[MAKE] = "SpyCam"
    exif[ORIENTATION] = 6
    exif[GPS_IFD] = {1: "N", 2: (52.0, 31.0, 12.0), 3: "E", 4: (13.0, 24.0, 18.0)}
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif, quality=95)
    return buffer.getvalue()


def is_red(pixel: Any) -> bool:
    return bool(pixel[0] > 150 and pixel[2] < 100)


def is_blue(pixel: Any) -> bool:
    return bool(pixel[2] > 150 and pixel[0] < 100)


def test_hamlet_sets_a_photo_that_comes_out_square_upright_and_without_its_location(world: World) -> None:
    before = world.hamlet.ok("GET", "/users/me")["last_picture_update"]
    stream = world.othello.websocket()
    try:
        response = set_picture(
            world.hamlet, f"/users/{world.hamlet.id}/image", red_left_blue_right_photo_with_gps()
        )
        assert response.status_code == 200 and response.json() == {"status": "OK"}
        event = stream.expect("user_updated")
        assert event["data"]["user"]["id"] == world.hamlet.id
        assert event["data"]["user"]["last_picture_update"] > max(before, 0)
        assert event["data"]["user"]["email"] == ""
    finally:
        stream.close()
    updated = world.hamlet.ok("GET", "/users/me")["last_picture_update"]
    assert updated == event["data"]["user"]["last_picture_update"]
    served = world.othello.get(f"/users/{world.hamlet.id}/image")
    assert served.headers["content-type"] == "image/png"
    stored = picture(served)
    assert stored.size == (128, 128)
    # Turned upright as the camera said (the red half on top), then cropped around the centre.
    assert is_red(stored.convert("RGB").getpixel((64, 8))) and is_blue(
        stored.convert("RGB").getpixel((64, 120))
    )
    assert not stored.getexif() and "exif" not in stored.info
    assert b"SpyCam" not in served.content and b"GPS" not in served.content


def test_png_and_gif_pictures_and_the_default(world: World) -> None:
    assert set_picture(world.othello, "/users/me/image", image_bytes("PNG", (300, 100))).status_code == 200
    assert picture(world.hamlet.get(f"/users/{world.othello.id}/image")).size == (128, 128)
    frames = [Image.new("RGB", (64, 64), colour) for colour in ((255, 0, 0), (0, 0, 255))]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    assert set_picture(world.othello, "/users/me/image", buffer.getvalue(), "me.gif").status_code == 200
    still = picture(world.hamlet.get(f"/users/{world.othello.id}/image"))
    assert still.format == "PNG" and is_red(still.convert("RGB").getpixel((10, 10)))
    default = world.hamlet.get(f"/users/{world.othello.id}/image/default")
    assert (
        picture(default).size == (128, 128)
        and default.content != world.hamlet.get(f"/users/{world.othello.id}/image").content
    )


def test_removing_the_picture_brings_back_the_default(world: World) -> None:
    set_picture(world.hamlet, "/users/me/image", image_bytes("PNG"))
    default = world.hamlet.get(f"/users/{world.hamlet.id}/image/default").content
    assert world.othello.get(f"/users/{world.hamlet.id}/image").content != default
    stream = world.othello.websocket()
    try:
        assert world.hamlet.delete(f"/users/{world.hamlet.id}/image").json() == {"status": "OK"}
        event = stream.expect("user_updated")
        # Mattermost's mark of a default picture: minus the time it was reset.
        assert event["data"]["user"]["last_picture_update"] < 0
    finally:
        stream.close()
    assert world.othello.get(f"/users/{world.hamlet.id}/image").content == default


def test_a_picture_is_not_downloaded_again_while_it_is_unchanged(world: World) -> None:
    set_picture(world.hamlet, "/users/me/image", image_bytes("PNG"))
    version = world.hamlet.ok("GET", "/users/me")["last_picture_update"]
    path = f"/users/{world.hamlet.id}/image"
    first = world.othello.get(path)
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    assert first.headers["cache-control"] == "private, no-cache"
    assert modified == formatdate(version / 1000, usegmt=True)
    again = world.othello.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    assert world.othello.get(path, headers={"If-Modified-Since": modified}).status_code == 304
    assert world.othello.get(path, headers={"If-None-Match": '"other"'}).status_code == 200
    busted = world.othello.get(path, params={"_": str(version)})
    assert busted.headers["cache-control"] == "private, max-age=31536000, immutable"
    # A new picture: the old copy is stale, and the old ?_= value no longer promises anything.
    set_picture(world.hamlet, "/users/me/image", red_left_blue_right_photo_with_gps())
    fresh = world.othello.get(path, headers={"If-None-Match": etag})
    assert fresh.status_code == 200 and fresh.content != first.content and fresh.headers["etag"] != etag
    assert world.othello.get(path, params={"_": str(version)}).headers["cache-control"] == "private, no-cache"


def test_nobody_else_changes_my_picture_but_an_admin(world: World) -> None:
    path = f"/users/{world.hamlet.id}/image"
    refused = set_picture(world.othello, path, image_bytes("PNG"))
    expect_error(refused, 403, "api.context.permissions.app_error")
    expect_error(world.othello.delete(path), 403, "api.context.permissions.app_error")
    assert world.hamlet.ok("GET", "/users/me")["last_picture_update"] <= 0
    assert set_picture(world.admin, path, image_bytes("PNG")).status_code == 200
    assert world.hamlet.ok("GET", "/users/me")["last_picture_update"] > 0
    assert world.admin.delete(path).status_code == 200
    expect_error(world.othello.get("/users/" + "x" * 26 + "/image"), 404, "app.user.missing_account.const")
    assert API(world.hamlet.base_url).get(path).status_code == 401


def test_pictures_that_are_not_pictures_or_too_large_are_refused(world: World) -> None:
    path = "/users/me/image"
    expect_error(
        set_picture(world.hamlet, path, SVG, "me.svg"),
        400,
        "api.user.upload_profile_user.decode_config.app_error",
    )
    bomb = image_bytes("PNG", (10_000, 10_000))
    expect_error(
        set_picture(world.hamlet, path, bomb),
        400,
        "api.user.upload_profile_user.check_image_limits.app_error",
    )
    truncated = image_bytes("JPEG")[:2000]
    expect_error(
        set_picture(world.hamlet, path, truncated, "me.jpg"),
        400,
        "api.user.upload_profile_user.decode.app_error",
    )
    wrong_field = set_picture(world.hamlet, path, image_bytes("PNG"), field="files")
    expect_error(wrong_field, 400, "api.user.upload_profile_user.no_file.app_error")
    not_multipart = world.hamlet.post(path, {"image": "x"})
    expect_error(not_multipart, 400, "api.user.upload_profile_user.parse.app_error")
    assert world.hamlet.ok("GET", "/users/me")["last_picture_update"] <= 0
    world.admin.ok("PUT", "/config/patch", {"FileSettings": {"MaxFileSize": 5000}})
    try:
        big = set_picture(world.hamlet, path, image_bytes("BMP", (200, 200)), "me.bmp")
        expect_error(big, 413, "api.user.upload_profile_user.too_large.app_error")
    finally:
        world.admin.ok("PUT", "/config/patch", {"FileSettings": {"MaxFileSize": 100 * 1024 * 1024}})


def test_team_admins_set_the_team_icon_and_members_see_it(world: World) -> None:
    path = f"/teams/{world.team['id']}/image"
    expect_error(world.hamlet.get(path), 404, "api.team.get_team_icon.read_file.app_error")
    expect_error(
        set_picture(world.hamlet, path, image_bytes("PNG")), 403, "api.context.permissions.app_error"
    )
    stream = world.hamlet.websocket()
    try:
        assert set_picture(world.iago, path, red_left_blue_right_photo_with_gps()).status_code == 200
        event = stream.expect("update_team")
        team = json.loads(event["data"]["team"])
        assert (
            team["id"] == world.team["id"] and team["last_team_icon_update"] > 0 and team["invite_id"] == ""
        )
    finally:
        stream.close()
    served = world.hamlet.get(path)
    icon = picture(served)
    assert icon.size == (128, 128) and b"SpyCam" not in served.content
    assert world.hamlet.get(path, headers={"If-None-Match": served.headers["etag"]}).status_code == 304
    assert (
        world.hamlet.ok("GET", f"/teams/{world.team['id']}")["last_team_icon_update"]
        == team["last_team_icon_update"]
    )
    expect_error(world.hamlet.delete(path), 403, "api.context.permissions.app_error")
    assert world.iago.delete(path).status_code == 200
    expect_error(world.hamlet.get(path), 404, "api.team.get_team_icon.read_file.app_error")
    assert world.hamlet.ok("GET", f"/teams/{world.team['id']}")["last_team_icon_update"] == 0


def test_a_private_team_icon_is_for_its_members(world: World) -> None:
    team = world.iago.ok("POST", "/teams", {"name": unique("priv-"), "display_name": "Elsinore", "type": "I"})
    path = f"/teams/{team['id']}/image"
    assert set_picture(world.iago, path, image_bytes("PNG")).status_code == 200
    assert picture(world.iago.get(path)).size == (128, 128)
    expect_error(world.cordelia.get(path), 403, "api.context.permissions.app_error")
    expect_error(
        set_picture(world.cordelia, path, image_bytes("PNG")), 403, "api.context.permissions.app_error"
    )
