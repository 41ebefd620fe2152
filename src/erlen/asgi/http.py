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

from ..globals import _cv_app
from ..globals import _cv_server_loop
from ..signals import appcontext_popped
from ..signals import appcontext_tearing_down
from ..signals import request_tearing_down
from ._environ import scope_to_environ

if t.TYPE_CHECKING:  # pragma: no cover
    from ..app import Erlen
    from ..ctx import RequestContext
    from ..wrappers import Response

#: Bodies larger than this many bytes are spooled to a temporary file.
SPOOL_MAX_SIZE = 1024 * 1024
_FINISHED = object()
_get_running_loop = asyncio.get_running_loop
_copy_context = contextvars.copy_context


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


async def handle_http(
    app: Erlen, scope: t.MutableMapping[str, t.Any], receive: t.Any, send: t.Any
) -> None:
    """Serve one HTTP request: body, dispatch through the core, response, teardown."""
    environ = scope_to_environ(scope)
    loop_token = _cv_server_loop.set(_get_running_loop())
    ctx = app.request_context(environ)
    ctx.push()
    # One context for all the sync work of this request, so that context
    # variables set in one thread hop are seen by the next.
    context = _copy_context()
    error: BaseException | None = None
    try:
        body_error: HTTPException | None = None
        limit = ctx.request.max_content_length
        declared = _declared_length(environ)
        try:
            if limit is not None and declared is not None and declared > limit:
                raise RequestEntityTooLarge()
            if _streams_body(app, ctx):
                environ["erlen.body_stream"] = RequestBodyStream(receive, limit)
            else:
                message = await receive()
                body = message.get("body", b"")
                if (
                    message["type"] == "http.request"
                    and not message.get("more_body", False)
                    and (limit is None or len(body) <= limit)
                ):
                    # PERF: the whole body in one message (nearly every
                    # request): no call of read_body, which handles the rest.
                    environ["wsgi.input"] = io.BytesIO(body)
                else:
                    environ["wsgi.input"] = await read_body(receive, limit, message)
                if declared is not None or limit == 0:
                    # A body framed by Content-Length (or, within a limit of
                    # 0, empty) is not read as a server-terminated stream,
                    # whose max_content_length wrapper refuses any read at
                    # a limit of 0 where WSGI gives an empty body.
                    del environ["wsgi.input_terminated"]
        except ClientDisconnected:
            return
        except HTTPException as e:
            body_error = e
        try:
            response = await app._drive_async(
                app._full_dispatch_steps(ctx, body_error), context
            )
        except Exception as e:
            error = e
            response = await app._drive_async(
                app._handle_exception_steps(ctx, e), context, handling=e
            )
        await send_response(app, response, environ, receive, send, context)
    except BaseException as e:
        error = e
        raise
    finally:
        preserve = scope.get("erlen.preserve_context")
        if preserve is not None:
            # The test client's ``with client:`` block re-pushes these.
            preserve(_cv_app.get())
            preserve(ctx)
        try:
            if _nothing_to_tear_down(app):
                # PERF: no teardown function or receiver to run, so popping
                # runs no user code: pop directly on the loop instead of
                # driving the pop steps (which would do the same resets).
                ctx.pop(error)
            else:
                await app._drive_async(ctx._pop_steps(error), context)
        finally:
            _cv_server_loop.reset(loop_token)


async def _wait_for_disconnect(receive: t.Any) -> None:
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return


#: ``{header name: its lower-case latin-1 bytes}``, filled as names are sent.
_HEADER_NAMES: dict[str, bytes] = {}


def _asgi_headers(headers: t.Iterable[tuple[str, str]]) -> list[tuple[bytes, bytes]]:
    """Encode a WSGI header list for ASGI: lower-case latin-1 names, latin-1 values."""
    # PERF: each distinct name is lowered and encoded once (bounded cache).
    names = _HEADER_NAMES
    out = []
    for name, value in headers:
        raw = names.get(name)
        if raw is None:
            raw = name.lower().encode("latin-1")
            if len(names) < 512:
                names[name] = raw
        out.append((raw, value.encode("latin-1")))
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
    buffered = getattr(response, "_buffered_parts", None)
    fast_headers = buffered(environ["REQUEST_METHOD"]) if buffered is not None else None
    if fast_headers is not None:
        # PERF: a buffered body that needs no header normalisation: one
        # message, and nothing to close (see Response._buffered_parts).
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": _asgi_headers(fast_headers),
            }
        )
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
