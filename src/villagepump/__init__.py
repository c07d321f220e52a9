"""Villagepump: a team chat server that speaks the Mattermost API v4."""

__version__ = "0.1.0"

# Clients read the Mattermost version they talk to from X-Version-Id and config.Version; the
# mobile app asks for at least 9.11 and recommends 10.11 (shared/reference/mattermost-mobile-calls.md).
MATTERMOST_VERSION = "10.11.0"
