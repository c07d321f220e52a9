"""The built-in roles and what they grant, as Mattermost's default permission scheme has them.

Clients read these through POST /roles/names to decide which buttons to show; the server itself
decides in `permissions`, which follows the same table.
"""

from typing import Any, Literal

from villagepump import errors

_CHANNEL_USER = [
    "read_channel",
    "read_channel_content",
    "add_reaction",
    "remove_reaction",
    "create_post",
    "edit_post",
    "delete_post",
    "upload_file",
    "get_public_link",
    "use_channel_mentions",
    "use_group_mentions",
    "manage_public_channel_members",
    "manage_private_channel_members",
    "manage_public_channel_properties",
    "manage_private_channel_properties",
    "delete_public_channel",
    "delete_private_channel",
    "read_public_channel_groups",
    "read_private_channel_groups",
]
_CHANNEL_ADMIN = _CHANNEL_USER + ["manage_channel_roles", "remove_reaction"]
_TEAM_USER = [
    "list_team_channels",
    "join_public_channels",
    "read_public_channel",
    "view_team",
    "create_public_channel",
    "create_private_channel",
    "invite_user",
    "add_user_to_team",
]
_TEAM_ADMIN = _TEAM_USER + [
    "edit_others_posts",
    "delete_others_posts",
    "manage_team",
    "remove_user_from_team",
    "manage_team_roles",
    "manage_channel_roles",
    "manage_others_incoming_webhooks",
    "manage_slash_commands",
    "import_team",
    "convert_public_channel_to_private",
    "convert_private_channel_to_public",
    "manage_public_channel_members",
    "manage_private_channel_members",
    "manage_public_channel_properties",
    "manage_private_channel_properties",
    # Mattermost's channel moderation migration gives team admins what channel moderation can
    # withhold from members, so they keep it in a read-only channel (moderation/posting.py lets
    # them post there), and the apps, which add up every role a user has, know it.
    "create_post",
    "add_reaction",
    "remove_reaction",
    "use_channel_mentions",
]
_SYSTEM_USER = [
    "create_team",
    "create_direct_channel",
    "create_group_channel",
    "view_members",
    "list_public_teams",
    "join_public_teams",
    "create_emojis",
    "delete_emojis",
    "create_user_access_token",
    "read_user_access_token",
    "revoke_user_access_token",
]
# Mattermost's default guest permissions: guests post and react in the channels they are in,
# and open direct and group messages with the people they share a channel with; nothing else.
_SYSTEM_GUEST = ["create_direct_channel", "create_group_channel"]
_TEAM_GUEST = ["view_team"]
_CHANNEL_GUEST = [
    "read_channel",
    "read_channel_content",
    "add_reaction",
    "remove_reaction",
    "upload_file",
    "edit_post",
    "create_post",
    "use_channel_mentions",
]
# What the team_user role loses, and team_admin keeps, when inviting is restricted to admins
# (Mattermost's System Console does this by editing the two roles).
INVITE_PERMISSIONS = ("invite_user", "add_user_to_team")
# Villagepump's own role (Mattermost has none): community moderators, given by admins beside
# system_user. They handle reports and act on people and posts anywhere, but manage nothing
# else: no settings, no roles, so a moderator cannot make anyone (themselves included) an admin.
_SYSTEM_MODERATOR = [
    "manage_reports",
    "moderate_posts",
    "moderate_users",
]
_SYSTEM_ADMIN = sorted(
    set(_SYSTEM_USER + _TEAM_ADMIN + _CHANNEL_ADMIN + _SYSTEM_MODERATOR)
    | {
        "manage_system",
        "manage_roles",
        "manage_others_bots",
        "edit_other_users",
        "sysconsole_read_users",
        "list_private_teams",
        "join_private_teams",
        "delete_others_emojis",
        "manage_team_roles",
        "create_user_access_token",
        "read_other_users_teams",
        "assign_system_admin_role",
        "manage_channel_roles",
        "read_private_channel_groups",
    }
)

# Read-only channels (actions/channel_moderation.py), as Mattermost's apps can tell. The official
# mobile app shows its composer only if one of the user's system, team or channel roles grants
# create_post, and reactions only with add_reaction (mattermost-mobile app/components/post_draft/
# index.ts, app/queries/servers/role.ts observePermissionForChannel). Mattermost gives a moderated
# channel a scheme of its own, whose member and guest roles lack them. We have one role per thing
# withheld, shared by every channel where it is: its permissions never change under a name a
# client has cached, since the app fetches only role names it has not seen (app/actions/remote/
# role.ts fetchRolesIfNeeded). Channel members' `roles` name them (render/channels.py); what is
# stored, and what the server checks, stays channel_user / channel_guest.
_WITHHELD = {"posts": ("create_post",), "reactions": ("add_reaction", "remove_reaction")}
_MODERATED_BASES = {"channel_user": _CHANNEL_USER, "channel_guest": _CHANNEL_GUEST}
_WITHHOLDINGS = (("posts",), ("reactions",), ("posts", "reactions"))


