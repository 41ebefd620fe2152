"""ASGI lifespan: before_serving / after_serving, sync and async, and failures."""

from __future__ import annotations

import asyncio
import typing as t

import pytest

import erlen
from erlen.testing import ASGIClient
from erlen.testing import LifespanError
from erlen.testing import LifespanManager

pytestmark = pytest.mark.anyio


def make_app(events: list[str]) -> erlen.Erlen:
    app = erlen.Erlen(__name__)

    @app.before_serving
    def open_sync() -> None:
        events.append(f"start sync {erlen.current_app.name}")
        erlen.g.opened = True

    @app.before_serving
    async def open_async() -> None:
        await asyncio.sleep(0)
        events.append(f"start async {erlen.current_app.name} g={erlen.g.get('opened')}")

    @app.after_serving
    async def close_async() -> None:
        await asyncio.sleep(0)
        events.append("stop async")

    @app.after_serving
    def close_sync() -> None:
        events.append(f"stop sync {erlen.current_app.name}")

    @app.route("/")
    def index() -> str:
        events.append("request")
        return "ok"

    return app


async def test_startup_and_shutdown_run_in_order_in_an_app_context() -> None:
    events: list[str] = []
    app = make_app(events)
    async with LifespanManager(app) as lifespan:
        assert events == ["start sync test_asgi_lifespan", "start async test_asgi_lifespan g=True"]
        assert [m["type"] for m in lifespan.messages] == ["lifespan.startup.complete"]
    assert events[2:] == ["stop async", "stop sync test_asgi_lifespan"]
    assert [m["type"] for m in lifespan.messages] == [
        "lifespan.startup.complete",
        "lifespan.shutdown.complete",
    ]


async def test_client_context_runs_the_lifespan_around_requests() -> None:
    events: list[str] = []
    app = make_app(events)
    async with ASGIClient(app) as client:
        assert (await client.get("/")).data == b"ok"
    assert events[1:] == ["start async test_asgi_lifespan g=True", "request", "stop async", "stop sync test_asgi_lifespan"]


async def test_no_functions_still_completes() -> None:
    app = erlen.Erlen(__name__)
    async with LifespanManager(app) as lifespan:
        pass
    assert [m["type"] for m in lifespan.messages] == [
        "lifespan.startup.complete",
        "lifespan.shutdown.complete",
    ]


@pytest.mark.parametrize("kind", ["sync", "async"])
async def test_startup_failure_is_reported_as_failed(kind: str) -> None:
    app = erlen.Erlen(__name__)
    later: list[str] = []

    if kind == "sync":

        @app.before_serving
        def broken_sync() -> None:
            raise RuntimeError("database unreachable")

    else:

        @app.before_serving
        async def broken_async() -> None:
            await asyncio.sleep(0)
            raise RuntimeError("database unreachable")

    @app.before_serving
    def never() -> None:
        later.append("ran")

    manager = LifespanManager(app)
    with pytest.raises(LifespanError) as info:
        await manager.startup()
    assert "RuntimeError: database unreachable" in info.value.message
    assert [m["type"] for m in manager.messages] == ["lifespan.startup.failed"]
    assert later == []


async def test_shutdown_failure_is_reported_as_failed() -> None:
    app = erlen.Erlen(__name__)

    @app.after_serving
    def broken() -> None:
        raise ValueError("flush failed")

    manager = LifespanManager(app)
    await manager.startup()
    with pytest.raises(LifespanError, match="ValueError: flush failed"):
        await manager.shutdown()
    assert manager.messages[-1]["type"] == "lifespan.shutdown.failed"


async def test_raw_lifespan_messages() -> None:
    app = erlen.Erlen(__name__)
    sent: list[dict[str, t.Any]] = []
    inbox: asyncio.Queue[dict[str, t.Any]] = asyncio.Queue()
    for kind in ("lifespan.startup", "lifespan.shutdown"):
        inbox.put_nowait({"type": kind})

    async def send(message: dict[str, t.Any]) -> None:
        sent.append(message)

    scope = {"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}
    await asyncio.wait_for(app(scope, inbox.get, send), 5)
    assert sent == [{"type": "lifespan.startup.complete"}, {"type": "lifespan.shutdown.complete"}]


def test_serving_hooks_are_setup_methods() -> None:
    app = erlen.Erlen(__name__)

    @app.route("/")
    def index() -> str:
        return "ok"

    app.test_client().get("/")
    with pytest.raises(AssertionError, match="before_serving"):
        app.before_serving(lambda: None)
