"""Files: upload (multipart, streamed), download, info, thumbnail, preview, and links."""

import re
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from villagepump import errors, permissions
from villagepump.actions import files as file_actions
from villagepump.api.authentication import require_caller
from villagepump.api.http import json_response, path_id, query_bool, query_str, runtime
from villagepump.files import content_types, uploads
from villagepump.files.storage import staging_dir, storage_for
from villagepump.ids import is_valid_id
from villagepump.render.files import render_file_info
from villagepump.store import Row
from villagepump.store import files as file_store

# X-Content-Type-Options: nosniff comes with every response (api/middleware.py).
_SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "X-Frame-Options": "DENY",
    "Cache-Control": "private, max-age=86400",
}
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


async def upload_files(request: Request) -> Response:
    caller = await require_caller(request)
    rt = runtime(request)
    channel_id = request.query_params.get("channel_id", "")
    content_type = request.headers.get("content-type", "")
    simple = not uploads.is_multipart(content_type)
    if simple:
        # Mattermost's other form: the body is the one file, its channel and name are in the
        # query (the Go client's UploadFileAsRequestBody sends this).
        if not channel_id:
            raise _invalid_url_param("channel_id")
        if not request.query_params.get("filename", ""):
            raise _invalid_url_param("filename")
    if channel_id:
        _check_channel_id(channel_id)
        # Known before the body: an outsider is refused without sending a byte more.
        await file_actions.precheck_upload(rt, caller, channel_id)
    max_size = rt.settings.max_file_size
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_size + uploads.REQUEST_OVERHEAD:
        raise uploads.too_large(max_size)
    staging = staging_dir(rt.settings)
    if simple:
        upload = await uploads.read_body(
            request.stream(), request.query_params["filename"], staging, max_size
        )
        client_id = request.query_params.get("client_id", "")
        upload.fields["client_ids"] = [client_id] if client_id else []
    else:
        upload = await uploads.read_upload(request.stream(), content_type, staging, max_size)
    try:
        # The mobile app sends its files before channel_id: the check waits for the whole form.
        channel_id = _form_channel_id(upload, channel_id)
        client_ids = upload.fields.get("client_ids", [])
        if not upload.files:
            raise errors.bad_request("api.file.upload_file.incorrect_number_of_files.app_error", "No files.")
        if client_ids and len(client_ids) != len(upload.files):
            raise errors.bad_request(
                "api.file.upload_file.incorrect_number_of_client_ids.app_error",
                "Send one client id for each file, or none.",
            )
        infos = await file_actions.upload_files(rt, caller, channel_id, upload.files)
    finally:
        await uploads.discard(upload)
    return json_response({"file_infos": infos, "client_ids": client_ids}, 201)


def _form_channel_id(upload: uploads.Upload, from_query: str) -> str:
    in_form = set(upload.fields.get("channel_id", []))
    if len(in_form) > 1 or (from_query and in_form and in_form != {from_query}):
        raise errors.bad_request(
            "api.file.upload_file.multiple_channel_ids.app_error", "All files must go to one channel."
        )
    channel_id = from_query or next(iter(in_form), "")
    _check_channel_id(channel_id)
    return channel_id


def _invalid_url_param(name: str) -> errors.APIError:
    return errors.APIError(
        400, "api.context.invalid_url_param.app_error", f"Invalid or missing {name} in request URL."
    )


def _check_channel_id(channel_id: str) -> None:
    if not is_valid_id(channel_id):
        raise errors.invalid_param("channel_id")


async def _readable(request: Request) -> Row:
    caller = await require_caller(request)
    async with runtime(request).db.read() as conn:
        return await file_actions.require_file_read(conn, caller, path_id(request, "file_id"))


async def get_file_info(request: Request) -> Response:
    return json_response(render_file_info(await _readable(request)))


async def get_file(request: Request) -> Response:
    info = await _readable(request)
    byte_range = _byte_range(request, info["size"])
    return await _serve(
        request, info, info["path"], info["name"], query_bool(request, "download"), byte_range
    )


def _byte_range(request: Request, size: int) -> tuple[int, int] | None:
    """One `Range: bytes=a-b` as [start, end); iOS plays video only from a server that has them."""
    match = _RANGE.match(request.headers.get("range", "").strip())
    if match is None or not (match[1] or match[2]):
        return None
    if not match[1]:
        start, end = max(0, size - int(match[2])), size
    else:
        start, end = int(match[1]), min(size, int(match[2]) + 1) if match[2] else size
    if start >= end:
        # Mattermost answers this from Go's http.ServeContent, with no error id of its own; the
        # envelope carries its generic read failure, the header says what there is.
        error = errors.APIError(416, "api.file.read_file.app_error", "Requested range not satisfiable.")
        error.headers["Content-Range"] = f"bytes */{size}"
        raise error
    return start, end


