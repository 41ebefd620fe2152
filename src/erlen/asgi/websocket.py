"""ASGI WebSocket connections: the :data:`erlen.websocket` object and the handler run."""

from __future__ import annotations

import asyncio
import contextvars
import typing as t

from ..globals import _cv_server_loop
from ._environ import scope_to_environ

if t.TYPE_CHECKING:  # pragma: no cover
    from ..app import Erlen


class WebsocketDisconnect(Exception):
    """The client closed the WebSocket; ``code`` is its close code (1005 when none was given)."""

    def __init__(self, code: int = 1005, reason: str = "") -> None:
        super().__init__(code, reason)
        self.code = code
        self.reason = reason


class Websocket:
    """One WebSocket connection, available as :data:`erlen.websocket` in a handler.

    The connection is accepted by :meth:`accept`, or implicitly by the first
    :meth:`send` or :meth:`receive`. Request data (path, ``args``, headers,
    cookies, the session) is on :data:`erlen.request` as for HTTP.

    Attributes:
        subprotocols: the subprotocols the client offered, in its order.
        state: ``"connecting"``, ``"accepted"`` or ``"closed"``.
    """

    def __init__(self, scope: t.Mapping[str, t.Any], receive: t.Any, send: t.Any) -> None:
        self._scope = scope
        self._receive = receive
        self._send = send
        self.subprotocols: list[str] = list(scope.get("subprotocols") or ())
        self.state = "connecting"

    async def accept(
        self,
        subprotocol: str | None = None,
        headers: t.Mapping[str, str] | t.Iterable[tuple[str, str]] | None = None,
    ) -> None:
        """Accept the handshake, choosing ``subprotocol`` and adding response ``headers``.

        Raises:
            RuntimeError: the connection was already accepted or closed.
        """
        if self.state != "connecting":
            raise RuntimeError(f"Cannot accept a WebSocket that is {self.state}.")
        items = headers.items() if isinstance(headers, t.Mapping) else (headers or ())
        await self._send(
            {
                "type": "websocket.accept",
                "subprotocol": subprotocol,
                "headers": [
                    (name.lower().encode("latin-1"), value.encode("latin-1"))
                    for name, value in items
                ],
            }
        )
        self.state = "accepted"

    async def receive(self) -> str | bytes:
        """Wait for the next message: ``str`` for text frames, ``bytes`` for binary ones.

        Raises:
            WebsocketDisconnect: the client closed the connection.
        """
        if self.state == "connecting":
            await self.accept()
        message = await self._receive()
        if message["type"] == "websocket.disconnect":
            self.state = "closed"
            raise WebsocketDisconnect(message.get("code", 1005), message.get("reason") or "")
        text = message.get("text")
        if text is not None:
            return t.cast(str, text)
        return t.cast(bytes, message.get("bytes") or b"")

    async def send(self, data: str | bytes) -> None:
        """Send a text (``str``) or binary (``bytes``) message.

        Raises:
            RuntimeError: the connection is closed.
            WebsocketDisconnect: the client is gone (code 1006); servers
                following ASGI 2.4 report that with an :class:`OSError`.
        """
        if self.state == "connecting":
            await self.accept()
        if self.state == "closed":
            raise RuntimeError("Cannot send on a closed WebSocket.")
        message: dict[str, t.Any]
        if isinstance(data, str):
            message = {"type": "websocket.send", "text": data}
        else:
            message = {"type": "websocket.send", "bytes": bytes(data)}
        try:
            await self._send(message)
        except OSError:
            self.state = "closed"
            raise WebsocketDisconnect(1006) from None

    async def receive_json(self) -> t.Any:
        """Receive a message and parse it as JSON with the app's JSON provider.

        Raises:
            WebsocketDisconnect: the client closed the connection.
            ValueError: the message is not valid JSON.
        """
        from ..globals import current_app

        return current_app.json.loads(await self.receive())

    async def send_json(self, obj: t.Any) -> None:
        """Send ``obj`` serialised with the app's JSON provider, as a text message."""
        from ..globals import current_app

        await self.send(current_app.json.dumps(obj))

    async def close(self, code: int = 1000, reason: str = "") -> None:
        """Close the connection with a close ``code`` (RFC 6455) and ``reason``; a no-op if closed."""
        if self.state == "closed":
            return
        self.state = "closed"
        try:
            await self._send({"type": "websocket.close", "code": code, "reason": reason})
        except OSError:
            pass  # the client is already gone (ASGI 2.4 servers raise then)

    async def __aiter__(self) -> t.AsyncIterator[str | bytes]:
        """Yield messages until the client disconnects."""
        while True:
            try:
                yield await self.receive()
            except WebsocketDisconnect:
                return


async def _reject(
    app: Erlen, scope: t.Mapping[str, t.Any], send: t.Any, rv: t.Any, environ: dict[str, t.Any]
) -> None:
    """Refuse the handshake with the HTTP response ``rv`` where the server allows it, else 403."""
    if "websocket.http.response" in (scope.get("extensions") or {}):
        response = app.make_response(rv)
        await send(
            {
                "type": "websocket.http.response.start",
                "status": response.status_code,
                "headers": [
                    (name.lower().encode("latin-1"), value.encode("latin-1"))
                    for name, value in response.get_wsgi_headers(environ).to_wsgi_list()
                ],
            }
        )
        await send({"type": "websocket.http.response.body", "body": response.get_data()})
    else:
        await send({"type": "websocket.close", "code": 1008, "reason": ""})


async def handle_websocket(
    app: Erlen, scope: t.MutableMapping[str, t.Any], receive: t.Any, send: t.Any
) -> None:
    """Run the WebSocket handler matched by the scope's path.

    Before accepting, a returned response or an HTTP error (404, 403...)
    refuses the handshake with that status. After accepting, an unhandled
    exception closes the connection with 1011; a normal return closes it
    with 1000.
    """
    message = await receive()
    if message["type"] != "websocket.connect":
        return
    environ = scope_to_environ(scope)
    environ["erlen.websocket"] = True
    loop_token = _cv_server_loop.set(asyncio.get_running_loop())
    ctx = app.request_context(environ)
    ws = Websocket(scope, receive, send)
    ctx.websocket = ws
    ctx.push()
    context = contextvars.copy_context()
    error: BaseException | None = None
    try:
        try:
            rv = await app._drive_async(app._websocket_steps(ctx), context)
        except WebsocketDisconnect:
            # The client went away while the handler waited on it: the
            # normal end of a connection, not an error to log or close.
            pass
        except Exception as e:
            error = e
            app.log_exception((type(e), e, e.__traceback__))  # type: ignore[arg-type]
            if ws.state == "connecting":
                await send({"type": "websocket.close", "code": 1011, "reason": ""})
            else:
                await ws.close(1011)
        else:
            if ws.state == "connecting":
                if rv is None:
                    await send({"type": "websocket.close", "code": 1000, "reason": ""})
                else:
                    await _reject(app, scope, send, rv, environ)
            else:
                await ws.close(1000)
    finally:
        try:
            await app._drive_async(ctx._pop_steps(error), context)
        finally:
            _cv_server_loop.reset(loop_token)
