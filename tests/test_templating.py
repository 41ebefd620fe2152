"""Templates: loaders, autoescaping, context, filters, streaming, signals.

Most tests build the same app on erlen and on real Flask (the ``fw``
fixture) and assert the same output, so Flask's behaviour is the oracle.
"""

from __future__ import annotations

import datetime
import logging
import os
import typing as t
from dataclasses import dataclass
from pathlib import Path

import flask
import flask.signals
import jinja2
import pytest
from markupsafe import Markup

import erlen
import erlen.globals
import erlen.signals
import erlen.templating

HERE = os.path.dirname(os.path.abspath(__file__))


@dataclass
class Framework:
    """One framework under test: its module, app class and signals."""

    name: str
    mod: t.Any
    App: t.Any
    signals: t.Any


FRAMEWORKS = {
    "erlen": Framework("erlen", erlen, erlen.Erlen, erlen.signals),
    "flask": Framework("flask", flask, flask.Flask, flask.signals),
}


@pytest.fixture(params=list(FRAMEWORKS))
def fw(request: pytest.FixtureRequest) -> Framework:
    return FRAMEWORKS[request.param]


def make_app(fw: Framework, **kwargs: t.Any) -> erlen.Erlen:
    # NOTE: typed as erlen.Erlen for both frameworks: the public API is the same
    app = fw.App(__name__, **kwargs)
    app.config["TESTING"] = True
    app.config["SECRET_KEY"] = "test key"
    return t.cast(erlen.Erlen, app)


def make_bp(fw: Framework, name: str, **kwargs: t.Any) -> erlen.Blueprint:
    return t.cast(erlen.Blueprint, fw.mod.Blueprint(name, __name__, **kwargs))


def make_blueprints(fw: Framework) -> tuple[erlen.Blueprint, erlen.Blueprint]:
    bp_a = make_bp(fw, "bp_a", template_folder="blueprint_templates")
    bp_b = make_bp(fw, "bp_b", url_prefix="/b", template_folder="blueprint_templates_b")
    return bp_a, bp_b


# -- loading ---------------------------------------------------------------


def test_app_template_folder(fw: Framework) -> None:
    app = make_app(fw)

    @app.route("/")
    def index() -> str:
        return fw.mod.render_template("index.html", value="x")  # type: ignore[no-any-return]

    assert app.test_client().get("/").data == b"APP: x"


@pytest.mark.parametrize(
    ("name", "expected_ab", "expected_ba"),
    [
        # the app's own folder always wins over blueprints
        ("shared/override.html", "app version of shared", "app version of shared"),
        ("shared/bp_only.html", "blueprint a owns v", "blueprint a owns v"),
        ("shared/b_only.html", "blueprint b only", "blueprint b only"),
        # between blueprints, the one registered first wins
        (
            "shared/both_bps.html",
            "blueprint a version of both",
            "blueprint b version of both",
        ),
    ],
)
@pytest.mark.parametrize("order", ["ab", "ba"])
def test_blueprint_template_lookup_order(
    fw: Framework, order: str, name: str, expected_ab: str, expected_ba: str
) -> None:
    app = make_app(fw)
    bp_a, bp_b = make_blueprints(fw)
    bp_none = make_bp(fw, "no_templates")  # no template_folder
    app.register_blueprint(bp_none)
    for bp in (bp_a, bp_b) if order == "ab" else (bp_b, bp_a):
        app.register_blueprint(bp)
    with app.app_context():
        rendered = fw.mod.render_template(name, value="v")
    assert rendered == (expected_ab if order == "ab" else expected_ba)


def test_blueprint_template_from_blueprint_view(fw: Framework) -> None:
    app = make_app(fw)
    bp_a, _ = make_blueprints(fw)

    @bp_a.route("/page")
    def page() -> str:
        return fw.mod.render_template("shared/bp_only.html", value="in bp")  # type: ignore[no-any-return]

    app.register_blueprint(bp_a)
    assert app.test_client().get("/page").data == b"blueprint a owns in bp"


