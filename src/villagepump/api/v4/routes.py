"""Every v4 route, gathered from the area modules. A new area adds its module here."""

from starlette.routing import BaseRoute

from villagepump.api.v4 import (
    analytics,
    audits,
    bots,
    categories,
    channel_lookups,
    channels,
    commands,
    config,
    data_retention,
    drafts,
    emoji,
    files,
    groups,
    image,
    interactive,
    irc_bridge,
    jobs,
    moderation,
    notifications,
    opengraph,
    personal_data,
    plugins,
    posts,
    preferences,
    reactions,
    reports,
    roles,
    search,
    status,
    system,
    team_icons,
    teams,
    terms,
    threads,
    users,
    webauthn,
    webhooks,
    websocket,
)

AREAS = [
    system,
    config,
    users,
    teams,
    channels,
    categories,
    roles,
    status,
    websocket,
    search,
    posts,
    threads,
    reactions,
    preferences,
    plugins,
    commands,
    jobs,
    files,
    drafts,
    channel_lookups,
    team_icons,
    emoji,
    opengraph,
    image,
    notifications,
    # Integrations: bots and webhooks.
    bots,
    webhooks,
    # No user groups here, said the way clients understand (api/v4/groups.py).
    groups,
    # moderation
    terms,
    audits,
    reports,
    # The System Console's statistics.
    analytics,
    moderation,
    # Custom slash commands' companions: interactive messages and dialogs.
    interactive,
    data_retention,
    # The built-in IRC bridge's admin API (our own, under /villagepump/bridges/irc).
    irc_bridge,
    # A user's own data: exports and the retention warning (ours, under /villagepump/users).
    personal_data,
    # Security keys and passkeys as a second factor (our own, under /villagepump/webauthn).
    webauthn,
]


def all_routes() -> list[BaseRoute]:
    return [route for area in AREAS for route in area.routes]
