"""The request object: parsed data, URL parts, routing info, auth, limits.

Most tests build the same app on erlen and on real Flask (the ``fw``
fixture) and assert the same responses, so Flask is the oracle.
"""

from __future__ import annotations

import copy
import io
import json
import typing as t
from pathlib import Path

import flask
import pytest
from werkzeug.datastructures import Authorization
from werkzeug.test import EnvironBuilder
from werkzeug.test import run_wsgi_app

import erlen

FRAMEWORKS: dict[str, t.Any] = {"erlen": erlen, "flask": flask}


def make_app(fw: t.Any, **config: t.Any) -> erlen.Erlen:
    """An app of framework ``fw``, typed as erlen's (Flask's has the same API)."""
    app = fw.Erlen(__name__) if fw is erlen else fw.Flask(__name__)
    app.config.update(config)
    return t.cast(erlen.Erlen, app)


@pytest.fixture(params=list(FRAMEWORKS))
def fw(request: pytest.FixtureRequest) -> t.Any:
    return FRAMEWORKS[request.param]


def both(
    factory: t.Callable[[t.Any], t.Any],
    method: str,
    path: str,
    **kwargs: t.Any,
) -> t.Any:
    """Run one request on both frameworks; assert equal status, headers and body; return erlen's."""
    out = {}
    for name, mod in FRAMEWORKS.items():
        rv = factory(mod).test_client(use_cookies=False).open(path, method=method, **copy.deepcopy(kwargs))
        out[name] = (rv.status, sorted(rv.headers.items()), rv.get_data())
    assert out["erlen"] == out["flask"]
    return out["erlen"]


# -- query string, form, values ----------------------------------------------


def dump_multi(fw: t.Any) -> t.Any:
    app = make_app(fw)

    @app.route("/", methods=["GET", "POST"])
    def index() -> t.Any:
        r = fw.request
        return {
            "args": r.args.to_dict(flat=False),
            "form": r.form.to_dict(flat=False),
            "values": r.values.to_dict(flat=False),
            "a": r.values.get("a"),
        }

    return app


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "expected"),
    [
        (
            "GET",
            "/?a=1&a=2&b=x",
            {},
            {"args": {"a": ["1", "2"], "b": ["x"]}, "form": {}, "values": {"a": ["1", "2"], "b": ["x"]}, "a": "1"},
        ),
        (
            "POST",
            "/?a=1",
            {"data": {"a": "3", "c": "4"}},
            {"args": {"a": ["1"]}, "form": {"a": ["3"], "c": ["4"]}, "values": {"a": ["1", "3"], "c": ["4"]}, "a": "1"},
        ),
        # Werkzeug: a GET request's form is ignored by ``values``.
        (
            "GET",
            "/?a=1",
            {"data": {"a": "3"}},
            {"args": {"a": ["1"]}, "form": {"a": ["3"]}, "values": {"a": ["1"]}, "a": "1"},
        ),
        ("GET", "/?%C3%A9=%E2%82%AC&sp=a+b", {}, {"args": {"é": ["€"], "sp": ["a b"]}, "form": {}, "values": {"é": ["€"], "sp": ["a b"]}, "a": None}),
    ],
)
def test_args_form_values(
    method: str, path: str, kwargs: dict[str, t.Any], expected: dict[str, t.Any]
) -> None:
    status, _, body = both(dump_multi, method, path, **kwargs)
    assert status == "200 OK"
    assert json.loads(body) == expected


def test_missing_form_key_is_400(fw: t.Any) -> None:
    app = make_app(fw)

    @app.post("/")
    def index() -> str:
        return str(fw.request.form["missing"])

    rv = app.test_client().post("/", data={"x": "1"})
    assert rv.status_code == 400
    assert b"missing" not in rv.data  # no detail outside debug


