"""URL building: ``url_for`` values, query strings, external URLs, blueprints, hooks, errors.

Tests parametrised over ``fw`` run the same app on erlen and on real Flask
and assert the same literal results, so Flask is the oracle. Error messages
(``BuildError`` with its suggestions) are compared string for string.
"""

from __future__ import annotations

import typing as t
import uuid
from types import ModuleType

import flask
import pytest
from werkzeug.routing import BuildError

import erlen

FRAMEWORKS = [erlen, flask]
UUID = uuid.UUID("f7a3a3b2-8e4b-4c59-9c2a-3e1b7e1c2d4f")


@pytest.fixture(params=FRAMEWORKS, ids=["erlen", "flask"])
def fw(request: pytest.FixtureRequest) -> ModuleType:
    return t.cast(ModuleType, request.param)


def make_app(fw: ModuleType, **kwargs: t.Any) -> erlen.Erlen:
    """An app of framework ``fw``, typed as erlen's (Flask's has the same API)."""
    app_class = fw.Flask if fw is flask else fw.Erlen
    app = app_class(__name__, **kwargs)
    app.config["TESTING"] = True
    return t.cast(erlen.Erlen, app)


def text(body: str) -> t.Callable[..., str]:
    """A view that returns ``body``; its default endpoint is ``body`` too."""

    def view(**kwargs: t.Any) -> str:
        return body

    view.__name__ = body
    return view


def url_app(fw: ModuleType, **config: t.Any) -> t.Any:
    """An app with one rule per converter and a few method-specific rules."""
    app = make_app(fw)
    app.config.update(config)
    app.route("/")(text("index"))
    app.route("/item/<int:id>")(text("item"))
    app.route("/signed/<int(signed=True):n>")(text("signed"))
    app.route("/fixed/<int(fixed_digits=4):n>")(text("fixed"))
    app.route("/s/<name>")(text("s"))
    app.route("/f/<float:x>")(text("f"))
    app.route("/p/<path:p>")(text("p"))
    app.route("/u/<uuid:u>")(text("u"))
    app.route("/a/<any(red, green):c>")(text("a"))
    app.route("/two/<int:y>/<slug>/")(text("two"))
    page = text("page")
    app.route("/page/", defaults={"n": 1})(page)
    app.route("/page/<int:n>")(page)
    app.route("/lang", defaults={"lang": "en"})(text("lang"))
    app.route("/get", methods=["GET"], endpoint="by_method")(text("get"))
    app.add_url_rule("/post", "by_method", methods=["POST"])
    app.add_url_rule("/put", "by_method", methods=["PUT"])
    return app


