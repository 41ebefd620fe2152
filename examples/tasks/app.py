"""The application factory: ``create_app(config)``.

Serve it with an ASGI server for the live board (see README.md)::

    uvicorn examples.tasks.serve:app.asgi_app
"""

from __future__ import annotations

import os
import typing as t

from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response as BaseResponse

from erlen import Erlen
from erlen import jsonify
from erlen import request

from . import api
from . import attachments
from . import auth
from . import board
from . import db
from .broadcast import Broadcaster

DEFAULTS: dict[str, t.Any] = {
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "PASSWORD_HASH_METHOD": "scrypt",
    # Users created in an empty database: (username, password, role).
    "SEED_USERS": [],
    # Uploads: at most this many bytes per file (checked in the upload view) ...
    "MAX_ATTACHMENT_SIZE": 2 * 1024 * 1024,
    # ... and per request body, with room for the multipart envelope (413 beyond).
    "MAX_CONTENT_LENGTH": 2 * 1024 * 1024 + 64 * 1024,
}


def create_app(config: t.Mapping[str, t.Any] | None = None) -> Erlen:
    """Build the app; ``config`` overrides the defaults (``SECRET_KEY`` is required).

    ``DATABASE`` is the SQLite file, by default ``instance/tasks.sqlite3``, and
    ``ATTACHMENT_FOLDER`` holds the uploaded files (``instance/attachments``).
    """
    app = Erlen(__name__, instance_relative_config=True)
    app.config.update(DEFAULTS)
    app.config["DATABASE"] = os.path.join(app.instance_path, "tasks.sqlite3")
    app.config["ATTACHMENT_FOLDER"] = os.path.join(app.instance_path, "attachments")
    app.config.update(config or {})
    if not app.config.get("SECRET_KEY"):
        raise RuntimeError("Set SECRET_KEY: it signs the session cookies.")
    if app.config["DATABASE"].startswith(app.instance_path):
        os.makedirs(app.instance_path, exist_ok=True)
    db.init_app(app)
    app.extensions["tasks.broadcaster"] = Broadcaster()
    app.register_blueprint(auth.bp)
    app.register_blueprint(board.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(attachments.bp)

    @app.errorhandler(api.ValidationError)
    def validation_failed(error: api.ValidationError) -> tuple[BaseResponse, int]:
        return jsonify(error="validation", fields=error.fields), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> BaseResponse | HTTPException:
        """JSON errors under ``/api``; the usual HTML pages elsewhere."""
        if not request.path.startswith("/api/"):
            return error
        response = jsonify(
            error=(error.name or "error").lower().replace(" ", "_"),
            message=error.description,
        )
        response.status_code = error.code or 500
        if error.code == 405 and error.valid_methods:  # type: ignore[attr-defined]
            response.headers["Allow"] = ", ".join(error.valid_methods)  # type: ignore[attr-defined]
        return response

    return app
