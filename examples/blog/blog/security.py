"""Security headers on every response, and the role checks views use."""

from __future__ import annotations

import functools
import typing as t

from flask_login import current_user
from flask_login import login_required

from erlen import Erlen
from erlen import Response
from erlen import abort
from erlen import current_app

F = t.TypeVar("F", bound=t.Callable[..., t.Any])


def set_security_headers(response: Response) -> Response:
    """Add the headers that make browsers stricter about what the page may do."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", current_app.config["CONTENT_SECURITY_POLICY"])
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if current_app.config["HSTS"]:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response


def init_app(app: Erlen) -> None:
    app.after_request(set_security_headers)


def admin_required(view: F) -> F:
    """Log in first (redirect), then 403 unless the user is an admin."""

    @functools.wraps(view)
    def wrapped(*args: t.Any, **kwargs: t.Any) -> t.Any:
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return t.cast(F, login_required(wrapped))
