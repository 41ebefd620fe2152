"""ASGI HTTP: receive the body within its limit, run the core, send the response."""

from __future__ import annotations

import asyncio
import contextvars
import io
import tempfile
import typing as t
from types import FunctionType

from werkzeug.exceptions import ClientDisconnected
from werkzeug.exceptions import HTTPException
from werkzeug.exceptions import RequestEntityTooLarge

from ..ctx import RequestContext
from ..globals import _cv_app
from ..globals import _cv_server_loop
from ..signals import appcontext_popped
from ..signals import appcontext_tearing_down
from ..signals import request_tearing_down
from ..wrappers import Response as _Response
from ._environ import scope_to_environ

if t.TYPE_CHECKING:  # pragma: no cover
    from ..app import Erlen
    from ..app import Steps
    from ..wrappers import Response

#: Bodies larger than this many bytes are spooled to a temporary file.
SPOOL_MAX_SIZE = 1024 * 1024
_FINISHED = object()
_get_running_loop = asyncio.get_running_loop
_copy_context = contextvars.copy_context
_BUFFERED_PARTS = _Response._buffered_parts


def _declared_length(environ: t.Mapping[str, t.Any]) -> int | None:
    value = environ.get("CONTENT_LENGTH")
    if not value:
        return None
    try:
        length = int(value)
    except ValueError:
        return None
    return length if length >= 0 else None


async def read_body(
    receive: t.Any, limit: int | None, message: t.Mapping[str, t.Any] | None = None
) -> t.IO[bytes]:
    """Receive the whole request body, never holding more than ``limit`` bytes.

    Small bodies stay in memory; past :data:`SPOOL_MAX_SIZE` bytes they move
    to a temporary file.

    Args:
        receive: the ASGI ``receive`` callable.
        limit: the largest body accepted, or ``None``.
        message: the first message, when the caller already received it.

    Raises:
        RequestEntityTooLarge: the body exceeds ``limit`` bytes (413); no
            more of it is received.
        ClientDisconnected: the client went away before sending it all.
    """
    if message is None:
        message = await receive()
    if message["type"] == "http.disconnect":
        raise ClientDisconnected()
    chunk: bytes = message.get("body", b"")
    if limit is not None and len(chunk) > limit:
        raise RequestEntityTooLarge()
    if not message.get("more_body", False):
        return io.BytesIO(chunk)
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_MAX_SIZE)
    size = len(chunk)
    spool.write(chunk)
    try:
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise ClientDisconnected()
            chunk = message.get("body", b"")
            size += len(chunk)
            if limit is not None and size > limit:
                raise RequestEntityTooLarge()
            spool.write(chunk)
            if not message.get("more_body", False):
                break
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    return t.cast(t.IO[bytes], spool)


class RequestBodyStream:
    """The unbuffered body of a request on ASGI, for views marked with :func:`erlen.stream_request_body`.

    Read it with ``async for chunk in request.stream`` (chunks of bytes as
    the client sends them). The request's ``max_content_length`` is enforced
    while receiving.
    """

    def __init__(self, receive: t.Any, limit: int | None) -> None:
        self._receive = receive
        self._limit = limit
        self._consumed = False

    async def __aiter__(self) -> t.AsyncIterator[bytes]:
        """Yield the body's chunks.

        Raises:
            RuntimeError: the body was already read.
            RequestEntityTooLarge: the body exceeds the limit (413).
            ClientDisconnected: the client went away.
        """
        if self._consumed:
            raise RuntimeError("The request body was already read.")
        self._consumed = True
        size = 0
        while True:
            message = await self._receive()
            if message["type"] == "http.disconnect":
                raise ClientDisconnected()
            chunk: bytes = message.get("body", b"")
            size += len(chunk)
            if self._limit is not None and size > self._limit:
                raise RequestEntityTooLarge()
            if chunk:
                yield chunk
            if not message.get("more_body", False):
                return

    def read(self, *args: t.Any) -> bytes:
        """Not available: this body is read asynchronously.

        Raises:
            RuntimeError: always.
        """
        raise RuntimeError(
            "This view is marked with 'stream_request_body': read the body"
            " with 'async for chunk in request.stream' instead of reading"
            " it synchronously (request.data, request.form, request.get_json())."
        )


def _streams_body(app: Erlen, ctx: RequestContext) -> bool:
    rule = ctx.request.url_rule
    if rule is None:
        return False
    view = app.view_functions.get(rule.endpoint)
    if type(view) is FunctionType:
        # PERF: a function's attributes are its __dict__; a dict lookup
        # instead of a getattr that raises and catches AttributeError.
        return bool(view.__dict__.get("stream_request_body", False))
    return bool(getattr(view, "stream_request_body", False))


