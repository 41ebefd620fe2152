"""Tests for erlen.testing: EnvironBuilder, ErlenClient and ErlenCliRunner.

Where the behaviour is subtle, the same scenario runs on real Flask and on
erlen (the ``fw`` fixture is the framework module) and both must agree.
"""

from __future__ import annotations

import datetime
import importlib.metadata
import typing as t
from io import BytesIO
from types import ModuleType

import click
import flask
import pytest
import werkzeug
import werkzeug.test
from werkzeug.wrappers import Request as WerkzeugRequest

import erlen
from erlen import Erlen
from erlen import g
from erlen import request
from erlen import session
from erlen.testing import EnvironBuilder
from erlen.testing import ErlenClient
from erlen.testing import ErlenCliRunner

WERKZEUG_VERSION = importlib.metadata.version("werkzeug")


def make_app(
    fw: ModuleType, app_kwargs: dict[str, t.Any] | None = None, **config: t.Any
) -> Erlen:
    """Create a Flask or erlen app (by framework module) with ``config``.

    Typed as :class:`Erlen` for mypy; a Flask app has the same surface.
    """
    app_class = fw.Flask if fw is flask else fw.Erlen
    app = t.cast(Erlen, app_class(__name__, **(app_kwargs or {})))
    app.config.update(TESTING=True, SECRET_KEY="test key", **config)
    return app


@pytest.fixture(params=[erlen, flask], ids=["erlen", "flask"])
def fw(request: pytest.FixtureRequest) -> ModuleType:
    return t.cast(ModuleType, request.param)


@pytest.fixture
def app() -> Erlen:
    app = Erlen(__name__)
    app.config.update(TESTING=True, SECRET_KEY="test key")
    return app


@pytest.fixture
def client(app: Erlen) -> ErlenClient:
    return app.test_client()


# --- the client object ------------------------------------------------------


def test_client_type_and_application(app: Erlen) -> None:
    client = app.test_client()
    assert isinstance(client, ErlenClient)
    assert isinstance(client, werkzeug.test.Client)
    assert client.application is app
    assert client.preserve_context is False
    assert repr(client) == f"<ErlenClient {app!r}>"


def test_custom_test_client_class(app: Erlen) -> None:
    class MyClient(ErlenClient):
        def __init__(self, *args: t.Any, token: str = "", **kwargs: t.Any) -> None:
            super().__init__(*args, **kwargs)
            self.token = token

    app.test_client_class = MyClient

    @app.route("/")
    def index() -> str:
        return "ok"

    client = app.test_client(token="abc")
    assert isinstance(client, MyClient)
    assert client.token == "abc"
    assert client.get("/").data == b"ok"


def test_environ_base_defaults(fw: ModuleType) -> None:
    app = make_app(fw)

    @app.route("/")
    def index() -> dict[str, t.Any]:
        return {
            "addr": fw.request.remote_addr,
            "agent": fw.request.user_agent.string,
        }

    client = app.test_client()
    assert client.environ_base == {
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_USER_AGENT": f"Werkzeug/{WERKZEUG_VERSION}",
    }
    assert client.get("/").get_json() == {
        "addr": "127.0.0.1",
        "agent": f"Werkzeug/{WERKZEUG_VERSION}",
    }


def test_environ_base_overrides(fw: ModuleType) -> None:
    app = make_app(fw)

    @app.route("/")
    def index() -> dict[str, t.Any]:
        return {
            "addr": fw.request.remote_addr,
            "agent": fw.request.user_agent.string,
            "extra": fw.request.environ.get("my.key"),
        }

    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = "10.0.0.1"
    client.environ_base["HTTP_USER_AGENT"] = "Tester/1"
    assert client.get("/").get_json() == {
        "addr": "10.0.0.1",
        "agent": "Tester/1",
        "extra": None,
    }

    # Per-request environ_base is merged over the client's defaults.
    rv = client.get("/", environ_base={"REMOTE_ADDR": "1.2.3.4", "my.key": "v"})
    assert rv.get_json() == {"addr": "1.2.3.4", "agent": "Tester/1", "extra": "v"}

    # environ_overrides wins over both.
    rv = client.get(
        "/",
        environ_base={"REMOTE_ADDR": "1.2.3.4"},
        environ_overrides={"REMOTE_ADDR": "5.6.7.8"},
    )
    assert rv.get_json()["addr"] == "5.6.7.8"


