"""The app tests/asgi/test_asgi_servers.py serves with gunicorn, uvicorn, hypercorn and granian.

WSGI servers load ``serverapp:app``, ASGI servers ``serverapp:app.asgi_app``.
"""

from __future__ import annotations

import asyncio
import os
import time
import typing as t

import erlen
from erlen import g
from erlen import request
from erlen import session
from erlen import websocket

app = erlen.Erlen(__name__)
app.config.update(SECRET_KEY="servers", MAX_CONTENT_LENGTH=1024)
#: Set by the ASGI lifespan startup (before_serving); WSGI servers never run it.
state = {"serving": False}


@app.before_serving
async def start() -> None:
    await asyncio.sleep(0)
    state["serving"] = True


@app.route("/sync")
def sync_view() -> dict[str, t.Any]:
    return {"view": "sync", "serving": state["serving"], "pid": os.getpid()}


@app.route("/async")
async def async_view() -> dict[str, t.Any]:
    await asyncio.sleep(0.001)
    return {"view": "async", "path": request.path, "serving": state["serving"]}


@app.route("/stream")
def stream() -> erlen.Response:
    def generate() -> t.Iterator[str]:
        for i in range(5):
            yield f"chunk {i}\n"

    return erlen.Response(generate(), mimetype="text/plain")


@app.route("/astream")
async def astream() -> erlen.Response:
    async def generate() -> t.AsyncIterator[str]:
        for i in range(5):
            await asyncio.sleep(0)
            yield f"achunk {i}\n"

    return erlen.Response(generate(), mimetype="text/plain")


@app.post("/upload")
def upload() -> dict[str, int]:
    return {"len": len(request.get_data())}


def _echo(prev: t.Any) -> dict[str, t.Any]:
    return {
        "arg": request.args["id"],
        "header": request.headers["X-Id"],
        "cookie": request.cookies["cid"],
        "g": g.rid,
        "session": session["rid"],
        "prev": prev,
    }


@app.route("/echo")
async def echo() -> dict[str, t.Any]:
    g.rid = request.args["id"]
    prev = session.get("rid")
    session["rid"] = request.args["id"]
    await asyncio.sleep(0.001)
    return _echo(prev)


@app.route("/echo-sync")
def echo_sync() -> dict[str, t.Any]:
    g.rid = request.args["id"]
    prev = session.get("rid")
    session["rid"] = request.args["id"]
    time.sleep(0.001)
    return _echo(prev)


@app.websocket("/ws/echo")
async def ws_echo() -> None:
    await websocket.accept(subprotocol="echo" if "echo" in websocket.subprotocols else None)
    async for message in websocket:
        await websocket.send(message)


members: dict[str, erlen.Websocket] = {}


async def broadcast(text: str) -> None:
    for other in list(members.values()):
        try:
            await other.send(text)
        except (erlen.WebsocketDisconnect, RuntimeError):
            pass  # that member is leaving


@app.websocket("/ws/chat/<name>")
async def chat(name: str) -> None:
    members[name] = websocket._get_current_object()  # type: ignore[attr-defined]
    try:
        await broadcast(f"join {name}")
        async for message in websocket:
            text = message if isinstance(message, str) else message.decode()
            await broadcast(f"{name}: {text}")
    finally:
        members.pop(name, None)