BUILD_CASES = [
    # (endpoint, values, url)
    ("index", {}, "/"),
    ("item", {"id": 5}, "/item/5"),
    ("item", {"id": "5"}, "/item/5"),
    ("item", {"id": 0}, "/item/0"),
    ("signed", {"n": -3}, "/signed/-3"),
    ("fixed", {"n": 42}, "/fixed/0042"),
    ("s", {"name": "abc"}, "/s/abc"),
    ("s", {"name": "a b"}, "/s/a%20b"),
    ("s", {"name": "ä"}, "/s/%C3%A4"),
    ("s", {"name": "a/b"}, "/s/a/b"),
    ("s", {"name": "a?b#c"}, "/s/a%3Fb%23c"),
    ("s", {"name": "~-_.!*'()"}, "/s/~-_.!*'()"),
    ("s", {"name": 12}, "/s/12"),
    ("f", {"x": 1.5}, "/f/1.5"),
    ("f", {"x": 2}, "/f/2.0"),
    ("p", {"p": "a/b/c.txt"}, "/p/a/b/c.txt"),
    ("p", {"p": "a b/ä"}, "/p/a%20b/%C3%A4"),
    ("u", {"u": UUID}, f"/u/{UUID}"),
    ("u", {"u": str(UUID)}, f"/u/{UUID}"),
    ("a", {"c": "green"}, "/a/green"),
    ("two", {"y": 2024, "slug": "hi"}, "/two/2024/hi/"),
    ("page", {}, "/page/"),
    ("page", {"n": 1}, "/page/"),
    ("page", {"n": 2}, "/page/2"),
    # extra values become the query string
    ("item", {"id": 5, "q": "x"}, "/item/5?q=x"),
    ("item", {"id": 5, "q": "a b"}, "/item/5?q=a+b"),
    ("item", {"id": 5, "q": "a&b=c"}, "/item/5?q=a%26b%3Dc"),
    ("item", {"id": 5, "q": "ä"}, "/item/5?q=%C3%A4"),
    ("item", {"id": 5, "z": 1, "a": 2}, "/item/5?z=1&a=2"),
    ("item", {"id": 5, "tag": ["a", "b"]}, "/item/5?tag=a&tag=b"),
    ("item", {"id": 5, "tag": ("a", "b")}, "/item/5?tag=a&tag=b"),
    ("item", {"id": 5, "tag": []}, "/item/5"),
    ("item", {"id": 5, "q": None}, "/item/5"),
    ("item", {"id": 5, "q": True}, "/item/5?q=True"),
    ("item", {"id": 5, "q": 0}, "/item/5?q=0"),
    ("item", {"id": 5, "q": b"x"}, "/item/5?q=x"),
    ("page", {"n": 1, "sort": "asc"}, "/page/?sort=asc"),
    ("index", {"next": "/a?b=c"}, "/?next=/a?b%3Dc"),
    ("lang", {}, "/lang"),
    ("lang", {"lang": "en"}, "/lang"),
    # the method picks among rules of one endpoint
    ("by_method", {}, "/get"),
    ("by_method", {"_method": "GET"}, "/get"),
    ("by_method", {"_method": "HEAD"}, "/get"),
    ("by_method", {"_method": "POST"}, "/post"),
    ("by_method", {"_method": "PUT"}, "/put"),
    ("by_method", {"_method": "POST", "x": 1}, "/post?x=1"),
]


@pytest.mark.parametrize(("endpoint", "values", "url"), BUILD_CASES)
def test_url_for_in_request(
    fw: ModuleType, endpoint: str, values: dict[str, t.Any], url: str
) -> None:
    app = url_app(fw)
    with app.test_request_context():
        assert fw.url_for(endpoint, **values) == url
        assert app.url_for(endpoint, **values) == url
        assert (
            fw.url_for(endpoint, _external=True, **values) == f"http://localhost{url}"
        )


@pytest.mark.parametrize(("endpoint", "values", "url"), BUILD_CASES[::4])
def test_url_for_outside_request(
    fw: ModuleType, endpoint: str, values: dict[str, t.Any], url: str
) -> None:
    app = url_app(fw, SERVER_NAME="example.test")
    with app.app_context():
        assert fw.url_for(endpoint, **values) == f"http://example.test{url}"
        assert fw.url_for(endpoint, _external=False, **values) == url
    assert app.url_for(endpoint, **values) == f"http://example.test{url}"


def test_url_for_in_template(fw: ModuleType) -> None:
    app = url_app(fw)
    with app.test_request_context():
        rendered = fw.render_template_string(
            "{{ url_for('item', id=3, q='a b') }} {{ url_for('index', _external=True) }}"
        )
    assert rendered == "/item/3?q=a+b http://localhost/"


def test_url_for_in_view(fw: ModuleType) -> None:
    app = url_app(fw)
    app.route("/where")(lambda: fw.url_for("item", id=7, _external=True))
    response = app.test_client().get("/where", base_url="https://example.test:8443")
    assert response.data == b"https://example.test:8443/item/7"


# -- external URLs, schemes, roots ---------------------------------------------------