def test_files_save(fw: t.Any, tmp_path: Path) -> None:
    app = make_app(fw)

    @app.post("/upload")
    def upload() -> t.Any:
        f = fw.request.files["doc"]
        f.save(tmp_path / f"{fw.__name__}-{f.filename}")
        many = fw.request.files.getlist("many")
        return {
            "filename": f.filename,
            "name": f.name,
            "mimetype": f.mimetype,
            "many": [m.filename for m in many],
            "form": fw.request.form.to_dict(),
        }

    rv = app.test_client().post(
        "/upload",
        data={
            "doc": (io.BytesIO(b"hello\x00world"), "hello.txt", "text/plain"),
            "many": [(io.BytesIO(b"1"), "a.bin"), (io.BytesIO(b"2"), "b.bin")],
            "field": "value",
        },
    )
    assert rv.status_code == 200
    assert rv.json == {
        "filename": "hello.txt",
        "name": "doc",
        "mimetype": "text/plain",
        "many": ["a.bin", "b.bin"],
        "form": {"field": "value"},
    }
    assert (tmp_path / f"{fw.__name__}-hello.txt").read_bytes() == b"hello\x00world"


def test_files_empty_without_multipart(fw: t.Any) -> None:
    app = make_app(fw)

    @app.post("/")
    def index() -> t.Any:
        return {"files": len(fw.request.files), "form": fw.request.form.to_dict()}

    rv = app.test_client().post("/", data={"a": "b"})
    assert rv.json == {"files": 0, "form": {"a": "b"}}


# -- JSON -------------------------------------------------------------------------


def json_app(fw: t.Any, debug: bool = False) -> t.Any:
    app = make_app(fw)
    app.debug = debug

    @app.post("/json")
    def as_json() -> t.Any:
        return {"value": fw.request.json}

    @app.post("/get_json")
    def get_json() -> t.Any:
        args = fw.request.args
        kw = {k: args.get(k) == "1" for k in ("force", "silent") if k in args}
        return {"value": fw.request.get_json(**kw), "is_json": fw.request.is_json}

    return app


@pytest.mark.parametrize(
    ("path", "kwargs", "status", "value"),
    [
        ("/json", {"json": {"a": [1, 2]}}, 200, {"a": [1, 2]}),
        ("/json", {"data": "null", "content_type": "application/json"}, 200, None),
        ("/json", {"data": '"x"', "content_type": "application/vnd.api+json"}, 200, "x"),
        ("/json", {"data": "{bad", "content_type": "application/json"}, 400, None),
        ("/json", {"data": "{}", "content_type": "text/plain"}, 415, None),
        ("/json", {"data": "{}"}, 415, None),
        ("/get_json", {"data": "{}", "content_type": "text/plain"}, 415, None),
        ("/get_json?force=1", {"data": '{"a": 1}', "content_type": "text/plain"}, 200, {"a": 1}),
        ("/get_json?silent=1", {"data": '{"a": 1}', "content_type": "text/plain"}, 200, None),
        ("/get_json?silent=1", {"data": "{bad", "content_type": "application/json"}, 200, None),
        ("/get_json?force=1&silent=1", {"data": "{bad", "content_type": "text/plain"}, 200, None),
        ("/get_json?force=1", {"data": "{bad", "content_type": "text/plain"}, 400, None),
        ("/get_json", {"data": b'{"a": "\xff"}', "content_type": "application/json"}, 400, None),
        ("/get_json", {"data": '{"a": "\u00e9"}'.encode("utf-16"), "content_type": "application/json"}, 200, {"a": "é"}),
    ],
)
def test_json(path: str, kwargs: dict[str, t.Any], status: int, value: t.Any) -> None:
    code, _, body = both(json_app, "POST", path, **kwargs)
    assert int(code.split()[0]) == status
    if status == 200:
        assert json.loads(body)["value"] == value


@pytest.mark.parametrize("debug", [False, True])
def test_invalid_json_detail_only_in_debug(debug: bool) -> None:
    _, _, body = both(
        lambda fw: json_app(fw, debug=debug),
        "POST",
        "/json",
        data="{bad",
        content_type="application/json",
    )
    assert (b"Failed to decode JSON object" in body) is debug


def test_get_json_caches(fw: t.Any) -> None:
    app = make_app(fw)

    @app.post("/")
    def index() -> t.Any:
        first = fw.request.get_json()
        first["mutated"] = True
        return {"same": fw.request.get_json() is first, "again": fw.request.json}

    rv = app.test_client().post("/", json={"a": 1})
    assert rv.json == {"same": True, "again": {"a": 1, "mutated": True}}


# -- raw body -------------------------------------------------------------------


