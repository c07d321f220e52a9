"""Which links of a message are previewed, as Mattermost chooses them: the embed comes from the
first plain link of the message only (not from [text](url) links, not from code), and the image
sizes from the message's Markdown images; links to domains the administrator restricted are
skipped."""

import re
import urllib.parse
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from villagepump.previews.opengraph import MAX_URL
from villagepump.previews.urls import FetchFailed, parse_target

MAX_MARKDOWN_IMAGES = 5
_FENCED = re.compile(r"(?ms)^ {0,3}(`{3,}|~{3,}).*?(?:^ {0,3}\1[`~]*[ \t]*$|\Z)")
_INDENTED = re.compile(r"(?m)^(?: {4}|\t).*$")
_CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.DOTALL)
_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?([^\s)>]+)>?(?:\s+[\"'(][^)]*)?\)")
_LINK = re.compile(r"\[[^\]]*\]\(\s*<?[^\s)>]*>?(?:\s+[\"'(][^)]*)?\)")
_BARE = re.compile(r"(?i)(?<![\w/@.:-])(?:https?://|www\.)[^\s<>\"]+")


@dataclass(frozen=True)
class PostLinks:
    first_link: str  # as written in the message ("" when none); www.x becomes http://www.x
    images: tuple[str, ...]  # Markdown image URLs, as written


def _without_code(message: str) -> str:
    message = _FENCED.sub(" ", message)
    message = _INDENTED.sub(" ", message)
    return _CODE_SPAN.sub(" ", message)


def find_links(message: str, restricted: str = "") -> PostLinks:
    if "http" not in message.lower() and "www." not in message.lower():
        return PostLinks("", ())
    text = _without_code(message)
    domains = restricted_domains(restricted)
    images = tuple(dict.fromkeys(u for u in _IMAGE.findall(text) if previewable(u, domains)))
    text = _LINK.sub(" ", _IMAGE.sub(" ", text))
    for match in _BARE.finditer(text):
        link = _trim(match.group(0))
        if link.lower().startswith("www."):
            link = "http://" + link
        if previewable(link, domains):
            return PostLinks(link, images[:MAX_MARKDOWN_IMAGES])
    return PostLinks("", images[:MAX_MARKDOWN_IMAGES])


def _trim(link: str) -> str:
    """GitHub-flavoured autolink ends: trailing punctuation is not part of the link, nor is a
    closing parenthesis without its opening one."""
    while link:
        if link[-1] in "?!.,:*_~'\";" or link[-1] == ")" and link.count(")") > link.count("("):
            link = link[:-1]
        else:
            break
    return link


def restricted_domains(value: str) -> list[str]:
    """Mattermost's RestrictLinkPreviews: domains separated by spaces or commas, '@' optional."""
    return value.replace("@", " ").replace(",", " ").lower().split()


def previewable(link: str, domains: list[str]) -> bool:
    try:
        key = cache_key(link)
    except FetchFailed:
        return False
    host = urllib.parse.urlsplit(key).hostname or ""
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        return False
    # As in Mattermost: a restricted domain excludes every host whose name contains it.
    return not any(domain in host for domain in domains)


def cache_key(link: str) -> str:
    """The link as the preview cache knows it: scheme and host in lower case, a numeric host as
    its address, the default port and the #fragment dropped. Raises FetchFailed for a link that
    is never fetched (not http(s), no host, too long)."""
    if len(link) > MAX_URL:
        raise FetchFailed("the link is too long")
    return parse_target(link).url


def keys_of(links: PostLinks) -> list[str]:
    """The cache keys of a post's previewable links: its first link, then its images."""
    keys: list[str] = []
    for link in (links.first_link, *links.images):
        if link:
            try:
                keys.append(cache_key(link))
            except FetchFailed:
                continue
    return keys


def preview_keys(posts: Iterable[Mapping[Any, Any]]) -> list[str]:
    """The cache keys of every previewable link in these posts (deleted ones show none)."""
    keys: list[str] = []
    for post in posts:
        if not post["delete_at"]:
            keys += keys_of(find_links(post["message"]))
    return keys
