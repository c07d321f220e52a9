"""Every v4 route, gathered from the area modules. A new area adds its module here."""

from collections import defaultdict

from starlette._utils import get_route_path
from starlette.routing import BaseRoute, Route, Router, WebSocketRoute
from starlette.types import Receive, Scope, Send

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


class RoutesByFirstSegment:
    """The v4 routes, looked up by their path's first segment (/users, /channels, ...) before
    Starlette tries them one by one. Its router matches each route's regular expression in turn,
    and with ~300 routes that was 4-5 % of a request's CPU in the load test (bench/README.md).
    Within a segment the routes keep their order; a path with an unknown first segment goes to
    a router of them all, so a 404 or 405 is answered exactly as before."""

    def __init__(self, routes: list[BaseRoute]) -> None:
        groups: dict[str, list[BaseRoute]] = defaultdict(list)
        for route in routes:
            if (
                not isinstance(route, Route | WebSocketRoute)
                or not route.path.startswith("/")
                or "{" in _first(route.path)
            ):
                raise ValueError(f"a v4 route must start with a fixed segment: {route!r}")
            groups[_first(route.path)].append(route)
        self.routes = routes
        self._by_segment = {segment: Router(routes=group) for segment, group in groups.items()}
        self._all = Router(routes=routes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        router = self._by_segment.get(_first(get_route_path(scope)), self._all)
        await router(scope, receive, send)


def _first(path: str) -> str:
    return path.split("/", 2)[1] if path.startswith("/") and len(path) > 1 else ""
