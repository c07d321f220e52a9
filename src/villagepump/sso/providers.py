"""What every sign-in service gives us, and which service a URL's `{service}` names."""

import base64
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any, Protocol

import httpx

from villagepump import errors
from villagepump.config import Settings

# Mattermost's service names; "wikimedia" is ours (auth_service of accounts made through it).
OPENID = "openid"
WIKIMEDIA = "wikimedia"
SERVICES = (OPENID, WIKIMEDIA)
_TIMEOUT = httpx.Timeout(10.0)


@dataclass(frozen=True)
class Identity:
    """Who the provider says signed in. `subject` is the stable key (auth_data)."""

    service: str
    subject: str
    username: str
    email: str
    email_verified: bool
    first_name: str = ""
    last_name: str = ""


@dataclass(frozen=True)
class Attempt:
    """What one sign-in keeps between leaving for the provider and coming back."""

    state: str
    nonce: str
    code_verifier: str
    redirect_uri: str

    @property
    def code_challenge(self) -> str:
        # PKCE, S256 (RFC 7636 §4.2).
        digest = hashlib.sha256(self.code_verifier.encode("ascii")).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def new_attempt(redirect_uri: str) -> Attempt:
    return Attempt(
        state=secrets.token_urlsafe(32),
        nonce=secrets.token_urlsafe(24),
        code_verifier=secrets.token_urlsafe(48),
        redirect_uri=redirect_uri,
    )


class Provider(Protocol):
    service: str

    async def authorize_url(self, attempt: Attempt) -> str: ...

    async def identity(self, attempt: Attempt, code: str, issuer: str) -> Identity:
        """`issuer` is the callback's `iss` parameter (RFC 9207), "" when it had none."""
        ...


def refused(
    detail: str, error_id: str = "api.user.authorize_oauth_user.token_failed.app_error"
) -> errors.APIError:
    """The provider turned down the code or sent something we will not accept."""
    return errors.APIError(400, error_id, "Signing in with the identity provider failed.", detail)


def unreachable(detail: str) -> errors.APIError:
    return errors.APIError(
        502,
        "api.user.authorize_oauth_user.service.app_error",
        "The identity provider could not be reached.",
        detail,
    )


async def get_json(client: httpx.AsyncClient, url: str, **kwargs: Any) -> dict[str, Any]:
    try:
        response = await client.get(url, timeout=_TIMEOUT, **kwargs)
    except httpx.HTTPError as error:
        raise unreachable(f"GET {url}: {error}") from None
    return _json_of(response, url)


async def post_form(
    client: httpx.AsyncClient, url: str, form: dict[str, str], **kwargs: Any
) -> dict[str, Any]:
    try:
        response = await client.post(url, data=form, timeout=_TIMEOUT, **kwargs)
    except httpx.HTTPError as error:
        raise unreachable(f"POST {url}: {error}") from None
    return _json_of(response, url)


def _json_of(response: httpx.Response, url: str) -> dict[str, Any]:
    if response.status_code != 200:
        raise refused(f"{url} answered {response.status_code}: {response.text[:300]}")
    try:
        body = response.json()
    except ValueError:
        raise refused(f"{url} did not answer JSON") from None
    if not isinstance(body, dict):
        raise refused(f"{url} did not answer a JSON object")
    return body


def provider_for(settings: Settings, service: str, client: httpx.AsyncClient) -> Provider:
    """The enabled provider a URL's service names. The mobile apps know only Mattermost's
    services, so "openid" means the MediaWiki sign-in when that is the only one enabled."""
    from villagepump.sso.mediawiki import MediaWikiProvider
    from villagepump.sso.openid import OpenIdProvider

    if service == OPENID and settings.openid_enable:
        return OpenIdProvider(settings, client)
    if service in (OPENID, WIKIMEDIA) and settings.wikimedia_enable:
        return MediaWikiProvider(settings, client)
    raise errors.APIError(
        501,
        "api.user.authorize_oauth_user.unsupported.app_error",
        "Unsupported OAuth service provider.",
        f"service={service}",
    )
