"""docs/guides/deployment.md: the proxy set-up of the deployment example."""

from __future__ import annotations

import types
import typing as t

import pytest

LoadExample = t.Callable[[str], types.ModuleType]

FORWARDED = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https", "X-Forwarded-Host": "shop.example"}


def test_proxy_fix_on_wsgi(load_example: LoadExample) -> None:
    client = load_example("deploy_app").app.test_client()
    assert client.get("/whoami", headers=FORWARDED).get_json() == {
        "client": "203.0.113.7",
        "scheme": "https",
        "host": "shop.example",
        "url": "https://shop.example/whoami",
    }
    assert client.get("/whoami").get_json()["client"] == "127.0.0.1"


def test_proxy_headers_on_asgi(load_example: LoadExample) -> None:
    pytest.importorskip("uvicorn")
    client = load_example("deploy_app").app.test_client(asgi=True)
    data = client.get("/whoami", headers=FORWARDED).get_json()
    assert data["client"] == "203.0.113.7"
    assert data["scheme"] == "https"
