"""Routing: rules, converters, methods, automatic HEAD/OPTIONS, redirects, hosts.

Each scenario is built by a factory that takes the framework module (erlen
or real Flask). Tests parametrised over ``fw`` assert the same expected
values for both; the ``same`` helper runs one scenario on both frameworks
and requires identical status, ``Location``, ``Allow``, ``Content-Type``
and body, so Flask is the oracle for the details (error pages, redirect
targets).
"""

from __future__ import annotations

import typing as t
from types import ModuleType

import flask
import pytest
from werkzeug.routing import BaseConverter
from werkzeug.routing import ValidationError

import erlen

FRAMEWORKS = [erlen, flask]


@pytest.fixture(params=FRAMEWORKS, ids=["erlen", "flask"])
def fw(request: pytest.FixtureRequest) -> ModuleType:
    return t.cast(ModuleType, request.param)


def make_app(fw: ModuleType, **kwargs: t.Any) -> erlen.Erlen:
    """A Flask or erlen app (typed as erlen's) in testing mode; ``kwargs`` go to the constructor."""
    app_class = fw.Flask if fw is flask else fw.Erlen
    app = app_class(__name__, **kwargs)
    app.config["TESTING"] = True
    return t.cast(erlen.Erlen, app)


Snapshot = tuple[int, str | None, tuple[str, ...] | None, str | None, bytes]


def snapshot(response: t.Any) -> Snapshot:
    """What two frameworks must agree on for one response."""
    allow = response.headers.get("Allow")
    allow_set = None
    if allow is not None:
        allow_set = tuple(sorted(v.strip() for v in allow.split(",")))
    return (
        response.status_code,
        response.headers.get("Location"),
        allow_set,
        response.headers.get("Content-Type"),
        response.get_data(),
    )


Request = tuple[str, str, dict[str, t.Any]]


def run(app: t.Any, requests: list[Request]) -> list[Snapshot]:
    client = app.test_client()
    return [
        snapshot(client.open(path, method=method, **kw))
        for method, path, kw in requests
    ]


def same(
    build: t.Callable[[ModuleType], t.Any], requests: list[Request]
) -> list[Snapshot]:
    """Run ``requests`` on the app ``build`` makes for each framework; return erlen's results."""
    ours = run(build(erlen), requests)
    theirs = run(build(flask), requests)
    for request, a, b in zip(requests, ours, theirs, strict=True):
        assert a == b, request
    return ours


def allow(response: t.Any) -> list[str]:
    return sorted(v.strip() for v in response.headers["Allow"].split(","))


def text(body: str) -> t.Callable[..., str]:
    """A view that returns ``body``; its default endpoint is ``body`` too."""

    def view(**kwargs: t.Any) -> str:
        return body

    view.__name__ = body
    return view


def method_view() -> str:
    """A view that returns the request method (of whichever framework is active)."""
    req = erlen.request if erlen.has_request_context() else flask.request
    return req.method


def show_args(**kwargs: t.Any) -> str:
    """A view body that shows the type and value of each argument."""
    return ";".join(f"{k}={type(v).__name__}:{v!r}" for k, v in sorted(kwargs.items()))


# -- converters ----------------------------------------------------------------

UUID = "f7a3a3b2-8e4b-4c59-9c2a-3e1b7e1c2d4f"

CONVERTER_CASES = [
    # (rule, path, status, body)
    ("/s/<name>", "/s/abc", 200, "name=str:'abc'"),
    ("/s/<name>", "/s/a%20b", 200, "name=str:'a b'"),
    ("/s/<name>", "/s/%C3%A4", 200, "name=str:'ä'"),
    ("/s/<name>", "/s/a/b", 404, None),
    ("/s/<name>", "/s/", 404, None),
    ("/s/<string:name>", "/s/x.y", 200, "name=str:'x.y'"),
    ("/s/<string(length=3):name>", "/s/abc", 200, "name=str:'abc'"),
    ("/s/<string(length=3):name>", "/s/ab", 404, None),
    ("/s/<string(minlength=2, maxlength=3):name>", "/s/ab", 200, "name=str:'ab'"),
    ("/s/<string(minlength=2, maxlength=3):name>", "/s/a", 404, None),
    ("/s/<string(minlength=2, maxlength=3):name>", "/s/abcd", 404, None),
    ("/i/<int:n>", "/i/42", 200, "n=int:42"),
    ("/i/<int:n>", "/i/0", 200, "n=int:0"),
    ("/i/<int:n>", "/i/-1", 404, None),
    ("/i/<int:n>", "/i/abc", 404, None),
    ("/i/<int:n>", "/i/4.2", 404, None),
    ("/i/<int:n>", "/i/", 404, None),
    ("/i/<int:n>", "/i/1_000", 404, None),
    ("/i/<int(signed=True):n>", "/i/-5", 200, "n=int:-5"),
    ("/i/<int(signed=True):n>", "/i/5", 200, "n=int:5"),
    ("/i/<int(min=1, max=10):n>", "/i/1", 200, "n=int:1"),
    ("/i/<int(min=1, max=10):n>", "/i/10", 200, "n=int:10"),
    ("/i/<int(min=1, max=10):n>", "/i/0", 404, None),
    ("/i/<int(min=1, max=10):n>", "/i/11", 404, None),
    ("/i/<int(signed=True, max=3):n>", "/i/-30", 200, "n=int:-30"),
    ("/i/<int(signed=True, max=3):n>", "/i/4", 404, None),
    ("/i/<int(fixed_digits=4):n>", "/i/0042", 200, "n=int:42"),
    ("/i/<int(fixed_digits=4):n>", "/i/42", 404, None),
    ("/f/<float:x>", "/f/1.5", 200, "x=float:1.5"),
    ("/f/<float:x>", "/f/0.0", 200, "x=float:0.0"),
    ("/f/<float:x>", "/f/1", 404, None),
    ("/f/<float:x>", "/f/-1.5", 404, None),
    ("/f/<float(signed=True):x>", "/f/-1.5", 200, "x=float:-1.5"),
    ("/f/<float(max=2.0):x>", "/f/2.5", 404, None),
    ("/p/<path:p>", "/p/a", 200, "p=str:'a'"),
    ("/p/<path:p>", "/p/a/b/c.txt", 200, "p=str:'a/b/c.txt'"),
    ("/p/<path:p>", "/p/", 404, None),
    ("/p/<path:p>/edit", "/p/a/b/edit", 200, "p=str:'a/b'"),
    ("/u/<uuid:u>", f"/u/{UUID}", 200, f"u=UUID:UUID('{UUID}')"),
    ("/u/<uuid:u>", f"/u/{UUID.upper()}", 200, f"u=UUID:UUID('{UUID}')"),
    ("/u/<uuid:u>", "/u/not-a-uuid", 404, None),
    ("/u/<uuid:u>", f"/u/{UUID[:-1]}", 404, None),
    ("/a/<any(red, green, blue):c>", "/a/green", 200, "c=str:'green'"),
    ("/a/<any(red, green, blue):c>", "/a/pink", 404, None),
    ("/a/<any(red, green, blue):c>", "/a/gree", 404, None),
    ("/a/<any('a.b', c):c>", "/a/a.b", 200, "c=str:'a.b'"),
    (
        "/d/<int:y>/<int:m>/<slug>",
        "/d/2024/05/hello",
        200,
        "m=int:5;slug=str:'hello';y=int:2024",
    ),
    ("/d/<int:y>-<int:m>", "/d/2024-5", 200, "m=int:5;y=int:2024"),
    ("/x<int:n>.json", "/x7.json", 200, "n=int:7"),
]