def test_list_templates(fw: Framework) -> None:
    app = make_app(fw)
    for bp in make_blueprints(fw):
        app.register_blueprint(bp)
    names = set(app.jinja_env.list_templates())
    assert {
        "index.html",
        "mail.txt",
        "autoescape/page.svg",
        "shared/override.html",
        "shared/bp_only.html",
        "shared/both_bps.html",
        "shared/b_only.html",
    } <= names
    assert len(names) == len(app.jinja_env.list_templates())  # deduplicated


def test_list_templates_same_as_flask() -> None:
    names = []
    for fw in FRAMEWORKS.values():
        app = make_app(fw)
        for bp in make_blueprints(fw):
            app.register_blueprint(bp)
        names.append(sorted(app.jinja_env.list_templates()))
    assert names[0] == names[1]


def test_template_not_found(fw: Framework) -> None:
    app = make_app(fw)
    with app.app_context():
        with pytest.raises(jinja2.TemplateNotFound) as exc_info:
            fw.mod.render_template("missing.html")
        assert exc_info.value.name == "missing.html"
        with pytest.raises(jinja2.TemplatesNotFound) as many:
            fw.mod.render_template(["missing.html", "also_missing.html"])
        assert many.value.templates == ["missing.html", "also_missing.html"]
        with pytest.raises(jinja2.TemplateNotFound):
            fw.mod.stream_template("missing.html")


def test_template_not_found_in_view_propagates(fw: Framework) -> None:
    app = make_app(fw)

    @app.route("/")
    def index() -> str:
        return fw.mod.render_template("missing.html")  # type: ignore[no-any-return]

    with pytest.raises(jinja2.TemplateNotFound):
        app.test_client().get("/")
    app.config["TESTING"] = False
    assert app.test_client().get("/").status_code == 500


def test_template_list_selects_first_existing(fw: Framework) -> None:
    app = make_app(fw)
    with app.app_context():
        assert fw.mod.render_template(["missing.html", "index.html"], value=1) == (
            "APP: 1"
        )
        template = app.jinja_env.get_template("mail.txt")
        assert fw.mod.render_template(template, name="T") == (
            "Hello T, from plain text"
        )


def test_render_outside_app_context_raises(fw: Framework) -> None:
    with pytest.raises(RuntimeError, match="application context"):
        fw.mod.render_template("index.html")
    with pytest.raises(RuntimeError, match="application context"):
        fw.mod.render_template_string("x")


def test_explain_template_loading(
    fw: Framework, caplog: pytest.LogCaptureFixture
) -> None:
    app = make_app(fw)
    app.config["EXPLAIN_TEMPLATE_LOADING"] = True
    bp_a, bp_b = make_blueprints(fw)

    @bp_b.route("/missing")
    def missing() -> str:
        return fw.mod.render_template("nope.html")  # type: ignore[no-any-return]

    app.register_blueprint(bp_a)
    app.register_blueprint(bp_b)
    with caplog.at_level(logging.INFO, logger=app.logger.name):
        with app.app_context():
            assert fw.mod.render_template("shared/both_bps.html") == (
                "blueprint a version of both"
            )
        found_text = "\n".join(r.getMessage() for r in caplog.records)
        caplog.clear()
        with pytest.raises(jinja2.TemplateNotFound):
            app.test_client().get("/b/missing")
        missing_text = "\n".join(r.getMessage() for r in caplog.records)

    assert "1: trying loader of application" in found_text
    assert "2: trying loader of blueprint 'bp_a'" in found_text
    assert "3: trying loader of blueprint 'bp_b'" in found_text
    assert "-> no match" in found_text
    assert "-> found" in found_text
    assert "both_bps.html" in found_text
    assert "multiple loaders returned a match" in found_text
    assert "Error: the template could not be found" in missing_text
    assert "the blueprint 'bp_b'" in missing_text


