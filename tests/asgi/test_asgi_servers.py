"""The same app served by real servers in subprocesses on 127.0.0.1.

gunicorn (WSGI), uvicorn and hypercorn (``serverapp:app.asgi_app``) and
granian (``--interface asgi`` and ``--interface wsgi``) each serve sync and
async views, streamed responses and an upload over ``MAX_CONTENT_LENGTH``;
the ASGI servers also run the lifespan and WebSockets. Against uvicorn, a
chat room of three WebSocket clients and a bounded load check: 64
concurrent clients whose requests each carry a unique id, checking no
response ever shows another request's values.

Every server is started in its own process group and always stopped.
"""

from __future__ import annotations

import asyncio
import contextlib
import http.client
import importlib.util
import json
import os
import signal
import socket
import subprocess
import sys
import time
import typing as t
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

APP_DIR = Path(__file__).parent / "servers"
HOST = "127.0.0.1"
TIMEOUT = 10.0


def _command(kind: str, port: int) -> list[str]:
    py = [sys.executable, "-m"]
    if kind == "gunicorn":
        return [*py, "gunicorn", "--workers", "1", "--threads", "16", "--bind", f"{HOST}:{port}",
                "--graceful-timeout", "2", "serverapp:app"]
    if kind == "uvicorn":
        return [*py, "uvicorn", "serverapp:app.asgi_app", "--host", HOST, "--port", str(port),
                "--lifespan", "on", "--log-level", "warning"]
    if kind == "hypercorn":
        return [*py, "hypercorn", "serverapp:app.asgi_app", "--bind", f"{HOST}:{port}", "--graceful-timeout", "2"]
    interface = kind.partition("-")[2]
    target = "serverapp:app.asgi_app" if interface == "asgi" else "serverapp:app"
    return [*py, "granian", "--interface", interface, "--host", HOST, "--port", str(port),
            "--workers", "1", "--log-level", "warning", target]


SERVERS = ["gunicorn", "uvicorn", "hypercorn", "granian-asgi", "granian-wsgi"]
ASGI_SERVERS = {"uvicorn", "hypercorn", "granian-asgi"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


class Served:
    """A running server: ``kind``, ``port`` and its process."""

    def __init__(self, kind: str, port: int, proc: subprocess.Popen[bytes]) -> None:
        self.kind = kind
        self.port = port
        self.proc = proc

    @property
    def asgi(self) -> bool:
        return self.kind in ASGI_SERVERS

    def request(self, method: str, path: str) -> tuple[int, dict[str, str], bytes]:
        conn = http.client.HTTPConnection(HOST, self.port, timeout=TIMEOUT)
        try:
            conn.request(method, path)
            response = conn.getresponse()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
        finally:
            conn.close()


    def send_whole(self, path: str, body: bytes | list[bytes]) -> tuple[int, bytes]:
        """POST ``body`` (a list means chunked encoding) written in one go, then read the answer.

        A server may answer 413 and close before reading the body; writing
        the whole request at once keeps that from failing the client's write.
        """
        if isinstance(body, list):
            framing = "Transfer-Encoding: chunked"
            payload = b"".join(b"%x\r\n%s\r\n" % (len(c), c) for c in body) + b"0\r\n\r\n"
        else:
            framing = f"Content-Length: {len(body)}"
            payload = body
        head = f"POST {path} HTTP/1.1\r\nHost: {HOST}\r\n{framing}\r\nConnection: close\r\n\r\n"
        with socket.create_connection((HOST, self.port), timeout=TIMEOUT) as sock:
            sock.sendall(head.encode() + payload)
            response = http.client.HTTPResponse(sock)
            response.begin()
            return response.status, response.read()


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop the server's process group (the server and any workers it forked)."""
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            pass
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(5)


@contextlib.contextmanager
def serve(kind: str) -> t.Iterator[Served]:
    module = kind.partition("-")[0]
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} is not installed (pip install -e '.[test]')")
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(APP_DIR), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.Popen(
        _command(kind, port), cwd=APP_DIR, env=env, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    try:
        served = Served(kind, port, proc)
        deadline = time.monotonic() + 30
        while True:
            if proc.poll() is not None:
                stderr = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
                pytest.fail(f"{kind} exited with {proc.returncode}:\n{stderr[-3000:]}")
            try:
                if served.request("GET", "/sync")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"{kind} did not answer on port {port} within 30 s")
            time.sleep(0.1)
        yield served
    finally:
        _stop(proc)
        if proc.stderr is not None:
            proc.stderr.close()


@pytest.fixture(scope="module", params=SERVERS)
def server(request: pytest.FixtureRequest) -> t.Iterator[Served]:
    with serve(request.param) as served:
        yield served


@pytest.fixture(scope="module")
def uvicorn_server() -> t.Iterator[Served]:
    with serve("uvicorn") as served:
        yield served


def test_sync_and_async_views(server: Served) -> None:
    status, headers, body = server.request("GET", "/sync")
    assert status == 200
    assert headers["content-type"] == "application/json"
    sync = json.loads(body)
    assert sync["view"] == "sync"
    # The ASGI lifespan ran before_serving; WSGI servers have no lifespan.
    assert sync["serving"] is server.asgi
    status, _, body = server.request("GET", "/async")
    assert (status, json.loads(body)) == (200, {"view": "async", "path": "/async", "serving": server.asgi})


