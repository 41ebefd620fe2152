"""Error handlers, exception propagation and trapping, the 500 path, signals and logging.

Apps are built on erlen and on real Flask from the same factory; the
``both`` helper asserts identical status, headers and body.
"""

from __future__ import annotations

import logging
import typing as t

import flask
import pytest
from werkzeug.exceptions import BadRequest
from werkzeug.exceptions import Forbidden
from werkzeug.exceptions import HTTPException
from werkzeug.exceptions import InternalServerError
from werkzeug.exceptions import NotFound

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


Snapshot = tuple[str, list[tuple[str, str]], bytes]


def both(factory: t.Callable[[t.Any], t.Any], path: str, method: str = "GET", **kwargs: t.Any) -> Snapshot:
    """Request ``path`` from ``factory(fw)`` on both frameworks; assert identical responses."""
    out = {}
    for name, mod in FRAMEWORKS.items():
        rv = factory(mod).test_client().open(path, method=method, **kwargs)
        out[name] = (rv.status, list(rv.headers.items()), rv.get_data())
    assert out["erlen"] == out["flask"], path
    return out["erlen"]


class Base(Exception):
    pass


class Child(Base):
    pass


class GrandChild(Child):
    pass


class Teapot(HTTPException):
    code = 418
    description = "short and stout"


class MyNotFound(NotFound):
    description = "my own not found"


def raising(exc: BaseException | type[BaseException]) -> t.Callable[[], t.Any]:
    def view() -> t.Any:
        raise exc

    return view


# -- handler lookup ----------------------------------------------------------------


def lookup_app(fw: t.Any) -> erlen.Erlen:
    app = make_app(fw)

    @app.errorhandler(404)
    def not_found(e: HTTPException) -> t.Any:
        return f"404 handler: {type(e).__name__} {e.description}", 404

    @app.errorhandler(MyNotFound)
    def my_not_found(e: HTTPException) -> t.Any:
        return "my-not-found handler", 404, {"X-Handler": "mine"}

    @app.errorhandler(Base)
    def base(e: Exception) -> t.Any:
        return f"base handler: {type(e).__name__}", 500

    @app.errorhandler(Child)
    def child(e: Exception) -> t.Any:
        return {"handler": "child", "type": type(e).__name__}, 409

    def forbidden(e: HTTPException) -> t.Any:
        return fw.Response("forbidden handler", 403, headers={"X-F": "1"})

    app.register_error_handler(403, forbidden)
    app.register_error_handler(Teapot, lambda e: ("teapot handler", e.code))

    app.add_url_rule("/abort/<int:code>", "abort", lambda code: fw.abort(code))
    app.add_url_rule("/mynotfound", "mynotfound", raising(MyNotFound()))
    app.add_url_rule("/base", "base", raising(Base("b")))
    app.add_url_rule("/child", "child", raising(Child))
    app.add_url_rule("/grandchild", "grandchild", raising(GrandChild()))
    app.add_url_rule("/teapot", "teapot", raising(Teapot()))
    app.add_url_rule("/forbidden", "forbidden", raising(Forbidden))
    app.add_url_rule("/gone", "gone", lambda: fw.abort(410))
    app.add_url_rule("/post", "post", lambda: "ok", methods=["POST"])
    return app


@pytest.mark.parametrize(
    ("path", "status", "body"),
    [
        ("/missing", "404 NOT FOUND", b"404 handler: NotFound"),
        ("/abort/404", "404 NOT FOUND", b"404 handler: NotFound"),
        ("/mynotfound", "404 NOT FOUND", b"my-not-found handler"),
        ("/base", "500 INTERNAL SERVER ERROR", b"base handler: Base"),
        ("/child", "409 CONFLICT", b'{"handler":"child","type":"Child"}\n'),
        ("/grandchild", "409 CONFLICT", b'{"handler":"child","type":"GrandChild"}\n'),
        ("/teapot", "418 I'M A TEAPOT", b"teapot handler"),
        ("/forbidden", "403 FORBIDDEN", b"forbidden handler"),
        ("/abort/403", "403 FORBIDDEN", b"forbidden handler"),
        ("/gone", "410 GONE", b"Gone"),  # no handler: the default page
        ("/post", "405 METHOD NOT ALLOWED", b"Method Not Allowed"),
    ],
)
def test_handler_lookup(path: str, status: str, body: bytes) -> None:
    got_status, _, got_body = both(lookup_app, path)
    assert got_status == status
    assert body in got_body