def test_environment_class_and_loader() -> None:
    app = erlen.Erlen(__name__)
    env = app.jinja_env
    assert isinstance(env, erlen.templating.Environment)
    assert env.app is app
    assert isinstance(env.loader, erlen.templating.DispatchingJinjaLoader)
    assert env is app.jinja_env  # built once
    custom = jinja2.DictLoader({"x.html": "custom"})
    env2 = erlen.templating.Environment(app, loader=custom)
    assert env2.loader is custom
    assert env2.get_template("x.html").render() == "custom"


def test_jinja_env_globals_and_policies(fw: Framework) -> None:
    app = make_app(fw)
    env = app.jinja_env
    for name in (
        "url_for",
        "get_flashed_messages",
        "config",
        "request",
        "session",
        "g",
    ):
        assert name in env.globals
    assert env.globals["config"] is app.config
    assert env.policies["json.dumps_function"] == app.json.dumps


# -- autoescaping ------------------------------------------------------------


@pytest.mark.parametrize(
    ("ext", "escaped"),
    [
        ("html", True),
        ("htm", True),
        ("xml", True),
        ("xhtml", True),
        ("svg", True),
        ("txt", False),
    ],
)
def test_autoescape_by_extension(fw: Framework, ext: str, escaped: bool) -> None:
    app = make_app(fw)
    assert app.select_jinja_autoescape(f"page.{ext}") is escaped
    with app.app_context():
        rendered = fw.mod.render_template(f"autoescape/page.{ext}", value="<a & b>")
    assert rendered == ("&lt;a &amp; b&gt;" if escaped else "<a & b>")


def test_autoescape_blocks(fw: Framework) -> None:
    app = make_app(fw)
    with app.app_context():
        rendered = fw.mod.render_template(
            "escaping.html", text="<p>Hi</p>", markup=Markup("<p>Hi</p>")
        )
    assert rendered.splitlines() == [
        "&lt;p&gt;Hi&lt;/p&gt;|<p>Hi</p>",
        "<p>Hi</p>|<p>Hi</p>",
        "&lt;p&gt;Hi&lt;/p&gt;|<p>Hi</p>",
    ]


def test_render_template_string_autoescaped(fw: Framework) -> None:
    app = make_app(fw)
    assert app.select_jinja_autoescape(None) is True

    @app.route("/")
    def index() -> str:
        return fw.mod.render_template_string("{{ v }}|{{ v|safe }}", v="<b>&</b>")  # type: ignore[no-any-return]

    assert app.test_client().get("/").data == b"&lt;b&gt;&amp;&lt;/b&gt;|<b>&</b>"


def test_text_template_not_escaped_in_view(fw: Framework) -> None:
    app = make_app(fw)

    @app.route("/mail")
    def mail() -> str:
        return fw.mod.render_template("mail.txt", name="<Ann>")  # type: ignore[no-any-return]

    assert app.test_client().get("/mail").data == b"Hello <Ann>, from plain text"


# -- filters, tests, globals ---------------------------------------------------


def test_app_template_filters(fw: Framework) -> None:
    app = make_app(fw)

    @app.template_filter()
    def shout(s: str) -> str:
        return s.upper() + "!"

    @app.template_filter("rev")
    def reverse_it(s: str) -> str:
        return s[::-1]

    def double(s: str) -> str:
        return s * 2

    app.add_template_filter(double)
    app.add_template_filter(double, "twice")

    assert app.jinja_env.filters["shout"] is shout
    assert app.jinja_env.filters["rev"] is reverse_it
    assert "reverse_it" not in app.jinja_env.filters
    assert app.jinja_env.filters["double"] is double
    assert app.jinja_env.filters["twice"] is double
    with app.app_context():
        rendered = fw.mod.render_template_string(
            "{{ 'ab'|shout }} {{ 'ab'|rev }} {{ 'ab'|double }} {{ 'c'|twice }}"
        )
    assert rendered == "AB! ba abab cc"


