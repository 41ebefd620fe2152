"""docs/guides/async.md."""

from __future__ import annotations

import asyncio
import types
import typing as t

import pytest

from erlen.testing import ASGIClient
from erlen.testing import WebsocketRejected

LoadExample = t.Callable[[str], types.ModuleType]


@pytest.mark.parametrize("asgi", [False, True], ids=["wsgi", "asgi"])
def test_async_views(load_example: LoadExample, asgi: bool) -> None:
    client = load_example("async_app").app.test_client(asgi=asgi)
    assert client.get("/prices?item=tea&item=mug&item=cup").get_json() == {"tea": 450, "mug": 1200, "cup": None}
    assert client.get("/report").get_json() == {"report": "ready"}


def test_websockets(load_example: LoadExample) -> None:
    app = load_example("async_app").app

    async def scenario() -> None:
        async with ASGIClient(app) as client:
            async with client.websocket("/ws/echo") as ws:
                await ws.send("hi")
                assert await ws.receive() == "hi"
                await ws.send(b"\x00\x01")
                assert await ws.receive() == b"\x00\x01"

            with pytest.raises(WebsocketRejected) as rejected:
                async with client.websocket("/ws/rooms/tea"):
                    pass
            assert rejected.value.status_code == 400

            async with client.websocket("/ws/rooms/tea?name=ann") as ann:
                async with client.websocket("/ws/rooms/tea?name=bob") as bob:
                    await bob.send("hello")
                    assert await ann.receive_json() == {"from": "bob", "text": "hello"}
                    assert await bob.receive_json() == {"from": "bob", "text": "hello"}
                assert list(app.extensions["rooms"]["tea"]) == ["ann"] or await _settled(app)

        assert app.extensions["rooms"] == {}

    asyncio.run(scenario())


async def _settled(app: t.Any) -> bool:
    for _ in range(100):
        if list(app.extensions["rooms"]["tea"]) == ["ann"]:
            return True
        await asyncio.sleep(0.01)
    return False


def test_websocket_over_wsgi_is_a_bad_request(load_example: LoadExample) -> None:
    client = load_example("async_app").app.test_client()
    assert client.get("/ws/echo").status_code == 400
