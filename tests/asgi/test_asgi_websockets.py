"""WebSockets on the ASGI front, through ASGIClient.websocket and raw ASGI calls."""

from __future__ import annotations

import asyncio
import logging
import typing as t

import pytest

import erlen
from erlen import request
from erlen import session
from erlen import websocket
from erlen.testing import ASGIClient
from erlen.testing import WebsocketRejected

pytestmark = pytest.mark.anyio


def make_app() -> erlen.Erlen:
    app = erlen.Erlen(__name__)
    app.config.update(SECRET_KEY="ws")

    @app.websocket("/echo")
    async def echo() -> None:
        offered = websocket.subprotocols
        await websocket.accept(
            subprotocol="chat.v2" if "chat.v2" in offered else None,
            headers={"X-Server": "erlen"},
        )
        async for message in websocket:
            await websocket.send(message)

    @app.websocket("/json")
    async def json_echo() -> None:
        while True:
            data = await websocket.receive_json()
            if data == "bye":
                await websocket.close(4000, "see you")
                return
            await websocket.send_json({"got": data, "user": session.get("user")})

    @app.route("/login")
    def login() -> str:
        session["user"] = request.args["user"]
        return "ok"

    return app


async def test_accept_with_subprotocol_and_headers_then_text_and_bytes() -> None:
    client = ASGIClient(make_app())
    async with client.websocket("/echo", subprotocols=["chat.v1", "chat.v2"]) as ws:
        assert ws.subprotocol == "chat.v2"
        assert ws.headers["X-Server"] == "erlen"
        await ws.send("hello")
        assert await ws.receive() == "hello"
        await ws.send(b"\x00\xff")
        assert await ws.receive() == b"\x00\xff"
    # Closed by the client: the handler's loop ended and it returned.
    assert ws.close_code is None


async def test_no_subprotocol_when_none_matches() -> None:
    async with ASGIClient(make_app()).websocket("/echo", subprotocols=["other"]) as ws:
        assert ws.subprotocol is None


async def test_json_messages_session_and_close_with_code_and_reason() -> None:
    client = ASGIClient(make_app())
    await client.get("/login?user=ada")
    async with client.websocket("/json") as ws:
        await ws.send_json({"n": [1, 2]})
        assert await ws.receive_json() == {"got": {"n": [1, 2]}, "user": "ada"}
        await ws.send_json("bye")
        with pytest.raises(erlen.WebsocketDisconnect) as info:
            await ws.receive()
    assert (info.value.code, info.value.reason) == (4000, "see you")
    assert (ws.close_code, ws.close_reason) == (4000, "see you")


async def test_async_iteration_ends_when_the_server_closes() -> None:
    app = erlen.Erlen(__name__)

    @app.websocket("/count/<int:n>")
    async def count(n: int) -> None:
        for i in range(n):
            await websocket.send(str(i))

    async with ASGIClient(app).websocket("/count/4") as ws:
        assert [m async for m in ws] == ["0", "1", "2", "3"]
    assert ws.close_code == 1000


async def test_converters_query_string_and_headers_reach_the_handler() -> None:
    app = erlen.Erlen(__name__)

    @app.websocket("/rooms/<int:room>/<path:rest>")
    async def room(room: int, rest: str) -> None:
        await websocket.send_json(
            {
                "room": room,
                "rest": rest,
                "args": request.args.to_dict(),
                "token": request.headers.get("X-Token"),
                "scheme": request.scheme,
                "endpoint": request.endpoint,
            }
        )

    async with ASGIClient(app).websocket(
        "/rooms/7/a/b", query_string={"q": "1"}, headers={"X-Token": "t"}
    ) as ws:
        assert await ws.receive_json() == {
            "room": 7,
            "rest": "a/b",
            "args": {"q": "1"},
            "token": "t",
            "scheme": "ws",
            "endpoint": "room",
        }


async def test_blueprint_routes_and_before_after_websocket_hooks() -> None:
    app = erlen.Erlen(__name__)
    bp = erlen.Blueprint("live", __name__, url_prefix="/live")
    events: list[str] = []

    @app.before_websocket
    async def app_before() -> None:
        events.append("app before")

    @bp.before_websocket
    def bp_before() -> None:
        events.append(f"bp before {request.blueprint}")

    @bp.websocket("/feed/<name>")
    async def feed(name: str) -> None:
        await websocket.send(f"feed {name}")
        events.append("handler")

    @bp.after_websocket
    def bp_after(rv: t.Any) -> None:
        events.append("bp after")

    @app.after_websocket
    async def app_after(rv: t.Any) -> None:
        events.append("app after")

    @app.teardown_request
    def teardown(exc: BaseException | None) -> None:
        events.append("teardown")

    app.register_blueprint(bp)
    async with ASGIClient(app).websocket("/live/feed/news") as ws:
        assert await ws.receive() == "feed news"
    assert events == ["app before", "bp before live", "handler", "bp after", "app after", "teardown"]
    with app.test_request_context():
        # From an HTTP request, a WebSocket rule builds as an external ws:// URL.
        assert erlen.url_for("live.feed", name="x") == "ws://localhost/live/feed/x"