def _nothing_to_tear_down(app: Erlen) -> bool:
    """Whether popping a request context runs no user code at all (no teardown functions or signal receivers)."""
    return (
        not app.teardown_request_funcs
        and not app.teardown_appcontext_funcs
        and not request_tearing_down.receivers
        and not appcontext_tearing_down.receivers
        and not appcontext_popped.receivers
        and "do_teardown_request" not in app._overrides
        and "do_teardown_appcontext" not in app._overrides
    )


def _dispatch_then_pop(
    app: Erlen, ctx: RequestContext, body_error: HTTPException | None, method: str
) -> Steps[tuple[Response, list[tuple[bytes, bytes]] | None]]:
    """The request's steps, then, for a buffered response, the context pop.

    Returns:
        the response and, when it is buffered (sent in one message), its
        ASGI headers; the context is then already popped.
    """
    response = yield from app._full_dispatch_steps(ctx, body_error)
    headers = _buffered_headers(response, method)
    if headers is not None:
        yield from ctx._pop_steps(None)
    return response, headers


async def handle_http(
    app: Erlen, scope: t.MutableMapping[str, t.Any], receive: t.Any, send: t.Any
) -> None:
    """Serve one HTTP request: body, dispatch through the core, teardown, response.

    A buffered response is sent after the request context is popped (its
    teardown functions have run), as on WSGI; a streamed one before, so the
    context lives while the body is made.
    """
    environ = scope_to_environ(scope)
    loop_token = _cv_server_loop.set(_get_running_loop())
    if "request_context" in app._overrides:
        ctx = app.request_context(environ)
    else:
        ctx = RequestContext(app, environ)  # PERF: no method call, as wsgi_app
    ctx.push()
    preserve = scope.get("erlen.preserve_context")
    if preserve is not None:
        # The test client's ``with client:`` block re-pushes these.
        preserve(_cv_app.get())
        preserve(ctx)
    # One context for all the sync work of this request, so that context
    # variables set in one thread hop are seen by the next.
    context = _copy_context()
    method: str = environ["REQUEST_METHOD"]
    error: BaseException | None = None
    try:
        body_error: HTTPException | None = None
        try:
            streams = _streams_body(app, ctx)
            if "CONTENT_LENGTH" not in environ and not streams:
                message = await receive()
                if (
                    message["type"] == "http.request"
                    and not message.get("body")
                    and not message.get("more_body", False)
                ):
                    # PERF: no body, none declared (nearly every GET): no
                    # limit can be exceeded, so none is looked up. The
                    # environ's empty input stays; as a body of length 0 it
                    # is not marked server-terminated, which at a limit of 0
                    # would refuse even an empty read.
                    del environ["wsgi.input_terminated"]
                else:
                    await _receive_body(ctx, environ, receive, message, False)
            else:
                await _receive_body(ctx, environ, receive, None, streams)
        except ClientDisconnected:
            return
        except HTTPException as e:
            body_error = e
        headers: list[tuple[bytes, bytes]] | None
        try:
            if _nothing_to_tear_down(app):
                response = await app._drive_async(
                    app._full_dispatch_steps(ctx, body_error), context
                )
                headers = _buffered_headers(response, method)
                if headers is not None:
                    # PERF: popping runs no user code: directly, on the loop.
                    ctx.pop(None)
            else:
                # Teardown in the same drive as the request, so sync
                # teardown functions share its thread trip (see _sync_calls).
                response, headers = await app._drive_async(
                    _dispatch_then_pop(app, ctx, body_error, method), context
                )
        except Exception as e:
            if not ctx._cv_tokens:
                raise  # from a teardown function: the context is popped
            error = e
            response = await app._drive_async(
                app._handle_exception_steps(ctx, e), context, handling=e
            )
            headers = _buffered_headers(response, method)
            if headers is not None:
                await _pop(app, ctx, error, context)
        if headers is not None:
            # PERF: a buffered body: one message, nothing to close.
            await send(
                {"type": "http.response.start", "status": response.status_code, "headers": headers}
            )
            await send({"type": "http.response.body", "body": response.response[0]})  # type: ignore[index]
            return
        await send_response(app, response, environ, receive, send, context)
    except BaseException as e:
        error = e
        raise
    finally:
        try:
            if ctx._cv_tokens:
                await _pop(app, ctx, error, context)
        finally:
            _cv_server_loop.reset(loop_token)


