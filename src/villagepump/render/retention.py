"""Data retention policies as Mattermost sends them (server/public/model/data_retention_policy.go)."""

from typing import Any

from villagepump.render.channels import render_channel
from villagepump.store import Row


def render_global_policy(message_cutoff: int | None, file_cutoff: int | None) -> dict[str, Any]:
    """The cutoffs are 0 where the policy is off, as Mattermost sends them."""
    return {
        "message_deletion_enabled": message_cutoff is not None,
        "file_deletion_enabled": file_cutoff is not None,
        "boards_deletion_enabled": False,
        "message_retention_cutoff": message_cutoff or 0,
        "file_retention_cutoff": file_cutoff or 0,
        "boards_retention_cutoff": 0,
    }


def render_policy(policy: Row) -> dict[str, Any]:
    return {
        "id": policy["id"],
        "display_name": policy["display_name"],
        "post_duration": policy["post_duration"],
        "team_count": policy["team_count"],
        "channel_count": policy["channel_count"],
    }


def render_policy_channel(row: Row) -> dict[str, Any]:
    """A channel with its team's names (Mattermost's ChannelWithTeamData)."""
    return {
        **render_channel(row),
        "team_display_name": row["team_display_name"] or "",
        "team_name": row["team_name"] or "",
        "team_update_at": row["team_update_at"] or 0,
    }