def test_app_template_tests(fw: Framework) -> None:
    app = make_app(fw)

    @app.template_test()
    def boolean(value: object) -> bool:
        return isinstance(value, bool)

    @app.template_test("short")
    def is_short(value: str) -> bool:
        return len(value) < 3

    def positive(value: int) -> bool:
        return value > 0

    app.add_template_test(positive)
    app.add_template_test(positive, "plus")

    assert app.jinja_env.tests["boolean"] is boolean
    assert app.jinja_env.tests["short"] is is_short
    assert app.jinja_env.tests["positive"] is positive
    assert app.jinja_env.tests["plus"] is positive
    with app.app_context():
        rendered = fw.mod.render_template_string(
            "{{ false is boolean }} {{ 'abcd' is short }} {{ 2 is positive }}"
            " {{ -1 is plus }}"
        )
    assert rendered == "True False True False"


def test_app_template_globals(fw: Framework) -> None:
    app = make_app(fw)

    @app.template_global()
    def add(a: int, b: int) -> int:
        return a + b

    @app.template_global("mul")
    def multiply(a: int, b: int) -> int:
        return a * b

    def answer() -> int:
        return 42

    app.add_template_global(answer)
    app.add_template_global(answer, "the_answer")

    assert app.jinja_env.globals["add"] is add
    assert app.jinja_env.globals["mul"] is multiply
    assert app.jinja_env.globals["the_answer"] is answer
    with app.app_context():
        rendered = fw.mod.render_template_string(
            "{{ add(1, 2) }} {{ mul(2, 3) }} {{ answer() }} {{ the_answer() }}"
        )
    assert rendered == "3 6 42 42"


def test_blueprint_filters_tests_globals(fw: Framework) -> None:
    app = make_app(fw)
    bp = make_bp(fw, "bp")

    @bp.app_template_filter()
    def shout(s: str) -> str:
        return s.upper()

    @bp.app_template_filter("rev")
    def reverse_it(s: str) -> str:
        return s[::-1]

    def double(s: str) -> str:
        return s * 2

    bp.add_app_template_filter(double)
    bp.add_app_template_filter(double, "twice")

    @bp.app_template_test()
    def boolean(value: object) -> bool:
        return isinstance(value, bool)

    @bp.app_template_test("short")
    def is_short(value: str) -> bool:
        return len(value) < 3

    def positive(value: int) -> bool:
        return value > 0

    bp.add_app_template_test(positive)
    bp.add_app_template_test(positive, "plus")

    @bp.app_template_global()
    def add(a: int, b: int) -> int:
        return a + b

    @bp.app_template_global("mul")
    def multiply(a: int, b: int) -> int:
        return a * b

    def answer() -> int:
        return 42

    bp.add_app_template_global(answer)
    bp.add_app_template_global(answer, "the_answer")

    # nothing reaches the app until the blueprint is registered
    assert "shout" not in app.jinja_env.filters
    app.register_blueprint(bp)

    env = app.jinja_env
    assert env.filters["shout"] is shout
    assert env.filters["rev"] is reverse_it
    assert env.filters["double"] is double
    assert env.filters["twice"] is double
    assert env.tests["boolean"] is boolean
    assert env.tests["short"] is is_short
    assert env.tests["positive"] is positive
    assert env.tests["plus"] is positive
    assert env.globals["add"] is add
    assert env.globals["mul"] is multiply
    assert env.globals["answer"] is answer
    assert env.globals["the_answer"] is answer

    @app.route("/")
    def index() -> str:
        return fw.mod.render_template_string(  # type: ignore[no-any-return]
            "{{ 'ab'|shout }} {{ 'ab'|rev }} {{ 'ab'|twice }} {{ true is boolean }}"
            " {{ 'abc' is short }} {{ 1 is plus }} {{ add(1, 1) }} {{ mul(3, 3) }}"
            " {{ the_answer() }}"
        )

    assert app.test_client().get("/").data == b"AB ba abab True False True 2 9 42"


