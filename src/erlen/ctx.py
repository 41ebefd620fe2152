"""App and request contexts, kept in :mod:`contextvars`.

An :class:`AppContext` carries the application and :data:`~erlen.g`; a
:class:`RequestContext` carries the request, the session (opened lazily, on
first access), flashed messages and per-request callbacks. Pushing sets the
context variables from :mod:`erlen.globals` and keeps the reset tokens, so
contexts nest correctly per thread and per asyncio task.
"""

from __future__ import annotations

import contextvars
import sys
import typing as t
from functools import update_wrapper
from types import TracebackType

from werkzeug.exceptions import HTTPException

from . import signals
from .globals import _cv_app
from .globals import _cv_request
from .wrappers import Request as _Request

if t.TYPE_CHECKING:  # pragma: no cover
    from _typeshed.wsgi import WSGIEnvironment
    from werkzeug.routing import MapAdapter

    from .app import Erlen
    from .app import Steps
    from .asgi.websocket import Websocket
    from .sessions import SessionMixin
    from .wrappers import Request

_sentinel = object()
_REQUEST_CLOSE = _Request.close

F = t.TypeVar("F", bound=t.Callable[..., t.Any])


class _AppCtxGlobals:
    """The :data:`~erlen.g` namespace object: a plain attribute bag, one per app context.

    Supports ``get``, ``pop``, ``setdefault``, ``in`` and iteration over
    attribute names, like Flask's.
    """

    def __getattr__(self, name: str) -> t.Any:
        try:
            return self.__dict__[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name: str, value: t.Any) -> None:
        self.__dict__[name] = value

    def __delattr__(self, name: str) -> None:
        try:
            del self.__dict__[name]
        except KeyError:
            raise AttributeError(name) from None

    def get(self, name: str, default: t.Any | None = None) -> t.Any:
        """Return attribute ``name``, or ``default`` when it is not set."""
        return self.__dict__.get(name, default)

    def pop(self, name: str, default: t.Any = _sentinel) -> t.Any:
        """Remove and return attribute ``name``.

        Raises:
            KeyError: ``name`` is not set and no ``default`` was given.
        """
        if default is _sentinel:
            return self.__dict__.pop(name)
        return self.__dict__.pop(name, default)

    def setdefault(self, name: str, default: t.Any = None) -> t.Any:
        """Return attribute ``name``, setting it to ``default`` first if missing."""
        return self.__dict__.setdefault(name, default)

    def __contains__(self, item: str) -> bool:
        return item in self.__dict__

    def __iter__(self) -> t.Iterator[str]:
        return iter(self.__dict__)

    def __repr__(self) -> str:
        ctx = _cv_app.get(None)
        if ctx is not None:
            return f"<erlen.g of '{ctx.app.name}'>"
        return object.__repr__(self)


def _reset_var(var: contextvars.ContextVar[t.Any], token: contextvars.Token[t.Any]) -> None:
    var.reset(token)


# NOTE: a reset must run in the context that set the variable: the ASGI
# driver calls functions with this mark on the event loop, never in a thread.
_reset_var._erlen_on_loop = True  # type: ignore[attr-defined]


def after_this_request(f: F) -> F:
    """Register ``f(response) -> response`` to run after the current request.

    Runs before the ``after_request`` functions, only for the request active
    when it was registered.

    Raises:
        RuntimeError: no request context is active.
    """
    ctx = _cv_request.get(None)
    if ctx is None:
        raise RuntimeError(
            "'after_this_request' can only be used when a request"
            " context is active, such as in a view function."
        )
    ctx._after_request_functions.append(f)
    return f


def copy_current_request_context(f: F) -> F:
    """Wrap ``f`` so that it runs inside a copy of the current request context.

    Useful for greenlets or threads started from a view. The copy shares the
    request object and session with the original.

    Raises:
        RuntimeError: no request context is active when decorating.
    """
    ctx = _cv_request.get(None)
    if ctx is None:
        raise RuntimeError(
            "'copy_current_request_context' can only be used when a"
            " request context is active, such as in a view function."
        )
    ctx = ctx.copy()

    def wrapper(*args: t.Any, **kwargs: t.Any) -> t.Any:
        with ctx:
            return ctx.app.ensure_sync(f)(*args, **kwargs)

    return update_wrapper(wrapper, f)  # type: ignore[return-value]


def has_request_context() -> bool:
    """Return whether a request context is active (``request`` usable)."""
    return _cv_request.get(None) is not None


def has_app_context() -> bool:
    """Return whether an app context is active (``current_app`` and ``g`` usable)."""
    return _cv_app.get(None) is not None


