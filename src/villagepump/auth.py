"""Who is calling: the caller of a request, and how tokens are stored."""

import hashlib
from dataclasses import dataclass

# Mattermost's guest role: a guest sees only the channels they were added to.
GUEST_ROLE = "system_guest"


def is_guest(roles: str) -> bool:
    return GUEST_ROLE in roles.split()


@dataclass(frozen=True, slots=True)
class Caller:
    user_id: str
    session_id: str
    roles: frozenset[str]
    # Empty for bearer tokens; cookie-authenticated writes must echo it in X-CSRF-Token.
    csrf_token: str = ""
    is_access_token: bool = False
    # For two-factor enforcement (actions/mfa.owes_enrolment): bots are exempt.
    mfa_active: bool = False
    is_bot: bool = False
    # For the terms of service (moderation/terms.owes_terms): the version in force when the
    # session was read, and the one the user accepted, when.
    latest_terms_id: str = ""
    accepted_terms_id: str = ""
    accepted_terms_at: int = 0

    @property
    def is_system_admin(self) -> bool:
        return "system_admin" in self.roles

    @property
    def is_moderator(self) -> bool:
        """Moderators (roles.py's system_moderator) and admins, who hold every moderator power."""
        return "system_moderator" in self.roles or self.is_system_admin

    @property
    def is_guest(self) -> bool:
        return GUEST_ROLE in self.roles


def hash_token(token: str) -> str:
    """Tokens are 128 random bits, so a fast hash is enough: there is nothing to brute-force."""
    return hashlib.sha256(token.encode()).hexdigest()
