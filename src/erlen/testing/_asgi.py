"""The ASGI side of :mod:`erlen.testing`: :class:`ASGIClient`, WebSocket sessions, :class:`LifespanManager`.

Also the pieces ``app.test_client(asgi=True)`` sends its requests through.
"""

from __future__ import annotations

import asyncio
import contextvars
import sys
import typing as t
from concurrent.futures import ThreadPoolExecutor
from types import TracebackType
from urllib.parse import quote_from_bytes
from urllib.parse import urlsplit

import werkzeug.test
from werkzeug.datastructures import Headers
from werkzeug.http import HTTP_STATUS_CODES
from werkzeug.test import TestResponse
from werkzeug.wrappers import Request as BaseRequest
from werkzeug.wsgi import get_current_url

from ..asgi.websocket import WebsocketDisconnect
from ._wsgi import _PRESERVE_CONTEXT_KEY
from ._wsgi import ErlenClient
from ._wsgi import T

if t.TYPE_CHECKING:  # pragma: no cover
    from ..app import Erlen
    from ..sessions import SessionMixin


# -- the ASGI side ------------------------------------------------------------------
#
# The clients below drive the real ASGI callable, ``app.asgi_app``, as a server
# would: a scope built from the environ the WSGI builder made (so ``json=``,
# ``data=``, files, headers and cookies are handled once, for both fronts), the
# body fed in chunks, and the ``http.response.*`` messages collected.

#: An ASGI message or scope.
Message = dict[str, t.Any]
Receive = t.Callable[[], t.Awaitable[Message]]
Send = t.Callable[[Message], t.Awaitable[None]]
ASGIApp = t.Callable[[Message, Receive, Send], t.Awaitable[None]]

#: The scope key through which the ASGI test client hands the front its
#: ``with client:`` callback (the WSGI front reads the environ key instead).
_ASGI_PRESERVE_CONTEXT_KEY = "erlen.preserve_context"
_ASGI_VERSION = {"version": "3.0", "spec_version": "2.4"}
_REDIRECT_CODES = frozenset({301, 302, 303, 305, 307, 308})


def _wsgi_to_str(value: str) -> str:
    """Turn a PEP 3333 "bytes as latin-1" string into text, as servers decode paths."""
    return value.encode("latin-1").decode("utf-8", "replace")


def scope_from_environ(environ: t.Mapping[str, t.Any], kind: str = "http") -> Message:
    """Return the ASGI ``http`` or ``websocket`` scope a server would send for ``environ``.

    The inverse of what the ASGI front does with a scope: ``SCRIPT_NAME``
    becomes ``root_path`` (and the start of ``path``, as ASGI 2.4 servers
    send it), ``HTTP_*``, ``CONTENT_TYPE`` and ``CONTENT_LENGTH`` become
    lower-case header pairs, ``REMOTE_ADDR`` and ``SERVER_NAME`` the
    ``client`` and ``server`` tuples. Environ keys without an ASGI
    equivalent (``REMOTE_USER``, custom ``werkzeug.*`` keys) are dropped.

    Args:
        environ: a WSGI environ, as :class:`EnvironBuilder` makes it.
        kind: ``"http"`` or ``"websocket"``.
    """
    script_name = environ.get("SCRIPT_NAME", "")
    path_info = environ.get("PATH_INFO", "")
    raw_uri = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    if raw_uri:
        raw_path = raw_uri.partition("?")[0].encode("latin-1")
    else:
        raw_path = quote_from_bytes(
            (script_name + path_info).encode("latin-1"), safe="/:@!$&'()*+,;=~"
        ).encode("ascii")
    root_path = _wsgi_to_str(script_name)
    scheme = environ.get("wsgi.url_scheme", "http")
    if kind == "websocket":
        scheme = "wss" if scheme == "https" else "ws"
    headers: list[tuple[bytes, bytes]] = []
    for key, value in environ.items():
        if key.startswith("HTTP_"):
            name = key[5:]
        elif key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            name = key
        else:
            continue
        headers.append(
            (name.lower().replace("_", "-").encode("latin-1"), str(value).encode("latin-1"))
        )
    scope: Message = {
        "type": kind,
        "asgi": dict(_ASGI_VERSION),
        "http_version": environ.get("SERVER_PROTOCOL", "HTTP/1.1").partition("/")[2] or "1.1",
        "scheme": scheme,
        "path": root_path + _wsgi_to_str(path_info),
        "raw_path": raw_path,
        "root_path": root_path,
        "query_string": environ.get("QUERY_STRING", "").encode("latin-1"),
        "headers": headers,
        "server": (environ.get("SERVER_NAME", "localhost"), int(environ.get("SERVER_PORT") or 80)),
        "state": {},
    }
    if kind == "http":
        scope["method"] = environ.get("REQUEST_METHOD", "GET")
    remote = environ.get("REMOTE_ADDR")
    scope["client"] = (remote, int(environ.get("REMOTE_PORT") or 0)) if remote else None
    return scope


