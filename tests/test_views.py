"""Class-based views: View, MethodView, decorators, automatic OPTIONS/HEAD.

Each test defines its views against one framework (``fw``: erlen or real
Flask) and asserts the same responses, so Flask's behaviour is the oracle.
"""

from __future__ import annotations

import typing as t
from dataclasses import dataclass

import flask
import flask.views
import pytest

import erlen
import erlen.views


@dataclass
class Framework:
    """One framework under test: its module, app class and views module."""

    name: str
    mod: t.Any
    App: t.Any
    views: t.Any


FRAMEWORKS = {
    "erlen": Framework("erlen", erlen, erlen.Erlen, erlen.views),
    "flask": Framework("flask", flask, flask.Flask, flask.views),
}


@pytest.fixture(params=list(FRAMEWORKS))
def fw(request: pytest.FixtureRequest) -> Framework:
    return FRAMEWORKS[request.param]


def make_app(fw: Framework) -> erlen.Erlen:
    # NOTE: typed as erlen.Erlen for both frameworks: the public API is the same
    app = fw.App(__name__)
    app.config["TESTING"] = True
    return t.cast(erlen.Erlen, app)


def allow(response: t.Any) -> list[str]:
    return sorted(v.strip() for v in response.headers["Allow"].split(","))


def test_basic_view(fw: Framework) -> None:
    class Index(fw.views.View):  # type: ignore[misc,name-defined]
        methods = ["GET", "POST"]

        def dispatch_request(self) -> str:
            return fw.mod.request.method  # type: ignore[no-any-return]

    app = make_app(fw)
    app.add_url_rule("/", view_func=Index.as_view("index"))
    client = app.test_client()
    assert client.get("/").data == b"GET"
    assert client.post("/").data == b"POST"
    response = client.put("/")
    assert response.status_code == 405
    assert allow(response) == ["GET", "HEAD", "OPTIONS", "POST"]
    response = client.open("/", method="OPTIONS")
    assert response.status_code == 200
    assert allow(response) == ["GET", "HEAD", "OPTIONS", "POST"]
    response = client.head("/")
    assert response.status_code == 200
    assert response.data == b""


def test_url_variables_and_class_args(fw: Framework) -> None:
    class Greet(fw.views.View):  # type: ignore[misc,name-defined]
        def __init__(self, greeting: str, *, punct: str = ".") -> None:
            self.greeting = greeting
            self.punct = punct

        def dispatch_request(self, name: str) -> str:
            return f"{self.greeting}, {name}{self.punct}"

    app = make_app(fw)
    app.add_url_rule("/hi/<name>", view_func=Greet.as_view("hi", "Hi", punct="!"))
    assert app.test_client().get("/hi/ann").data == b"Hi, ann!"


def test_as_view_attributes(fw: Framework) -> None:
    class Documented(fw.views.View):  # type: ignore[misc,name-defined]
        """The class docstring."""

        methods = ["GET"]
        provide_automatic_options = False

        def dispatch_request(self) -> str:
            return ""

    view = Documented.as_view("documented")
    assert view.__name__ == "documented"
    assert view.__doc__ == "The class docstring."
    assert view.__module__ == __name__
    assert view.view_class is Documented
    assert view.methods == ["GET"]
    assert view.provide_automatic_options is False

    class Plain(fw.views.View):  # type: ignore[misc,name-defined]
        pass

    plain = Plain.as_view("plain")
    assert plain.methods is None
    assert plain.provide_automatic_options is None
    assert plain.__doc__ is None


def test_base_view_not_implemented(fw: Framework) -> None:
    app = make_app(fw)
    app.add_url_rule("/", view_func=fw.views.View.as_view("base"))
    with pytest.raises(NotImplementedError):
        app.test_client().get("/")


def test_method_view(fw: Framework) -> None:
    class Counter(fw.views.MethodView):  # type: ignore[misc,name-defined]
        def get(self) -> str:
            return "get"

        def post(self) -> str:
            return "post"

    assert Counter.methods == {"GET", "POST"}
    app = make_app(fw)
    app.add_url_rule("/", view_func=Counter.as_view("counter"))
    client = app.test_client()
    assert client.get("/").data == b"get"
    assert client.post("/").data == b"post"
    response = client.delete("/")
    assert response.status_code == 405
    assert allow(response) == ["GET", "HEAD", "OPTIONS", "POST"]
    response = client.open("/", method="OPTIONS")
    assert allow(response) == ["GET", "HEAD", "OPTIONS", "POST"]


def test_method_view_with_url_variables(fw: Framework) -> None:
    class Item(fw.views.MethodView):  # type: ignore[misc,name-defined]
        def get(self, item_id: int) -> str:
            return f"item {item_id}"

        def put(self, item_id: int) -> str:
            return f"put {item_id}"

    app = make_app(fw)
    app.add_url_rule("/items/<int:item_id>", view_func=Item.as_view("item"))
    client = app.test_client()
    assert client.get("/items/3").data == b"item 3"
    assert client.put("/items/4").data == b"put 4"