EXTERNAL_CASES = [
    # (base_url, kwargs, url)
    ("http://localhost/", {}, "/item/5"),
    ("http://localhost/", {"_external": True}, "http://localhost/item/5"),
    ("http://localhost/", {"_external": False}, "/item/5"),
    ("http://localhost/", {"_scheme": "https"}, "https://localhost/item/5"),
    (
        "http://localhost/",
        {"_scheme": "https", "_external": True},
        "https://localhost/item/5",
    ),
    # Werkzeug reduces any other scheme to http or https (ws/wss for WebSocket rules).
    (
        "http://localhost/",
        {"_scheme": "ftp", "_external": True},
        "http://localhost/item/5",
    ),
    ("https://example.test/", {"_external": True}, "https://example.test/item/5"),
    (
        "https://example.test:8443/",
        {"_external": True},
        "https://example.test:8443/item/5",
    ),
    ("https://example.test:443/", {"_external": True}, "https://example.test/item/5"),
    ("http://example.test:80/", {"_external": True}, "http://example.test/item/5"),
    (
        "http://example.test:443/",
        {"_scheme": "https"},
        "https://example.test:443/item/5",
    ),
    ("http://example.test/root/", {}, "/root/item/5"),
    ("http://example.test/root", {}, "/root/item/5"),
    ("http://example.test/a/b/", {"_external": True}, "http://example.test/a/b/item/5"),
    ("http://[::1]:5000/", {"_external": True}, "http://[::1]:5000/item/5"),
    (
        "http://xn--bcher-kva.test/",
        {"_external": True},
        "http://xn--bcher-kva.test/item/5",
    ),
]


@pytest.mark.parametrize(("base_url", "kwargs", "url"), EXTERNAL_CASES)
def test_external_in_request(
    fw: ModuleType, base_url: str, kwargs: dict[str, t.Any], url: str
) -> None:
    app = url_app(fw)
    with app.test_request_context("/", base_url=base_url):
        assert fw.url_for("item", id=5, **kwargs) == url


@pytest.mark.parametrize("in_request", [True, False])
def test_scheme_without_external_raises(fw: ModuleType, in_request: bool) -> None:
    app = url_app(fw, SERVER_NAME="example.test")
    ctx = app.test_request_context() if in_request else app.app_context()
    with ctx, pytest.raises(ValueError) as exc_info:
        fw.url_for("index", _scheme="https", _external=False)
    assert str(exc_info.value) == "When specifying '_scheme', '_external' must be True."


SERVER_NAME_CASES = [
    # (config, kwargs, url)
    ({"SERVER_NAME": "example.test"}, {}, "http://example.test/item/5"),
    ({"SERVER_NAME": "example.test:8080"}, {}, "http://example.test:8080/item/5"),
    ({"SERVER_NAME": "example.test"}, {"_external": False}, "/item/5"),
    (
        {"SERVER_NAME": "example.test"},
        {"_scheme": "https"},
        "https://example.test/item/5",
    ),
    (
        {"SERVER_NAME": "example.test", "PREFERRED_URL_SCHEME": "https"},
        {},
        "https://example.test/item/5",
    ),
    (
        {"SERVER_NAME": "example.test", "PREFERRED_URL_SCHEME": "https"},
        {"_scheme": "http"},
        "http://example.test/item/5",
    ),
    (
        {"SERVER_NAME": "example.test", "APPLICATION_ROOT": "/app"},
        {},
        "http://example.test/app/item/5",
    ),
    (
        {"SERVER_NAME": "example.test", "APPLICATION_ROOT": "/app/"},
        {},
        "http://example.test/app/item/5",
    ),
    (
        {"SERVER_NAME": "example.test", "APPLICATION_ROOT": "/app"},
        {"_external": False},
        "/app/item/5",
    ),
    (
        {"SERVER_NAME": "example.test", "APPLICATION_ROOT": "/a/b"},
        {"_anchor": "top"},
        "http://example.test/a/b/item/5#top",
    ),
]


@pytest.mark.parametrize(("config", "kwargs", "url"), SERVER_NAME_CASES)
def test_server_name_outside_request(
    fw: ModuleType, config: dict[str, t.Any], kwargs: dict[str, t.Any], url: str
) -> None:
    app = url_app(fw, **config)
    with app.app_context():
        assert fw.url_for("item", id=5, **kwargs) == url
    assert app.url_for("item", id=5, **kwargs) == url