def _run_coroutine(coro: t.Coroutine[t.Any, t.Any, T]) -> T:
    """Run ``coro`` to completion on a new event loop, from sync code.

    When the calling thread already runs a loop (a sync client used in an
    async test), the new loop runs in a helper thread. The thread's current
    event loop setting is left alone.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        pass
    else:
        context = contextvars.copy_context()

        def in_thread() -> T:
            return _run_coroutine(coro)

        with ThreadPoolExecutor(1, thread_name_prefix="erlen-test-loop") as pool:
            return pool.submit(context.run, in_thread).result()
    loop = asyncio.new_event_loop()
    try:
        return loop.run_until_complete(coro)
    finally:
        try:
            loop.run_until_complete(loop.shutdown_asyncgens())
        finally:
            loop.close()


class _HTTPExchange:
    """One HTTP request played against an ASGI app: the server's half of the protocol.

    ``receive`` hands out the body in chunks of ``chunk_size`` bytes, then
    blocks until the response is complete and reports ``http.disconnect``
    (as a server does when the connection ends). ``send`` checks the
    message order and collects the response.
    """

    def __init__(self, body: bytes, chunk_size: int) -> None:
        size = max(chunk_size, 1)
        self.chunks = [body[i : i + size] for i in range(0, len(body), size)] or [b""]
        #: How many ``http.request`` messages the app pulled.
        self.received = 0
        self.status: int | None = None
        self.headers = Headers()
        self.body: list[bytes] = []
        self.complete = asyncio.Event()

    async def receive(self) -> Message:
        if self.received < len(self.chunks):
            chunk = self.chunks[self.received]
            self.received += 1
            return {
                "type": "http.request",
                "body": chunk,
                "more_body": self.received < len(self.chunks),
            }
        await self.complete.wait()
        return {"type": "http.disconnect"}

    async def send(self, message: Message) -> None:
        kind = message["type"]
        if self.complete.is_set():
            raise RuntimeError(f"The ASGI app sent {kind!r} after the response was complete.")
        if kind == "http.response.start":
            if self.status is not None:
                raise RuntimeError("The ASGI app sent 'http.response.start' twice.")
            self.status = int(message["status"])
            for name, value in message.get("headers", ()):
                self.headers.add(bytes(name).decode("latin-1"), bytes(value).decode("latin-1"))
        elif kind == "http.response.body":
            if self.status is None:
                raise RuntimeError("The ASGI app sent a body before 'http.response.start'.")
            self.body.append(bytes(message.get("body", b"")))
            if not message.get("more_body", False):
                self.complete.set()
        else:
            raise RuntimeError(f"Unexpected ASGI message {kind!r} for an HTTP request.")

    async def run(self, app: ASGIApp, scope: Message) -> tuple[bytes, str, Headers]:
        """Call ``app`` and return ``(body, status line, headers)``.

        Raises:
            Exception: whatever the app raised (with ``PROPAGATE_EXCEPTIONS``).
            RuntimeError: the app ended without a complete response.
        """
        try:
            await app(scope, self.receive, self.send)
        finally:
            self.complete.set()
        if self.status is None or not self.body:
            raise RuntimeError("The ASGI app returned without sending a complete response.")
        reason = HTTP_STATUS_CODES.get(self.status, "UNKNOWN").upper()
        return b"".join(self.body), f"{self.status} {reason}", self.headers


def _prepare_asgi_request(
    environ: dict[str, t.Any], kind: str = "http"
) -> tuple[Message, bytes]:
    """Return the scope and the whole body for a request built as a WSGI environ."""
    scope = scope_from_environ(environ, kind)
    preserve = environ.pop(_PRESERVE_CONTEXT_KEY, None)
    if preserve is not None:
        scope[_ASGI_PRESERVE_CONTEXT_KEY] = preserve
    stream = environ.get("wsgi.input")
    body = b""
    if stream is not None:
        # A server frames the body by Content-Length: never more reaches the app.
        length = environ.get("CONTENT_LENGTH")
        if length and length.isdigit():
            body = stream.read(min(int(length), sys.maxsize))
        else:
            body = stream.read()
        if stream.seekable():
            # So that a 307/308 redirect can send the body again.
            stream.seek(0)
    return scope, body


class LifespanError(Exception):
    """The app reported ``lifespan.startup.failed`` or ``lifespan.shutdown.failed``.

    Attributes:
        message: the failure message the app sent (a traceback, for erlen).
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class LifespanManager:
    """Run an app's ASGI lifespan protocol as a server does: ``before_serving``, then ``after_serving``.

    Use it as ``async with LifespanManager(app):``; the body runs between
    startup and shutdown. :attr:`messages` lists what the app sent, in order.

    Args:
        app: the application; its ``asgi_app`` attribute is called.
        timeout: seconds to wait for each answer; ``None`` waits forever.

    Raises:
        LifespanError: startup or shutdown failed (from ``__aenter__`` /
            ``__aexit__``).
        TimeoutError: the app did not answer in time.
    """

    def __init__(self, app: Erlen, timeout: float | None = 10.0) -> None:
        self.app = app
        self.timeout = timeout
        #: The messages the app sent: ``{"type": "lifespan.startup.complete"}``...
        self.messages: list[Message] = []
        self._to_app: asyncio.Queue[Message] = asyncio.Queue()
        self._from_app: asyncio.Queue[Message | None] = asyncio.Queue()
        self._task: asyncio.Future[None] | None = None

    async def _receive(self) -> Message:
        return await self._to_app.get()

    async def _send(self, message: Message) -> None:
        self.messages.append(message)
        await self._from_app.put(message)

    async def _exchange(self, event: str) -> None:
        await self._to_app.put({"type": f"lifespan.{event}"})
        task = t.cast("asyncio.Future[None]", self._task)
        reply = await asyncio.wait_for(self._from_app.get(), self.timeout)
        if reply is None:
            task.result()  # raises what the app raised
            raise RuntimeError(f"The ASGI app ended without answering lifespan.{event}.")
        if reply["type"] == f"lifespan.{event}.failed":
            raise LifespanError(reply.get("message", ""))
        if reply["type"] != f"lifespan.{event}.complete":
            raise RuntimeError(f"Unexpected lifespan message {reply['type']!r}.")

    async def startup(self) -> None:
        """Start the lifespan connection and wait for ``lifespan.startup.complete``."""
        scope: Message = {"type": "lifespan", "asgi": dict(_ASGI_VERSION), "state": {}}
        self._task = asyncio.ensure_future(self.app.asgi_app(scope, self._receive, self._send))
        self._task.add_done_callback(lambda _: self._from_app.put_nowait(None))
        await self._exchange("startup")

    async def shutdown(self) -> None:
        """Ask for shutdown, wait for ``lifespan.shutdown.complete`` and for the app to return."""
        task = self._task
        if task is None or task.done():
            if task is not None:
                task.result()
            return
        try:
            await self._exchange("shutdown")
        finally:
            if not task.done():
                task.cancel()
            await asyncio.wait({task})

    async def __aenter__(self) -> LifespanManager:
        await self.startup()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.shutdown()


