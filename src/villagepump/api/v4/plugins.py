"""Plugins: this server runs none, and says so in the shape clients probe for."""

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from villagepump.api.http import json_response


async def webapp_plugins(request: Request) -> Response:
    # The mobile app probes this for Playbooks, Agents and Calls at every sync; an empty list
    # turns all three off (mattermost-mobile entry sync). Mattermost answers it without a session.
    return json_response([])


routes = [
    Route("/plugins/webapp", webapp_plugins, methods=["GET"]),
]
