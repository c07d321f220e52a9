"""Files: upload, attach to posts, read back, images made safe, and who may see what.

Every test here runs on both storage drivers: local files (on SQLite and PostgreSQL) and an
S3-compatible bucket (SeaweedFS, tests/support/s3.py; on SQLite, as the database does not
change what the storage does)."""

import io
import json
import select
import socket
import uuid
from typing import Any

import httpx
import pillow_heif
from PIL import Image, PngImagePlugin

from tests.api.test_posts import post, private_channel
from tests.support.client import API, World, expect_error
from tests.support.s3 import admin_on_every_storage, server_on_every_storage  # noqa: F401

GPS_IFD = 0x8825
MAKE = 0x010F
ORIENTATION = 0x0112


def multipart(parts: list[tuple[str, str | None, bytes]]) -> tuple[bytes, str]:
    """A multipart body with the parts in exactly this order: (name, file name or None, bytes)."""
    boundary = uuid.uuid4().hex
    body = io.BytesIO()
    for name, filename, data in parts:
        body.write(f"--{boundary}\r\n".encode())
        disposition = f'form-data; name="{name}"'
        if filename is not None:
            disposition += f'; filename="{filename}"'
            body.write(f"Content-Disposition: {disposition}\r\nContent-Type: image/png\r\n\r\n".encode())
        else:
            body.write(f"Content-Disposition: {disposition}\r\n\r\n".encode())
        body.write(data + b"\r\n")
    body.write(f"--{boundary}--\r\n".encode())
    return body.getvalue(), f"multipart/form-data; boundary={boundary}"


def upload_response(
    api: API, channel: dict[str, Any], name: str, data: bytes, *, files_first: bool = False
) -> httpx.Response:
    parts: list[tuple[str, str | None, bytes]] = [
        ("channel_id", None, channel["id"].encode()),
        ("files", name, data),
        ("client_ids", None, b"client-1"),
    ]
    if files_first:
        parts = [parts[1], parts[2], parts[0]]
    body, content_type = multipart(parts)
    return api.request("POST", "/files", content=body, headers={"Content-Type": content_type})


def upload(api: API, channel: dict[str, Any], name: str, data: bytes) -> dict[str, Any]:
    response = upload_response(api, channel, name, data)
    assert response.status_code == 201, response.text
    info: dict[str, Any] = response.json()["file_infos"][0]
    return info


def image_bytes(image_format: str, size: tuple[int, int] = (640, 480), **save: Any) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, image_format, **save)
    return buffer.getvalue()


def jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[MAKE] = "SpyCam"
    exif[ORIENTATION] = 6  # rotated: the stored picture must come out upright
    exif[GPS_IFD] = {1: "N", 2: (52.0, 31.0, 12.0), 3: "E", 4: (13.0, 24.0, 18.0)}
    return image_bytes("JPEG", (640, 480), exif=exif)


def download(api: API, file_id: str, suffix: str = "") -> httpx.Response:
    return api.get(f"/files/{file_id}{suffix}")


def test_hamlet_shares_a_photo_and_its_location_is_gone(world: World) -> None:
    info = upload(world.hamlet, world.town_square, "holiday.jpg", jpeg_with_gps())
    assert info["name"] == "holiday.jpg" and info["extension"] == "jpg" and info["mime_type"] == "image/jpeg"
    # EXIF orientation 6 turns a 640x480 sensor image upright: 480 wide, 640 high.
    assert (info["width"], info["height"]) == (480, 640)
    assert info["has_preview_image"] is True and info["mini_preview"]
    assert info["post_id"] == "" and info["user_id"] == world.hamlet.id
    created = post(world.hamlet, world.town_square, "look", file_ids=[info["id"]])
    assert created["file_ids"] == [info["id"]]
    assert [f["id"] for f in created["metadata"]["files"]] == [info["id"]]

    stored = download(world.othello, info["id"])
    assert stored.status_code == 200 and stored.headers["content-type"] == "image/jpeg"
    picture = Image.open(io.BytesIO(stored.content))
    assert picture.size == (480, 640)
    exif = picture.getexif()
    assert GPS_IFD not in exif and MAKE not in exif and not exif.get_ifd(GPS_IFD)
    assert b"SpyCam" not in stored.content

    fetched = world.othello.ok("GET", f"/posts/{created['id']}")
    assert fetched["metadata"]["files"][0]["post_id"] == created["id"]
    listed = world.othello.ok("GET", f"/channels/{world.town_square['id']}/posts")
    assert listed["posts"][created["id"]]["metadata"]["files"][0]["id"] == info["id"]
    assert [f["id"] for f in world.othello.ok("GET", f"/posts/{created['id']}/files/info")] == [info["id"]]
    assert world.othello.ok("GET", f"/files/{info['id']}/info")["post_id"] == created["id"]
    thumbnail = Image.open(io.BytesIO(download(world.othello, info["id"], "/thumbnail").content))
    assert thumbnail.width <= 120 and thumbnail.height <= 100
    assert Image.open(io.BytesIO(download(world.othello, info["id"], "/preview").content)).size == (480, 640)


