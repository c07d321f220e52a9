"""Reading a multipart upload as it streams in: each file part goes straight to a temporary file
on local disk, so no upload is ever held whole in memory, and a part that grows past the size limit
stops the reading there."""

import asyncio
import contextlib
import os
import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from python_multipart.multipart import MultipartParser, parse_options_header

from villagepump import errors

MAX_FIELD_BYTES = 4096
MAX_PARTS = 64
# Mattermost caps a whole upload request at MaxFileSize and a little: one file per request, plus
# its form fields and multipart framing.
REQUEST_OVERHEAD = 16 * 1024


def too_large(max_file_size: int) -> errors.APIError:
    return errors.APIError(
        413,
        "api.file.upload_file.too_large_detailed.app_error",
        f"Unable to upload file. File is too large (over {max_file_size} bytes).",
    )


@dataclass(slots=True)
class StagedFile:
    """An uploaded file on local disk, waiting for its channel to be checked."""

    path: Path
    name: str
    size: int


@dataclass
class Upload:
    fields: dict[str, list[str]] = field(default_factory=dict)
    files: list[StagedFile] = field(default_factory=list)
    # The form field whose files are kept ("files" for /files, "image" for pictures and emoji).
    file_field: str = "files"


class _Part:
    def __init__(self) -> None:
        self.header_name = b""
        self.header_value = b""
        self.headers: dict[bytes, bytes] = {}
        self.name = ""
        self.filename: str | None = None
        self.data = bytearray()
        self.handle: IO[bytes] | None = None
        self.path: Path | None = None
        self.size = 0


def is_multipart(content_type: str) -> bool:
    kind, _ = parse_options_header(content_type)
    return bool(kind == b"multipart/form-data")


async def read_body(chunks: AsyncIterator[bytes], filename: str, staging: Path, max_file_size: int) -> Upload:
    """A request whose whole body is one file, staged under `staging` as it streams in; the
    caller removes it (`discard`)."""
    await asyncio.to_thread(staging.mkdir, parents=True, exist_ok=True)
    descriptor, name = await asyncio.to_thread(tempfile.mkstemp, dir=staging, prefix="upload-")
    path = Path(name)
    handle = os.fdopen(descriptor, "wb")
    size = 0
    try:
        async for chunk in chunks:
            size += len(chunk)
            if size > max_file_size:
                raise too_large(max_file_size)
            await asyncio.to_thread(handle.write, chunk)
        await asyncio.to_thread(handle.close)
    except BaseException:
        # Synchronous: a cancelled request must still not leave its bytes behind.
        handle.close()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)
        raise
    return Upload(files=[StagedFile(path, filename, size)])


async def read_upload(
    chunks: AsyncIterator[bytes],
    content_type: str,
    staging: Path,
    max_file_size: int,
    file_field: str = "files",
) -> Upload:
    """The form fields and the files staged under `staging`. On any error the staged files are
    removed; on success the caller removes them (`discard`)."""
    kind, options = parse_options_header(content_type)
    boundary = options.get(b"boundary")
    if kind != b"multipart/form-data" or not boundary:
        raise errors.bad_request(
            "api.file.upload_file.read_request.app_error", "Expected multipart/form-data."
        )
    await asyncio.to_thread(staging.mkdir, parents=True, exist_ok=True)
    upload = Upload(file_field=file_field)
    events: list[tuple[str, Any]] = []
    parser = MultipartParser(
        boundary,
        {
            "on_part_begin": lambda: events.append(("begin", None)),
            "on_header_field": lambda d, s, e: events.append(("header_field", bytes(d[s:e]))),
            "on_header_value": lambda d, s, e: events.append(("header_value", bytes(d[s:e]))),
            "on_header_end": lambda: events.append(("header_end", None)),
            "on_headers_finished": lambda: events.append(("headers_finished", None)),
            "on_part_data": lambda d, s, e: events.append(("data", bytes(d[s:e]))),
            "on_part_end": lambda: events.append(("end", None)),
        },
    )
    part: _Part | None = None
    received = 0
    try:
        async for chunk in chunks:
            received += len(chunk)
            if received > max_file_size + REQUEST_OVERHEAD:
                raise too_large(max_file_size)
            try:
                parser.write(chunk)
            except Exception as error:
                raise errors.bad_request(
                    "api.file.upload_file.read_request.app_error", "Unable to read the multipart request."
                ) from error
            for event, value in events:
                part = await _apply(upload, part, event, value, staging, max_file_size)
            events.clear()
        parser.finalize()
    except BaseException:
        if part is not None and part.handle is not None:
            part.handle.close()
        await discard(upload)
        if part is not None and part.path is not None:
            part.path.unlink(missing_ok=True)
        raise
    return upload


async def _apply(
    upload: Upload, part: _Part | None, event: str, value: Any, staging: Path, max_file_size: int
) -> _Part | None:
    if event == "begin":
        if len(upload.files) + sum(len(v) for v in upload.fields.values()) >= MAX_PARTS:
            raise errors.bad_request("api.file.upload_file.read_request.app_error", "Too many parts.")
        return _Part()
    assert part is not None
    if event == "header_field":
        part.header_name += value
    elif event == "header_value":
        part.header_value += value
    elif event == "header_end":
        part.headers[part.header_name.lower()] = part.header_value
        part.header_name = part.header_value = b""
    elif event == "headers_finished":
        await _start_part(part, staging)
    elif event == "data":
        await _part_data(part, value, max_file_size)
    elif event == "end":
        await _end_part(upload, part)
        return None
    return part


async def _start_part(part: _Part, staging: Path) -> None:
    _, options = parse_options_header(part.headers.get(b"content-disposition", b""))
    part.name = options.get(b"name", b"").decode("utf-8", "replace")
    if b"filename" in options:
        part.filename = options[b"filename"].decode("utf-8", "replace")
        descriptor, name = await asyncio.to_thread(tempfile.mkstemp, dir=staging, prefix="upload-")
        part.path = Path(name)
        part.handle = os.fdopen(descriptor, "wb")


async def _part_data(part: _Part, data: bytes, max_file_size: int) -> None:
    part.size += len(data)
    if part.handle is None:
        if part.size > MAX_FIELD_BYTES:
            raise errors.bad_request(
                "api.file.upload_file.read_request.app_error", "A form field is too long."
            )
        part.data += data
        return
    if part.size > max_file_size:
        raise too_large(max_file_size)
    await asyncio.to_thread(part.handle.write, data)


async def _end_part(upload: Upload, part: _Part) -> None:
    if part.handle is None:
        upload.fields.setdefault(part.name, []).append(part.data.decode("utf-8", "replace"))
        return
    await asyncio.to_thread(part.handle.close)
    part.handle = None
    assert part.path is not None and part.filename is not None
    if part.name == upload.file_field:
        upload.files.append(StagedFile(part.path, part.filename, part.size))
    else:
        part.path.unlink(missing_ok=True)


async def discard(upload: Upload) -> None:
    for staged in upload.files:
        await asyncio.to_thread(staged.path.unlink, True)