def test_most_specific_handler_wins_regardless_of_order(fw: t.Any) -> None:
    app = make_app(fw)
    app.register_error_handler(Child, lambda e: ("child", 500))
    app.register_error_handler(Exception, lambda e: ("exception", 500))
    app.register_error_handler(GrandChild, lambda e: ("grandchild", 500))
    app.register_error_handler(Base, lambda e: ("base", 500))
    app.add_url_rule("/g", "g", raising(GrandChild))
    app.add_url_rule("/c", "c", raising(Child))
    app.add_url_rule("/b", "b", raising(Base))
    app.add_url_rule("/k", "k", raising(KeyError))
    c = app.test_client()
    assert [c.get(p).data for p in ("/g", "/c", "/b", "/k")] == [b"grandchild", b"child", b"base", b"exception"]


def test_exception_handler_also_catches_http_exceptions() -> None:
    def factory(fw: t.Any) -> erlen.Erlen:
        app = make_app(fw)
        app.register_error_handler(Exception, lambda e: (f"caught {type(e).__name__}", 599))
        app.add_url_rule("/abort", "abort", lambda: fw.abort(400))
        return app

    assert both(factory, "/abort")[2] == b"caught BadRequest"
    assert both(factory, "/missing")[2] == b"caught NotFound"


def test_http_exception_handler_catches_all_http_errors() -> None:
    def factory(fw: t.Any) -> erlen.Erlen:
        app = make_app(fw)

        @app.errorhandler(HTTPException)
        def any_http(e: HTTPException) -> t.Any:
            return {"code": e.code, "name": e.name}, t.cast(int, e.code)

        app.add_url_rule("/abort/<int:code>", "abort", lambda code: fw.abort(code))
        app.add_url_rule("/post", "post", lambda: "ok", methods=["POST"])
        app.add_url_rule("/redirect/", "redirect", lambda: "ok")
        app.add_url_rule("/boom", "boom", raising(ValueError))
        return app

    assert both(factory, "/missing")[2] == b'{"code":404,"name":"Not Found"}\n'
    assert both(factory, "/post")[0] == "405 METHOD NOT ALLOWED"
    assert both(factory, "/abort/401")[2] == b'{"code":401,"name":"Unauthorized"}\n'
    assert both(factory, "/abort/503")[0] == "503 SERVICE UNAVAILABLE"
    # Routing redirects are not errors: they bypass the handler.
    status, headers, _ = both(factory, "/redirect")
    assert status == "308 PERMANENT REDIRECT"
    assert dict(headers)["Location"] == "http://localhost/redirect/"
    # Non-HTTP exceptions are not HTTPExceptions.
    assert both(factory, "/boom")[0] == "500 INTERNAL SERVER ERROR"


def test_handler_return_forms() -> None:
    def factory(fw: t.Any) -> erlen.Erlen:
        app = make_app(fw)
        app.register_error_handler(400, lambda e: "plain")
        app.register_error_handler(401, lambda e: ("with status", 401))
        app.register_error_handler(406, lambda e: ("with headers", {"X-H": "1"}))
        app.register_error_handler(403, lambda e: ({"json": True}, 403, [("X-J", "j")]))
        app.register_error_handler(409, lambda e: e)  # the exception renders itself
        app.register_error_handler(410, lambda e: e.get_response())
        app.add_url_rule("/<int:code>", "abort", lambda code: fw.abort(code))
        return app

    assert both(factory, "/400")[:1] == ("200 OK",)  # status comes from the handler's value
    assert both(factory, "/401")[0] == "401 UNAUTHORIZED"
    assert dict(both(factory, "/406")[1])["X-H"] == "1"
    assert both(factory, "/403")[2] == b'{"json":true}\n'
    assert both(factory, "/409")[0] == "409 CONFLICT"
    assert both(factory, "/410")[0] == "410 GONE"


