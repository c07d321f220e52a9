"""Reports of posts to the moderators, our own API (Mattermost has none) under
/api/v4/villagepump/reports: anyone files one on a post they can read; moderators list, read,
resolve and dismiss them (docs/admin.md "Reports", decision 0036)."""

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from villagepump import errors, permissions
from villagepump.actions import reports as report_actions
from villagepump.api.authentication import require_caller
from villagepump.api.http import json_response, paging, path_id, query_str, read_object, runtime
from villagepump.ids import is_valid_id
from villagepump.render.moderation import render_report
from villagepump.store import reports as report_store
from villagepump.store.reports import DISMISSED, OPEN, RESOLVED, STATUSES

_BASE = "/villagepump/reports"
# What ?status= may ask for: one status, every closed report, or all of them.
_STATUS_FILTERS = {
    **{status: (status,) for status in STATUSES},
    "closed": (RESOLVED, DISMISSED),
    "all": STATUSES,
}


async def get_reasons(request: Request) -> Response:
    """The reasons a reporter may give (VillagepumpSettings.ReportReasons), for the report form."""
    await require_caller(request)
    return json_response(list(runtime(request).settings.report_reasons))


async def create_report(request: Request) -> Response:
    caller = await require_caller(request)
    body = await read_object(request)
    post_id = body.get("post_id")
    if not is_valid_id(post_id):
        raise errors.invalid_body("post_id")
    rt = runtime(request)
    reason = report_actions.check_reason(rt, body.get("reason"))
    comment = report_actions.check_text(body.get("comment"), "comment", report_actions.MAX_COMMENT_LENGTH)
    report, created = await report_actions.create_report(rt, caller, str(post_id), reason, comment)
    return json_response(render_report(report), 201 if created else 200)


async def list_reports(request: Request) -> Response:
    """Newest first; ?status=open (the default), resolved, dismissed, closed or all."""
    caller = await require_caller(request)
    permissions.require_moderator(caller)
    statuses = _STATUS_FILTERS.get(query_str(request, "status", OPEN, max_length=16))
    if statuses is None:
        raise errors.invalid_param("status")
    page, per_page = paging(request, default_per_page=60, max_per_page=200)
    async with runtime(request).db.read() as conn:
        found = await report_store.list_reports(conn, statuses, caller.user_id, page * per_page, per_page)
    return json_response([render_report(report) for report in found])


async def get_report(request: Request) -> Response:
    caller = await require_caller(request)
    permissions.require_moderator(caller)
    report_id = path_id(request, "report_id")
    async with runtime(request).db.read() as conn:
        report = await report_actions.require_report(conn, caller, report_id)
    return json_response(render_report(report))


async def _close(request: Request, status: str) -> Response:
    caller = await require_caller(request)
    permissions.require_moderator(caller)
    report_id = path_id(request, "report_id")
    body = await read_object(request)
    note = report_actions.check_text(body.get("note"), "note", report_actions.MAX_NOTE_LENGTH)
    report = await report_actions.close_report(runtime(request), caller, report_id, status, note)
    return json_response(render_report(report))


async def resolve_report(request: Request) -> Response:
    return await _close(request, RESOLVED)


async def dismiss_report(request: Request) -> Response:
    return await _close(request, DISMISSED)


routes = [
    Route(f"{_BASE}/reasons", get_reasons, methods=["GET"]),
    Route(_BASE, create_report, methods=["POST"]),
    Route(_BASE, list_reports, methods=["GET"]),
    Route(f"{_BASE}/{{report_id}}", get_report, methods=["GET"]),
    Route(f"{_BASE}/{{report_id}}/resolve", resolve_report, methods=["POST"]),
    Route(f"{_BASE}/{{report_id}}/dismiss", dismiss_report, methods=["POST"]),
]
