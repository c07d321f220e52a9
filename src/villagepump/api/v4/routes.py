"""Every v4 route, gathered from the area modules. A new area adds its module here."""

from starlette.routing import BaseRoute

from villagepump.api.v4 import (
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
    interactive,
    irc_bridge,
    jobs,
    moderation,
    notifications,
    opengraph,
    plugins,
    posts,
    preferences,
    reactions,
    roles,
    search,
    status,
    system,
    team_icons,
    teams,
    terms,
    threads,
    users,
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
    notifications,
    # Integrations: bots and webhooks.
    bots,
    webhooks,
    # moderation
    terms,
    audits,
    moderation,
    # Custom slash commands' companions: interactive messages and dialogs.
    interactive,
    data_retention,
    # The built-in IRC bridge's admin API (our own, under /villagepump/bridges/irc).
    irc_bridge,
]


def all_routes() -> list[BaseRoute]:
    return [route for area in AREAS for route in area.routes]