@pytest.mark.parametrize(
    ("config", "request_kwargs", "url"),
    [
        ({}, {}, "/item/5"),
        ({"APPLICATION_ROOT": "/app"}, {}, "/app/item/5"),
        (
            {"APPLICATION_ROOT": "/app"},
            {"base_url": "http://localhost/other/"},
            "/other/item/5",
        ),
        ({}, {"environ_overrides": {"SCRIPT_NAME": "/mnt"}}, "/mnt/item/5"),
        ({}, {"base_url": "http://localhost/mnt/"}, "/mnt/item/5"),
        # the base URL decides SCRIPT_NAME, not environ_base
        ({}, {"environ_base": {"SCRIPT_NAME": "/mnt/"}}, "/item/5"),
        ({"SERVER_NAME": "example.test"}, {}, "/item/5"),
        ({"PREFERRED_URL_SCHEME": "https"}, {}, "/item/5"),
    ],
)
def test_script_root_in_request(
    fw: ModuleType, config: dict[str, t.Any], request_kwargs: dict[str, t.Any], url: str
) -> None:
    app = url_app(fw, **config)
    with app.test_request_context("/", **request_kwargs):
        assert fw.url_for("item", id=5) == url


def test_preferred_scheme_in_test_request_context(fw: ModuleType) -> None:
    app = url_app(fw, PREFERRED_URL_SCHEME="https", SERVER_NAME="example.test")
    with app.test_request_context():
        assert fw.url_for("index", _external=True) == "https://example.test/"


def test_script_name_from_view(fw: ModuleType) -> None:
    app = url_app(fw)
    app.route("/here")(lambda: fw.url_for("item", id=1))
    client = app.test_client()
    response = client.get("/here", environ_overrides={"SCRIPT_NAME": "/mount"})
    assert response.data == b"/mount/item/1"


def test_outside_request_without_server_name(fw: ModuleType) -> None:
    app = url_app(fw)
    with app.app_context(), pytest.raises(RuntimeError) as exc_info:
        fw.url_for("index")
    assert str(exc_info.value) == (
        "Unable to build URLs outside an active request without"
        " 'SERVER_NAME' configured. Also configure 'APPLICATION_ROOT'"
        " and 'PREFERRED_URL_SCHEME' as needed."
    )
    with pytest.raises(RuntimeError, match="Unable to build URLs outside"):
        app.url_for("index")


def test_url_for_without_app_context(fw: ModuleType) -> None:
    with pytest.raises(RuntimeError, match="Working outside of application context"):
        fw.url_for("index")


def test_app_url_for_in_another_apps_context() -> None:
    """A deliberate difference: ``app.url_for`` ignores another app's context.

    Flask 3.1 builds with whatever app context is active, so inside
    ``first.app_context()`` ``second.url_for`` uses first's rules and
    ``SERVER_NAME`` (and fails for endpoints only second has). erlen builds
    with the app's own adapter there.
    """
    first = url_app(erlen, SERVER_NAME="first.test")
    second = url_app(erlen, SERVER_NAME="second.test")
    second.route("/only-second")(text("only_second"))
    with first.app_context():
        assert second.url_for("index") == "http://second.test/"
        assert second.url_for("only_second") == "http://second.test/only-second"
        assert erlen.url_for("index") == "http://first.test/"


# -- anchors -------------------------------------------------------------------------

ANCHOR_CASES = [
    ("top", "top"),
    ("a b", "a%20b"),
    ("x#y", "x#y"),
    ("ä", "%C3%A4"),
    ("a/b?c=d&e", "a/b?c=d&e"),
    ("%20", "%20"),
    ("<tag>", "%3Ctag%3E"),
    ('"q"', "%22q%22"),
    ("!$'()*+,;=:@", "!$'()*+,;=:@"),
    ("{}|\\^`", "%7B%7D%7C%5C%5E%60"),
    ("", ""),
]


@pytest.mark.parametrize(("anchor", "quoted"), ANCHOR_CASES)
def test_anchor(fw: ModuleType, anchor: str, quoted: str) -> None:
    app = url_app(fw)
    with app.test_request_context():
        assert fw.url_for("item", id=1, _anchor=anchor) == f"/item/1#{quoted}"
        assert (
            fw.url_for("item", id=1, q="v", _anchor=anchor, _external=True)
            == f"http://localhost/item/1?q=v#{quoted}"
        )


# -- blueprints -------------------------------------------------------------------------