@pytest.mark.parametrize(("path", "prefix"), [("/stream", "chunk"), ("/astream", "achunk")])
def test_streamed_responses(server: Served, path: str, prefix: str) -> None:
    status, headers, body = server.request("GET", path)
    assert status == 200
    assert "content-length" not in headers
    assert headers.get("transfer-encoding") == "chunked"
    assert body == "".join(f"{prefix} {i}\n" for i in range(5)).encode()


def test_upload_limit(server: Served) -> None:
    status, body = server.send_whole("/upload", b"x" * 1024)
    assert (status, json.loads(body)) == (200, {"len": 1024})
    assert server.send_whole("/upload", b"x" * 2048)[0] == 413
    status, body = server.send_whole("/upload", [b"y" * 500, b"y" * 500])
    assert (status, json.loads(body)) == (200, {"len": 1000})
    # Chunked, without Content-Length: the ASGI front refuses the body once
    # past the limit; on WSGI, Werkzeug (as under Flask) ends the view's one
    # unbounded read at the limit without an error.
    status, body = server.send_whole("/upload", [b"x" * 600] * 4)
    if server.asgi:
        assert status == 413
    else:
        assert (status, json.loads(body)) == (200, {"len": 1024})


def test_http_request_to_a_websocket_route_is_400(server: Served) -> None:
    status, _, body = server.request("GET", "/ws/echo")
    assert status == 400
    assert b"WebSocket connections only" in body


@pytest.mark.anyio
async def test_websocket_echo(server: Served) -> None:
    if not server.asgi:
        pytest.skip("WebSockets need an ASGI server")
    from websockets.asyncio.client import connect

    async with connect(f"ws://{HOST}:{server.port}/ws/echo", subprotocols=["echo"], open_timeout=TIMEOUT) as ws:  # type: ignore[list-item]
        assert ws.subprotocol == "echo"
        await ws.send("text")
        assert await asyncio.wait_for(ws.recv(), TIMEOUT) == "text"
        await ws.send(b"\x00\x01")
        assert await asyncio.wait_for(ws.recv(), TIMEOUT) == b"\x00\x01"


@pytest.mark.anyio
async def test_websocket_handshake_refused_for_unknown_path(server: Served) -> None:
    if not server.asgi:
        pytest.skip("WebSockets need an ASGI server")
    from websockets.asyncio.client import connect
    from websockets.exceptions import InvalidStatus

    with pytest.raises(InvalidStatus) as info:
        async with connect(f"ws://{HOST}:{server.port}/ws/nowhere", open_timeout=TIMEOUT):
            pass
    # 404 where the server supports the websocket.http.response extension,
    # else the 403 servers answer a close before accept with.
    assert info.value.response.status_code in (403, 404)


@pytest.mark.anyio
async def test_websocket_chat_room_of_three(uvicorn_server: Served) -> None:
    from websockets.asyncio.client import ClientConnection
    from websockets.asyncio.client import connect

    url = f"ws://{HOST}:{uvicorn_server.port}/ws/chat"
    async with contextlib.AsyncExitStack() as stack:
        clients: dict[str, ClientConnection] = {}
        for name in ("ann", "bob", "cyd"):
            ws = await stack.enter_async_context(connect(f"{url}/{name}", open_timeout=TIMEOUT))
            # The room announces each member to everyone, itself included.
            assert await asyncio.wait_for(ws.recv(), TIMEOUT) == f"join {name}"
            clients[name] = ws
        for name, ws in clients.items():
            await ws.send(f"hi from {name}")
        expected = {f"{name}: hi from {name}" for name in clients}
        for name, ws in clients.items():
            received: set[str] = set()
            while len(received) < 3:
                message = await asyncio.wait_for(ws.recv(), TIMEOUT)
                if not str(message).startswith("join "):
                    received.add(str(message))
            assert received == expected, name


def test_concurrent_requests_never_see_each_others_values(uvicorn_server: Served) -> None:
    clients, rounds = 64, 4

    def client(n: int) -> int:
        conn = http.client.HTTPConnection(HOST, uvicorn_server.port, timeout=TIMEOUT)
        cookie = ""
        prev = None
        checked = 0
        try:
            for i in range(rounds):
                rid = f"{n}-{i}-{uuid.uuid4().hex}"
                path = "/echo" if i % 2 == 0 else "/echo-sync"
                headers = {"X-Id": rid, "Cookie": f"cid={rid}{cookie}"}
                conn.request("GET", f"{path}?id={rid}", headers=headers)
                response = conn.getresponse()
                body = json.loads(response.read())
                assert response.status == 200, body
                assert body == {"arg": rid, "header": rid, "cookie": rid, "g": rid, "session": rid, "prev": prev}
                set_cookie = response.getheader("Set-Cookie") or ""
                cookie = "; " + set_cookie.split(";", 1)[0]
                prev = rid
                checked += 1
        finally:
            conn.close()
        return checked

    with ThreadPoolExecutor(clients) as pool:
        done = list(pool.map(client, range(clients), timeout=120))
    assert sum(done) == clients * rounds
