"""The audit log for admins (Mattermost's GET /audits, with filters of ours, and our export as
CSV or JSON Lines, as `villagepump audit export` gives it), and a user's own entries
(GET /users/{id}/audits)."""

from collections.abc import AsyncIterator

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from villagepump import errors, permissions
from villagepump.actions import audit as audit_actions
from villagepump.api.authentication import require_caller
from villagepump.api.http import json_response, paging, path_user_id, query_id, query_int, query_str, runtime
from villagepump.render.moderation import render_audit
from villagepump.store import audits as audit_store
from villagepump.store.audits import AuditFilter


def _filter(request: Request, user_id: str = "") -> AuditFilter:
    return AuditFilter(
        user_id=user_id or query_id(request, "user_id"),
        action=query_str(request, "action", max_length=64),
        since=query_int(request, "since", 0),
        until=query_int(request, "until", 0),
    )


async def _page(request: Request, which: AuditFilter) -> Response:
    page, per_page = paging(request, default_per_page=60, max_per_page=1000)
    async with runtime(request).db.read(offload=True) as conn:
        found = await audit_store.list_audits(conn, which, page * per_page, per_page)
    return json_response([render_audit(entry) for entry in found])


async def get_audits(request: Request) -> Response:
    """Every entry, newest first: system admins only (addresses included)."""
    permissions.require_system_admin(await require_caller(request))
    return await _page(request, _filter(request))


async def get_user_audits(request: Request) -> Response:
    """The entries of what a user did: the user themselves (their own addresses) or an admin."""
    caller = await require_caller(request)
    user_id = path_user_id(request, caller.user_id)
    permissions.require_self_or_admin(caller, user_id)
    return await _page(request, _filter(request, user_id))


_EXPORT_TYPES = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson"}


async def export_audits(request: Request) -> Response:
    """Every matching entry, newest first, as a download; the export itself is audited."""
    permissions.require_system_admin(await require_caller(request))
    fmt = query_str(request, "format", "csv", max_length=8)
    if fmt not in audit_actions.EXPORT_FORMATS:
        raise errors.invalid_param("format")
    lines = audit_actions.export(runtime(request), _filter(request), fmt)
    # The first line is awaited here, so the export is recorded within the request (with its
    # actor and address) before any byte is sent.
    first = await anext(lines, "")
    return StreamingResponse(
        _chained(first, lines),
        media_type=_EXPORT_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="audit.{fmt}"'},
    )


async def _chained(first: str, rest: AsyncIterator[str]) -> AsyncIterator[str]:
    if first:
        yield first
    async for line in rest:
        yield line


routes = [
    Route("/audits/export", export_audits, methods=["GET"]),
    Route("/audits", get_audits, methods=["GET"]),
    Route("/users/{user_id}/audits", get_user_audits, methods=["GET"]),
]