# -- context ---------------------------------------------------------------


def test_context_processors(fw: Framework) -> None:
    app = make_app(fw)
    bp = make_bp(fw, "bp", url_prefix="/bp")

    @app.context_processor
    def app_processor() -> dict[str, t.Any]:
        return {"from_app_processor": "A", "injected": "app"}

    @bp.context_processor
    def bp_processor() -> dict[str, t.Any]:
        return {"from_bp_processor": "B", "injected": "bp"}

    @bp.app_context_processor
    def everywhere() -> dict[str, t.Any]:
        return {"value": "everywhere"}

    def view() -> str:
        return fw.mod.render_template("processors.html")  # type: ignore[no-any-return]

    def view_with_value() -> str:
        return fw.mod.render_template("processors.html", value="passed", injected="p")  # type: ignore[no-any-return]

    app.add_url_rule("/", "index", view)
    app.add_url_rule("/passed", "passed", view_with_value)
    bp.add_url_rule("/", "index", view)
    app.register_blueprint(bp)

    client = app.test_client()
    # the blueprint processor runs only for the blueprint's requests, and
    # wins over the app's; explicitly passed values win over both
    assert client.get("/").data == b"everywhere|app|A|"
    assert client.get("/bp/").data == b"everywhere|bp|A|B"
    assert client.get("/passed").data == b"passed|p|A|"
    with app.app_context():
        assert fw.mod.render_template("processors.html") == "everywhere|app|A|"


def test_builtins_available_in_templates(fw: Framework) -> None:
    app = make_app(fw)
    app.config["GREETING"] = "hello"

    @app.route("/")
    def index() -> str:
        return "index"

    @app.route("/builtins")
    def builtins() -> str:
        fw.mod.flash("flashed <msg>")
        fw.mod.session["user"] = "ann"
        fw.mod.g.answer = 42
        return fw.mod.render_template("builtins.html")  # type: ignore[no-any-return]

    response = app.test_client().get("/builtins")
    assert response.data == (
        b"/|[&#39;flashed &lt;msg&gt;&#39;]|hello|/builtins|ann|42"
    )


def test_builtins_in_template_string(fw: Framework) -> None:
    app = make_app(fw)

    @app.route("/<name>")
    def index(name: str) -> str:
        fw.mod.g.x = "gx"
        return fw.mod.render_template_string(  # type: ignore[no-any-return]
            "{{ request.view_args['name'] }}|{{ g.x }}|{{ url_for('index', name='z') }}"
            "|{{ session|length }}|{{ config.TESTING }}"
        )

    assert app.test_client().get("/abc").data == b"abc|gx|/z|0|True"


def test_context_outside_request(fw: Framework) -> None:
    app = make_app(fw)
    with app.app_context():
        fw.mod.g.value = "from g"
        rendered = fw.mod.render_template_string(
            "{{ 'yes' if request else 'no' }}|{{ 'yes' if session else 'no' }}"
            "|{{ g.value }}|{{ config['TESTING'] }}"
        )
    assert rendered == "no|no|from g|True"


def test_default_template_ctx_processor() -> None:
    processor = erlen.templating._default_template_ctx_processor
    assert processor() == {}
    app = erlen.Erlen(__name__)
    app.secret_key = "k"
    assert app.template_context_processors[None] == [processor]
    with app.app_context():
        values = processor()
        assert set(values) == {"g"}
        assert values["g"] is erlen.globals._cv_app.get().g
    with app.test_request_context("/x"):
        values = processor()
        assert set(values) == {"g", "request"}
        assert values["request"] is erlen.globals._cv_request.get().request
        assert values["request"].path == "/x"