def test_async_error_handler(fw: t.Any) -> None:
    if fw is flask:
        pytest.importorskip("asgiref")
    app = make_app(fw)

    @app.errorhandler(ValueError)
    async def handle(e: ValueError) -> t.Any:
        return f"async {e}", 400

    app.add_url_rule("/", "index", raising(ValueError("v")))
    rv = app.test_client().get("/")
    assert (rv.status_code, rv.data) == (400, b"async v")


@pytest.mark.parametrize(
    ("arg", "error"),
    [(299, ValueError), (999, ValueError), (ValueError("x"), TypeError), (int, ValueError), (object, ValueError)],
)
def test_invalid_registration(fw: t.Any, arg: t.Any, error: type[Exception]) -> None:
    app = make_app(fw)
    with pytest.raises(error):
        app.register_error_handler(arg, lambda e: "x")
    with pytest.raises(error):
        app.errorhandler(arg)(lambda e: "x")


# -- blueprint scopes -------------------------------------------------------------------


def blueprint_app(fw: t.Any) -> erlen.Erlen:
    app = make_app(fw)
    parent: erlen.Blueprint = fw.Blueprint("parent", __name__, url_prefix="/parent")
    child: erlen.Blueprint = fw.Blueprint("child", __name__, url_prefix="/child")
    other: erlen.Blueprint = fw.Blueprint("other", __name__, url_prefix="/other")

    @parent.errorhandler(ValueError)
    def parent_value(e: Exception) -> t.Any:
        return "parent ValueError", 400

    @parent.errorhandler(404)
    def parent_404(e: Exception) -> t.Any:
        return "parent 404", 404

    @child.errorhandler(KeyError)
    def child_key(e: Exception) -> t.Any:
        return "child KeyError", 400

    @parent.app_errorhandler(Teapot)
    def app_wide_teapot(e: Exception) -> t.Any:
        return "app-wide teapot from parent", 418

    @app.errorhandler(KeyError)
    def app_key(e: Exception) -> t.Any:
        return "app KeyError", 400

    @app.errorhandler(LookupError)
    def app_lookup(e: Exception) -> t.Any:
        return "app LookupError", 400

    @other.errorhandler(LookupError)
    def other_lookup(e: Exception) -> t.Any:
        return "other LookupError", 400

    for bp in (parent, child, other):
        bp.add_url_rule("/value", "value", raising(ValueError))
        bp.add_url_rule("/key", "key", raising(KeyError))
        bp.add_url_rule("/index", "index", raising(IndexError))
        bp.add_url_rule("/teapot", "teapot", raising(Teapot))
        bp.add_url_rule("/abort404", "abort404", lambda: fw.abort(404))
    parent.register_blueprint(child)
    app.register_blueprint(parent)
    app.register_blueprint(other)
    app.add_url_rule("/value", "value", raising(ValueError))
    app.add_url_rule("/key", "key", raising(KeyError))
    return app


