"""Helpers for testing an :class:`~erlen.Erlen` application without a server.

Three public classes mirror Flask's :mod:`flask.testing`:

* :class:`EnvironBuilder` builds a WSGI environ whose base URL comes from the
  application's configuration (``SERVER_NAME``, ``APPLICATION_ROOT``,
  ``PREFERRED_URL_SCHEME``) and serialises ``json=`` bodies with the
  application's JSON provider.
* :class:`ErlenClient` is the object returned by
  :meth:`~erlen.Erlen.test_client`. On top of Werkzeug's client it can keep the
  request's contexts alive inside a ``with client:`` block and edit the session
  through :meth:`ErlenClient.session_transaction`.
* :class:`ErlenCliRunner` is returned by :meth:`~erlen.Erlen.test_cli_runner`
  and invokes the application's command line group in isolation.

For the ASGI front, ``app.test_client(asgi=True)`` sends the same requests
through ``app.asgi_app``, and :class:`ASGIClient` is an async client (HTTP
and WebSockets, :class:`WebsocketSession`) for async tests;
:class:`LifespanManager` runs the lifespan protocol (``before_serving`` and
``after_serving``).

The WSGI classes are in ``erlen.testing._wsgi``; the ASGI ones (with
asyncio) in ``erlen.testing._asgi``, loaded when one of them is first used.
"""

from __future__ import annotations

import typing as t

from ._wsgi import EnvironBuilder as EnvironBuilder
from ._wsgi import ErlenClient as ErlenClient
from ._wsgi import ErlenCliRunner as ErlenCliRunner

if t.TYPE_CHECKING:  # pragma: no cover
    from ._asgi import ASGIApp as ASGIApp
    from ._asgi import ASGIClient as ASGIClient
    from ._asgi import LifespanError as LifespanError
    from ._asgi import LifespanManager as LifespanManager
    from ._asgi import Message as Message
    from ._asgi import Receive as Receive
    from ._asgi import Send as Send
    from ._asgi import WebsocketRejected as WebsocketRejected
    from ._asgi import WebsocketSession as WebsocketSession
    from ._asgi import scope_from_environ as scope_from_environ

__all__ = [
    "ASGIApp",
    "ASGIClient",
    "EnvironBuilder",
    "ErlenCliRunner",
    "ErlenClient",
    "LifespanError",
    "LifespanManager",
    "Message",
    "Receive",
    "Send",
    "WebsocketRejected",
    "WebsocketSession",
    "scope_from_environ",
]

# PERF: the ASGI side imports asyncio; a WSGI test suite does not need it.
# Every public name but the WSGI client's is loaded from it on first access.
_ASGI_NAMES = frozenset(__all__) - {"EnvironBuilder", "ErlenCliRunner", "ErlenClient"}


def __getattr__(name: str) -> t.Any:
    if name not in _ASGI_NAMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from . import _asgi

    value = getattr(_asgi, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_ASGI_NAMES})