@pytest.mark.parametrize(("rule", "path", "status", "body"), CONVERTER_CASES)
def test_builtin_converters(
    fw: ModuleType, rule: str, path: str, status: int, body: str | None
) -> None:
    app = make_app(fw)
    app.add_url_rule(rule, "view", show_args)
    response = app.test_client().get(path)
    assert response.status_code == status
    if body is not None:
        assert response.get_data(as_text=True) == body


@pytest.mark.parametrize(
    ("rule", "path"), [(r, p) for r, p, s, _ in CONVERTER_CASES if s == 404][:8]
)
def test_converter_mismatch_page_matches_flask(rule: str, path: str) -> None:
    def build(fw: ModuleType) -> t.Any:
        app = make_app(fw)
        app.add_url_rule(rule, "view", show_args)
        return app

    same(build, [("GET", path, {}), ("HEAD", path, {}), ("POST", path, {})])


class ListConverter(BaseConverter):
    """Comma-separated list in the URL, a Python list in the view."""

    def to_python(self, value: str) -> list[str]:
        return value.split(",")

    def to_url(self, value: t.Any) -> str:
        return ",".join(BaseConverter.to_url(self, v) for v in value)


class EvenConverter(BaseConverter):
    """Digits that must form an even number; odd ones fail validation (404)."""

    regex = r"\d+"
    part_isolating = True

    def to_python(self, value: str) -> int:
        n = int(value)
        if n % 2:
            raise ValidationError()
        return n

    def to_url(self, value: t.Any) -> str:
        return str(int(value))


class PrefixConverter(BaseConverter):
    """A converter with arguments: ``<prefix("id-"):x>``."""

    def __init__(self, map: t.Any, prefix: str) -> None:
        super().__init__(map)
        self.prefix = prefix
        self.regex = f"{prefix}[a-z]+"

    def to_python(self, value: str) -> str:
        return value[len(self.prefix) :]

    def to_url(self, value: t.Any) -> str:
        return f"{self.prefix}{value}"


def converter_app(fw: ModuleType) -> t.Any:
    app = make_app(fw)
    app.url_map.converters["list"] = ListConverter
    app.url_map.converters["even"] = EvenConverter
    app.url_map.converters["prefix"] = PrefixConverter
    app.add_url_rule("/l/<list:items>", "items", show_args)
    app.add_url_rule("/e/<even:n>", "even", show_args)
    app.add_url_rule("/p/<prefix('id-'):key>", "prefixed", show_args)
    return app


@pytest.mark.parametrize(
    ("path", "status", "body"),
    [
        ("/l/a,b,c", 200, "items=list:['a', 'b', 'c']"),
        ("/l/a", 200, "items=list:['a']"),
        ("/e/4", 200, "n=int:4"),
        ("/e/0", 200, "n=int:0"),
        ("/e/3", 404, None),
        ("/e/x", 404, None),
        ("/p/id-abc", 200, "key=str:'abc'"),
        ("/p/abc", 404, None),
    ],
)
def test_custom_converters(
    fw: ModuleType, path: str, status: int, body: str | None
) -> None:
    response = converter_app(fw).test_client().get(path)
    assert response.status_code == status
    if body is not None:
        assert response.get_data(as_text=True) == body


@pytest.mark.parametrize(
    ("endpoint", "values", "url"),
    [
        ("items", {"items": ["a", "b c"]}, "/l/a,b%20c"),
        ("even", {"n": 8}, "/e/8"),
        ("even", {"n": "10"}, "/e/10"),
        ("prefixed", {"key": "xyz"}, "/p/id-xyz"),
    ],
)
def test_custom_converter_to_url(
    fw: ModuleType, endpoint: str, values: dict[str, t.Any], url: str
) -> None:
    app = converter_app(fw)
    with app.test_request_context():
        assert fw.url_for(endpoint, **values) == url


def test_custom_converter_pages_match_flask() -> None:
    same(
        converter_app,
        [("GET", "/e/3", {}), ("GET", "/l/x,y", {}), ("HEAD", "/e/2", {})],
    )


def test_converter_preference_int_before_string(fw: ModuleType) -> None:
    app = make_app(fw)
    app.add_url_rule("/v/<name>", "by_name", show_args)
    app.add_url_rule("/v/<int:n>", "by_int", show_args)
    app.add_url_rule("/v/static", "fixed", text("fixed"))
    client = app.test_client()
    assert client.get("/v/5").data == b"n=int:5"
    assert client.get("/v/five").data == b"name=str:'five'"
    assert client.get("/v/static").data == b"fixed"


def test_unknown_converter_raises_lookup_error(fw: ModuleType) -> None:
    app = make_app(fw)
    with pytest.raises(LookupError, match="nope"):
        app.add_url_rule("/<nope:x>", "x", show_args)


# -- route decorators and add_url_rule -------------------------------------------


def test_route_decorator_returns_function(fw: ModuleType) -> None:
    app = make_app(fw)

    def index() -> str:
        return "index"

    assert app.route("/")(index) is index
    assert app.get("/g")(index) is index
    assert app.view_functions["index"] is index
    assert app.test_client().get("/").data == b"index"


def test_add_url_rule_without_view_then_endpoint(fw: ModuleType) -> None:
    app = make_app(fw)
    app.add_url_rule("/foo", "foo_ep")
    app.add_url_rule("/bar/<int:n>", endpoint="bar_ep", methods=["POST"])

    @app.endpoint("foo_ep")
    def foo() -> str:
        return "foo"

    @app.endpoint("bar_ep")
    def bar(n: int) -> str:
        return f"bar {n}"

    assert foo() == "foo"
    client = app.test_client()
    assert client.get("/foo").data == b"foo"
    assert client.post("/bar/3").data == b"bar 3"
    assert client.get("/bar/3").status_code == 405
    assert app.view_functions["foo_ep"] is foo