@pytest.mark.parametrize(
    ("path", "status", "body"),
    [
        ("/value", 500, b"Internal Server Error"),
        ("/key", 400, b"app KeyError"),
        ("/parent/value", 400, b"parent ValueError"),
        ("/parent/key", 400, b"app KeyError"),
        ("/parent/child/value", 400, b"parent ValueError"),  # inherited from the parent blueprint
        ("/parent/child/key", 400, b"child KeyError"),  # the innermost scope wins
        ("/parent/child/index", 400, b"app LookupError"),
        ("/other/key", 400, b"other LookupError"),  # a blueprint's handler beats the app's more specific one
        ("/other/value", 500, b"Internal Server Error"),
        ("/other/teapot", 418, b"app-wide teapot from parent"),
        ("/parent/abort404", 404, b"parent 404"),
        ("/parent/child/abort404", 404, b"parent 404"),
        ("/other/abort404", 404, b"Not Found"),
        # A URL that matches nothing has no blueprint: the blueprint's 404 handler does not apply.
        ("/parent/nothing-here", 404, b"Not Found"),
    ],
)
def test_blueprint_handlers(path: str, status: int, body: bytes) -> None:
    got_status, _, got_body = both(blueprint_app, path)
    assert int(got_status.split()[0]) == status
    assert body in got_body


# -- the 500 path -------------------------------------------------------------------------


def server_error_app(fw: t.Any, **config: t.Any) -> erlen.Erlen:
    app = make_app(fw, **config)
    seen: dict[str, t.Any] = {}
    app.extensions["seen"] = seen

    @app.errorhandler(500)
    def on_500(e: InternalServerError) -> t.Any:
        seen["type"] = type(e)
        seen["original"] = e.original_exception
        return f"500 handler: {type(e.original_exception).__name__}", 500

    @app.teardown_request
    def teardown(exc: BaseException | None) -> None:
        seen["teardown"] = exc

    app.add_url_rule("/boom", "boom", raising(ZeroDivisionError("boom")))
    app.add_url_rule("/abort500", "abort500", lambda: fw.abort(500))
    return app


def test_unhandled_exception_goes_to_500_handler(fw: t.Any, caplog: pytest.LogCaptureFixture) -> None:
    app = server_error_app(fw)
    rv = app.test_client().get("/boom")
    seen = app.extensions["seen"]
    assert (rv.status_code, rv.data) == (500, b"500 handler: ZeroDivisionError")
    assert seen["type"] is InternalServerError
    assert isinstance(seen["original"], ZeroDivisionError)
    assert seen["teardown"] is seen["original"]
    # Logged once at ERROR level with the traceback, through app.logger.
    records = [r for r in caplog.records if r.name == app.logger.name]
    assert len(records) == 1
    assert records[0].levelno == logging.ERROR
    assert records[0].getMessage() == "Exception on /boom [GET]"
    assert records[0].exc_info is not None
    assert records[0].exc_info[0] is ZeroDivisionError


def test_abort_500_is_handled_as_http_error(fw: t.Any, caplog: pytest.LogCaptureFixture) -> None:
    app = server_error_app(fw)
    rv = app.test_client().get("/abort500")
    assert (rv.status_code, rv.data) == (500, b"500 handler: NoneType")
    assert not [r for r in caplog.records if r.name == app.logger.name]


def test_500_without_handler_has_no_traceback() -> None:
    def factory(fw: t.Any) -> erlen.Erlen:
        app = make_app(fw)
        app.add_url_rule("/", "index", raising(RuntimeError("secret detail")))
        return app

    status, _, body = both(factory, "/")
    assert status == "500 INTERNAL SERVER ERROR"
    assert b"secret detail" not in body
    assert b"Traceback" not in body


def test_handler_for_exception_class_of_500() -> None:
    def factory(fw: t.Any) -> erlen.Erlen:
        app = make_app(fw)
        app.register_error_handler(InternalServerError, lambda e: (f"ISE {e.original_exception!r}", 500))
        app.add_url_rule("/", "index", raising(KeyError("k")))
        return app

    assert both(factory, "/")[2] == b"ISE KeyError('k')"


def test_exception_in_error_handler(fw: t.Any, caplog: pytest.LogCaptureFixture) -> None:
    def factory(fw: t.Any) -> erlen.Erlen:
        app = make_app(fw)

        @app.errorhandler(ValueError)
        def broken(e: Exception) -> t.Any:
            raise KeyError("from handler")

        @app.errorhandler(500)
        def on_500(e: InternalServerError) -> t.Any:
            return f"500 from {e.original_exception!r}", 500

        app.add_url_rule("/", "index", raising(ValueError("v")))
        return app

    assert both(factory, "/")[2] == b"500 from KeyError('from handler')"