def test_uploads_answer_201_with_client_ids_in_either_part_order(world: World) -> None:
    response = upload_response(world.hamlet, world.town_square, "notes.txt", b"hello", files_first=True)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["client_ids"] == ["client-1"] and body["file_infos"][0]["size"] == 5
    served = download(world.hamlet, body["file_infos"][0]["id"])
    assert served.content == b"hello" and served.headers["content-type"].startswith("text/plain")
    assert served.headers["x-content-type-options"] == "nosniff"
    assert served.headers["content-security-policy"] == "default-src 'none'; sandbox"
    assert served.headers["content-disposition"].startswith("inline")
    forced = download(world.hamlet, body["file_infos"][0]["id"], "?download=1")
    assert forced.headers["content-disposition"].startswith("attachment")


def test_a_png_gets_its_size_and_previews(world: World) -> None:
    info = upload(world.hamlet, world.town_square, "chart.png", image_bytes("PNG", (3000, 200)))
    assert (info["width"], info["height"], info["mime_type"]) == (3000, 200, "image/png")
    preview = Image.open(io.BytesIO(download(world.hamlet, info["id"], "/preview").content))
    assert preview.width == 1920


def test_an_animated_gif_stays_animated(world: World) -> None:
    frames = [Image.new("RGB", (40, 30), color) for color in ((255, 0, 0), (0, 255, 0), (0, 0, 255))]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    info = upload(world.hamlet, world.town_square, "dance.gif", buffer.getvalue())
    # Without a preview image, clients show the GIF itself, animated.
    assert info["mime_type"] == "image/gif" and info["has_preview_image"] is False
    assert (info["width"], info["height"]) == (40, 30) and info["mini_preview"]
    stored = download(world.hamlet, info["id"])
    assert stored.content == buffer.getvalue()
    assert getattr(Image.open(io.BytesIO(stored.content)), "n_frames", 1) == 3


def test_a_decompression_bomb_is_refused(world: World) -> None:
    bomb = image_bytes("PNG", (10_000, 10_000))
    response = upload_response(world.hamlet, world.town_square, "bomb.png", bomb)
    expect_error(response, 400, "api.file.upload_file.large_image_detailed.app_error")