async def get_thumbnail(request: Request) -> Response:
    info = await _readable(request)
    if not info["thumbnail_path"]:
        raise errors.bad_request(
            "api.file.get_file_thumbnail.no_thumbnail.app_error", "File has no thumbnail."
        )
    return await _serve(request, info, info["thumbnail_path"], info["name"], query_bool(request, "download"))


async def get_preview(request: Request) -> Response:
    info = await _readable(request)
    if not info["preview_path"]:
        raise errors.bad_request("api.file.get_file_preview.no_preview.app_error", "File has no preview.")
    return await _serve(request, info, info["preview_path"], info["name"], query_bool(request, "download"))


def _require_public_links(request: Request) -> None:
    path_id(request, "file_id")
    if not runtime(request).settings.enable_public_link:
        raise errors.APIError(
            403, "api.file.get_public_link.disabled.app_error", "Public links have been disabled."
        )


async def get_file_link(request: Request) -> Response:
    _require_public_links(request)
    info = await _readable(request)
    if not info["post_id"]:
        raise errors.bad_request(
            "api.file.get_public_link.no_post.app_error",
            "Only a file attached to a post can have a public link.",
        )
    rt = runtime(request)
    site = rt.settings.site_url.rstrip("/") or str(request.base_url).rstrip("/")
    link_hash = await file_actions.public_link_hash(rt, info["id"])
    return json_response({"link": f"{site}/api/v4/files/{info['id']}/public?h={link_hash}"})


async def get_public_file(request: Request) -> Response:
    """No session: the hash in the link is the permission. Turning public links off, or deleting
    the post, ends every link at once."""
    _require_public_links(request)
    rt = runtime(request)
    info = await file_actions.require_public_file(rt, path_id(request, "file_id"), query_str(request, "h"))
    return await _serve(request, info, info["path"], info["name"], True)


async def get_post_files(request: Request) -> Response:
    caller = await require_caller(request)
    async with runtime(request).db.read() as conn:
        post, _ = await permissions.require_post_read(conn, caller, path_id(request, "post_id"))
        found = await file_store.files_for_posts(conn, [post["id"]])
    return json_response([render_file_info(info) for info in found.get(post["id"], [])])


async def _serve(
    request: Request,
    info: Row,
    key: str,
    name: str,
    download: bool,
    byte_range: tuple[int, int] | None = None,
) -> Response:
    storage = storage_for(runtime(request).settings)
    if not await storage.exists(key):
        raise errors.not_found("file", "api.file.no_file.app_error")
    head = b"".join([chunk async for chunk in storage.read(key, 0, content_types.SNIFF_BYTES)])
    content_type = content_types.sniff(head, info["extension"])
    disposition = "attachment" if download or not content_types.inline_allowed(content_type) else "inline"
    quoted = quote(name, safe="")
    headers = {
        **_SECURITY_HEADERS,
        "Content-Disposition": f"{disposition};filename=\"{quoted}\"; filename*=UTF-8''{quoted}",
    }
    if key != info["path"]:
        return StreamingResponse(storage.read(key), media_type=content_type, headers=headers)
    headers["Accept-Ranges"] = "bytes"
    start, end = byte_range or (0, info["size"])
    headers["Content-Length"] = str(end - start)
    status = 200
    if byte_range is not None:
        status = 206
        headers["Content-Range"] = f"bytes {start}-{end - 1}/{info['size']}"
    return StreamingResponse(storage.read(key, start, end), status, media_type=content_type, headers=headers)


routes = [
    Route("/files", upload_files, methods=["POST"]),
    Route("/files/{file_id}", get_file, methods=["GET"]),
    Route("/files/{file_id}/info", get_file_info, methods=["GET"]),
    Route("/files/{file_id}/thumbnail", get_thumbnail, methods=["GET"]),
    Route("/files/{file_id}/preview", get_preview, methods=["GET"]),
    Route("/files/{file_id}/link", get_file_link, methods=["GET"]),
    Route("/files/{file_id}/public", get_public_file, methods=["GET"]),
    Route("/posts/{post_id}/files/info", get_post_files, methods=["GET"]),
]