class AppContext:
    """The application context: ``current_app`` and ``g`` for a block of work.

    Created by :meth:`Erlen.app_context` and implicitly for every request.
    Usable as a context manager. Popping it runs the
    ``teardown_appcontext`` functions.
    """

    def __init__(self, app: Erlen) -> None:
        self.app = app
        self.g: _AppCtxGlobals = app.app_ctx_globals_class()
        self._cv_tokens: list[contextvars.Token[AppContext]] = []
        self._url_adapter: MapAdapter | None | object = _sentinel

    @property
    def url_adapter(self) -> MapAdapter | None:
        """The URL adapter for building URLs without a request (needs ``SERVER_NAME``)."""
        adapter = self._url_adapter
        if adapter is _sentinel:
            adapter = self._url_adapter = self.app.create_url_adapter(None)
        return adapter  # type: ignore[return-value]

    @url_adapter.setter
    def url_adapter(self, value: MapAdapter | None) -> None:
        self._url_adapter = value

    def push(self) -> None:
        """Make this context the current one (nests; pop in reverse order)."""
        self._cv_tokens.append(_cv_app.set(self))
        if signals.appcontext_pushed.receivers:
            signals.appcontext_pushed.send(self.app, _async_wrapper=self.app.ensure_sync)

    def pop(self, exc: BaseException | None | object = _sentinel) -> None:
        """Run teardown functions and restore the previous app context.

        Args:
            exc: the exception that ended the work, passed to teardown
                functions; by default the one currently being handled.

        Raises:
            AssertionError: this context is not the current one.
        """
        if exc is _sentinel:
            exc = sys.exc_info()[1]
        self.app._drive(self._pop_steps(exc))  # type: ignore[arg-type]

    def _pop_steps(self, exc: BaseException | None) -> Steps[None]:
        """:meth:`pop` as steps, so the ASGI front can await async teardown functions."""
        app = self.app
        try:
            if len(self._cv_tokens) == 1:
                if "do_teardown_appcontext" in app._overrides:
                    app.do_teardown_appcontext(exc)
                else:
                    yield from app._teardown_appcontext_steps(exc)
        finally:
            ctx = _cv_app.get()
            yield _reset_var, (_cv_app, self._cv_tokens.pop()), {}
        if ctx is not self:
            raise AssertionError(
                f"Popped wrong app context. ({ctx!r} instead of {self!r})"
            )
        if signals.appcontext_popped.receivers:
            signals.appcontext_popped.send(app, _async_wrapper=app.ensure_sync)

    def __enter__(self) -> AppContext:
        self.push()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.pop(exc_value)