def test_exception_in_500_handler_propagates(fw: t.Any) -> None:
    app = make_app(fw)

    @app.errorhandler(500)
    def on_500(e: Exception) -> t.Any:
        raise RuntimeError("handler broke")

    app.add_url_rule("/", "index", raising(ValueError))
    with pytest.raises(RuntimeError, match="handler broke"):
        app.test_client().get("/")


def test_error_in_after_request_while_handling_500(fw: t.Any, caplog: pytest.LogCaptureFixture) -> None:
    app = make_app(fw)

    @app.after_request
    def after(rv: t.Any) -> t.Any:
        raise RuntimeError("after_request broke")

    app.add_url_rule("/", "index", raising(ValueError))
    rv = app.test_client().get("/")
    assert rv.status_code == 500
    assert "Request finalizing failed with an error while handling an error" in caplog.text


def test_after_request_runs_on_handled_errors() -> None:
    def factory(fw: t.Any) -> erlen.Erlen:
        app = make_app(fw)

        @app.after_request
        def after(rv: t.Any) -> t.Any:
            rv.headers["X-After"] = str(rv.status_code)
            return rv

        app.register_error_handler(ValueError, lambda e: ("handled", 400))
        app.add_url_rule("/value", "value", raising(ValueError))
        app.add_url_rule("/type", "type", raising(TypeError))
        return app

    assert dict(both(factory, "/value")[1])["X-After"] == "400"
    assert dict(both(factory, "/missing")[1])["X-After"] == "404"
    assert dict(both(factory, "/type")[1])["X-After"] == "500"


# -- propagation and trapping ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("config", "debug", "raises"),
    [
        ({}, False, False),
        ({"TESTING": True}, False, True),
        ({}, True, True),
        ({"PROPAGATE_EXCEPTIONS": True}, False, True),
        ({"PROPAGATE_EXCEPTIONS": False, "TESTING": True}, False, False),
        ({"PROPAGATE_EXCEPTIONS": False}, True, False),
    ],
)
def test_propagate_exceptions(fw: t.Any, config: dict[str, t.Any], debug: bool, raises: bool) -> None:
    app = make_app(fw, **config)
    app.debug = debug
    app.logger.disabled = True
    received: list[BaseException] = []

    def on_exception(sender: t.Any, exception: BaseException, **kwargs: t.Any) -> None:
        received.append(exception)

    app.add_url_rule("/", "index", raising(ZeroDivisionError))
    with fw.got_request_exception.connected_to(on_exception, app):
        if raises:
            with pytest.raises(ZeroDivisionError):
                app.test_client().get("/")
        else:
            assert app.test_client().get("/").status_code == 500
    # The signal is sent in both cases, before propagating.
    assert len(received) == 1
    assert isinstance(received[0], ZeroDivisionError)


def test_got_request_exception_not_sent_for_handled_errors(fw: t.Any) -> None:
    app = make_app(fw)
    received: list[BaseException] = []
    app.register_error_handler(ValueError, lambda e: ("handled", 400))
    app.add_url_rule("/value", "value", raising(ValueError))
    app.add_url_rule("/abort", "abort", lambda: fw.abort(403))

    def on_exception(sender: t.Any, exception: BaseException, **kwargs: t.Any) -> None:
        received.append(exception)

    with fw.got_request_exception.connected_to(on_exception, app):
        c = app.test_client()
        assert c.get("/value").status_code == 400
        assert c.get("/abort").status_code == 403
        assert c.get("/missing").status_code == 404
    assert received == []