def test_update_template_context_keeps_passed_values(fw: Framework) -> None:
    app = make_app(fw)

    @app.context_processor
    def processor() -> dict[str, t.Any]:
        return {"a": "processor", "b": "processor"}

    with app.test_request_context():
        context = {"a": "mine"}
        app.update_template_context(context)
        assert context["a"] == "mine"
        assert context["b"] == "processor"
        assert "request" in context and "g" in context
        # COMPAT: Flask 3.1 leaves session to the env global so that a
        # render does not open the session
        assert "session" not in context


# -- auto reload -------------------------------------------------------------


@pytest.mark.parametrize(
    ("auto_reload", "debug", "expected"),
    [
        (True, False, "second"),
        (None, True, "second"),
        (False, True, "first"),
        (None, False, "first"),
    ],
)
def test_templates_auto_reload(
    fw: Framework,
    tmp_path: Path,
    auto_reload: bool | None,
    debug: bool,
    expected: str,
) -> None:
    template = tmp_path / "page.html"
    template.write_text("first")
    app = make_app(fw, template_folder=str(tmp_path))
    app.config["TEMPLATES_AUTO_RELOAD"] = auto_reload
    app.debug = debug
    with app.app_context():
        assert fw.mod.render_template("page.html") == "first"
        template.write_text("second")
        mtime = template.stat().st_mtime + 10
        os.utime(template, (mtime, mtime))
        assert fw.mod.render_template("page.html") == expected
    assert app.jinja_env.auto_reload is (expected == "second")


def test_debug_set_after_env_created_enables_auto_reload(fw: Framework) -> None:
    app = make_app(fw)
    assert app.jinja_env.auto_reload is False
    app.debug = True
    assert app.jinja_env.auto_reload is True


# -- streaming ---------------------------------------------------------------


def test_stream_template_keeps_request_context(fw: Framework) -> None:
    app = make_app(fw)

    @app.template_global()
    def who() -> str:
        # reads the request proxy while the body is being produced, after
        # the view has returned
        return fw.mod.request.args.get("name", "nobody")  # type: ignore[no-any-return]

    @app.route("/stream")
    def stream() -> t.Any:
        chunks = fw.mod.stream_template("stream.html", items=["<a>", "b"])
        return app.response_class(chunks)

    @app.route("/stream_string")
    def stream_string() -> t.Any:
        return app.response_class(
            fw.mod.stream_template_string("{{ who() }}/{{ x }}", x="<y>")
        )

    client = app.test_client()
    response = client.get("/stream?name=ann")
    assert response.data == b"<ul><li>&lt;a&gt;</li><li>b</li></ul>ann"
    assert client.get("/stream_string?name=bo").data == b"bo/&lt;y&gt;"


def test_stream_template_is_lazy_iterator(fw: Framework) -> None:
    app = make_app(fw)
    with app.app_context():
        chunks = fw.mod.stream_template("index.html", value="v")
        assert not isinstance(chunks, str)
        assert "".join(chunks) == "APP: v"
        assert "".join(fw.mod.stream_template_string("{{ 1 + 1 }}")) == "2"


# -- signals ---------------------------------------------------------------


def test_signals_render_template(fw: Framework) -> None:
    app = make_app(fw)
    before: list[tuple[t.Any, str | None, dict[str, t.Any]]] = []
    rendered: list[tuple[t.Any, str | None, dict[str, t.Any]]] = []

    def on_before(
        sender: t.Any,
        template: jinja2.Template,
        context: dict[str, t.Any],
        **extra: t.Any,
    ) -> None:
        context["whiskey"] = 43  # receivers may change the context
        before.append((sender, template.name, dict(context)))

    def on_rendered(
        sender: t.Any,
        template: jinja2.Template,
        context: dict[str, t.Any],
        **extra: t.Any,
    ) -> None:
        rendered.append((sender, template.name, dict(context)))

    @app.route("/")
    def index() -> str:
        return fw.mod.render_template("signals.html", value=1, whiskey=42)  # type: ignore[no-any-return]

    with fw.signals.before_render_template.connected_to(on_before, app):
        with fw.signals.template_rendered.connected_to(on_rendered, app):
            assert app.test_client().get("/").data == b"1|43"
            with app.app_context():
                fw.mod.render_template_string("{{ value }}", value=2)

    assert [(s, n) for s, n, _ in before] == [(app, "signals.html"), (app, None)]
    assert [(s, n) for s, n, _ in rendered] == [(app, "signals.html"), (app, None)]
    assert rendered[0][2]["value"] == 1
    assert rendered[0][2]["whiskey"] == 43
    assert "request" in rendered[0][2] and "g" in rendered[0][2]
    assert rendered[1][2]["value"] == 2


