"""Behaviour the ASGI front's fast paths must keep: scope translation, header encoding, the sync workers, the driver."""

from __future__ import annotations

import asyncio
import functools
import sys
import threading
import typing as t

import pytest
from asgi_helpers import Server
from asgi_helpers import http_scope
from asgi_helpers import run

import erlen
from erlen import request
from erlen.testing import ASGIClient

pytestmark = pytest.mark.anyio


def _echo_app() -> erlen.Erlen:
    app = erlen.Erlen(__name__)

    @app.route("/<path:rest>")
    async def echo(rest: str) -> dict[str, t.Any]:
        return {
            "rest": rest,
            "path": request.path,
            "root": request.root_path,
            "script_name": request.environ["SCRIPT_NAME"],
            "path_info": request.environ["PATH_INFO"],
            "custom": request.headers.get("X-Custom"),
            "forwarded": request.headers.get("X-Forwarded-For"),
            "protocol": request.environ["SERVER_PROTOCOL"],
            "port": request.environ["SERVER_PORT"],
        }

    return app


async def test_non_ascii_root_path_and_path_are_latin1_in_the_environ() -> None:
    app = _echo_app()
    s = http_scope("/präfix/ü/x")
    s["root_path"] = "/präfix"
    body = erlen.json.loads((await run(app, s, Server())).body)
    assert body["rest"] == "ü/x"
    assert (body["root"], body["path"]) == ("/präfix", "/ü/x")
    assert body["script_name"] == "/präfix".encode().decode("latin-1")
    assert body["path_info"] == "/ü/x".encode().decode("latin-1")


async def test_header_names_in_any_case_repeated_over_requests() -> None:
    app = _echo_app()
    for _ in range(3):  # the second and third use the cached translations
        s = http_scope("/a")
        s["headers"] += [
            (b"X-Custom", b"1"),
            (b"x-custom", b"2"),
            (b"x_forwarded_for", b"6.6.6.6"),
        ]
        body = erlen.json.loads((await run(app, s, Server())).body)
        assert body["custom"] == "1,2"
        assert body["forwarded"] is None


async def test_protocol_and_port_from_the_scope() -> None:
    app = _echo_app()
    for version, port, protocol, port_text in (
        ("1.1", 8000, "HTTP/1.1", "8000"),
        ("2", 8443, "HTTP/2", "8443"),
        ("1.0", None, "HTTP/1.0", "80"),
    ):
        s = http_scope("/a")
        s["http_version"] = version
        s["server"] = ("testserver", port)
        body = erlen.json.loads((await run(app, s, Server())).body)
        assert (body["protocol"], body["port"]) == (protocol, port_text)


async def test_response_header_names_are_sent_lower_case_each_time() -> None:
    app = erlen.Erlen(__name__)

    @app.route("/")
    async def index() -> tuple[str, dict[str, str]]:
        return "ok", {"X-Thing": "é"}

    for _ in range(2):
        server = await run(app, http_scope("/"), Server())
        headers = server.sent[0]["headers"]
        assert (b"x-thing", "é".encode("latin-1")) in headers
        assert all(name == name.lower() for name, _ in headers)


async def test_sync_views_never_exceed_the_thread_limit() -> None:
    app = erlen.Erlen(__name__)
    app.asgi_thread_limit = 2
    lock = threading.Lock()
    running = 0
    most = 0

    @app.route("/")
    def index() -> str:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        threading.Event().wait(0.02)
        with lock:
            running -= 1
        return threading.current_thread().name

    client = ASGIClient(app)
    responses = await asyncio.gather(*(client.get("/") for _ in range(6)))
    assert [rv.status_code for rv in responses] == [200] * 6
    assert most <= 2
    assert {rv.get_data(as_text=True) for rv in responses} <= {"erlen-sync_1", "erlen-sync_2"}


