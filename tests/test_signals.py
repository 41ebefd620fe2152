"""Signals: each one's sender, keyword arguments and place in the request cycle.

Tests run against erlen and real Flask (``fw``) and assert the same results.
"""

from __future__ import annotations

import typing as t

import flask
import pytest

import erlen

FRAMEWORKS: dict[str, t.Any] = {"erlen": erlen, "flask": flask}
APP_CLASSES: dict[str, t.Any] = {"erlen": erlen.Erlen, "flask": flask.Flask}
SIGNAL_NAMES = [
    "appcontext_pushed",
    "request_started",
    "before_render_template",
    "template_rendered",
    "message_flashed",
    "got_request_exception",
    "request_finished",
    "request_tearing_down",
    "appcontext_tearing_down",
    "appcontext_popped",
]


class FW:
    """One framework under test: ``mod`` (erlen or flask) and its app class."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.mod = FRAMEWORKS[name]
        # NOTE: typed as erlen's for both frameworks: the public API is the same.
        self.App: type[erlen.Erlen] = APP_CLASSES[name]


@pytest.fixture(params=list(FRAMEWORKS))
def fw(request: pytest.FixtureRequest) -> FW:
    return FW(request.param)


def describe(value: t.Any) -> t.Any:
    """A framework-neutral description of a signal argument."""
    if value is None or isinstance(value, (str, int)):
        return value
    if isinstance(value, BaseException):
        return f"{type(value).__name__}({value})"
    if hasattr(value, "status_code"):
        return f"response {value.status_code} {value.get_data()!r}"
    if hasattr(value, "render") and hasattr(value, "name"):
        return f"template {value.name!r}"
    if isinstance(value, dict):
        return {k: describe(v) for k, v in value.items() if k not in {"g", "request", "session", "config"}}
    return type(value).__name__


class Recorder:
    """Connects to every signal of a framework, recording (name, sender is app, kwargs)."""

    def __init__(self, fw: FW, app: t.Any) -> None:
        self.fw = fw
        self.app = app
        self.events: list[tuple[str, bool, dict[str, t.Any]]] = []
        self._receivers: list[tuple[t.Any, t.Callable[..., None]]] = []

    def __enter__(self) -> Recorder:
        for name in SIGNAL_NAMES:
            signal = getattr(self.fw.mod, name)

            def receive(sender: t.Any, name: str = name, **kwargs: t.Any) -> None:
                self.events.append(
                    (name, sender is self.app, {k: describe(v) for k, v in kwargs.items()})
                )

            signal.connect(receive, self.app)
            self._receivers.append((signal, receive))
        return self

    def __exit__(self, *exc: object) -> None:
        for signal, receive in self._receivers:
            signal.disconnect(receive)

    def names(self) -> list[str]:
        return [name for name, _, _ in self.events]


def signal_app(fw: FW, **config: t.Any) -> erlen.Erlen:
    app = fw.App(__name__)
    app.config.update(TESTING=True, SECRET_KEY="s", **config)
    mod = fw.mod

    @app.route("/")
    def index() -> str:
        return "plain"

    @app.route("/template")
    def template() -> str:
        mod.flash("hi", "info")
        return mod.render_template_string("{{ word }}!", word="hey")  # type: ignore[no-any-return]

    @app.route("/fail")
    def fail() -> str:
        raise ZeroDivisionError("nope")

    @app.route("/handled")
    def handled() -> str:
        raise KeyError("k")

    @app.route("/abort")
    def do_abort() -> t.Any:
        mod.abort(403)

    @app.errorhandler(KeyError)
    def on_key(e: KeyError) -> tuple[str, int]:
        return "handled", 409

    return app


def record(fw: FW, path: str, **config: t.Any) -> tuple[int | str, list[tuple[str, bool, dict[str, t.Any]]]]:
    app = signal_app(fw, **config)
    with Recorder(fw, app) as recorder:
        try:
            status: int | str = app.test_client().get(path).status_code
        except Exception as e:
            status = type(e).__name__
    return status, recorder.events


@pytest.mark.parametrize(
    ("path", "config"),
    [
        ("/", {}),
        ("/template", {}),
        ("/fail", {"PROPAGATE_EXCEPTIONS": False}),
        ("/fail", {}),
        ("/handled", {}),
        ("/abort", {}),
        ("/missing", {}),
    ],
)
def test_request_signals_match_flask(path: str, config: dict[str, t.Any]) -> None:
    erlen_result = record(FW("erlen"), path, **config)
    flask_result = record(FW("flask"), path, **config)
    assert erlen_result == flask_result


def test_plain_request_signals(fw: FW) -> None:
    status, events = record(fw, "/")
    assert status == 200
    assert events == [
        ("appcontext_pushed", True, {}),
        ("request_started", True, {}),
        ("request_finished", True, {"response": "response 200 b'plain'"}),
        ("request_tearing_down", True, {"exc": None}),
        ("appcontext_tearing_down", True, {"exc": None}),
        ("appcontext_popped", True, {}),
    ]


def test_template_and_flash_signals(fw: FW) -> None:
    status, events = record(fw, "/template")
    assert status == 200
    assert events[2:5] == [
        ("message_flashed", True, {"message": "hi", "category": "info"}),
        ("before_render_template", True, {"template": "template None", "context": {"word": "hey"}}),
        ("template_rendered", True, {"template": "template None", "context": {"word": "hey"}}),
    ]


def test_exception_signals(fw: FW) -> None:
    status, events = record(fw, "/fail", PROPAGATE_EXCEPTIONS=False)
    assert status == 500
    assert events[2:] == [
        ("got_request_exception", True, {"exception": "ZeroDivisionError(nope)"}),
        ("request_finished", True, {"response": events[3][2]["response"]}),
        ("request_tearing_down", True, {"exc": "ZeroDivisionError(nope)"}),
        ("appcontext_tearing_down", True, {"exc": "ZeroDivisionError(nope)"}),
        ("appcontext_popped", True, {}),
    ]
    assert events[3][2]["response"].startswith("response 500")


def test_got_request_exception_when_propagating(fw: FW) -> None:
    status, events = record(fw, "/fail")
    assert status == "ZeroDivisionError"
    assert [name for name, _, _ in events] == [
        "appcontext_pushed",
        "request_started",
        "got_request_exception",
        "request_tearing_down",
        "appcontext_tearing_down",
        "appcontext_popped",
    ]


@pytest.mark.parametrize("path", ["/handled", "/abort", "/missing"])
def test_handled_errors_send_no_exception_signal(fw: FW, path: str) -> None:
    _, events = record(fw, path)
    assert "got_request_exception" not in [name for name, _, _ in events]
    assert ("request_tearing_down", True, {"exc": None}) in events


def test_signals_relative_to_hooks(fw: FW) -> None:
    app = signal_app(fw)
    order: list[str] = []
    app.before_request(lambda: order.append("before_request"))

    @app.after_request
    def after(response: t.Any) -> t.Any:
        order.append("after_request")
        return response

    app.teardown_request(lambda exc: order.append("teardown_request"))
    app.teardown_appcontext(lambda exc: order.append("teardown_appcontext"))

    def on(name: str) -> t.Callable[..., None]:
        return lambda sender, **kw: order.append(name)

    receivers = {name: on(name) for name in SIGNAL_NAMES}
    for name, receiver in receivers.items():
        getattr(fw.mod, name).connect(receiver, app)
    try:
        app.test_client().get("/")
    finally:
        for name, receiver in receivers.items():
            getattr(fw.mod, name).disconnect(receiver)
    assert order == [
        "appcontext_pushed",
        "request_started",
        "before_request",
        "after_request",
        "request_finished",
        "teardown_request",
        "request_tearing_down",
        "teardown_appcontext",
        "appcontext_tearing_down",
        "appcontext_popped",
    ]


def test_template_signal_context_keys_match_flask() -> None:
    keys = {}
    for name in FRAMEWORKS:
        fw = FW(name)
        app = signal_app(fw)
        seen: list[list[str]] = []

        def receive(
            sender: t.Any,
            template: t.Any,
            context: dict[str, t.Any],
            seen: list[list[str]] = seen,
            **kw: t.Any,
        ) -> None:
            seen.append(sorted(context))

        with fw.mod.template_rendered.connected_to(receive, app):
            app.test_client().get("/template")
            with app.app_context():
                fw.mod.render_template_string("x")
        keys[name] = seen
    assert keys["erlen"] == keys["flask"]


def test_receiver_for_other_app_not_called(fw: FW) -> None:
    app, other = signal_app(fw), signal_app(fw)
    calls: list[t.Any] = []
    with fw.mod.request_started.connected_to(lambda s, **kw: calls.append(s), other):
        app.test_client().get("/")
    assert calls == []


def test_async_receiver(fw: FW) -> None:
    if fw.name == "flask":
        pytest.importorskip("asgiref", reason="Flask runs async code through asgiref")
    app = signal_app(fw)
    calls: list[str] = []

    async def receive(sender: t.Any, **kwargs: t.Any) -> None:
        calls.append(fw.mod.request.path)

    with fw.mod.request_started.connected_to(receive, app):
        assert app.test_client().get("/").status_code == 200
    assert calls == ["/"]


def test_signals_are_blinker_signals_with_flask_names() -> None:
    for name in SIGNAL_NAMES:
        assert getattr(erlen, name).name == getattr(flask, name).name