def test_data_and_get_data(fw: t.Any) -> None:
    app = make_app(fw)

    @app.post("/raw")
    def raw() -> t.Any:
        r = fw.request
        return {
            "text": r.get_data(as_text=True),
            "bytes_again": r.get_data().decode(),
            "data": r.data.decode(),
        }

    @app.post("/nocache")
    def nocache() -> t.Any:
        r = fw.request
        return {"first": r.get_data(cache=False).decode(), "second": r.get_data().decode()}

    @app.post("/stream")
    def stream() -> t.Any:
        chunks = []
        while chunk := fw.request.stream.read(3):
            chunks.append(chunk.decode())
        return {"chunks": chunks}

    @app.post("/form-data")
    def form_data() -> t.Any:
        # Form bodies are consumed by parsing; ``data`` is then empty.
        return {"data": fw.request.data.decode(), "form": fw.request.form.to_dict()}

    c = app.test_client()
    body = "héllo wörld"
    assert c.post("/raw", data=body.encode(), content_type="text/plain").json == {
        "text": body,
        "bytes_again": body,
        "data": body,
    }
    assert c.post("/nocache", data=b"abc").json == {"first": "abc", "second": ""}
    assert c.post("/stream", data=b"abcdefgh").json == {"chunks": ["abc", "def", "gh"]}
    assert c.post("/form-data", data={"k": "v"}).json == {"data": "", "form": {"k": "v"}}


def test_stream_respects_content_length(fw: t.Any) -> None:
    app = make_app(fw)

    @app.post("/")
    def index() -> bytes:
        return t.cast(bytes, fw.request.stream.read())

    rv = app.test_client().post(
        "/", input_stream=io.BytesIO(b"0123456789"), environ_overrides={"CONTENT_LENGTH": "4"}
    )
    assert rv.data == b"0123"


# -- URL parts, headers, cookies ---------------------------------------------------


def describe_app(fw: t.Any) -> t.Any:
    app = make_app(fw)

    @app.route("/p/<name>", methods=["GET", "POST", "PUT"])
    def describe(name: str) -> t.Any:
        r = fw.request
        return {
            "method": r.method,
            "path": r.path,
            "full_path": r.full_path,
            "script_root": r.script_root,
            "url": r.url,
            "base_url": r.base_url,
            "url_root": r.url_root,
            "host_url": r.host_url,
            "host": r.host,
            "scheme": r.scheme,
            "is_secure": r.is_secure,
            "remote_addr": r.remote_addr,
            "is_json": r.is_json,
            "mimetype": r.mimetype,
            "mimetype_params": r.mimetype_params,
            "content_type": r.content_type,
            "content_length": r.content_length,
            "endpoint": r.endpoint,
            "view_args": r.view_args,
            "blueprint": r.blueprint,
            "blueprints": r.blueprints,
            "header": r.headers.get("X-Thing"),
            "header_list": r.headers.getlist("X-Multi"),
            "user_agent": r.user_agent.string,
            "cookies": r.cookies.to_dict(),
        }

    return app


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "expected"),
    [
        (
            "GET",
            "/p/x?q=1&r=%20",
            {"headers": {"X-Thing": "t", "User-Agent": "ua/1"}},
            {
                "method": "GET",
                "path": "/p/x",
                "full_path": "/p/x?q=1&r=%20",
                "script_root": "",
                "url": "http://localhost/p/x?q=1&r=%20",
                "base_url": "http://localhost/p/x",
                "url_root": "http://localhost/",
                "host_url": "http://localhost/",
                "host": "localhost",
                "scheme": "http",
                "is_secure": False,
                "remote_addr": "127.0.0.1",
                "is_json": False,
                "mimetype": "",
                "content_type": None,
                "content_length": None,
                "header": "t",
                "user_agent": "ua/1",
            },
        ),
        (
            "POST",
            "/p/y",
            {
                "data": b"{}",
                "content_type": "application/json; charset=utf-8",
                "base_url": "https://example.org:8443/root/",
                "environ_base": {"REMOTE_ADDR": "10.1.2.3"},
            },
            {
                "path": "/p/y",
                "full_path": "/p/y?",
                "script_root": "/root",
                "url": "https://example.org:8443/root/p/y",
                "base_url": "https://example.org:8443/root/p/y",
                "url_root": "https://example.org:8443/root/",
                "host_url": "https://example.org:8443/",
                "host": "example.org:8443",
                "scheme": "https",
                "is_secure": True,
                "remote_addr": "10.1.2.3",
                "is_json": True,
                "mimetype": "application/json",
                "mimetype_params": {"charset": "utf-8"},
                "content_type": "application/json; charset=utf-8",
                "content_length": 2,
            },
        ),
        (
            "PUT",
            "/p/%C3%A9%20x",
            {
                "headers": [("X-Multi", "1"), ("X-Multi", "2"), ("Cookie", "a=1; b=\"q w\"")],
            },
            {
                "method": "PUT",
                "path": "/p/é x",
                "view_args": {"name": "é x"},
                "endpoint": "describe",
                "blueprint": None,
                "blueprints": [],
                "header_list": ["1, 2"],  # WSGI joins repeated headers
                "cookies": {"a": "1", "b": "q w"},
            },
        ),
    ],
)
def test_request_attributes(
    method: str, path: str, kwargs: dict[str, t.Any], expected: dict[str, t.Any]
) -> None:
    status, _, body = both(describe_app, method, path, **kwargs)
    assert status == "200 OK", body
    data = json.loads(body)
    for key, value in expected.items():
        assert data[key] == value, key


