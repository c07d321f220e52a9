"""POST /opengraph: a URL's OpenGraph data, for clients that preview a link themselves."""

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from villagepump import errors
from villagepump.actions import link_previews as preview_actions
from villagepump.api.authentication import require_caller
from villagepump.api.http import json_response, read_object, runtime


async def get_opengraph(request: Request) -> Response:
    await require_caller(request)
    rt = runtime(request)
    preview_actions.require_enabled(rt.settings)  # before the body is read, as in Mattermost
    body = await read_object(request)
    url = body.get("url")
    if not isinstance(url, str) or not url:
        raise errors.invalid_param("url")
    return json_response(await preview_actions.opengraph_for(rt, url))


routes = [Route("/opengraph", get_opengraph, methods=["POST"])]
