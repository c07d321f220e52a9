"""Our implemented /api/v4 routes, read from the application's own route table."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from starlette.routing import Route, WebSocketRoute

from villagepump.api.v4.routes import AREAS, all_routes


@dataclass(frozen=True)
class ImplementedRoute:
    method: str  # "GET", "POST", ...; "WEBSOCKET" for the upgrade endpoint
    path: str  # relative to /api/v4, as written in the route table
    area: str  # the api/v4 module that declares it
    endpoint: Callable[..., Any]

    @property
    def key(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def param_names(self) -> list[str]:
        return [part[1:-1].split(":")[0] for part in self.path.split("/") if part.startswith("{")]


def implemented_routes() -> list[ImplementedRoute]:
    declared = [route for module in AREAS for route in module.routes]
    assert [id(r) for r in declared] == [id(r) for r in all_routes()], "AREAS and all_routes() disagree"
    found: list[ImplementedRoute] = []
    for module in AREAS:
        area = module.__name__.rsplit(".", 1)[1]
        for route in module.routes:
            if isinstance(route, Route):
                for method in sorted((route.methods or set()) - {"HEAD"}):
                    found.append(ImplementedRoute(method, route.path, area, route.endpoint))
            elif isinstance(route, WebSocketRoute):
                found.append(ImplementedRoute("WEBSOCKET", route.path, area, route.endpoint))
            else:
                raise AssertionError(f"unexpected route type in {area}: {route!r}")
    assert len({r.key for r in found}) == len(found), "a method and path is declared twice"
    return found