async def test_sync_errors_and_base_exceptions_come_back_to_the_loop() -> None:
    app = erlen.Erlen(__name__)
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.route("/error")
    def error() -> str:
        raise ValueError("boom")

    @app.errorhandler(ValueError)
    def handle(e: ValueError) -> tuple[str, int]:
        # In the worker thread, the handled exception is the current one.
        return f"handled {sys.exc_info()[1]!r}", 418

    @app.route("/crash")
    def crash() -> str:
        raise RuntimeError("secret detail")

    client = ASGIClient(app)
    rv = await client.get("/error")
    assert (rv.status_code, rv.get_data(as_text=True)) == (418, "handled ValueError('boom')")
    rv = await client.get("/crash")
    assert rv.status_code == 500
    assert b"secret detail" not in rv.data


async def test_sync_views_work_again_after_lifespan_shutdown() -> None:
    app = erlen.Erlen(__name__)

    @app.route("/")
    def index() -> str:
        return "ok"

    async with ASGIClient(app) as client:
        assert (await client.get("/")).data == b"ok"
    # The lifespan shut the workers down; a later request starts new ones.
    assert (await ASGIClient(app).get("/")).data == b"ok"


class _Views:
    def __init__(self) -> None:
        self.prefix = "method"

    async def view(self) -> str:
        await asyncio.sleep(0)
        return self.prefix


async def test_async_methods_and_partials_are_awaited() -> None:
    app = erlen.Erlen(__name__)

    async def greet(greeting: str, name: str) -> str:
        await asyncio.sleep(0)
        return f"{greeting} {name}"

    app.add_url_rule("/method", "method", _Views().view)
    app.add_url_rule("/partial/<name>", "partial", functools.partial(greet, "hi"))
    client = ASGIClient(app)
    assert (await client.get("/method")).data == b"method"
    assert (await client.get("/partial/x")).data == b"hi x"


async def test_async_error_handler_sees_the_exception_being_handled() -> None:
    app = erlen.Erlen(__name__)

    @app.route("/")
    async def index() -> str:
        raise KeyError("k")

    @app.errorhandler(KeyError)
    async def handle(e: KeyError) -> tuple[str, int]:
        return f"{sys.exc_info()[1] is e}", 409

    rv = await ASGIClient(app).get("/")
    assert (rv.status_code, rv.data) == (409, b"True")


async def test_teardown_registered_after_requests_still_runs() -> None:
    app = erlen.Erlen(__name__)
    events: list[str] = []

    @app.route("/")
    async def index() -> str:
        return "ok"

    client = ASGIClient(app)
    assert (await client.get("/")).data == b"ok"  # nothing to tear down
    app.teardown_request_funcs.setdefault(None, []).append(
        lambda exc: events.append(f"teardown {threading.current_thread().name[:10]}")
    )
    assert (await client.get("/")).data == b"ok"
    assert events == ["teardown erlen-sync"]


def _body_app(limit: int | None) -> erlen.Erlen:
    app = erlen.Erlen(__name__)
    app.config["MAX_CONTENT_LENGTH"] = limit

    @app.post("/data")
    async def data() -> dict[str, int]:
        return {"len": len(request.get_data())}

    return app


def _post(length: int | None) -> dict[str, t.Any]:
    headers = [("content-type", "application/octet-stream")]
    if length is not None:
        headers.append(("content-length", str(length)))
    return http_scope("/data", "POST", headers)


async def test_a_body_in_one_message_is_held_to_the_limit() -> None:
    app = _body_app(10)
    for length in (10, None):
        server = await run(app.asgi_app, _post(length), Server([b"x" * 10]))
        assert (server.status, server.body, server.pulled) == (200, b'{"len":10}\n', 1)
    # Over the limit without a declared length: refused from the first message.
    server = await run(app.asgi_app, _post(None), Server([b"x" * 11]))
    assert (server.status, server.pulled) == (413, 1)


async def test_a_disconnect_instead_of_the_body_sends_nothing() -> None:
    for teardown in (False, True):
        app = _body_app(None)
        calls: list[str] = []
        if teardown:
            app.teardown_request(lambda exc, calls=calls: calls.append("teardown"))
        server = Server()

        async def receive() -> dict[str, t.Any]:
            return {"type": "http.disconnect"}

        await app.asgi_app(_post(4), receive, server.send)
        assert server.sent == []
        assert calls == (["teardown"] if teardown else [])
        # The request context was popped either way.
        assert not erlen.has_request_context()
