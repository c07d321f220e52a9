"""Time-based one-time passwords (RFC 6238) as authenticator apps make them: HMAC-SHA1 over the
30-second time step, six digits; and the QR code that hands a new secret to such an app."""

import base64
import hashlib
import hmac
import io
import secrets
import struct
import urllib.parse

import segno

STEP_SECONDS = 30
DIGITS = 6
# A code is accepted for the current step and one either side, as Mattermost's (dgoogauth,
# WindowSize 3): a phone's clock a little off, or a code typed just as it changed.
DRIFT_STEPS = 1
# 160 bits, as RFC 4226 recommends and Mattermost generates.
_SECRET_BYTES = 20


def new_secret() -> str:
    """A random secret, base32 without padding (what the apps accept and show)."""
    return base64.b32encode(secrets.token_bytes(_SECRET_BYTES)).decode().rstrip("=")


def code_at(secret: str, step: int) -> str:
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**DIGITS).zfill(DIGITS)


def is_code(value: str) -> bool:
    return len(value) == DIGITS and value.isascii() and value.isdigit()


def matching_step(secret: str, code: str, now: float) -> int | None:
    """The time step `code` belongs to, within the allowed drift of `now`, or None."""
    current = int(now // STEP_SECONDS)
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if hmac.compare_digest(code_at(secret, step), code):
            return step
    return None


def provisioning_uri(secret: str, issuer: str, account: str) -> str:
    """The otpauth:// link the QR code carries (Google Authenticator's key URI format)."""
    label = urllib.parse.quote(f"{issuer}:{account}")
    query = urllib.parse.urlencode({"secret": secret, "issuer": issuer})
    return f"otpauth://totp/{label}?{query}"


def qr_png(uri: str) -> bytes:
    out = io.BytesIO()
    segno.make(uri, error="h", micro=False).save(out, kind="png", scale=6, border=4)
    return out.getvalue()