def test_method_view_implicit_head(fw: Framework) -> None:
    class Page(fw.views.MethodView):  # type: ignore[misc,name-defined]
        def get(self) -> t.Any:
            return fw.mod.Response("body", headers={"X-Method": fw.mod.request.method})

    assert Page.methods == {"GET"}
    app = make_app(fw)
    app.add_url_rule("/", view_func=Page.as_view("page"))
    response = app.test_client().head("/")
    assert response.status_code == 200
    assert response.data == b""
    assert response.headers["X-Method"] == "HEAD"
    assert response.headers["Content-Length"] == "4"


def test_method_view_explicit_head(fw: Framework) -> None:
    class Page(fw.views.MethodView):  # type: ignore[misc,name-defined]
        def get(self) -> str:
            return "GET"

        def head(self) -> t.Any:
            return fw.mod.Response("", headers={"X-Head": "yes"})

    assert Page.methods == {"GET", "HEAD"}
    app = make_app(fw)
    app.add_url_rule("/", view_func=Page.as_view("page"))
    client = app.test_client()
    assert client.get("/").data == b"GET"
    response = client.head("/")
    assert response.data == b""
    assert response.headers["X-Head"] == "yes"


def test_method_view_inheritance(fw: Framework) -> None:
    class GetView(fw.views.MethodView):  # type: ignore[misc,name-defined]
        def get(self) -> str:
            return "GET"

    class DeleteView(fw.views.MethodView):  # type: ignore[misc,name-defined]
        def delete(self) -> str:
            return "DELETE"

    class GetDeleteView(GetView, DeleteView):
        pass

    class GetPostView(GetView):
        def post(self) -> str:
            return "POST"

    class OverrideGet(GetPostView):
        def get(self) -> str:
            return "overridden GET"

    assert GetDeleteView.methods == {"GET", "DELETE"}
    assert GetPostView.methods == {"GET", "POST"}
    assert OverrideGet.methods == {"GET", "POST"}

    app = make_app(fw)
    app.add_url_rule("/gd", view_func=GetDeleteView.as_view("gd"))
    app.add_url_rule("/gp", view_func=GetPostView.as_view("gp"))
    app.add_url_rule("/o", view_func=OverrideGet.as_view("o"))
    client = app.test_client()
    assert client.get("/gd").data == b"GET"
    assert client.delete("/gd").data == b"DELETE"
    assert client.post("/gd").status_code == 405
    assert client.get("/gp").data == b"GET"
    assert client.post("/gp").data == b"POST"
    assert client.get("/o").data == b"overridden GET"
    assert client.post("/o").data == b"POST"


def test_methods_inherited_from_plain_base(fw: Framework) -> None:
    # methods set on a non-MethodView base are merged with the handlers
    class Mixin:
        methods: t.ClassVar[t.Collection[str]] = ["PATCH"]

    class View(Mixin, fw.views.MethodView):  # type: ignore[misc,name-defined]
        def get(self) -> str:
            return "GET"

        def patch(self) -> str:
            return "PATCH"

    assert View.methods == {"GET", "PATCH"}


def test_method_view_explicit_methods_win(fw: Framework) -> None:
    class Parent(fw.views.MethodView):  # type: ignore[misc,name-defined]
        def get(self) -> str:
            return "GET"

        def post(self) -> str:
            return "POST"

    class OnlyGet(Parent):
        methods = ["GET"]

    assert OnlyGet.methods == ["GET"]
    app = make_app(fw)
    app.add_url_rule("/", view_func=OnlyGet.as_view("only_get"))
    client = app.test_client()
    assert client.get("/").data == b"GET"
    response = client.post("/")
    assert response.status_code == 405
    assert allow(response) == ["GET", "HEAD", "OPTIONS"]


def test_method_view_without_handlers(fw: Framework) -> None:
    class Empty(fw.views.MethodView):  # type: ignore[misc,name-defined]
        pass

    assert Empty.methods is None
    assert "methods" not in Empty.__dict__


def test_method_view_unimplemented_method_asserts(fw: Framework) -> None:
    class Partial(fw.views.MethodView):  # type: ignore[misc,name-defined]
        methods = ["GET", "POST"]

        def get(self) -> str:
            return "GET"

    app = make_app(fw)
    app.add_url_rule("/", view_func=Partial.as_view("partial"))
    client = app.test_client()
    assert client.get("/").data == b"GET"
    with pytest.raises(AssertionError, match="Unimplemented method 'POST'"):
        client.post("/")


def test_view_decorators(fw: Framework) -> None:
    order: list[str] = []

    def tag(label: str) -> t.Callable[[t.Any], t.Any]:
        def decorator(view: t.Any) -> t.Any:
            # the name is set before the first decorator runs
            order.append(f"{label}:{view.__name__}")

            def wrapped(**kwargs: t.Any) -> t.Any:
                response = fw.mod.make_response(view(**kwargs))
                response.headers.add("X-Tag", label)
                return response

            return wrapped

        return decorator

    class Index(fw.views.View):  # type: ignore[misc,name-defined]
        decorators = [tag("inner"), tag("outer")]

        def dispatch_request(self) -> str:
            return "Awesome"

    view = Index.as_view("index")
    assert order == ["inner:index", "outer:wrapped"]
    # the final function still gets the view attributes
    assert view.__name__ == "index"
    assert view.view_class is Index
    app = make_app(fw)
    app.add_url_rule("/", view_func=view)
    response = app.test_client().get("/")
    assert response.data == b"Awesome"
    assert response.headers.getlist("X-Tag") == ["inner", "outer"]


