"""The JSON API: ``/api/tasks`` CRUD, ``/api/users`` for admins, ``/api/me``.

Views that change tasks are ``async def`` and publish ``task.created``,
``task.updated`` or ``task.deleted`` events to the app's broadcaster, which the
board's WebSocket connections forward to the browsers.
"""

from __future__ import annotations

import re
import sqlite3
import typing as t
from datetime import date

from werkzeug.security import generate_password_hash
from werkzeug.wrappers import Response as BaseResponse

from erlen import Blueprint
from erlen import abort
from erlen import current_app
from erlen import jsonify
from erlen import request

from . import db
from .auth import require_role
from .auth import require_user
from .broadcast import Broadcaster

bp = Blueprint("api", __name__, url_prefix="/api")

TASK_FIELDS = ("title", "description", "status", "priority", "assignee_id", "due_date")
MANAGERS = ("manager", "admin")
USERNAME = re.compile(r"[A-Za-z0-9_.-]{2,40}")
MIN_PASSWORD = 8

Errors = dict[str, str]


class ValidationError(Exception):
    """Answered with 400 and ``{"error": "validation", "fields": {name: message}}``."""

    def __init__(self, fields: Errors) -> None:
        super().__init__(fields)
        self.fields = fields


def broadcaster() -> Broadcaster:
    return t.cast(Broadcaster, current_app.extensions["tasks.broadcaster"])


def json_object() -> dict[str, t.Any]:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ValidationError({"body": "Send a JSON object (Content-Type: application/json)."})
    return data


# -- tasks -----------------------------------------------------------------------


def _check_text(value: t.Any, limit: int, required: bool) -> tuple[str | None, str | None]:
    """Return ``(value, error)``."""
    if not isinstance(value, str):
        return None, "Must be a string."
    value = value.strip()
    if required and not value:
        return None, "Must not be empty."
    if len(value) > limit:
        return None, f"At most {limit} characters."
    return value, None


def _check_assignee(value: t.Any) -> tuple[int | None, str | None]:
    if value is None:
        return None, None
    if type(value) is not int:
        return None, "A user id or null."
    if db.user_by_id(value) is None:
        return None, "No such user."
    return value, None


def _check_due_date(value: t.Any) -> tuple[str | None, str | None]:
    if value is None:
        return None, None
    try:
        if not isinstance(value, str) or len(value) != 10:
            raise ValueError(value)
        return date.fromisoformat(value).isoformat(), None
    except ValueError:
        return None, "A date as YYYY-MM-DD, or null."


def validate_task(data: dict[str, t.Any], partial: bool) -> dict[str, t.Any]:
    """The task fields in ``data``, checked and normalised; raises :class:`ValidationError`.

    Without ``partial`` (creating), ``title`` is required and the rest default.
    """
    errors: Errors = {}
    values: dict[str, t.Any] = {}
    for name in data:
        if name not in TASK_FIELDS:
            errors[name] = "Unknown field."
    if not partial and "title" not in data:
        errors["title"] = "Required."
    for name in ("title", "description"):
        if name in data:
            text, error = _check_text(data[name], 200 if name == "title" else 5000, name == "title")
            if error:
                errors[name] = error
            else:
                values[name] = text
    for name, choices in (("status", db.STATUSES), ("priority", db.PRIORITIES)):
        if name in data:
            if data[name] in choices:
                values[name] = data[name]
            else:
                errors[name] = f"One of: {', '.join(choices)}."
    for name, check in (("assignee_id", _check_assignee), ("due_date", _check_due_date)):
        if name in data:
            value, error = check(data[name])
            if error:
                errors[name] = error
            else:
                values[name] = value
    if errors:
        raise ValidationError(errors)
    return values


def get_task_or_404(task_id: int) -> sqlite3.Row:
    task = db.task_by_id(task_id)
    if task is None:
        abort(404, description=f"No task {task_id}.")
    return task


def check_can_see(user: sqlite3.Row, task: sqlite3.Row) -> None:
    if user["role"] == "employee" and task["assignee_id"] != user["id"]:
        abort(403, description="Employees only see the tasks assigned to them.")


@bp.get("/tasks")
def list_tasks() -> BaseResponse:
    """Managers and admins see every task (``?assignee_id=`` filters), employees their own."""
    user = require_user()
    if user["role"] == "employee":
        rows = db.tasks_for(user["id"])
    else:
        rows = db.tasks_for(request.args.get("assignee_id", type=int))
    status = request.args.get("status")
    tasks = [db.task_json(row) for row in rows]
    if status is not None:
        tasks = [task for task in tasks if task["status"] == status]
    return jsonify(tasks=tasks)


@bp.get("/tasks/<int:task_id>")
def get_task(task_id: int) -> BaseResponse:
    user = require_user()
    task = get_task_or_404(task_id)
    check_can_see(user, task)
    return jsonify(db.task_json(task))


