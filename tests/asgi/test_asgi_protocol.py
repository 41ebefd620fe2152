"""The ASGI entry points: ASGI 3 and ASGI 2 call styles, scope translation, unknown scopes."""

from __future__ import annotations

import typing as t

import pytest
from asgi_helpers import Server
from asgi_helpers import http_scope
from asgi_helpers import run

import erlen
from erlen import request

pytestmark = pytest.mark.anyio


def make_app() -> erlen.Erlen:
    app = erlen.Erlen(__name__)

    @app.route("/info/<name>", methods=["GET", "POST"])
    def info(name: str) -> dict[str, t.Any]:
        return {
            "name": name,
            "method": request.method,
            "path": request.path,
            "root": request.root_path,
            "url": request.url,
            "args": request.args.to_dict(flat=False),
            "remote": request.remote_addr,
            "host": request.host,
            "cookies": request.cookies.to_dict(),
            "accept": request.headers.get("Accept"),
            "data": request.get_data(as_text=True),
        }

    return app


EXPECTED = {
    "name": "ü",
    "method": "POST",
    "path": "/info/ü",
    "root": "",
    "url": "http://testserver/info/ü?a=1&a=2",
    "args": {"a": ["1", "2"]},
    "remote": "127.0.0.1",
    "host": "testserver",
    "cookies": {"x": "1", "y": "2"},
    "accept": "a,b",
    "data": "body",
}


def scope() -> dict[str, t.Any]:
    return http_scope(
        "/info/ü",
        "POST",
        headers=[("cookie", "x=1"), ("cookie", "y=2"), ("accept", "a"), ("accept", "b"), ("content-length", "4")],
        query_string=b"a=1&a=2",
    )


async def test_asgi3_call_on_the_app_and_on_asgi_app() -> None:
    app = make_app()
    for entry in (app, app.asgi_app):
        server = await run(entry, scope(), Server([b"bo", b"dy"]))
        assert server.status == 200
        assert erlen.json.loads(server.body) == EXPECTED


async def test_asgi2_call_style() -> None:
    app = make_app()
    instance = app(scope())
    server = Server([b"body"])
    await instance(server.receive, server.send)
    assert erlen.json.loads(server.body) == EXPECTED


async def test_root_path_becomes_script_name() -> None:
    app = make_app()
    s = http_scope("/prefix/info/x")
    s["root_path"] = "/prefix"
    server = await run(app, s, Server())
    body = erlen.json.loads(server.body)
    assert (body["root"], body["path"], body["url"]) == ("/prefix", "/info/x", "http://testserver/prefix/info/x")


async def test_headers_with_underscores_are_dropped() -> None:
    app = erlen.Erlen(__name__)

    @app.route("/")
    def index() -> dict[str, t.Any]:
        return {"forwarded": request.headers.get("X-Forwarded-For"), "remote": request.remote_addr}

    server = await run(app, http_scope("/", headers=[("x_forwarded_for", "6.6.6.6")]), Server())
    assert erlen.json.loads(server.body) == {"forwarded": None, "remote": "127.0.0.1"}


async def test_unknown_scope_type_is_an_error() -> None:
    app = make_app()
    with pytest.raises(ValueError, match="Unsupported ASGI scope type 'mqtt'"):
        await app({"type": "mqtt"}, Server().receive, Server().send)


def test_wrong_number_of_arguments_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="WSGI app"):
        make_app()(1, 2, 3, 4)


def test_test_client_asgi_flag_and_same_answers_on_both_fronts(front: t.Any) -> None:
    app = make_app()
    client = front(app)
    assert client.asgi is (front.name == "asgi")
    client.set_cookie("x", "1")
    client.set_cookie("y", "2")
    rv = client.post("/info/ü?a=1&a=2", data="body", headers=[("Accept", "a"), ("Accept", "b")])
    # The client joins repeated headers with ", " before either front sees them.
    assert rv.get_json() == {**EXPECTED, "host": "localhost", "url": "http://localhost/info/ü?a=1&a=2", "accept": "a, b"}
