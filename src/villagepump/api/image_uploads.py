"""Reading one picture from a multipart request (profile pictures, team icons, custom emoji): the
body streams to a staged file on local disk under a size limit, as /files uploads do."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.requests import Request

from villagepump import errors
from villagepump.api.http import runtime
from villagepump.files import uploads


@asynccontextmanager
async def staged_image(
    request: Request,
    max_size: int,
    *,
    too_large: errors.APIError,
    unreadable: errors.APIError,
    no_file: errors.APIError | None,
) -> AsyncIterator[uploads.Upload]:
    """The form, with its `image` parts staged on disk (`upload.files`; the first is the picture);
    they are removed when the block ends. Without any, `no_file` is raised (None: the caller checks).
    A request whose Content-Length is over `max_size` is refused before its body is read, as
    Mattermost does."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_size:
        raise too_large
    staging = runtime(request).settings.data_dir / "uploads"
    try:
        upload = await uploads.read_upload(
            request.stream(), request.headers.get("content-type", ""), staging, max_size, "image"
        )
    except errors.APIError as error:
        raise (too_large if error.status_code == 413 else unreadable) from error
    try:
        if not upload.files and no_file is not None:
            raise no_file
        yield upload
    finally:
        await uploads.discard(upload)
