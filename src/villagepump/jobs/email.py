"""The email outbox kind: one mail, composed when it is sent, in the recipient's language.

Payload: {"to", "template", "locale", "params": {...}, "link", "items": [...]}; the items are
the messages a notification mail quotes. A link carries a single-use
token, so once the mail has left its payload is cut down to the recipient and the template
(actions/outbox.record_delivered): the outbox does not keep usable links.
"""

import aiosmtplib

from villagepump.jobs.types import DeliveryContext, DeliveryError
from villagepump.mail.compose import compose
from villagepump.mail.smtp import MailNotConfigured, send
from villagepump.store import Row


async def deliver_email(ctx: DeliveryContext, item: Row) -> None:
    payload = item["payload"]
    message = compose(
        ctx.settings,
        str(payload["to"]),
        str(payload["template"]),
        str(payload.get("locale", "")),
        {str(k): str(v) for k, v in (payload.get("params") or {}).items()},
        str(payload.get("link", "")),
        [{str(k): str(v) for k, v in item.items()} for item in payload.get("items") or []],
    )
    try:
        await send(ctx.settings, message)
    except MailNotConfigured as error:
        raise DeliveryError(str(error), permanent=True) from error
    except aiosmtplib.SMTPResponseException as error:
        # 5xx is the server's final word on this mail (an unknown mailbox, say); 4xx is "later".
        raise DeliveryError(f"SMTP {error.code}: {error.message}", permanent=error.code >= 500) from error
    except (aiosmtplib.SMTPException, OSError) as error:
        raise DeliveryError(f"{type(error).__name__}: {error}".rstrip(": ")) from error


def redacted(payload: dict[str, object]) -> dict[str, object]:
    """What is kept of a sent mail: who it went to and which mail it was."""
    return {"to": payload.get("to", ""), "template": payload.get("template", "")}