@bp.post("/tasks")
async def create_task() -> tuple[BaseResponse, int, dict[str, str]]:
    user = require_role(*MANAGERS)
    values = validate_task(json_object(), partial=False)
    task_id = db.insert_task(values, created_by=user["id"])
    task = db.task_json(get_task_or_404(task_id))
    db.log_activity(user["id"], "task.created", task_id, {"title": task["title"]})
    broadcaster().publish({"type": "task.created", "task": task})
    return jsonify(task), 201, {"Location": f"/api/tasks/{task_id}"}


@bp.route("/tasks/<int:task_id>", methods=["PATCH", "PUT"])
async def edit_task(task_id: int) -> BaseResponse:
    """Managers change any field; employees only the ``status`` of their own tasks.

    PATCH changes the fields sent; PUT replaces the task (``title`` required,
    the other fields back to their defaults when left out).
    """
    user = require_user()
    task = get_task_or_404(task_id)
    check_can_see(user, task)
    data = json_object()
    if user["role"] == "employee" and (request.method == "PUT" or set(data) - {"status"}):
        abort(403, description="Employees may only change the status of their tasks.")
    values = validate_task(data, partial=request.method == "PATCH")
    if request.method == "PUT":
        defaults = {"description": "", "status": "todo", "priority": "medium"}
        values = {**defaults, "assignee_id": None, "due_date": None, **values}
    if values:
        db.update_task(task_id, values)
    updated = db.task_json(get_task_or_404(task_id))
    changes = {
        name: {"from": task[name], "to": updated[name]}
        for name in TASK_FIELDS
        if task[name] != updated[name]
    }
    db.log_activity(user["id"], "task.updated", task_id, {"changes": changes})
    broadcaster().publish(
        {"type": "task.updated", "task": updated, "previous_assignee_id": task["assignee_id"]}
    )
    return jsonify(updated)


@bp.delete("/tasks/<int:task_id>")
async def remove_task(task_id: int) -> tuple[str, int]:
    user = require_role(*MANAGERS)
    task = db.task_json(get_task_or_404(task_id))
    stored_names = [row["stored_name"] for row in db.attachments_for(task_id)]
    db.delete_task(task_id)
    db.remove_attachment_files(stored_names)
    db.log_activity(user["id"], "task.deleted", task_id, {"title": task["title"]})
    broadcaster().publish({"type": "task.deleted", "task": task})
    return "", 204


# -- comments --------------------------------------------------------------------

MAX_COMMENT = 2000


@bp.get("/tasks/<int:task_id>/comments")
def list_comments(task_id: int) -> BaseResponse:
    """A task's comments, oldest first, for whoever may see the task."""
    user = require_user()
    check_can_see(user, get_task_or_404(task_id))
    return jsonify(comments=[db.comment_json(row) for row in db.comments_for(task_id)])


@bp.post("/tasks/<int:task_id>/comments")
async def create_comment(task_id: int) -> tuple[BaseResponse, int]:
    """Comment on a task (``{"body": "..."}``, 1 to 2000 characters); publishes ``comment.created``."""
    user = require_user()
    task = get_task_or_404(task_id)
    check_can_see(user, task)
    data = json_object()
    errors: Errors = {name: "Unknown field." for name in data if name != "body"}
    body, error = _check_text(data.get("body"), MAX_COMMENT, required=True)
    if "body" not in data:
        error = "Required."
    if error:
        errors["body"] = error
    if errors:
        raise ValidationError(errors)
    comment_id = db.insert_comment(task_id, user["id"], t.cast(str, body))
    comment = db.comment_json(t.cast(sqlite3.Row, db.comment_by_id(comment_id)))
    db.log_activity(user["id"], "comment.created", task_id, {"comment_id": comment_id})
    broadcaster().publish(
        {"type": "comment.created", "task": db.task_json(task), "comment": comment}
    )
    return jsonify(comment), 201


# -- dashboard -------------------------------------------------------------------


def dashboard_counts(user: sqlite3.Row) -> dict[str, t.Any]:
    """Task counts for ``user``: employees count their tasks, managers and admins all."""
    return db.task_counts(user["id"] if user["role"] == "employee" else None)


@bp.get("/dashboard")
def dashboard() -> BaseResponse:
    """``{"total", "by_status": {...}, "by_priority": {...}, "scope": "all" | "mine"}``."""
    user = require_user()
    scope = "mine" if user["role"] == "employee" else "all"
    return jsonify(**dashboard_counts(user), scope=scope)


# -- activity --------------------------------------------------------------------

MAX_PER_PAGE = 100
MAX_PAGE = 1_000_000


def _page_arg(name: str, default: int, maximum: int) -> tuple[int, str | None]:
    raw = request.args.get(name)
    if raw is None:
        return default, None
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw[:12]) <= maximum:
        return default, f"A whole number from 1 to {maximum}."
    return int(raw), None


