"""When teardown runs on ASGI: before a buffered response is sent (as on WSGI), after a streamed one."""

from __future__ import annotations

import threading
import typing as t

import pytest
from asgi_helpers import Server
from asgi_helpers import http_scope
from asgi_helpers import run

import erlen
from erlen import signals

pytestmark = pytest.mark.anyio


class Recorder(Server):
    """A server that also records, in ``events``, when each message was sent."""

    def __init__(self, events: list[str], **kwargs: t.Any) -> None:
        super().__init__(**kwargs)
        self.events = events

    async def send(self, message: dict[str, t.Any]) -> None:
        self.events.append(message["type"])
        await super().send(message)


def _app(events: list[str], sync: bool) -> erlen.Erlen:
    app = erlen.Erlen(__name__)
    app.secret_key = "test"
    threads: dict[str, int] = {}
    app.config["threads"] = threads

    def note(name: str) -> None:
        events.append(name)
        threads[name] = threading.get_ident()

    if sync:

        @app.route("/")
        def index() -> str:
            note("view")
            erlen.session["seen"] = True

            @erlen.after_this_request
            def later(response: erlen.Response) -> erlen.Response:
                note("after_this_request")
                return response

            return "hello"

        @app.teardown_request
        def teardown_request(exc: BaseException | None) -> None:
            assert erlen.has_request_context()
            note(f"teardown_request:{type(exc).__name__}")

        @app.teardown_appcontext
        def teardown_appcontext(exc: BaseException | None) -> None:
            # The request context is gone, the app context still here.
            assert not erlen.has_request_context()
            assert erlen.current_app.name == app.name
            note(f"teardown_appcontext:{type(exc).__name__}")

    else:

        @app.route("/")
        async def index() -> str:
            note("view")
            erlen.session["seen"] = True
            return "hello"

        @app.teardown_request
        async def teardown_request(exc: BaseException | None) -> None:
            note(f"teardown_request:{type(exc).__name__}")

        @app.teardown_appcontext
        async def teardown_appcontext(exc: BaseException | None) -> None:
            assert not erlen.has_request_context()
            note(f"teardown_appcontext:{type(exc).__name__}")

    return app


@pytest.mark.parametrize("sync", [True, False], ids=["sync", "async"])
async def test_teardown_runs_before_a_buffered_response_is_sent(sync: bool) -> None:
    events: list[str] = []
    app = _app(events, sync)
    for _ in range(2):  # the contexts are left clean for the next request
        events.clear()
        server = await run(app.asgi_app, http_scope("/"), Recorder(events))
        assert server.status == 200
        assert server.body == b"hello"
        assert "set-cookie" in server.headers  # the session was saved
        expected = ["view"]
        if sync:
            expected.append("after_this_request")
        expected += [
            "teardown_request:NoneType",
            "teardown_appcontext:NoneType",
            "http.response.start",
            "http.response.body",
        ]
        assert events == expected
        assert not erlen.has_request_context()
        assert not erlen.has_app_context()


