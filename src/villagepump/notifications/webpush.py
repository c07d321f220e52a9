"""Web Push for browsers and installed web apps: the message encrypted for one subscription
(RFC 8291, aes128gcm content coding of RFC 8188) and the server's VAPID identity (RFC 8292).

A browser's subscription gives an endpoint at its vendor's push service and two keys: `p256dh`
(the browser's P-256 public key) and `auth` (a 16-byte secret). Only the browser can read what
we send; the push service sees the size and the timing, never the text.
"""

import base64
import hmac
import os
import struct
import urllib.parse
from functools import cache
from hashlib import sha256

import orjson
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

# The systems-table row holding the VAPID private key (PKCS#8 PEM); separate from the key that
# signs mobile pushes, so neither signature can be passed off as the other.
VAPID_KEY_NAME = "webpush_vapid_key"
# One record holds the whole message: push services accept at most 4096 bytes of body.
RECORD_SIZE = 4096
MAX_PAYLOAD = 3800
# How long a VAPID token is good for (RFC 8292 allows at most 24 hours).
TOKEN_SECONDS = 12 * 60 * 60


class BadSubscription(ValueError):
    """Keys that are not a P-256 point and a 16-byte secret."""


def b64url_decode(value: str) -> bytes:
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def check_keys(p256dh: str, auth: str) -> None:
    try:
        point = b64url_decode(p256dh)
        secret = b64url_decode(auth)
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
    except (ValueError, TypeError) as error:
        raise BadSubscription(str(error)) from None
    if len(point) != 65 or len(secret) != 16:
        raise BadSubscription("p256dh must be an uncompressed P-256 point and auth 16 bytes")


def _hmac(key: bytes, data: bytes) -> bytes:
    return hmac.new(key, data, sha256).digest()


def encrypt(payload: bytes, p256dh: str, auth: str, *, salt: bytes | None = None) -> bytes:
    """The request body for one subscription: header (salt, record size, our ephemeral public
    key) then the single encrypted record, as RFC 8291 section 3.4 derives its key and nonce."""
    check_keys(p256dh, auth)
    if len(payload) > MAX_PAYLOAD:
        raise ValueError(f"a web push carries at most {MAX_PAYLOAD} bytes")
    ua_public = b64url_decode(p256dh)
    auth_secret = b64url_decode(auth)
    ephemeral = ec.generate_private_key(ec.SECP256R1())
    as_public = ephemeral.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    shared = ephemeral.exchange(
        ec.ECDH(), ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), ua_public)
    )
    # HKDF(auth_secret, ecdh_secret, "WebPush: info" || 0x00 || ua_public || as_public, 32)
    prk_key = _hmac(auth_secret, shared)
    ikm = _hmac(prk_key, b"WebPush: info\x00" + ua_public + as_public + b"\x01")
    salt = salt or os.urandom(16)
    prk = _hmac(salt, ikm)
    content_key = _hmac(prk, b"Content-Encoding: aes128gcm\x00\x01")[:16]
    nonce = _hmac(prk, b"Content-Encoding: nonce\x00\x01")[:12]
    # 0x02 marks the last (here the only) record; no padding.
    record = AESGCM(content_key).encrypt(nonce, payload + b"\x02", None)
    header = salt + struct.pack("!IB", RECORD_SIZE, len(as_public)) + as_public
    return header + record


def _load(private_key_pem: str) -> ec.EllipticCurvePrivateKey:
    key = serialization.load_pem_private_key(private_key_pem.encode(), password=None)
    assert isinstance(key, ec.EllipticCurvePrivateKey)
    return key


@cache
def application_server_key(private_key_pem: str) -> str:
    """The VAPID public key as browsers take it (PushManager.subscribe's applicationServerKey):
    the uncompressed point, base64url."""
    point = (
        _load(private_key_pem)
        .public_key()
        .public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    )
    return b64url(point)


def vapid_authorization(private_key_pem: str, endpoint: str, subject: str, now: int) -> str:
    """The Authorization header for a push to `endpoint`: an ES256 JWT whose audience is the
    push service's origin, with our public key beside it (RFC 8292 section 3)."""
    parts = urllib.parse.urlsplit(endpoint)
    claims = {"aud": f"{parts.scheme}://{parts.netloc}", "exp": now + TOKEN_SECONDS, "sub": subject}
    header = b64url(orjson.dumps({"typ": "JWT", "alg": "ES256"}))
    signing_input = f"{header}.{b64url(orjson.dumps(claims))}"
    der = _load(private_key_pem).sign(signing_input.encode(), ec.ECDSA(hashes.SHA256()))
    r, s = decode_dss_signature(der)
    token = f"{signing_input}.{b64url(r.to_bytes(32, 'big') + s.to_bytes(32, 'big'))}"
    return f"vapid t={token}, k={application_server_key(private_key_pem)}"