def test_a_truncated_image_is_refused_cleanly(world: World) -> None:
    photo = image_bytes("JPEG", (800, 600))
    response = upload_response(world.hamlet, world.town_square, "cut.jpg", photo[: len(photo) // 2])
    expect_error(response, 400, "api.file.upload_file.read_request.app_error")
    # Bytes that say PNG or JPEG but are no picture at all would otherwise be stored as a plain
    # file and still be served as that picture type.
    for name, malformed in (
        ("broken.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40),
        ("broken.jpg", b"\xff\xd8\xff\xe0" + b"not a picture " * 20),
        ("broken.gif", b"GIF89a" + b"\xff" * 30),
    ):
        response = upload_response(world.hamlet, world.town_square, name, malformed)
        expect_error(response, 400, "api.file.upload_file.read_request.app_error")


def test_texts_that_start_like_a_picture_format_are_still_texts(world: World) -> None:
    # Pillow takes the first for a BMP and the second for a PPM, and fails to decode either.
    for text in (b"BMW and Bentley sold best this year.\n", b"P1 results: Hamlet 3, Laertes 2\n"):
        info = upload(world.hamlet, world.town_square, "notes.txt", text)
        assert info["size"] == len(text) and not info["has_preview_image"]
        served = download(world.hamlet, info["id"])
        assert served.content == text and served.headers["content-type"].startswith("text/plain")
        assert served.headers["content-disposition"].startswith("inline")


def test_a_still_gif_gets_a_preview_like_any_picture(world: World) -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (0, 128, 0)).save(buffer, "GIF")
    info = upload(world.hamlet, world.town_square, "still.gif", buffer.getvalue())
    # Mattermost's rule: only a GIF of more than one frame is shown as itself instead.
    assert info["mime_type"] == "image/gif" and info["has_preview_image"] is True
    preview = Image.open(io.BytesIO(download(world.hamlet, info["id"], "/preview").content))
    assert preview.size == (40, 30)


def test_scripts_are_downloaded_never_run(world: World) -> None:
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'
    html = b"<html><body><script>alert(1)</script></body></html>"
    for name, data in (("cat.svg", svg), ("page.html", html), ("data.xml", b"<?xml version='1.0'?><a/>")):
        info = upload(world.hamlet, world.town_square, name, data)
        served = download(world.hamlet, info["id"])
        assert served.status_code == 200 and served.content == data
        assert served.headers["content-type"] == "application/octet-stream"
        assert served.headers["content-disposition"].startswith("attachment")
        assert served.headers["x-content-type-options"] == "nosniff"
    # A picture named .html is served as the picture it is; HTML named .png is not a picture.
    disguised = upload(world.hamlet, world.town_square, "not-an-image.png", html)
    assert download(world.hamlet, disguised["id"]).headers["content-type"] == "application/octet-stream"


def test_an_empty_file_and_a_hostile_name(world: World) -> None:
    empty = upload(world.hamlet, world.town_square, "empty.bin", b"")
    assert empty["size"] == 0 and download(world.hamlet, empty["id"]).content == b""
    hostile = upload(world.hamlet, world.town_square, "../../etc/\x07pass\u202ewd\u00e9.txt", b"x")
    assert hostile["name"] == "passwd\u00e9.txt"
    windows = upload(world.hamlet, world.town_square, "C:\\Users\\x\\r\u00e9sum\u00e9.pdf", b"%PDF-1.4")
    assert windows["name"] == "r\u00e9sum\u00e9.pdf"
    served = download(world.hamlet, windows["id"])
    assert served.headers["content-type"] == "application/pdf"
    assert served.headers["content-disposition"].startswith("attachment")


def test_a_file_over_the_limit_is_refused_with_413(world: World) -> None:
    world.admin.ok("PUT", "/config/patch", {"FileSettings": {"MaxFileSize": 1000}})
    try:
        response = upload_response(world.hamlet, world.town_square, "big.bin", b"x" * 5000)
        expect_error(response, 413, "api.file.upload_file.too_large_detailed.app_error")
        assert upload_response(world.hamlet, world.town_square, "ok.bin", b"x" * 900).status_code == 201
    finally:
        world.admin.ok("PUT", "/config/patch", {"FileSettings": {"MaxFileSize": 100 * 1024 * 1024}})


def upload_head(api: API, channel: dict[str, Any], framing: str) -> socket.socket:
    """A connection that has sent the head of an upload request and none of its body yet."""
    url = httpx.URL(api.base_url)
    assert url.host and url.port
    connection = socket.create_connection((url.host, url.port), timeout=10)
    head = (
        f"POST /api/v4/files?channel_id={channel['id']} HTTP/1.1\r\nHost: {url.host}:{url.port}\r\n"
        f"Authorization: Bearer {api.token}\r\nContent-Type: multipart/form-data; boundary=b\r\n"
        f"{framing}\r\n"
    )
    connection.sendall(head.encode())
    return connection


def answer_of(connection: socket.socket) -> tuple[int, dict[str, Any]]:
    """The status and JSON body of the one response on the connection."""
    received = b""
    while b"\r\n\r\n" not in received:
        chunk = connection.recv(65536)
        assert chunk, f"the server closed the connection without answering: {received!r}"
        received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    while len(body) < int(headers["content-length"]):
        chunk = connection.recv(65536)
        assert chunk
        body += chunk
    return int(lines[0].split()[1]), json.loads(body)


def test_an_upload_over_the_limit_is_refused_before_its_body_is_read(world: World) -> None:
    world.admin.ok("PUT", "/config/patch", {"FileSettings": {"MaxFileSize": 1000}})
    try:
        # Declared too large: the answer comes without a byte of the body sent.
        with upload_head(world.hamlet, world.town_square, "Content-Length: 50000000\r\n") as connection:
            status, body = answer_of(connection)
        assert (status, body["id"]) == (413, "api.file.upload_file.too_large_detailed.app_error")

        # Chunked, so the size is not known up front: the answer comes as soon as the file grows
        # past the limit, while the client is still sending.
        with upload_head(world.hamlet, world.town_square, "Transfer-Encoding: chunked\r\n") as connection:
            start = b'--b\r\nContent-Disposition: form-data; name="files"; filename="big.bin"\r\n\r\n'
            connection.sendall(b"%x\r\n%s\r\n" % (len(start), start))
            sent, chunk = 0, b"x" * 8192
            while sent < 20_000_000 and not select.select([connection], [], [], 0.05)[0]:
                try:
                    connection.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                except OSError:
                    break  # the server stopped reading: its answer is waiting
                sent += len(chunk)
            status, body = answer_of(connection)
        assert (status, body["id"]) == (413, "api.file.upload_file.too_large_detailed.app_error")
        assert sent < 1_000_000
    finally:
        world.admin.ok("PUT", "/config/patch", {"FileSettings": {"MaxFileSize": 100 * 1024 * 1024}})


def test_outsiders_can_neither_upload_to_nor_read_a_private_channel(world: World) -> None:
    secret = private_channel(world, world.hamlet, world.othello)
    forbidden = upload_response(world.iago, secret, "x.txt", b"nope")
    expect_error(forbidden, 403, "api.context.permissions.app_error")
    forbidden = upload_response(world.iago, secret, "x.txt", b"nope", files_first=True)
    expect_error(forbidden, 403, "api.context.permissions.app_error")
    info = upload(world.hamlet, secret, "plan.txt", b"secret plan")
    # Before it is attached, only its uploader reads it.
    expect_error(download(world.othello, info["id"]), 403, "api.context.permissions.app_error")
    created = post(world.hamlet, secret, "the plan", file_ids=[info["id"]])
    assert download(world.othello, info["id"]).content == b"secret plan"
    for suffix in ("", "/info", "/thumbnail", "/preview"):
        expect_error(download(world.iago, info["id"], suffix), 403, "api.context.permissions.app_error")
    expect_error(
        world.iago.get(f"/posts/{created['id']}/files/info"), 403, "api.context.permissions.app_error"
    )
    world.hamlet.ok("DELETE", f"/channels/{secret['id']}/members/{world.othello.id}")
    expect_error(download(world.othello, info["id"]), 403, "api.context.permissions.app_error")
    world.hamlet.ok("DELETE", f"/posts/{created['id']}")
    expect_error(download(world.hamlet, info["id"]), 404, "app.file_info.get.app_error")
    expect_error(download(world.hamlet, info["id"], "/info"), 404, "app.file_info.get.app_error")


def test_only_your_own_unattached_files_of_the_channel_can_be_attached(world: World) -> None:
    othellos = upload(world.othello, world.town_square, "mine.txt", b"mine")
    response = world.hamlet.post(
        "/posts", {"channel_id": world.town_square["id"], "message": "stolen", "file_ids": [othellos["id"]]}
    )
    expect_error(response, 400, "model.post.is_valid.file_ids.app_error")
    elsewhere = upload(world.hamlet, world.off_topic, "there.txt", b"there")
    response = world.hamlet.post(
        "/posts", {"channel_id": world.town_square["id"], "message": "moved", "file_ids": [elsewhere["id"]]}
    )
    expect_error(response, 400, "model.post.is_valid.file_ids.app_error")
    own = upload(world.hamlet, world.town_square, "own.txt", b"own")
    post(world.hamlet, world.town_square, "", file_ids=[own["id"]])
    response = world.hamlet.post(
        "/posts", {"channel_id": world.town_square["id"], "message": "again", "file_ids": [own["id"]]}
    )
    expect_error(response, 400, "model.post.is_valid.file_ids.app_error")
    too_many = [own["id"][:-2] + f"{i:02d}" for i in range(11)]
    response = world.hamlet.post(
        "/posts", {"channel_id": world.town_square["id"], "message": "many", "file_ids": too_many}
    )
    expect_error(response, 400, "api.context.invalid_body_param.app_error")
    assert download(world.hamlet, othellos["id"]).status_code == 403


def test_public_links_work_only_while_enabled_and_the_post_stands(world: World) -> None:
    info = upload(world.hamlet, world.town_square, "a.txt", b"public words")
    expect_error(
        download(world.hamlet, info["id"], "/link"), 403, "api.file.get_public_link.disabled.app_error"
    )
    world.admin.ok("PUT", "/config/patch", {"FileSettings": {"EnablePublicLink": True}})
    try:
        expect_error(
            download(world.hamlet, info["id"], "/link"), 400, "api.file.get_public_link.no_post.app_error"
        )
        created = post(world.hamlet, world.town_square, "", file_ids=[info["id"]])
        link = world.othello.ok("GET", f"/files/{info['id']}/link")["link"]
        assert link == world.hamlet.ok("GET", f"/files/{info['id']}/link")["link"]
        expect_error(download(world.cordelia, info["id"], "/link"), 403, "api.context.permissions.app_error")
        with httpx.Client() as anonymous:
            served = anonymous.get(link)
            assert served.status_code == 200 and served.content == b"public words"
            assert served.headers["content-disposition"].startswith("attachment")
            forged = anonymous.get(link.replace("?h=", "?h=x"))
            expect_error(forged, 400, "api.file.get_file.public_invalid.app_error")
            world.admin.ok("PUT", "/config/patch", {"FileSettings": {"EnablePublicLink": False}})
            expect_error(anonymous.get(link), 403, "api.file.get_public_link.disabled.app_error")
            world.admin.ok("PUT", "/config/patch", {"FileSettings": {"EnablePublicLink": True}})
            world.hamlet.ok("DELETE", f"/posts/{created['id']}")
            expect_error(anonymous.get(link), 404, "app.file_info.get.app_error")
    finally:
        world.admin.ok("PUT", "/config/patch", {"FileSettings": {"EnablePublicLink": False}})


def test_bad_requests(world: World) -> None:
    unknown = world.hamlet.get("/files/" + "a" * 26)
    expect_error(unknown, 404, "app.file_info.get.app_error")
    # Not multipart: the body is the file, and its channel must be in the URL.
    not_multipart = world.hamlet.post("/files", {"channel_id": world.town_square["id"]})
    expect_error(not_multipart, 400, "api.context.invalid_url_param.app_error")
    no_boundary = world.hamlet.request(
        "POST", "/files", content=b"x", headers={"Content-Type": "multipart/form-data"}
    )
    expect_error(no_boundary, 400, "api.file.upload_file.read_request.app_error")
    body, content_type = multipart([("files", "a.txt", b"a")])
    missing = world.hamlet.request("POST", "/files", content=body, headers={"Content-Type": content_type})
    expect_error(missing, 400, "api.context.invalid_param.app_error")


def simple_upload(api: API, channel: dict[str, Any], data: bytes, **params: str) -> httpx.Response:
    return api.request(
        "POST",
        "/files",
        content=data,
        params={"channel_id": channel["id"], **params},
        headers={"Content-Type": "application/octet-stream"},
    )


def test_a_file_can_be_the_whole_request_body(world: World) -> None:
    """Mattermost's other upload form, which the Go client's UploadFileAsRequestBody sends."""
    response = simple_upload(
        world.hamlet, world.town_square, b"simple words", filename="notes.txt", client_id="c-1"
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["client_ids"] == ["c-1"]
    [info] = body["file_infos"]
    assert (info["name"], info["size"], info["channel_id"]) == ("notes.txt", 12, world.town_square["id"])
    assert download(world.hamlet, info["id"]).content == b"simple words"

    response = simple_upload(world.hamlet, world.town_square, jpeg_with_gps(), filename="../holiday.jpg")
    assert response.status_code == 201 and response.json()["client_ids"] == []
    [photo] = response.json()["file_infos"]
    assert photo["name"] == "holiday.jpg" and (photo["width"], photo["height"]) == (480, 640)
    assert b"SpyCam" not in download(world.hamlet, photo["id"]).content

    missing = simple_upload(world.hamlet, world.town_square, b"x")
    expect_error(missing, 400, "api.context.invalid_url_param.app_error")
    secret = private_channel(world, world.hamlet)
    outsider = simple_upload(world.othello, secret, b"x", filename="x.txt")
    expect_error(outsider, 403, "api.context.permissions.app_error")
    world.admin.ok("PUT", "/config/patch", {"FileSettings": {"MaxFileSize": 1000}})
    try:
        big = simple_upload(world.hamlet, world.town_square, b"x" * 5000, filename="big.bin")
        expect_error(big, 413, "api.file.upload_file.too_large_detailed.app_error")
    finally:
        world.admin.ok("PUT", "/config/patch", {"FileSettings": {"MaxFileSize": 100 * 1024 * 1024}})


def test_a_video_can_be_read_in_ranges(world: World) -> None:
    data = bytes(range(256)) * 40
    info = upload(world.hamlet, world.town_square, "clip.mp4", data)
    whole = download(world.hamlet, info["id"])
    assert whole.headers["accept-ranges"] == "bytes" and whole.headers["content-type"] == "video/mp4"
    part = world.hamlet.get(f"/files/{info['id']}", headers={"Range": "bytes=100-199"})
    assert part.status_code == 206 and part.content == data[100:200]
    assert part.headers["content-range"] == f"bytes 100-199/{len(data)}"
    tail = world.hamlet.get(f"/files/{info['id']}", headers={"Range": "bytes=-10"})
    assert tail.status_code == 206 and tail.content == data[-10:]
    beyond = world.hamlet.get(f"/files/{info['id']}", headers={"Range": f"bytes={len(data)}-"})
    expect_error(beyond, 416, "api.file.read_file.app_error")
    assert beyond.headers["content-range"] == "bytes */" + str(len(data))


def test_client_ids_and_channel_ids_must_agree(world: World) -> None:
    body, content_type = multipart(
        [
            ("channel_id", None, world.town_square["id"].encode()),
            ("files", "a.txt", b"a"),
            ("files", "b.txt", b"b"),
            ("client_ids", None, b"only-one"),
        ]
    )
    response = world.hamlet.request("POST", "/files", content=body, headers={"Content-Type": content_type})
    expect_error(response, 400, "api.file.upload_file.incorrect_number_of_client_ids.app_error")
    body, content_type = multipart(
        [("files", "a.txt", b"a"), ("channel_id", None, world.off_topic["id"].encode())]
    )
    response = world.hamlet.request(
        "POST",
        "/files",
        content=body,
        headers={"Content-Type": content_type},
        params={"channel_id": world.town_square["id"]},
    )
    expect_error(response, 400, "api.file.upload_file.multiple_channel_ids.app_error")
    body, content_type = multipart([("files", "a.txt", b"a"), ("files", "b.txt", b"b")])
    response = world.hamlet.request(
        "POST",
        "/files",
        content=body,
        headers={"Content-Type": content_type},
        params={"channel_id": world.town_square["id"]},
    )
    assert response.status_code == 201 and len(response.json()["file_infos"]) == 2
    assert response.json()["client_ids"] == []


def test_png_and_webp_metadata_is_stripped_too(world: World) -> None:
    exif = Image.Exif()
    exif[MAKE] = "SpyCam"
    exif[GPS_IFD] = {1: "N", 2: (52.0, 31.0, 12.0)}
    text = PngImagePlugin.PngInfo()
    text.add_text("Comment", "taken at home, 12 Elm Street")
    png = image_bytes("PNG", (50, 40), exif=exif, pnginfo=text)
    webp = image_bytes("WEBP", (50, 40), exif=exif)
    for name, data in (("a.png", png), ("b.webp", webp)):
        assert b"SpyCam" in data
        info = upload(world.hamlet, world.town_square, name, data)
        stored = download(world.hamlet, info["id"]).content
        assert b"SpyCam" not in stored and b"Elm Street" not in stored
        picture = Image.open(io.BytesIO(stored))
        assert picture.size == (50, 40) and not picture.getexif()


def test_an_avif_photo_loses_its_location_too(world: World) -> None:
    exif = Image.Exif()
    exif[MAKE] = "SpyCam"
    exif[GPS_IFD] = {1: "N", 2: (52.0, 31.0, 12.0)}
    avif = image_bytes("AVIF", (64, 48), exif=exif)
    assert b"SpyCam" in avif
    info = upload(world.hamlet, world.town_square, "phone.avif", avif)
    assert (info["width"], info["height"], info["mime_type"]) == (64, 48, "image/webp")
    stored = download(world.hamlet, info["id"])
    assert stored.headers["content-type"] == "image/webp" and b"SpyCam" not in stored.content
    picture = Image.open(io.BytesIO(stored.content))
    assert picture.size == (64, 48) and not picture.getexif()


def test_an_iphone_heic_photo_loses_its_location_and_becomes_a_jpeg(world: World) -> None:
    pillow_heif.register_heif_opener()  # to write the test's HEIC
    exif = Image.Exif()
    exif[MAKE] = "SpyCam"
    exif[GPS_IFD] = {1: "N", 2: (52.0, 31.0, 12.0)}
    heic = image_bytes("HEIF", (64, 48), exif=exif.tobytes())
    assert heic[4:12] == b"ftypheic" and b"SpyCam" in heic
    info = upload(world.hamlet, world.town_square, "IMG_0001.HEIC", heic)
    assert (info["width"], info["height"], info["mime_type"]) == (64, 48, "image/jpeg")
    assert info["has_preview_image"] is True
    stored = download(world.hamlet, info["id"])
    assert stored.headers["content-type"] == "image/jpeg" and b"SpyCam" not in stored.content
    picture = Image.open(io.BytesIO(stored.content))
    assert picture.size == (64, 48) and not picture.getexif()


def test_a_jpeg_2000_photo_loses_its_metadata_too(world: World) -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 200)).save(buffer, "JPEG2000", comment=b"SpyCam at 52.31N 13.24E")
    jp2 = buffer.getvalue()
    assert jp2.startswith(b"\x00\x00\x00\x0cjP  ") and b"SpyCam" in jp2
    info = upload(world.hamlet, world.town_square, "scan.jp2", jp2)
    assert (info["width"], info["height"], info["mime_type"]) == (40, 30, "image/jpeg")
    stored = download(world.hamlet, info["id"])
    assert stored.headers["content-type"] == "image/jpeg" and b"SpyCam" not in stored.content


def test_a_large_file_streams_up_and_back_in_ranges(world: World) -> None:
    """Bigger than one S3 part (5 MiB), so the amazons3 driver sends it as a multipart upload."""
    data = bytes(range(256)) * (6 * 4096 + 7)
    info = upload(world.hamlet, world.town_square, "backup.bin", data)
    assert info["size"] == len(data)
    assert download(world.hamlet, info["id"]).content == data
    middle = 5 * 1024 * 1024 - 3
    part = world.hamlet.get(f"/files/{info['id']}", headers={"Range": f"bytes={middle}-{middle + 9}"})
    assert part.status_code == 206 and part.content == data[middle : middle + 10]


def test_an_edit_can_add_and_remove_attachments(world: World) -> None:
    first = upload(world.hamlet, world.town_square, "one.txt", b"one")
    second = upload(world.hamlet, world.town_square, "two.txt", b"two")
    created = post(world.hamlet, world.town_square, "files", file_ids=[first["id"]])
    patched = world.hamlet.ok("PUT", f"/posts/{created['id']}/patch", {"file_ids": [second["id"]]})
    assert patched["file_ids"] == [second["id"]]
    assert [f["id"] for f in patched["metadata"]["files"]] == [second["id"]]
    expect_error(download(world.othello, first["id"]), 404, "app.file_info.get.app_error")
    assert download(world.othello, second["id"]).content == b"two"
    othellos = upload(world.othello, world.town_square, "mine.txt", b"mine")
    response = world.hamlet.put(f"/posts/{created['id']}/patch", {"file_ids": [second["id"], othellos["id"]]})
    expect_error(response, 400, "model.post.is_valid.file_ids.app_error")
    assert world.hamlet.ok("GET", f"/posts/{created['id']}")["file_ids"] == [second["id"]]
