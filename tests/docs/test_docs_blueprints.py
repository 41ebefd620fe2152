"""docs/guides/blueprints.md."""

from __future__ import annotations

import types
import typing as t

import pytest

LoadExample = t.Callable[[str], types.ModuleType]


@pytest.mark.parametrize("asgi", [False, True], ids=["wsgi", "asgi"])
def test_blueprints_guide(load_example: LoadExample, asgi: bool) -> None:
    client = load_example("blueprints").create_app().test_client(asgi=asgi)
    assert client.get("/").get_json() == {"admin": "/admin/", "staff": "/staff/"}
    response = client.get("/admin/")
    assert response.status_code == 403
    assert response.get_json() == {"error": "admin token required"}
    token = {"X-Admin-Token": "letmein"}
    assert client.get("/admin/", headers=token).get_json() == {"page": "dashboard", "users": "/admin/users"}
    assert client.get("/staff/", headers=token).get_json() == {"page": "dashboard", "users": "/staff/users"}
    assert client.get("/api/v1/items/3").get_json() == {"id": 3, "version": 1, "self": "/api/v1/items/3"}
