"""Flask-Compress on erlen: gzip, deflate and brotli by Accept-Encoding, size and type rules, streaming."""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterator

import brotli
import pytest
from flask import Flask
from flask import Response
from flask import stream_with_context
from flask.testing import FlaskClient
from flask.typing import ResponseReturnValue
from flask_compress import Compress

#: Every test runs on the WSGI and on the ASGI front.
pytestmark = pytest.mark.usefixtures("front")

BODY = "erlen runs Flask extensions. " * 200


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["COMPRESS_ALGORITHM"] = ["br", "gzip", "deflate"]
    app.config["COMPRESS_STREAMS"] = True
    Compress(app)

    @app.get("/text")
    def text() -> str:
        return BODY

    @app.get("/small")
    def small() -> str:
        return "tiny"

    @app.get("/json")
    def json_view() -> ResponseReturnValue:
        return {"items": [BODY[:50]] * 50}

    @app.get("/image")
    def image() -> Response:
        return Response(b"\x89PNG" + b"\0" * 2000, mimetype="image/png")

    @app.get("/stream")
    def stream() -> Response:
        def chunks() -> Iterator[str]:
            for _ in range(10):
                yield BODY[:300]

        return Response(stream_with_context(chunks()), mimetype="text/plain")

    return app


@pytest.fixture
def client() -> FlaskClient:
    return create_app().test_client()


@pytest.mark.parametrize(
    ("accept", "encoding", "decode"),
    [
        ("gzip", "gzip", gzip.decompress),
        ("deflate", "deflate", zlib.decompress),
        ("br", "br", brotli.decompress),
        ("gzip, deflate, br", "br", brotli.decompress),
        ("gzip;q=1.0, br;q=0.5", "gzip", gzip.decompress),
    ],
)
def test_negotiated_encoding(client: FlaskClient, accept: str, encoding: str, decode: object) -> None:
    response = client.get("/text", headers={"Accept-Encoding": accept})
    assert response.headers["Content-Encoding"] == encoding
    assert "Accept-Encoding" in response.headers["Vary"]
    assert int(response.headers["Content-Length"]) == len(response.data) < len(BODY)
    assert decode(response.data).decode() == BODY  # type: ignore[operator]


def test_json_is_compressed(client: FlaskClient) -> None:
    response = client.get("/json", headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.data).startswith(b'{"items":')


def test_left_alone(client: FlaskClient) -> None:
    assert "Content-Encoding" not in client.get("/text").headers  # no Accept-Encoding
    assert "Content-Encoding" not in client.get("/small", headers={"Accept-Encoding": "gzip"}).headers
    image = client.get("/image", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in image.headers and image.data.startswith(b"\x89PNG")


def test_streamed_response(client: FlaskClient) -> None:
    # gzip is not a streaming algorithm of Flask-Compress; deflate is
    assert "Content-Encoding" not in client.get("/stream", headers={"Accept-Encoding": "gzip"}).headers
    response = client.get("/stream", headers={"Accept-Encoding": "deflate"})
    assert response.headers["Content-Encoding"] == "deflate"
    assert "Content-Length" not in response.headers
    assert zlib.decompress(response.data).decode() == BODY[:300] * 10
