"""View return values, make_response, jsonify, redirect, abort, cookies, streaming.

Each behaviour is checked on erlen and on real Flask (the ``fw`` fixture or
the ``both`` helper), so Flask's output is the oracle.
"""

from __future__ import annotations

import typing as t
from datetime import datetime
from datetime import timedelta
from datetime import timezone

import flask
import pytest
from werkzeug.datastructures import Headers
from werkzeug.exceptions import HTTPException
from werkzeug.exceptions import NotFound
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Response as WzResponse

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


def snapshot(rv: t.Any) -> tuple[str, list[tuple[str, str]], bytes]:
    return rv.status, list(rv.headers.items()), rv.get_data()


def both(view: t.Callable[[t.Any], t.Any], path: str = "/", **kwargs: t.Any) -> tuple[str, list[tuple[str, str]], bytes]:
    """Serve ``view(fw)`` at ``/`` on both frameworks; assert identical responses; return erlen's."""
    out = {}
    for name, mod in FRAMEWORKS.items():
        app = make_app(mod)
        app.add_url_rule("/", "index", lambda mod=mod: view(mod), methods=["GET", "POST"])
        out[name] = snapshot(app.test_client().open(path, **kwargs))
    assert out["erlen"] == out["flask"]
    return out["erlen"]


# -- view return values ---------------------------------------------------------------


def _wsgi_app(environ: t.Any, start_response: t.Any) -> list[bytes]:
    start_response("202 Accepted", [("Content-Type", "text/x-wsgi"), ("X-W", "1")])
    return [b"from ", b"wsgi"]


def _gen() -> t.Iterator[str]:
    yield "a"
    yield "b"