def blueprint_app(fw: ModuleType) -> t.Any:
    """An app view, a blueprint registered twice and a nested blueprint.

    Every view answers with the URLs it builds for a fixed list of endpoints.
    """
    app = make_app(fw)
    targets = [
        ".index",
        ".other",
        "index",
        "bp.index",
        ".child_view",
        "outer.inner.child_view",
    ]

    def show() -> str:
        urls = []
        for target in targets:
            try:
                urls.append(fw.url_for(target))
            except BuildError:
                urls.append("!")
        return " ".join(urls)

    app.add_url_rule("/", "index", show)
    app.add_url_rule("/other", "other", show)
    bp = fw.Blueprint("bp", __name__, url_prefix="/bp")
    bp.add_url_rule("/", "index", show)
    bp.add_url_rule("/other", "other", show)
    app.register_blueprint(bp)
    app.register_blueprint(bp, name="again", url_prefix="/again")
    outer = fw.Blueprint("outer", __name__, url_prefix="/outer")
    inner = fw.Blueprint("inner", __name__, url_prefix="/inner")
    inner.add_url_rule("/", "index", show)
    inner.add_url_rule("/child", "child_view", show)
    outer.add_url_rule("/", "index", show)
    outer.register_blueprint(inner)
    app.register_blueprint(outer)
    return app


@pytest.mark.parametrize(
    ("path", "urls"),
    [
        ("/", "/ /other / /bp/ ! /outer/inner/child"),
        ("/other", "/ /other / /bp/ ! /outer/inner/child"),
        ("/bp/", "/bp/ /bp/other / /bp/ ! /outer/inner/child"),
        ("/bp/other", "/bp/ /bp/other / /bp/ ! /outer/inner/child"),
        ("/again/", "/again/ /again/other / /bp/ ! /outer/inner/child"),
        ("/outer/", "/outer/ ! / /bp/ ! /outer/inner/child"),
        (
            "/outer/inner/",
            "/outer/inner/ ! / /bp/ /outer/inner/child /outer/inner/child",
        ),
        (
            "/outer/inner/child",
            "/outer/inner/ ! / /bp/ /outer/inner/child /outer/inner/child",
        ),
    ],
)
def test_blueprint_relative_endpoints(fw: ModuleType, path: str, urls: str) -> None:
    response = blueprint_app(fw).test_client().get(path)
    assert response.get_data(as_text=True) == urls


def test_relative_endpoint_outside_request_is_absolute(fw: ModuleType) -> None:
    app = blueprint_app(fw)
    app.config["SERVER_NAME"] = "example.test"
    with app.app_context():
        with pytest.raises(BuildError):
            fw.url_for(".other")
        assert fw.url_for("bp.other") == "http://example.test/bp/other"


def test_blueprint_static_url(fw: ModuleType) -> None:
    app = make_app(fw, static_url_path="/assets")
    bp = fw.Blueprint("bp", __name__, static_folder="static", url_prefix="/bp")
    bp.route("/")(lambda: fw.url_for(".static", filename="app.js"))
    app.register_blueprint(bp)
    other = fw.Blueprint("other", __name__, static_folder="files", static_url_path="/f")
    app.register_blueprint(other, url_prefix="/o")
    with app.test_request_context():
        assert fw.url_for("static", filename="css/a b.css") == "/assets/css/a%20b.css"
        assert fw.url_for("bp.static", filename="x.js") == "/bp/static/x.js"
        assert fw.url_for("other.static", filename="y.png") == "/o/f/y.png"
    assert app.test_client().get("/bp/").data == b"/bp/static/app.js"


# -- url_defaults and url_value_preprocessor -----------------------------------------------


