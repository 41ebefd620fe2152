"""``async def`` views, hooks and handlers served over WSGI.

Flask runs coroutine functions through asgiref (its ``async`` extra); the
Flask side of each comparison is skipped when asgiref is not installed.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import threading
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
        app.config.update(TESTING=True, SECRET_KEY="async", **config)
        return app


@pytest.fixture(params=list(FRAMEWORKS))
def fw(request: pytest.FixtureRequest) -> FW:
    if request.param == "flask":
        pytest.importorskip("asgiref", reason="Flask runs async code through asgiref")
    return FW(request.param)


def async_app(fw: FW, calls: list[str]) -> erlen.Erlen:
    """An app whose hooks, handlers and most views are coroutine functions."""
    app = fw.app()
    _add_hooks(app, fw.mod, calls)
    _add_views(app, fw.mod, calls)
    return app


def _add_hooks(app: erlen.Erlen, mod: t.Any, calls: list[str]) -> None:
    @app.before_request
    async def before() -> t.Any:
        await asyncio.sleep(0)
        mod.g.user = mod.request.args.get("user", "anon")
        calls.append(f"before:{mod.request.path}")
        if "stop" in mod.request.args:
            return "stopped by before_request", 202
        return None

    @app.after_request
    async def after(response: t.Any) -> t.Any:
        await asyncio.sleep(0)
        response.headers["X-User"] = mod.g.user
        calls.append(f"after:{response.status_code}")
        return response

    @app.teardown_request
    async def teardown(exc: BaseException | None) -> None:
        await asyncio.sleep(0)
        calls.append(f"teardown:{type(exc).__name__}")

    @app.teardown_appcontext
    async def teardown_app(exc: BaseException | None) -> None:
        calls.append("teardown_appcontext")

    @app.errorhandler(LookupError)
    async def lookup_error(e: LookupError) -> tuple[str, int]:
        await asyncio.sleep(0)
        return f"handled {type(e).__name__} at {mod.request.path}", 418

    @app.errorhandler(404)
    async def not_found(e: Exception) -> tuple[str, int]:
        await asyncio.sleep(0)
        return f"no {mod.request.path}", 404

    @app.context_processor
    async def inject() -> dict[str, str]:
        return {"injected": "yes"}


def _add_views(app: erlen.Erlen, mod: t.Any, calls: list[str]) -> None:
    @app.route("/hello/<name>")
    async def hello(name: str) -> str:
        await asyncio.sleep(0)
        calls.append("view")
        return f"{mod.request.method} {mod.request.path} {name} {mod.g.user}"

    @app.route("/json", methods=["POST"])
    async def post_json() -> t.Any:
        await asyncio.sleep(0)
        return {"got": mod.request.get_json(), "session": mod.session.get("n")}

    @app.route("/raise")
    async def do_raise() -> str:
        await asyncio.sleep(0)
        raise KeyError("missing")

    @app.route("/abort")
    async def do_abort() -> t.Any:
        await asyncio.sleep(0)
        mod.abort(404)

    @app.route("/unhandled")
    async def unhandled() -> str:
        await asyncio.sleep(0)
        raise ZeroDivisionError("zero")

    # A sync view: Flask cannot run the async context processor from inside
    # an async view (asgiref refuses a nested AsyncToSync in a running loop).
    @app.route("/template")
    def template() -> str:
        return mod.render_template_string("{{ injected }} {{ request.path }}")  # type: ignore[no-any-return]

    @app.route("/gather")
    async def gather() -> str:
        async def child(n: int) -> str:
            await asyncio.sleep(0)
            return f"{n}:{mod.request.path}:{mod.g.user}"

        return ",".join(await asyncio.gather(child(1), child(2)))

    @app.route("/session")
    async def set_session() -> str:
        mod.session["n"] = 7
        await asyncio.sleep(0)
        return "set"

    @app.route("/after-this")
    async def after_this() -> str:
        async def add(response: t.Any) -> t.Any:
            response.headers["X-After-This"] = "async"
            return response

        mod.after_this_request(add)

        return "ok"


def test_async_view_and_hooks(fw: FW) -> None:
    calls: list[str] = []
    client = async_app(fw, calls).test_client()
    response = client.get("/hello/ann?user=bob")
    assert response.data == b"GET /hello/ann ann bob"
    assert response.headers["X-User"] == "bob"
    assert calls == [
        "before:/hello/ann",
        "view",
        "after:200",
        "teardown:NoneType",
        "teardown_appcontext",
    ]


def test_async_before_request_short_circuits(fw: FW) -> None:
    calls: list[str] = []
    response = async_app(fw, calls).test_client().get("/hello/x?stop=1")
    assert (response.status_code, response.data) == (202, b"stopped by before_request")
    assert "view" not in calls
    assert "after:202" in calls


@pytest.mark.parametrize(
    ("path", "status", "body"),
    [
        ("/raise", 418, b"handled KeyError at /raise"),
        ("/abort", 404, b"no /abort"),
        ("/missing", 404, b"no /missing"),
        ("/template", 200, b"yes /template"),
        ("/gather?user=eve", 200, b"1:/gather:eve,2:/gather:eve"),
    ],
)
def test_async_responses(fw: FW, path: str, status: int, body: bytes) -> None:
    response = async_app(fw, []).test_client().get(path)
    assert (response.status_code, response.data) == (status, body)


def test_async_responses_match_flask() -> None:
    pytest.importorskip("asgiref", reason="Flask runs async code through asgiref")
    paths = ["/hello/a?user=u", "/hello/b?stop=1", "/raise", "/abort", "/missing", "/template", "/gather", "/after-this"]
    results = {}
    for name in FRAMEWORKS:
        calls: list[str] = []
        client = async_app(FW(name), calls).test_client()
        got = []
        for path in paths:
            response = client.get(path)
            got.append(
                (
                    response.status_code,
                    response.data,
                    sorted((k, v) for k, v in response.headers.items()),
                )
            )
        results[name] = (got, calls)
    assert results["erlen"] == results["flask"]


def test_async_unhandled_exception(fw: FW) -> None:
    calls: list[str] = []
    app = async_app(fw, calls)
    with pytest.raises(ZeroDivisionError, match="zero"):
        app.test_client().get("/unhandled")
    assert calls[-2:] == ["teardown:ZeroDivisionError", "teardown_appcontext"]
    app.config["PROPAGATE_EXCEPTIONS"] = False
    calls.clear()
    response = app.test_client().get("/unhandled")
    assert response.status_code == 500
    assert calls == [
        "before:/unhandled",
        "after:500",
        "teardown:ZeroDivisionError",
        "teardown_appcontext",
    ]


def test_async_session_and_json(fw: FW) -> None:
    client = async_app(fw, []).test_client()
    assert client.get("/session").data == b"set"
    response = client.post("/json", json={"a": [1, 2]})
    assert response.json == {"got": {"a": [1, 2]}, "session": 7}


def test_async_after_this_request(fw: FW) -> None:
    response = async_app(fw, []).test_client().get("/after-this")
    assert response.headers["X-After-This"] == "async"


def test_async_view_in_threads(fw: FW) -> None:
    app = async_app(fw, [])
    results: dict[str, bytes] = {}

    def worker(user: str) -> None:
        results[user] = app.test_client().get(f"/hello/{user}?user={user}").data

    threads = [threading.Thread(target=worker, args=(u,)) for u in ("a", "b", "c")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == {u: f"GET /hello/{u} {u} {u}".encode() for u in "abc"}


def test_async_view_leaves_the_threads_event_loop(fw: FW) -> None:
    # Code that set an event loop for its thread (and runs it later) still
    # has it after an async view ran; it runs on a loop of its own.
    app = async_app(fw, [])
    outcome: list[t.Any] = []

    def in_thread() -> None:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        try:
            response = app.test_client().get("/hello/x")
            outcome.append(response.status_code)
            outcome.append(asyncio.get_event_loop() is loop)
            outcome.append(loop.run_until_complete(asyncio.sleep(0, "still usable")))
        except BaseException as e:  # pragma: no cover - reported below
            outcome.append(e)
        finally:
            asyncio.set_event_loop(None)
            loop.close()

    thread = threading.Thread(target=in_thread)
    thread.start()
    thread.join()
    assert outcome == [200, True, "still usable"]


TRACE_ID: contextvars.ContextVar[str] = contextvars.ContextVar("trace_id", default="unset")


def test_context_variables_set_in_async_code_persist(fw: FW) -> None:
    # As with Flask's asgiref adapter, context variables an async hook or
    # view sets are seen by the sync code that runs after it.
    app = fw.app()
    seen: list[str] = []

    @app.before_request
    async def start_trace() -> None:
        await asyncio.sleep(0)
        TRACE_ID.set(f"trace-{fw.mod.request.args['n']}")

    @app.route("/sync")
    def sync_view() -> str:
        return TRACE_ID.get()

    @app.route("/async")
    async def async_view() -> str:
        TRACE_ID.set(TRACE_ID.get() + "+view")
        return "async"

    @app.after_request
    def after(response: t.Any) -> t.Any:
        seen.append(TRACE_ID.get())
        return response

    def in_fresh_context(path: str) -> bytes:
        return contextvars.copy_context().run(
            lambda: app.test_client().get(path).get_data()
        )

    assert in_fresh_context("/sync?n=1") == b"trace-1"
    assert in_fresh_context("/async?n=2") == b"async"
    assert seen == ["trace-1", "trace-2+view"]
    assert TRACE_ID.get() == "unset"


def test_async_function_with_copied_request_context(fw: FW) -> None:
    app = fw.app()
    seen: list[str] = []

    @app.route("/")
    def index() -> str:
        async def work() -> None:
            await asyncio.sleep(0)
            seen.append(f"{fw.mod.request.path}?{fw.mod.request.query_string.decode()}")

        thread = threading.Thread(target=fw.mod.copy_current_request_context(work))
        thread.start()
        thread.join()
        return "ok"

    assert app.test_client().get("/?a=1").data == b"ok"
    assert seen == ["/?a=1"]


# -- ensure_sync ----------------------------------------------------------------


def test_ensure_sync(fw: FW) -> None:
    app = fw.app()

    def plain(x: int) -> int:
        return x + 1

    async def coro(x: int) -> int:
        await asyncio.sleep(0)
        return x * 2

    assert app.ensure_sync(plain) is plain
    wrapped = app.ensure_sync(coro)
    assert wrapped is not coro
    assert wrapped(21) == 42
    assert app.ensure_sync(functools.partial(coro, 5))() == 10


def test_ensure_sync_propagates_exceptions(fw: FW) -> None:
    app = fw.app()

    async def fail() -> None:
        await asyncio.sleep(0)
        raise ValueError("inside")

    with pytest.raises(ValueError, match="inside"):
        app.ensure_sync(fail)()


def test_ensure_sync_sees_context(fw: FW) -> None:
    app = fw.app()

    async def read() -> str:
        await asyncio.sleep(0)
        return f"{fw.mod.request.path} {fw.mod.current_app.name}"

    with app.test_request_context("/ctx"):
        assert app.ensure_sync(read)() == f"/ctx {app.name}"


# -- an event loop already running in the thread --------------------------------


def test_async_view_inside_running_loop() -> None:
    # Flask's asgiref adapter refuses to run here ("You cannot use AsyncToSync
    # in the same thread as an async event loop"); erlen runs the coroutine on
    # a helper thread with the caller's context, so the request still works.
    calls: list[str] = []
    app = async_app(FW("erlen"), calls)

    async def main() -> tuple[bytes, str, bool]:
        loop_thread = threading.current_thread().name
        response = app.test_client().get("/hello/loop?user=l")
        with app.test_request_context("/direct"):

            async def where() -> str:
                return f"{erlen.request.path} {threading.current_thread().name}"

            direct = app.ensure_sync(where)()
        return response.data, direct, direct.endswith(loop_thread)

    data, direct, same_thread = asyncio.run(main())
    assert data == b"GET /hello/loop loop l"
    assert direct.startswith("/direct ")
    assert not same_thread
    assert calls == [
        "before:/hello/loop",
        "view",
        "after:200",
        "teardown:NoneType",
        "teardown_appcontext",
        # the test_request_context("/direct") block
        "teardown:NoneType",
        "teardown_appcontext",
    ]


def test_flask_refuses_inside_running_loop() -> None:
    pytest.importorskip("asgiref", reason="Flask runs async code through asgiref")
    app = async_app(FW("flask"), [])

    async def main() -> None:
        app.test_client().get("/hello/loop")

    with pytest.raises(RuntimeError, match="event loop"):
        asyncio.run(main())


def test_exception_inside_running_loop() -> None:
    app = erlen.Erlen(__name__)

    async def fail() -> None:
        raise LookupError("from helper thread")

    async def main() -> None:
        app.ensure_sync(fail)()

    with pytest.raises(LookupError, match="from helper thread"):
        asyncio.run(main())