RETURN_VALUES: list[tuple[str, t.Callable[[t.Any], t.Any], str, dict[str, str], bytes]] = [
    ("str", lambda fw: "héllo", "200 OK", {"Content-Type": "text/html; charset=utf-8"}, "héllo".encode()),
    ("bytes", lambda fw: b"\x00\xff", "200 OK", {"Content-Type": "text/html; charset=utf-8"}, b"\x00\xff"),
    ("bytearray", lambda fw: bytearray(b"ab"), "200 OK", {}, b"ab"),
    ("dict", lambda fw: {"b": 1, "a": [None, True]}, "200 OK", {"Content-Type": "application/json"}, b'{"a":[null,true],"b":1}\n'),
    ("list", lambda fw: [1, "x"], "200 OK", {"Content-Type": "application/json"}, b'[1,"x"]\n'),
    ("empty list", lambda fw: [], "200 OK", {"Content-Type": "application/json"}, b"[]\n"),
    ("body+status", lambda fw: ("made", 201), "201 CREATED", {}, b"made"),
    ("body+status str", lambda fw: ("made", "201 CREATED"), "201 CREATED", {}, b"made"),
    ("body+custom status str", lambda fw: ("x", "299 WHATEVER"), "299 WHATEVER", {}, b"x"),
    ("body+status digits", lambda fw: ("x", "404"), "404 NOT FOUND", {}, b"x"),
    ("body+unknown code", lambda fw: ("x", 599), "599 UNKNOWN", {}, b"x"),
    ("body+headers dict", lambda fw: ("x", {"X-A": "1", "Content-Type": "text/plain"}), "200 OK", {"X-A": "1", "Content-Type": "text/plain"}, b"x"),
    ("body+headers list", lambda fw: ("x", [("X-A", "1"), ("X-B", "2")]), "200 OK", {"X-A": "1", "X-B": "2"}, b"x"),
    ("body+Headers", lambda fw: ("x", Headers({"X-B": "2"})), "200 OK", {"X-B": "2"}, b"x"),
    ("body+status+headers", lambda fw: ("x", 418, {"X-C": "3"}), "418 I'M A TEAPOT", {"X-C": "3"}, b"x"),
    ("dict+status+headers", lambda fw: ({"a": 1}, 400, [("X-D", "4")]), "400 BAD REQUEST", {"X-D": "4", "Content-Type": "application/json"}, b'{"a":1}\n'),
    ("list+status", lambda fw: (["a"], 202), "202 ACCEPTED", {}, b'["a"]\n'),
    ("response", lambda fw: fw.Response("r", status=203, mimetype="text/csv"), "203 NON AUTHORITATIVE INFORMATION", {"Content-Type": "text/csv; charset=utf-8"}, b"r"),
    ("response+status", lambda fw: (fw.Response("r"), 500), "500 INTERNAL SERVER ERROR", {}, b"r"),
    ("response+headers", lambda fw: (fw.Response("r", headers={"X-A": "1"}), {"X-A": "2"}), "200 OK", {"X-A": "2"}, b"r"),
    ("werkzeug response", lambda fw: WzResponse("w", mimetype="text/plain"), "200 OK", {"Content-Type": "text/plain; charset=utf-8"}, b"w"),
    ("generator", lambda fw: _gen(), "200 OK", {"Content-Type": "text/html; charset=utf-8"}, b"ab"),
    ("generator+status+headers", lambda fw: (_gen(), 206, {"X-G": "g"}), "206 PARTIAL CONTENT", {"X-G": "g"}, b"ab"),
    ("iterator", lambda fw: iter([b"x", b"y"]), "200 OK", {}, b"xy"),
    ("wsgi app", lambda fw: _wsgi_app, "202 Accepted", {"Content-Type": "text/x-wsgi", "X-W": "1"}, b"from wsgi"),
    ("abort response", lambda fw: fw.abort(fw.Response("stop", 409)), "409 CONFLICT", {}, b"stop"),
    ("status None", lambda fw: ("x", None), "200 OK", {}, b"x"),
    ("status None+headers", lambda fw: ("x", None, {"X-N": "1"}), "200 OK", {"X-N": "1"}, b"x"),
    ("headers None", lambda fw: (b"x", 201, None), "201 CREATED", {}, b"x"),
    ("dict+headers", lambda fw: ({"a": 1}, {"X-D": "1"}), "200 OK", {"X-D": "1", "Content-Type": "application/json"}, b'{"a":1}\n'),
    ("tuple of pairs", lambda fw: ("x", (("X-T", "1"),)), "200 OK", {"X-T": "1"}, b"x"),
    ("header list value", lambda fw: ("x", {"X-L": ["1", "2"]}), "200 OK", {"X-L": "2"}, b"x"),
    ("str subclass", lambda fw: type("S", (str,), {})("sub"), "200 OK", {}, b"sub"),
    ("dict subclass", lambda fw: type("D", (dict,), {})(a=1), "200 OK", {"Content-Type": "application/json"}, b'{"a":1}\n'),
    ("odd status codes", lambda fw: ("x", 999), "999 UNKNOWN", {}, b"x"),
]


@pytest.mark.parametrize(
    ("view", "status", "headers", "body"),
    [case[1:] for case in RETURN_VALUES],
    ids=[case[0] for case in RETURN_VALUES],
)
def test_return_values(
    view: t.Callable[[t.Any], t.Any], status: str, headers: dict[str, str], body: bytes
) -> None:
    got_status, got_headers, got_body = both(view)
    assert got_status == status
    assert got_body == body
    got = dict(got_headers)
    for key, value in headers.items():
        assert got[key] == value


def test_header_list_values_are_appended(fw: t.Any) -> None:
    app = make_app(fw)

    @app.route("/")
    def index() -> t.Any:
        return "x", [("X-A", "1"), ("X-A", "2")]

    assert app.test_client().get("/").headers.getlist("X-A") == ["1", "2"]


def test_head_and_streamed_content_length() -> None:
    status, headers, body = both(lambda fw: "abc", method="HEAD")
    assert (status, body, dict(headers)["Content-Length"]) == ("200 OK", b"", "3")
    # A streamed body has no Content-Length.
    _, headers, _ = both(lambda fw: _gen())
    assert "Content-Length" not in dict(headers)