class WebsocketRejected(Exception):
    """The app refused a WebSocket handshake.

    Attributes:
        status_code: the HTTP status the client got: the app's response's
            through the ``websocket.http.response`` extension, or 403 when
            the app closed the connection before accepting it (what ASGI
            servers answer then).
        headers: the response headers (empty for a close).
        data: the response body (empty for a close).
        close_code: the close code when the app closed before accepting,
            else ``None``.
    """

    def __init__(
        self,
        status_code: int,
        headers: Headers | None = None,
        data: bytes = b"",
        close_code: int | None = None,
    ) -> None:
        super().__init__(status_code, close_code)
        self.status_code = status_code
        self.headers = headers if headers is not None else Headers()
        self.data = data
        self.close_code = close_code


class _ClientGone(OSError):
    """Raised by ``send`` once the test client closed the WebSocket (ASGI 2.4 asks for an OSError)."""


class WebsocketSession:
    """The client's end of a WebSocket to the app; made by :meth:`ASGIClient.websocket`.

    ``async with client.websocket("/chat") as ws:`` performs the handshake
    on entry (raising :class:`WebsocketRejected` if the app refuses it) and,
    on exit, closes the connection with 1000 if still open and waits for the
    handler, its ``after_websocket`` functions and teardown to finish.

    Attributes:
        subprotocol: the subprotocol the app accepted, or ``None``.
        headers: the extra headers the app sent with the accept.
        close_code: the code the app closed with (1000 after a normal return,
            1011 after an unhandled exception), or ``None`` while open.
        close_reason: the reason the app gave with its close.
    """

    def __init__(self, app: Erlen, scope: Message, timeout: float | None) -> None:
        self.app = app
        self.scope = scope
        self.timeout = timeout
        self.subprotocol: str | None = None
        self.headers = Headers()
        self.close_code: int | None = None
        self.close_reason = ""
        self._to_app: asyncio.Queue[Message] = asyncio.Queue()
        self._from_app: asyncio.Queue[Message | None] = asyncio.Queue()
        self._task: asyncio.Future[None] | None = None
        self._client_closed = False

    # -- the app's side ------------------------------------------------------------

    async def _app_receive(self) -> Message:
        if self._client_closed and self._to_app.empty():
            return {"type": "websocket.disconnect", "code": 1000}
        return await self._to_app.get()

    async def _app_send(self, message: Message) -> None:
        if self._client_closed:
            raise _ClientGone(f"The client closed the WebSocket; cannot send {message['type']!r}.")
        await self._from_app.put(message)

    async def _next(self) -> Message:
        """The next message from the app.

        Raises:
            Exception: what the app raised, once it ended.
            RuntimeError: the app ended without closing the connection.
        """
        message = await asyncio.wait_for(self._from_app.get(), self.timeout)
        if message is None:
            self._from_app.put_nowait(None)
            t.cast("asyncio.Future[None]", self._task).result()
            raise RuntimeError("The ASGI app ended without closing the WebSocket.")
        return message

    async def _wait_for_app(self) -> None:
        task = t.cast("asyncio.Future[None]", self._task)
        try:
            await asyncio.wait_for(asyncio.shield(task), self.timeout)
        except asyncio.TimeoutError:
            task.cancel()
            await asyncio.wait({task})
            raise TimeoutError("The WebSocket handler did not finish after the connection closed.") from None

    # -- the client's side -----------------------------------------------------------

    async def __aenter__(self) -> WebsocketSession:
        self._task = asyncio.ensure_future(
            self.app.asgi_app(self.scope, self._app_receive, self._app_send)
        )
        self._task.add_done_callback(lambda _: self._from_app.put_nowait(None))
        await self._to_app.put({"type": "websocket.connect"})
        message = await self._next()
        kind = message["type"]
        if kind == "websocket.accept":
            self.subprotocol = message.get("subprotocol")
            for name, value in message.get("headers", ()):
                self.headers.add(bytes(name).decode("latin-1"), bytes(value).decode("latin-1"))
            return self
        if kind == "websocket.close":
            self.close_code = message.get("code", 1000)
            self.close_reason = message.get("reason") or ""
            await self._wait_for_app()
            raise WebsocketRejected(403, close_code=self.close_code)
        if kind == "websocket.http.response.start":
            headers = Headers()
            for name, value in message.get("headers", ()):
                headers.add(bytes(name).decode("latin-1"), bytes(value).decode("latin-1"))
            body: list[bytes] = []
            while True:
                part = await self._next()
                if part["type"] != "websocket.http.response.body":
                    raise RuntimeError(f"Unexpected ASGI message {part['type']!r} in a denial response.")
                body.append(bytes(part.get("body", b"")))
                if not part.get("more_body", False):
                    break
            await self._wait_for_app()
            raise WebsocketRejected(int(message["status"]), headers, b"".join(body))
        raise RuntimeError(f"Unexpected ASGI message {kind!r} during the WebSocket handshake.")

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if not self._client_closed:
            await self.close()
        await self._wait_for_app()

    async def send(self, data: str | bytes) -> None:
        """Send a text (``str``) or binary (``bytes``) message to the app.

        Raises:
            RuntimeError: the connection is closed.
        """
        if self._client_closed or self.close_code is not None:
            raise RuntimeError("Cannot send on a closed WebSocket.")
        if isinstance(data, str):
            await self._to_app.put({"type": "websocket.receive", "text": data})
        else:
            await self._to_app.put({"type": "websocket.receive", "bytes": bytes(data)})

    async def receive(self) -> str | bytes:
        """Wait for the app's next message: ``str`` for text, ``bytes`` for binary.

        Raises:
            erlen.WebsocketDisconnect: the app closed the connection (``code``
                is its close code).
            TimeoutError: nothing came within the client's ``timeout``.
        """
        if self.close_code is not None:
            raise WebsocketDisconnect(self.close_code, self.close_reason)
        message = await self._next()
        if message["type"] == "websocket.close":
            self.close_code = message.get("code", 1000)
            self.close_reason = message.get("reason") or ""
            raise WebsocketDisconnect(t.cast(int, self.close_code), self.close_reason)
        if message["type"] != "websocket.send":
            raise RuntimeError(f"Unexpected ASGI message {message['type']!r} on an open WebSocket.")
        text = message.get("text")
        if text is not None:
            return t.cast(str, text)
        return bytes(message.get("bytes") or b"")

    async def send_json(self, obj: t.Any) -> None:
        """Send ``obj`` as JSON text, serialised with the app's JSON provider."""
        await self.send(self.app.json.dumps(obj))

    async def receive_json(self) -> t.Any:
        """Receive a message and parse it as JSON with the app's JSON provider."""
        return self.app.json.loads(await self.receive())

    async def close(self, code: int = 1000, reason: str = "") -> None:
        """Close the connection from the client's side: the app receives ``websocket.disconnect``."""
        if self._client_closed:
            return
        self._client_closed = True
        await self._to_app.put({"type": "websocket.disconnect", "code": code, "reason": reason})

    def __aiter__(self) -> t.AsyncIterator[str | bytes]:
        return self._iterate()

    async def _iterate(self) -> t.AsyncIterator[str | bytes]:
        """Yield the app's messages until it closes the connection."""
        while True:
            try:
                yield await self.receive()
            except WebsocketDisconnect:
                return


