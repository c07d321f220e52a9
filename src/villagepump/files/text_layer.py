"""The text layer of an uploaded file, which file search looks in beside its name (as
Mattermost's FileSettings.ExtractContent does): what a reader finds in the file without
running anything. Plain text is read as it is; a PDF's text is what pypdf finds on its first
pages. Other files (pictures, archives, office documents) have none here.

Extraction is bounded, since the file is someone's upload: so many bytes of text, so many
pages of a PDF, so many characters kept. A file that cannot be read has no text; the upload
goes on regardless. A PDF is read in a child process of its own, with a time and memory limit:
pypdf is pure Python, and in a thread it would hold the interpreter's lock against the event
loop for as long as a hostile or merely large file takes.
"""

import asyncio
import logging
import resource
import sys
from pathlib import Path

MAX_TEXT_BYTES = 1 << 20
MAX_PDF_BYTES = 20 << 20
MAX_PDF_PAGES = 50
MAX_CHARACTERS = 200_000
PDF_SECONDS = 10
PDF_MEMORY_BYTES = 512 << 20
# Formats that are text to a reader; their names, not their bytes, decide, as for the type a
# file is served with (files/content_types.py).
TEXT_EXTENSIONS = frozenset(
    {
        "txt", "text", "md", "markdown", "rst", "csv", "tsv", "log", "json", "yaml", "yml",
        "toml", "ini", "cfg", "conf", "tex", "srt", "vtt", "py", "js", "ts", "tsx", "jsx",
        "go", "rs", "java", "kt", "c", "h", "cc", "cpp", "hpp", "cs", "rb", "php", "pl",
        "lua", "sh", "sql", "css", "scss", "patch", "diff",
    }
)  # fmt: skip

logger = logging.getLogger(__name__)


def has_text_layer(extension: str) -> bool:
    return extension.lower() in TEXT_EXTENSIONS or extension.lower() == "pdf"


async def extract_in_thread(path: Path, extension: str) -> str:
    """The file's text, read off the event loop (a PDF in a child process); "" if it has none."""
    if not has_text_layer(extension):
        return ""
    if extension.lower() == "pdf":
        return await _pdf_in_child(path)
    return await asyncio.to_thread(extract, path, extension)


async def _pdf_in_child(path: Path) -> str:
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        __name__,
        str(path),
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        output, _ = await asyncio.wait_for(child.communicate(), PDF_SECONDS)
    except TimeoutError:
        logger.info("no text layer read from an uploaded PDF within %d s", PDF_SECONDS)
        return ""
    finally:
        if child.returncode is None:
            child.kill()
            await child.wait()
    # A child that ran out of memory, or failed otherwise, found no text.
    return output.decode("utf-8", errors="replace") if child.returncode == 0 else ""


def extract(path: Path, extension: str) -> str:
    extension = extension.lower()
    try:
        if extension == "pdf":
            text = _pdf_text(path)
        elif extension in TEXT_EXTENSIONS:
            with path.open("rb") as file:
                text = file.read(MAX_TEXT_BYTES).decode("utf-8", errors="replace")
        else:
            return ""
    except Exception as error:  # noqa: BLE001 - an unreadable upload has no text, nothing more
        logger.info("no text layer in an uploaded .%s file: %s", extension, error)
        return ""
    return text.replace("\x00", " ")[:MAX_CHARACTERS]


def _pdf_text(path: Path) -> str:
    if path.stat().st_size > MAX_PDF_BYTES:
        return ""
    from pypdf import PdfReader  # imported when a PDF comes: most servers never pay for it

    reader = PdfReader(path)
    parts: list[str] = []
    size = 0
    for page in reader.pages[:MAX_PDF_PAGES]:
        text = page.extract_text() or ""
        parts.append(text)
        size += len(text)
        if size >= MAX_CHARACTERS:
            break
    return "\n".join(parts)


if __name__ == "__main__":
    # The child that reads one PDF for the server (_pdf_in_child): its text on standard output.
    resource.setrlimit(resource.RLIMIT_AS, (PDF_MEMORY_BYTES, PDF_MEMORY_BYTES))
    sys.stdout.buffer.write(extract(Path(sys.argv[1]), "pdf").encode("utf-8", errors="replace"))
