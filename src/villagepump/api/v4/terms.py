"""The terms of service (code of conduct) on Mattermost's wire."""

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from villagepump import errors, permissions
from villagepump.actions import terms as terms_actions
from villagepump.api.authentication import require_caller
from villagepump.api.http import body_bool, json_response, ok_response, path_user_id, read_object, runtime
from villagepump.ids import is_valid_id
from villagepump.render.moderation import render_terms, render_user_terms


async def get_terms(request: Request) -> Response:
    await require_caller(request, enrolling=True, accepting_terms=True)
    return json_response(render_terms(await terms_actions.latest_terms(runtime(request))))


async def create_terms(request: Request) -> Response:
    caller = await require_caller(request)
    permissions.require_system_admin(caller)
    body = await read_object(request)
    created = await terms_actions.create_terms(runtime(request), caller.user_id, body.get("text"))
    return json_response(render_terms(created))


async def answer_terms(request: Request) -> Response:
    """Accept or decline, as yourself only: nobody accepts a code of conduct for someone else."""
    caller = await require_caller(request, enrolling=True, accepting_terms=True)
    user_id = path_user_id(request, caller.user_id)
    permissions.require_self(caller, user_id)
    body = await read_object(request)
    # Mattermost's clients (Client4, the mobile app) send termsOfServiceId; the OpenAPI
    # specification still names it serviceTermsId. Either is accepted.
    terms_id = body.get("termsOfServiceId", body.get("serviceTermsId"))
    if not is_valid_id(terms_id):
        raise errors.invalid_body("termsOfServiceId")
    if "accepted" not in body:
        raise errors.invalid_body("accepted")
    # mattermost-redux sends a boolean; the specification says a string "true" or "false".
    accepted = body_bool(body, "accepted")
    await terms_actions.record_answer(runtime(request), caller, str(terms_id), accepted)
    return ok_response()


async def get_user_terms(request: Request) -> Response:
    caller = await require_caller(request, enrolling=True, accepting_terms=True)
    user_id = path_user_id(request, caller.user_id)
    permissions.require_self(caller, user_id)
    return json_response(render_user_terms(await terms_actions.user_acceptance(runtime(request), user_id)))


routes = [
    Route("/terms_of_service", get_terms, methods=["GET"]),
    Route("/terms_of_service", create_terms, methods=["POST"]),
    Route("/users/{user_id}/terms_of_service", answer_terms, methods=["POST"]),
    Route("/users/{user_id}/terms_of_service", get_user_terms, methods=["GET"]),
]
