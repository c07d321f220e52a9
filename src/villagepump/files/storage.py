"""Where file bytes live, behind one interface: a local directory or an S3-compatible bucket
(files/s3.py), as FileSettings.DriverName says.

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

from villagepump.config import Settings
from villagepump.files.s3 import S3Options, S3Storage, StorageUnavailable

__all__ = ["CHUNK", "LocalStorage", "S3Storage", "Storage", "StorageUnavailable", "file_key", "storage_for"]

CHUNK = 64 * 1024
# Beside the files, under the storage root: writes in progress.
TEMPORARY_DIR = ".tmp"
_SAFE_KEY = re.compile(r"^[A-Za-z0-9_]+(/[A-Za-z0-9_.]+)*$")


class Storage(Protocol):
    async def write(self, key: str, chunks: AsyncIterator[bytes]) -> int:
        """Stores the stream under `key` whole or not at all; returns its size."""

    def read(self, key: str, start: int = 0, end: int | None = None) -> AsyncIterator[bytes]:
        """The bytes from `start` up to (not including) `end`, in chunks."""

    async def delete(self, key: str) -> None:
        """Removes the key; a key that is not there is no error."""

    async def delete_many(self, keys: list[str]) -> None: ...

    async def exists(self, key: str) -> bool: ...

    async def check(self) -> None:
        """Raises StorageUnavailable when the storage cannot be used as configured."""

    def local_path(self, key: str) -> Path | None:
        """A path on this machine for Pillow to open, when the backend has one."""


def file_key(created_at_ms: int, file_id: str, kind: str) -> str:
    """Mattermost lays files out by day; `kind` is "original", "thumb.jpg", "preview.png", ..."""
    day = _day(created_at_ms)
    return f"{day}/{file_id}/{kind}"


def _day(created_at_ms: int) -> str:
    return time.strftime("%Y%m%d", time.gmtime(created_at_ms / 1000))


class LocalStorage:
    """Files under one directory. Writes go to a temporary file in <root>/.tmp, then a rename, so
    a reader never sees half a file and a crash leaves only a temporary file there, which
    the clean-up job removes (jobs: clean_files)."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.temporary_dir = self.root / TEMPORARY_DIR

    def _path(self, key: str) -> Path:
        if not _SAFE_KEY.match(key) or ".." in key:
            raise ValueError(f"unsafe storage key {key!r}")
        return self.root / key

    def local_path(self, key: str) -> Path | None:
        return self._path(key)

    async def write(self, key: str, chunks: AsyncIterator[bytes]) -> int:
        target = self._path(key)
        await asyncio.to_thread(target.parent.mkdir, parents=True, exist_ok=True)
        await asyncio.to_thread(self.temporary_dir.mkdir, parents=True, exist_ok=True)
        temporary = self.temporary_dir / f"{target.name}.{os.urandom(6).hex()}.tmp"
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

    async def delete_many(self, keys: list[str]) -> None:
        for key in keys:
            await self.delete(key)

    async def check(self) -> None:
        try:
            await asyncio.to_thread(self.root.mkdir, parents=True, exist_ok=True)
        except OSError as error:
            raise StorageUnavailable(
                "api.file.test_connection.app_error",
                f"Unable to use the file directory {self.root} (FileSettings.Directory): {error}",
            ) from error


_storages: dict[object, Storage] = {}


def storage_for(settings: Settings) -> Storage:
    """The backend FileSettings.DriverName names, one per configuration (an S3 client keeps its
    connections), made anew when an administrator changes the settings."""
    if settings.file_driver == "amazons3":
        options = S3Options.from_settings(settings)
        found = _storages.get(options)
        if found is None:
            # The old client is dropped, not closed: a download in flight still reads through it,
            # and its threads end when the last such read lets go of it.
            _storages.clear()
            found = _storages[options] = S3Storage(options)
        return found
    root = Path(settings.file_directory) if settings.file_directory else settings.data_dir / "files"
    return LocalStorage(root)


def staging_dir(settings: Settings) -> Path:
    """Where uploads wait on local disk while they stream in (files/uploads.py)."""
    return settings.data_dir / "uploads"
