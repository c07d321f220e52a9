"""Jobs, as Mattermost's System Console shows them: system admins list, create and cancel them."""

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from villagepump import errors, permissions
from villagepump.actions import jobs as job_actions
from villagepump.api.authentication import require_caller
from villagepump.api.http import json_response, ok_response, paging, read_object, runtime
from villagepump.ids import is_valid_id
from villagepump.jobs.types import CREATABLE_TYPES, JOB_STATUSES
from villagepump.render.jobs import render_job
from villagepump.store import jobs as job_store


def _invalid_url_param(name: str) -> errors.APIError:
    return errors.APIError(
        400, "api.context.invalid_url_param.app_error", f"Invalid or missing {name} parameter in request URL."
    )


async def _require_admin(request: Request) -> None:
    permissions.require_system_admin(await require_caller(request))


def _job_id(request: Request) -> str:
    job_id = request.path_params["job_id"]
    if not is_valid_id(job_id):
        raise _invalid_url_param("job_id")
    return str(job_id)


async def get_jobs(request: Request) -> Response:
    await _require_admin(request)
    job_type = request.query_params.get("job_type", "")
    if job_type and job_type not in CREATABLE_TYPES:
        raise _invalid_url_param("job_type")
    status = request.query_params.get("status", "")
    if status and status not in JOB_STATUSES:
        raise errors.bad_request("api.job.status.invalid", "Invalid job status.")
    page, per_page = paging(request)
    types = [job_type] if job_type else None
    async with runtime(request).db.read() as conn:
        rows = await job_store.list_jobs(conn, types, status, page * per_page, per_page)
    return json_response([render_job(row) for row in rows])


async def get_jobs_by_type(request: Request) -> Response:
    await _require_admin(request)
    job_type = request.path_params["type"]
    if not job_type or len(job_type) > 32:
        raise _invalid_url_param("job_type")
    if job_type not in CREATABLE_TYPES:
        raise errors.bad_request("api.job.retrieve.nopermissions", "Invalid job type.")
    page, per_page = paging(request)
    async with runtime(request).db.read() as conn:
        rows = await job_store.list_jobs(conn, [job_type], "", page * per_page, per_page)
    return json_response([render_job(row) for row in rows])


async def get_job(request: Request) -> Response:
    await _require_admin(request)
    job_id = _job_id(request)
    async with runtime(request).db.read() as conn:
        row = await job_store.get_job(conn, job_id)
    if row is None:
        raise errors.not_found("job", "app.job.get.app_error")
    return json_response(render_job(row))


async def create_job(request: Request) -> Response:
    await _require_admin(request)
    body = await read_object(request)
    job_type = body.get("type")
    if not isinstance(job_type, str) or not job_type:
        raise errors.invalid_param("job")
    data: Any = body.get("data") or {}
    if not isinstance(data, dict):
        raise errors.invalid_param("job")
    row = await job_actions.create_job(runtime(request), job_type, data)
    return json_response(render_job(row), 201)


async def cancel_job(request: Request) -> Response:
    await _require_admin(request)
    await job_actions.cancel_job(runtime(request), _job_id(request))
    return ok_response()


routes = [
    Route("/jobs", get_jobs, methods=["GET"]),
    Route("/jobs", create_job, methods=["POST"]),
    Route("/jobs/type/{type}", get_jobs_by_type, methods=["GET"]),
    Route("/jobs/{job_id}", get_job, methods=["GET"]),
    Route("/jobs/{job_id}/cancel", cancel_job, methods=["POST"]),
]