def test_request_attributes_in_test_request_context(fw: t.Any) -> None:
    app = make_app(fw, SERVER_NAME="example.com", APPLICATION_ROOT="/app")

    @app.route("/item/<int:id>")
    def item(id: int) -> str:
        return ""

    with app.test_request_context("/item/7?x=1") as ctx:
        r = ctx.request
        assert (r.method, r.path, r.full_path) == ("GET", "/item/7", "/item/7?x=1")
        assert r.url == "http://example.com/app/item/7?x=1"
        assert r.url_root == "http://example.com/app/"
        assert r.endpoint == "item"
        assert r.view_args == {"id": 7}
        assert r.routing_exception is None
    with app.test_request_context("/item/7", method="DELETE") as ctx:
        r = ctx.request
        assert r.routing_exception is not None
        assert r.routing_exception.code == 405
        assert (r.url_rule, r.endpoint, r.view_args) == (None, None, None)


def test_unmatched_request_has_no_endpoint(fw: t.Any) -> None:
    app = make_app(fw)

    @app.errorhandler(404)
    def not_found(e: Exception) -> t.Any:
        r = fw.request
        return {"endpoint": r.endpoint, "view_args": r.view_args, "blueprint": r.blueprint, "blueprints": r.blueprints}, 404

    rv = app.test_client().get("/nope")
    assert rv.status_code == 404
    assert rv.json == {"endpoint": None, "view_args": None, "blueprint": None, "blueprints": []}


def test_blueprint_and_nested_blueprints(fw: t.Any) -> None:
    app = make_app(fw)
    parent = fw.Blueprint("parent", __name__, url_prefix="/parent")
    child = fw.Blueprint("child", __name__, url_prefix="/child")

    def info() -> t.Any:
        r = fw.request
        return {"endpoint": r.endpoint, "blueprint": r.blueprint, "blueprints": r.blueprints, "view_args": r.view_args}

    child.add_url_rule("/<int:n>", "leaf", lambda n: info())
    parent.add_url_rule("/", "top", info)
    parent.register_blueprint(child)
    app.register_blueprint(parent)
    app.register_blueprint(parent, name="again", url_prefix="/again")

    c = app.test_client()
    assert c.get("/parent/").json == {"endpoint": "parent.top", "blueprint": "parent", "blueprints": ["parent"], "view_args": {}}
    assert c.get("/parent/child/3").json == {
        "endpoint": "parent.child.leaf",
        "blueprint": "parent.child",
        "blueprints": ["parent.child", "parent"],
        "view_args": {"n": 3},
    }
    assert c.get("/again/child/4").get_json()["blueprints"] == ["again.child", "again"]


# -- content negotiation and authorization --------------------------------------------


