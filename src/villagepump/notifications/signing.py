"""The key pair that signs every push, and the ES256 JWT the mobile app checks.

The Mattermost app (9.8 and later) drops a push whose `signature` it cannot verify with the
client config's AsymmetricSigningPublicKey: the base64 of the P-256 public key's DER
SubjectPublicKeyInfo, no PEM lines. The claims it checks are `ack_id` and `device_id`.
"""

import base64
from functools import cache
from typing import TYPE_CHECKING

import orjson
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

if TYPE_CHECKING:
    from villagepump.runtime import Runtime

# The systems-table row holding the private key (PKCS#8 PEM).
SIGNING_KEY_NAME = "push_signing_key"


def new_private_key_pem() -> str:
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return pem.decode()


def _load(private_key_pem: str) -> ec.EllipticCurvePrivateKey:
    key = serialization.load_pem_private_key(private_key_pem.encode(), password=None)
    assert isinstance(key, ec.EllipticCurvePrivateKey)
    return key


@cache
def public_key_base64(private_key_pem: str) -> str:
    der = (
        _load(private_key_pem)
        .public_key()
        .public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    return base64.b64encode(der).decode()


def signing_public_key(rt: "Runtime") -> str:
    """What the client config publishes as AsymmetricSigningPublicKey ("" before start)."""
    return public_key_base64(rt.push_signing_key) if rt.push_signing_key else ""


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def sign_push(private_key_pem: str, ack_id: str, device_id: str) -> str:
    """An ES256 JWT over {ack_id, device_id}: JOSE wants the signature as r || s, 32 bytes each."""
    header = _b64url(orjson.dumps({"alg": "ES256", "typ": "JWT"}))
    claims = _b64url(orjson.dumps({"ack_id": ack_id, "device_id": device_id}))
    signing_input = f"{header}.{claims}".encode()
    der = _load(private_key_pem).sign(signing_input, ec.ECDSA(hashes.SHA256()))
    r, s = decode_dss_signature(der)
    return f"{header}.{claims}.{_b64url(r.to_bytes(32, 'big') + s.to_bytes(32, 'big'))}"