def test_rule_without_view_function_raises_key_error(fw: ModuleType) -> None:
    app = make_app(fw)
    app.add_url_rule("/nothing", "nothing")
    with pytest.raises(KeyError, match="nothing"):
        app.test_client().get("/nothing")


def test_add_url_rule_requires_endpoint_or_view(fw: ModuleType) -> None:
    app = make_app(fw)
    with pytest.raises(AssertionError, match="expected view func"):
        app.add_url_rule("/x")


@pytest.mark.parametrize(
    ("options", "expected_endpoint"),
    [
        ({}, "show_args"),
        ({"endpoint": "custom"}, "custom"),
        ({"endpoint": "with.dot"}, "with.dot"),
    ],
)
def test_endpoint_name(
    fw: ModuleType, options: dict[str, t.Any], expected_endpoint: str
) -> None:
    app = make_app(fw)
    app.route("/e", **options)(show_args)
    assert app.view_functions[expected_endpoint] is show_args
    rules = [r for r in app.url_map.iter_rules() if r.rule == "/e"]
    assert [r.endpoint for r in rules] == [expected_endpoint]
    with app.test_request_context("/e"):
        assert fw.request.endpoint == expected_endpoint
        assert fw.request.url_rule.rule == "/e"
        assert fw.request.view_args == {}
        assert fw.url_for(expected_endpoint) == "/e"


def test_duplicate_endpoint_raises(fw: ModuleType) -> None:
    app = make_app(fw)

    @app.route("/a")
    def index() -> str:
        return "a"

    def other() -> str:
        return "b"

    with pytest.raises(AssertionError) as exc_info:
        app.add_url_rule("/b", "index", other)
    assert str(exc_info.value) == (
        "View function mapping is overwriting an existing endpoint function: index"
    )


def test_same_function_on_two_rules_is_allowed(fw: ModuleType) -> None:
    app = make_app(fw)

    @app.route("/one")
    @app.route("/two/<int:n>")
    def page(n: int = 1) -> str:
        return f"page {n}"

    client = app.test_client()
    assert client.get("/one").data == b"page 1"
    assert client.get("/two/2").data == b"page 2"
    with app.test_request_context():
        assert fw.url_for("page") == "/one"
        assert fw.url_for("page", n=5) == "/two/5"


def test_view_functions_attributes(fw: ModuleType) -> None:
    app = make_app(fw)

    def view() -> str:
        return fw.request.method  # type: ignore[no-any-return]

    view.methods = ["put", "PATCH"]  # type: ignore[attr-defined]
    view.required_methods = ["DELETE"]  # type: ignore[attr-defined]
    app.add_url_rule("/v", "v", view)
    client = app.test_client()
    assert client.put("/v").data == b"PUT"
    assert client.patch("/v").data == b"PATCH"
    assert client.delete("/v").data == b"DELETE"
    response = client.get("/v")
    assert response.status_code == 405
    assert allow(response) == ["DELETE", "OPTIONS", "PATCH", "PUT"]


def test_methods_string_raises_type_error(fw: ModuleType) -> None:
    app = make_app(fw)
    with pytest.raises(TypeError, match="Allowed methods must be a list of strings"):
        app.add_url_rule("/x", "x", show_args, methods="POST")


SHORTCUTS = ["get", "post", "put", "patch", "delete"]
ALL_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]


@pytest.mark.parametrize("shortcut", SHORTCUTS)
@pytest.mark.parametrize("method", ALL_METHODS)
def test_method_shortcuts(fw: ModuleType, shortcut: str, method: str) -> None:
    app = make_app(fw)

    route: t.Callable[[str], t.Callable[[t.Callable[[], str]], t.Callable[[], str]]]
    route = getattr(app, shortcut)

    @route("/r")
    def r() -> str:
        return f"{shortcut}:{fw.request.method}"

    response = app.test_client().open("/r", method=method)
    if method.lower() == shortcut:
        assert response.status_code == 200
        assert response.get_data(as_text=True) == f"{shortcut}:{method}"
    else:
        assert response.status_code == 405
        expected = {shortcut.upper(), "OPTIONS"} | (
            {"HEAD"} if shortcut == "get" else set()
        )
        assert allow(response) == sorted(expected)


@pytest.mark.parametrize("shortcut", SHORTCUTS)
def test_method_shortcut_rejects_methods(fw: ModuleType, shortcut: str) -> None:
    app = make_app(fw)
    with pytest.raises(TypeError) as exc_info:
        getattr(app, shortcut)("/r", methods=["GET"])
    assert (
        str(exc_info.value)
        == "Use the 'route' decorator to use the 'methods' argument."
    )


@pytest.mark.parametrize("shortcut", SHORTCUTS)
def test_method_shortcuts_on_blueprint(fw: ModuleType, shortcut: str) -> None:
    app = make_app(fw)
    bp = fw.Blueprint("bp", __name__, url_prefix="/bp")
    getattr(bp, shortcut)("/r")(text(shortcut))
    with pytest.raises(TypeError):
        getattr(bp, shortcut)("/s", methods=["GET"])
    app.register_blueprint(bp)
    client = app.test_client()
    assert client.open("/bp/r", method=shortcut.upper()).data == shortcut.encode()


# -- methods, HEAD, OPTIONS, 405 ---------------------------------------------------

METHOD_CASES = [
    # (route methods, request method, status, Allow or None, body)
    (None, "GET", 200, None, b"GET"),
    (None, "HEAD", 200, None, b""),
    (None, "OPTIONS", 200, ["GET", "HEAD", "OPTIONS"], b""),
    (None, "POST", 405, ["GET", "HEAD", "OPTIONS"], None),
    (None, "DELETE", 405, ["GET", "HEAD", "OPTIONS"], None),
    (["POST"], "POST", 200, None, b"POST"),
    (["POST"], "GET", 405, ["OPTIONS", "POST"], None),
    (["POST"], "HEAD", 405, ["OPTIONS", "POST"], None),
    (["POST"], "OPTIONS", 200, ["OPTIONS", "POST"], b""),
    (["get", "post"], "POST", 200, None, b"POST"),
    (["get", "post"], "PUT", 405, ["GET", "HEAD", "OPTIONS", "POST"], None),
    (("PUT", "DELETE"), "DELETE", 200, None, b"DELETE"),
    (("PUT", "DELETE"), "GET", 405, ["DELETE", "OPTIONS", "PUT"], None),
    (["GET", "OPTIONS"], "OPTIONS", 200, None, b"OPTIONS"),
    (["GET", "HEAD"], "HEAD", 200, None, b""),
    (["PROPFIND"], "PROPFIND", 200, None, b"PROPFIND"),
    (["PROPFIND"], "GET", 405, ["OPTIONS", "PROPFIND"], None),
]