def negotiation_app(fw: t.Any) -> t.Any:
    app = make_app(fw)

    @app.route("/")
    def index() -> t.Any:
        am = fw.request.accept_mimetypes
        auth = fw.request.authorization
        return {
            "best": am.best_match(["application/json", "text/html"]),
            "json_q": am["application/json"],
            "accept_json": am.accept_json,
            "accept_html": am.accept_html,
            "auth": None
            if auth is None
            else {"type": auth.type, "username": auth.username, "password": auth.password, "token": auth.token},
        }

    return app


@pytest.mark.parametrize(
    ("headers", "best", "auth"),
    [
        ({}, None, None),
        ({"Accept": "text/html;q=0.9, application/json;q=0.5"}, "text/html", None),
        ({"Accept": "image/png"}, None, None),
        ({"Accept": "*/*;q=0.1, application/json"}, "application/json", None),
        (
            {"Authorization": "Basic dXNlcjpwYXNzOndvcmQ="},
            None,
            {"type": "basic", "username": "user", "password": "pass:word", "token": None},
        ),
        (
            {"Authorization": "Bearer abc.def-ghi"},
            None,
            {"type": "bearer", "username": None, "password": None, "token": "abc.def-ghi"},
        ),
        ({"Authorization": "Basic !!!notbase64"}, None, None),
        ({"Authorization": ""}, None, None),
    ],
)
def test_accept_and_authorization(
    headers: dict[str, str], best: str | None, auth: dict[str, t.Any] | None
) -> None:
    _, _, body = both(negotiation_app, "GET", "/", headers=headers)
    data = json.loads(body)
    assert data["best"] == best
    assert data["auth"] == auth


def test_client_auth_argument(fw: t.Any) -> None:
    app = negotiation_app(fw)
    c = app.test_client()
    assert c.get("/", auth=("u", "p")).json["auth"]["username"] == "u"
    assert c.get("/", auth=Authorization("bearer", token="tok")).json["auth"]["token"] == "tok"


# -- limits -----------------------------------------------------------------------------


def limits_app(fw: t.Any, **config: t.Any) -> t.Any:
    app = make_app(fw, **config)

    @app.post("/data")
    def data() -> t.Any:
        return {"len": len(fw.request.get_data())}

    @app.post("/form")
    def form() -> t.Any:
        return {"keys": sorted(fw.request.form), "files": sorted(fw.request.files)}

    @app.post("/read")
    def read() -> t.Any:
        size = 0
        while chunk := fw.request.stream.read(4):
            size += len(chunk)
        return {"len": size}

    @app.post("/override/<int:limit>")
    def override(limit: int) -> t.Any:
        fw.request.max_content_length = limit
        fw.request.max_form_memory_size = limit
        fw.request.max_form_parts = limit
        return {"keys": sorted(fw.request.form), "data": len(fw.request.get_data())}

    return app


def _multipart(parts: int, size: int = 1) -> dict[str, t.Any]:
    return {f"f{i}": "x" * size for i in range(parts)}