async def test_sync_view_and_sync_teardown_share_one_worker_thread_trip(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    events: list[str] = []
    app = _app(events, sync=True)
    loop_thread = threading.get_ident()
    trips: list[t.Any] = []
    run_sync = app._run_sync

    async def counting(*args: t.Any) -> t.Any:
        trips.append(args[1])
        return await run_sync(*args)

    monkeypatch.setattr(app, "_run_sync", counting)
    await run(app.asgi_app, http_scope("/"), Recorder(events))
    threads = app.config["threads"]
    assert len(set(threads.values())) == 1
    assert loop_thread not in threads.values()
    assert len(trips) == 1


async def test_context_variables_set_in_sync_teardown_after_the_pop_stay_consistent() -> None:
    # A sync view sets g; sync teardown functions on both sides of the
    # request context's reset see the right contexts, and the next request
    # starts from a clean one.
    app = erlen.Erlen(__name__)
    seen: list[t.Any] = []

    @app.route("/")
    def index() -> str:
        erlen.g.value = "from the view"
        return "ok"

    @app.teardown_request
    def teardown_request(exc: BaseException | None) -> None:
        seen.append((erlen.request.path, erlen.g.value))

    @app.teardown_appcontext
    def teardown_appcontext(exc: BaseException | None) -> None:
        seen.append((erlen.has_request_context(), erlen.g.value))

    for _ in range(2):
        server = await run(app.asgi_app, http_scope("/"), Server())
        assert server.body == b"ok"
    assert seen == [("/", "from the view"), (False, "from the view")] * 2
    assert not erlen.has_app_context()


@pytest.mark.parametrize("sync", [True, False], ids=["sync", "async"])
async def test_teardown_runs_after_a_streamed_response(sync: bool) -> None:
    events: list[str] = []
    app = erlen.Erlen(__name__)

    if sync:

        @app.route("/")
        def index() -> erlen.Response:
            def body() -> t.Iterator[str]:
                events.append(f"chunk:{erlen.request.path}")
                yield "a"
                yield "b"

            return erlen.Response(body())

        @app.teardown_request
        def teardown(exc: BaseException | None) -> None:
            events.append("teardown")

    else:

        @app.route("/")
        async def index() -> erlen.Response:
            async def body() -> t.AsyncIterator[str]:
                events.append(f"chunk:{erlen.request.path}")
                yield "a"
                yield "b"

            return erlen.Response(body())

        @app.teardown_request
        async def teardown(exc: BaseException | None) -> None:
            events.append("teardown")

    server = await run(app.asgi_app, http_scope("/"), Recorder(events))
    assert server.body == b"ab"
    assert events[0] == "http.response.start"
    assert events[1] == "chunk:/"
    assert events[-1] == "teardown"
    assert events[-2] == "http.response.body"


async def test_error_handler_signals_and_teardown_run_before_sending() -> None:
    events: list[str] = []
    app = erlen.Erlen(__name__)

    @app.route("/")
    def index() -> str:
        raise KeyError("boom")

    @app.errorhandler(500)
    def handle(e: Exception) -> tuple[str, int]:
        events.append("handler")
        return "handled", 500

    @app.teardown_request
    def teardown(exc: BaseException | None) -> None:
        events.append(f"teardown:{type(exc).__name__}")

    def on_exception(sender: t.Any, exception: BaseException, **kw: t.Any) -> None:
        events.append(f"got_request_exception:{type(exception).__name__}")

    def on_tearing_down(sender: t.Any, exc: BaseException | None = None, **kw: t.Any) -> None:
        events.append(f"request_tearing_down:{type(exc).__name__}")

    with signals.got_request_exception.connected_to(on_exception, app), signals.request_tearing_down.connected_to(
        on_tearing_down, app
    ):
        server = await run(app.asgi_app, http_scope("/"), Recorder(events))
    assert (server.status, server.body) == (500, b"handled")
    assert events == [
        "got_request_exception:KeyError",
        "handler",
        "teardown:KeyError",
        "request_tearing_down:KeyError",
        "http.response.start",
        "http.response.body",
    ]
    assert not erlen.has_request_context()


@pytest.mark.parametrize("sync", [True, False], ids=["sync", "async"])
async def test_an_exception_in_teardown_propagates_and_nothing_is_sent(sync: bool) -> None:
    # As on WSGI, where the error leaves the app before the server writes
    # the response (so the server answers 500).
    app = erlen.Erlen(__name__)

    @app.route("/")
    def index() -> str:
        return "ok"

    if sync:

        @app.teardown_appcontext
        def broken(exc: BaseException | None) -> None:
            raise RuntimeError("teardown failed")

    else:

        @app.teardown_appcontext
        async def broken(exc: BaseException | None) -> None:
            raise RuntimeError("teardown failed")

    events: list[str] = []
    with pytest.raises(RuntimeError, match="teardown failed"):
        await run(app.asgi_app, http_scope("/"), Recorder(events))
    assert events == []
    assert not erlen.has_request_context()
    assert not erlen.has_app_context()
    # The next request is served normally once the teardown is fixed.
    app.teardown_appcontext_funcs.clear()
    server = await run(app.asgi_app, http_scope("/"), Server())
    assert server.body == b"ok"


async def test_teardown_through_the_test_client() -> None:
    events: list[str] = []
    app = _app(events, sync=True)
    client = erlen.testing.ASGIClient(app)
    response = await client.get("/")
    assert response.status_code == 200
    assert events[-2:] == ["teardown_request:NoneType", "teardown_appcontext:NoneType"]
    # with the test client's block, the contexts stay available after the request
    with app.test_client(asgi=True) as sync_client:
        assert sync_client.get("/").data == b"hello"
        assert erlen.request.path == "/"


async def test_sync_teardown_inside_an_outer_request_context() -> None:
    # The request's context variable had a value before it (an outer request
    # context on the loop): the pop restores it, in the thread trip too.
    app = erlen.Erlen(__name__)
    seen: list[t.Any] = []

    @app.route("/inner")
    def inner() -> str:
        return "ok"

    @app.teardown_request
    def teardown_request(exc: BaseException | None) -> None:
        seen.append(erlen.request.path)

    @app.teardown_appcontext
    def teardown_appcontext(exc: BaseException | None) -> None:
        seen.append(erlen.has_request_context())

    with app.test_request_context("/outer"):
        server = await run(app.asgi_app, http_scope("/inner"), Server())
        assert server.body == b"ok"
        assert erlen.request.path == "/outer"
        # The outer app context was reused: only the request was torn down.
        assert seen == ["/inner"]
    assert seen == ["/inner", "/outer", False]
    assert not erlen.has_request_context()