@pytest.mark.parametrize("testing", [False, True])
def test_trap_http_exceptions(fw: t.Any, testing: bool) -> None:
    app = make_app(fw, TRAP_HTTP_EXCEPTIONS=True, TESTING=testing)
    app.logger.disabled = True
    app.add_url_rule("/", "index", lambda: fw.abort(403))
    c = app.test_client()
    if testing:
        with pytest.raises(Forbidden):
            c.get("/")
        with pytest.raises(NotFound):
            c.get("/missing")
    else:
        # Trapped, then unhandled: it becomes a 500.
        assert c.get("/").status_code == 500
        assert c.get("/missing").status_code == 500


def test_trap_http_exceptions_class_handler_still_applies(fw: t.Any) -> None:
    app = make_app(fw, TRAP_HTTP_EXCEPTIONS=True)
    app.register_error_handler(Exception, lambda e: (f"generic {type(e).__name__}", 599))
    app.add_url_rule("/", "index", lambda: fw.abort(403))
    rv = app.test_client().get("/")
    assert (rv.status_code, rv.data) == (599, b"generic Forbidden")


def key_error_app(fw: t.Any, debug: bool, **config: t.Any) -> erlen.Erlen:
    app = make_app(fw, **config)
    app.debug = debug
    app.add_url_rule("/form", "form", lambda: fw.request.form["missing_key"], methods=["POST"])
    app.add_url_rule("/args", "args", lambda: fw.request.args["missing_key"])
    app.add_url_rule("/bad", "bad", lambda: fw.abort(400))
    return app


@pytest.mark.parametrize(
    ("debug", "trap", "path", "outcome"),
    [
        (False, None, "/args", "400 BAD REQUEST"),
        (False, False, "/args", "400 BAD REQUEST"),
        (True, None, "/args", "raised BadRequestKeyError"),  # debug traps key errors by default
        (True, False, "/args", "400 BAD REQUEST detail"),  # not trapped, but debug shows the key
        (False, True, "/args", "500 INTERNAL SERVER ERROR"),  # trapped, unhandled, not propagated
        (True, None, "/bad", "400 BAD REQUEST"),  # only key errors are trapped by default
        (True, True, "/bad", "raised BadRequest"),
        (False, True, "/bad", "500 INTERNAL SERVER ERROR"),
    ],
)
def test_trap_bad_request_errors(debug: bool, trap: bool | None, path: str, outcome: str) -> None:
    results: dict[str, str] = {}
    for name, mod in FRAMEWORKS.items():
        app = key_error_app(mod, debug, TRAP_BAD_REQUEST_ERRORS=trap)
        app.logger.disabled = True
        try:
            rv = app.test_client().get(path)
        except BadRequest as e:
            results[name] = f"raised {type(e).__name__}"
        else:
            results[name] = rv.status + (" detail" if b"missing_key" in rv.data else "")
    assert results["erlen"] == results["flask"] == outcome


def test_bad_request_key_error_detail_in_debug() -> None:
    def factory(fw: t.Any) -> erlen.Erlen:
        return key_error_app(fw, True, TRAP_BAD_REQUEST_ERRORS=False)

    status, _, body = both(factory, "/form", method="POST", data={"other": "1"})
    assert status == "400 BAD REQUEST"
    assert b"KeyError: &#39;missing_key&#39;" in body


@pytest.mark.parametrize("with_400_handler", [False, True])
def test_bad_request_key_error_is_key_error(fw: t.Any, with_400_handler: bool) -> None:
    app = make_app(fw)
    app.register_error_handler(KeyError, lambda e: (f"KeyError handler {type(e).__name__}", 400))
    if with_400_handler:
        app.register_error_handler(400, lambda e: ("400 handler", 400))
    app.add_url_rule("/", "index", lambda: fw.request.args["nope"])
    # Code handlers come first; without one, class handlers along the MRO apply.
    expected = b"400 handler" if with_400_handler else b"KeyError handler BadRequestKeyError"
    assert app.test_client().get("/").data == expected


# -- logging ------------------------------------------------------------------------------------


