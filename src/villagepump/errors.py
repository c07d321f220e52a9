"""The one exception type routes raise, rendered as Mattermost's error envelope."""

from typing import Any


class APIError(Exception):
    """An error a client should see: {id, message, detailed_error, request_id, status_code}."""

    def __init__(self, status_code: int, error_id: str, message: str, detailed_error: str = "") -> None:
        super().__init__(message)
        self.status_code = status_code
        self.error_id = error_id
        self.message = message
        self.detailed_error = detailed_error
        # Sent with the error response (the X-RateLimit-* headers of a 429).
        self.headers: dict[str, str] = {}

    def envelope(self, request_id: str) -> dict[str, Any]:
        return {
            "id": self.error_id,
            "message": self.message,
            "detailed_error": self.detailed_error,
            "request_id": request_id,
            "status_code": self.status_code,
        }


def bad_request(error_id: str, message: str, detailed_error: str = "") -> APIError:
    return APIError(400, error_id, message, detailed_error)


def invalid_param(name: str) -> APIError:
    return APIError(400, "api.context.invalid_param.app_error", f"Invalid {name} parameter.")


def invalid_body(name: str = "body") -> APIError:
    return APIError(
        400, "api.context.invalid_body_param.app_error", f"Invalid or missing {name} in request body."
    )


def unauthorized(message: str = "Invalid or expired session, please login again.") -> APIError:
    return APIError(401, "api.context.session_expired.app_error", message)


def forbidden(message: str = "You do not have the appropriate permissions.") -> APIError:
    return APIError(403, "api.context.permissions.app_error", message)


def not_found(what: str, error_id: str = "app.not_found.app_error") -> APIError:
    return APIError(404, error_id, f"Unable to find the {what}.")


def conflict(error_id: str, message: str) -> APIError:
    return APIError(409, error_id, message)
