"""docs/guides/streaming.md."""

from __future__ import annotations

import asyncio
import hashlib
import types
import typing as t

import pytest

from erlen.testing import ASGIClient

LoadExample = t.Callable[[str], types.ModuleType]


@pytest.mark.parametrize("asgi", [False, True], ids=["wsgi", "asgi"])
def test_streaming_responses(load_example: LoadExample, asgi: bool) -> None:
    client = load_example("streaming").app.test_client(asgi=asgi)
    response = client.get("/numbers.csv?count=3")
    assert response.text == "n,square\n0,0\n1,1\n2,4\n"
    response = client.get("/events")
    assert response.mimetype == "text/event-stream"
    assert response.text.count("event: tick\n") == 3
    assert 'data: {"tick": 2}\n\n' in response.text


def test_streaming_upload(load_example: LoadExample) -> None:
    app = load_example("streaming").app
    body = b"x" * 300_000

    async def scenario() -> None:
        client = ASGIClient(app, chunk_size=65536)
        response = await client.post("/upload", data=body, content_type="application/octet-stream")
        assert response.get_json() == {"bytes": len(body), "sha256": hashlib.sha256(body).hexdigest()}

    asyncio.run(scenario())