@pytest.mark.parametrize(
    ("methods", "method", "status", "allowed", "body"), METHOD_CASES
)
def test_methods(
    fw: ModuleType,
    methods: t.Any,
    method: str,
    status: int,
    allowed: list[str] | None,
    body: bytes | None,
) -> None:
    app = make_app(fw)
    options = {} if methods is None else {"methods": methods}

    @app.route("/m", **options)
    def m() -> str:
        return fw.request.method  # type: ignore[no-any-return]

    response = app.test_client().open("/m", method=method)
    assert response.status_code == status
    if allowed is not None:
        assert allow(response) == allowed
    else:
        assert "Allow" not in response.headers
    if body is not None:
        assert response.data == body


@pytest.mark.parametrize(("methods", "method"), [(m, r) for m, r, *_ in METHOD_CASES])
def test_method_responses_match_flask(methods: t.Any, method: str) -> None:
    def build(fw: ModuleType) -> t.Any:
        app = make_app(fw)
        options = {} if methods is None else {"methods": methods}
        app.route("/m", **options)(method_view)
        return app

    same(build, [(method, "/m", {})])


def test_head_keeps_headers_without_body(fw: ModuleType) -> None:
    app = make_app(fw)
    app.route("/h")(lambda: ("hello world", {"X-Extra": "1"}))
    client = app.test_client()
    get = client.get("/h")
    head = client.head("/h")
    assert head.status_code == 200
    assert head.data == b""
    assert head.headers["Content-Length"] == get.headers["Content-Length"] == "11"
    assert head.headers["X-Extra"] == "1"
    assert head.headers["Content-Type"] == "text/html; charset=utf-8"


def test_head_reaches_view_as_head(fw: ModuleType) -> None:
    app = make_app(fw)
    seen: list[str] = []

    @app.route("/h")
    def h() -> str:
        seen.append(fw.request.method)
        return "body"

    app.test_client().head("/h")
    assert seen == ["HEAD"]


@pytest.mark.parametrize(
    ("route_opt", "config_opt", "attr", "expected_status"),
    [
        (None, True, None, 200),
        (False, True, None, 405),
        # An explicit True does not add OPTIONS to the rule's methods.
        (True, False, None, 405),
        (True, True, None, 405),
        (None, False, None, 405),
        (None, True, False, 405),
        (None, False, True, 405),
        (True, True, False, 405),
    ],
)
def test_provide_automatic_options(
    fw: ModuleType,
    route_opt: bool | None,
    config_opt: bool,
    attr: bool | None,
    expected_status: int,
) -> None:
    app = make_app(fw)
    app.config["PROVIDE_AUTOMATIC_OPTIONS"] = config_opt

    def view() -> str:
        return "view"

    if attr is not None:
        view.provide_automatic_options = attr  # type: ignore[attr-defined]
    options = {} if route_opt is None else {"provide_automatic_options": route_opt}
    app.add_url_rule("/o", "o", view, **options)
    response = app.test_client().options("/o")
    assert response.status_code == expected_status
    if expected_status == 200:
        assert response.data == b""
        assert allow(response) == ["GET", "HEAD", "OPTIONS"]
    else:
        assert allow(response) == ["GET", "HEAD"]


def test_provide_automatic_options_false_with_options_method(fw: ModuleType) -> None:
    app = make_app(fw)

    @app.route("/o", methods=["GET", "OPTIONS"], provide_automatic_options=False)
    def o() -> str:
        return f"custom {fw.request.method}"

    response = app.test_client().options("/o")
    assert response.data == b"custom OPTIONS"
    assert "Allow" not in response.headers


def test_options_allow_unions_rules_on_same_path(fw: ModuleType) -> None:
    app = make_app(fw)
    app.route("/same", methods=["GET"])(text("get"))
    app.route("/same", methods=["POST"])(text("post"))
    app.route("/same", methods=["DELETE"], provide_automatic_options=False)(
        text("delete")
    )
    client = app.test_client()
    assert allow(client.options("/same")) == [
        "DELETE",
        "GET",
        "HEAD",
        "OPTIONS",
        "POST",
    ]
    assert client.post("/same").data == b"post"
    assert client.delete("/same").data == b"delete"
    response = client.put("/same")
    assert response.status_code == 405
    assert allow(response) == ["DELETE", "GET", "HEAD", "OPTIONS", "POST"]


def test_options_on_unknown_path_is_404(fw: ModuleType) -> None:
    app = make_app(fw)
    app.route("/")(text("x"))
    assert app.test_client().options("/missing").status_code == 404


def test_options_with_url_variables(fw: ModuleType) -> None:
    app = make_app(fw)
    app.route("/item/<int:n>", methods=["GET", "PUT"])(show_args)
    client = app.test_client()
    assert allow(client.options("/item/3")) == ["GET", "HEAD", "OPTIONS", "PUT"]
    assert client.options("/item/x").status_code == 404


def test_method_not_allowed_handler(fw: ModuleType) -> None:
    app = make_app(fw)
    app.route("/only-post", methods=["POST"])(text("ok"))

    @app.errorhandler(405)
    def handle(e: t.Any) -> tuple[str, int]:
        return f"no: {','.join(sorted(e.valid_methods))}", 405

    response = app.test_client().get("/only-post")
    assert response.status_code == 405
    assert response.data == b"no: OPTIONS,POST"


def test_not_found_handler_sees_routing_exception(fw: ModuleType) -> None:
    app = make_app(fw)
    seen: list[t.Any] = []

    @app.errorhandler(404)
    def handle(e: t.Any) -> tuple[str, int]:
        seen.append(fw.request.routing_exception is e)
        seen.append(fw.request.url_rule)
        seen.append(fw.request.endpoint)
        return "missing", 404

    response = app.test_client().get("/nope")
    assert response.data == b"missing"
    assert seen == [True, None, None]


def test_error_pages_match_flask() -> None:
    def build(fw: ModuleType) -> t.Any:
        app = make_app(fw)
        app.route("/get")(text("g"))
        app.route("/post", methods=["POST"])(text("p"))
        return app

    results = same(
        build,
        [
            ("GET", "/nope", {}),
            ("HEAD", "/nope", {}),
            ("POST", "/get", {}),
            ("HEAD", "/post", {}),
            ("OPTIONS", "/post", {}),
            ("PATCH", "/post", {}),
        ],
    )
    assert [r[0] for r in results] == [404, 404, 405, 405, 200, 405]


# -- strict slashes and redirects ---------------------------------------------------