def test_view_class_can_be_patched(fw: Framework) -> None:
    class Index(fw.views.MethodView):  # type: ignore[misc,name-defined]
        def get(self) -> str:
            return "original"

    class Patched(Index):
        def get(self) -> str:
            return "patched"

    view = Index.as_view("index")
    view.view_class = Patched
    app = make_app(fw)
    app.add_url_rule("/", view_func=view)
    assert app.test_client().get("/").data == b"patched"


def test_provide_automatic_options_false(fw: Framework) -> None:
    class Index(fw.views.View):  # type: ignore[misc,name-defined]
        provide_automatic_options = False

        def dispatch_request(self) -> str:
            return "Hello World!"

    app = make_app(fw)
    app.add_url_rule("/", view_func=Index.as_view("index"))
    response = app.test_client().open("/", method="OPTIONS")
    assert response.status_code == 405
    assert "OPTIONS" not in allow(response)


def test_provide_automatic_options_true_with_own_options(fw: Framework) -> None:
    class Index(fw.views.MethodView):  # type: ignore[misc,name-defined]
        def get(self) -> str:
            return "GET"

        def options(self) -> t.Any:
            return fw.mod.Response("custom", headers={"Allow": "GET, OPTIONS"})

    assert Index.methods == {"GET", "OPTIONS"}
    app = make_app(fw)
    app.add_url_rule("/", view_func=Index.as_view("index"))
    response = app.test_client().open("/", method="OPTIONS")
    assert response.data == b"custom"
    assert allow(response) == ["GET", "OPTIONS"]


def test_endpoint_override(fw: Framework) -> None:
    class Index(fw.views.View):  # type: ignore[misc,name-defined]
        methods = ["GET", "POST"]

        def dispatch_request(self) -> str:
            return fw.mod.url_for("custom")  # type: ignore[no-any-return]

    app = make_app(fw)
    app.add_url_rule("/", endpoint="custom", view_func=Index.as_view("index"))
    assert "custom" in app.view_functions and "index" not in app.view_functions
    assert app.test_client().get("/").data == b"/"
    with pytest.raises(AssertionError):
        # the same endpoint mapped to a different function
        app.add_url_rule("/other", endpoint="custom", view_func=Index.as_view("index"))


@pytest.mark.parametrize("every_request", [True, False])
def test_init_every_request(fw: Framework, every_request: bool) -> None:
    created: list[object] = []

    class Index(fw.views.View):  # type: ignore[misc,name-defined]
        init_every_request = every_request

        def __init__(self, prefix: str) -> None:
            created.append(self)
            self.prefix = prefix
            self.count = 0

        def dispatch_request(self) -> str:
            self.count += 1
            return f"{self.prefix}{self.count}"

    view = Index.as_view("index", "n=")
    assert len(created) == (0 if every_request else 1)
    app = make_app(fw)
    app.add_url_rule("/", view_func=view)
    client = app.test_client()
    bodies = [client.get("/").data for _ in range(3)]
    if every_request:
        assert bodies == [b"n=1", b"n=1", b"n=1"]
        assert len(created) == 3
    else:
        assert bodies == [b"n=1", b"n=2", b"n=3"]
        assert len(created) == 1


def test_view_in_blueprint(fw: Framework) -> None:
    class Item(fw.views.MethodView):  # type: ignore[misc,name-defined]
        def get(self) -> str:
            return fw.mod.request.endpoint  # type: ignore[no-any-return]

    bp = t.cast(erlen.Blueprint, fw.mod.Blueprint("bp", __name__, url_prefix="/bp"))
    bp.add_url_rule("/item", view_func=Item.as_view("item"))
    app = make_app(fw)
    app.register_blueprint(bp)
    assert app.test_client().get("/bp/item").data == b"bp.item"


def test_async_method_view_erlen() -> None:
    # Flask needs the asgiref extra for async views; erlen runs them itself.
    class AsyncView(erlen.views.MethodView):
        async def get(self) -> str:
            return "async get"

        async def post(self) -> str:
            return "async post"

    class AsyncPlain(erlen.views.View):
        async def dispatch_request(self) -> str:  # type: ignore[override]
            return "async dispatch"

    assert AsyncView.methods == {"GET", "POST"}
    app = erlen.Erlen(__name__)
    app.add_url_rule("/", view_func=AsyncView.as_view("a"))
    app.add_url_rule("/plain", view_func=AsyncPlain.as_view("p"))
    client = app.test_client()
    assert client.get("/").data == b"async get"
    assert client.post("/").data == b"async post"
    assert client.get("/plain").data == b"async dispatch"
