"""Error responses: JSON ``{"error": ...}`` under ``/api/``, HTML pages elsewhere."""

from __future__ import annotations

from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.exceptions import InternalServerError

from erlen import Erlen
from erlen import jsonify
from erlen import render_template
from erlen import request
from erlen.typing import ResponseReturnValue

#: Short, user-facing explanations for the HTML error pages.
_MESSAGES = {
    400: "The request could not be understood.",
    401: "You need to log in to see this page.",
    403: "You are not allowed to do that.",
    404: "There is nothing here. The page may have moved, or never existed.",
    405: "That method is not allowed here.",
    413: "That was too large to accept.",
    500: "Something went wrong on our side. Please try again in a moment.",
}


def wants_json() -> bool:
    return request.path == "/api" or request.path.startswith("/api/")


def json_error(status: int, message: str, **extra: object) -> ResponseReturnValue:
    body: dict[str, object] = {"error": message, "status": status}
    body.update(extra)
    return jsonify(body), status


def handle_http_exception(error: HTTPException) -> ResponseReturnValue:
    status = error.code or 500
    if wants_json():
        response = error.get_response()
        # The class's stock description is a sentence for browsers; an API
        # client gets the short name unless the view gave its own message.
        message = error.description
        if not message or message == type(error).description:
            message = error.name.lower()
        json_response = jsonify({"error": message, "status": status})
        json_response.status_code = status
        # NOTE: keep what the exception adds, such as Allow on a 405.
        for name, value in response.headers.items():
            if name.lower() not in {"content-type", "content-length"}:
                json_response.headers[name] = value
        return json_response
    return (
        render_template(
            "errors/error.html",
            status=status,
            title=error.name,
            message=_MESSAGES.get(status, error.description),
        ),
        status,
    )


def handle_csrf_error(error: CSRFError) -> ResponseReturnValue:
    if wants_json():
        return json_error(400, error.description)
    return (
        render_template(
            "errors/error.html",
            status=400,
            title="Form expired",
            message="The form was missing its security token or it had expired."
            " Go back, reload the page and try again.",
        ),
        400,
    )


def handle_internal_error(error: InternalServerError) -> ResponseReturnValue:
    if wants_json():
        return json_error(500, "internal server error")
    return (
        render_template("errors/error.html", status=500, title="Server error", message=_MESSAGES[500]),
        500,
    )


def init_app(app: Erlen) -> None:
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(InternalServerError, handle_internal_error)
    app.register_error_handler(HTTPException, handle_http_exception)