@bp.get("/activity")
def list_activity() -> BaseResponse:
    """The activity log, newest first; employees see the entries about their tasks.

    ``?page=`` (from 1) and ``?per_page=`` (1 to 100, default 20) paginate.
    """
    user = require_user()
    page, page_error = _page_arg("page", 1, MAX_PAGE)
    per_page, per_page_error = _page_arg("per_page", 20, MAX_PER_PAGE)
    errors = {
        name: error
        for name, error in (("page", page_error), ("per_page", per_page_error))
        if error
    }
    if errors:
        raise ValidationError(errors)
    assignee_id = user["id"] if user["role"] == "employee" else None
    total, rows = db.activity_page(assignee_id, per_page, (page - 1) * per_page)
    return jsonify(
        activity=[db.activity_json(row) for row in rows],
        page=page,
        per_page=per_page,
        total=total,
        pages=(total + per_page - 1) // per_page,
    )


# -- users -----------------------------------------------------------------------


@bp.get("/me")
def me() -> BaseResponse:
    return jsonify(db.user_json(require_user()))


@bp.get("/users")
def list_users() -> BaseResponse:
    """Admins manage users; managers read the list to assign tasks."""
    require_role(*MANAGERS)
    return jsonify(users=[db.user_json(row) for row in db.all_users()])


def validate_user(data: dict[str, t.Any], partial: bool) -> dict[str, t.Any]:
    errors: Errors = {}
    values: dict[str, t.Any] = {}
    for name in data:
        if name not in ("username", "password", "role"):
            errors[name] = "Unknown field."
    for name in ("username", "password", "role"):
        if not partial and name not in data:
            errors[name] = "Required."
    if "username" in data:
        username = data["username"]
        if not isinstance(username, str) or not USERNAME.fullmatch(username):
            errors["username"] = "2 to 40 letters, digits, '.', '_' or '-'."
        elif db.user_by_name(username) is not None:
            errors["username"] = "Already taken."
        else:
            values["username"] = username
    if "password" in data:
        password = data["password"]
        if not isinstance(password, str) or len(password) < MIN_PASSWORD:
            errors["password"] = f"At least {MIN_PASSWORD} characters."
        else:
            values["password"] = password
    if "role" in data:
        if data["role"] in db.ROLES:
            values["role"] = data["role"]
        else:
            errors["role"] = f"One of: {', '.join(db.ROLES)}."
    if errors:
        raise ValidationError(errors)
    return values


def get_user_or_404(user_id: int) -> sqlite3.Row:
    user = db.user_by_id(user_id)
    if user is None:
        abort(404, description=f"No user {user_id}.")
    return user


@bp.post("/users")
def create_user() -> tuple[BaseResponse, int]:
    require_role("admin")
    values = validate_user(json_object(), partial=False)
    conn = db.get_db()
    with conn:
        user_id = db.insert_user(
            conn,
            values["username"],
            values["password"],
            values["role"],
            current_app.config["PASSWORD_HASH_METHOD"],
        )
    return jsonify(db.user_json(get_user_or_404(user_id))), 201


@bp.patch("/users/<int:user_id>")
def edit_user(user_id: int) -> BaseResponse:
    """Change a user's ``username``, ``password`` or ``role``."""
    admin = require_role("admin")
    user = get_user_or_404(user_id)
    data = json_object()
    if data.get("username") == user["username"]:
        del data["username"]
    values = validate_user(data, partial=True)
    if user_id == admin["id"] and values.get("role", "admin") != "admin":
        raise ValidationError({"role": "Admins cannot demote themselves."})
    conn = db.get_db()
    with conn:
        for name, value in values.items():
            if name == "password":
                name, value = "password_hash", generate_password_hash(
                    value, current_app.config["PASSWORD_HASH_METHOD"]
                )
            conn.execute(f"UPDATE users SET {name} = ? WHERE id = ?", (value, user_id))
    return jsonify(db.user_json(get_user_or_404(user_id)))


@bp.delete("/users/<int:user_id>")
async def delete_user(user_id: int) -> tuple[str, int]:
    """Delete a user; their tasks become unassigned (and the board hears about it)."""
    admin = require_role("admin")
    get_user_or_404(user_id)
    if user_id == admin["id"]:
        abort(403, description="Admins cannot delete their own account.")
    task_ids = db.task_ids_assigned_to(user_id)
    with db.get_db() as conn:
        conn.execute("DELETE FROM users WHERE id = ?", (user_id,))
    for task_id in task_ids:
        task = db.task_json(get_task_or_404(task_id))
        changes = {"assignee_id": {"from": user_id, "to": None}}
        db.log_activity(admin["id"], "task.updated", task_id, {"changes": changes})
        broadcaster().publish(
            {"type": "task.updated", "task": task, "previous_assignee_id": user_id}
        )
    return "", 204