# --- request bodies ---------------------------------------------------------


def test_json_post(fw: ModuleType) -> None:
    app = make_app(fw)

    @app.post("/echo")
    def echo() -> dict[str, t.Any]:
        return {
            "json": fw.request.get_json(),
            "raw": fw.request.get_data(as_text=True),
            "mimetype": fw.request.mimetype,
        }

    rv = app.test_client().post(
        "/echo", json={"b": [1, 2], "a": None, "d": datetime.date(2020, 1, 2)}
    )
    assert rv.status_code == 200
    data = rv.get_json()
    assert data["json"] == {
        "a": None,
        "b": [1, 2],
        "d": "Thu, 02 Jan 2020 00:00:00 GMT",
    }
    # Serialised by app.json: keys sorted, dates in HTTP date format.
    assert (
        data["raw"] == '{"a": null, "b": [1, 2], "d": "Thu, 02 Jan 2020 00:00:00 GMT"}'
    )
    assert data["mimetype"] == "application/json"


def test_json_uses_app_json_provider(fw: ModuleType) -> None:
    app = make_app(fw)

    class Provider(fw.json.provider.DefaultJSONProvider):  # type: ignore[misc, name-defined]
        def dumps(self, obj: t.Any, **kwargs: t.Any) -> str:
            return "[" + str(super().dumps(obj, **kwargs)) + "]"

        def loads(self, s: str | bytes, **kwargs: t.Any) -> t.Any:
            return {"wrapped": super().loads(s, **kwargs)}

    app.json = Provider(app)

    @app.post("/")
    def index() -> str:
        return str(fw.request.get_data(as_text=True))

    rv = app.test_client().post("/", json={"x": 1})
    assert rv.text == '[{"x": 1}]'
    # The response decodes with the app's provider too.
    assert rv.get_json(force=True) == {"wrapped": [{"x": 1}]}


def test_json_and_data_conflict(app: Erlen) -> None:
    with pytest.raises(TypeError):
        app.test_client().post("/", json={"a": 1}, data="x")


def test_form_data(fw: ModuleType) -> None:
    app = make_app(fw)

    @app.post("/form")
    def form() -> dict[str, t.Any]:
        return {
            "form": fw.request.form.to_dict(flat=False),
            "mimetype": fw.request.mimetype,
        }

    rv = app.test_client().post("/form", data={"name": "ada", "tags": ["a", "b"]})
    assert rv.get_json() == {
        "form": {"name": ["ada"], "tags": ["a", "b"]},
        "mimetype": "application/x-www-form-urlencoded",
    }


def test_file_upload(fw: ModuleType) -> None:
    app = make_app(fw)

    @app.post("/upload")
    def upload() -> dict[str, t.Any]:
        files = fw.request.files.getlist("file")
        return {
            "files": [[f.filename, f.read().decode(), f.mimetype] for f in files],
            "field": fw.request.form["field"],
            "mimetype": fw.request.mimetype,
        }

    rv = app.test_client().post(
        "/upload",
        data={
            "file": [
                (BytesIO(b"hello"), "hello.txt"),
                (BytesIO(b"{}"), "data.json", "application/json"),
            ],
            "field": "value",
        },
    )
    assert rv.get_json() == {
        "files": [
            ["hello.txt", "hello", "text/plain"],
            ["data.json", "{}", "application/json"],
        ],
        "field": "value",
        "mimetype": "multipart/form-data",
    }


