"""The ASGI front: HTTP, WebSocket and lifespan over the shared core.

Everything protocol-specific is here: turning a scope into a request,
receiving the body with its limits, sending the response with backpressure,
and the WebSocket messages. The request algorithm itself is the core's
steps (:mod:`erlen.app`), driven by :meth:`Erlen._drive_async`.
"""

from __future__ import annotations

import typing as t

from .http import handle_http
from .lifespan import handle_lifespan
from .websocket import handle_websocket

if t.TYPE_CHECKING:  # pragma: no cover
    from ..app import Erlen


async def handle(
    app: Erlen, scope: t.MutableMapping[str, t.Any], receive: t.Any, send: t.Any
) -> None:
    """Serve one ASGI connection of type ``http``, ``websocket`` or ``lifespan``.

    Raises:
        ValueError: an unknown scope type.
    """
    kind = scope["type"]
    if kind == "http":
        await handle_http(app, scope, receive, send)
    elif kind == "websocket":
        await handle_websocket(app, scope, receive, send)
    elif kind == "lifespan":
        await handle_lifespan(app, scope, receive, send)
    else:
        raise ValueError(f"Unsupported ASGI scope type {kind!r}.")