def lang_app(fw: ModuleType) -> t.Any:
    """The language-code pattern of Flask's docs, once on the app, once on a blueprint."""
    app = make_app(fw)
    g = fw.g

    @app.url_defaults
    def add_language_code(endpoint: str, values: dict[str, t.Any]) -> None:
        if "lang_code" in values or not g.get("lang_code"):
            return
        if app.url_map.is_endpoint_expecting(endpoint, "lang_code"):
            values["lang_code"] = g.lang_code

    @app.url_value_preprocessor
    def pull_lang_code(endpoint: str | None, values: dict[str, t.Any] | None) -> None:
        g.lang_code = values.pop("lang_code", None) if values else None

    @app.route("/<lang_code>/")
    def index() -> str:
        return " ".join(
            [
                fw.url_for("about"),
                fw.url_for("about", lang_code="fr"),
                fw.url_for("plain"),
                fw.url_for("frontend.index"),
            ]
        )

    @app.route("/<lang_code>/about")
    def about() -> str:
        return f"about {g.lang_code}"

    @app.route("/plain")
    def plain() -> str:
        return f"plain {g.lang_code} {fw.url_for('index')}" if g.lang_code else "plain"

    bp: erlen.Blueprint = fw.Blueprint("frontend", __name__, url_prefix="/<lang_code>/f")

    @bp.url_defaults
    def bp_add_language_code(endpoint: str, values: dict[str, t.Any]) -> None:
        values.setdefault("lang_code", g.lang_code)

    @bp.url_value_preprocessor
    def bp_pull_lang_code(endpoint: str | None, values: dict[str, t.Any] | None) -> None:
        g.bp_lang = g.lang_code

    @bp.route("/")
    def bp_index() -> str:
        return f"{g.bp_lang} {fw.url_for('.bp_index')} {fw.url_for('.bp_page', n=2)}"

    @bp.route("/page/<int:n>")
    def bp_page(n: int) -> str:
        return f"page {n} {g.bp_lang}"

    bp.add_url_rule("/", "index", bp_index)
    app.register_blueprint(bp)
    return app


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/de/", "/de/about /fr/about /plain /de/f/"),
        ("/en/about", "about en"),
        ("/plain", "plain"),
        ("/it/f/", "it /it/f/ /it/f/page/2"),
        ("/it/f/page/3", "page 3 it"),
    ],
)
def test_lang_code_pattern(fw: ModuleType, path: str, body: str) -> None:
    response = lang_app(fw).test_client().get(path)
    assert response.status_code == 200
    assert response.get_data(as_text=True) == body


def test_url_defaults_outside_request(fw: ModuleType) -> None:
    app = lang_app(fw)
    app.config["SERVER_NAME"] = "example.test"
    with app.app_context():
        fw.g.lang_code = "nl"
        fw.g.bp_lang = "nl"
        assert fw.url_for("about", _external=False) == "/nl/about"
        assert fw.url_for("frontend.bp_page", n=1, _external=False) == "/nl/f/page/1"


def test_url_value_preprocessor_runs_on_404_with_none(fw: ModuleType) -> None:
    app = make_app(fw)
    calls: list[tuple[t.Any, t.Any]] = []
    app.url_value_preprocessor(
        lambda endpoint, values: calls.append((endpoint, values))
    )
    app.route("/x/<int:n>")(text("x"))
    client = app.test_client()
    client.get("/nope")
    client.get("/x/3")
    client.post("/x/3")
    assert calls == [(None, None), ("x", {"n": 3}), (None, None)]


def test_url_value_preprocessor_changes_view_args(fw: ModuleType) -> None:
    app = make_app(fw)

    @app.url_value_preprocessor
    def double(endpoint: str | None, values: dict[str, t.Any] | None) -> None:
        if values is not None and "n" in values:
            values["n"] *= 2
            values["extra"] = "yes"

    @app.route("/n/<int:n>")
    def n_view(n: int, extra: str) -> str:
        return f"{n} {extra} {fw.request.view_args}"

    response = app.test_client().get("/n/21")
    assert response.data == b"42 yes {'n': 42, 'extra': 'yes'}"


