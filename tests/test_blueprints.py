"""Blueprints: prefixes, subdomains, defaults, nesting, resources and registration rules.

Tests run against erlen and real Flask (``fw``) and assert the same results.
"""

from __future__ import annotations

import os
import typing as t

import flask
import pytest

import erlen

FRAMEWORKS: dict[str, t.Any] = {"erlen": erlen, "flask": flask}
APP_CLASSES: dict[str, t.Any] = {"erlen": erlen.Erlen, "flask": flask.Flask}
HERE = os.path.dirname(os.path.abspath(__file__))
FILES = os.path.join(HERE, "blueprint_files")


class FW:
    """One framework under test: ``mod`` (erlen or flask) and its app class."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.mod = FRAMEWORKS[name]
        # NOTE: typed as erlen's for both frameworks: the public API is the same.
        self.App: type[erlen.Erlen] = APP_CLASSES[name]

    def app(self, **config: t.Any) -> erlen.Erlen:
        app = self.App(__name__)
        app.config.update(TESTING=True, **config)
        return app

    def bp(self, name: str, **kwargs: t.Any) -> erlen.Blueprint:
        return t.cast(erlen.Blueprint, self.mod.Blueprint(name, __name__, **kwargs))


@pytest.fixture(params=list(FRAMEWORKS))
def fw(request: pytest.FixtureRequest) -> FW:
    return FW(request.param)


def _endpoint_view(fw: FW) -> t.Callable[..., str]:
    def view(**kwargs: t.Any) -> str:
        req = fw.mod.request
        args = ",".join(f"{k}={v}" for k, v in sorted(kwargs.items()))
        return f"{req.endpoint}|{req.blueprint}|{args}"

    return view


# -- URL prefix, subdomain, defaults -------------------------------------------


@pytest.mark.parametrize(
    ("bp_prefix", "reg_prefix", "rule", "path"),
    [
        (None, None, "/page", "/page"),
        ("/pre", None, "/page", "/pre/page"),
        ("/pre/", None, "/page", "/pre/page"),
        ("/pre", None, "page", "/pre/page"),
        ("/pre", "/over", "/page", "/over/page"),
        (None, "/over/", "/page", "/over/page"),
        ("/pre", None, "", "/pre"),
        ("/pre", None, "/", "/pre/"),
        ("/", None, "/page", "/page"),
        ("/pre", "", "/page", "/page"),
    ],
)
def test_url_prefix(
    fw: FW, bp_prefix: str | None, reg_prefix: str | None, rule: str, path: str
) -> None:
    app = fw.app()
    bp = fw.bp("bp", url_prefix=bp_prefix)
    bp.add_url_rule(rule, "page", _endpoint_view(fw))
    options = {} if reg_prefix is None else {"url_prefix": reg_prefix}
    app.register_blueprint(bp, **options)
    response = app.test_client().get(path)
    assert (response.status_code, response.data) == (200, b"bp.page|bp|")
    with app.test_request_context():
        assert fw.mod.url_for("bp.page") == path


def test_subdomain(fw: FW) -> None:
    app = fw.App(__name__, subdomain_matching=True)
    app.config.update(TESTING=True, SERVER_NAME="example.test")
    api = fw.bp("api", subdomain="api")
    api.add_url_rule("/", "index", _endpoint_view(fw))
    user = fw.bp("user")
    user.add_url_rule("/", "index", _endpoint_view(fw))
    app.register_blueprint(api)
    app.register_blueprint(user, subdomain="<user>", url_prefix="/u")
    client = app.test_client()
    assert client.get("/", base_url="http://api.example.test").data == b"api.index|api|"
    assert client.get("/", base_url="http://example.test").status_code == 404
    assert (
        client.get("/u/", base_url="http://bob.example.test").data
        == b"user.index|user|user=bob"
    )
    with app.app_context():
        assert fw.mod.url_for("api.index") == "http://api.example.test/"
        assert fw.mod.url_for("user.index", user="amy") == "http://amy.example.test/u/"


def test_url_defaults(fw: FW) -> None:
    app = fw.app()
    bp = fw.bp("bp", url_defaults={"kind": "plain"})
    view = _endpoint_view(fw)
    bp.add_url_rule("/item/<int:id>", "item", view)
    bp.add_url_rule("/fixed", "fixed", view, defaults={"page": 9})
    app.register_blueprint(bp)
    app.register_blueprint(bp, name="x", url_prefix="/x", url_defaults={"kind": "x"})
    client = app.test_client()
    assert client.get("/item/3").data == b"bp.item|bp|id=3,kind=plain"
    assert client.get("/fixed").data == b"bp.fixed|bp|kind=plain,page=9"
    assert client.get("/x/fixed").data == b"x.fixed|x|kind=x,page=9"
    assert client.get("/x/item/4").data == b"x.item|x|id=4,kind=x"
    with app.test_request_context():
        assert fw.mod.url_for("bp.item", id=2) == "/item/2"
        assert fw.mod.url_for("x.fixed") == "/x/fixed"


def test_blueprint_url_defaults_and_preprocessor(fw: FW) -> None:
    app = fw.app()
    bp = fw.bp("bp", url_prefix="/<lang>")

    @bp.url_defaults
    def add_lang(endpoint: str, values: dict[str, t.Any]) -> None:
        values.setdefault("lang", fw.mod.g.lang)

    @bp.url_value_preprocessor
    def pull_lang(endpoint: str | None, values: dict[str, t.Any] | None) -> None:
        assert values is not None
        fw.mod.g.lang = values.pop("lang")

    @bp.route("/")
    def index() -> str:
        return f"{fw.mod.g.lang} {fw.mod.url_for('.about')}"

    @bp.route("/about")
    def about() -> str:
        return "about"

    app.register_blueprint(bp)
    assert app.test_client().get("/fr/").data == b"fr /fr/about"


# -- nesting -------------------------------------------------------------------


def _nested(fw: FW) -> tuple[t.Any, t.Any, t.Any, t.Any]:
    app = fw.app()
    parent = fw.bp("parent", url_prefix="/parent")
    child = fw.bp("child", url_prefix="/child")
    grandchild = fw.bp("grandchild", url_prefix="/gc")
    for bp in (parent, child, grandchild):
        bp.add_url_rule("/", "index", _endpoint_view(fw))
    child.register_blueprint(grandchild)
    parent.register_blueprint(child)
    app.register_blueprint(parent)
    return app, parent, child, grandchild


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/parent/", b"parent.index|parent|"),
        ("/parent/child/", b"parent.child.index|parent.child|"),
        ("/parent/child/gc/", b"parent.child.grandchild.index|parent.child.grandchild|"),
    ],
)
def test_nested_prefixes_and_names(fw: FW, path: str, body: bytes) -> None:
    app, *_ = _nested(fw)
    assert app.test_client().get(path).data == body


def test_nested_registry(fw: FW) -> None:
    app, parent, child, grandchild = _nested(fw)
    assert list(app.blueprints) == [
        "parent",
        "parent.child",
        "parent.child.grandchild",
    ]
    assert app.blueprints["parent.child"] is child
    with app.test_request_context("/parent/child/gc/"):
        assert fw.mod.request.blueprints == [
            "parent.child.grandchild",
            "parent.child",
            "parent",
        ]
        assert fw.mod.url_for(".index") == "/parent/child/gc/"
        assert fw.mod.url_for("parent.child.index") == "/parent/child/"


def _parent_twice(fw: FW) -> tuple[erlen.Erlen, list[str]]:
    calls: list[str] = []
    app = fw.app()
    parent, child = fw.bp("parent"), fw.bp("child", url_prefix="/c")
    child.add_url_rule("/", "index", _endpoint_view(fw))
    child.before_request(lambda: calls.append(f"child:{fw.mod.request.blueprint}"))
    parent.before_request(lambda: calls.append("parent"))

    @child.errorhandler(404)
    def child_404(e: Exception) -> tuple[str, int]:
        return f"child 404 in {fw.mod.request.blueprint}", 404

    @child.route("/gone")
    def gone() -> t.Any:
        fw.mod.abort(404)

    parent.register_blueprint(child)
    app.register_blueprint(parent, url_prefix="/one")
    app.register_blueprint(parent, url_prefix="/two", name="second")
    return app, calls


@pytest.mark.parametrize(
    ("path", "status", "body", "calls"),
    [
        ("/one/c/", 200, b"parent.child.index|parent.child|", ["parent", "child:parent.child"]),
        ("/two/c/", 200, b"second.child.index|second.child|", ["parent", "child:second.child"]),
        ("/two/c/gone", 404, b"child 404 in second.child", ["parent", "child:second.child"]),
    ],
)
def test_parent_registered_twice(
    fw: FW, path: str, status: int, body: bytes, calls: list[str]
) -> None:
    app, seen = _parent_twice(fw)
    assert list(app.blueprints) == ["parent", "parent.child", "second", "second.child"]
    response = app.test_client().get(path)
    assert (response.status_code, response.data) == (status, body)
    assert seen == calls
    with app.test_request_context():
        assert fw.mod.url_for("second.child.index") == "/two/c/"


def test_nested_options_combine(fw: FW) -> None:
    app = fw.App(__name__, subdomain_matching=True)
    app.config.update(TESTING=True, SERVER_NAME="example.test")
    parent = fw.bp("parent", subdomain="api")
    child = fw.bp("child", subdomain="v1")
    child.add_url_rule("/", "index", _endpoint_view(fw))
    parent.register_blueprint(child, url_prefix="/c")
    app.register_blueprint(parent, url_prefix="/p")
    client = app.test_client()
    response = client.get("/p/c/", base_url="http://v1.api.example.test")
    assert response.data == b"parent.child.index|parent.child|"


def test_nested_blueprint_registered_under_two_parents(fw: FW) -> None:
    app = fw.app()
    a, b = fw.bp("a", url_prefix="/a"), fw.bp("b", url_prefix="/b")
    child = fw.bp("child", url_prefix="/c")
    child.add_url_rule("/", "index", _endpoint_view(fw))
    a.register_blueprint(child)
    b.register_blueprint(child)
    app.register_blueprint(a)
    app.register_blueprint(b)
    client = app.test_client()
    assert client.get("/a/c/").data == b"a.child.index|a.child|"
    assert client.get("/b/c/").data == b"b.child.index|b.child|"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/parent/child/key", b"child:KeyError"),
        ("/parent/child/value", b"parent:ValueError"),
        ("/parent/child/type", b"app:TypeError"),
        ("/parent/child/nope", b"parent:404"),
        ("/parent/value", b"parent:ValueError"),
        ("/parent/key", b"app:KeyError"),
        ("/missing", b"app:404"),
    ],
)
def test_nested_error_handlers(fw: FW, path: str, expected: bytes) -> None:
    app = fw.app()
    parent = fw.bp("parent", url_prefix="/parent")
    child = fw.bp("child", url_prefix="/child")

    def raiser(kind: str) -> str:
        if kind == "nope":
            fw.mod.abort(404)
        raise {"key": KeyError, "value": ValueError, "type": TypeError}[kind]()

    child.add_url_rule("/<kind>", "raise", raiser)
    parent.add_url_rule("/<kind>", "raise", raiser)

    def handler(label: str) -> t.Callable[[Exception], str]:
        def handle(e: Exception) -> str:
            code = getattr(e, "code", None)
            return f"{label}:{code or type(e).__name__}"

        return handle

    child.register_error_handler(KeyError, handler("child"))
    parent.register_error_handler(ValueError, handler("parent"))
    parent.register_error_handler(404, handler("parent"))
    app.register_error_handler(Exception, handler("app"))
    app.register_error_handler(404, handler("app"))
    parent.register_blueprint(child)
    app.register_blueprint(parent)
    assert app.test_client().get(path).data == expected


def test_endpoint_decorator(fw: FW) -> None:
    # Blueprint.endpoint maps a view to an endpoint name as given (no
    # blueprint prefix), for a rule added to the app without a view.
    app = fw.app()
    app.add_url_rule("/foo", endpoint="bar")
    bp = fw.bp("bp")

    @bp.endpoint("bar")
    def foobar() -> str:
        return fw.mod.request.endpoint  # type: ignore[no-any-return]

    app.register_blueprint(bp, url_prefix="/bp_prefix")
    client = app.test_client()
    assert client.get("/foo").data == b"bar"
    assert client.get("/bp_prefix/bar").status_code == 404
    assert app.view_functions["bar"] is foobar


def test_register_on_itself(fw: FW) -> None:
    bp = fw.bp("bp")
    with pytest.raises(ValueError, match="Cannot register a blueprint on itself"):
        bp.register_blueprint(bp)


# -- registering twice ----------------------------------------------------------


def test_register_twice_with_name(fw: FW) -> None:
    app = fw.app()
    bp = fw.bp("bp")
    bp.add_url_rule("/", "index", _endpoint_view(fw))
    app.register_blueprint(bp, url_prefix="/one")
    app.register_blueprint(bp, url_prefix="/two", name="two")
    client = app.test_client()
    assert client.get("/one/").data == b"bp.index|bp|"
    assert client.get("/two/").data == b"two.index|two|"
    assert list(app.blueprints) == ["bp", "two"]
    assert app.blueprints["two"] is bp


def _registration_error(fw: FW, same: bool, nested: bool) -> str:
    app = fw.app()
    bp = fw.bp("bp")
    other = bp if same else fw.bp("bp")
    if nested:
        parent = fw.bp("parent")
        parent.register_blueprint(bp)
        parent.register_blueprint(other)
        target, first = app, parent
    else:
        app.register_blueprint(bp)
        target, first = app, other
    with pytest.raises(ValueError) as info:
        target.register_blueprint(first)
    return str(info.value)


@pytest.mark.parametrize("same", [True, False])
@pytest.mark.parametrize("nested", [False, True])
def test_register_twice_without_name_error(same: bool, nested: bool) -> None:
    erlen_msg = _registration_error(FW("erlen"), same, nested)
    assert erlen_msg == _registration_error(FW("flask"), same, nested)
    assert "Use 'name=' to provide a unique name." in erlen_msg


@pytest.mark.parametrize(
    "kwargs",
    [{"name": "a.b"}, {"name": ""}],
)
def test_invalid_names(fw: FW, kwargs: dict[str, str]) -> None:
    with pytest.raises(ValueError) as info:
        fw.mod.Blueprint(kwargs["name"], __name__)
    flask_info = pytest.raises(ValueError, flask.Blueprint, kwargs["name"], __name__)
    assert str(info.value) == str(flask_info.value)


def test_dotted_endpoint_and_view_name(fw: FW) -> None:
    bp = fw.bp("bp")
    with pytest.raises(ValueError, match="'endpoint' may not contain a dot"):
        bp.add_url_rule("/", "a.b", lambda: "x")

    def view() -> str:
        return "x"

    view.__name__ = "a.b"
    with pytest.raises(ValueError, match="'view_func' name may not contain a dot"):
        bp.add_url_rule("/", view_func=view)


# -- setup state ----------------------------------------------------------------


def test_record_and_record_once(fw: FW) -> None:
    app = fw.app()
    bp = fw.bp("bp", url_prefix="/base", subdomain=None)
    seen: list[tuple[t.Any, ...]] = []

    @bp.record
    def every(state: t.Any) -> None:
        seen.append(
            (
                "every",
                state.app is app,
                state.blueprint is bp,
                state.first_registration,
                state.url_prefix,
                state.name,
                state.name_prefix,
                state.options.get("extra"),
            )
        )

    @bp.record_once
    def once(state: t.Any) -> None:
        seen.append(("once", state.name))

    app.register_blueprint(bp, extra="x")
    app.register_blueprint(bp, name="again", url_prefix="/again")
    assert seen == [
        ("every", True, True, True, "/base", "bp", "", "x"),
        ("once", "bp"),
        ("every", True, True, False, "/again", "again", "", None),
    ]


def test_setup_state_add_url_rule(fw: FW) -> None:
    app = fw.app()
    bp = fw.bp("bp", url_prefix="/bp", url_defaults={"x": 1})

    @bp.record
    def add(state: t.Any) -> None:
        state.add_url_rule("/recorded", "recorded", _endpoint_view(fw))

    app.register_blueprint(bp)
    assert app.test_client().get("/bp/recorded").data == b"bp.recorded|bp|x=1"


@pytest.mark.parametrize(
    "call",
    [
        lambda bp: bp.route("/late")(lambda: "x"),
        lambda bp: bp.before_request(lambda: None),
        lambda bp: bp.errorhandler(404)(lambda e: "x"),
        lambda bp: bp.record(lambda s: None),
        lambda bp: bp.app_template_filter()(lambda v: v),
    ],
)
def test_setup_after_registration(fw: FW, call: t.Callable[[t.Any], t.Any]) -> None:
    app = fw.app()
    bp = fw.bp("bp")
    app.register_blueprint(bp)
    with pytest.raises(AssertionError, match="already been registered"):
        call(bp)


# -- app-wide registrations -----------------------------------------------------


def test_app_template_variants(fw: FW) -> None:
    app = fw.app()
    bp = fw.bp("bp")

    @bp.app_template_filter()
    def reverse(s: str) -> str:
        return s[::-1]

    @bp.app_template_filter("shout")
    def upper(s: str) -> str:
        return s.upper()

    bp.add_app_template_filter(lambda s: f"<{s}>", "wrap")

    @bp.app_template_test()
    def short(s: str) -> bool:
        return len(s) < 4

    bp.add_app_template_test(lambda n: n % 2 == 0, "even2")

    @bp.app_template_global()
    def triple(n: int) -> int:
        return n * 3

    bp.add_app_template_global(lambda: "G", "glob")

    @bp.app_context_processor
    def extra() -> dict[str, str]:
        return {"extra": "ctx"}

    @app.route("/")
    def index() -> str:
        return fw.mod.render_template_string(  # type: ignore[no-any-return]
            "{{ 'abc'|reverse }} {{ 'hi'|shout }} {{ 'x'|wrap }}"
            " {{ 'abc' is short }} {{ 4 is even2 }} {{ triple(2) }}"
            " {{ glob() }} {{ extra }}"
        )

    app.register_blueprint(bp)
    assert app.test_client().get("/").data == b"cba HI &lt;x&gt; True True 6 G ctx"
    env = app.jinja_env
    assert env.filters["reverse"] is reverse
    assert env.tests["short"] is short
    assert env.globals["triple"] is triple


def test_blueprint_context_processor_scope(fw: FW) -> None:
    app = fw.app()
    bp = fw.bp("bp")

    @bp.context_processor
    def only_bp() -> dict[str, str]:
        return {"who": "bp"}

    @bp.route("/bp")
    def bp_view() -> str:
        return fw.mod.render_template_string("{{ who|default('none') }}")  # type: ignore[no-any-return]

    @app.route("/app")
    def app_view() -> str:
        return fw.mod.render_template_string("{{ who|default('none') }}")  # type: ignore[no-any-return]

    app.register_blueprint(bp)
    client = app.test_client()
    assert client.get("/bp").data == b"bp"
    assert client.get("/app").data == b"none"


def test_app_errorhandler_and_url_processors(fw: FW) -> None:
    app = fw.app()
    bp = fw.bp("bp")

    @bp.app_errorhandler(404)
    def not_found(e: Exception) -> tuple[str, int]:
        return "bp says 404", 404

    @bp.app_url_value_preprocessor
    def pre(endpoint: str | None, values: dict[str, t.Any] | None) -> None:
        if values and "lang" in values:
            fw.mod.g.lang = values.pop("lang")

    @bp.app_url_defaults
    def defaults(endpoint: str, values: dict[str, t.Any]) -> None:
        if "lang" in fw.mod.g and app.url_map.is_endpoint_expecting(endpoint, "lang"):
            values.setdefault("lang", fw.mod.g.lang)

    @app.route("/<lang>/home")
    def home() -> str:
        return f"{fw.mod.g.lang} {fw.mod.url_for('home')}"

    app.register_blueprint(bp)
    client = app.test_client()
    assert client.get("/missing").data == b"bp says 404"
    assert client.get("/de/home").data == b"de /de/home"


# -- files: static and templates -------------------------------------------------


def _files_bp(fw: FW, **kwargs: t.Any) -> erlen.Blueprint:
    return fw.bp(
        "files",
        root_path=FILES,
        static_folder="static",
        template_folder="templates",
        **kwargs,
    )


@pytest.mark.parametrize(
    ("bp_kwargs", "reg_kwargs", "url"),
    [
        ({"url_prefix": "/files"}, {}, "/files/static/note.txt"),
        ({"static_url_path": "/assets"}, {}, "/assets/note.txt"),
        ({"static_url_path": "/assets"}, {"url_prefix": "/p"}, "/p/assets/note.txt"),
    ],
)
def test_blueprint_static_folder(
    fw: FW, bp_kwargs: dict[str, t.Any], reg_kwargs: dict[str, t.Any], url: str
) -> None:
    app = fw.app()
    bp = _files_bp(fw, **bp_kwargs)
    app.register_blueprint(bp, **reg_kwargs)
    client = app.test_client()
    response = client.get(url)
    assert response.status_code == 200
    assert response.data == b"blueprint static text\n"
    assert response.mimetype == "text/plain"
    response.close()
    with app.test_request_context():
        assert fw.mod.url_for("files.static", filename="note.txt") == url
    assert bp.static_folder == os.path.join(FILES, "static")
    assert client.get(url.replace("note.txt", "missing.txt")).status_code == 404


def test_blueprint_static_cache_control(fw: FW) -> None:
    app = fw.app(SEND_FILE_MAX_AGE_DEFAULT=60)
    app.register_blueprint(_files_bp(fw, url_prefix="/f"))
    response = app.test_client().get("/f/static/css/style.css")
    assert response.cache_control.max_age == 60
    assert response.mimetype == "text/css"
    response.close()


def test_blueprint_template_folder(fw: FW) -> None:
    app = fw.app()
    bp = _files_bp(fw)

    @bp.app_template_filter()
    def shout(s: str) -> str:
        return s.upper()

    @bp.route("/page")
    def page() -> str:
        return fw.mod.render_template("bp_files/page.html", value="v")  # type: ignore[no-any-return]

    app.register_blueprint(bp)
    assert app.test_client().get("/page").data == b"bp page v V"
    assert bp.jinja_loader is not None


def test_open_resource(fw: FW) -> None:
    bp = _files_bp(fw)
    with bp.open_resource("static/note.txt") as f:
        assert t.cast(bytes, f.read()) == b"blueprint static text\n"
    with bp.open_resource("static/note.txt", "r") as f:
        assert f.read() == "blueprint static text\n"
    with pytest.raises(ValueError, match="Resources can only be opened for reading"):
        bp.open_resource("static/note.txt", "w")


# -- CLI --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bp_group", "reg_group", "args"),
    [
        ("__default__", "__default__", ["cmdbp", "hello"]),
        ("tools", "__default__", ["tools", "hello"]),
        (None, "__default__", ["hello"]),
        ("__default__", "override", ["override", "hello"]),
        ("__default__", None, ["hello"]),
    ],
)
def test_cli_group(
    fw: FW, bp_group: str | None, reg_group: str | None, args: list[str]
) -> None:
    app = fw.app()
    kwargs = {} if bp_group == "__default__" else {"cli_group": bp_group}
    bp = fw.bp("cmdbp", **kwargs)

    @bp.cli.command("hello")
    def hello() -> None:
        print(f"hello from {fw.mod.current_app.name}")

    options = {} if reg_group == "__default__" else {"cli_group": reg_group}
    app.register_blueprint(bp, **options)
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 0, result.output
    assert result.output == f"hello from {app.name}\n"


def test_blueprint_without_commands_adds_no_group(fw: FW) -> None:
    app = fw.app()
    before = set(app.cli.commands)
    app.register_blueprint(fw.bp("quiet"))
    assert set(app.cli.commands) == before