def test_log_exception_can_be_overridden(fw: t.Any) -> None:
    calls: list[t.Any] = []
    base = erlen.Erlen if fw is erlen else flask.Flask

    class App(base):  # type: ignore[misc,valid-type]
        def log_exception(self, exc_info: t.Any) -> None:
            calls.append((exc_info[0], fw.request.path))

    app = App(__name__)
    app.add_url_rule("/x", "x", raising(OSError))
    assert app.test_client().get("/x").status_code == 500
    assert calls == [(OSError, "/x")]


def test_teardown_receives_handled_and_unhandled_errors(fw: t.Any) -> None:
    app = make_app(fw)
    seen: list[t.Any] = []

    @app.teardown_request
    def teardown(exc: BaseException | None) -> None:
        seen.append(type(exc).__name__ if exc else None)

    app.register_error_handler(ValueError, lambda e: ("handled", 400))
    app.add_url_rule("/handled", "handled", raising(ValueError))
    app.add_url_rule("/unhandled", "unhandled", raising(TypeError))
    app.add_url_rule("/abort", "abort", lambda: fw.abort(404))
    c = app.test_client()
    app.logger.disabled = True
    for path in ("/handled", "/unhandled", "/abort"):
        c.get(path)
    # Handled errors (and HTTP errors) are not passed to teardown.
    assert seen == [None, "TypeError", None]


# -- errors raised by hooks ---------------------------------------------------------------------


def hooks_app(fw: t.Any) -> erlen.Erlen:
    app = make_app(fw)
    bp: erlen.Blueprint = fw.Blueprint("bp", __name__, url_prefix="/bp")

    def bp_before() -> None:
        args = fw.request.args
        if "abort" in args:
            fw.abort(int(args["abort"]))
        if "raise" in args:
            raise KeyError("before")

    def app_before() -> None:
        if "app_abort" in fw.request.args:
            fw.abort(409)

    def app_after(rv: t.Any) -> t.Any:
        if "after_fail" in fw.request.args:
            raise ValueError("after")
        return rv

    bp.before_request(bp_before)
    bp.register_error_handler(403, lambda e: ("bp 403", 403))
    bp.register_error_handler(405, lambda e: ("bp 405", 405))
    bp.register_error_handler(KeyError, lambda e: (f"bp KeyError {e}", 400))
    bp.add_url_rule("/x", "x", lambda: "x")
    bp.add_url_rule("/slash/", "slash", lambda: "slash")
    app.register_blueprint(bp)
    app.before_request(app_before)
    app.after_request(app_after)
    app.register_error_handler(ValueError, lambda e: (f"app ValueError {e}", 400))
    app.add_url_rule("/head-error", "head_error", lambda: fw.abort(404))
    return app


@pytest.mark.parametrize(
    ("method", "path", "status", "body"),
    [
        ("GET", "/bp/x?abort=403", 403, b"bp 403"),  # before_request errors use the blueprint's handlers
        ("GET", "/bp/x?raise=1", 400, b"bp KeyError 'before'"),
        ("GET", "/bp/x?abort=404", 404, b"Not Found"),
        ("POST", "/bp/x", 405, b"Method Not Allowed"),  # routing failed: no blueprint, no bp handler
        ("GET", "/bp/x?app_abort=1", 409, b"Conflict"),
        # An after_request error is not passed to user handlers: it is a 500.
        ("GET", "/bp/x?after_fail=1", 500, b"Internal Server Error"),
        ("GET", "/bp/x?after_fail=1&abort=403", 500, b"Internal Server Error"),
        ("HEAD", "/head-error", 404, b""),
        ("GET", "/bp/slash", 308, b"Redirecting"),
        ("POST", "/bp/slash", 404, b"Not Found"),
    ],
)
def test_errors_from_hooks(method: str, path: str, status: int, body: bytes) -> None:
    got_status, _, got_body = both(hooks_app, path, method=method)
    assert int(got_status.split()[0]) == status
    assert body in got_body