def slashes_app(fw: ModuleType) -> t.Any:
    app = make_app(fw)
    app.route("/dir/")(text("dir"))
    app.route("/file")(text("file"))
    app.route("/loose/", strict_slashes=False)(text("loose"))
    app.route("/loosefile", strict_slashes=False)(text("loosefile"))
    app.route("/post/", methods=["POST"])(method_view)
    app.route("/user/<name>/")(show_args)
    app.route("/files/<path:p>/")(show_args)
    return app


SLASH_CASES = [
    # (method, path, query, status, location)
    ("GET", "/dir/", "", 200, None),
    ("GET", "/dir", "", 308, "http://localhost/dir/"),
    ("HEAD", "/dir", "", 308, "http://localhost/dir/"),
    ("GET", "/dir", "a=1&b=2", 308, "http://localhost/dir/?a=1&b=2"),
    ("GET", "/dir", "x=%C3%A4&x=2", 308, "http://localhost/dir/?x=%C3%A4&x=2"),
    ("GET", "/file", "", 200, None),
    ("GET", "/file/", "", 404, None),
    ("GET", "/loose/", "", 200, None),
    ("GET", "/loose", "", 200, None),
    ("GET", "/loosefile", "", 200, None),
    ("GET", "/loosefile/", "", 200, None),
    ("POST", "/post", "", 308, "http://localhost/post/"),
    ("POST", "/post/", "", 200, None),
    ("GET", "/user/joe", "", 308, "http://localhost/user/joe/"),
    ("GET", "/user/joe/", "", 200, None),
    ("GET", "/files/a/b", "", 308, "http://localhost/files/a/b/"),
    ("GET", "/user//joe/", "", 308, "http://localhost/user/joe/"),
    ("GET", "/user/joe//", "", 308, "http://localhost/user/joe/"),
    ("GET", "/file//", "", 404, None),
    ("GET", "/dir//", "", 308, "http://localhost/dir/"),
]


@pytest.mark.parametrize(("method", "path", "query", "status", "location"), SLASH_CASES)
def test_strict_slashes(
    fw: ModuleType,
    method: str,
    path: str,
    query: str,
    status: int,
    location: str | None,
) -> None:
    response = (
        slashes_app(fw).test_client().open(path, method=method, query_string=query)
    )
    assert response.status_code == status
    assert response.headers.get("Location") == location


def test_strict_slashes_responses_match_flask() -> None:
    same(
        slashes_app,
        [(m, p, {"query_string": q}) for m, p, q, *_ in SLASH_CASES],
    )


def test_strict_slashes_redirect_with_script_root(fw: ModuleType) -> None:
    app = slashes_app(fw)
    response = app.test_client().get("/dir", base_url="https://example.test:8443/root/")
    assert response.status_code == 308
    assert response.headers["Location"] == "https://example.test:8443/root/dir/"


def test_strict_slashes_redirect_followed(fw: ModuleType) -> None:
    response = slashes_app(fw).test_client().post("/post", follow_redirects=True)
    assert response.status_code == 200
    assert response.data == b"POST"
    assert [r.status_code for r in response.history] == [308]


def test_map_level_strict_slashes(fw: ModuleType) -> None:
    app = make_app(fw)
    app.url_map.strict_slashes = False
    app.route("/dir/")(text("dir"))
    assert app.test_client().get("/dir").status_code == 200


def test_redirect_is_not_passed_to_error_handlers(fw: ModuleType) -> None:
    app = make_app(fw)
    app.route("/dir/")(text("dir"))

    @app.errorhandler(Exception)
    def any_error(e: Exception) -> str:
        return "handled"

    response = app.test_client().get("/dir")
    assert response.status_code == 308


def test_redirect_in_debug_mode_for_get(fw: ModuleType) -> None:
    app = slashes_app(fw)
    app.debug = True
    response = app.test_client().get("/dir")
    assert response.status_code == 308


def precedence_app(fw: ModuleType) -> t.Any:
    """Rules that compete for one path: duplicates, methods, canonical defaults."""
    app = make_app(fw)
    app.add_url_rule("/dup", "first", text("first"))
    app.add_url_rule("/dup", "second", text("second"))
    app.add_url_rule("/a", "canon", text("a"), defaults={"x": 1})
    app.add_url_rule("/b", "canon")
    app.add_url_rule("/x", "xget", text("xget"))
    app.add_url_rule("/<name>", "dyn", show_args, methods=["POST"])
    app.add_url_rule("/s/", "s", text("s"))
    app.add_url_rule("/s", "s2", text("s2"), methods=["POST"])
    app.add_url_rule("/m", "m1", text("m1"), methods=["GET"])
    app.add_url_rule("/m", "m2", text("m2"), methods=["GET", "POST"])
    app.add_url_rule("/bo", "bo", text("bo"), build_only=True)
    app.add_url_rule("/lang", "lang", show_args, defaults={"lang": "en"})
    app.add_url_rule("/lang2", "lang")
    return app


PRECEDENCE_REQUESTS: list[Request] = [
    ("GET", "/dup", {}),
    ("GET", "/a", {}),
    ("GET", "/b", {}),
    ("GET", "/x", {}),
    ("HEAD", "/x", {}),
    ("POST", "/x", {}),
    ("TRACE", "/x", {}),
    ("GET", "/x/", {}),
    ("GET", "/%78", {}),
    ("GET", "/x", {"base_url": "http://localhost/root/"}),
    ("GET", "/s", {}),
    ("POST", "/s", {}),
    ("PUT", "/s", {}),
    ("GET", "/m", {}),
    ("POST", "/m", {}),
    ("OPTIONS", "/m", {}),
    ("GET", "/bo", {}),
    ("GET", "/lang", {}),
    ("GET", "/lang2", {}),
    ("GET", "/", {"base_url": "http://localhost/x"}),
]


def test_rule_precedence_matches_flask() -> None:
    results = same(precedence_app, PRECEDENCE_REQUESTS)
    bodies = {
        req[:2]: r[4] for req, r in zip(PRECEDENCE_REQUESTS, results, strict=True)
    }
    assert bodies["GET", "/dup"] == b"first"
    assert bodies["POST", "/x"] == b"name=str:'x'"
    assert bodies["GET", "/m"] == b"m1"
    assert bodies["GET", "/lang"] == b"lang=str:'en'"


# -- defaults ------------------------------------------------------------------------


def defaults_app(fw: ModuleType) -> t.Any:
    app = make_app(fw)

    @app.route("/page/", defaults={"n": 1})
    @app.route("/page/<int:n>")
    def page(n: int) -> str:
        return f"page {n}"

    @app.route("/lang", defaults={"lang": "en", "x": 0})
    def lang(lang: str, x: int) -> str:
        return f"{lang} {x}"

    @app.route("/users/", defaults={"user": None})
    @app.route("/users/<user>")
    def users(user: str | None) -> str:
        return f"user {user}"

    return app


