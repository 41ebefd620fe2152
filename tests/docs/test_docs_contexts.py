"""docs/guides/contexts.md."""

from __future__ import annotations

import types
import typing as t

import pytest

LoadExample = t.Callable[[str], types.ModuleType]


@pytest.mark.parametrize("asgi", [False, True], ids=["wsgi", "asgi"])
def test_contexts_guide(load_example: LoadExample, asgi: bool) -> None:
    module = load_example("contexts")
    client = module.app.test_client(asgi=asgi)
    assert client.get("/answer").get_json() == {"answer": 42}
    assert module.count_tables() == 0
    assert client.post("/audit").get_json() == {"entries": 1}
    assert module.AUDIT_LOG == ["POST /audit from 127.0.0.1"]
    assert client.post("/notify", headers={"User-Agent": "docs"}).get_json() == {"queued": True}
    assert module.NOTIFICATIONS == [("docs", "/notify")]
    assert client.get("/stream?name=Ann").text == "Hello, Ann!\nBye.\n"


def test_g_is_per_context(load_example: LoadExample) -> None:
    module = load_example("contexts")
    with module.app.app_context():
        db = module.get_db()
        assert module.get_db() is db
    with module.app.app_context():
        assert module.get_db() is not db
