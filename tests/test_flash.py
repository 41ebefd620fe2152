"""Message flashing: ``flash``, ``get_flashed_messages`` and ``message_flashed``.

Tests run against erlen and real Flask (``fw``); the session cookie written
by one framework is also read by the other.
"""

from __future__ import annotations

import typing as t

import flask
import pytest
from markupsafe import Markup

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


@pytest.fixture(params=list(FRAMEWORKS))
def fw(request: pytest.FixtureRequest) -> FW:
    return FW(request.param)


def flash_app(fw: FW) -> t.Any:
    app = fw.App(__name__)
    app.config.update(TESTING=True, SECRET_KEY="flash-secret")
    mod = fw.mod

    @app.route("/flash")
    def do_flash() -> t.Any:
        mod.flash("plain")
        mod.flash("careful", "warning")
        mod.flash(mod.request.args.get("msg", "broken"), "error")
        return mod.redirect(mod.url_for("show"))

    @app.route("/show")
    def show() -> t.Any:
        args = mod.request.args
        categories = args.getlist("c")
        return mod.jsonify(
            mod.get_flashed_messages(
                with_categories="with" in args, category_filter=categories
            )
        )

    @app.route("/twice")
    def twice() -> t.Any:
        first = mod.get_flashed_messages(with_categories=True)
        second = mod.get_flashed_messages(category_filter=["error"])
        third = mod.get_flashed_messages()
        return mod.jsonify([first, second, third])

    @app.route("/template")
    def template() -> str:
        return mod.render_template_string(  # type: ignore[no-any-return]
            "{% with msgs = get_flashed_messages(with_categories=true) %}"
            "{% for cat, msg in msgs %}[{{ cat }}:{{ msg }}]{% endfor %}"
            "{% endwith %}"
            "|{{ get_flashed_messages(category_filter=['warning'])|join(',') }}"
        )

    @app.route("/markup")
    def markup() -> t.Any:
        mod.flash(Markup("<b>bold</b>"))
        mod.flash("<i>escaped</i>")
        return mod.redirect("/template")

    return app


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["plain", "careful", "broken"]),
        ("?with=1", [["message", "plain"], ["warning", "careful"], ["error", "broken"]]),
        ("?c=error", ["broken"]),
        ("?c=error&c=message", ["plain", "broken"]),
        ("?with=1&c=warning", [["warning", "careful"]]),
        ("?c=none", []),
    ],
)
def test_flash_across_redirect(fw: FW, query: str, expected: list[t.Any]) -> None:
    client = flash_app(fw).test_client()
    response = client.get("/flash")
    assert response.status_code == 302
    assert response.headers["Location"] == "/show"
    assert client.get("/show" + query).json == expected
    # Consumed: the next request sees nothing, whatever the filter was.
    assert client.get("/show").json == []


def test_follow_redirects(fw: FW) -> None:
    client = flash_app(fw).test_client()
    response = client.get("/flash?msg=oops", follow_redirects=True)
    assert response.json == ["plain", "careful", "oops"]


def test_repeated_calls_in_one_request(fw: FW) -> None:
    client = flash_app(fw).test_client()
    client.get("/flash")
    assert client.get("/twice").json == [
        [["message", "plain"], ["warning", "careful"], ["error", "broken"]],
        ["broken"],
        ["plain", "careful", "broken"],
    ]


def test_flashes_in_template(fw: FW) -> None:
    client = flash_app(fw).test_client()
    client.get("/flash?msg=<script>")
    assert client.get("/template").data == (
        b"[message:plain][warning:careful][error:&lt;script&gt;]|careful"
    )
    assert client.get("/template").data == b"|"


def test_markup_survives_the_session(fw: FW) -> None:
    client = flash_app(fw).test_client()
    response = client.get("/markup", follow_redirects=True)
    assert response.data == (
        b"[message:<b>bold</b>][message:&lt;i&gt;escaped&lt;/i&gt;]|"
    )


def test_no_flashes_no_session_cookie(fw: FW) -> None:
    client = flash_app(fw).test_client()
    response = client.get("/show")
    assert response.json == []
    assert "Set-Cookie" not in response.headers


def test_consuming_flashes_clears_cookie(fw: FW) -> None:
    client = flash_app(fw).test_client()
    assert "session=" in client.get("/flash").headers["Set-Cookie"]
    cleared = client.get("/show").headers["Set-Cookie"]
    assert cleared.startswith("session=;")
    assert "Expires=Thu, 01 Jan 1970" in cleared


def test_flash_in_test_request_context(fw: FW) -> None:
    app = flash_app(fw)
    with app.test_request_context():
        fw.mod.flash("one", "info")
        assert fw.mod.session["_flashes"] == [("info", "one")]
        assert fw.mod.get_flashed_messages(with_categories=True) == [("info", "one")]
        assert "_flashes" not in fw.mod.session


def test_flash_without_secret_key(fw: FW) -> None:
    app = fw.App(__name__)
    with app.test_request_context():
        with pytest.raises(RuntimeError, match="secret key"):
            fw.mod.flash("nope")
        assert fw.mod.get_flashed_messages() == []


@pytest.mark.parametrize(("writer", "reader"), [("erlen", "flask"), ("flask", "erlen")])
def test_flash_cookie_interchange(writer: str, reader: str) -> None:
    write_client = flash_app(FW(writer)).test_client()
    write_client.get("/flash?msg=across")
    cookie = write_client.get_cookie("session")
    assert cookie is not None
    read_client = flash_app(FW(reader)).test_client()
    read_client.set_cookie("session", cookie.value)
    assert read_client.get("/show?with=1").json == [
        ["message", "plain"],
        ["warning", "careful"],
        ["error", "across"],
    ]


def test_message_flashed_signal(fw: FW) -> None:
    app = flash_app(fw)
    recorded: list[tuple[t.Any, dict[str, t.Any]]] = []

    def record(sender: t.Any, **kwargs: t.Any) -> None:
        recorded.append((sender, kwargs))

    with fw.mod.message_flashed.connected_to(record, app):
        app.test_client().get("/flash?msg=sig")
    assert [(sender is app, kwargs) for sender, kwargs in recorded] == [
        (True, {"message": "plain", "category": "message"}),
        (True, {"message": "careful", "category": "warning"}),
        (True, {"message": "sig", "category": "error"}),
    ]