DEFAULTS_CASES = [
    ("/page/", "", 200, b"page 1", None),
    ("/page/2", "", 200, b"page 2", None),
    ("/page/1", "", 308, None, "http://localhost/page/"),
    ("/page/1", "q=1", 308, None, "http://localhost/page/?q=1"),
    ("/page", "", 308, None, "http://localhost/page/"),
    ("/lang", "", 200, b"en 0", None),
    ("/users/", "", 200, b"user None", None),
    ("/users/bob", "", 200, b"user bob", None),
]


@pytest.mark.parametrize(
    ("path", "query", "status", "body", "location"), DEFAULTS_CASES
)
def test_defaults(
    fw: ModuleType,
    path: str,
    query: str,
    status: int,
    body: bytes | None,
    location: str | None,
) -> None:
    response = defaults_app(fw).test_client().get(path, query_string=query)
    assert response.status_code == status
    assert response.headers.get("Location") == location
    if body is not None:
        assert response.data == body


def test_defaults_responses_match_flask() -> None:
    same(defaults_app, [("GET", p, {"query_string": q}) for p, q, *_ in DEFAULTS_CASES])


@pytest.mark.parametrize(
    ("endpoint", "values", "url"),
    [
        ("page", {}, "/page/"),
        ("page", {"n": 1}, "/page/"),
        ("page", {"n": 3}, "/page/3"),
        ("lang", {}, "/lang"),
        ("lang", {"lang": "en"}, "/lang"),
        ("users", {}, "/users/"),
        ("users", {"user": "amy"}, "/users/amy"),
    ],
)
def test_defaults_url_for(
    fw: ModuleType, endpoint: str, values: dict[str, t.Any], url: str
) -> None:
    app = defaults_app(fw)
    with app.test_request_context():
        assert fw.url_for(endpoint, **values) == url


def test_defaults_with_blueprint_url_defaults(fw: ModuleType) -> None:
    app = make_app(fw)
    bp = fw.Blueprint("bp", __name__, url_defaults={"kind": "bp"})
    bp.route("/k", defaults={"extra": 1})(show_args)
    app.register_blueprint(bp, url_prefix="/a")
    app.register_blueprint(bp, url_prefix="/b", name="b2", url_defaults={"kind": "b2"})
    client = app.test_client()
    assert client.get("/a/k").data == b"extra=int:1;kind=str:'bp'"
    assert client.get("/b/k").data == b"extra=int:1;kind=str:'b2'"


# -- redirect_to -------------------------------------------------------------------------


def redirect_to_app(fw: ModuleType) -> t.Any:
    app = make_app(fw)
    app.route("/new")(text("new"))
    app.add_url_rule("/old", "old", redirect_to="/new")
    app.add_url_rule("/old-item/<int:n>", "old_item", redirect_to="/item/<n>")
    app.add_url_rule(
        "/cb/<name>",
        "cb",
        redirect_to=lambda adapter, name: f"/hello/{name.upper()}",
    )
    app.add_url_rule("/far", "far", redirect_to="https://elsewhere.test/x")
    return app


@pytest.mark.parametrize(
    ("path", "location"),
    [
        ("/old", "http://localhost/new"),
        ("/old-item/5", "http://localhost/item/5"),
        ("/cb/joe", "http://localhost/hello/JOE"),
        ("/far", "https://elsewhere.test/x"),
    ],
)
def test_redirect_to(fw: ModuleType, path: str, location: str) -> None:
    response = redirect_to_app(fw).test_client().get(path)
    assert response.status_code == 308
    assert response.headers["Location"] == location


def test_redirect_to_matches_flask() -> None:
    same(
        redirect_to_app,
        [
            ("GET", "/old", {}),
            ("GET", "/old", {"query_string": "a=1"}),
            ("POST", "/old", {}),
            ("GET", "/old-item/5", {}),
            ("GET", "/cb/x", {}),
            ("GET", "/far", {}),
        ],
    )


# -- subdomains and hosts -----------------------------------------------------------------


def subdomain_app(fw: ModuleType, subdomain_matching: bool = True) -> t.Any:
    app = make_app(fw, subdomain_matching=subdomain_matching)
    app.config["SERVER_NAME"] = "example.test"
    app.route("/")(text("main"))
    app.route("/", subdomain="api")(text("api"))
    app.route("/u", subdomain="<user>", endpoint="user")(show_args)
    bp = fw.Blueprint("admin", __name__, subdomain="admin")
    bp.route("/")(text("admin"))
    app.register_blueprint(bp)
    return app


SUBDOMAIN_CASES = [
    # (base_url, path, status, body)
    ("http://example.test/", "/", 200, b"main"),
    ("http://api.example.test/", "/", 200, b"api"),
    ("http://admin.example.test/", "/", 200, b"admin"),
    ("http://joe.example.test/", "/u", 200, b"user=str:'joe'"),
    ("http://example.test/", "/u", 404, None),
    ("http://other.example.test/", "/", 404, None),
    ("http://a.b.example.test/", "/u", 200, b"user=str:'a.b'"),
]


@pytest.mark.parametrize(("base_url", "path", "status", "body"), SUBDOMAIN_CASES)
def test_subdomain_matching(
    fw: ModuleType, base_url: str, path: str, status: int, body: bytes | None
) -> None:
    response = subdomain_app(fw).test_client().get(path, base_url=base_url)
    assert response.status_code == status
    if body is not None:
        assert response.data == body


@pytest.mark.parametrize("subdomain_matching", [True, False])
@pytest.mark.filterwarnings("ignore:Current server name:UserWarning")
def test_subdomain_responses_match_flask(subdomain_matching: bool) -> None:
    same(
        lambda fw: subdomain_app(fw, subdomain_matching),
        [("GET", p, {"base_url": b}) for b, p, *_ in SUBDOMAIN_CASES]
        + [("GET", "/", {"base_url": "http://unrelated.test/"})],
    )


def test_subdomain_rules_ignored_without_subdomain_matching(fw: ModuleType) -> None:
    app = subdomain_app(fw, subdomain_matching=False)
    client = app.test_client()
    assert client.get("/", base_url="http://api.example.test/").data == b"main"
    assert client.get("/u", base_url="http://joe.example.test/").status_code == 404


