"""Every v4 route, gathered from the area modules. A new area adds its module here."""

from starlette.routing import BaseRoute

from villagepump.api.v4 import channels, system, teams, users

AREAS = [system, users, teams, channels]


def all_routes() -> list[BaseRoute]:
    return [route for area in AREAS for route in area.routes]
