"""OpenGraph data from an HTML page, in the shape Mattermost's clients read (the JSON of the
go-opengraph library Mattermost uses): og:* first, Twitter card tags and <title> / the
description meta tag where a page has no og:* tag, entities decoded, texts and lists capped."""

import codecs
import re
import urllib.parse
from html.parser import HTMLParser
from typing import Any

# Mattermost's model.TruncateOpenGraph: texts of at most 300 characters, at most 5 images.
MAX_TEXT = 300
MAX_IMAGES = 5
MAX_URL = 2048
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_\-:.]+)""", re.IGNORECASE)


def decode_html(body: bytes, charset: str) -> str:
    """The page's text: the charset the answer names, else a <meta charset> near the top, else
    UTF-8; bytes that do not decode become U+FFFD rather than an error."""
    for candidate in (charset, _meta_charset(body), "utf-8"):
        if candidate:
            try:
                codecs.lookup(candidate)
            except LookupError:
                continue
            return body.decode(candidate, errors="replace")
    return body.decode("utf-8", errors="replace")


def _meta_charset(body: bytes) -> str:
    found = _META_CHARSET.search(body[:4096])
    return found.group(1).decode("ascii").lower() if found else ""


def parse_opengraph(html: str, page_url: str, requested_url: str) -> dict[str, Any] | None:
    """The page's OpenGraph data, or None when it has none worth showing (no title, type or url,
    as Mattermost decides). Image URLs are made absolute against the page's own URL; `url` is
    the link as posted, not where redirects led (Mattermost does the same)."""
    parser = _MetaParser()
    try:
        parser.feed(html)
        parser.close()
    except _StopParsing:
        pass
    tags = parser.tags
    title = _first(tags, "og:title", "twitter:title") or parser.title
    description = _first(tags, "og:description", "twitter:description", "description")
    og_type = _first(tags, "og:type")
    og_url = _first(tags, "og:url")
    if not (title or og_type or og_url):
        return None
    images = _images(parser.images, page_url)
    if not images:
        twitter_image = _absolute(_first(tags, "twitter:image", "twitter:image:src"), page_url)
        if twitter_image:
            images = [_image(twitter_image)]
    return {
        "type": _text(og_type),
        "url": requested_url if og_url else "",
        "title": _text(title),
        "description": _text(description),
        "determiner": "",
        "site_name": _text(_first(tags, "og:site_name")),
        "locale": "",
        "locales_alternate": None,
        "images": images or None,
        "audios": None,
        "videos": None,
    }


def _first(tags: dict[str, str], *names: str) -> str:
    for name in names:
        if tags.get(name, "").strip():
            return tags[name]
    return ""


def _text(value: str) -> str:
    """Whitespace collapsed and capped. Entities were already decoded by the HTML parser, and a
    page that escaped twice (`&amp;amp;`) is shown as it wrote it, as in a browser."""
    value = " ".join(value.split())
    return value if len(value) <= MAX_TEXT else value[:MAX_TEXT]


def _absolute(url: str, page_url: str) -> str:
    url = url.strip()
    if not url:
        return ""
    resolved = urllib.parse.urljoin(page_url, url)
    if urllib.parse.urlsplit(resolved).scheme not in ("http", "https") or len(resolved) > MAX_URL:
        return ""
    return resolved


def _image(url: str) -> dict[str, Any]:
    return {"url": url, "secure_url": "", "type": "", "width": 0, "height": 0}


def _images(found: list[dict[str, str]], page_url: str) -> list[dict[str, Any]]:
    images: list[dict[str, Any]] = []
    for raw in found:
        url = _absolute(raw.get("url", ""), page_url)
        secure = _absolute(raw.get("secure_url", ""), page_url)
        if not (url or secure):
            continue
        image = _image(url)
        image["secure_url"] = secure if secure.startswith("https:") else ""
        image["type"] = raw.get("type", "")[:100] if raw.get("type", "").startswith("image/") else ""
        image["width"] = _dimension(raw.get("width", ""))
        image["height"] = _dimension(raw.get("height", ""))
        images.append(image)
        if len(images) == MAX_IMAGES:
            break
    return images


def _dimension(value: str) -> int:
    value = value.strip()
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 6 else 0


class _StopParsing(Exception):
    pass


class _MetaParser(HTMLParser):
    """Collects <meta property|name=... content=...> and the first <title>; stops at <body> once
    the head has given something, since the tags belong in the head."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: dict[str, str] = {}
        self.images: list[dict[str, str]] = []
        self.title = ""
        self._in_title = False
        self._title_done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "meta":
            self._meta({name: value or "" for name, value in attrs})
        elif tag == "title" and not self._title_done:
            self._in_title = True
        elif tag == "body" and (self.tags or self.title):
            raise _StopParsing

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title" and self._in_title:
            self._in_title = False
            self._title_done = True
        elif tag == "head" and (self.tags or self.title):
            raise _StopParsing

    def handle_data(self, data: str) -> None:
        if self._in_title and len(self.title) <= MAX_TEXT * 4:
            self.title += data

    def _meta(self, attrs: dict[str, str]) -> None:
        name = (attrs.get("property") or attrs.get("name") or "").strip().lower()
        content = attrs.get("content", "")[: MAX_URL * 2]
        if not name.startswith(("og:", "twitter:")) and name != "description":
            return
        if name in ("og:image", "og:image:url"):
            if len(self.images) < MAX_IMAGES * 4:
                self.images.append({"url": content})
        elif name.startswith("og:image:") and self.images:
            self.images[-1].setdefault(name.removeprefix("og:image:"), content)
        elif name == "og:image:secure_url":
            self.images.append({"secure_url": content})
        else:
            self.tags.setdefault(name, content)
