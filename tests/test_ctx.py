"""App and request contexts, the context-local proxies and ``g``.

Tests run against erlen and real Flask (``fw``) and assert the same results.
"""

from __future__ import annotations

import asyncio
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
        app.config.update(TESTING=True, SECRET_KEY="ctx-secret", **config)
        return app


@pytest.fixture(params=list(FRAMEWORKS))
def fw(request: pytest.FixtureRequest) -> FW:
    return FW(request.param)


# -- outside any context -------------------------------------------------------


@pytest.mark.parametrize(
    ("proxy", "kind"),
    [
        ("current_app", "application"),
        ("g", "application"),
        ("request", "request"),
        ("session", "request"),
    ],
)
def test_proxy_outside_context(fw: FW, proxy: str, kind: str) -> None:
    obj = getattr(fw.mod, proxy)
    with pytest.raises(RuntimeError) as info:
        obj.anything  # noqa: B018
    assert str(info.value).startswith(f"Working outside of {kind} context.")
    assert not fw.mod.has_app_context()
    assert not fw.mod.has_request_context()


def test_outside_context_messages_match_flask() -> None:
    messages = {}
    for name, mod in FRAMEWORKS.items():
        got = []
        for proxy in ("current_app", "g", "request", "session"):
            try:
                getattr(mod, proxy).x  # noqa: B018
            except RuntimeError as e:
                got.append(str(e))
        messages[name] = got
    assert messages["erlen"] == messages["flask"]


def test_bool_of_unbound_proxies(fw: FW) -> None:
    assert not fw.mod.current_app
    assert not fw.mod.request
    assert not fw.mod.g


# -- app context ---------------------------------------------------------------


def test_app_context(fw: FW) -> None:
    app = fw.app()
    with app.app_context() as ctx:
        assert fw.mod.has_app_context()
        assert not fw.mod.has_request_context()
        assert fw.mod.current_app._get_current_object() is app
        assert ctx.app is app
        assert fw.mod.g._get_current_object() is ctx.g
        with pytest.raises(RuntimeError, match="request context"):
            fw.mod.request.path  # noqa: B018
    assert not fw.mod.has_app_context()


def test_g_namespace(fw: FW) -> None:
    app = fw.app()
    g = fw.mod.g
    with app.app_context():
        assert "x" not in g
        g.x = 1
        assert "x" in g
        assert g.get("x") == 1
        assert g.get("y") is None
        assert g.get("y", 7) == 7
        assert g.setdefault("y", 2) == 2
        assert g.setdefault("y", 3) == 2
        assert sorted(g) == ["x", "y"]
        assert g.pop("x") == 1
        assert g.pop("x", "gone") == "gone"
        with pytest.raises(KeyError):
            g.pop("x")
        with pytest.raises(AttributeError):
            g.missing  # noqa: B018
        del g.y
        with pytest.raises(AttributeError):
            del g.y
        assert list(g) == []
        assert repr(g) == f"<{fw.name}.g of '{app.name}'>"


def test_g_is_per_app_context(fw: FW) -> None:
    app = fw.app()
    with app.app_context():
        fw.mod.g.value = "outer"
        with app.app_context():
            assert "value" not in fw.mod.g
            fw.mod.g.value = "inner"
        assert fw.mod.g.value == "outer"


def test_request_shares_existing_app_context(fw: FW) -> None:
    app = fw.app()
    with app.app_context():
        fw.mod.g.marker = 1
        with app.test_request_context():
            assert fw.mod.g.marker == 1
    other = fw.app()
    with app.app_context():
        fw.mod.g.marker = 1
        with other.test_request_context():
            # A different app gets its own app context.
            assert fw.mod.current_app._get_current_object() is other
            assert "marker" not in fw.mod.g
        assert fw.mod.current_app._get_current_object() is app


def test_nested_pushes_restore(fw: FW) -> None:
    app = fw.app()
    with app.test_request_context("/one"):
        with app.test_request_context("/two"):
            assert fw.mod.request.path == "/two"
        assert fw.mod.request.path == "/one"
    assert not fw.mod.has_request_context()


def test_same_context_pushed_twice(fw: FW) -> None:
    calls: list[str] = []
    app = fw.app()

    @app.teardown_request
    def teardown(exc: BaseException | None) -> None:
        calls.append("request")

    @app.teardown_appcontext
    def teardown_app(exc: BaseException | None) -> None:
        calls.append("app")

    ctx = app.test_request_context("/x")
    ctx.push()
    ctx.push()
    ctx.pop()
    assert calls == []
    assert fw.mod.request.path == "/x"
    ctx.pop()
    assert calls == ["request", "app"]
    assert not fw.mod.has_request_context()