INVALID: list[tuple[str, t.Callable[[], t.Any], str]] = [
    ("none", lambda: None, "did not return a valid response. The function either returned None"),
    ("int", lambda: 5, "but it was a int."),
    ("set", lambda: {1}, "but it was a set."),
    ("object", lambda: object(), "but it was a object."),
    ("tuple1", lambda: ("a",), "did not return a valid response tuple."),
    ("tuple4", lambda: ("a", 200, {}, 1), "did not return a valid response tuple."),
    ("bad callable", lambda: lambda: 1, "but it was a function."),
    ("none body", lambda: (None, 200), "did not return a valid response."),
]


@pytest.mark.parametrize(("value", "message"), [c[1:] for c in INVALID], ids=[c[0] for c in INVALID])
def test_invalid_return_types(value: t.Callable[[], t.Any], message: str) -> None:
    errors = {}
    for name, mod in FRAMEWORKS.items():
        app = make_app(mod, TESTING=True)
        app.add_url_rule("/", "index", value)
        with pytest.raises(TypeError) as info:
            app.test_client().get("/")
        errors[name] = str(info.value)
    assert message in errors["erlen"]
    assert errors["erlen"] == errors["flask"]


def test_invalid_return_type_is_500_when_not_testing(fw: t.Any, caplog: pytest.LogCaptureFixture) -> None:
    app = make_app(fw)
    app.add_url_rule("/", "index", lambda: None)  # type: ignore[arg-type]
    rv = app.test_client().get("/")
    assert rv.status_code == 500
    assert b"TypeError" not in rv.data
    assert "did not return a valid response" in caplog.text


def test_odd_status_strings(fw: t.Any) -> None:
    app = make_app(fw, TESTING=True)
    app.add_url_rule("/", "index", lambda: ("x", "not a status"))  # type: ignore[arg-type]
    app.add_url_rule("/empty", "empty", lambda: ("x", ""))  # type: ignore[arg-type]
    # Werkzeug keeps a status without a code as code 0.
    assert app.test_client().get("/").status == "0 not a status"
    with pytest.raises(ValueError, match="Empty status"):
        app.test_client().get("/empty")


# -- make_response and jsonify ----------------------------------------------------------


MAKE_RESPONSE: list[tuple[str, t.Callable[[t.Any], t.Any]]] = [
    ("empty", lambda fw: fw.make_response()),
    ("str", lambda fw: fw.make_response("x")),
    ("str+status", lambda fw: fw.make_response("x", 404)),
    ("str+headers", lambda fw: fw.make_response("x", {"X-A": "1"})),
    ("str+status+headers", lambda fw: fw.make_response("x", 201, [("X-A", "1")])),
    ("tuple", lambda fw: fw.make_response(("x", 202, {"X-A": "1"}))),
    ("dict", lambda fw: fw.make_response({"a": 1})),
    ("dict+status", lambda fw: fw.make_response({"a": 1}, 400)),
    ("list", lambda fw: fw.make_response([1, 2])),
    ("response", lambda fw: fw.make_response(fw.Response("r", 418))),
    ("generator", lambda fw: fw.make_response(_gen())),
    ("jsonify none", lambda fw: fw.jsonify()),
    ("jsonify one", lambda fw: fw.jsonify("s")),
    ("jsonify many", lambda fw: fw.jsonify(1, "two", None)),
    ("jsonify kwargs", lambda fw: fw.jsonify(b=1, a=2)),
    ("jsonify dict", lambda fw: fw.jsonify({"z": [1.5, True], "a": {"n": None}})),
    ("jsonify datetime", lambda fw: fw.jsonify(when=datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone.utc))),
    ("jsonify status", lambda fw: (fw.jsonify(error="x"), 422)),
    ("jsonify headers", lambda fw: (fw.jsonify([]), {"X-J": "1"})),
]


@pytest.mark.parametrize("view", [c[1] for c in MAKE_RESPONSE], ids=[c[0] for c in MAKE_RESPONSE])
def test_make_response_and_jsonify(view: t.Callable[[t.Any], t.Any]) -> None:
    both(view)


