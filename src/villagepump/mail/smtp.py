"""Sends one message over SMTP as EmailSettings says: plain, TLS from the start ("TLS"), or
upgraded with STARTTLS ("STARTTLS"), with authentication when EnableSMTPAuth is on."""

import ssl
from email.message import EmailMessage

import aiosmtplib

from villagepump.config import Settings
from villagepump.mail.compose import sender_address


class MailNotConfigured(Exception):
    pass


def _tls_context(settings: Settings) -> ssl.SSLContext:
    context = ssl.create_default_context()
    if settings.smtp_skip_cert_verification:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


async def send(settings: Settings, message: EmailMessage) -> None:
    if not settings.smtp_server:
        raise MailNotConfigured("EmailSettings.SMTPServer is not set")
    if not settings.smtp_port.isdigit() or not 0 < int(settings.smtp_port) < 65536:
        raise MailNotConfigured(f"EmailSettings.SMTPPort is not a port number: {settings.smtp_port!r}")
    security = settings.smtp_connection_security
    client = aiosmtplib.SMTP(
        hostname=settings.smtp_server,
        port=int(settings.smtp_port),
        timeout=settings.smtp_server_timeout,
        use_tls=security == "TLS",
        # aiosmtplib would otherwise upgrade on its own whenever the server offers STARTTLS; only
        # "STARTTLS" asks for it (and then requires it), as in Mattermost.
        start_tls=security == "STARTTLS",
        tls_context=_tls_context(settings) if security in ("TLS", "STARTTLS") else None,
    )
    async with client:
        if settings.enable_smtp_auth:
            await client.login(settings.smtp_username, settings.smtp_password)
        await client.send_message(message, sender=sender_address(settings))
