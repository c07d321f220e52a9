"""Files: upload (multipart, streamed), download, info, thumbnail, preview, and links."""

from collections.abc import AsyncIterator
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from villagepump import errors, permissions
from villagepump.actions import files as file_actions
from villagepump.api.authentication import require_caller
from villagepump.api.http import json_response, path_id, query_bool, runtime
from villagepump.files import content_types, uploads
from villagepump.files.storage import storage_for
from villagepump.ids import is_valid_id
from villagepump.render.files import render_file_info
from villagepump.store import Row
from villagepump.store import files as file_store

# X-Content-Type-Options: nosniff comes with every response (api/middleware.py).
_SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "Cache-Control": "private, max-age=86400",
}


async def upload_files(request: Request) -> Response:
    caller = await require_caller(request)
    rt = runtime(request)
    channel_id = request.query_params.get("channel_id", "")
    if channel_id:
        _check_channel_id(channel_id)
        # Known before the body: an outsider is refused without sending a byte more.
        await file_actions.precheck_upload(rt, caller, channel_id)
    staging = rt.settings.data_dir / "uploads"
    upload = await uploads.read_upload(
        request.stream(), request.headers.get("content-type", ""), staging, rt.settings.max_file_size
    )
    try:
        # The mobile app sends its files before channel_id: the check waits for the whole form.
        channel_id = channel_id or (upload.fields.get("channel_id") or [""])[0]
        _check_channel_id(channel_id)
        if not upload.files:
            raise errors.bad_request("api.file.upload_file.incorrect_number_of_files.app_error", "No files.")
        infos = await file_actions.upload_files(rt, caller, channel_id, upload.files)
    finally:
        await uploads.discard(upload)
    client_ids = upload.fields.get("client_ids", [])
    return json_response({"file_infos": infos, "client_ids": client_ids}, 201)


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
    return await _serve(request, info, info["path"], info["name"], query_bool(request, "download"))


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


async def get_file_link(request: Request) -> Response:
    await _readable(request)
    # Public links come with the S3 slice; until then they are off, as Mattermost answers.
    raise errors.APIError(
        501, "api.file.get_public_link.disabled.app_error", "Public links have been disabled."
    )


async def get_post_files(request: Request) -> Response:
    caller = await require_caller(request)
    async with runtime(request).db.read() as conn:
        post, _ = await permissions.require_post_read(conn, caller, path_id(request, "post_id"))
        found = await file_store.files_for_posts(conn, [post["id"]])
    return json_response([render_file_info(info) for info in found.get(post["id"], [])])


async def _serve(request: Request, info: Row, key: str, name: str, download: bool) -> Response:
    storage = storage_for(runtime(request).settings)
    if not await storage.exists(key):
        raise errors.not_found("file", "api.file.no_file.app_error")
    chunks = storage.read(key)
    head = await anext(chunks, b"")
    content_type = content_types.sniff(head, info["extension"])
    disposition = "attachment" if download or not content_types.inline_allowed(content_type) else "inline"
    headers = {
        **_SECURITY_HEADERS,
        "Content-Disposition": f"{disposition}; filename*=UTF-8''{quote(name, safe='')}",
    }
    return StreamingResponse(_prepend(head, chunks), media_type=content_type, headers=headers)


async def _prepend(head: bytes, chunks: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
    if head:
        yield head
    async for chunk in chunks:
        yield chunk


routes = [
    Route("/files", upload_files, methods=["POST"]),
    Route("/files/{file_id}", get_file, methods=["GET"]),
    Route("/files/{file_id}/info", get_file_info, methods=["GET"]),
    Route("/files/{file_id}/thumbnail", get_thumbnail, methods=["GET"]),
    Route("/files/{file_id}/preview", get_preview, methods=["GET"]),
    Route("/files/{file_id}/link", get_file_link, methods=["GET"]),
    Route("/posts/{post_id}/files/info", get_post_files, methods=["GET"]),
]