async def _receive_body(
    ctx: RequestContext,
    environ: dict[str, t.Any],
    receive: t.Any,
    message: t.Mapping[str, t.Any] | None,
    streams: bool,
) -> None:
    """Receive the request body into ``environ`` within the request's limit.

    Raises:
        RequestEntityTooLarge: the body (or its declared length) is over the limit.
        ClientDisconnected: the client went away.
    """
    limit = ctx.request.max_content_length
    declared = _declared_length(environ)
    if limit is not None and declared is not None and declared > limit:
        raise RequestEntityTooLarge()
    if streams:
        environ["erlen.body_stream"] = RequestBodyStream(receive, limit)
        return
    if message is None:
        message = await receive()
    body = message.get("body", b"")
    if (
        message["type"] == "http.request"
        and not message.get("more_body", False)
        and (limit is None or len(body) <= limit)
    ):
        # PERF: the whole body in one message (nearly every request): no
        # call of read_body, which handles the rest.
        environ["wsgi.input"] = io.BytesIO(body)
    else:
        environ["wsgi.input"] = await read_body(receive, limit, message)
    if declared is not None or limit == 0:
        # A body framed by Content-Length (or, within a limit of 0, empty) is
        # not read as a server-terminated stream, whose max_content_length
        # wrapper refuses any read at a limit of 0 where WSGI gives an empty
        # body.
        del environ["wsgi.input_terminated"]


async def _pop(
    app: Erlen, ctx: RequestContext, error: BaseException | None, context: contextvars.Context
) -> None:
    """Pop the request context, running its teardown functions."""
    if _nothing_to_tear_down(app):
        # PERF: no teardown function or receiver to run, so popping runs no
        # user code: pop directly on the loop instead of driving the pop
        # steps (which would do the same resets).
        ctx.pop(error)
    else:
        await app._drive_async(ctx._pop_steps(error), context)


async def _wait_for_disconnect(receive: t.Any) -> None:
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return


#: ``{header name: its lower-case latin-1 bytes}``, filled as names are sent.
_HEADER_NAMES: dict[str, bytes] = {}


#: ``{Content-Type value: its encoded ASGI header}``, filled as types are sent.
_CONTENT_TYPE_PAIRS: dict[str, tuple[bytes, bytes]] = {}


def _header_name(name: str) -> bytes:
    raw = name.lower().encode("latin-1")
    if len(_HEADER_NAMES) < 512:  # bounded: names can come from clients
        _HEADER_NAMES[name] = raw
    return raw


def _asgi_headers(headers: t.Iterable[tuple[str, str]]) -> list[tuple[bytes, bytes]]:
    """Encode a WSGI header list for ASGI: lower-case latin-1 names, latin-1 values."""
    # PERF: each distinct name is lowered and encoded once (bounded cache).
    names = _HEADER_NAMES
    out = []
    for name, value in headers:
        raw = names.get(name)
        if raw is None:
            raw = _header_name(name)
        out.append((raw, value.encode("latin-1")))
    return out


def _buffered_headers(response: Response, method: str) -> list[tuple[bytes, bytes]] | None:
    """The ASGI headers of a response sent as-is in one message, else ``None``.

    The cases are those of ``Response._buffered_parts`` (a buffered body, see
    ``Response._buffered_body``, whose headers need no normalisation but
    ``Content-Length``); anything else is sent by :func:`send_response`.
    """
    parts = getattr(type(response), "_buffered_parts", None)
    if parts is not _BUFFERED_PARTS:
        if parts is None:
            return None
        found = response._buffered_parts(method)
        return None if found is None else _asgi_headers(found)
    # PERF: erlen's own Response: its status and body checks, then the header
    # checks of _buffered_parts fused with the ASGI encoding, one pass over
    # the headers and no intermediate list.
    data = response._buffered_body(method)
    if data is None:
        return None
    names = _HEADER_NAMES
    out = []
    has_length = False
    for name, value in response.headers._list:  # PERF: Werkzeug's private list
        if name == "Content-Type":
            # PERF: the types a response has are few: their encoded pair is
            # cached (bounded).
            pair = _CONTENT_TYPE_PAIRS.get(value)
            if pair is None:
                pair = (b"content-type", value.encode("latin-1"))
                if len(_CONTENT_TYPE_PAIRS) < 64:
                    _CONTENT_TYPE_PAIRS[value] = pair
            out.append(pair)
            continue
        if name == "Content-Length":
            has_length = True
            out.append((b"content-length", value.encode("latin-1")))
            continue
        raw = names.get(name)
        if raw is None:
            raw = _header_name(name)
        if raw == b"content-length":
            has_length = True
        elif raw == b"location" or raw == b"content-location":
            return None
        out.append((raw, value.encode("latin-1")))
    if not has_length and response.automatically_set_content_length:
        out.append((b"content-length", str(len(data)).encode("latin-1")))
    return out


