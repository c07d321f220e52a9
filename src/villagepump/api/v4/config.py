"""The server's configuration on Mattermost's wire: read and changed by system admins while the
server runs; the client configuration every client reads first."""

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from villagepump import errors, permissions
from villagepump.actions import config as config_actions
from villagepump.api.authentication import require_caller
from villagepump.api.http import json_response, ok_response, query_str, read_json, runtime
from villagepump.config import decode_wire
from villagepump.notifications.signing import signing_public_key
from villagepump.render.config import render_client_config, render_config, render_environment

# As Mattermost: the configuration (secrets masked or not) is never kept by a cache.
_NO_CACHE = {"Cache-Control": "no-cache, no-store, must-revalidate"}


async def get_config(request: Request) -> Response:
    permissions.require_system_admin(await require_caller(request))
    return _config_response(render_config(runtime(request).settings))


async def update_config(request: Request) -> Response:
    """PUT /config: the whole configuration; settings left out go back to their defaults."""
    permissions.require_system_admin(await require_caller(request))
    changes = decode_wire(await read_json(request), complete=True)
    settings = await config_actions.update_config(runtime(request), changes)
    return _config_response(render_config(settings))


async def patch_config(request: Request) -> Response:
    """PUT /config/patch: only the settings named change."""
    permissions.require_system_admin(await require_caller(request))
    changes = decode_wire(await read_json(request), complete=False)
    settings = await config_actions.update_config(runtime(request), changes)
    return _config_response(render_config(settings))


async def reload_config(request: Request) -> Response:
    permissions.require_system_admin(await require_caller(request))
    await config_actions.reload_config(runtime(request))
    response = ok_response()
    response.headers.update(_NO_CACHE)
    return response


async def environment_config(request: Request) -> Response:
    permissions.require_system_admin(await require_caller(request))
    return _config_response(render_environment(runtime(request).base_settings.locked))


async def client_config(request: Request) -> Response:
    format_name = query_str(request, "format")
    if format_name == "":
        raise errors.APIError(
            501,
            "api.config.client.old_format.app_error",
            "New format for the client configuration is not supported yet. Please specify format=old in the query string.",
        )
    if format_name != "old":
        raise errors.invalid_param("format")
    rt = runtime(request)
    return json_response(
        render_client_config(rt.settings, rt.diagnostic_id, signing_public_key(rt), rt.latest_terms_id)
    )


def _config_response(body: dict[str, Any]) -> Response:
    return json_response(body, headers=_NO_CACHE)


routes = [
    Route("/config", get_config, methods=["GET"]),
    Route("/config", update_config, methods=["PUT"]),
    Route("/config/patch", patch_config, methods=["PUT"]),
    Route("/config/reload", reload_config, methods=["POST"]),
    Route("/config/environment", environment_config, methods=["GET"]),
    Route("/config/client", client_config, methods=["GET"]),
]