def test_make_response_returns_response_class(fw: t.Any) -> None:
    app = make_app(fw)
    with app.test_request_context():
        rv = fw.make_response("x", 201)
        assert isinstance(rv, app.response_class)
        rv.headers["X-Added"] = "yes"
        assert rv.status_code == 201
        js = fw.jsonify(a=1)
        assert isinstance(js, app.response_class)
        assert js.mimetype == "application/json"
        assert js.get_json() == {"a": 1}


def test_jsonify_args_and_kwargs_is_type_error(fw: t.Any) -> None:
    app = make_app(fw)
    with app.app_context(), pytest.raises(TypeError):
        fw.jsonify(1, a=2)


def test_jsonify_pretty_in_debug() -> None:
    outputs = []
    for mod in FRAMEWORKS.values():
        app = make_app(mod)
        app.debug = True
        with app.app_context():
            outputs.append(mod.jsonify(b=1, a=[1]).get_data())
    assert outputs[0] == outputs[1]
    assert outputs[0] == b'{\n  "a": [\n    1\n  ],\n  "b": 1\n}\n'


# -- redirect and abort -------------------------------------------------------------------


@pytest.mark.parametrize("code", [None, 301, 302, 303, 307, 308])
@pytest.mark.parametrize("location", ["/target", "relative", "https://example.org/a b?x=é", "//evil.example/"])
def test_redirect(code: int | None, location: str) -> None:
    kwargs = {} if code is None else {"code": code}
    status, headers, body = both(lambda fw: fw.redirect(location, **kwargs))
    assert int(status.split()[0]) == (code or 302)
    assert "Location" in dict(headers)
    assert b"Redirecting" in body


def test_redirect_outside_app_context(fw: t.Any) -> None:
    rv = fw.redirect("/x", 307)
    assert rv.status_code == 307
    assert rv.headers["Location"] == "/x"


def test_redirect_uses_app_redirect(fw: t.Any) -> None:
    app = make_app(fw)
    calls = []

    def custom(location: str, code: int = 302) -> t.Any:
        calls.append((location, code))
        return fw.Response("custom", 299)

    app.redirect = custom  # type: ignore[method-assign]
    app.add_url_rule("/", "index", lambda: fw.redirect("/elsewhere", 301))
    rv = app.test_client().get("/")
    assert (rv.status_code, rv.data, calls) == (299, b"custom", [("/elsewhere", 301)])


@pytest.mark.parametrize("code", [400, 401, 403, 404, 405, 409, 410, 413, 418, 422, 429, 500, 501, 503])
def test_abort_codes(code: int) -> None:
    status, headers, body = both(lambda fw: fw.abort(code))
    assert int(status.split()[0]) == code


def test_abort_description_and_headers() -> None:
    status, _, body = both(lambda fw: fw.abort(404, description="No such <thing>"))
    assert status == "404 NOT FOUND"
    assert b"No such &lt;thing&gt;" in body
    status, headers, _ = both(lambda fw: fw.abort(405, valid_methods=["GET", "PUT"]))
    assert dict(headers)["Allow"] == "GET, PUT"
    status, headers, _ = both(lambda fw: fw.abort(401, www_authenticate="Basic realm=x"))
    assert status == "401 UNAUTHORIZED"


def test_abort_unknown_code(fw: t.Any) -> None:
    app = make_app(fw)
    with app.app_context(), pytest.raises(LookupError):
        fw.abort(299)
    with pytest.raises(LookupError):
        fw.abort(999)
    with pytest.raises(NotFound):
        fw.abort(404)


def test_abort_uses_app_aborter(fw: t.Any) -> None:
    app = make_app(fw)

    class Gone(HTTPException):
        code = 499
        description = "client went away"

    app.aborter.mapping[499] = Gone
    app.add_url_rule("/", "index", lambda: fw.abort(499))
    rv = app.test_client().get("/")
    assert rv.status_code == 499
    assert b"client went away" in rv.data


# -- cookies -------------------------------------------------------------------------