def test_url_defaults_order_and_scope(fw: ModuleType) -> None:
    app = make_app(fw)
    calls: list[str] = []

    def recorder(name: str) -> t.Callable[[str, dict[str, t.Any]], None]:
        def record(endpoint: str, values: dict[str, t.Any]) -> None:
            calls.append(f"{name}:{endpoint}")

        return record

    parent = fw.Blueprint("parent", __name__, url_prefix="/p")
    child = fw.Blueprint("child", __name__, url_prefix="/c")
    sibling = fw.Blueprint("sibling", __name__, url_prefix="/s")
    app.url_defaults(recorder("app"))
    parent.url_defaults(recorder("parent"))
    child.url_defaults(recorder("child"))
    sibling.url_defaults(recorder("sibling"))
    sibling.app_url_defaults(recorder("sibling-app"))
    child.route("/")(text("cv"))
    parent.route("/")(text("pv"))
    sibling.route("/")(text("sv"))
    app.route("/")(text("av"))
    parent.register_blueprint(child)
    app.register_blueprint(parent)
    app.register_blueprint(sibling)
    with app.test_request_context():
        for endpoint in ["av", "parent.pv", "parent.child.cv", "sibling.sv"]:
            fw.url_for(endpoint)
    assert calls == [
        "app:av",
        "sibling-app:av",
        "app:parent.pv",
        "sibling-app:parent.pv",
        "parent:parent.pv",
        "app:parent.child.cv",
        "sibling-app:parent.child.cv",
        "parent:parent.child.cv",
        "child:parent.child.cv",
        "app:sibling.sv",
        "sibling-app:sibling.sv",
        "sibling:sibling.sv",
    ]


def test_url_defaults_value_is_used_and_explicit_wins(fw: ModuleType) -> None:
    app = make_app(fw)
    app.route("/v/<int:n>")(text("v"))

    @app.url_defaults
    def defaults(endpoint: str, values: dict[str, t.Any]) -> None:
        values.setdefault("n", 9)
        values.setdefault("via", "defaults")

    with app.test_request_context():
        assert fw.url_for("v") == "/v/9?via=defaults"
        assert fw.url_for("v", n=1, via="me") == "/v/1?via=me"


def test_blueprint_registration_url_defaults_build(fw: ModuleType) -> None:
    app = make_app(fw)
    bp = fw.Blueprint("bp", __name__)
    bp.route("/<kind>/<int:n>")(text("view"))
    app.register_blueprint(bp, url_prefix="/a", url_defaults={"kind": "alpha"})
    with app.test_request_context():
        assert fw.url_for("bp.view", n=1) == "/a/alpha/1"
        assert fw.url_for("bp.view", n=1, kind="alpha") == "/a/alpha/1"
        with pytest.raises(BuildError):
            fw.url_for("bp.view", n=1, kind="beta")


# -- build errors ----------------------------------------------------------------------------

BUILD_ERROR_CASES = [
    # (endpoint, values, message)
    (
        "missing",
        {},
        "Could not build url for endpoint 'missing'. Did you mean 'signed' instead?",
    ),
    (
        "itme",
        {"id": 1},
        "Could not build url for endpoint 'itme' with values ['id']. Did you mean 'item' instead?",
    ),
    (
        ".itme",
        {"id": 1},
        "Could not build url for endpoint 'itme' with values ['id']. Did you mean 'item' instead?",
    ),
    (
        "item",
        {},
        "Could not build url for endpoint 'item'. Did you forget to specify values ['id']?",
    ),
    (
        "two",
        {"y": 1},
        "Could not build url for endpoint 'two' with values ['y']."
        " Did you forget to specify values ['slug']?",
    ),
    (
        "lang",
        {"lang": "de"},
        "Could not build url for endpoint 'lang' with values ['lang'].",
    ),
    (
        "by_method",
        {"_method": "DELETE"},
        "Could not build url for endpoint 'by_method' ('DELETE')."
        " Did you mean to use methods ['GET', 'HEAD', 'OPTIONS']?",
    ),
    (
        "bp.missing",
        {},
        "Could not build url for endpoint 'bp.missing'. Did you mean 'signed' instead?",
    ),
]


@pytest.mark.parametrize(("endpoint", "values", "message"), BUILD_ERROR_CASES)
def test_build_error(
    fw: ModuleType, endpoint: str, values: dict[str, t.Any], message: str
) -> None:
    app = url_app(fw)
    with app.test_request_context(), pytest.raises(BuildError) as exc_info:
        fw.url_for(endpoint, **values)
    assert str(exc_info.value) == message
    assert exc_info.value.endpoint == endpoint.lstrip(".")
    assert exc_info.value.method == values.get("_method")