def test_pop_wrong_context(fw: FW) -> None:
    app = fw.app()
    outer = app.app_context()
    inner = app.app_context()
    outer.push()
    inner.push()
    with pytest.raises(AssertionError, match="Popped wrong app context"):
        outer.pop()
    # The variable is still reset to the state before ``outer`` was pushed.
    assert not fw.mod.has_app_context()


# -- request context -----------------------------------------------------------


def test_test_request_context(fw: FW) -> None:
    app = fw.app(SERVER_NAME="example.test")

    @app.route("/item/<int:n>", methods=["GET", "POST"])
    def item(n: int) -> str:
        return str(n)

    with app.test_request_context(
        "/item/3?q=x", method="POST", headers={"X-A": "b"}, data={"f": "v"}
    ) as ctx:
        req = fw.mod.request
        assert fw.mod.has_request_context()
        assert fw.mod.has_app_context()
        assert ctx.request is req._get_current_object()
        assert (req.method, req.path, req.args["q"], req.form["f"]) == (
            "POST",
            "/item/3",
            "x",
            "v",
        )
        assert req.headers["X-A"] == "b"
        assert req.host == "example.test"
        assert req.url == "http://example.test/item/3?q=x"
        assert req.endpoint == "item"
        assert req.view_args == {"n": 3}
        assert fw.mod.url_for("item", n=5) == "/item/5"


def test_test_request_context_routing_exception(fw: FW) -> None:
    app = fw.app()
    with app.test_request_context("/missing"):
        assert fw.mod.request.url_rule is None
        assert fw.mod.request.endpoint is None
        assert fw.mod.request.routing_exception.code == 404


def test_session_in_request_context(fw: FW) -> None:
    app = fw.app()
    with app.test_request_context():
        session = fw.mod.session
        session["k"] = "v"
        assert session["k"] == "v"
        assert session.modified
    app.config["SECRET_KEY"] = None
    with app.test_request_context():
        assert fw.mod.session.get("k") is None
        with pytest.raises(RuntimeError, match="secret key"):
            fw.mod.session["k"] = "v"


def test_request_context_in_view(fw: FW) -> None:
    app = fw.app()

    @app.route("/<name>")
    def view(name: str) -> dict[str, t.Any]:
        return {
            "app": fw.mod.current_app.name,
            "endpoint": fw.mod.request.endpoint,
            "has": [fw.mod.has_app_context(), fw.mod.has_request_context()],
            "name": name,
        }

    assert app.test_client().get("/bob").json == {
        "app": app.name,
        "endpoint": "view",
        "has": [True, True],
        "name": "bob",
    }


def test_copy_current_request_context_thread(fw: FW) -> None:
    app = fw.app()
    seen: dict[str, t.Any] = {}

    @app.route("/")
    def index() -> str:
        fw.mod.session["who"] = "alice"
        fw.mod.g.shared = "g-value"

        def work(arg: str) -> None:
            seen["path"] = fw.mod.request.path
            seen["args"] = fw.mod.request.args.get("x")
            seen["session"] = fw.mod.session.get("who")
            seen["app"] = fw.mod.current_app.name
            seen["arg"] = arg
            seen["g"] = fw.mod.g.get("shared")

        thread = threading.Thread(
            target=fw.mod.copy_current_request_context(work), args=("a",)
        )
        thread.start()
        thread.join()
        return "ok"

    assert app.test_client().get("/?x=1").data == b"ok"
    # The copy gets a fresh app context (and so a fresh g) in Flask 3.1.
    assert seen == {
        "path": "/",
        "args": "1",
        "session": "alice",
        "app": app.name,
        "arg": "a",
        "g": None,
    }


@pytest.mark.parametrize("touch_first", [False, True])
def test_copy_current_request_context_shares_session(fw: FW, touch_first: bool) -> None:
    # The copy works on the request's own session object, so what the
    # thread stores is saved with the response, whether or not the view
    # read the session before copying.
    app = fw.app()

    @app.route("/")
    def index() -> str:
        if touch_first:
            fw.mod.session.get("x")

        def work() -> None:
            fw.mod.session["from_thread"] = "yes"

        thread = threading.Thread(target=fw.mod.copy_current_request_context(work))
        thread.start()
        thread.join()
        return str(fw.mod.session.get("from_thread"))

    client = app.test_client()
    response = client.get("/")
    assert response.data == b"yes"
    assert "session=" in response.headers["Set-Cookie"]
    assert client.get("/").data == b"yes"


