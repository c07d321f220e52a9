"""Discovery calls every client makes first: ping, client licence, time zones. (The client
configuration is in config.py.)"""

import zoneinfo
from functools import cache
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from villagepump import errors
from villagepump.actions import notifications as notification_actions
from villagepump.api.authentication import require_caller
from villagepump.api.http import json_response, query_str, runtime


async def ping(request: Request) -> Response:
    # The mobile app sends its device_id and alerts the user unless CanReceiveNotifications is
    # "true": a test push to the proxy says whether it is (actions/notifications.py).
    body: dict[str, Any] = {"status": "OK", "ActiveSearchBackend": "database"}
    device_id = query_str(request, "device_id", max_length=512)
    if device_id:
        body["CanReceiveNotifications"] = await notification_actions.check_device(runtime(request), device_id)
    if request.query_params.get("get_server_status"):
        body["database_status"] = "OK"
        body["filestore_status"] = "OK"
    return json_response(body)


async def client_license(request: Request) -> Response:
    if query_str(request, "format") != "old":
        raise errors.APIError(
            501,
            "api.license.client.old_format.app_error",
            "New format for the client license is not supported yet. Please specify format=old in the query string.",
        )
    # Licensed, because the official apps act on the licensed features we give freely only when
    # IsLicensed is "true": the mobile app asks for the terms of service and purges what data
    # retention deleted only then. Each feature flagged here works: OpenID sign-in, guest
    # accounts, two-factor enforcement, data retention (api/v4/data_retention.py). What the apps
    # gate on the licence alone finds nothing to do or an honest answer: channel bookmarks and
    # scheduled posts are off in the client config (FeatureFlagChannelBookmarks is not sent,
    # ScheduledPosts is "false"), group mentions need a permission no role has, and the group
    # lists are empty (api/v4/groups.py). No SKU is named, so no tier-gated feature turns on.
    return json_response(
        {
            "IsLicensed": "true",
            "OpenId": "true",
            "GuestAccounts": "true",
            "MFA": "true",
            "DataRetention": "true",
        }
    )


async def supported_timezones(request: Request) -> Response:
    await require_caller(request)
    return json_response(_timezone_names())


@cache
def _timezone_names() -> list[str]:
    """The IANA zones this machine knows, for the time zone picker."""
    return sorted(zoneinfo.available_timezones())


routes = [
    Route("/system/ping", ping, methods=["GET"]),
    Route("/system/timezones", supported_timezones, methods=["GET"]),
    Route("/license/client", client_license, methods=["GET"]),
]