COOKIES: list[tuple[str, dict[str, t.Any]]] = [
    ("plain", {}),
    ("max_age int", {"max_age": 60}),
    ("max_age timedelta", {"max_age": timedelta(hours=1)}),
    ("expires datetime", {"expires": datetime(2030, 1, 1, tzinfo=timezone.utc)}),
    ("expires int", {"expires": 1_900_000_000}),
    ("path domain", {"path": "/sub", "domain": "example.org"}),
    ("secure httponly", {"secure": True, "httponly": True}),
    ("samesite lax", {"samesite": "Lax"}),
    ("samesite strict", {"samesite": "Strict"}),
    ("samesite none", {"samesite": "None", "secure": True}),
    ("partitioned", {"partitioned": True}),
    ("everything", {"max_age": 5, "path": "/p", "domain": ".example.org", "secure": True, "httponly": True, "samesite": "Strict", "partitioned": True}),
]


@pytest.mark.parametrize("kwargs", [c[1] for c in COOKIES], ids=[c[0] for c in COOKIES])
@pytest.mark.parametrize("value", ["v", "with space;and,comma\"quote", "ünï"])
def test_set_cookie(kwargs: dict[str, t.Any], value: str) -> None:
    def view(fw: t.Any) -> t.Any:
        rv = fw.make_response("x")
        rv.set_cookie("name", value, **kwargs)
        return rv

    _, headers, _ = both(view)
    cookie = dict(headers)["Set-Cookie"]
    assert cookie.startswith("name=")
    if kwargs.get("httponly"):
        assert "HttpOnly" in cookie
    if kwargs.get("partitioned"):
        assert "Partitioned" in cookie


@pytest.mark.parametrize("kwargs", [{}, {"path": "/p", "domain": "example.org"}, {"secure": True, "httponly": True, "samesite": "Lax", "partitioned": True}])
def test_delete_cookie(kwargs: dict[str, t.Any]) -> None:
    def view(fw: t.Any) -> t.Any:
        rv = fw.make_response("x")
        rv.delete_cookie("gone", **kwargs)
        return rv

    _, headers, _ = both(view)
    cookie = dict(headers)["Set-Cookie"]
    assert cookie.startswith("gone=;")
    assert "Max-Age=0" in cookie


def test_cookie_round_trip_and_delete(fw: t.Any) -> None:
    app = make_app(fw)

    @app.route("/set")
    def set_() -> t.Any:
        rv = fw.make_response("set")
        rv.set_cookie("a", "1 2")
        rv.set_cookie("b", "x", path="/other")
        return rv

    @app.route("/get")
    def get() -> t.Any:
        return dict(fw.request.cookies)

    @app.route("/del")
    def delete() -> t.Any:
        rv = fw.make_response("deleted")
        rv.delete_cookie("a")
        return rv

    c = app.test_client()
    c.get("/set")
    assert c.get("/get").json == {"a": "1 2"}
    assert c.get_cookie("b", path="/other") is not None
    c.get("/del")
    assert c.get("/get").json == {}


def test_large_cookie_warns(fw: t.Any) -> None:
    app = make_app(fw, MAX_COOKIE_SIZE=100)

    @app.route("/")
    def index() -> t.Any:
        rv = fw.make_response("x")
        rv.set_cookie("big", "x" * 200)
        return rv

    with pytest.warns(UserWarning, match="cookie is too large"):
        rv = app.test_client().get("/")
    assert "big=" in rv.headers["Set-Cookie"]


# -- streaming --------------------------------------------------------------------------


def streaming_app(fw: t.Any, events: list[str], wrap: bool, fail: bool = False) -> erlen.Erlen:
    app = make_app(fw)

    @app.teardown_request
    def teardown_request(exc: BaseException | None) -> None:
        events.append(f"teardown_request {type(exc).__name__ if exc else None}")

    @app.teardown_appcontext
    def teardown_app(exc: BaseException | None) -> None:
        events.append(f"teardown_appcontext {type(exc).__name__ if exc else None}")

    @app.after_request
    def after(rv: t.Any) -> t.Any:
        events.append("after_request")
        return rv

    @app.route("/")
    def index() -> t.Any:
        fw.g.value = "g-value"

        def generate() -> t.Iterator[str]:
            events.append("stream start")
            yield "hello "
            if wrap:
                yield fw.request.args["name"]
                yield " " + fw.g.value
            else:
                yield "anon"
            if fail:
                raise ValueError("boom")
            events.append("stream end")

        if wrap:
            return fw.Response(fw.stream_with_context(generate()))
        return fw.Response(generate())

    @app.route("/decorated")
    def decorated() -> t.Any:
        def generate() -> t.Iterator[str]:
            yield fw.request.path
            yield fw.request.args.get("name", "")

        return fw.stream_with_context(generate)()

    return app


