"""docs/guides/sessions.md."""

from __future__ import annotations

import types
import typing as t

import pytest

LoadExample = t.Callable[[str], types.ModuleType]


@pytest.mark.parametrize("asgi", [False, True], ids=["wsgi", "asgi"])
def test_sessions_guide(load_example: LoadExample, asgi: bool) -> None:
    client = load_example("sessions").app.test_client(asgi=asgi)
    response = client.post("/login", data={"user": "ann", "remember": "on"})
    cookie = response.headers["Set-Cookie"]
    assert "Expires=" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert client.get("/me").get_json() == {"user": "ann", "cart": []}
    client.post("/cart/tea")
    assert client.post("/cart/mug").get_json() == {"cart": ["tea", "mug"]}
    assert client.get("/me").get_json()["cart"] == ["tea", "mug"]
    client.post("/logout")
    assert client.get("/me").get_json()["user"] is None

    response = client.post("/login", data={"user": "bob"})
    assert "Expires=" not in response.headers["Set-Cookie"]

    client.post("/save", data={})
    client.post("/save", data={"title": "x"})
    assert client.get("/messages").get_json() == {
        "messages": [["error", "A title is required."], ["success", "Saved."]]
    }
    assert client.get("/messages").get_json() == {"messages": []}

    with client.session_transaction() as sess:
        sess["user"] = "carol"
    assert client.get("/me").get_json()["user"] == "carol"