class ASGIClient:
    """An async test client that calls the app through its ASGI front, ``app.asgi_app``.

    Requests are described as for :class:`ErlenClient` (``json=``, ``data=``,
    ``headers=``, ``query_string=``...) and answered with the same response
    objects (``status_code``, ``headers``, ``data``, ``get_json()``); cookies
    are kept between requests. The app runs on the caller's event loop, so
    concurrent requests (``asyncio.gather``) really overlap::

        async with ASGIClient(app) as client:   # runs lifespan startup/shutdown
            rv = await client.post("/items", json={"a": 1})
            async with client.websocket("/ws", subprotocols=["chat"]) as ws:
                await ws.send_json({"hello": 1})

    Response header names arrive lower-cased, as ASGI sends them (lookups
    are case-insensitive).

    Args:
        app: the application.
        use_cookies: keep a cookie jar between requests.
        chunk_size: bytes per ``http.request`` message when sending a body.
        timeout: seconds any one request or WebSocket wait may take;
            ``None`` waits forever.
    """

    def __init__(
        self,
        app: Erlen,
        use_cookies: bool = True,
        chunk_size: int = 65536,
        timeout: float | None = 30.0,
    ) -> None:
        self.app = app
        self.chunk_size = chunk_size
        self.timeout = timeout
        # The request builder and the cookie jar are the sync client's.
        self._client = ErlenClient(app, app.response_class, use_cookies=use_cookies, asgi=True)
        self._lifespan: LifespanManager | None = None

    @property
    def environ_base(self) -> dict[str, t.Any]:
        """Environ values every request starts from (``REMOTE_ADDR``, ``HTTP_USER_AGENT``...)."""
        return self._client.environ_base

    def get_cookie(self, key: str, domain: str = "localhost", path: str = "/") -> t.Any:
        """Return the stored cookie ``key`` (a :class:`werkzeug.test.Cookie`) or ``None``."""
        return self._client.get_cookie(key, domain, path)

    def set_cookie(self, key: str, value: str = "", **kwargs: t.Any) -> None:
        """Store a cookie to send with the next requests (see :meth:`werkzeug.test.Client.set_cookie`)."""
        self._client.set_cookie(key, value, **kwargs)

    def delete_cookie(self, key: str, **kwargs: t.Any) -> None:
        """Forget a stored cookie (see :meth:`werkzeug.test.Client.delete_cookie`)."""
        self._client.delete_cookie(key, **kwargs)

    def session_transaction(self, *args: t.Any, **kwargs: t.Any) -> t.ContextManager[SessionMixin]:
        """Read or change the session between requests; see :meth:`ErlenClient.session_transaction`."""
        return self._client.session_transaction(*args, **kwargs)

    def _build(self, args: tuple[t.Any, ...], kwargs: dict[str, t.Any]) -> BaseRequest:
        request = self._client._request_from_single_arg(args[0]) if args else None
        if request is None:
            request = self._client._request_from_builder_args(args, kwargs)
        return request

    async def _send(self, request: BaseRequest) -> TestResponse:
        environ = request.environ
        self._client._add_cookies_to_wsgi(environ)
        scope, body = _prepare_asgi_request(environ)
        exchange = _HTTPExchange(body, self.chunk_size)
        data, status, headers = await asyncio.wait_for(
            exchange.run(self.app.asgi_app, scope), self.timeout
        )
        url = urlsplit(get_current_url(environ))
        self._client._update_cookies_from_response(
            url.hostname or "localhost", url.path, headers.getlist("Set-Cookie")
        )
        response = self._client.response_wrapper([data], status, headers, request=request)
        response.json_module = self.app.json  # type: ignore[assignment]
        return response

    async def open(self, *args: t.Any, follow_redirects: bool = False, **kwargs: t.Any) -> TestResponse:
        """Make a request and return its response; the arguments are :meth:`ErlenClient.open`'s.

        With ``follow_redirects``, redirects are followed (at most 20; 307 and
        308 keep the method and body, the others become ``GET``), and the
        intermediate responses are listed in ``history``.

        Raises:
            Exception: what the app raised (with ``PROPAGATE_EXCEPTIONS``).
            TimeoutError: the app took longer than ``timeout``.
        """
        response = await self._send(self._build(args, kwargs))
        history: list[TestResponse] = []
        while follow_redirects and response.status_code in _REDIRECT_CODES:
            if len(history) >= 20:
                raise RuntimeError("More than 20 redirects; is there a loop?")
            history.append(response)
            response = await self._send(self._redirect_request(response))
            response.history = tuple(history)
        return response

    def _redirect_request(self, response: TestResponse) -> BaseRequest:
        scheme, netloc, path, query, _ = urlsplit(response.location or "")
        builder = werkzeug.test.EnvironBuilder.from_environ(
            response.request.environ, path=path, query_string=query
        )
        if netloc:
            builder.url_scheme = scheme
            builder.host = netloc
        if response.status_code not in (307, 308):
            if builder.method != "HEAD":
                builder.method = "GET"
            builder.input_stream = None
            builder.content_type = None
            builder.content_length = None
            builder.headers.remove("Transfer-Encoding")
        try:
            return builder.get_request()
        finally:
            builder.close()

    async def get(self, *args: t.Any, **kwargs: t.Any) -> TestResponse:
        """``open`` with ``method="GET"``."""
        return await self.open(*args, method="GET", **kwargs)

    async def post(self, *args: t.Any, **kwargs: t.Any) -> TestResponse:
        """``open`` with ``method="POST"``."""
        return await self.open(*args, method="POST", **kwargs)

    async def put(self, *args: t.Any, **kwargs: t.Any) -> TestResponse:
        """``open`` with ``method="PUT"``."""
        return await self.open(*args, method="PUT", **kwargs)

    async def patch(self, *args: t.Any, **kwargs: t.Any) -> TestResponse:
        """``open`` with ``method="PATCH"``."""
        return await self.open(*args, method="PATCH", **kwargs)

    async def delete(self, *args: t.Any, **kwargs: t.Any) -> TestResponse:
        """``open`` with ``method="DELETE"``."""
        return await self.open(*args, method="DELETE", **kwargs)

    async def head(self, *args: t.Any, **kwargs: t.Any) -> TestResponse:
        """``open`` with ``method="HEAD"``."""
        return await self.open(*args, method="HEAD", **kwargs)

    async def options(self, *args: t.Any, **kwargs: t.Any) -> TestResponse:
        """``open`` with ``method="OPTIONS"``."""
        return await self.open(*args, method="OPTIONS", **kwargs)

    def websocket(
        self,
        path: str = "/",
        subprotocols: t.Sequence[str] = (),
        http_response: bool = True,
        **kwargs: t.Any,
    ) -> WebsocketSession:
        """Open a WebSocket to ``path``: use as ``async with client.websocket(path) as ws:``.

        Args:
            path: the URL path, with an optional query string.
            subprotocols: the subprotocols to offer, in order of preference.
            http_response: announce the ``websocket.http.response`` extension,
                so a refused handshake can answer with any HTTP response
                (without it, servers answer 403).
            **kwargs: :class:`EnvironBuilder` arguments (``headers``,
                ``query_string``, ``base_url``...).
        """
        headers = Headers(kwargs.pop("headers", None))
        headers.setdefault("Connection", "Upgrade")
        headers.setdefault("Upgrade", "websocket")
        headers.setdefault("Sec-WebSocket-Version", "13")
        headers.setdefault("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
        if subprotocols:
            headers.setdefault("Sec-WebSocket-Protocol", ", ".join(subprotocols))
        request = self._build((path,), {**kwargs, "headers": headers, "method": "GET"})
        environ = request.environ
        self._client._add_cookies_to_wsgi(environ)
        scope, _ = _prepare_asgi_request(environ, "websocket")
        scope["subprotocols"] = list(subprotocols)
        if http_response:
            scope["extensions"] = {"websocket.http.response": {}}
        return WebsocketSession(self.app, scope, self.timeout)

    async def __aenter__(self) -> ASGIClient:
        self._lifespan = LifespanManager(self.app, self.timeout)
        await self._lifespan.startup()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._lifespan is not None:
            lifespan, self._lifespan = self._lifespan, None
            await lifespan.shutdown()
