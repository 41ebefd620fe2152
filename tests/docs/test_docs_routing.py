"""docs/guides/routing.md."""

from __future__ import annotations

import types
import typing as t

import pytest

LoadExample = t.Callable[[str], types.ModuleType]


@pytest.mark.parametrize("asgi", [False, True], ids=["wsgi", "asgi"])
def test_routing_guide(load_example: LoadExample, asgi: bool) -> None:
    app = load_example("routing").app
    client = app.test_client(asgi=asgi)
    assert client.get("/files/docs/intro.md").text == "File docs/intro.md"
    assert client.get("/mode/dark").text == "Mode dark"
    assert client.get("/mode/blue").status_code == 404
    assert client.get("/tags/a,b").get_json() == {"tags": ["a", "b"], "url": "/tags/a,b"}
    assert client.get("/tags/a,,b").status_code == 404
    response = client.get("/projects")
    assert response.status_code == 308
    assert response.headers["Location"].endswith("/projects/")
    assert client.get("/projects/").text == "All projects"
    assert client.get("/about/").status_code == 404
    assert client.get("/health").get_json() == {"status": "ok"}
    assert "health_check" in app.view_functions
    assert client.get("/docs/").text == "Docs page index"
    assert client.get("/docs/routing").text == "Docs page routing"
    assert client.get("/build").get_json() == {
        "plain": "/docs/routing",
        "default": "/docs/",
        "query": "/files/a%20b/c.txt?download=1",
        "anchor": "/about#team",
        "external": "http://localhost/about",
        "static": "/static/style.css",
    }
    assert client.get("/fr/welcome").get_json() == {"lang": "fr", "self": "/fr/welcome"}
    response = client.options("/about")
    assert sorted(response.headers["Allow"].split(", ")) == ["GET", "HEAD", "OPTIONS"]
    assert client.head("/about").data == b""
