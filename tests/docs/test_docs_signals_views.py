"""docs/guides/signals.md and docs/guides/views.md."""

from __future__ import annotations

import types
import typing as t

import pytest

LoadExample = t.Callable[[str], types.ModuleType]


@pytest.mark.parametrize("asgi", [False, True], ids=["wsgi", "asgi"])
def test_signals_guide(load_example: LoadExample, asgi: bool) -> None:
    module = load_example("signals")
    client = module.app.test_client(asgi=asgi)
    assert client.post("/orders/tea").get_json() == {"ordered": "tea"}
    assert module.SHIPPING_QUEUE == ["tea"]
    assert module.RESPONSE_SIZES == [("/orders/tea", len(b'{"ordered":"tea"}\n'))]


@pytest.mark.parametrize("asgi", [False, True], ids=["wsgi", "asgi"])
def test_class_views_guide(load_example: LoadExample, asgi: bool) -> None:
    client = load_example("class_views").app.test_client(asgi=asgi)
    assert client.get("/colours").get_json() == {"items": ["blue", "red"]}
    assert client.get("/sizes").get_json() == {"items": ["L", "M", "S"]}
    assert client.get("/books/").get_json() == [{"id": 1, "title": "Dune"}]
    response = client.post("/books/", json={"title": "Emma"})
    assert response.status_code == 201 and response.get_json() == {"id": 2, "title": "Emma"}
    assert client.patch("/books/2", json={"title": "Emma (2nd ed.)"}).get_json()["title"] == "Emma (2nd ed.)"
    assert client.delete("/books/1").status_code == 204
    assert client.get("/books/1").status_code == 404
    assert client.put("/books/2").status_code == 405
    assert client.post("/books/2").status_code == 405
