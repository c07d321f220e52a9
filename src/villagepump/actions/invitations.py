"""E-mail invitations to a team: each address gets a single-use sign-up link (48 hours) that
makes an account with that address and adds it to the team; a guest invitation also names the
channels the guest will belong to, and nothing else (actions/users.create_user)."""

import orjson

from villagepump import errors, permissions
from villagepump.actions import mailed_links as links
from villagepump.actions.transaction import Transaction, transaction
from villagepump.auth import Caller
from villagepump.runtime import Runtime
from villagepump.store import Row
from villagepump.store import users as user_store


async def invite_by_email(rt: Runtime, actor: Caller, team_id: str, emails: list[str]) -> None:
    async with transaction(rt) as tx:
        team = await permissions.require_team_member(tx.conn, actor, team_id)
        await _invite_in(rt, tx, actor, team, emails, links.TEAM_INVITATION, {"team_id": team["id"]}, "")


async def invite_guests(
    rt: Runtime, actor: Caller, team_id: str, emails: list[str], channel_ids: list[str], message: str
) -> None:
    """Team and system admins invite guests, to channels of the team that they can read."""
    async with transaction(rt) as tx:
        team = await permissions.require_team_admin(tx.conn, actor, team_id)
        for channel_id in channel_ids:
            channel = await permissions.require_channel_read(tx.conn, actor, channel_id)
            if channel["team_id"] != team["id"] or channel["type"] not in ("O", "P") or channel["delete_at"]:
                raise errors.bad_request(
                    "api.team.invite_guests.channel_in_invalid_team.app_error",
                    "The channels of the invite must be part of the team of the invite.",
                )
        data = {"team_id": team["id"], "channel_ids": list(dict.fromkeys(channel_ids))}
        await _invite_in(rt, tx, actor, team, emails, links.GUEST_INVITATION, data, message)


async def _invite_in(
    rt: Runtime,
    tx: Transaction,
    actor: Caller,
    team: Row,
    emails: list[str],
    token_type: str,
    data: dict[str, object],
    message: str,
) -> None:
    if team["delete_at"]:
        raise errors.not_found("team", "app.team.get.find.app_error")
    sender = await user_store.get_user(tx.conn, actor.user_id)
    assert sender is not None
    template = "guest_invite" if token_type == links.GUEST_INVITATION else "team_invite"
    params = {"sender": sender["username"], "team": team["display_name"], "message": message}
    for email in dict.fromkeys(emails):
        token = await links.new_token(rt, tx, token_type, email=email, data=data)
        # Mattermost's sign-up link: `d` is what the page shows before the account exists
        # (the team and the address); `t` is what it sends back with POST /users?t=.
        shown = orjson.dumps({"display_name": team["display_name"], "name": team["name"], "email": email})
        url = links.link(rt, "/signup_user_complete/", d=shown.decode(), t=token)
        await links.mail(rt, tx, email, template, rt.settings.default_server_locale, params, link=url)