async def send_response(
    app: Erlen,
    response: Response,
    environ: dict[str, t.Any],
    receive: t.Any,
    send: t.Any,
    context: contextvars.Context,
) -> None:
    """Send ``response``: buffered bodies in one message, iterators chunk by chunk.

    Sync iterators (generators, files) are advanced in the thread pool, async
    ones on the loop; each chunk waits for the server to take the previous
    one (backpressure). If the client disconnects mid-stream, the iterator
    is closed (its ``finally`` blocks run) and no more is sent.
    """
    status = response.status_code
    fast_headers = _buffered_headers(response, environ["REQUEST_METHOD"])
    if fast_headers is not None:
        # PERF: a buffered body that needs no header normalisation: one
        # message, and nothing to close (see Response._buffered_parts).
        await send({"type": "http.response.start", "status": status, "headers": fast_headers})
        await send({"type": "http.response.body", "body": response.response[0]})  # type: ignore[index]
        return
    headers = response.get_wsgi_headers(environ)
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": _asgi_headers(headers.to_wsgi_list()),
        }
    )
    body = response.response
    try:
        if (
            environ["REQUEST_METHOD"] == "HEAD"
            or 100 <= status < 200
            or status in (204, 304)
        ):
            await send({"type": "http.response.body", "body": b""})
        elif hasattr(body, "__aiter__"):
            await _stream_async(t.cast(t.AsyncIterable[t.Any], body), response, receive, send)
        elif response.is_sequence:
            await send({"type": "http.response.body", "body": response.get_data()})
        else:
            await _stream_sync(app, response, receive, send, context)
    finally:
        if type(body) is list and not response._on_close:
            response.close()
        else:
            await app._run_sync(context, response.close)


async def _send_chunk(send: t.Any, chunk: bytes, more_body: bool = True) -> bool:
    """Send one body chunk; ``False`` if the server says the client is gone.

    ASGI 2.4 servers raise an :class:`OSError` from ``send`` after a
    disconnect; the stream then stops like on an ``http.disconnect``.
    """
    try:
        await send({"type": "http.response.body", "body": chunk, "more_body": more_body})
    except OSError:
        return False
    return True


async def _stream_async(
    body: t.AsyncIterable[t.Any], response: Response, receive: t.Any, send: t.Any
) -> None:
    iterator = body.__aiter__()
    charset = "utf-8"
    watcher = asyncio.ensure_future(_wait_for_disconnect(receive))
    try:
        while True:
            next_chunk = asyncio.ensure_future(iterator.__anext__())
            done, _ = await asyncio.wait(
                {next_chunk, watcher}, return_when=asyncio.FIRST_COMPLETED
            )
            if next_chunk not in done:
                next_chunk.cancel()
                return
            if watcher.done():
                # The client left while this chunk was made: a fast generator
                # would otherwise win every wait and never be stopped.
                return
            try:
                chunk = next_chunk.result()
            except StopAsyncIteration:
                break
            if isinstance(chunk, str):
                chunk = chunk.encode(charset)
            if not await _send_chunk(send, chunk):
                return
        await _send_chunk(send, b"", more_body=False)
    finally:
        watcher.cancel()
        aclose = getattr(iterator, "aclose", None)
        if aclose is not None:
            await aclose()


async def _stream_sync(
    app: Erlen,
    response: Response,
    receive: t.Any,
    send: t.Any,
    context: contextvars.Context,
) -> None:
    if response.direct_passthrough:
        iterator: t.Iterator[bytes] = iter(t.cast(t.Iterable[bytes], response.response))
    else:
        iterator = response.iter_encoded()
    watcher = asyncio.ensure_future(_wait_for_disconnect(receive))
    pending: asyncio.Future[t.Any] | None = None
    try:
        while True:
            pending = asyncio.ensure_future(
                app._run_sync(context, next, iterator, _FINISHED)
            )
            done, _ = await asyncio.wait(
                {pending, watcher}, return_when=asyncio.FIRST_COMPLETED
            )
            if pending not in done or watcher.done():
                return
            chunk = pending.result()
            pending = None
            if chunk is _FINISHED:
                break
            if not await _send_chunk(send, chunk):
                return
        await _send_chunk(send, b"", more_body=False)
    finally:
        watcher.cancel()
        if pending is not None:
            # A thread is still inside the generator: let it finish first.
            await asyncio.wait({pending})
        close = getattr(iterator, "close", None)
        if close is not None:
            await app._run_sync(context, close)
