"""docs/guides/templates.md."""

from __future__ import annotations

import datetime
import types
import typing as t

import pytest

LoadExample = t.Callable[[str], types.ModuleType]


@pytest.mark.parametrize("asgi", [False, True], ids=["wsgi", "asgi"])
def test_templates_guide(load_example: LoadExample, asgi: bool) -> None:
    client = load_example("templates_guide").app.test_client(asgi=asgi)
    page = client.get("/").text
    assert "<title>Products · The Corner Shop</title>" in page
    assert "<li>Tea &lt;loose leaf&gt; <span class=\"price\">4.50 €</span></li>" in page
    assert "<em>Prices include VAT.</em>" in page
    assert f"&copy; {datetime.date.today().year}" in page
    assert 'href="/static/style.css"' in page
    assert client.get("/greeting/<script>").text == "<p>Hi &lt;script&gt;!</p>"
    response = client.get("/catalogue")
    assert response.status_code == 200
    assert response.text.count("<li>Mug") == 500
