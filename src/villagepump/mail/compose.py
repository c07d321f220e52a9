"""A mail in the recipient's language, as plain text and HTML, from the message catalogue.

The catalogue is one JSON file per language in catalogue/ (en.json holds every key); a language
file may leave keys out, and those fall back to English. Adding a language is adding a file.
Every value put into the HTML part is escaped, so a team name or an invitation message cannot
inject markup.
"""

import html
import json
import re
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from functools import cache
from importlib import resources
from typing import Any

from villagepump.config import Settings

_LOCALE = re.compile(r"^[a-zA-Z]{2,3}([-_][a-zA-Z0-9]{2,8})?$")


@cache
def _catalogue(locale: str) -> dict[str, Any]:
    folder = resources.files("villagepump.mail").joinpath("catalogue")
    english: dict[str, Any] = json.loads(folder.joinpath("en.json").read_text("utf-8"))
    if locale == "en" or not _LOCALE.match(locale):
        return english
    found = folder.joinpath(f"{locale.replace('-', '_').lower()}.json")
    if not found.is_file():
        return english
    return {**english, **json.loads(found.read_text("utf-8"))}


class _Params(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return ""


def _fill(template: str, params: dict[str, str], *, escape: bool) -> str:
    if escape:
        return html.escape(template).format_map(_Params({k: html.escape(v) for k, v in params.items()}))
    return template.format_map(_Params(params))


def compose(
    settings: Settings,
    to: str,
    template: str,
    locale: str,
    params: dict[str, str],
    link: str = "",
    items: list[dict[str, str]] | None = None,
) -> EmailMessage:
    """`items` are the messages a notification mail quotes: sender, channel ("" for a direct
    message), time, message and link each."""
    catalogue = _catalogue(locale or settings.default_server_locale)
    entry = catalogue[template]
    params = {"site_name": settings.site_name, **params}
    if "method" in params:
        params["method"] = catalogue.get(params["method"], params["method"])
    lines = [line for line in entry["lines"] if _fill(line, params, escape=False).strip()]
    button = entry.get("button", "")

    text = [_fill(catalogue["greeting"], params, escape=False), ""]
    text += [_fill(line, params, escape=False) for line in lines]
    for item in items or []:
        text += ["", _fill(_item_heading(catalogue, item), item, escape=False)]
        text += [item["message"]] if item.get("message") else []
        text += [f"{catalogue['item_link']}: {item['link']}"]
    if link:
        text += ["", f"{_fill(button, params, escape=False)}: {link}"]
    # A mail nobody asked for (a notification) says why it came instead of "ignore this".
    footer = entry.get("footer", catalogue["ignore"])
    text += [
        "",
        _fill(footer, params, escape=False),
        "",
        _fill(catalogue["closing"], params, escape=False),
    ]

    body = [f"<p>{_fill(catalogue['greeting'], params, escape=True)}</p>"]
    body += [f"<p>{_fill(line, params, escape=True)}</p>" for line in lines]
    for item in items or []:
        body.append(f"<p><b>{_fill(_item_heading(catalogue, item), item, escape=True)}</b></p>")
        if item.get("message"):
            body.append(
                f'<blockquote style="white-space: pre-wrap">{html.escape(item["message"])}</blockquote>'
            )
        body.append(f'<p><a href="{html.escape(item["link"])}">{html.escape(catalogue["item_link"])}</a></p>')
    if link:
        body.append(f'<p><a href="{html.escape(link)}">{_fill(button, params, escape=True)}</a></p>')
        body.append(f"<p>{html.escape(link)}</p>")
    body.append(f"<p>{_fill(footer, params, escape=True)}</p>")
    body.append(f"<p>{_fill(catalogue['closing'], params, escape=True)}</p>")
    document = (
        '<!DOCTYPE html><html><head><meta charset="utf-8"></head>'
        f'<body style="font-family: sans-serif">{"".join(body)}</body></html>'
    )

    message = EmailMessage()
    message["Subject"] = _fill(entry["subject"], params, escape=False)
    message["From"] = formataddr((settings.feedback_name or settings.site_name, sender_address(settings)))
    message["To"] = to
    message["Message-ID"] = make_msgid(domain=sender_address(settings).rpartition("@")[2] or None)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content("\n".join(text) + "\n")
    message.add_alternative(document, subtype="html")
    return message


def _item_heading(catalogue: dict[str, Any], item: dict[str, str]) -> str:
    return str(catalogue["item_in_channel" if item.get("channel") else "item_direct"])


def sender_address(settings: Settings) -> str:
    return settings.feedback_email or "noreply@localhost"
