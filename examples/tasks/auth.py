"""Sessions, login and logout, and the role checks the API uses."""

from __future__ import annotations

import sqlite3
import typing as t

from werkzeug.security import check_password_hash
from werkzeug.security import generate_password_hash
from werkzeug.wrappers import Response as BaseResponse

from erlen import Blueprint
from erlen import abort
from erlen import current_app
from erlen import g
from erlen import jsonify
from erlen import redirect
from erlen import render_template
from erlen import request
from erlen import session
from erlen import url_for

from . import db

bp = Blueprint("auth", __name__)

# Compared against when the username is unknown, so both cases take as long.
_DUMMY_HASH = generate_password_hash("not a password", "pbkdf2:sha256:1000")


def current_user() -> sqlite3.Row | None:
    """The logged-in user (looked up again on every request), or ``None``."""
    if "user" not in g:
        user_id = session.get("user_id")
        g.user = db.user_by_id(user_id) if isinstance(user_id, int) else None
    return t.cast("sqlite3.Row | None", g.user)


def require_user() -> sqlite3.Row:
    """The logged-in user; aborts with 401 without one."""
    user = current_user()
    if user is None:
        abort(401, description="Log in first.")
    return user


def require_role(*roles: str) -> sqlite3.Row:
    """The logged-in user if their role is one of ``roles``; aborts with 401 or 403."""
    user = require_user()
    if user["role"] not in roles:
        abort(403, description=f"This needs the role {' or '.join(roles)}.")
    return user


def authenticate(username: str, password: str) -> sqlite3.Row | None:
    user = db.user_by_name(username)
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    return user if check_password_hash(user["password_hash"], password) else None


@bp.route("/login", methods=["GET", "POST"])
def login() -> BaseResponse | str | tuple[t.Any, int]:
    """HTML form login, or JSON ``{"username", "password"}`` for API clients."""
    if request.method == "GET":
        return render_template("login.html", error=None)
    if request.is_json:
        data = request.get_json(silent=True)
        data = data if isinstance(data, dict) else {}
    else:
        data = request.form
    username, password = data.get("username"), data.get("password")
    user = None
    if isinstance(username, str) and isinstance(password, str):
        user = authenticate(username, password)
    if user is None:
        if request.is_json:
            return jsonify(error="unauthorized", message="Wrong username or password."), 401
        return render_template("login.html", error="Wrong username or password."), 401
    session.clear()
    session["user_id"] = user["id"]
    current_app.logger.info("%s logged in", user["username"])
    if request.is_json:
        return jsonify(db.user_json(user))
    return redirect(url_for("board.index"))


@bp.post("/logout")
def logout() -> BaseResponse:
    session.clear()
    if request.is_json or request.accept_mimetypes.best == "application/json":
        return jsonify(ok=True)
    return redirect(url_for("auth.login"))