class RequestContext:
    """The request context: ``request``, ``session`` and flashes for one request.

    Pushing it also pushes an app context when the current one belongs to
    another app or none is active. The session is opened on first access of
    :attr:`session`, not at push, so requests that never touch it do not pay
    for cookie verification.
    """

    def __init__(
        self,
        app: Erlen,
        environ: WSGIEnvironment,
        request: Request | None = None,
        session: SessionMixin | None = None,
    ) -> None:
        self.app = app
        if request is None:
            request = app.request_class(environ)
            request.json_module = app.json
        self.request: Request = request
        self._url_adapter: MapAdapter | None | object = _sentinel
        self.flashes: list[tuple[str, str]] | None = None
        self._session: SessionMixin | None = session
        self._after_request_functions: list[t.Callable[[t.Any], t.Any]] = []
        #: The WebSocket connection, on the ASGI front's WebSocket requests.
        self.websocket: Websocket | None = None
        self._cv_tokens: list[
            tuple[contextvars.Token[RequestContext], AppContext | None]
        ] = []

    @property
    def url_adapter(self) -> MapAdapter | None:
        """The URL adapter bound to this request (created on first use)."""
        adapter = self._url_adapter
        if adapter is _sentinel:
            adapter = self._url_adapter = self.app.create_url_adapter(self.request)
        return adapter  # type: ignore[return-value]

    @url_adapter.setter
    def url_adapter(self, value: MapAdapter | None) -> None:
        self._url_adapter = value

    @property
    def session(self) -> SessionMixin:
        """The session, opened from the request on first access.

        Falls back to the interface's null session when it cannot open one
        (for example, no ``SECRET_KEY``). Each access marks it ``accessed``,
        so the response gets ``Vary: Cookie``.
        """
        s = self._session
        if s is None:
            s = self._open_session()
        # COMPAT: Flask 3.1.3 (GHSA-68rp-wp8r-4726) counts every access through
        # the context, so a response that read the session varies on Cookie.
        s.accessed = True
        return s

    @session.setter
    def session(self, value: SessionMixin | None) -> None:
        self._session = value

    def _open_session(self) -> SessionMixin:
        """Open the session from the request (without marking it accessed)."""
        interface = self.app.session_interface
        s = interface.open_session(self.app, self.request)
        if s is None:
            s = interface.make_null_session(self.app)
        self._session = s
        return s

    def copy(self) -> RequestContext:
        """Return a new context for the same request object and session.

        The session is opened now if it was not yet, so that both contexts
        share one session object and what the copy stores is saved with the
        original's response (Flask opens it at push).
        """
        sess = self._session
        if sess is None:
            sess = self._open_session()
        return self.__class__(
            self.app,
            environ=self.request.environ,
            request=self.request,
            session=sess,
        )

    def match_request(self) -> None:
        """Match the request URL, storing the rule and view arguments or the routing exception."""
        try:
            result = self.app.match_request_url(self)
            self.request.url_rule, self.request.view_args = result
        except HTTPException as e:
            self.request.routing_exception = e

    def push(self) -> None:
        """Make this the current request context (and push an app context if needed)."""
        app = self.app
        app_ctx = _cv_app.get(None)
        if app_ctx is None or app_ctx.app is not app:
            if "app_context" in app._overrides:
                app_ctx = app.app_context()
            else:
                app_ctx = AppContext(app)
            app_ctx.push()
        else:
            app_ctx = None
        self._cv_tokens.append((_cv_request.set(self), app_ctx))
        if self.request.url_rule is None and self.request.routing_exception is None:
            self.match_request()

    def pop(self, exc: BaseException | None | object = _sentinel) -> None:
        """Run teardown functions, close the request and restore the previous contexts.

        Args:
            exc: the exception that ended the request, passed to teardown
                functions; by default the one currently being handled.

        Raises:
            AssertionError: this context is not the current one.
        """
        app = self.app
        tokens = self._cv_tokens
        if (
            len(tokens) == 1
            and not app.teardown_request_funcs
            and not app.teardown_appcontext_funcs
            and not signals.request_tearing_down.receivers
            and not signals.appcontext_tearing_down.receivers
            and not signals.appcontext_popped.receivers
            and "do_teardown_request" not in app._overrides
            and "do_teardown_appcontext" not in app._overrides
        ):
            # PERF: nothing to tear down (the common case): restore the
            # context variables directly instead of driving the steps below.
            token, app_ctx = tokens[0]
            if app_ctx is None or len(app_ctx._cv_tokens) == 1:
                ctx = _cv_request.get()
                request = self.request
                try:
                    # PERF: Request.close only closes parsed uploads.
                    if "files" in request.__dict__ or type(request).close is not _REQUEST_CLOSE:
                        request.close()
                finally:
                    tokens.pop()
                    _cv_request.reset(token)
                    ctx.request.environ["werkzeug.request"] = None
                    if app_ctx is not None:
                        current_app_ctx = _cv_app.get()
                        _cv_app.reset(app_ctx._cv_tokens.pop())
                if ctx is not self:
                    raise AssertionError(
                        f"Popped wrong request context. ({ctx!r} instead of {self!r})"
                    )
                if app_ctx is not None and current_app_ctx is not app_ctx:
                    raise AssertionError(
                        f"Popped wrong app context. ({current_app_ctx!r} instead of {app_ctx!r})"
                    )
                return
        if exc is _sentinel:
            exc = sys.exc_info()[1]
        app._drive(self._pop_steps(exc))  # type: ignore[arg-type]

    def _pop_steps(self, exc: BaseException | None) -> Steps[None]:
        """:meth:`pop` as steps, so the ASGI front can await async teardown functions."""
        app = self.app
        clear_request = len(self._cv_tokens) == 1
        error: BaseException | None = None
        try:
            if clear_request:
                if "do_teardown_request" in app._overrides:
                    app.do_teardown_request(exc)
                else:
                    yield from app._teardown_request_steps(self, exc)
                request_close = getattr(self.request, "close", None)
                if request_close is not None:
                    request_close()
        except BaseException as e:
            error = e
        ctx = _cv_request.get()
        token, app_ctx = self._cv_tokens.pop()
        yield _reset_var, (_cv_request, token), {}
        if clear_request:
            ctx.request.environ["werkzeug.request"] = None
        if app_ctx is not None:
            try:
                yield from app_ctx._pop_steps(exc)
            except BaseException as e:
                if error is None:
                    error = e
        if error is not None:
            raise error
        if ctx is not self:
            raise AssertionError(
                f"Popped wrong request context. ({ctx!r} instead of {self!r})"
            )

    def __enter__(self) -> RequestContext:
        self.push()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.pop(exc_value)

    def __repr__(self) -> str:
        return (
            f"<{type(self).__name__} {self.request.url!r}"
            f" [{self.request.method}] of {self.app.name}>"
        )


