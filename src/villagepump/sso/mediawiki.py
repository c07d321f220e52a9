"""MediaWiki's OAuth 2.0 (the OAuth extension): not OpenID Connect, so no discovery and no ID
token. The code is exchanged at fixed REST endpoints and the person is read from
`oauth2/resource/profile`, whose `sub` is the wiki farm's central user id."""

import urllib.parse
from typing import Any

import httpx

from villagepump.config import Settings
from villagepump.sso.providers import WIKIMEDIA, Attempt, Identity, get_json, post_form, refused


class MediaWikiProvider:
    service = WIKIMEDIA

    def __init__(self, settings: Settings, client: httpx.AsyncClient) -> None:
        self.client_id = settings.wikimedia_id
        self.client_secret = settings.wikimedia_secret
        self.rest = settings.wikimedia_base_url.rstrip("/") + "/w/rest.php/oauth2"
        self.client = client

    async def authorize_url(self, attempt: Attempt) -> str:
        query = urllib.parse.urlencode(
            {
                "response_type": "code",
                "client_id": self.client_id,
                "redirect_uri": attempt.redirect_uri,
                "state": attempt.state,
                "code_challenge": attempt.code_challenge,
                "code_challenge_method": "S256",
            }
        )
        return f"{self.rest}/authorize?{query}"

    async def identity(self, attempt: Attempt, code: str, issuer: str) -> Identity:
        tokens = await post_form(
            self.client,
            f"{self.rest}/access_token",
            {
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": attempt.redirect_uri,
                "code_verifier": attempt.code_verifier,
                "client_id": self.client_id,
                "client_secret": self.client_secret,
            },
        )
        access_token = tokens.get("access_token")
        if not isinstance(access_token, str) or not access_token:
            raise refused("the token response has no access_token")
        profile = await get_json(
            self.client, f"{self.rest}/resource/profile", headers={"Authorization": f"Bearer {access_token}"}
        )
        return identity_of(profile)


def identity_of(profile: dict[str, Any]) -> Identity:
    subject = profile.get("sub")
    if isinstance(subject, int) and not isinstance(subject, bool):
        subject = str(subject)
    if not isinstance(subject, str) or not subject or len(subject) > 128:
        raise refused("the profile has no sub", "api.user.login_by_oauth.parse.app_error")
    # Blocked accounts, and hidden ones (whose profile is only {sub, blocked: true}), stay out.
    if profile.get("blocked") is not False:
        raise refused("the wiki account is blocked", "api.user.login_by_oauth.blocked.app_error")
    username = profile.get("username")
    if not isinstance(username, str) or not username:
        raise refused("the profile has no username", "api.user.login_by_oauth.parse.app_error")
    email = profile.get("email")
    email = email if isinstance(email, str) else ""
    realname = profile.get("realname")
    first, _, last = (realname if isinstance(realname, str) else "").strip().partition(" ")
    return Identity(
        service=WIKIMEDIA,
        subject=subject,
        username=username,
        email=email,
        # The extension sends "" as the e-mail of an unconfirmed address.
        email_verified=bool(email) and profile.get("email_verified") is True,
        first_name=first[:64],
        last_name=last.strip()[:64],
    )