@pytest.mark.parametrize("wrap", [False, True])
def test_stream_with_context_events(wrap: bool) -> None:
    results = {}
    for name, mod in FRAMEWORKS.items():
        events: list[str] = []
        app = streaming_app(mod, events, wrap)
        rv = app.test_client().get("/?name=world")
        events.append("response returned")
        body = rv.get_data(as_text=True)
        events.append("body read")
        rv.close()
        events.append("closed")
        results[name] = (body, events)
    assert results["erlen"] == results["flask"]
    body, events = results["erlen"]
    if wrap:
        assert body == "hello world g-value"
        # Flask 3.1.2+: the contexts are pushed again only while the stream is
        # iterated, so teardown runs when the request ends and again after the stream.
        assert events == [
            "after_request",
            "teardown_request None",
            "teardown_appcontext None",
            "stream start",
            "response returned",
            "stream end",
            "teardown_request None",
            "teardown_appcontext None",
            "body read",
            "closed",
        ]
    else:
        assert body == "hello anon"


def test_stream_with_context_decorator() -> None:
    results = []
    for mod in FRAMEWORKS.values():
        app = streaming_app(mod, [], True)
        results.append(app.test_client().get("/decorated?name=n").get_data(as_text=True))
    assert results == ["/decoratedn", "/decoratedn"]


def test_stream_with_context_over_real_iteration() -> None:
    """Iterate the WSGI response by hand, as a server would, and compare event order."""
    results = {}
    for name, mod in FRAMEWORKS.items():
        events: list[str] = []
        app = streaming_app(mod, events, True)
        environ = EnvironBuilder("/", query_string="name=x").get_environ()
        statuses: list[str] = []

        def start_response(status: str, headers: t.Any, exc_info: t.Any = None, statuses: list[str] = statuses) -> t.Any:
            statuses.append(status)

        iterable = app.wsgi_app(environ, start_response)
        events.append("wsgi_app returned")
        chunks = []
        for chunk in iterable:
            events.append(f"chunk {chunk!r}")
            chunks.append(chunk)
        close = getattr(iterable, "close", None)
        if close is not None:
            close()
        events.append("closed")
        results[name] = (statuses, chunks, events)
    assert results["erlen"] == results["flask"]


def test_stream_with_context_error_in_generator() -> None:
    results = {}
    for name, mod in FRAMEWORKS.items():
        events: list[str] = []
        app = streaming_app(mod, events, True, fail=True)
        rv = app.test_client().get("/?name=x", buffered=False)
        with pytest.raises(ValueError, match="boom"):
            rv.get_data()
        rv.close()
        results[name] = events
    assert results["erlen"] == results["flask"]


def test_stream_with_context_requires_request_context(fw: t.Any) -> None:
    def gen() -> t.Iterator[str]:
        yield "x"

    with pytest.raises(RuntimeError):
        fw.stream_with_context(gen())


def test_stream_with_context_in_async_view() -> None:
    """Regression (Flask #5774): the stream's contexts must not be pushed inside the view's event loop.

    erlen only: real Flask needs the ``asgiref`` extra for async views.
    """
    events: list[str] = []
    app = make_app(erlen, TESTING=True)

    @app.teardown_request
    def teardown(exc: BaseException | None) -> None:
        events.append("teardown")

    @app.route("/")
    async def index() -> t.Any:
        def generate() -> t.Iterator[str]:
            yield "path="
            yield erlen.request.path

        return erlen.Response(erlen.stream_with_context(generate()))

    rv = app.test_client().get("/")
    assert rv.get_data(as_text=True) == "path=/"
    assert events == ["teardown", "teardown"]
