"""OpenID Connect (Core 1.0 and Discovery 1.0): the authorization code flow with PKCE (S256),
`state` and `nonce`, and the ID token checked against the provider's JWKS."""

import urllib.parse
from typing import Any

import httpx
import jwt

from villagepump.config import Settings
from villagepump.sso.providers import OPENID, Attempt, Identity, get_json, post_form, refused

# Signatures by the provider's own keys only: never "none", never a MAC keyed with our secret.
_ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA")
# Clocks differ a little between us and the provider.
_LEEWAY_SECONDS = 60


class OpenIdProvider:
    service = OPENID

    def __init__(self, settings: Settings, client: httpx.AsyncClient) -> None:
        self.client_id = settings.openid_id
        self.client_secret = settings.openid_secret
        self.discovery_endpoint = settings.openid_discovery_endpoint
        self.client = client

    async def _discovery(self) -> dict[str, Any]:
        # Fetched for each sign-in (a rare event): a provider that rotates its keys or moves
        # its endpoints is followed at once, with no cache to invalidate.
        document = await get_json(self.client, self.discovery_endpoint)
        for key in ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri"):
            if not isinstance(document.get(key), str) or not document[key]:
                raise refused(f"the discovery document has no {key}")
        return document

    async def authorize_url(self, attempt: Attempt) -> str:
        document = await self._discovery()
        query = urllib.parse.urlencode(
            {
                "response_type": "code",
                "client_id": self.client_id,
                "redirect_uri": attempt.redirect_uri,
                "scope": "openid email profile",
                "state": attempt.state,
                "nonce": attempt.nonce,
                "code_challenge": attempt.code_challenge,
                "code_challenge_method": "S256",
            }
        )
        endpoint = document["authorization_endpoint"]
        return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"

    async def identity(self, attempt: Attempt, code: str, issuer: str) -> Identity:
        document = await self._discovery()
        # RFC 9207: a provider that names itself in its answers must name itself, so a code
        # from another provider (a mix-up) never reaches this one's token endpoint.
        if issuer != document["issuer"] and (
            issuer or document.get("authorization_response_iss_parameter_supported")
        ):
            raise refused("the callback's iss is not this provider's issuer")
        tokens = await self._exchange(document, attempt, code)
        id_token = tokens.get("id_token")
        if not isinstance(id_token, str):
            raise refused("the token response has no id_token")
        jwks = await get_json(self.client, document["jwks_uri"])
        claims = validate_id_token(
            id_token, jwks, issuer=document["issuer"], client_id=self.client_id, nonce=attempt.nonce
        )
        access_token = tokens.get("access_token")
        userinfo_endpoint = document.get("userinfo_endpoint")
        if isinstance(access_token, str) and isinstance(userinfo_endpoint, str) and userinfo_endpoint:
            userinfo = await get_json(
                self.client, userinfo_endpoint, headers={"Authorization": f"Bearer {access_token}"}
            )
            # Core §5.3.2: claims about someone else must not be mixed in.
            if userinfo.get("sub") != claims["sub"]:
                raise refused("the userinfo sub differs from the ID token's")
            claims = {**userinfo, **claims}
        return _identity_of(claims)

    async def _exchange(self, document: dict[str, Any], attempt: Attempt, code: str) -> dict[str, Any]:
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": attempt.redirect_uri,
            "code_verifier": attempt.code_verifier,
        }
        methods = document.get("token_endpoint_auth_methods_supported") or ["client_secret_basic"]
        if "client_secret_basic" in methods:
            # RFC 6749 §2.3.1: both halves form-encoded before they are joined.
            quoted = (
                urllib.parse.quote(self.client_id, safe=""),
                urllib.parse.quote(self.client_secret, safe=""),
            )
            return await post_form(self.client, document["token_endpoint"], form, auth=quoted)
        form |= {"client_id": self.client_id, "client_secret": self.client_secret}
        return await post_form(self.client, document["token_endpoint"], form)


def validate_id_token(
    id_token: str, jwks: dict[str, Any], *, issuer: str, client_id: str, nonce: str
) -> dict[str, Any]:
    """The ID token's claims if it is signed by one of the provider's keys, issued by it for us,
    not expired, and carries our nonce (Core §3.1.3.7); otherwise the sign-in is refused."""
    try:
        header = jwt.get_unverified_header(id_token)
        keys = jwt.PyJWKSet.from_dict(jwks).keys
    except (jwt.PyJWTError, ValueError, TypeError) as error:
        raise refused(f"unreadable ID token or key set: {error}") from None
    kid = header.get("kid")
    candidates = [key for key in keys if kid is None or key.key_id == kid]
    if not candidates:
        raise refused("the ID token is signed with a key the provider does not publish")
    try:
        claims: dict[str, Any] = jwt.decode(
            id_token,
            key=candidates[0],
            algorithms=list(_ALGORITHMS),
            audience=client_id,
            issuer=issuer,
            leeway=_LEEWAY_SECONDS,
            options={"require": ["iss", "sub", "aud", "exp", "iat"]},
        )
    except jwt.PyJWTError as error:
        raise refused(f"ID token rejected: {error}") from None
    audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
    # Core §3.1.3.7 (4, 5): a token also meant for others must name us as its authorised party.
    if len(audiences) > 1 and claims.get("azp") != client_id:
        raise refused("the ID token is for several audiences and not authorised for us")
    if not nonce or claims.get("nonce") != nonce:
        raise refused("the ID token's nonce is not the one this sign-in sent")
    if not isinstance(claims["sub"], str) or not claims["sub"] or len(claims["sub"]) > 128:
        raise refused("the ID token's sub is not a usable key")
    return claims


def _identity_of(claims: dict[str, Any]) -> Identity:
    def text(name: str) -> str:
        value = claims.get(name)
        return value if isinstance(value, str) else ""

    email = text("email")
    return Identity(
        service=OPENID,
        subject=claims["sub"],
        username=text("preferred_username") or text("nickname") or email.split("@")[0],
        email=email,
        email_verified=claims.get("email_verified") is True and bool(email),
        first_name=text("given_name"),
        last_name=text("family_name"),
    )
