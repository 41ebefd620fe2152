"""Request bodies on the ASGI front: limits enforced while receiving, streamed uploads."""

from __future__ import annotations

import typing as t

import pytest
from asgi_helpers import Server
from asgi_helpers import http_scope
from asgi_helpers import run

import erlen
from erlen import request
from erlen.testing import ASGIClient

pytestmark = pytest.mark.anyio


def make_app(**config: t.Any) -> erlen.Erlen:
    app = erlen.Erlen(__name__)
    app.config.update(config)

    @app.post("/data")
    def data() -> dict[str, int]:
        return {"len": len(request.get_data())}

    @app.post("/form")
    def form() -> dict[str, t.Any]:
        return {"keys": sorted(request.form)}

    @app.post("/upload")
    @erlen.stream_request_body
    async def upload() -> dict[str, t.Any]:
        # On ASGI, a stream_request_body view's request.stream is async iterable.
        body = t.cast(t.AsyncIterable[bytes], request.stream)
        sizes = [len(chunk) async for chunk in body]
        return {"chunks": sizes, "total": sum(sizes)}

    @app.post("/upload-read")
    @erlen.stream_request_body
    def upload_read() -> bytes:
        return request.get_data()

    return app


def post(path: str, length: int | None, content_type: str = "application/octet-stream") -> dict[str, t.Any]:
    headers = [("content-type", content_type)]
    if length is not None:
        headers.append(("content-length", str(length)))
    return http_scope(path, "POST", headers)


async def test_declared_length_over_the_limit_is_413_without_receiving() -> None:
    app = make_app(MAX_CONTENT_LENGTH=100)
    server = await run(app.asgi_app, post("/data", 1000), Server([b"x" * 100] * 10))
    assert server.status == 413
    assert server.pulled == 0


async def test_chunked_body_over_the_limit_stops_receiving_at_the_limit() -> None:
    app = make_app(MAX_CONTENT_LENGTH=100)
    # No Content-Length: 40-byte chunks; the third one crosses 100 bytes.
    server = await run(app.asgi_app, post("/data", None), Server([b"x" * 40] * 10))
    assert server.status == 413
    assert server.pulled == 3


async def test_body_within_the_limit_is_received_whole() -> None:
    app = make_app(MAX_CONTENT_LENGTH=100)
    for length in (100, None):
        server = await run(app.asgi_app, post("/data", length), Server([b"x" * 25] * 4))
        assert (server.status, server.body, server.pulled) == (200, b'{"len":100}\n', 4)


async def test_limit_of_zero_accepts_an_empty_body() -> None:
    app = make_app(MAX_CONTENT_LENGTH=0)
    for length in (0, None):
        server = await run(app.asgi_app, post("/data", length), Server([b""]))
        assert (server.status, server.body) == (200, b'{"len":0}\n')


async def test_large_body_spools_and_arrives_intact() -> None:
    app = make_app()

    @app.post("/sum")
    def checksum() -> dict[str, int]:
        data = request.get_data()
        return {"len": len(data), "sum": sum(data) % 65521}

    chunks = [bytes([i % 251]) * 65536 for i in range(40)]  # 2.5 MiB, past the spool size
    server = await run(app.asgi_app, post("/sum", None), Server(chunks))
    expected = b"".join(chunks)
    assert server.status == 200
    assert erlen.json.loads(server.body) == {"len": len(expected), "sum": sum(expected) % 65521}


@pytest.mark.parametrize(
    ("config", "data", "content_type"),
    [
        ({"MAX_FORM_MEMORY_SIZE": 10}, {"a": "x" * 11}, "multipart/form-data"),
        ({"MAX_FORM_PARTS": 2}, {"a": "1", "b": "2", "c": "3"}, "multipart/form-data"),
        ({"MAX_CONTENT_LENGTH": 10}, {"a": "x" * 20}, "application/x-www-form-urlencoded"),
    ],
)
async def test_form_limits_are_413(config: dict[str, t.Any], data: dict[str, str], content_type: str) -> None:
    app = make_app(**config)
    rv = await ASGIClient(app, chunk_size=7).post("/form", data=data, content_type=content_type)
    assert rv.status_code == 413
    ok = await ASGIClient(make_app()).post("/form", data=data, content_type=content_type)
    assert ok.get_json() == {"keys": sorted(data)}


async def test_stream_request_body_yields_chunks_as_they_arrive() -> None:
    app = make_app()
    server = await run(app.asgi_app, post("/upload", None), Server([b"a" * 10, b"", b"b" * 20, b"c" * 5]))
    assert erlen.json.loads(server.body) == {"chunks": [10, 20, 5], "total": 35}
    rv = await ASGIClient(app, chunk_size=1000).post("/upload", data=b"z" * 2500)
    assert rv.get_json() == {"chunks": [1000, 1000, 500], "total": 2500}


async def test_stream_request_body_enforces_the_limit_while_streaming() -> None:
    app = make_app(MAX_CONTENT_LENGTH=50)
    server = await run(app.asgi_app, post("/upload", None), Server([b"x" * 20] * 10))
    assert server.status == 413
    assert server.pulled == 3
    # A declared length over the limit is refused before the view runs.
    server = await run(app.asgi_app, post("/upload", 500), Server([b"x" * 500]))
    assert (server.status, server.pulled) == (413, 0)


async def test_stream_request_body_refuses_sync_reads() -> None:
    app = make_app()
    app.config["PROPAGATE_EXCEPTIONS"] = True
    with pytest.raises(RuntimeError, match="async for chunk in request.stream"):
        await ASGIClient(app).post("/upload-read", data=b"abc")


def test_stream_request_body_is_plain_on_wsgi() -> None:
    app = make_app()
    rv = app.test_client().post("/upload-read", data=b"abc")
    assert rv.data == b"abc"


async def test_client_disconnect_while_receiving_ends_quietly() -> None:
    app = make_app()
    calls: list[str] = []

    @app.teardown_request
    def teardown(exc: BaseException | None) -> None:
        calls.append("teardown")

    server = Server([b"x" * 10, b"x" * 10], disconnect_after_body=True)

    async def receive() -> dict[str, t.Any]:
        if server.pulled == 1:
            return {"type": "http.disconnect"}
        return await server.receive()

    await app.asgi_app(post("/data", 100), receive, server.send)
    assert server.sent == []
    assert calls == ["teardown"]