def test_raw_data_and_content_type(app: Erlen, client: ErlenClient) -> None:
    @app.put("/raw")
    def raw() -> dict[str, t.Any]:
        return {"data": request.get_data(as_text=True), "type": request.content_type}

    rv = client.put("/raw", data="plain text", content_type="text/plain")
    assert rv.get_json() == {"data": "plain text", "type": "text/plain"}


def test_headers_query_and_methods(app: Erlen, client: ErlenClient) -> None:
    @app.route("/info", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
    def info() -> dict[str, t.Any]:
        return {
            "method": request.method,
            "token": request.headers.get("X-Token"),
            "args": request.args.to_dict(flat=False),
        }

    rv = client.get("/info?a=1&a=2&b=x", headers={"X-Token": "abc"})
    assert rv.get_json() == {
        "method": "GET",
        "token": "abc",
        "args": {"a": ["1", "2"], "b": ["x"]},
    }
    rv = client.get("/info", query_string={"q": "v"}, headers=[("X-Token", "t")])
    assert rv.get_json()["args"] == {"q": ["v"]}
    assert rv.get_json()["token"] == "t"

    for method in ("post", "put", "patch", "delete"):
        assert getattr(client, method)("/info").get_json()["method"] == method.upper()
    assert client.open("/info", method="PATCH").get_json()["method"] == "PATCH"
    assert client.head("/info").data == b""


def test_auth_tuple(app: Erlen, client: ErlenClient) -> None:
    @app.route("/")
    def index() -> str:
        auth = request.authorization
        assert auth is not None
        return f"{auth.username}:{auth.password}"

    assert client.get("/", auth=("user", "pw")).text == "user:pw"


def test_buffered_streaming_response(app: Erlen, client: ErlenClient) -> None:
    closed: list[bool] = []

    class Body:
        def __iter__(self) -> t.Iterator[bytes]:
            yield b"a"
            yield b"b"

        def close(self) -> None:
            closed.append(True)

    @app.route("/")
    def index() -> t.Any:
        return app.response_class(Body())

    rv = client.get("/", buffered=True)
    assert closed == [True]
    assert rv.data == b"ab"


# --- open() with prepared requests -------------------------------------------


def test_open_with_environ_builder(fw: ModuleType) -> None:
    app = make_app(fw)

    @app.route("/b", methods=["GET", "POST"])
    def b() -> dict[str, t.Any]:
        return {
            "method": fw.request.method,
            "url": fw.request.url,
            "addr": fw.request.remote_addr,
            "json": fw.request.get_json(silent=True),
        }

    builder = fw.testing.EnvironBuilder(app, "/b", method="POST", json={"k": 1})
    client = app.test_client()
    rv = client.open(builder)
    assert rv.get_json() == {
        "method": "POST",
        "url": "http://localhost/b",
        "addr": "127.0.0.1",
        "json": {"k": 1},
    }
    # The caller's builder is not changed by the client's defaults.
    assert builder.environ_base is None

    # A plain Werkzeug builder works too.
    wbuilder = werkzeug.test.EnvironBuilder("/b", base_url="http://example.org/")
    assert client.open(wbuilder).get_json()["url"] == "http://example.org/b"

    # Extra builder arguments next to a builder are ignored, as in Flask.
    rv = client.open(fw.testing.EnvironBuilder(app, "/b"), method="POST")
    assert rv.get_json()["method"] == "GET"


def test_open_with_environ_dict_and_request(fw: ModuleType) -> None:
    app = make_app(fw)

    @app.route("/x")
    def x() -> dict[str, t.Any]:
        return {"url": fw.request.url, "addr": fw.request.remote_addr}

    environ = werkzeug.test.create_environ("/x?a=1", "http://example.com/")
    client = app.test_client()
    rv = client.open(environ)
    # Client defaults fill what the environ lacks; the environ's values win.
    assert rv.get_json() == {"url": "http://example.com/x?a=1", "addr": "127.0.0.1"}

    # The environ is turned back into a builder: its request line, headers
    # and body are kept, other keys are not (as in Flask).
    environ = werkzeug.test.create_environ("/x", headers={"X-A": "1"})
    environ["REMOTE_ADDR"] = "9.9.9.9"
    environ["my.key"] = "v"
    rv = client.open(environ)
    assert rv.request.headers["X-A"] == "1"
    assert rv.get_json()["addr"] == "127.0.0.1"
    assert "my.key" not in rv.request.environ

    req = WerkzeugRequest(werkzeug.test.create_environ("/x", "https://h.test/"))
    assert client.open(req).get_json() == {
        "url": "https://h.test/x",
        "addr": "127.0.0.1",
    }
    # The passed request object is copied, not changed.
    assert "REMOTE_ADDR" not in req.environ


# --- cookies ----------------------------------------------------------------


def test_cookies_kept_between_requests(fw: ModuleType) -> None:
    app = make_app(fw)

    @app.route("/set")
    def set_cookie() -> t.Any:
        rv = app.make_response("set")
        rv.set_cookie("flavour", "oat")
        return rv

    @app.route("/get")
    def get_cookie() -> dict[str, str]:
        return dict(fw.request.cookies)

    @app.route("/del")
    def del_cookie() -> t.Any:
        rv = app.make_response("deleted")
        rv.delete_cookie("flavour")
        return rv

    client = app.test_client()
    assert client.get("/get").get_json() == {}
    client.get("/set")
    cookie = client.get_cookie("flavour")
    assert cookie is not None
    assert cookie.value == "oat"
    assert cookie.domain == "localhost"
    assert client.get("/get").get_json() == {"flavour": "oat"}

    client.set_cookie("extra", "1")
    assert client.get("/get").get_json() == {"flavour": "oat", "extra": "1"}
    client.delete_cookie("extra")
    client.get("/del")
    assert client.get_cookie("flavour") is None
    assert client.get("/get").get_json() == {}


def test_cookies_disabled(app: Erlen) -> None:
    @app.route("/set")
    def set_cookie() -> t.Any:
        rv = app.make_response("set")
        rv.set_cookie("a", "b")
        return rv

    @app.route("/get")
    def get_cookie() -> dict[str, str]:
        return dict(request.cookies)

    client = app.test_client(use_cookies=False)
    client.get("/set")
    assert client.get("/get").get_json() == {}
    with pytest.raises(TypeError, match="Cookies are disabled"):
        client.get_cookie("a")


# --- redirects --------------------------------------------------------------


def test_follow_redirects(fw: ModuleType) -> None:
    app = make_app(fw)

    @app.route("/a")
    def a() -> t.Any:
        return fw.redirect(fw.url_for("b"))

    @app.route("/b")
    def b() -> t.Any:
        return fw.redirect("/c?x=1", code=301)

    @app.route("/c")
    def c() -> str:
        return f"c {fw.request.args['x']}"

    client = app.test_client()
    rv = client.get("/a")
    assert rv.status_code == 302
    assert rv.location == "/b"
    assert rv.history == ()

    rv = client.get("/a", follow_redirects=True)
    assert rv.status_code == 200
    assert rv.text == "c 1"
    assert rv.request.path == "/c"
    assert [r.status_code for r in rv.history] == [302, 301]
    assert [r.request.path for r in rv.history] == ["/a", "/b"]


def test_follow_redirect_method_and_body(fw: ModuleType) -> None:
    app = make_app(fw)

    @app.post("/start/<int:code>")
    def start(code: int) -> t.Any:
        return fw.redirect("/end", code=code)

    @app.route("/end", methods=["GET", "POST"])
    def end() -> str:
        return f"{fw.request.method} {fw.request.get_data(as_text=True)}"

    client = app.test_client()
    assert client.post("/start/302", data="body", follow_redirects=True).text == "GET "
    assert client.post("/start/303", data="body", follow_redirects=True).text == "GET "
    assert (
        client.post("/start/307", data="body", follow_redirects=True).text
        == "POST body"
    )


def test_redirect_loop_and_external(app: Erlen, client: ErlenClient) -> None:
    @app.route("/loop")
    def loop() -> t.Any:
        return erlen.redirect("/loop")

    @app.route("/ext")
    def ext() -> t.Any:
        return erlen.redirect("https://example.org/")

    with pytest.raises(werkzeug.test.ClientRedirectError):
        client.get("/loop", follow_redirects=True)
    with pytest.raises(RuntimeError, match="external redirects"):
        client.get("/ext", follow_redirects=True)


def test_follow_redirects_under_application_root(fw: ModuleType) -> None:
    app = make_app(fw, APPLICATION_ROOT="/app")

    @app.route("/from")
    def from_() -> t.Any:
        return fw.redirect(fw.url_for("to"))

    @app.route("/to")
    def to() -> str:
        return f"{fw.request.full_path} {fw.request.script_root}"

    rv = app.test_client().get("/from", follow_redirects=True)
    assert rv.history[0].location == "/app/to"
    assert rv.text == "/to? /app"


# --- session_transaction ----------------------------------------------------


def test_session_transaction(fw: ModuleType) -> None:
    app = make_app(fw)

    @app.route("/")
    def index() -> dict[str, t.Any]:
        return dict(fw.session)

    @app.route("/set")
    def set_value() -> str:
        fw.session["from_view"] = 42
        return ""

    client = app.test_client()
    with client.session_transaction() as sess:
        assert len(sess) == 0
        sess["user"] = "ada"

    assert client.get("/").get_json() == {"user": "ada"}

    client.get("/set")
    with client.session_transaction() as sess:
        assert dict(sess) == {"user": "ada", "from_view": 42}
        del sess["user"]

    assert client.get("/").get_json() == {"from_view": 42}

    # Unchanged transaction keeps the session as it was.
    with client.session_transaction() as sess:
        assert sess["from_view"] == 42
    assert client.get("/").get_json() == {"from_view": 42}

    # Clearing the session deletes the cookie.
    with client.session_transaction() as sess:
        sess.clear()
    assert client.get_cookie("session") is None
    assert client.get("/").get_json() == {}


def test_session_transaction_with_server_name_and_root(fw: ModuleType) -> None:
    app = make_app(fw, SERVER_NAME="example.com", APPLICATION_ROOT="/app")

    @app.route("/")
    def index() -> dict[str, t.Any]:
        return dict(fw.session)

    client = app.test_client()
    with client.session_transaction() as sess:
        sess["k"] = "v"

    cookie = client.get_cookie("session", domain="example.com", path="/app")
    assert cookie is not None
    assert client.get("/").get_json() == {"k": "v"}


def test_session_transaction_arguments(fw: ModuleType) -> None:
    app = make_app(fw)

    @app.route("/")
    def index() -> dict[str, t.Any]:
        return dict(fw.session)

    client = app.test_client()
    # Arguments go to app.test_request_context(), so the session cookie is
    # stored for that host.
    with client.session_transaction("/x", base_url="http://other.test/") as sess:
        sess["k"] = 1

    assert client.get_cookie("session", domain="other.test") is not None
    assert client.get("/").get_json() == {}
    assert client.get("/", base_url="http://other.test/").get_json() == {"k": 1}


def test_session_transaction_no_secret_key(fw: ModuleType) -> None:
    app = make_app(fw)
    app.secret_key = None
    client = app.test_client()
    with pytest.raises(RuntimeError, match="Session backend did not open a session"):
        with client.session_transaction():
            pass


def test_session_transaction_cookies_disabled(fw: ModuleType) -> None:
    app = make_app(fw)
    client = app.test_client(use_cookies=False)
    # COMPAT: Flask raises TypeError here, not RuntimeError.
    with pytest.raises(TypeError, match="Cookies are disabled"):
        with client.session_transaction():
            pass


def test_session_transaction_null_session(fw: ModuleType) -> None:
    app = make_app(fw)

    class NullInterface(fw.sessions.SecureCookieSessionInterface):  # type: ignore[misc, name-defined]
        def open_session(self, app: t.Any, request: t.Any) -> t.Any:
            return self.make_null_session(app)

    app.session_interface = NullInterface()
    client = app.test_client()
    with client.session_transaction() as sess:
        assert sess is not None
    # A null session is never saved.
    assert client.get_cookie("session") is None


def test_session_transaction_not_in_request_context(client: ErlenClient) -> None:
    with client.session_transaction():
        assert not erlen.has_request_context()


# --- context preservation ---------------------------------------------------


def test_with_client_preserves_request(app: Erlen, client: ErlenClient) -> None:
    @app.route("/")
    def index() -> str:
        g.value = "from view"
        session["seen"] = True
        return "ok"

    @app.route("/other")
    def other() -> str:
        return "other"

    with client:
        assert client.preserve_context
        client.get("/?q=1")
        assert request.args["q"] == "1"
        assert request.path == "/"
        assert session["seen"] is True
        assert g.value == "from view"
        assert erlen.current_app == app

        # The next request replaces the preserved contexts.
        client.get("/other")
        assert request.path == "/other"
        assert "value" not in g

    assert not client.preserve_context
    assert not erlen.has_request_context()
    assert not erlen.has_app_context()
    with pytest.raises(RuntimeError, match="Working outside of request context"):
        request.path  # noqa: B018


def test_no_context_left_without_with(app: Erlen, client: ErlenClient) -> None:
    @app.route("/")
    def index() -> str:
        return "ok"

    client.get("/")
    assert not erlen.has_request_context()
    assert not erlen.has_app_context()


def test_nested_with_client(client: ErlenClient) -> None:
    with client:
        with pytest.raises(RuntimeError, match="Cannot nest client invocations"):
            with client:
                pass
    # Still usable after the error.
    with client:
        pass


def test_with_client_follow_redirects_keeps_last_request(fw: ModuleType) -> None:
    app = make_app(fw)

    @app.route("/a")
    def a() -> t.Any:
        return fw.redirect("/b")

    @app.route("/b")
    def b() -> str:
        return "b"

    with app.test_client() as client:
        client.get("/a", follow_redirects=True)
        assert fw.request.path == "/b"
    assert not fw.has_request_context()


def test_with_client_teardown_parity(fw: ModuleType) -> None:
    """Teardown callbacks run as often as under Flask when contexts are kept."""
    app = make_app(fw)
    calls: list[str] = []

    @app.teardown_request
    def td_request(exc: BaseException | None) -> None:
        calls.append("request")

    @app.teardown_appcontext
    def td_app(exc: BaseException | None) -> None:
        calls.append("app")

    @app.route("/")
    def index() -> str:
        calls.append("view")
        return "ok"

    with app.test_client() as client:
        client.get("/")
        calls.append("after 1")
        client.get("/")
        calls.append("after 2")
    calls.append("end")

    assert calls == [
        "view",
        "request",
        "app",
        "after 1",
        "request",
        "app",
        "view",
        "request",
        "app",
        "after 2",
        "request",
        "app",
        "end",
    ]


def test_with_client_exception_releases_context(fw: ModuleType) -> None:
    app = make_app(fw)

    @app.route("/")
    def index() -> str:
        return "ok"

    with pytest.raises(ZeroDivisionError):
        with app.test_client() as client:
            client.get("/")
            assert fw.has_request_context()
            1 / 0  # noqa: B018
    assert not fw.has_request_context()


# --- base URLs --------------------------------------------------------------

URL_CASES: list[tuple[dict[str, t.Any], dict[str, t.Any], str]] = [
    ({}, {}, "http://localhost/"),
    ({"SERVER_NAME": "example.com"}, {}, "http://example.com/"),
    ({"SERVER_NAME": "example.com:8080"}, {}, "http://example.com:8080/"),
    ({"APPLICATION_ROOT": "/root"}, {}, "http://localhost/root/"),
    ({"APPLICATION_ROOT": "/root/"}, {}, "http://localhost/root/"),
    ({"PREFERRED_URL_SCHEME": "https"}, {}, "https://localhost/"),
    (
        {
            "SERVER_NAME": "example.com",
            "APPLICATION_ROOT": "/api",
            "PREFERRED_URL_SCHEME": "https",
        },
        {"subdomain": "v1"},
        "https://v1.example.com/api/",
    ),
    ({}, {"subdomain": "sub"}, "http://sub.localhost/"),
    ({"PREFERRED_URL_SCHEME": "https"}, {"url_scheme": "http"}, "http://localhost/"),
    (
        {"SERVER_NAME": "example.com"},
        {"base_url": "https://b.test/x"},
        "https://b.test/x/",
    ),
    ({}, {"path": "https://full.test/p"}, "https://full.test/"),
]


@pytest.mark.parametrize(("config", "kwargs", "expected"), URL_CASES)
def test_environ_builder_base_url(
    fw: ModuleType, config: dict[str, t.Any], kwargs: dict[str, t.Any], expected: str
) -> None:
    app = make_app(fw, **config)
    builder = fw.testing.EnvironBuilder(app, **kwargs)
    try:
        assert builder.base_url == expected
    finally:
        builder.close()


def test_environ_builder_query_in_path(fw: ModuleType) -> None:
    app = make_app(fw, SERVER_NAME="example.com", APPLICATION_ROOT="/r")
    builder = fw.testing.EnvironBuilder(app, "/p?a=1&b=two")
    assert builder.path == "/p"
    assert builder.query_string == "a=1&b=two"
    environ = builder.get_environ()
    assert environ["SCRIPT_NAME"] == "/r"
    assert environ["PATH_INFO"] == "/p"
    assert environ["QUERY_STRING"] == "a=1&b=two"
    assert environ["HTTP_HOST"] == "example.com"

    builder = fw.testing.EnvironBuilder(app, "https://o.test/q?x=1")
    assert builder.base_url == "https://o.test/r/"
    assert builder.path == "/q"
    assert builder.query_string == "x=1"


def test_environ_builder_errors(fw: ModuleType) -> None:
    app = make_app(fw)
    for kwargs in ({"subdomain": "x"}, {"url_scheme": "https"}):
        with pytest.raises(AssertionError, match="Cannot pass"):
            fw.testing.EnvironBuilder(app, base_url="http://a.test/", **kwargs)
    with pytest.raises(ValueError, match="Query string is defined"):
        fw.testing.EnvironBuilder(app, "/p?a=1", query_string="b=2")


def test_environ_builder_json(fw: ModuleType) -> None:
    app = make_app(fw)
    builder = fw.testing.EnvironBuilder(
        app, json={"z": 1, "a": datetime.date(2021, 5, 6)}
    )
    assert builder.json_dumps([1]) == "[1]"
    environ = builder.get_environ()
    assert environ["CONTENT_TYPE"] == "application/json"
    body = environ["wsgi.input"].read()
    assert body == b'{"a": "Thu, 06 May 2021 00:00:00 GMT", "z": 1}'
    assert environ["CONTENT_LENGTH"] == str(len(body))


def test_environ_builder_is_werkzeug_builder(app: Erlen) -> None:
    builder = EnvironBuilder(app, "/x", method="POST", headers={"X-A": "1"})
    assert isinstance(builder, werkzeug.test.EnvironBuilder)
    assert builder.app is app
    req = builder.get_request()
    assert req.method == "POST"
    assert req.headers["X-A"] == "1"
    assert req.url == "http://localhost/x"


@pytest.mark.parametrize(
    ("config", "kwargs", "expected"),
    [
        (
            {"SERVER_NAME": "example.com"},
            {},
            ["http://example.com/where", "example.com", ""],
        ),
        (
            {"SERVER_NAME": "example.com", "APPLICATION_ROOT": "/app"},
            {},
            ["http://example.com/app/where", "example.com", "/app"],
        ),
        (
            {"SERVER_NAME": "example.com", "PREFERRED_URL_SCHEME": "https"},
            {"subdomain": "api"},
            ["https://api.example.com/where", "api.example.com", ""],
        ),
        (
            {},
            {"base_url": "http://b.test:81/"},
            ["http://b.test:81/where", "b.test:81", ""],
        ),
    ],
)
def test_client_base_url(
    fw: ModuleType,
    config: dict[str, t.Any],
    kwargs: dict[str, t.Any],
    expected: list[str],
) -> None:
    app = make_app(fw, {"subdomain_matching": True}, **config)

    @app.route("/where", subdomain=kwargs.get("subdomain"))
    def where() -> list[str]:
        return [fw.request.url, fw.request.host, fw.request.script_root]

    rv = app.test_client().get("/where", **kwargs)
    assert rv.status_code == 200
    assert rv.get_json() == expected


def test_test_request_context_base_url(fw: ModuleType) -> None:
    app = make_app(
        fw,
        SERVER_NAME="example.com",
        APPLICATION_ROOT="/r",
        PREFERRED_URL_SCHEME="https",
    )
    with app.test_request_context("/p?x=1", subdomain="s", method="POST"):
        assert fw.request.url == "https://s.example.com/r/p?x=1"
        assert fw.request.method == "POST"
        assert fw.request.args["x"] == "1"


# --- CLI runner -------------------------------------------------------------


def test_cli_runner_invokes_app_command(app: Erlen) -> None:
    @app.cli.command("hello")
    @click.option("--name", default="World")
    def hello(name: str) -> None:
        click.echo(f"Hello, {name}! ({erlen.current_app.name})")

    runner = app.test_cli_runner()
    assert isinstance(runner, ErlenCliRunner)
    assert runner.app is app

    result = runner.invoke(args=["hello"])
    assert result.exit_code == 0, result.output
    assert result.output == f"Hello, World! ({app.name})\n"

    result = runner.invoke(args=["hello", "--name", "Ada"])
    assert result.output == f"Hello, Ada! ({app.name})\n"

    result = runner.invoke(args="hello --name Bob")
    assert result.output == f"Hello, Bob! ({app.name})\n"


def test_cli_runner_parity(fw: ModuleType) -> None:
    app = make_app(fw)

    @app.cli.command("where")
    def where() -> None:
        click.echo(fw.current_app.name)

    result = app.test_cli_runner().invoke(args=["where"])
    assert result.exit_code == 0, result.output
    assert result.output == f"{app.name}\n"

    result = app.test_cli_runner().invoke(args=["missing"])
    assert result.exit_code == 2


def test_cli_runner_explicit_command_and_obj(app: Erlen) -> None:
    @click.command()
    @click.argument("word")
    @click.pass_obj
    def shout(obj: t.Any, word: str) -> None:
        click.echo(f"{word.upper()} {type(obj).__name__}")

    runner = ErlenCliRunner(app)
    result = runner.invoke(shout, ["hey"])
    assert result.output == "HEY ScriptInfo\n"
    assert result.exit_code == 0

    result = runner.invoke(shout, ["hey"], obj={"custom": True})
    assert result.output == "HEY dict\n"


def test_cli_runner_script_info_loads_app(app: Erlen) -> None:
    @click.command()
    @click.pass_obj
    def show(obj: t.Any) -> None:
        click.echo(str(obj.load_app() is app))

    assert ErlenCliRunner(app).invoke(show).output == "True\n"


def test_custom_cli_runner_class(app: Erlen) -> None:
    class MyRunner(ErlenCliRunner):
        pass

    app.test_cli_runner_class = MyRunner
    runner = app.test_cli_runner(env={"X": "1"})
    assert isinstance(runner, MyRunner)
    assert runner.env == {"X": "1"}
