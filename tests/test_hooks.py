"""Request hooks: before/after/teardown, app-wide and per blueprint, nesting.

Every test builds the same app with erlen and with real Flask (``fw``) and
asserts the same observable result, so Flask 3.1 is the oracle for call
orders, statuses and bodies.
"""

from __future__ import annotations

import sys
import traceback
import typing as t

import flask
import pytest

import erlen

FRAMEWORKS: dict[str, t.Any] = {"erlen": erlen, "flask": flask}
APP_CLASSES: dict[str, t.Any] = {"erlen": erlen.Erlen, "flask": flask.Flask}


class FW:
    """One framework under test: ``mod`` (erlen or flask) and its app class."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.mod = FRAMEWORKS[name]
        # NOTE: typed as erlen's for both frameworks: the public API is the same.
        self.App: type[erlen.Erlen] = APP_CLASSES[name]

    def app(self, **config: t.Any) -> erlen.Erlen:
        app = self.App(__name__)
        app.config.update(TESTING=True, **config)
        return app

    def bp(self, name: str, **kwargs: t.Any) -> erlen.Blueprint:
        return t.cast(erlen.Blueprint, self.mod.Blueprint(name, __name__, **kwargs))


@pytest.fixture(params=list(FRAMEWORKS))
def fw(request: pytest.FixtureRequest) -> FW:
    return FW(request.param)


def _record_app(fw: FW, calls: list[str]) -> erlen.Erlen:
    """An app with two of each hook, each appending its name to ``calls``."""
    app = fw.app()

    for n in (1, 2):

        def before(n: int = n) -> None:
            calls.append(f"before{n}")

        def after(response: t.Any, n: int = n) -> t.Any:
            calls.append(f"after{n}")
            return response

        def teardown(exc: BaseException | None, n: int = n) -> None:
            calls.append(f"teardown{n}:{type(exc).__name__}")

        def teardown_app(exc: BaseException | None, n: int = n) -> None:
            calls.append(f"appteardown{n}:{type(exc).__name__}")

        app.before_request(before)
        app.after_request(after)
        app.teardown_request(teardown)
        app.teardown_appcontext(teardown_app)

    @app.route("/")
    def index() -> str:
        calls.append("view")
        return "ok"

    @app.route("/fail")
    def fail() -> str:
        calls.append("view")
        raise KeyError("boom")

    return app


def test_hook_order(fw: FW) -> None:
    calls: list[str] = []
    app = _record_app(fw, calls)
    response = app.test_client().get("/")
    assert response.data == b"ok"
    assert calls == [
        "before1",
        "before2",
        "view",
        "after2",
        "after1",
        "teardown2:NoneType",
        "teardown1:NoneType",
        "appteardown2:NoneType",
        "appteardown1:NoneType",
    ]


@pytest.mark.parametrize("propagate", [True, False])
def test_teardown_receives_exception(fw: FW, propagate: bool) -> None:
    calls: list[str] = []
    app = _record_app(fw, calls)
    app.config["PROPAGATE_EXCEPTIONS"] = propagate
    client = app.test_client()
    if propagate:
        with pytest.raises(KeyError):
            client.get("/fail")
    else:
        assert client.get("/fail").status_code == 500
    # after_request does not run for an unhandled error when it propagates;
    # the 500 response still goes through after_request otherwise.
    after = [] if propagate else ["after2", "after1"]
    assert calls == [
        "before1",
        "before2",
        "view",
        *after,
        "teardown2:KeyError",
        "teardown1:KeyError",
        "appteardown2:KeyError",
        "appteardown1:KeyError",
    ]


def test_handled_exception_teardown_gets_none(fw: FW) -> None:
    calls: list[str] = []
    app = _record_app(fw, calls)

    @app.errorhandler(KeyError)
    def handle(e: KeyError) -> tuple[str, int]:
        calls.append("handler")
        return "handled", 418

    response = app.test_client().get("/fail")
    assert (response.status_code, response.data) == (418, b"handled")
    assert calls[3:] == [
        "handler",
        "after2",
        "after1",
        "teardown2:NoneType",
        "teardown1:NoneType",
        "appteardown2:NoneType",
        "appteardown1:NoneType",
    ]


@pytest.mark.parametrize("path", ["/key", "/abort", "/missing", "/unhandled"])
def test_handlers_run_while_the_exception_is_handled(fw: FW, path: str) -> None:
    # Error handlers run inside the ``except`` block, so sys.exc_info() and
    # logger.exception() (a common idiom in handlers) see the error.
    seen: list[tuple[str, str]] = []
    app = fw.app(PROPAGATE_EXCEPTIONS=False)

    def current() -> str:
        return type(sys.exc_info()[1]).__name__

    @app.errorhandler(KeyError)
    def on_key(e: KeyError) -> tuple[str, int]:
        seen.append(("key", current()))
        return traceback.format_exc().splitlines()[-1], 400

    @app.errorhandler(404)
    def on_404(e: Exception) -> tuple[str, int]:
        seen.append(("404", current()))
        return "nf", 404

    @app.errorhandler(500)
    def on_500(e: Exception) -> tuple[str, int]:
        seen.append(("500", current()))
        return "ise", 500

    @app.after_request
    def after(response: t.Any) -> t.Any:
        seen.append(("after", current()))
        return response

    @app.teardown_request
    def teardown(exc: BaseException | None) -> None:
        seen.append(("teardown", current()))

    @app.route("/key")
    def key() -> str:
        raise KeyError("k")

    @app.route("/abort")
    def do_abort() -> t.Any:
        fw.mod.abort(404)

    @app.route("/unhandled")
    def unhandled() -> str:
        raise ZeroDivisionError

    response = app.test_client().get(path)
    first = {
        "/key": ("key", "KeyError"),
        "/abort": ("404", "NotFound"),
        "/missing": ("404", "NotFound"),
        "/unhandled": ("500", "ZeroDivisionError"),
    }[path]
    # An unhandled error is finalized inside the WSGI front's ``except``.
    during_after = "ZeroDivisionError" if path == "/unhandled" else "NoneType"
    assert seen == [first, ("after", during_after), ("teardown", "NoneType")]
    if path == "/key":
        assert response.data == b"KeyError: 'k'"


@pytest.mark.parametrize(
    ("value", "status", "body"),
    [
        ("stopped", 200, b"stopped"),
        (("teapot", 418), 418, b"teapot"),
        ({"a": 1}, 200, b'{"a":1}\n'),
    ],
)
def test_before_request_short_circuits(
    fw: FW, value: t.Any, status: int, body: bytes
) -> None:
    calls: list[str] = []
    app = fw.app()

    @app.before_request
    def first() -> t.Any:
        calls.append("first")
        return value

    @app.before_request
    def second() -> None:
        calls.append("second")

    @app.after_request
    def after(response: t.Any) -> t.Any:
        calls.append("after")
        response.headers["X-After"] = "yes"
        return response

    @app.route("/")
    def index() -> str:
        calls.append("view")
        return "view"

    response = app.test_client().get("/")
    assert (response.status_code, response.data) == (status, body)
    assert response.headers["X-After"] == "yes"
    assert calls == ["first", "after"]


def test_before_request_runs_on_404(fw: FW) -> None:
    calls: list[str] = []
    app = fw.app()

    @app.before_request
    def before() -> None:
        calls.append(f"before:{fw.mod.request.endpoint}")

    @app.after_request
    def after(response: t.Any) -> t.Any:
        calls.append(f"after:{response.status_code}")
        return response

    assert app.test_client().get("/missing").status_code == 404
    assert calls == ["before:None", "after:404"]


def test_after_request_can_replace_response(fw: FW) -> None:
    app = fw.app()

    @app.after_request
    def replace(response: t.Any) -> t.Any:
        return fw.mod.make_response(("replaced", 202, {"X-Old": response.get_data()}))

    @app.route("/")
    def index() -> str:
        return "orig"

    response = app.test_client().get("/")
    assert (response.status_code, response.data) == (202, b"replaced")
    assert response.headers["X-Old"] == "b'orig'"


def test_after_this_request(fw: FW) -> None:
    calls: list[str] = []
    app = fw.app()

    @app.after_request
    def after(response: t.Any) -> t.Any:
        calls.append("after_request")
        return response

    @app.route("/")
    def index() -> str:
        def one(response: t.Any) -> t.Any:
            calls.append("one")
            response.headers["X-One"] = "1"
            return response

        def two(response: t.Any) -> t.Any:
            calls.append("two")
            return response

        fw.mod.after_this_request(one)
        fw.mod.after_this_request(two)

        return "ok"

    @app.route("/other")
    def other() -> str:
        return "other"

    client = app.test_client()
    response = client.get("/")
    assert response.headers["X-One"] == "1"
    assert calls == ["one", "two", "after_request"]
    calls.clear()
    assert "X-One" not in client.get("/other").headers
    assert calls == ["after_request"]


def test_after_this_request_outside_context(fw: FW) -> None:
    with pytest.raises(RuntimeError, match="request context is active"):
        fw.mod.after_this_request(lambda r: r)


def test_raising_teardown(fw: FW) -> None:
    # A teardown_request function that raises skips the ones after it (the
    # error reaches the caller), but the app context still tears down.
    calls: list[t.Any] = []
    app = fw.app()

    @app.teardown_request
    def first_registered(exc: BaseException | None) -> None:
        calls.append("first_registered")

    @app.teardown_request
    def fails(exc: BaseException | None) -> None:
        calls.append("fails")
        raise RuntimeError("teardown failed")

    @app.teardown_appcontext
    def app_teardown(exc: BaseException | None) -> None:
        calls.append(("app_teardown", exc))

    @app.route("/")
    def index() -> str:
        return "ok"

    with pytest.raises(RuntimeError, match="teardown failed"):
        app.test_client().get("/")
    assert calls == ["fails", ("app_teardown", None)]
    assert not fw.mod.has_app_context()
    assert not fw.mod.has_request_context()


def test_teardown_sees_request_state(fw: FW) -> None:
    seen: list[t.Any] = []
    app = fw.app(SECRET_KEY="k")
    mod = fw.mod

    @app.route("/")
    def index() -> str:
        mod.g.x = 1
        mod.session["s"] = 2
        return "ok"

    @app.teardown_request
    def teardown(exc: BaseException | None) -> None:
        seen.append(
            (
                "request",
                mod.g.get("x"),
                mod.request.path,
                mod.session.get("s"),
                mod.url_for("index"),
            )
        )

    @app.teardown_appcontext
    def teardown_app(exc: BaseException | None) -> None:
        seen.append(("app", mod.g.get("x"), mod.has_request_context()))

    client = app.test_client()
    assert "session=" in client.get("/").headers["Set-Cookie"]
    with client:
        client.get("/")
        # The test client keeps the contexts until the block ends.
        assert mod.g.x == 1
        assert len(seen) == 4
    assert seen == [("request", 1, "/", 2, "/"), ("app", 1, False)] * 3
    assert not mod.has_app_context()


def test_teardown_appcontext_outside_request(fw: FW) -> None:
    calls: list[t.Any] = []
    app = fw.app()

    @app.teardown_appcontext
    def teardown(exc: BaseException | None) -> None:
        calls.append(exc)

    with app.app_context():
        pass
    assert calls == [None]
    err = ValueError("x")
    with pytest.raises(ValueError):
        with app.app_context():
            raise err
    assert calls == [None, err]


def test_teardown_errors_with_test_request_context(fw: FW) -> None:
    calls: list[str] = []
    app = fw.app()

    @app.teardown_request
    def teardown(exc: BaseException | None) -> None:
        calls.append(type(exc).__name__)

    with app.test_request_context():
        pass
    with pytest.raises(ZeroDivisionError):
        with app.test_request_context():
            1 / 0  # noqa: B018
    assert calls == ["NoneType", "ZeroDivisionError"]


@pytest.mark.parametrize("method", ["do_teardown_request", "do_teardown_appcontext"])
def test_do_teardown_defaults_to_current_exception(fw: FW, method: str) -> None:
    got: list[t.Any] = []
    app = fw.app()
    app.teardown_request(got.append)
    app.teardown_appcontext(got.append)
    err = ValueError("current")
    with app.test_request_context():
        try:
            raise err
        except ValueError:
            getattr(app, method)()
        getattr(app, method)(None)
        getattr(app, method)()
    assert got[:3] == [err, None, None]


def _hooked_blueprints(fw: FW, calls: list[str]) -> erlen.Erlen:
    """App > parent > child, each with before/after/teardown and app-wide hooks."""
    app = fw.app()
    parent = fw.bp("parent", url_prefix="/parent")
    child = fw.bp("child", url_prefix="/child")

    def add_hooks(obj: t.Any, label: str) -> None:
        for n in (1, 2):

            def before(n: int = n) -> None:
                calls.append(f"before:{label}{n}")

            def after(response: t.Any, n: int = n) -> t.Any:
                calls.append(f"after:{label}{n}")
                return response

            def teardown(exc: BaseException | None, n: int = n) -> None:
                calls.append(f"teardown:{label}{n}")

            def preprocess(endpoint: str | None, values: t.Any, n: int = n) -> None:
                calls.append(f"preprocess:{label}{n}")

            obj.before_request(before)
            obj.after_request(after)
            obj.teardown_request(teardown)
            obj.url_value_preprocessor(preprocess)

    add_hooks(app, "app")
    add_hooks(parent, "parent")
    add_hooks(child, "child")

    @parent.before_app_request
    def before_app() -> None:
        calls.append("before_app_request:parent")

    @parent.after_app_request
    def after_app(response: t.Any) -> t.Any:
        calls.append("after_app_request:parent")
        return response

    @parent.teardown_app_request
    def teardown_app(exc: BaseException | None) -> None:
        calls.append("teardown_app_request:parent")

    @child.route("/")
    def child_view() -> str:
        calls.append("view:child")
        return fw.mod.request.blueprint  # type: ignore[no-any-return]

    @parent.route("/")
    def parent_view() -> str:
        calls.append("view:parent")
        return ",".join(fw.mod.request.blueprints)

    @app.route("/")
    def app_view() -> str:
        calls.append("view:app")
        return "app"

    parent.register_blueprint(child)
    app.register_blueprint(parent)
    return app


@pytest.mark.parametrize(
    ("path", "body"),
    [("/parent/child/", b"parent.child"), ("/parent/", b"parent"), ("/", b"app")],
)
def test_nested_blueprint_hook_order_matches_flask(path: str, body: bytes) -> None:
    orders = {}
    for name in FRAMEWORKS:
        calls: list[str] = []
        app = _hooked_blueprints(FW(name), calls)
        assert app.test_client().get(path).data == body
        orders[name] = calls
    assert orders["erlen"] == orders["flask"]


def test_nested_blueprint_hook_order_explicit(fw: FW) -> None:
    calls: list[str] = []
    app = _hooked_blueprints(fw, calls)
    app.test_client().get("/parent/child/")
    assert calls == [
        "preprocess:app1",
        "preprocess:app2",
        "preprocess:parent1",
        "preprocess:parent2",
        "preprocess:child1",
        "preprocess:child2",
        "before:app1",
        "before:app2",
        "before_app_request:parent",
        "before:parent1",
        "before:parent2",
        "before:child1",
        "before:child2",
        "view:child",
        "after:child2",
        "after:child1",
        "after:parent2",
        "after:parent1",
        "after_app_request:parent",
        "after:app2",
        "after:app1",
        "teardown:child2",
        "teardown:child1",
        "teardown:parent2",
        "teardown:parent1",
        "teardown_app_request:parent",
        "teardown:app2",
        "teardown:app1",
    ]


def test_blueprint_hooks_only_for_own_requests(fw: FW) -> None:
    calls: list[str] = []
    app = fw.app()
    bp = fw.bp("bp")

    @bp.before_request
    def bp_before() -> None:
        calls.append("bp")

    @bp.before_app_request
    def bp_app_before() -> None:
        calls.append("bp_app")

    @bp.route("/bp")
    def bp_view() -> str:
        return "bp"

    @app.route("/app")
    def app_view() -> str:
        return "app"

    app.register_blueprint(bp)
    client = app.test_client()
    client.get("/app")
    assert calls == ["bp_app"]
    calls.clear()
    client.get("/bp")
    assert calls == ["bp_app", "bp"]
    calls.clear()
    client.get("/missing")
    assert calls == ["bp_app"]


def test_blueprint_before_request_short_circuit(fw: FW) -> None:
    app = fw.app()
    bp = fw.bp("bp")

    @bp.before_request
    def deny() -> tuple[str, int]:
        return "denied", 403

    @bp.after_request
    def mark(response: t.Any) -> t.Any:
        response.headers["X-BP"] = "after"
        return response

    @bp.route("/")
    def index() -> str:
        return "secret"

    app.register_blueprint(bp)
    response = app.test_client().get("/")
    assert (response.status_code, response.data) == (403, b"denied")
    assert response.headers["X-BP"] == "after"


def test_hooks_on_blueprint_registered_twice(fw: FW) -> None:
    calls: list[str] = []
    app = fw.app()
    bp = fw.bp("bp")

    @bp.before_request
    def before() -> None:
        calls.append(fw.mod.request.blueprint)

    @bp.before_app_request
    def before_app() -> None:
        calls.append("app-wide")

    @bp.route("/")
    def index() -> str:
        return fw.mod.request.endpoint  # type: ignore[no-any-return]

    app.register_blueprint(bp, url_prefix="/a")
    app.register_blueprint(bp, url_prefix="/b", name="b2")
    client = app.test_client()
    assert client.get("/a/").data == b"bp.index"
    assert client.get("/b/").data == b"b2.index"
    # record_once: the app-wide hook is added once, not per registration.
    assert calls == ["app-wide", "bp", "app-wide", "b2"]


def test_setup_after_first_request_fails(fw: FW) -> None:
    app = fw.app()

    @app.route("/")
    def index() -> str:
        return "ok"

    app.test_client().get("/")
    with pytest.raises(AssertionError, match="before_request"):
        app.before_request(lambda: None)