@pytest.mark.parametrize(
    ("config", "path", "kwargs", "status"),
    [
        ({"MAX_CONTENT_LENGTH": 10}, "/data", {"data": b"x" * 10}, 200),
        ({"MAX_CONTENT_LENGTH": 10}, "/data", {"data": b"x" * 11}, 413),
        ({"MAX_CONTENT_LENGTH": 10}, "/form", {"data": {"a": "x" * 20}}, 413),
        ({"MAX_CONTENT_LENGTH": 0}, "/data", {"data": b"x"}, 413),
        ({"MAX_CONTENT_LENGTH": 0}, "/data", {}, 200),
        ({"MAX_CONTENT_LENGTH": 10}, "/data", {"input_stream": io.BytesIO(b"x" * 50)}, 413),
        # MAX_FORM_MEMORY_SIZE limits multipart fields only, not urlencoded bodies.
        # (Werkzeug checks its parse buffer, so limits below one read chunk, 64 KiB, are fuzzy.)
        ({"MAX_FORM_MEMORY_SIZE": 100_000}, "/form", {"data": {"a": "x" * 90_000}, "content_type": "multipart/form-data"}, 200),
        ({"MAX_FORM_MEMORY_SIZE": 100_000}, "/form", {"data": {"a": "x" * 100_001}}, 200),
        ({"MAX_FORM_MEMORY_SIZE": 100_000}, "/form", {"data": {"a": "x" * 100_001}, "content_type": "multipart/form-data"}, 413),
        ({"MAX_FORM_MEMORY_SIZE": 100_000}, "/form", {"data": {"a": (io.BytesIO(b"x" * 500_000), "big.bin")}}, 200),
        ({"MAX_FORM_MEMORY_SIZE": None}, "/form", {"data": {"a": "x" * 600_000}}, 200),
        ({}, "/form", {"data": {"a": "x" * 500_001}, "content_type": "multipart/form-data"}, 413),
        ({}, "/form", {"data": {"a": "x" * 500_001}}, 200),
        ({"MAX_FORM_PARTS": 3}, "/form", {"data": _multipart(3), "content_type": "multipart/form-data"}, 200),
        ({"MAX_FORM_PARTS": 3}, "/form", {"data": _multipart(4), "content_type": "multipart/form-data"}, 413),
        ({"MAX_FORM_PARTS": 3}, "/form", {"data": _multipart(10)}, 200),  # urlencoded has no parts
        ({}, "/form", {"data": _multipart(1001), "content_type": "multipart/form-data"}, 413),
        ({}, "/override/5", {"data": b"x" * 6, "content_type": "text/plain"}, 413),
        ({}, "/override/5", {"data": b"x" * 5, "content_type": "text/plain"}, 200),
        ({}, "/override/5", {"data": {"a": "x" * 5}, "content_type": "multipart/form-data"}, 413),
        ({"MAX_CONTENT_LENGTH": 2}, "/override/500", {"data": {"a": "x" * 5}}, 200),
        ({"MAX_FORM_PARTS": 1}, "/override/500", {"data": _multipart(3), "content_type": "multipart/form-data"}, 200),
    ],
)
def test_limits(config: dict[str, t.Any], path: str, kwargs: dict[str, t.Any], status: int) -> None:
    code, _, body = both(lambda fw: limits_app(fw, **config), "POST", path, **kwargs)
    assert int(code.split()[0]) == status, body


def test_max_content_length_streamed_body(fw: t.Any) -> None:
    """Without a Content-Length, the limit applies to the bytes actually read."""
    app = limits_app(fw, MAX_CONTENT_LENGTH=10)
    results = []
    for path, size in [("/read", 9), ("/read", 11), ("/read", 1000), ("/data", 10), ("/data", 1000)]:
        environ = EnvironBuilder(path, method="POST", input_stream=io.BytesIO(b"x" * size)).get_environ()
        del environ["CONTENT_LENGTH"]
        environ["wsgi.input_terminated"] = True  # what servers set for chunked bodies
        body, status, _ = run_wsgi_app(app, environ, buffered=True)
        results.append((status, b"".join(body)[:10]))
    assert results == [
        ("200 OK", b'{"len":9}\n'),
        ("413 REQUEST ENTITY TOO LARGE", b"<!doctype "),
        ("413 REQUEST ENTITY TOO LARGE", b"<!doctype "),
        ("200 OK", b'{"len":10}'),
        # Werkzeug: one unbounded read() stops quietly at the limit.
        ("200 OK", b'{"len":10}'),
    ]


def test_limit_properties_read_config(fw: t.Any) -> None:
    app = make_app(fw, MAX_CONTENT_LENGTH=7, MAX_FORM_MEMORY_SIZE=8, MAX_FORM_PARTS=9)
    with app.test_request_context() as ctx:
        r = ctx.request
        assert (r.max_content_length, r.max_form_memory_size, r.max_form_parts) == (7, 8, 9)
        r.max_content_length = 1
        r.max_form_memory_size = 2
        r.max_form_parts = 3
        assert (r.max_content_length, r.max_form_memory_size, r.max_form_parts) == (1, 2, 3)
    defaults = make_app(fw)
    with defaults.test_request_context() as ctx:
        r = ctx.request
        assert (r.max_content_length, r.max_form_memory_size, r.max_form_parts) == (None, 500_000, 1000)
    # Outside an app context, Werkzeug's class defaults apply.
    req = fw.Request.from_values("/")
    assert (req.max_content_length, req.max_form_memory_size, req.max_form_parts) == (None, 500_000, 1000)