@pytest.mark.parametrize(
    ("endpoint", "values", "url"),
    [
        ("main", {}, "http://example.test/"),
        ("api", {}, "http://api.example.test/"),
        ("user", {"user": "amy"}, "http://amy.example.test/u"),
        ("admin.admin", {}, "http://admin.example.test/"),
    ],
)
def test_subdomain_url_for(
    fw: ModuleType, endpoint: str, values: dict[str, t.Any], url: str
) -> None:
    app = subdomain_app(fw)
    with app.app_context():
        assert fw.url_for(endpoint, **values) == url
    with app.test_request_context("/", base_url="http://api.example.test/"):
        assert fw.url_for(endpoint, _external=True, **values) == url


def test_default_subdomain(fw: ModuleType) -> None:
    app = make_app(fw, subdomain_matching=True)
    app.config["SERVER_NAME"] = "example.test"
    app.url_map.default_subdomain = "www"
    app.route("/")(text("www"))
    client = app.test_client()
    assert client.get("/", base_url="http://www.example.test/").data == b"www"
    assert client.get("/", base_url="http://example.test/").status_code == 404


@pytest.mark.parametrize("server_name", [None, "example.test"])
@pytest.mark.parametrize("base_url", ["http://localhost/", "http://www.example.test/"])
def test_default_subdomain_without_subdomain_matching(
    fw: ModuleType, server_name: str | None, base_url: str
) -> None:
    """Without subdomain matching the request counts as on ``default_subdomain``."""
    app = make_app(fw)
    app.config["SERVER_NAME"] = server_name
    app.url_map.default_subdomain = "www"
    app.route("/")(text("www"))
    app.route("/item/<int:n>")(show_args)
    app.route("/bare", subdomain="")(text("bare"))
    app.route("/bare/<int:n>", subdomain="")(show_args)
    client = app.test_client()
    assert client.get("/", base_url=base_url).data == b"www"
    assert client.get("/item/3", base_url=base_url).data == b"n=int:3"
    assert client.get("/bare", base_url=base_url).status_code == 404
    assert client.get("/bare/3", base_url=base_url).status_code == 404


def host_app(fw: ModuleType) -> t.Any:
    app = make_app(fw, host_matching=True, static_host="static.test")
    app.route("/", host="a.test")(text("a"))
    app.route("/", host="b.test")(text("b"))
    app.route("/t", host="<tenant>.tenants.test", endpoint="tenant")(show_args)
    return app


HOST_CASES = [
    ("http://a.test/", "/", 200, b"a"),
    ("http://b.test/", "/", 200, b"b"),
    ("http://c.test/", "/", 404, None),
    ("http://acme.tenants.test/", "/t", 200, b"tenant=str:'acme'"),
    ("http://a.test/", "/t", 404, None),
    ("http://static.test/", "/static/missing.css", 404, None),
    ("http://a.test/", "/static/missing.css", 404, None),
]


@pytest.mark.parametrize(("base_url", "path", "status", "body"), HOST_CASES)
def test_host_matching(
    fw: ModuleType, base_url: str, path: str, status: int, body: bytes | None
) -> None:
    response = host_app(fw).test_client().get(path, base_url=base_url)
    assert response.status_code == status
    if body is not None:
        assert response.data == body


def test_host_matching_responses_match_flask() -> None:
    same(host_app, [("GET", p, {"base_url": b}) for b, p, *_ in HOST_CASES])


def test_host_matching_static_route(fw: ModuleType) -> None:
    app = host_app(fw)
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == "static")
    assert rule.host == "static.test"
    with app.test_request_context("/", base_url="http://a.test/"):
        assert (
            fw.url_for("static", filename="x.css") == "http://static.test/static/x.css"
        )
        assert fw.url_for("tenant", tenant="z") == "http://z.tenants.test/t"
        assert fw.url_for("b") == "http://b.test/"
        assert fw.url_for("a") == "/"


@pytest.mark.parametrize(
    ("kwargs", "ok"),
    [
        ({"host_matching": True}, False),
        ({"static_host": "s.test"}, False),
        ({"host_matching": True, "static_host": "s.test"}, True),
        ({"host_matching": True, "static_folder": None}, True),
        ({}, True),
    ],
)
def test_static_host_combination(
    fw: ModuleType, kwargs: dict[str, t.Any], ok: bool
) -> None:
    if ok:
        make_app(fw, **kwargs)
    else:
        with pytest.raises(
            AssertionError, match="Invalid static_host/host_matching combination"
        ):
            make_app(fw, **kwargs)


# -- the map, request attributes, setup rules ---------------------------------------------


def rules_app(fw: ModuleType) -> t.Any:
    app = make_app(fw, static_url_path="/assets")
    app.route("/")(text("index"))
    app.route("/p/<int:n>", methods=["POST", "PUT"], endpoint="p")(show_args)
    app.route("/o", provide_automatic_options=False)(text("o"))
    app.add_url_rule("/noview", "noview")
    bp = fw.Blueprint("bp", __name__, url_prefix="/bp")
    bp.route("/")(text("bp"))
    bp.route("")(text("bp-empty"))
    app.register_blueprint(bp)
    return app


def rule_table(app: t.Any) -> list[tuple[str, str, tuple[str, ...], t.Any]]:
    return [
        (r.rule, r.endpoint, tuple(sorted(r.methods)), r.defaults)
        for r in app.url_map.iter_rules()
    ]


def test_iter_rules_matches_flask() -> None:
    ours = rule_table(rules_app(erlen))
    assert ours == rule_table(rules_app(flask))
    assert ours[0] == (
        "/assets/<path:filename>",
        "static",
        ("GET", "HEAD", "OPTIONS"),
        None,
    )
    assert ("/p/<int:n>", "p", ("OPTIONS", "POST", "PUT"), None) in ours
    assert ("/o", "o", ("GET", "HEAD"), None) in ours
    assert ("/bp/", "bp.bp", ("GET", "HEAD", "OPTIONS"), {}) in ours


def test_iter_rules_by_endpoint(fw: ModuleType) -> None:
    app = rules_app(fw)
    assert [r.rule for r in app.url_map.iter_rules("p")] == ["/p/<int:n>"]
    with pytest.raises(KeyError):
        list(app.url_map.iter_rules("missing"))


def test_rules_carry_provide_automatic_options(fw: ModuleType) -> None:
    app = rules_app(fw)
    flags = {r.endpoint: r.provide_automatic_options for r in app.url_map.iter_rules()}
    assert flags["p"] is True
    assert flags["o"] is False
    assert flags["static"] is True


