"""The same requests through the WSGI and the ASGI front give identical responses.

Each scenario runs on a fresh app through ``app.test_client()`` and through
``app.test_client(asgi=True)``; status, headers (names compared case-blind:
ASGI sends them lower-case), body and the client's cookies must match.
"""

from __future__ import annotations

import io
import re
import typing as t
from pathlib import Path

import pytest

import erlen
from erlen import abort
from erlen import after_this_request
from erlen import flash
from erlen import get_flashed_messages
from erlen import jsonify
from erlen import make_response
from erlen import redirect
from erlen import render_template_string
from erlen import request
from erlen import session
from erlen import url_for

HERE = Path(__file__).parent


def build_app() -> erlen.Erlen:  # noqa: C901 - one app with a view per scenario
    app = erlen.Erlen(__name__, static_folder=str(HERE.parent / "static_files"))
    app.config.update(SECRET_KEY="parity", MAX_CONTENT_LENGTH=4096)
    bp = erlen.Blueprint("shop", __name__, url_prefix="/shop")

    @app.route("/")
    def index() -> str:
        return "hello"

    @app.route("/json", methods=["GET", "POST"])
    def json_view() -> t.Any:
        return jsonify(args=request.args.to_dict(flat=False), json=request.get_json(silent=True))

    @app.route("/tuple")
    def tuple_view() -> t.Any:
        return "made", 201, {"X-Custom": "1", "Content-Type": "text/plain"}

    @app.route("/redirect")
    def go() -> t.Any:
        return redirect(url_for("index", q="ü"))

    @app.route("/slash/")
    def slash() -> str:
        return "slash"

    @app.route("/abort/<int:code>")
    def do_abort(code: int) -> str:
        abort(code)

    @app.route("/teapot")
    def teapot() -> str:
        raise LookupError("nothing")

    @app.errorhandler(LookupError)
    def on_lookup(e: LookupError) -> t.Any:
        return {"error": str(e)}, 418

    @app.route("/cookies")
    def cookies() -> t.Any:
        rv = make_response("cookies")
        rv.set_cookie("flag", "on", max_age=60, httponly=True, samesite="Lax")
        rv.delete_cookie("gone")
        return rv

    @app.route("/session/<value>")
    def set_session(value: str) -> str:
        session["value"] = value
        session.permanent = value == "permanent"
        flash(f"saved {value}")
        return "saved"

    @app.route("/session")
    def read_session() -> t.Any:
        return {"value": session.get("value"), "flashes": get_flashed_messages()}

    @app.route("/form", methods=["POST"])
    def form() -> t.Any:
        files = {k: (f.filename, len(f.read())) for k, f in request.files.items()}
        return {"form": request.form.to_dict(flat=False), "files": files}

    @app.route("/hooks")
    def hooks() -> str:
        @after_this_request
        def add(response: erlen.Response) -> erlen.Response:
            response.headers["X-This-Request"] = "1"
            return response

        return "hooks"

    @app.after_request
    def after(response: erlen.Response) -> erlen.Response:
        response.headers["X-After"] = request.path
        return response

    @app.route("/stream")
    def stream() -> t.Any:
        def generate() -> t.Iterator[str]:
            yield "a"
            yield "b"

        return erlen.Response(erlen.stream_with_context(generate()), headers={"X-Stream": "1"})

    @app.route("/etag")
    def etag() -> t.Any:
        rv = make_response("tagged")
        rv.set_etag("abc")
        return rv.make_conditional(request)

    @app.route("/template")
    def template() -> str:
        return render_template_string("{{ name }} {{ request.path }} {{ url_for('shop.item', id=3) }}", name="<b>")

    @bp.route("/item/<int:id>", methods=["GET", "PUT"])
    def item(id: int) -> t.Any:
        return {"id": id, "method": request.method, "blueprint": request.blueprint}

    @bp.errorhandler(404)
    def bp_404(e: Exception) -> t.Any:
        return "shop 404", 404

    @bp.route("/missing")
    def bp_missing() -> str:
        abort(404)

    app.register_blueprint(bp)
    return app