def moderated_role(base: str, *, posts: bool, reactions: bool) -> str:
    """The role standing for `base` (channel_user or channel_guest) where its holders may not
    post (`posts` False) or react (`reactions` False): `base` itself when they may do both."""
    return base + ("" if posts else "_no_posts") + ("" if reactions else "_no_reactions")


MODERATED_ROLES: dict[str, str] = {
    moderated_role(base, posts="posts" not in withheld, reactions="reactions" not in withheld): base
    for base in _MODERATED_BASES
    for withheld in _WITHHOLDINGS
}


def _moderated_permissions(name: str) -> list[str]:
    base = MODERATED_ROLES[name]
    withheld = {p for what, names in _WITHHELD.items() if f"_no_{what}" in name for p in names}
    return [p for p in _MODERATED_BASES[base] if p not in withheld]


ROLE_PERMISSIONS: dict[str, list[str]] = {
    "system_user": _SYSTEM_USER,
    "system_admin": _SYSTEM_ADMIN,
    "system_moderator": _SYSTEM_MODERATOR,
    "system_user_access_token": ["create_user_access_token", "read_user_access_token"],
    "team_user": _TEAM_USER,
    "team_admin": _TEAM_ADMIN,
    "channel_user": _CHANNEL_USER,
    "channel_admin": _CHANNEL_ADMIN,
    "system_guest": _SYSTEM_GUEST,
    "team_guest": _TEAM_GUEST,
    "channel_guest": _CHANNEL_GUEST,
    **{name: _moderated_permissions(name) for name in MODERATED_ROLES},
}

_DISPLAY_NAMES = {
    "system_user": "authentication.roles.global_user.name",
    "system_admin": "authentication.roles.global_admin.name",
    "system_moderator": "authentication.roles.system_moderator.name",
    "system_user_access_token": "authentication.roles.system_user_access_token.name",
    "team_user": "authentication.roles.team_user.name",
    "team_admin": "authentication.roles.team_admin.name",
    "channel_user": "authentication.roles.channel_user.name",
    "channel_admin": "authentication.roles.channel_admin.name",
    "system_guest": "authentication.roles.global_guest.name",
    "team_guest": "authentication.roles.team_guest.name",
    "channel_guest": "authentication.roles.channel_guest.name",
    # Mattermost names a channel scheme's roles in words rather than by a translation id.
    **{name: name.replace("_", " ").capitalize() for name in MODERATED_ROLES},
}

# Fixed ids so that GET /roles/{id} is stable across restarts and processes.
ROLE_IDS = {name: (name.replace("_", "") + "0" * 26)[:26] for name in ROLE_PERMISSIONS}


def role_permissions(name: str, *, invite_restricted: bool = False) -> list[str]:
    granted = ROLE_PERMISSIONS[name]
    if not invite_restricted:
        return granted
    if name == "team_user":
        return [p for p in granted if p not in INVITE_PERMISSIONS]
    if name == "team_admin":
        return granted + [p for p in INVITE_PERMISSIONS if p not in granted]
    return granted


def render_role(name: str, *, invite_restricted: bool = False) -> dict[str, Any]:
    return {
        "id": ROLE_IDS[name],
        "name": name,
        "display_name": _DISPLAY_NAMES[name],
        "description": "",
        "create_at": 0,
        "update_at": 0,
        "delete_at": 0,
        "permissions": role_permissions(name, invite_restricted=invite_restricted),
        "scheme_managed": True,
        # As a Mattermost channel scheme's roles: managed by the scheme, not built in.
        "built_in": name not in MODERATED_ROLES,
    }


def has_permission(roles: str | frozenset[str], permission: str) -> bool:
    names = roles.split() if isinstance(roles, str) else roles
    return any(permission in ROLE_PERMISSIONS.get(name, ()) for name in names)


def scheme_admin_from_roles(roles: str, scope: Literal["team", "channel"]) -> bool:
    """Whether a member's space-separated `roles` make them an admin of a team or channel.

    As in Mattermost, the string is the whole set: the scope's user role must be in it, and a
    role that exists but belongs to another scope is refused rather than stored."""
    user_role, admin_role = f"{scope}_user", f"{scope}_admin"
    # A client may send back the roles it read, which in a read-only channel name the member
    # role that stands for channel_user there.
    names = [MODERATED_ROLES.get(name, name) for name in roles.split()]
    for name in names:
        if name not in ROLE_PERMISSIONS:
            raise errors.bad_request("app.role.get_by_name.app_error", f"Role {name!r} does not exist.")
        if name not in (user_role, admin_role):
            raise errors.bad_request(
                f"api.channel.update_{scope}_member_roles.scheme_role.app_error",
                f"Role {name!r} is not a {scope} role.",
            )
    if user_role not in names:
        family = "api.team" if scope == "team" else "api.channel"
        raise errors.bad_request(
            f"{family}.update_{scope}_member_roles.unset_user_scheme.app_error",
            f"A member must keep the {user_role} role.",
        )
    return admin_role in names