async def test_before_websocket_can_refuse_the_handshake() -> None:
    app = erlen.Erlen(__name__)

    @app.before_websocket
    def check() -> t.Any:
        if request.args.get("token") != "secret":
            return "token required", 401, {"WWW-Authenticate": "Token"}
        return None

    @app.websocket("/")
    async def ws_view() -> None:
        await websocket.send("welcome")

    client = ASGIClient(app)
    with pytest.raises(WebsocketRejected) as info:
        async with client.websocket("/"):
            pass
    assert (info.value.status_code, info.value.data) == (401, b"token required")
    assert info.value.headers["WWW-Authenticate"] == "Token"
    async with client.websocket("/?token=secret") as ws:
        assert await ws.receive() == "welcome"


async def test_rejected_handshakes_answer_with_an_http_status() -> None:
    app = erlen.Erlen(__name__)

    @app.websocket("/private")
    async def private() -> None:
        erlen.abort(403)

    @app.route("/page")
    def page() -> str:
        return "page"

    client = ASGIClient(app)
    for path, status in [("/private", 403), ("/missing", 404), ("/page", 400)]:
        with pytest.raises(WebsocketRejected) as info:
            async with client.websocket(path):
                pass
        assert info.value.status_code == status
        assert info.value.close_code is None
    assert b"does not accept WebSocket connections" in info.value.data
    # A server without the websocket.http.response extension gets a close
    # before accept, which it answers with 403.
    with pytest.raises(WebsocketRejected) as info:
        async with client.websocket("/private", http_response=False):
            pass
    assert info.value.status_code == 403
    assert info.value.close_code is not None


async def test_exception_after_accept_closes_with_1011_and_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    app = erlen.Erlen(__name__)
    teardown: list[t.Any] = []

    @app.websocket("/")
    async def broken() -> None:
        await websocket.send("about to fail")
        raise ValueError("handler bug")

    @app.teardown_request
    def on_teardown(exc: BaseException | None) -> None:
        teardown.append(type(exc).__name__)

    with caplog.at_level(logging.ERROR):
        async with ASGIClient(app).websocket("/") as ws:
            assert await ws.receive() == "about to fail"
            with pytest.raises(erlen.WebsocketDisconnect) as info:
                await ws.receive()
    assert info.value.code == 1011
    assert "ValueError: handler bug" in caplog.text
    assert teardown == ["ValueError"]


async def test_client_disconnect_ends_the_handler_quietly(caplog: pytest.LogCaptureFixture) -> None:
    app = erlen.Erlen(__name__)
    events: list[str] = []

    @app.websocket("/")
    async def listen() -> None:
        try:
            while True:
                events.append(str(await websocket.receive()))
        finally:
            events.append("finally")

    @app.teardown_request
    def on_teardown(exc: BaseException | None) -> None:
        events.append(f"teardown {type(exc).__name__}")

    with caplog.at_level(logging.ERROR):
        async with ASGIClient(app).websocket("/") as ws:
            await ws.send("one")
            await ws.close(1001)
    assert events == ["one", "finally", "teardown NoneType"]
    assert caplog.text == ""


async def test_websocket_proxy_outside_a_connection() -> None:
    with pytest.raises(RuntimeError, match="WebSocket"):
        websocket.subprotocols  # noqa: B018


def test_http_request_to_a_websocket_route_is_400_on_both_fronts(front: t.Any) -> None:
    app = make_app()
    rv = front(app).get("/echo")
    assert rv.status_code == 400
    assert b"This URL accepts WebSocket connections only" in rv.data


async def test_chat_room_between_three_clients() -> None:
    app = erlen.Erlen(__name__)
    members: dict[str, erlen.Websocket] = {}

    @app.websocket("/chat/<name>")
    async def chat(name: str) -> None:
        members[name] = websocket._get_current_object()  # type: ignore[attr-defined]
        try:
            async for message in websocket:
                text = message if isinstance(message, str) else message.decode()
                for other in list(members.values()):
                    await other.send(f"{name}: {text}")
        finally:
            del members[name]

    client = ASGIClient(app)
    async with client.websocket("/chat/a") as a, client.websocket("/chat/b") as b, client.websocket("/chat/c") as c:
        while len(members) < 3:
            await asyncio.sleep(0.001)
        await a.send("hi")
        await b.send("hello")
        for ws in (a, b, c):
            assert [await ws.receive(), await ws.receive()] == ["a: hi", "b: hello"]
    assert members == {}


async def test_sending_to_a_client_that_left_raises_websocket_disconnect(caplog: pytest.LogCaptureFixture) -> None:
    app = erlen.Erlen(__name__)
    codes: list[int] = []

    @app.websocket("/")
    async def spam() -> None:
        try:
            while True:
                await websocket.send("tick")
                await asyncio.sleep(0)
        except erlen.WebsocketDisconnect as e:
            codes.append(e.code)
            raise

    with caplog.at_level(logging.ERROR):
        async with ASGIClient(app).websocket("/") as ws:
            assert await ws.receive() == "tick"
    assert codes == [1006]
    assert caplog.text == ""
