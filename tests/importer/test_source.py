"""Opening an import file: what a zip may hold, and where attachment paths may lead."""

import zipfile
from pathlib import Path

import pytest

from villagepump.importer.source import Source, SourceError, attachment_path


def test_attachment_paths_stay_inside_data() -> None:
    assert attachment_path("bulk-export-attachments/a.png") == "data/bulk-export-attachments/a.png"
    assert attachment_path("emoji/x/../y/image") == "data/emoji/y/image"
    for escaping in ("../etc/passwd", "a/../../b", "/etc/passwd", "a\\..\\b", "", "..", "a\x00b"):
        assert attachment_path(escaping) is None, escaping


def test_a_zip_past_the_total_size_is_refused_before_a_line_is_read(tmp_path: Path) -> None:
    path = tmp_path / "big.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("import.jsonl", b'{"type":"version","version":1}\n')
        archive.writestr("data/a.bin", bytes(4000))
    with pytest.raises(SourceError, match="inflates to more than"):
        Source(path, max_total_bytes=2000)
    source = Source(path)
    assert [number for number, _ in source.lines()] == [1]
    source.close()


def test_a_zip_without_a_root_jsonl_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "nested.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("export/import.jsonl", b'{"type":"version","version":1}\n')
    with pytest.raises(SourceError, match="no .jsonl file at its root"):
        Source(path)


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="no such file"):
        Source(tmp_path / "nowhere.zip")
