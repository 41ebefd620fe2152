"""Streamed responses on the ASGI front: chunks, client disconnects, files, teardown timing."""

from __future__ import annotations

import asyncio
import os
import threading
import typing as t
from pathlib import Path

import pytest
from asgi_helpers import Server
from asgi_helpers import http_scope
from asgi_helpers import run

import erlen
from erlen import request

pytestmark = pytest.mark.anyio


def make_app(events: list[str]) -> erlen.Erlen:
    app = erlen.Erlen(__name__)

    @app.teardown_request
    def teardown(exc: BaseException | None) -> None:
        events.append("teardown")

    @app.route("/sync")
    def sync_stream() -> erlen.Response:
        def generate() -> t.Iterator[str]:
            try:
                for i in range(int(request.args.get("n", 3))):
                    events.append(f"sync {i}")
                    yield f"chunk {i};"
            finally:
                events.append("sync closed")

        return erlen.Response(erlen.stream_with_context(generate()), mimetype="text/plain")

    @app.route("/async")
    async def async_stream() -> erlen.Response:
        async def generate() -> t.AsyncIterator[bytes]:
            try:
                for i in range(int(request.args.get("n", 3))):
                    await asyncio.sleep(0)
                    events.append(f"async {i}")
                    yield f"chunk {i};".encode()
            finally:
                events.append("async closed")

        return erlen.Response(generate(), mimetype="text/plain")

    return app


@pytest.mark.parametrize("kind", ["sync", "async"])
async def test_each_chunk_is_its_own_message_and_teardown_follows_the_body(kind: str) -> None:
    events: list[str] = []
    app = make_app(events)
    server = await run(app.asgi_app, http_scope(f"/{kind}"), Server())
    assert server.status == 200
    assert server.headers["content-type"] == "text/plain; charset=utf-8"
    assert "content-length" not in server.headers
    assert server.body_chunks == [b"chunk 0;", b"chunk 1;", b"chunk 2;"]
    assert server.sent[-1]["body"] == b""
    assert not server.sent[-1].get("more_body", False)
    # Deliberate difference from WSGI: the request context (and request.args
    # inside the generator) lives until the body was sent; teardown is last.
    assert events == [f"{kind} 0", f"{kind} 1", f"{kind} 2", f"{kind} closed", "teardown"]


@pytest.mark.parametrize("kind", ["sync", "async"])
async def test_client_disconnect_mid_stream_closes_the_generator(kind: str) -> None:
    events: list[str] = []
    app = make_app(events)
    server = Server(disconnect_after_chunks=2)
    await run(app.asgi_app, http_scope(f"/{kind}", query_string=b"n=1000"), server)
    assert len(server.body_chunks) == 2
    assert server.sent_after_disconnect == 0
    # The generator's finally ran, long before 1000 chunks, then teardown.
    assert events[-2:] == [f"{kind} closed", "teardown"]
    assert len(events) < 10


async def test_disconnect_while_a_sync_generator_blocks_waits_for_it_then_closes() -> None:
    app = erlen.Erlen(__name__)
    events: list[str] = []
    blocked = threading.Event()
    release = threading.Event()

    @app.teardown_request
    def teardown(exc: BaseException | None) -> None:
        events.append("teardown")

    @app.route("/")
    def slow() -> erlen.Response:
        def generate() -> t.Iterator[bytes]:
            try:
                yield b"first"
                blocked.set()
                release.wait(10)
                yield b"second"
            finally:
                events.append("closed")

        return erlen.Response(generate())

    server = Server()
    task = asyncio.ensure_future(run(app.asgi_app, http_scope("/"), server))
    while not blocked.is_set():
        await asyncio.sleep(0.005)
    server.disconnected.set()
    await asyncio.sleep(0.05)
    assert not task.done()  # the worker thread is still inside the generator
    release.set()
    await task
    assert server.body_chunks == [b"first"]
    assert events == ["closed", "teardown"]


async def test_send_file_streams_a_large_file_in_chunks(tmp_path: Path) -> None:
    data = os.urandom(3 * 1024 * 1024 + 17)
    (tmp_path / "big.bin").write_bytes(data)
    app = erlen.Erlen(__name__)

    @app.route("/file")
    def file() -> erlen.Response:
        return erlen.send_file(tmp_path / "big.bin", mimetype="application/octet-stream")

    server = await run(app.asgi_app, http_scope("/file"), Server())
    assert server.status == 200
    assert server.headers["content-length"] == str(len(data))
    assert len(server.body_chunks) > 10
    assert max(len(c) for c in server.body_chunks) <= 1024 * 1024
    assert server.body == data
    # Range requests work through the same path.
    server = await run(app.asgi_app, http_scope("/file", headers=[("range", "bytes=10-19")]), Server())
    assert (server.status, server.body) == (206, data[10:20])


async def test_head_and_304_send_no_body() -> None:
    app = erlen.Erlen(__name__)

    @app.route("/")
    def index() -> t.Any:
        rv = erlen.Response(iter([b"streamed"]))
        rv.set_etag("v1")
        return rv.make_conditional(request)

    server = await run(app.asgi_app, http_scope("/", "HEAD"), Server())
    assert (server.status, server.body) == (200, b"")
    server = await run(app.asgi_app, http_scope("/", headers=[("if-none-match", '"v1"')]), Server())
    assert (server.status, server.body) == (304, b"")


def test_streaming_is_the_same_on_both_fronts_apart_from_teardown_timing(front: t.Any) -> None:
    events: list[str] = []
    app = erlen.Erlen(__name__)

    @app.teardown_request
    def teardown(exc: BaseException | None) -> None:
        events.append("teardown")

    @app.route("/sync")
    def sync_stream() -> t.Iterator[str]:
        def generate() -> t.Iterator[str]:
            events.append("first chunk")
            yield "a;"
            yield "b;"

        return generate()

    @app.route("/async")
    async def async_stream() -> erlen.Response:
        async def generate() -> t.AsyncIterator[str]:
            events.append("first chunk")
            yield "a;"
            yield "b;"

        return erlen.Response(generate(), mimetype="text/plain")

    for kind, mimetype in [("sync", "text/html"), ("async", "text/plain")]:
        events.clear()
        rv = front(app).get(f"/{kind}")
        assert (rv.status_code, rv.data, rv.mimetype) == (200, b"a;b;", mimetype)
        # WSGI (as Flask): teardown before the body is iterated; ASGI: after.
        expected = ["teardown", "first chunk"] if front.name == "wsgi" else ["first chunk", "teardown"]
        assert events == expected