def test_request_routing_attributes(fw: ModuleType) -> None:
    app = rules_app(fw)
    with app.test_request_context("/p/7", method="PUT"):
        req = fw.request
        assert req.url_rule.rule == "/p/<int:n>"
        assert req.endpoint == "p"
        assert req.view_args == {"n": 7}
        assert req.blueprint is None
        assert req.routing_exception is None
    with app.test_request_context("/bp/"):
        assert fw.request.endpoint == "bp.bp"
        assert fw.request.blueprint == "bp"
        assert fw.request.blueprints == ["bp"]
    with app.test_request_context("/missing"):
        assert fw.request.url_rule is None
        assert fw.request.view_args is None
        assert fw.request.routing_exception.code == 404
    with app.test_request_context("/p/7"):
        assert fw.request.routing_exception.code == 405


def test_custom_url_rule_class(fw: ModuleType) -> None:
    from werkzeug.routing import Rule

    class TaggedRule(Rule):
        tagged = True

    app_class = fw.Flask if fw is flask else fw.Erlen

    class App(app_class):  # type: ignore[misc,valid-type]
        url_rule_class = TaggedRule

    app = App(__name__)
    app.route("/")(text("x"))
    assert all(isinstance(r, TaggedRule) for r in app.url_map.iter_rules())


@pytest.mark.parametrize(
    "setup",
    [
        lambda app: app.route("/late")(lambda: "late"),
        lambda app: app.add_url_rule("/late", "late", lambda: "late"),
        lambda app: app.get("/late")(lambda: "late"),
        lambda app: app.post("/late"),
        lambda app: app.endpoint("late")(lambda: "late"),
        lambda app: app.before_request(lambda: None),
        lambda app: app.url_defaults(lambda e, v: None),
        lambda app: app.url_value_preprocessor(lambda e, v: None),
        lambda app: app.errorhandler(404)(lambda e: "x"),
    ],
    ids=[
        "route",
        "add_url_rule",
        "get",
        "post",
        "endpoint",
        "before_request",
        "url_defaults",
        "url_value_preprocessor",
        "errorhandler",
    ],
)
def test_setup_after_first_request(
    fw: ModuleType, setup: t.Callable[[t.Any], t.Any]
) -> None:
    app = make_app(fw)
    app.route("/")(text("x"))
    app.test_client().get("/")
    with pytest.raises(
        AssertionError, match="can no longer be called on the application"
    ):
        setup(app)


def test_setup_allowed_after_request_context_only(fw: ModuleType) -> None:
    app = make_app(fw)
    with app.test_request_context("/"):
        pass
    app.route("/")(text("still fine"))
    assert app.test_client().get("/").data == b"still fine"


# -- view return values -------------------------------------------------------------------


def test_view_returning_none_raises(fw: ModuleType) -> None:
    app = make_app(fw)

    @app.route("/none")  # type: ignore[type-var]
    def none() -> None:
        pass

    with pytest.raises(TypeError) as exc_info:
        app.test_client().get("/none")
    assert str(exc_info.value) == (
        "The view function for 'none' did not return a valid response."
        " The function either returned None or ended without a return statement."
    )


def test_view_returning_none_is_500_when_not_propagating(fw: ModuleType) -> None:
    app = make_app(fw)
    app.config.update(TESTING=False, PROPAGATE_EXCEPTIONS=False)
    app.logger.disabled = True
    app.route("/none")(lambda: None)  # type: ignore[type-var]
    response = app.test_client().get("/none")
    assert response.status_code == 500


def test_view_none_500_page_matches_flask() -> None:
    def build(fw: ModuleType) -> t.Any:
        app = make_app(fw)
        app.config.update(TESTING=False, PROPAGATE_EXCEPTIONS=False)
        app.logger.disabled = True
        app.route("/none")(lambda: None)  # type: ignore[type-var]
        return app

    same(build, [("GET", "/none", {})])


# -- blueprints and prefixes ---------------------------------------------------------------

PREFIX_CASES = [
    # (bp url_prefix, register url_prefix, rule, path)
    ("/bp", None, "/x", "/bp/x"),
    ("/bp/", None, "/x", "/bp/x"),
    ("/bp", None, "x", "/bp/x"),
    ("/bp", None, "/", "/bp/"),
    ("/bp", None, "", "/bp"),
    ("/bp", "/other", "/x", "/other/x"),
    (None, "/reg", "/x", "/reg/x"),
    (None, None, "/x", "/x"),
    ("/<lang>", None, "/x", "/en/x"),
]


@pytest.mark.parametrize(("bp_prefix", "reg_prefix", "rule", "path"), PREFIX_CASES)
def test_blueprint_url_prefix(
    fw: ModuleType, bp_prefix: str | None, reg_prefix: str | None, rule: str, path: str
) -> None:
    app = make_app(fw)
    bp = fw.Blueprint("bp", __name__, url_prefix=bp_prefix)
    bp.add_url_rule(rule, "view", lambda **kw: "ok")
    options = {} if reg_prefix is None else {"url_prefix": reg_prefix}
    app.register_blueprint(bp, **options)
    assert app.test_client().get(path).data == b"ok"
    with app.test_request_context():
        values = {"lang": "en"} if "<lang>" in (bp_prefix or "") else {}
        assert fw.url_for("bp.view", **values) == path


def test_nested_blueprint_routing(fw: ModuleType) -> None:
    app = make_app(fw)
    parent = fw.Blueprint("parent", __name__, url_prefix="/parent")
    child = fw.Blueprint("child", __name__, url_prefix="/child")
    grandchild = fw.Blueprint("grandchild", __name__)
    grandchild.route("/g")(text("g"))
    child.route("/c")(text("c"))
    child.register_blueprint(grandchild, url_prefix="/gc")
    parent.register_blueprint(child)
    app.register_blueprint(parent)
    client = app.test_client()
    assert client.get("/parent/child/c").data == b"c"
    assert client.get("/parent/child/gc/g").data == b"g"
    assert app.view_functions.keys() >= {"parent.child.c", "parent.child.grandchild.g"}
    with app.test_request_context("/parent/child/gc/g"):
        assert fw.request.blueprints == [
            "parent.child.grandchild",
            "parent.child",
            "parent",
        ]


def test_blueprint_rules_match_flask() -> None:
    def build(fw: ModuleType) -> t.Any:
        app = make_app(fw)
        parent = fw.Blueprint("parent", __name__, url_prefix="/p", subdomain="s")
        child = fw.Blueprint("child", __name__, url_prefix="/c", subdomain="x")
        child.route("/r", methods=["POST"])(text("r"))
        parent.route("/", defaults={"a": 1})(text("p"))
        parent.register_blueprint(child)
        app.register_blueprint(parent)
        app.register_blueprint(parent, name="again", url_prefix="/again")
        return app

    def table(app: t.Any) -> list[t.Any]:
        return [
            (r.rule, r.endpoint, sorted(r.methods), r.subdomain, r.defaults)
            for r in app.url_map.iter_rules()
        ]

    assert table(build(erlen)) == table(build(flask))
