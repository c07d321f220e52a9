"""Where an import's lines and attachments come from: a JSON Lines file (attachments in a `data/`
folder beside it) or a zip with the `.jsonl` at its root and attachments under `data/`, as
`mmctl export create` and mmetl pack them. Lines are read one at a time, so memory stays flat
however long the file is.

A zip is checked before anything is read from it: no entry may name a path outside the archive,
none may inflate more than MAX_RATIO times its compressed size, and all together may not inflate
past MAX_TOTAL_BYTES (a Slack zip of 5 MB once inflated to 5 GB in Mattermost, MM-19880). The
sizes a zip declares cannot lie upwards: Python's zipfile reads no more than the declared size
of an entry, and fails on a CRC mismatch.
"""

import posixpath
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

# Mattermost reads lines of up to 16 MiB (MM-22314).
MAX_LINE_BYTES = 16 * 1024 * 1024
MAX_RATIO = 100
MAX_TOTAL_BYTES = 64 * 1024**3
DATA_DIR = "data"


class SourceError(Exception):
    """The file as a whole cannot be imported (not a line's fault)."""


def attachment_path(path: str) -> str | None:
    """The attachment's place under data/, or None when the path would escape it (Mattermost's
    ValidateAttachmentPathForImport: joined under data/, refused if `..` leads out)."""
    if not path or "\\" in path or "\x00" in path or path.startswith("/"):
        return None
    joined = posixpath.normpath(posixpath.join(DATA_DIR, path))
    if not joined.startswith(DATA_DIR + "/"):
        return None
    return joined


class Source:
    """An opened import file: `lines()` may be called once per pass."""

    def __init__(self, path: Path, *, max_total_bytes: int = MAX_TOTAL_BYTES) -> None:
        self.path = path
        self._zip: zipfile.ZipFile | None = None
        self._jsonl = ""
        if not path.is_file():
            raise SourceError(f"{path}: no such file")
        if zipfile.is_zipfile(path):
            try:
                self._zip = zipfile.ZipFile(path)
            except zipfile.BadZipFile as error:
                raise SourceError(f"{path}: not a readable zip ({error})") from None
            self._jsonl = _check_archive(self._zip, max_total_bytes)

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()

    def lines(self) -> Iterator[tuple[int, bytes]]:
        """(line number from 1, the line's bytes), blank lines skipped."""
        with self._open_jsonl() as stream:
            number = 0
            while True:
                line = stream.readline(MAX_LINE_BYTES + 1)
                if not line:
                    return
                number += 1
                if len(line) > MAX_LINE_BYTES:
                    raise SourceError(f"line {number}: longer than {MAX_LINE_BYTES} bytes")
                if line.strip():
                    yield number, line

    def _open_jsonl(self) -> IO[bytes]:
        if self._zip is not None:
            return self._zip.open(self._jsonl)
        return self.path.open("rb")

    def has_attachment(self, place: str) -> bool:
        """Whether data/<path> (already checked by attachment_path) is there."""
        if self._zip is not None:
            try:
                self._zip.getinfo(place)
            except KeyError:
                return False
            return True
        return (self.path.parent / place).is_file()

    def read_attachment(self, place: str, limit: int) -> bytes:
        """The attachment's bytes; more than `limit` (or than the zip said) is refused."""
        if self._zip is not None:
            info = self._zip.getinfo(place)
            allowed = min(info.file_size, limit)
            with self._zip.open(info) as stream:
                data = stream.read(allowed + 1)
        else:
            with (self.path.parent / place).open("rb") as stream:
                data = stream.read(limit + 1)
            allowed = limit
        if len(data) > allowed:
            raise SourceError(f"{place}: larger than allowed ({allowed} bytes)")
        return data


def _check_archive(archive: zipfile.ZipFile, max_total_bytes: int) -> str:
    """The root .jsonl's name, after refusing archives that escape or inflate too far."""
    total = 0
    jsonl = ""
    for info in archive.infolist():
        name = info.filename
        parts = name.split("/")
        if name.startswith("/") or "\\" in name or ".." in parts:
            raise SourceError(f"the zip entry {name!r} names a path outside the archive")
        # The lines themselves may compress well (a chat log repeats itself); files should not.
        inflated = info.file_size > MAX_RATIO * max(info.compress_size, 1) and info.file_size > 1024 * 1024
        if inflated and not name.endswith(".jsonl"):
            raise SourceError(
                f"the zip entry {name!r} inflates {info.file_size // max(info.compress_size, 1)} times "
                f"(more than {MAX_RATIO}): refused as a zip bomb"
            )
        total += info.file_size
        if total > max_total_bytes:
            raise SourceError(f"the zip inflates to more than {max_total_bytes:,} bytes: refused")
        # Mattermost takes the first .jsonl at the archive's root (imports.IsRootJsonlFile).
        if not jsonl and "/" not in name and name.endswith(".jsonl"):
            jsonl = name
    if not jsonl:
        raise SourceError("the zip has no .jsonl file at its root")
    return jsonl
