"""The text layer of uploads (files/text_layer.py): what file search reads, and what it refuses."""

import asyncio
from pathlib import Path

from tests.api.test_search import pdf_with_text
from villagepump.files import text_layer


def test_text_files_and_pdfs_give_their_text_and_nothing_else_is_read(tmp_path: Path) -> None:
    def extracted(name: str, data: bytes) -> str:
        path = tmp_path / name
        path.write_bytes(data)
        return asyncio.run(text_layer.extract_in_thread(path, path.suffix.lstrip(".")))

    assert extracted("notes.TXT", "Grüße aus Kraków\x00!".encode()) == "Grüße aus Kraków !"
    # Bytes that are not UTF-8 are replaced, not refused.
    assert extracted("log.csv", b"a;b\xff;c") == "a;b\ufffd;c"
    # The PDF is read by a child process.
    assert extracted("paper.pdf", pdf_with_text("marsupial survey")).strip() == "marsupial survey"
    # What cannot be read has no text, and no error reaches the upload.
    assert extracted("broken.pdf", b"%PDF-1.4 not really") == ""
    assert extracted("photo.png", b"marsupial survey") == ""
    assert extracted("archive.zip", b"PK marsupial") == ""


def test_the_text_kept_is_bounded(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"word " * (text_layer.MAX_TEXT_BYTES // 5 + 1000))
    text = asyncio.run(text_layer.extract_in_thread(path, "txt"))
    assert len(text) == text_layer.MAX_CHARACTERS