def test_copy_current_request_context_outside(fw: FW) -> None:
    with pytest.raises(RuntimeError, match="request context is active"):
        fw.mod.copy_current_request_context(lambda: None)


def test_threads_see_their_own_request(fw: FW) -> None:
    app = fw.app()
    barrier = threading.Barrier(2)
    results: dict[str, str] = {}
    errors: list[BaseException] = []

    def worker(path: str) -> None:
        try:
            with app.test_request_context(path):
                fw.mod.g.path = path
                barrier.wait(timeout=5)
                results[path] = f"{fw.mod.request.path}|{fw.mod.g.path}"
                barrier.wait(timeout=5)
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=worker, args=(p,)) for p in ("/a", "/b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert results == {"/a": "/a|/a", "/b": "/b|/b"}
    assert not fw.mod.has_request_context()


def test_asyncio_tasks_see_their_own_request(fw: FW) -> None:
    app = fw.app()

    async def handle(path: str, first: asyncio.Event, second: asyncio.Event) -> str:
        with app.test_request_context(path):
            fw.mod.g.path = path
            first.set()
            await second.wait()
            return f"{fw.mod.request.path}|{fw.mod.g.path}"

    async def main() -> list[str]:
        a_ready, b_ready = asyncio.Event(), asyncio.Event()
        # Each task waits for the other to have pushed its own context.
        return list(
            await asyncio.gather(
                handle("/a", a_ready, b_ready), handle("/b", b_ready, a_ready)
            )
        )

    assert asyncio.run(main()) == ["/a|/a", "/b|/b"]


# -- signals -------------------------------------------------------------------


def test_appcontext_signals(fw: FW) -> None:
    app = fw.app()
    events: list[tuple[str, t.Any, dict[str, t.Any]]] = []

    def recorder(name: str) -> t.Callable[..., None]:
        def receive(sender: t.Any, **kwargs: t.Any) -> None:
            events.append((name, sender, kwargs))

        return receive

    pushed, popped, tearing = (
        recorder("pushed"),
        recorder("popped"),
        recorder("tearing_down"),
    )
    with (
        fw.mod.appcontext_pushed.connected_to(pushed, app),
        fw.mod.appcontext_popped.connected_to(popped, app),
        fw.mod.appcontext_tearing_down.connected_to(tearing, app),
    ):
        with app.app_context():
            assert events == [("pushed", app, {})]
        with app.test_request_context():
            pass
    assert [(name, sender is app, kwargs) for name, sender, kwargs in events] == [
        ("pushed", True, {}),
        ("tearing_down", True, {"exc": None}),
        ("popped", True, {}),
        ("pushed", True, {}),
        ("tearing_down", True, {"exc": None}),
        ("popped", True, {}),
    ]


def test_appcontext_signals_for_repeated_push(fw: FW) -> None:
    app = fw.app()
    events: list[str] = []

    def on(name: str) -> t.Callable[..., None]:
        return lambda sender, **kwargs: events.append(name)

    pushed, popped, tearing = on("pushed"), on("popped"), on("tearing_down")
    with (
        fw.mod.appcontext_pushed.connected_to(pushed, app),
        fw.mod.appcontext_popped.connected_to(popped, app),
        fw.mod.appcontext_tearing_down.connected_to(tearing, app),
    ):
        ctx = app.app_context()
        ctx.push()
        ctx.push()
        ctx.pop()
        events.append("|")
        ctx.pop()
    # Every push and pop signals; teardown runs only for the outermost pop.
    assert events == ["pushed", "pushed", "popped", "|", "tearing_down", "popped"]


def test_appcontext_pushed_can_set_g(fw: FW) -> None:
    app = fw.app()

    def set_user(sender: t.Any, **kwargs: t.Any) -> None:
        fw.mod.g.user = "injected"

    @app.route("/")
    def index() -> str:
        return fw.mod.g.user  # type: ignore[no-any-return]

    with fw.mod.appcontext_pushed.connected_to(set_user, app):
        assert app.test_client().get("/").data == b"injected"
