"""Native async on the ASGI front: async views and hooks awaited on the loop, sync ones in threads."""

from __future__ import annotations

import asyncio
import threading
import typing as t

import pytest

import erlen
from erlen import g
from erlen import request
from erlen import session
from erlen.testing import ASGIClient

pytestmark = pytest.mark.anyio


def make_app() -> erlen.Erlen:
    app = erlen.Erlen(__name__)
    app.config.update(SECRET_KEY="async", TESTING=True)
    return app


async def test_request_session_and_g_survive_awaits_under_concurrency() -> None:
    app = make_app()

    @app.before_request
    async def before() -> None:
        await asyncio.sleep(0)
        g.rid = request.args["id"]

    @app.route("/echo")
    async def echo() -> dict[str, t.Any]:
        session["rid"] = request.args["id"]
        for _ in range(3):
            await asyncio.sleep(0.001)
        return {
            "arg": request.args["id"],
            "header": request.headers["X-Id"],
            "g": g.rid,
            "session": session["rid"],
            "path": request.path,
        }

    clients = [ASGIClient(app) for _ in range(20)]
    results = await asyncio.gather(
        *(c.get("/echo", query_string={"id": str(i)}, headers={"X-Id": str(i)}) for i, c in enumerate(clients))
    )
    for i, rv in enumerate(results):
        assert rv.get_json() == {"arg": str(i), "header": str(i), "g": str(i), "session": str(i), "path": "/echo"}
    # Each client got its own session cookie back.
    for i, c in enumerate(clients):
        rv = await c.get("/echo", query_string={"id": f"{i}b"}, headers={"X-Id": "x"})
        assert rv.get_json()["session"] == f"{i}b"


async def test_a_slow_sync_view_does_not_block_an_async_one() -> None:
    app = make_app()
    release = threading.Event()
    started = threading.Event()
    order: list[str] = []

    @app.route("/slow")
    def slow() -> str:
        started.set()
        # Blocks its worker thread, not the loop, until the async view ran.
        assert release.wait(10)
        order.append("slow done")
        assert threading.current_thread() is not threading.main_thread()
        return "slow"

    @app.route("/fast")
    async def fast() -> str:
        await asyncio.sleep(0)
        order.append("fast done")
        return "fast"

    client = ASGIClient(app)
    slow_task = asyncio.ensure_future(client.get("/slow"))
    while not started.is_set():
        await asyncio.sleep(0.005)
    assert (await client.get("/fast")).data == b"fast"
    release.set()
    assert (await slow_task).data == b"slow"
    assert order == ["fast done", "slow done"]


async def test_many_sync_views_run_in_parallel_threads() -> None:
    app = make_app()
    barrier = threading.Barrier(4, timeout=10)

    @app.route("/")
    def index() -> str:
        # Only returns when 4 requests are inside the view at once.
        barrier.wait()
        return threading.current_thread().name

    client = ASGIClient(app)
    names = {(await rv).get_data(as_text=True) for rv in [asyncio.ensure_future(client.get("/")) for _ in range(4)]}
    assert len(names) == 4
    assert all(name.startswith("erlen-sync") for name in names)


async def test_async_hooks_handlers_and_teardown_are_awaited_in_order() -> None:
    app = make_app()
    app.config["PROPAGATE_EXCEPTIONS"] = False
    events: list[str] = []

    @app.before_request
    async def before() -> None:
        await asyncio.sleep(0)
        events.append(f"before {request.path}")

    @app.route("/ok")
    async def ok() -> str:
        await asyncio.sleep(0)
        events.append("view")
        return "ok"

    @app.route("/lookup")
    async def lookup() -> str:
        await asyncio.sleep(0)
        raise LookupError("missing")

    @app.route("/crash")
    def crash() -> str:
        raise ZeroDivisionError

    @app.errorhandler(LookupError)
    async def on_lookup(e: LookupError) -> tuple[str, int]:
        await asyncio.sleep(0)
        events.append(f"handler {e.args[0]}")
        return "handled", 409

    @app.errorhandler(500)
    async def on_500(e: Exception) -> tuple[str, int]:
        await asyncio.sleep(0)
        events.append(f"500 {type(e.original_exception).__name__}")  # type: ignore[attr-defined]
        return "ise", 500

    @app.after_request
    async def after(response: erlen.Response) -> erlen.Response:
        await asyncio.sleep(0)
        response.headers["X-After"] = "1"
        events.append(f"after {response.status_code}")
        return response

    @app.teardown_request
    async def teardown(exc: BaseException | None) -> None:
        await asyncio.sleep(0)
        events.append(f"teardown {type(exc).__name__}")

    @app.teardown_appcontext
    async def teardown_app(exc: BaseException | None) -> None:
        events.append("teardown app")

    client = ASGIClient(app)
    rv = await client.get("/ok")
    assert (rv.status_code, rv.data, rv.headers["X-After"]) == (200, b"ok", "1")
    rv = await client.get("/lookup")
    assert (rv.status_code, rv.data) == (409, b"handled")
    rv = await client.get("/crash")
    assert (rv.status_code, rv.data) == (500, b"ise")
    assert events == [
        "before /ok", "view", "after 200", "teardown NoneType", "teardown app",
        "before /lookup", "handler missing", "after 409", "teardown NoneType", "teardown app",
        "before /crash", "500 ZeroDivisionError", "after 500", "teardown ZeroDivisionError", "teardown app",
    ]


async def test_sync_and_async_hooks_mix_and_share_context_variables() -> None:
    import contextvars

    var: contextvars.ContextVar[str] = contextvars.ContextVar("var", default="unset")
    app = make_app()
    seen: list[str] = []

    @app.before_request
    async def set_async() -> None:
        var.set("from async hook")

    @app.before_request
    def read_sync() -> None:
        seen.append(var.get())
        var.set("from sync hook")

    @app.route("/")
    async def view() -> str:
        return var.get()

    rv = await ASGIClient(app).get("/")
    assert rv.data == b"from sync hook"
    assert seen == ["from async hook"]


async def test_sync_code_can_call_async_code_through_ensure_sync() -> None:
    app = make_app()

    async def fetch(x: int) -> int:
        await asyncio.sleep(0)
        return x * 2

    @app.route("/")
    def view() -> str:
        # In a worker thread: awaited on the server's loop.
        return str(app.ensure_sync(fetch)(21))

    assert (await ASGIClient(app).get("/")).data == b"42"


async def test_async_view_exception_propagates_when_testing() -> None:
    app = make_app()

    @app.route("/")
    async def view() -> str:
        await asyncio.sleep(0)
        raise KeyError("boom")

    with pytest.raises(KeyError, match="boom"):
        await ASGIClient(app).get("/")
