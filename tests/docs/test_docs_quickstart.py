"""The quickstart's examples, through the WSGI and the ASGI test clients."""

from __future__ import annotations

import types
import typing as t
from pathlib import Path

import pytest

from erlen.cli import ScriptInfo

LoadExample = t.Callable[[str], types.ModuleType]

FRONTS = [pytest.param(False, id="wsgi"), pytest.param(True, id="asgi")]


@pytest.mark.parametrize("asgi", FRONTS)
def test_hello(load_example: LoadExample, asgi: bool) -> None:
    app = load_example("hello").app
    response = app.test_client(asgi=asgi).get("/")
    assert response.status_code == 200
    assert response.text == "<p>Hello from erlen!</p>"


def test_hello_is_found_like_erlen_run_finds_it(examples_dir: Path) -> None:
    # `erlen --app hello run` loads the app the same way.
    app = ScriptInfo(app_import_path=str(examples_dir / "hello.py")).load_app()
    assert app.url_map.bind("localhost").match("/") == ("hello", {})


@pytest.mark.parametrize("asgi", FRONTS)
def test_routing(load_example: LoadExample, asgi: bool) -> None:
    client = load_example("quickstart_routing").app.test_client(asgi=asgi)
    assert client.get("/").text == "The front page"
    assert client.get("/users/ann").text == "Profile of ann"
    assert client.get("/posts/7").text == "Post number 7 (an int)"
    assert client.get("/posts/seven").status_code == 404
    assert client.get("/login").text == "The login form"
    assert client.post("/login").text == "Logging you in"
    assert client.delete("/login").status_code == 405
    assert client.get("/search?q=erlen").text == "Searching for 'erlen'"
    assert client.post("/search").status_code == 405
    assert client.get("/links").get_json() == {
        "profile": "/users/ann",
        "post": "/posts/7",
        "search": "/search?q=erlen+routing",
    }


@pytest.mark.parametrize("asgi", FRONTS)
def test_templates(load_example: LoadExample, asgi: bool) -> None:
    client = load_example("quickstart_templates").app.test_client(asgi=asgi)
    assert "<h1>Hello, whoever you are!</h1>" in client.get("/hello/").text
    assert "<h1>Hello, Ann!</h1>" in client.get("/hello/Ann").text
    # Values are escaped in HTML templates.
    assert "Hello, &lt;b&gt;!" in client.get("/hello/<b>").text


@pytest.mark.parametrize("asgi", FRONTS)
def test_form(load_example: LoadExample, asgi: bool) -> None:
    client = load_example("quickstart_form").app.test_client(asgi=asgi)
    response = client.post("/sign", data={"name": "  "})
    assert response.status_code == 400
    assert "Please tell us your name." in response.text
    response = client.post("/sign", data={"name": "Ann"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    page = client.get("/").text
    assert "Thanks for signing, Ann!" in page
    assert "<li>Ann</li>" in page
    # A flashed message is shown once.
    assert "Thanks for signing" not in client.get("/").text


@pytest.mark.parametrize("asgi", FRONTS)
def test_json(load_example: LoadExample, asgi: bool) -> None:
    client = load_example("quickstart_json").app.test_client(asgi=asgi)
    assert client.get("/api/todos").get_json() == [
        {"id": 1, "title": "Read the quickstart", "done": True}
    ]
    response = client.post("/api/todos", json={"title": "Write an app"})
    assert response.status_code == 201
    assert response.headers["Location"] == "/api/todos/2"
    assert client.get("/api/todos/2").get_json()["title"] == "Write an app"
    assert client.post("/api/todos", json={}).status_code == 400
    assert client.post("/api/todos", data="x", content_type="text/plain").status_code == 415
    response = client.get("/api/todos/99")
    assert response.status_code == 404
    assert response.get_json() == {"error": "not found"}