def test_signals_stream_template(fw: Framework) -> None:
    app = make_app(fw)
    events: list[str] = []

    def on_before(
        sender: t.Any,
        template: jinja2.Template,
        context: dict[str, t.Any],
        **extra: t.Any,
    ) -> None:
        events.append("before")

    def on_rendered(
        sender: t.Any,
        template: jinja2.Template,
        context: dict[str, t.Any],
        **extra: t.Any,
    ) -> None:
        events.append("rendered")

    with fw.signals.before_render_template.connected_to(on_before, app):
        with fw.signals.template_rendered.connected_to(on_rendered, app):
            with app.app_context():
                chunks = fw.mod.stream_template("index.html", value="v")
                assert events == ["before"]
                assert "".join(chunks) == "APP: v"
                assert events == ["before", "rendered"]


def test_signals_not_sent_to_other_apps(fw: Framework) -> None:
    app = make_app(fw)
    other = make_app(fw)
    seen: list[t.Any] = []

    def record(sender: t.Any, **extra: t.Any) -> None:
        seen.append(sender)

    with fw.signals.template_rendered.connected_to(record, other):
        with app.app_context():
            fw.mod.render_template_string("x")
    assert seen == []


# -- tojson ----------------------------------------------------------------

TOJSON_VALUES: list[t.Any] = [
    "<script>alert('x') & \"y\"</script>",
    {"b": 1, "a": [1, 2.5, None, True, False], "é": "ü"},
    datetime.datetime(2024, 2, 29, 12, 30, 5, tzinfo=datetime.timezone.utc),
    datetime.date(2024, 1, 2),
    [],
    "",
    "</script><!-- -->",
]


def render_tojson(fw: Framework, value: t.Any, *, template: bool) -> str:
    app = make_app(fw)
    with app.app_context():
        if template:
            return fw.mod.render_template("tojson.html", data=value)  # type: ignore[no-any-return]
        return fw.mod.render_template_string(  # type: ignore[no-any-return]
            "<script>var d = {{ data|tojson }};</script>", data=value
        )


@pytest.mark.parametrize("value", TOJSON_VALUES)
@pytest.mark.parametrize("template", [True, False])
def test_tojson_same_as_flask(value: t.Any, template: bool) -> None:
    ours = render_tojson(FRAMEWORKS["erlen"], value, template=template)
    theirs = render_tojson(FRAMEWORKS["flask"], value, template=template)
    assert ours == theirs


def test_tojson_escapes_html(fw: Framework) -> None:
    rendered = render_tojson(fw, "</script>&'", template=True)
    assert rendered == '"\\u003c/script\\u003e\\u0026\\u0027"'
    assert render_tojson(fw, {"b": 1, "a": 2}, template=True) == '{"a": 2, "b": 1}'


@pytest.mark.parametrize(
    ("source", "vary"),
    [("{{ request.path }}", None), ("{{ session.get('x') }}", "Cookie")],
)
def test_render_does_not_open_session(
    fw: Framework, source: str, vary: str | None
) -> None:
    app = make_app(fw)

    @app.route("/")
    def index() -> str:
        return fw.mod.render_template_string(source)  # type: ignore[no-any-return]

    response = app.test_client().get("/")
    assert response.status_code == 200
    assert response.headers.get("Vary") == vary