@pytest.mark.parametrize(
    ("endpoint", "values"), [(e, v) for e, v, _ in BUILD_ERROR_CASES]
)
def test_build_error_message_matches_flask(
    endpoint: str, values: dict[str, t.Any]
) -> None:
    messages = []
    for fw in FRAMEWORKS:
        app = url_app(fw)
        with app.test_request_context(), pytest.raises(BuildError) as exc_info:
            fw.url_for(endpoint, **values)
        error = exc_info.value
        messages.append((str(error), error.endpoint, error.values, error.method))
    assert messages[0] == messages[1]


@pytest.mark.parametrize(
    ("endpoint", "values", "error", "message"),
    [
        ("a", {"c": "blue"}, ValueError, "'blue' is not one of 'green', 'red'"),
        ("item", {"id": "x"}, ValueError, "invalid literal for int()"),
        ("f", {"x": "y"}, ValueError, "could not convert string to float"),
    ],
)
def test_converter_to_url_errors_propagate(
    fw: ModuleType,
    endpoint: str,
    values: dict[str, t.Any],
    error: type[Exception],
    message: str,
) -> None:
    app = url_app(fw)
    with app.test_request_context(), pytest.raises(error) as exc_info:
        fw.url_for(endpoint, **values)
    assert str(exc_info.value).startswith(message)


def test_build_error_is_lookup_error(fw: ModuleType) -> None:
    app = url_app(fw)
    with app.test_request_context(), pytest.raises(LookupError):
        fw.url_for("nope")


def test_build_error_from_view_propagates(fw: ModuleType) -> None:
    app = url_app(fw)
    app.route("/bad")(lambda: fw.url_for("nope"))
    with pytest.raises(BuildError):
        app.test_client().get("/bad")
    app.config["PROPAGATE_EXCEPTIONS"] = False
    app.logger.disabled = True
    assert app.test_client().get("/bad").status_code == 500


def test_url_build_error_handlers(fw: ModuleType) -> None:
    app = url_app(fw)
    seen: list[tuple[str, str, dict[str, t.Any]]] = []

    def ignore(error: Exception, endpoint: str, values: dict[str, t.Any]) -> str | None:
        seen.append(("ignore", endpoint, dict(values)))
        return None

    def external(
        error: Exception, endpoint: str, values: dict[str, t.Any]
    ) -> str | None:
        seen.append(("external", endpoint, dict(values)))
        if endpoint.startswith("ext."):
            return f"https://ext.test/{endpoint[4:]}?id={values.get('id')}"
        return None

    app.url_build_error_handlers.extend([ignore, external])
    with app.test_request_context():
        assert fw.url_for("ext.page", id=3, _anchor="a") == "https://ext.test/page?id=3"
        assert fw.url_for("item", id=1) == "/item/1"
        with pytest.raises(BuildError) as exc_info:
            fw.url_for("other")
        assert exc_info.value.endpoint == "other"
    values = {
        "id": 3,
        "_anchor": "a",
        "_method": None,
        "_scheme": None,
        "_external": False,
    }
    assert seen[:2] == [
        ("ignore", "ext.page", values),
        ("external", "ext.page", values),
    ]
    assert [s[:2] for s in seen[2:]] == [("ignore", "other"), ("external", "other")]


def test_url_build_error_handler_may_raise_its_own_build_error(fw: ModuleType) -> None:
    app = url_app(fw)
    replacement = BuildError("replacement", {}, None)

    def handler(error: Exception, endpoint: str, values: dict[str, t.Any]) -> str:
        raise replacement

    app.url_build_error_handlers.append(handler)
    with app.test_request_context(), pytest.raises(BuildError) as exc_info:
        fw.url_for("missing")
    assert exc_info.value is replacement


def test_handle_url_build_error_reraises_given_error(fw: ModuleType) -> None:
    app = url_app(fw)
    error = BuildError("x", {}, None)
    with pytest.raises(BuildError) as exc_info:
        app.handle_url_build_error(error, "x", {})
    assert exc_info.value is error


def test_build_error_outside_request(fw: ModuleType) -> None:
    app = url_app(fw, SERVER_NAME="example.test")
    with app.app_context(), pytest.raises(BuildError) as exc_info:
        fw.url_for("missing", _external=True)
    assert str(exc_info.value).startswith("Could not build url for endpoint 'missing'.")
