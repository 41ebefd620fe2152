"""The HTML board page and its WebSocket, ``/ws/board``, which streams task and comment events."""

from __future__ import annotations

import asyncio
import typing as t

from werkzeug.wrappers import Response as BaseResponse

from erlen import Blueprint
from erlen import abort
from erlen import current_app
from erlen import redirect
from erlen import render_template
from erlen import session
from erlen import url_for
from erlen import websocket

from . import db
from .api import dashboard_counts
from .auth import current_user
from .broadcast import Broadcaster
from .broadcast import Event
from .broadcast import Subscription

bp = Blueprint("board", __name__)

# Closed with this code when the client reads events too slowly (RFC 6455: "try again later").
CLOSE_TOO_SLOW = 1013


@bp.get("/")
def index() -> BaseResponse | str:
    user = current_user()
    if user is None:
        return redirect(url_for("auth.login"))
    return render_template("board.html", user=db.user_json(user), statuses=db.STATUSES)


@bp.get("/dashboard")
def dashboard() -> BaseResponse | str:
    """Task counts by status and priority (an employee's own tasks, or all)."""
    user = current_user()
    if user is None:
        return redirect(url_for("auth.login"))
    return render_template(
        "dashboard.html", user=db.user_json(user), counts=dashboard_counts(user)
    )


def visible_event(event: Event, user: dict[str, t.Any]) -> Event | None:
    """``event`` as ``user`` may see it, or ``None`` when it is none of their business.

    Managers and admins see everything. An employee sees events about their
    own tasks, and a task taken away from them arrives as ``task.deleted``.
    """
    if user["role"] != "employee":
        return {key: value for key, value in event.items() if key != "previous_assignee_id"}
    task = event["task"]
    if task["assignee_id"] == user["id"]:
        return {key: value for key, value in event.items() if key != "previous_assignee_id"}
    if event.get("previous_assignee_id") == user["id"]:
        return {"type": "task.deleted", "task": {"id": task["id"]}}
    return None


async def forward(subscription: Subscription, user: dict[str, t.Any]) -> None:
    """Send the subscription's events to the client until it falls too far behind."""
    while True:
        event = await subscription.get()
        if event is None:
            await websocket.close(CLOSE_TOO_SLOW, "too slow")
            return
        visible = visible_event(event, user)
        if visible is not None:
            await websocket.send_json(visible)


@bp.websocket("/ws/board")
async def board_socket() -> None:
    """Forward task events to a logged-in user until they disconnect.

    The client sends nothing meaningful; reading its messages is how the
    handler learns that it went away, which ends the subscription.
    """
    user_id = session.get("user_id")
    row = db.user_by_id(user_id) if isinstance(user_id, int) else None
    if row is None:
        abort(401)
    user = db.user_json(row)
    db.close_db()  # the connection lives for hours: don't keep a database handle
    broadcaster = t.cast(Broadcaster, current_app.extensions["tasks.broadcaster"])
    await websocket.accept()
    async with broadcaster.subscribe() as subscription:
        await websocket.send_json({"type": "hello", "user": user})
        sender = asyncio.ensure_future(forward(subscription, user))
        receiver = asyncio.ensure_future(drain())
        try:
            await asyncio.wait({sender, receiver}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (sender, receiver):
                task.cancel()
            await asyncio.gather(sender, receiver, return_exceptions=True)


async def drain() -> None:
    """Read (and ignore) the client's messages until it disconnects."""
    async for _message in websocket:
        pass