SCENARIOS: list[tuple[str, str, dict[str, t.Any]]] = [
    ("GET", "/", {}),
    ("HEAD", "/", {}),
    ("OPTIONS", "/", {}),
    ("POST", "/", {}),
    ("GET", "/nowhere", {}),
    ("GET", "/json?a=1&a=2&b=%C3%BC", {}),
    ("POST", "/json", {"json": {"x": [1, None, "é"]}}),
    ("POST", "/json", {"data": b"{bad", "content_type": "application/json"}),
    ("GET", "/tuple", {}),
    ("GET", "/redirect", {}),
    ("GET", "/redirect", {"follow_redirects": True}),
    ("GET", "/slash", {}),
    ("GET", "/abort/403", {}),
    ("GET", "/abort/500", {}),
    ("GET", "/teapot", {}),
    ("GET", "/cookies", {}),
    ("GET", "/session/one", {}),
    ("GET", "/session/permanent", {}),
    ("POST", "/form", {"data": {"a": ["1", "2"], "f": (io.BytesIO(b"x" * 100), "f.txt")}}),
    ("POST", "/form", {"data": {"a": "x" * 5000}}),
    ("POST", "/form", {"data": "a=1&b=2", "content_type": "application/x-www-form-urlencoded"}),
    ("GET", "/hooks", {}),
    ("GET", "/stream", {}),
    ("GET", "/etag", {}),
    ("GET", "/etag", {"headers": {"If-None-Match": '"abc"'}}),
    ("GET", "/template", {}),
    ("GET", "/shop/item/7", {}),
    ("PUT", "/shop/item/7", {}),
    ("DELETE", "/shop/item/7", {}),
    ("GET", "/shop/missing", {}),
    ("GET", "/static/hello.txt", {}),
    ("GET", "/static/hello.txt", {"headers": {"Range": "bytes=1-3"}}),
    ("GET", "/static/../test_static.py", {}),
]


def unsigned(value: str | None) -> str | None:
    """A session cookie value without its timestamp and signature, which change each second."""
    return None if value is None else value.rsplit(".", 2)[0]


def timeless(header: str) -> str:
    """A header value without what depends on the clock: cookie expiry dates, session signatures."""
    header = re.sub(r"Expires=[^;]*", "Expires=*", header)
    return re.sub(r"^session=([^;]*)", lambda m: f"session={unsigned(m.group(1))}", header)


def snapshot(client: t.Any, method: str, path: str, kwargs: dict[str, t.Any]) -> t.Any:
    kwargs = {k: (v.copy() if isinstance(v, dict) else v) for k, v in kwargs.items()}
    if "data" in kwargs and isinstance(kwargs["data"], dict):
        kwargs["data"] = {k: ((io.BytesIO(v[0].getvalue()), v[1]) if isinstance(v, tuple) else v) for k, v in kwargs["data"].items()}
    rv = client.open(path, method=method, **kwargs)
    headers = sorted((k.lower(), timeless(v)) for k, v in rv.headers.items())
    cookies = {name: getattr(client.get_cookie(name), "value", None) for name in ("session", "flag", "gone")}
    cookies["session"] = unsigned(cookies["session"])
    return rv.status_code, headers, rv.data, cookies, [h.status_code for h in rv.history]


@pytest.mark.parametrize(("method", "path", "kwargs"), SCENARIOS)
def test_identical_on_both_fronts(method: str, path: str, kwargs: dict[str, t.Any]) -> None:
    out = {}
    for asgi in (False, True):
        client = build_app().test_client(asgi=asgi)
        client.set_cookie("gone", "x")
        out[asgi] = snapshot(client, method, path, kwargs)
    assert out[True] == out[False]


def test_a_session_conversation_is_identical() -> None:
    out = {}
    for asgi in (False, True):
        client = build_app().test_client(asgi=asgi)
        steps = [snapshot(client, "GET", path, {}) for path in ("/session", "/session/a", "/session", "/session/b", "/session")]
        with client.session_transaction() as sess:
            sess["value"] = "edited"
        steps.append(snapshot(client, "GET", "/session", {}))
        out[asgi] = steps
    assert out[True] == out[False]
    assert erlen.json.loads(out[True][-1][2]) == {"value": "edited", "flashes": []}


def test_with_client_keeps_the_contexts_on_both_fronts(front: t.Any) -> None:
    app = build_app()
    client = front(app)
    with client:
        client.get("/session/kept?x=1")
        assert request.args["x"] == "1"
        assert session["value"] == "kept"
    assert not erlen.has_request_context()
