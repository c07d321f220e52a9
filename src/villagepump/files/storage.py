"""Where file bytes live, behind one interface: a local directory now, S3-compatible storage later.

Keys are built by the server from ids only (see `file_key`), never from a client's file name, so
no upload can name a path outside its own directory.
"""

import asyncio
import os
import re
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Protocol

from villagepump import errors
from villagepump.config import Settings

CHUNK = 64 * 1024
_SAFE_KEY = re.compile(r"^[A-Za-z0-9_]+(/[A-Za-z0-9_.]+)*$")


class Storage(Protocol):
    async def write(self, key: str, chunks: AsyncIterator[bytes]) -> int:
        """Stores the stream under `key` whole or not at all; returns its size."""

    def read(self, key: str, start: int = 0, end: int | None = None) -> AsyncIterator[bytes]:
        """The bytes from `start` up to (not including) `end`, in chunks."""

    async def delete(self, key: str) -> None: ...

    async def exists(self, key: str) -> bool: ...

    def local_path(self, key: str) -> Path | None:
        """A path on this machine for Pillow to open, when the backend has one."""


def file_key(created_at_ms: int, file_id: str, kind: str) -> str:
    """Mattermost lays files out by day; `kind` is "original", "thumb.jpg", "preview.png", ..."""
    day = _day(created_at_ms)
    return f"{day}/{file_id}/{kind}"


def _day(created_at_ms: int) -> str:
    return time.strftime("%Y%m%d", time.gmtime(created_at_ms / 1000))


class LocalStorage:
    """Files under one directory. Writes go to a temporary name beside the target, then a rename,
    so a reader never sees half a file and a crash leaves only a temporary file behind."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()

    def _path(self, key: str) -> Path:
        if not _SAFE_KEY.match(key) or ".." in key:
            raise ValueError(f"unsafe storage key {key!r}")
        return self.root / key

    def local_path(self, key: str) -> Path | None:
        return self._path(key)

    async def write(self, key: str, chunks: AsyncIterator[bytes]) -> int:
        target = self._path(key)
        await asyncio.to_thread(target.parent.mkdir, parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.{os.urandom(6).hex()}.tmp")
        size = 0
        handle = await asyncio.to_thread(open, temporary, "wb")
        try:
            async for chunk in chunks:
                size += len(chunk)
                await asyncio.to_thread(handle.write, chunk)
            await asyncio.to_thread(handle.flush)
        except BaseException:
            handle.close()
            temporary.unlink(missing_ok=True)
            raise
        handle.close()
        await asyncio.to_thread(os.replace, temporary, target)
        return size

    async def read(self, key: str, start: int = 0, end: int | None = None) -> AsyncIterator[bytes]:
        path = self._path(key)
        handle = await asyncio.to_thread(open, path, "rb")
        try:
            await asyncio.to_thread(handle.seek, start)
            remaining = None if end is None else max(0, end - start)
            while remaining is None or remaining > 0:
                size = CHUNK if remaining is None else min(CHUNK, remaining)
                chunk = await asyncio.to_thread(handle.read, size)
                if not chunk:
                    break
                if remaining is not None:
                    remaining -= len(chunk)
                yield chunk
        finally:
            handle.close()

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self._path(key).unlink, missing_ok=True)

    async def exists(self, key: str) -> bool:
        return await asyncio.to_thread(self._path(key).is_file)


def storage_for(settings: Settings) -> Storage:
    """The backend FileSettings.DriverName names; only "local" so far (amazons3 comes next)."""
    if settings.file_driver != "local":
        # Mattermost's answer when file storage is not set up.
        raise errors.APIError(
            501, "api.file.upload_file.storage.app_error", "Only local file storage is available so far."
        )
    root = Path(settings.file_directory) if settings.file_directory else settings.data_dir / "files"
    return LocalStorage(root)
