"""Teams and team members as Mattermost sends them."""

from typing import Any

from villagepump.store import Row


def render_team(team: Row, *, show_invite: bool) -> dict[str, Any]:
    """The invite id is a key to the team: only members who may invite see it."""
    return {
        "id": team["id"],
        "create_at": team["create_at"],
        "update_at": team["update_at"],
        "delete_at": team["delete_at"],
        "display_name": team["display_name"],
        "name": team["name"],
        "description": team["description"],
        "email": "",
        "type": team["type"],
        "company_name": team["company_name"],
        "allowed_domains": team["allowed_domains"],
        "invite_id": team["invite_id"] if show_invite else "",
        "allow_open_invite": team["allow_open_invite"],
        "last_team_icon_update": team["last_team_icon_update"],
        "scheme_id": None,
        "group_constrained": False,
        "policy_id": None,
        "cloud_limits_archived": False,
    }


def render_team_member(member: Row) -> dict[str, Any]:
    return {
        "team_id": member["team_id"],
        "user_id": member["user_id"],
        "roles": member["roles"],
        # The mobile app keeps only memberships whose delete_at is the number 0.
        "delete_at": member["delete_at"],
        "scheme_user": "team_guest" not in member["roles"].split(),
        "scheme_admin": member["scheme_admin"],
        "scheme_guest": "team_guest" in member["roles"].split(),
        "explicit_roles": "",
        "create_at": member["create_at"],
    }


def render_invite_info(team: Row) -> dict[str, Any]:
    """What an invitation link reveals before one joins: no members, no channels."""
    return {
        "id": team["id"],
        "name": team["name"],
        "display_name": team["display_name"],
        "description": team["description"],
        "type": team["type"],
    }


def render_team_stats(team_id: str, total: int, active: int) -> dict[str, Any]:
    return {"team_id": team_id, "total_member_count": total, "active_member_count": active}
