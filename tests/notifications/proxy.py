"""A stand-in for Mattermost's push proxy: records each push, checks its signature with the key
the server publishes (AsymmetricSigningPublicKey) as the app does, and answers as the proxy
would: {"status": "OK"}, or {"status": "REMOVE"} for the device tokens in `gone`."""

import base64
import json
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from tests.jobs.receiver import Receiver

SEND_PATH = "/api/v1/send_push"


def _unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def verify_signature(public_key_b64: str, token: str, ack_id: str, device_id: str) -> bool:
    """The app's check: an ES256 JWT, signed by the published key, naming this ack and device."""
    key = serialization.load_der_public_key(base64.b64decode(public_key_b64))
    assert isinstance(key, ec.EllipticCurvePublicKey)
    header_b64, claims_b64, signature_b64 = token.split(".")
    if json.loads(_unb64url(header_b64)).get("alg") != "ES256":
        return False
    raw = _unb64url(signature_b64)
    if len(raw) != 64:
        return False
    der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    try:
        key.verify(der, f"{header_b64}.{claims_b64}".encode(), ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        return False
    claims = json.loads(_unb64url(claims_b64))
    return bool(claims.get("ack_id") == ack_id and claims.get("device_id") == device_id)


class PushProxy(Receiver):
    def __init__(self) -> None:
        super().__init__()
        self.public_key = ""  # set once the server is up
        self.gone: set[str] = set()
        self.unsigned: list[Any] = []

    @property
    def server_url(self) -> str:
        return self.url("")

    def reply_body(self, path: str, body: Any) -> bytes:
        if path != SEND_PATH or not isinstance(body, dict):
            return b""
        token = str(body.get("signature", ""))
        if not self.public_key or not verify_signature(
            self.public_key, token, str(body.get("ack_id")), str(body.get("device_id"))
        ):
            self.unsigned.append(body)
        status = "REMOVE" if body.get("device_id") in self.gone else "OK"
        return json.dumps({"status": status}).encode()

    def pushes(self, **match: Any) -> list[dict[str, Any]]:
        with self._lock:
            bodies = [d.body for d in self.deliveries if d.path == SEND_PATH]
        return [b for b in bodies if all(b.get(k) == v for k, v in match.items())]
