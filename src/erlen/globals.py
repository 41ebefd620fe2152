"""Context variables and the proxies user code reads them through.

The app context and the request context live in :class:`contextvars.ContextVar`
objects, so each thread and each asyncio task sees its own. The proxies
(:data:`current_app`, :data:`g`, :data:`request`, :data:`session`) look the
current object up on every access and raise :class:`RuntimeError` with an
explanation when no context is active, as Flask's do.
"""

from __future__ import annotations

import typing as t
from contextvars import ContextVar

from werkzeug.local import LocalProxy

if t.TYPE_CHECKING:  # pragma: no cover
    # PERF: asyncio only for the annotation; importing it costs ~30 ms.
    import asyncio

    from .app import Erlen
    from .asgi.websocket import Websocket
    from .ctx import AppContext
    from .ctx import RequestContext
    from .ctx import _AppCtxGlobals
    from .sessions import SessionMixin
    from .wrappers import Request

_no_app_msg = """\
Working outside of application context.

This typically means that you attempted to use functionality that needed
the current application. To solve this, set up an application context
with app.app_context(). See the documentation for more information.\
"""
_no_req_msg = """\
Working outside of request context.

This typically means that you attempted to use functionality that needed
an active HTTP request. Consult the documentation on testing for
information about how to avoid this problem.\
"""

#: The ASGI server's event loop, visible to the sync code the ASGI front runs
#: in worker threads (so :meth:`Erlen.async_to_sync` awaits on it).
_cv_server_loop: ContextVar[asyncio.AbstractEventLoop] = ContextVar("erlen.server_loop")
#: The active :class:`~erlen.ctx.AppContext`, per thread and per task.
_cv_app: ContextVar[AppContext] = ContextVar("erlen.app_ctx")
#: The active :class:`~erlen.ctx.RequestContext`, per thread and per task.
_cv_request: ContextVar[RequestContext] = ContextVar("erlen.request_ctx")

app_ctx: AppContext = LocalProxy(  # type: ignore[assignment]
    _cv_app, unbound_message=_no_app_msg
)
current_app: Erlen = LocalProxy(  # type: ignore[assignment]
    _cv_app, "app", unbound_message=_no_app_msg
)
g: _AppCtxGlobals = LocalProxy(  # type: ignore[assignment]
    _cv_app, "g", unbound_message=_no_app_msg
)
request_ctx: RequestContext = LocalProxy(  # type: ignore[assignment]
    _cv_request, unbound_message=_no_req_msg
)
request: Request = LocalProxy(  # type: ignore[assignment]
    _cv_request, "request", unbound_message=_no_req_msg
)
session: SessionMixin = LocalProxy(  # type: ignore[assignment]
    _cv_request, "session", unbound_message=_no_req_msg
)
websocket: Websocket = LocalProxy(  # type: ignore[assignment]
    _cv_request,
    "websocket",
    unbound_message="Working outside of a WebSocket connection (ASGI only).",
)
