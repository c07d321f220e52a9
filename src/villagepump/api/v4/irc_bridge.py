"""The built-in IRC bridge's admin API, our own (Mattermost has none): networks and mappings under
/api/v4/villagepump/bridges/irc. Networks are for system admins; a mapping also for the admins
of its channel. See docs/bridges.md."""

from dataclasses import asdict
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from villagepump import errors, permissions
from villagepump.actions import irc_bridge as bridge_actions
from villagepump.api.authentication import require_caller
from villagepump.api.http import json_response, ok_response, read_object, runtime
from villagepump.clock import now_ms_of
from villagepump.ids import is_valid_id
from villagepump.render.irc_bridge import render_mapping, render_network
from villagepump.store import irc_bridge as bridge_store

_BASE = "/villagepump/bridges/irc"


def _path_id(request: Request, name: str) -> str:
    value = request.path_params[name]
    if not is_valid_id(value):
        raise errors.APIError(
            400,
            "api.context.invalid_url_param.app_error",
            f"Invalid or missing {name} parameter in request URL.",
        )
    return str(value)


def _typed(body: dict[str, Any], name: str, kind: type, default: Any) -> Any:
    value = body.get(name, default)
    # bool is an int in Python: a port of `true` is not a port.
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise errors.invalid_param(name)
    return value


def _network_fields(body: dict[str, Any]) -> bridge_actions.NetworkFields:
    return bridge_actions.NetworkFields(
        name=_typed(body, "name", str, ""),
        host=_typed(body, "host", str, ""),
        port=_typed(body, "port", int, 6697),
        nick=_typed(body, "nick", str, ""),
        tls=_typed(body, "tls", bool, True),
        tls_verify=_typed(body, "tls_verify", bool, True),
        sasl_mechanism=_typed(body, "sasl_mechanism", str, ""),
        sasl_username=_typed(body, "sasl_username", str, ""),
        sasl_password=_typed(body, "sasl_password", str, ""),
        client_cert_path=_typed(body, "client_cert_path", str, ""),
        client_key_path=_typed(body, "client_key_path", str, ""),
    )


async def list_networks(request: Request) -> Response:
    permissions.require_system_admin(await require_caller(request))
    rt = runtime(request)
    async with rt.db.read() as conn:
        networks = await bridge_store.list_networks(conn)
    return json_response([render_network(n, now_ms_of(rt.clock)) for n in networks])


async def create_network(request: Request) -> Response:
    caller = await require_caller(request)
    permissions.require_system_admin(caller)
    fields = _network_fields(await read_object(request))
    rt = runtime(request)
    network = await bridge_actions.add_network(rt, caller, fields)
    return json_response(render_network(network, now_ms_of(rt.clock)), 201)


async def patch_network(request: Request) -> Response:
    caller = await require_caller(request)
    permissions.require_system_admin(caller)
    network_id = _path_id(request, "network_id")
    body = await read_object(request)
    # Only the fields sent change: an edit that leaves out `sasl_password` keeps the stored one.
    defaults = asdict(_network_fields({}))
    changes = {
        name: _typed(body, name, type(default), default) for name, default in defaults.items() if name in body
    }
    rt = runtime(request)
    network = await bridge_actions.update_network(rt, caller, network_id, changes)
    return json_response(render_network(network, now_ms_of(rt.clock)))


async def delete_network(request: Request) -> Response:
    caller = await require_caller(request)
    await bridge_actions.remove_network(runtime(request), caller, _path_id(request, "network_id"))
    return ok_response()


async def list_mappings(request: Request) -> Response:
    permissions.require_system_admin(await require_caller(request))
    network_id = request.query_params.get("network_id", "")
    if network_id and not is_valid_id(network_id):
        raise errors.invalid_param("network_id")
    async with runtime(request).db.read() as conn:
        mappings = await bridge_store.list_mappings(conn, network_id)
    return json_response([render_mapping(m) for m in mappings])


async def create_mapping(request: Request) -> Response:
    caller = await require_caller(request)
    body = await read_object(request)
    network_id, channel_id = _typed(body, "network_id", str, ""), _typed(body, "channel_id", str, "")
    if not is_valid_id(network_id):
        raise errors.invalid_param("network_id")
    if not is_valid_id(channel_id):
        raise errors.invalid_param("channel_id")
    mapping = await bridge_actions.map_channel(
        runtime(request),
        caller,
        network_id,
        channel_id,
        _typed(body, "irc_channel", str, ""),
        _typed(body, "relay_joins", bool, False),
    )
    return json_response(render_mapping(mapping), 201)


async def delete_mapping(request: Request) -> Response:
    caller = await require_caller(request)
    await bridge_actions.unmap_channel(runtime(request), caller, _path_id(request, "mapping_id"))
    return ok_response()


routes = [
    Route(f"{_BASE}/networks", list_networks, methods=["GET"]),
    Route(f"{_BASE}/networks", create_network, methods=["POST"]),
    Route(f"{_BASE}/networks/{{network_id}}", patch_network, methods=["PATCH"]),
    Route(f"{_BASE}/networks/{{network_id}}", delete_network, methods=["DELETE"]),
    Route(f"{_BASE}/mappings", list_mappings, methods=["GET"]),
    Route(f"{_BASE}/mappings", create_mapping, methods=["POST"]),
    Route(f"{_BASE}/mappings/{{mapping_id}}", delete_mapping, methods=["DELETE"]),
]
