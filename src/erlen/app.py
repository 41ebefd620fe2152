"""The application object: :class:`Erlen`.

The request-time core lives here and is protocol-independent: it works on
the contexts from :mod:`erlen.ctx` and returns a response object. The WSGI
front is :meth:`Erlen.wsgi_app`, a few lines that push a context, run the
core and hand the response to the server.
"""

from __future__ import annotations

import collections.abc as cabc
import contextvars
import inspect
import os
import sys
import threading
import typing as t
from functools import cached_property
from itertools import chain
from types import FunctionType
from types import TracebackType

from werkzeug.datastructures import Headers
from werkzeug.exceptions import BadRequestKeyError
from werkzeug.exceptions import HTTPException
from werkzeug.exceptions import InternalServerError
from werkzeug.exceptions import NotFound
from werkzeug.routing import MapAdapter
from werkzeug.routing import RequestRedirect
from werkzeug.routing import RoutingException
from werkzeug.routing import Rule
from werkzeug.routing import WebsocketMismatch
from werkzeug.wrappers import Response as BaseResponse

from . import typing as ft
from ._files import max_age_seconds
from ._files import open_for_reading
from ._files import send_static
from .ctx import AppContext
from .ctx import RequestContext
from .ctx import _reset_var
from .ctx import _sentinel
from .globals import _cv_app
from .globals import _cv_request
from .globals import _cv_server_loop
from .globals import g
from .globals import request
from .globals import session
from .helpers import get_debug_flag
from .helpers import get_flashed_messages
from .helpers import get_load_dotenv
from .sansio._router import NOT_FOUND
from .sansio._router import CompiledRouter
from .sansio.app import App
from .sansio.scaffold import setupmethod
from .sessions import SecureCookieSessionInterface
from .sessions import SessionInterface
from .signals import appcontext_tearing_down
from .signals import got_request_exception
from .signals import request_finished
from .signals import request_started
from .signals import request_tearing_down
from .templating import Environment
from .wrappers import Request
from .wrappers import Response
from .wrappers import _wsgi_str

if t.TYPE_CHECKING:  # pragma: no cover
    import asyncio

    import click
    from _typeshed.wsgi import StartResponse
    from _typeshed.wsgi import WSGIEnvironment

    from .asgi._workers import SyncWorkers
    from .testing import ErlenClient
    from .testing import ErlenCliRunner

T = t.TypeVar("T")
F = t.TypeVar("F", bound=t.Callable[..., t.Any])
#: A user callable for a driver to call: ``(func, args, kwargs)``.
Call = tuple[t.Callable[..., t.Any], tuple[t.Any, ...], dict[str, t.Any]]
#: The request algorithm as a generator of calls returning ``T``.
Steps = t.Generator[Call, t.Any, T]
_NO_KWARGS: dict[str, t.Any] = {}
#: The kwargs of an error handler call ``(handler, (e,), _HANDLING)``: the
#: driver calls it inside an ``except`` block for ``e``, so that
#: ``sys.exc_info()`` and ``logger.exception()`` in the handler see ``e``, as
#: in Flask, where handlers run in the ``except`` that caught it.
_HANDLING: dict[str, t.Any] = {}


def _call_handling(func: t.Callable[..., t.Any], exc: BaseException) -> t.Any:
    """Call ``func(exc)`` while ``exc`` is the exception being handled."""
    tb, context = exc.__traceback__, exc.__context__
    try:
        raise exc
    except BaseException:
        # Re-raising added this frame and maybe a context; undo both.
        exc.__traceback__, exc.__context__ = tb, context
        return func(exc)


async def _await_handling(
    func: t.Callable[..., t.Awaitable[t.Any]], exc: BaseException
) -> t.Any:
    """Await ``func(exc)`` while ``exc`` is the exception being handled (see :func:`_call_handling`)."""
    tb, context = exc.__traceback__, exc.__context__
    try:
        raise exc
    except BaseException:
        exc.__traceback__, exc.__context__ = tb, context
        return await func(exc)


def _worker_context_after_reset(
    old: contextvars.Context, reset: t.Collection[contextvars.ContextVar[t.Any]]
) -> contextvars.Context:
    """The context for an ASGI request's sync calls after ``reset`` variables were reset on the loop.

    The reset (a context pop) happened in the task's context, where the
    token was made; the worker context is a copy taken after the push, so it
    would still show the popped context (a sync ``teardown_appcontext``
    function would see a request). The new one is a copy of the task's
    context carrying the other values sync code set in ``old``.
    """
    new = contextvars.copy_context()
    new.run(_set_vars, ((var, value) for var, value in old.items() if var not in reset))
    return new


def _set_vars(items: t.Iterable[tuple[contextvars.ContextVar[t.Any], t.Any]]) -> None:
    """Set each ``(variable, value)`` that differs in the current context.

    The ASGI driver keeps two contexts per request, the task's (coroutines)
    and one for its worker threads (sync callables), and copies changes
    across with this after each call.
    """
    for var, value in items:
        if var.get(_sentinel) is not value:
            var.set(value)


def _run_on_new_loop(coro: t.Coroutine[t.Any, t.Any, T]) -> T:
    """Run ``coro`` like :func:`asyncio.run`, leaving the thread's current event loop set.

    ``asyncio.run`` unsets it afterwards, which broke callers that had set a
    loop for the thread to run later (Flask's asgiref adapter leaves it too).
    Context variables the coroutine sets are copied back to the caller's
    context afterwards, as asgiref does, so sync code after an async hook
    sees them.
    """
    import asyncio  # PERF: asyncio is imported when first needed, not with erlen.

    final: list[contextvars.Context] = []

    async def capture() -> T:
        try:
            return await coro
        finally:
            final.append(contextvars.copy_context())

    try:
        if sys.version_info >= (3, 11):
            with asyncio.Runner(loop_factory=asyncio.new_event_loop) as runner:
                return runner.run(capture())
        loop = asyncio.new_event_loop()
        try:
            return loop.run_until_complete(capture())
        finally:
            try:
                loop.run_until_complete(loop.shutdown_asyncgens())
            finally:
                loop.close()
    finally:
        for var, value in final[0].items() if final else ():
            if var.get(_sentinel) is not value:
                var.set(value)
#: Public methods whose replacement (by a subclass or an extension) the steps honour.
_OVERRIDABLE = (
    "app_context",
    "request_context",
    "full_dispatch_request",
    "preprocess_request",
    "dispatch_request",
    "handle_user_exception",
    "handle_http_exception",
    "finalize_request",
    "process_response",
    "do_teardown_request",
    "do_teardown_appcontext",
    "ensure_sync",
)
_COOKIE_SAVE = SecureCookieSessionInterface.save_session
_NO_ARG: t.Any = object()
_CO_ASYNC = inspect.CO_COROUTINE | inspect.CO_ITERABLE_COROUTINE
_CO_COROUTINE = inspect.CO_COROUTINE


def _is_async(func: t.Callable[..., t.Any]) -> bool:
    # PERF: a code-flag test first; inspect.iscoroutinefunction only for
    # partials, callables and marked functions.
    code = getattr(func, "__code__", None)
    if code is not None and not code.co_flags & _CO_ASYNC:
        return False
    return inspect.iscoroutinefunction(func)


_STOCK_ERROR_BODIES: dict[type[HTTPException], bytes] = {}


def _stock_error_body(e: HTTPException) -> bytes | None:
    """The error page of ``e`` when it is the class's unchanged default, else ``None``.

    Only for exceptions whose page and headers do not depend on the
    instance: no custom description or response, and Werkzeug's own
    ``get_body``/``get_headers`` (so not 405 with ``Allow``, 401 with
    ``WWW-Authenticate`` or a redirect).
    """
    cls = type(e)
    body = _STOCK_ERROR_BODIES.get(cls)
    if body is not None:
        if e.description is cls.description and e.response is None:
            return body
        return None
    if (
        e.code is None
        or e.response is not None
        or e.description is not cls.description
        or cls.get_body is not HTTPException.get_body
        or cls.get_headers is not HTTPException.get_headers
        or cls.get_response is not HTTPException.get_response
        or isinstance(e, RoutingException)
    ):
        return None
    body = _STOCK_ERROR_BODIES[cls] = e.get_body().encode()
    return body


def _iterate_async(body: t.AsyncIterable[t.Any]) -> t.Iterator[t.Any]:
    """Iterate an async response body from sync code (the WSGI front), on a private loop."""
    import asyncio  # PERF: asyncio is imported when first needed, not with erlen.

    loop = asyncio.new_event_loop()
    iterator = body.__aiter__()
    try:
        while True:
            try:
                chunk = loop.run_until_complete(iterator.__anext__())
            except StopAsyncIteration:
                return
            yield chunk
    finally:
        aclose = getattr(iterator, "aclose", None)
        if aclose is not None:
            loop.run_until_complete(aclose())
        loop.close()


async def _first_asgi_handle(
    app: Erlen, scope: t.MutableMapping[str, t.Any], receive: t.Any, send: t.Any
) -> None:
    """Import the ASGI front, then serve ``scope`` with it; later calls go to it directly."""
    global _asgi_handle
    from .asgi import handle

    _asgi_handle = handle
    await handle(app, scope, receive, send)


async def _first_asgi_http(
    app: Erlen, scope: t.MutableMapping[str, t.Any], receive: t.Any, send: t.Any
) -> None:
    """Import the ASGI front, then serve the HTTP ``scope`` with it; later calls go to it directly."""
    global _asgi_http
    from .asgi.http import handle_http

    _asgi_http = handle_http
    await handle_http(app, scope, receive, send)


def _first_get_running_loop() -> asyncio.AbstractEventLoop:
    """Import asyncio, then return the running loop; later calls go to asyncio directly."""
    global _get_running_loop
    from asyncio import get_running_loop

    _get_running_loop = get_running_loop
    return get_running_loop()


# PERF: the ASGI front and asyncio are imported on the first ASGI call (a
# WSGI app never needs them); these names are rebound to the real functions
# then, so later calls cost nothing extra.
_asgi_handle: t.Callable[..., t.Awaitable[None]] = _first_asgi_handle
_asgi_http: t.Callable[..., t.Awaitable[None]] = _first_asgi_http
_get_running_loop: t.Callable[[], asyncio.AbstractEventLoop] = _first_get_running_loop


#: What a worker thread's trip of :meth:`Erlen._sync_segment` returns.
_Segment = tuple[
    int, t.Any, "list[contextvars.Token[t.Any]] | None", "contextvars.Context | None"
]


def _sync_calls(
    steps: Steps[t.Any], call: Call, resets: list[contextvars.Token[t.Any]] | None
) -> _Segment:
    """Call sync callables of ``steps`` in this worker thread; see :meth:`Erlen._sync_segment`.

    A context pop's variable reset (:func:`erlen.ctx._reset_var`) must run on
    the loop, in the task's context that made the token.
    """
    func, args, kwargs = call
    try:
        while True:
            if func is _reset_var:
                # PERF: a context pop between sync calls (teardown_request,
                # then the request reset, then teardown_appcontext) does not
                # end the thread trip: the reset is mirrored in the worker
                # context here and done for real on the loop when the trip
                # returns (the driver resets the returned tokens), so a sync
                # app with teardown functions pays one hop per request. A
                # variable that had no value before must be unset, which a
                # context cannot do: the rest of the trip runs in a copy of
                # this context without it.
                var, token = args
                if resets is None:
                    resets = []
                resets.append(token)
                old = token.old_value
                if old is contextvars.Token.MISSING:
                    new = contextvars.Context()
                    new.run(
                        _set_vars,
                        [
                            (v, x)
                            for v, x in contextvars.copy_context().items()
                            if v is not var
                        ],
                    )
                    return new.run(_sync_calls_in, new, steps, resets)
                var.set(old)
                func, args, kwargs = steps.send(None)
                continue
            if _is_async(func) or getattr(func, "_erlen_on_loop", False):
                return 0, (func, args, kwargs), resets, None
            try:
                if kwargs is _HANDLING:
                    result = _call_handling(func, args[0])
                else:
                    result = func(*args, **kwargs)
            except BaseException as e:
                func, args, kwargs = steps.throw(e)
            else:
                func, args, kwargs = steps.send(result)
    except StopIteration as stop:
        return 1, stop.value, resets, None
    except BaseException as e:
        if resets is None:
            raise
        # The steps raised after a reset: the driver must still reset the
        # variables on the loop before raising it.
        return 2, e, resets, None


def _sync_calls_in(
    context: contextvars.Context,
    steps: Steps[t.Any],
    resets: list[contextvars.Token[t.Any]],
) -> _Segment:
    """:func:`_sync_calls` after a reset, inside ``context`` (which the driver then keeps)."""
    try:
        call = steps.send(None)
    except StopIteration as stop:
        return 1, stop.value, resets, context
    except BaseException as e:
        return 2, e, resets, context
    done, value, resets_out, inner = _sync_calls(steps, call, resets)
    return done, value, resets_out, inner if inner is not None else context


class _ASGIApp:
    """``app.asgi_app``: an object whose ``__call__`` is a coroutine function.

    NOTE: a bound ``async def`` method would do the same work, but uvicorn's
    interface detection takes a bound method for an ASGI 2 app (it inspects
    the method wrapper's ``__call__``), so ``uvicorn module:app.asgi_app``
    failed at startup; servers recognise this object as ASGI 3.
    """

    __slots__ = ("app",)

    def __init__(self, app: Erlen) -> None:
        self.app = app

    async def __call__(
        self, scope: t.MutableMapping[str, t.Any], receive: t.Any, send: t.Any
    ) -> None:
        if scope["type"] == "http":
            # PERF: HTTP requests go straight to their handler, one coroutine
            # less per request; other scope types through the dispatcher.
            await _asgi_http(self.app, scope, receive, send)
        else:
            await _asgi_handle(self.app, scope, receive, send)

    def __repr__(self) -> str:
        return f"<asgi_app of {self.app!r}>"


#: What :attr:`Erlen.asgi_app` holds: an ASGI 3 callable ``(scope, receive, send)``.
ASGICallable = t.Callable[[t.MutableMapping[str, t.Any], t.Any, t.Any], t.Awaitable[None]]


class _ASGIAppAttribute:
    """The descriptor behind :attr:`Erlen.asgi_app`: the app's own ASGI entry until middleware replaces it."""

    @t.overload
    def __get__(self, obj: None, owner: type[Erlen]) -> _ASGIAppAttribute: ...

    @t.overload
    def __get__(self, obj: Erlen, owner: type[Erlen] | None = None) -> ASGICallable: ...

    def __get__(
        self, obj: Erlen | None, owner: type[Erlen] | None = None
    ) -> ASGICallable | _ASGIAppAttribute:
        if obj is None:
            return self
        wrapped: ASGICallable | None = obj.__dict__.get("asgi_app")
        return wrapped if wrapped is not None else _ASGIApp(obj)

    def __set__(self, obj: Erlen, value: ASGICallable) -> None:
        obj.__dict__["asgi_app"] = value


class Erlen(App):
    """The application object. Create one per app: ``app = Erlen(__name__)``.

    It is a WSGI application (``app(environ, start_response)``, through
    :meth:`wsgi_app`) and has Flask's registration API: :meth:`route`,
    :meth:`register_blueprint`, hooks, error handlers, config and templates.
    The arguments are those of :class:`erlen.sansio.app.App`.
    """

    #: Class of request objects.
    request_class: type[Request] = Request
    #: Class of response objects built from view return values.
    response_class: type[Response] = Response
    #: The session implementation; signed cookies by default.
    session_interface: SessionInterface = SecureCookieSessionInterface()
    #: Class returned by :meth:`test_client`; ``None`` means :class:`~erlen.testing.ErlenClient`.
    test_client_class: type[ErlenClient] | None = None
    #: Class returned by :meth:`test_cli_runner`.
    test_cli_runner_class: type[ErlenCliRunner] | None = None
    #: Class of :attr:`jinja_env`, built by :meth:`create_jinja_environment`.
    jinja_environment: type[Environment] = Environment
    #: Most threads the ASGI front runs sync views and hooks in, at once.
    asgi_thread_limit: int = 40
    _executor: SyncWorkers | None = None
    _sync_table: dict[t.Callable[..., t.Any], t.Callable[..., t.Any]] | None = None

    def __init__(
        self,
        import_name: str,
        static_url_path: str | None = None,
        static_folder: str | os.PathLike[str] | None = "static",
        static_host: str | None = None,
        host_matching: bool = False,
        subdomain_matching: bool = False,
        template_folder: str | os.PathLike[str] | None = "templates",
        instance_path: str | None = None,
        instance_relative_config: bool = False,
        root_path: str | None = None,
    ) -> None:
        super().__init__(
            import_name=import_name,
            static_url_path=static_url_path,
            static_folder=static_folder,
            static_host=static_host,
            host_matching=host_matching,
            subdomain_matching=subdomain_matching,
            template_folder=template_folder,
            instance_path=instance_path,
            instance_relative_config=instance_relative_config,
            root_path=root_path,
        )
        #: Functions run (in an app context) when an ASGI server starts, before serving.
        self.before_serving_funcs: list[t.Callable[[], t.Any]] = []
        #: Functions run (in an app context) when an ASGI server shuts down.
        self.after_serving_funcs: list[t.Callable[[], t.Any]] = []

    # -- files ---------------------------------------------------------------

    def get_send_file_max_age(self, filename: str | None) -> int | None:
        """``Cache-Control: max-age`` in seconds for a sent file (``SEND_FILE_MAX_AGE_DEFAULT``).

        ``None`` (the default) lets browsers revalidate with conditional requests.
        """
        return max_age_seconds(self.config["SEND_FILE_MAX_AGE_DEFAULT"])

    def send_static_file(self, filename: str) -> Response:
        """The view of the ``static`` endpoint: send ``filename`` from :attr:`static_folder`.

        Raises:
            RuntimeError: the app has no static folder.
            werkzeug.exceptions.NotFound: no such file, or it escapes the folder.
        """
        return send_static(self.static_folder, filename, self.get_send_file_max_age(filename))

    def open_resource(
        self, resource: str, mode: str = "rb", encoding: str | None = None
    ) -> t.IO[t.AnyStr]:
        """Open ``resource`` relative to :attr:`root_path` for reading.

        Raises:
            ValueError: ``mode`` is not a read mode.
        """
        return open_for_reading(self.root_path, resource, mode, encoding)

    def open_instance_resource(
        self, resource: str, mode: str = "rb", encoding: str | None = "utf-8"
    ) -> t.IO[t.AnyStr]:
        """Open ``resource`` relative to :attr:`instance_path` (any mode)."""
        path = os.path.join(self.instance_path, resource)
        if "b" in mode:
            return open(path, mode)
        return open(path, mode, encoding=encoding)

    # -- templates and shell -------------------------------------------------

    def create_jinja_environment(self) -> Environment:
        """Build :attr:`jinja_env` from :attr:`jinja_options`, with erlen's globals.

        Autoescaping follows :meth:`select_jinja_autoescape`; auto-reload
        follows ``TEMPLATES_AUTO_RELOAD``, or debug mode when unset.
        """
        options = dict(self.jinja_options)
        if "autoescape" not in options:
            options["autoescape"] = self.select_jinja_autoescape
        if "auto_reload" not in options:
            auto_reload = self.config["TEMPLATES_AUTO_RELOAD"]
            if auto_reload is None:
                auto_reload = self.debug
            options["auto_reload"] = auto_reload
        rv = self.jinja_environment(self, **options)
        rv.globals.update(
            url_for=self.url_for,
            get_flashed_messages=get_flashed_messages,
            config=self.config,
            request=request,
            session=session,
            g=g,
        )
        rv.policies["json.dumps_function"] = self.json.dumps
        return rv

    def update_template_context(self, context: dict[str, t.Any]) -> None:
        """Add the context processors' values to ``context`` (explicit values win)."""
        names: t.Iterable[str | None] = (None,)
        ctx = _cv_request.get(None)
        if ctx is not None:
            names = chain(names, reversed(ctx.request.blueprints))
        orig_ctx = context.copy()
        for name in names:
            if name in self.template_context_processors:
                for func in self.template_context_processors[name]:
                    context.update(self.ensure_sync(func)())
        context.update(orig_ctx)

    def make_shell_context(self) -> dict[str, t.Any]:
        """The namespace of ``erlen shell``: ``app``, ``g`` and the shell context processors'."""
        rv: dict[str, t.Any] = {"app": self, "g": g}
        for processor in self.shell_context_processors:
            rv.update(processor())
        return rv

    # -- development server and testing ---------------------------------------

    def _make_cli_group(self) -> click.Group:
        """Make :attr:`cli`: an :class:`~erlen.cli.AppGroup` named after this object."""
        from .cli import AppGroup

        return AppGroup(self.name)

    def run(
        self,
        host: str | None = None,
        port: int | None = None,
        debug: bool | None = None,
        load_dotenv: bool = True,
        **options: t.Any,
    ) -> None:
        """Serve the app with Werkzeug's development server (not for production).

        Args:
            host: interface to listen on; default from ``SERVER_NAME`` or
                ``127.0.0.1``.
            port: TCP port; default from ``SERVER_NAME`` or 5000.
            debug: turn debug mode (reloader and debugger) on or off.
            load_dotenv: load ``.erlenenv`` and ``.env`` first.
            **options: passed to :func:`werkzeug.serving.run_simple`.
        """
        from . import cli

        if os.environ.get("ERLEN_RUN_FROM_CLI") == "true":
            if not os.environ.get("WERKZEUG_RUN_MAIN"):
                import click

                click.secho(
                    " * Ignoring a call to 'app.run()' that would block"
                    " the current 'erlen' CLI command.\n"
                    "   Only call 'app.run()' in an 'if __name__ =="
                    ' "__main__"\' guard.',
                    fg="red",
                )
            return
        if get_load_dotenv(load_dotenv):
            cli.load_dotenv()
            if "ERLEN_DEBUG" in os.environ or "FLASK_DEBUG" in os.environ:
                self.debug = get_debug_flag()
        if debug is not None:
            self.debug = bool(debug)
        server_name = self.config.get("SERVER_NAME")
        sn_host = sn_port = None
        if server_name:
            sn_host, _, sn_port = server_name.partition(":")
        if not host:
            host = sn_host or "127.0.0.1"
        if port or port == 0:
            port = int(port)
        elif sn_port:
            port = int(sn_port)
        else:
            port = 5000
        options.setdefault("use_reloader", self.debug)
        options.setdefault("use_debugger", self.debug)
        options.setdefault("threaded", True)
        cli.show_server_banner(self.debug, self.name)
        from werkzeug.serving import run_simple

        try:
            run_simple(t.cast(str, host), port, self, **options)
        finally:
            self._got_first_request = False

    def test_client(
        self, use_cookies: bool = True, asgi: bool = False, **kwargs: t.Any
    ) -> ErlenClient:
        """Return a test client that calls the app without a server; see :class:`~erlen.testing.ErlenClient`.

        With ``asgi=True`` its requests go through the ASGI front,
        :attr:`asgi_app`, instead of the WSGI one.
        """
        from .testing import ErlenClient

        cls = self.test_client_class or ErlenClient
        if asgi:
            # NOTE: passed only when set, so a custom client class that does
            # not know the keyword keeps working for WSGI.
            kwargs["asgi"] = True
        return cls(self, self.response_class, use_cookies=use_cookies, **kwargs)

    def test_cli_runner(self, **kwargs: t.Any) -> ErlenCliRunner:
        """Return a runner for the app's CLI commands; see :class:`~erlen.testing.ErlenCliRunner`."""
        from .testing import ErlenCliRunner

        cls = self.test_cli_runner_class or ErlenCliRunner
        return cls(self, **kwargs)

    # -- contexts --------------------------------------------------------------

    def app_context(self) -> AppContext:
        """Return a new :class:`~erlen.ctx.AppContext` (use as ``with app.app_context():``)."""
        return AppContext(self)

    def request_context(self, environ: WSGIEnvironment) -> RequestContext:
        """Return a new :class:`~erlen.ctx.RequestContext` for a WSGI environ."""
        return RequestContext(self, environ)

    def test_request_context(self, *args: t.Any, **kwargs: t.Any) -> RequestContext:
        """Return a request context for a fake request, built like the test client's.

        Takes the arguments of :class:`werkzeug.test.EnvironBuilder`
        (``path``, ``method``, ``headers``, ``data``, ``json``,
        ``query_string``...), with the base URL from ``SERVER_NAME``,
        ``APPLICATION_ROOT`` and ``PREFERRED_URL_SCHEME``.
        """
        from .testing import EnvironBuilder

        builder = EnvironBuilder(self, *args, **kwargs)
        try:
            return self.request_context(builder.get_environ())
        finally:
            builder.close()

    # -- routing ---------------------------------------------------------------

    def create_url_adapter(self, request: Request | None) -> MapAdapter | None:
        """Bind :attr:`url_map` to ``request``, or to ``SERVER_NAME`` when there is none.

        Checks the host against ``TRUSTED_HOSTS`` when set.

        Raises:
            werkzeug.exceptions.SecurityError: the host is not trusted (400).
        """
        if request is not None:
            self._check_trusted_host(request)
            subdomain = None
            server_name = self.config["SERVER_NAME"]
            if self.url_map.host_matching:
                server_name = None
            elif not self.subdomain_matching:
                subdomain = self.url_map.default_subdomain or ""
            return self.url_map.bind_to_environ(
                request.environ, server_name=server_name, subdomain=subdomain
            )
        if self.config["SERVER_NAME"] is not None:
            return self.url_map.bind(
                self.config["SERVER_NAME"],
                script_name=self.config["APPLICATION_ROOT"],
                url_scheme=self.config["PREFERRED_URL_SCHEME"],
            )
        return None

    def _check_trusted_host(self, request: Request) -> None:
        trusted_hosts = self.config["TRUSTED_HOSTS"]
        if trusted_hosts is not None:
            request.trusted_hosts = trusted_hosts
            request.host  # noqa: B018 - raises SecurityError for an untrusted host

    def match_request_url(
        self, ctx: RequestContext
    ) -> tuple[Rule, dict[str, t.Any]]:
        """Match the request of ``ctx`` against :attr:`url_map`.

        Returns:
            ``(rule, view_args)``.

        Raises:
            werkzeug.exceptions.HTTPException: 404, 405, a 308
                :class:`~werkzeug.routing.RequestRedirect`, 400 for an
                untrusted host, or 400 for an HTTP request to a WebSocket-only
                rule (saying so).
        """
        try:
            table = self._static_routes
            url_map = self.url_map
            if table is None or url_map._remap:
                # Built on the first request and again whenever the map changed
                # (add_url_rule resets the table; url_map.add sets _remap).
                table = self._static_routes = self._static_route_table()
                plain = not (url_map.host_matching or self.subdomain_matching)
                subdomain = url_map.default_subdomain or ""
                self._path_adapter = (
                    url_map.bind("localhost", subdomain=subdomain) if plain else None
                )
                self._router = CompiledRouter.build(url_map, subdomain) if plain else None
                self._sync_table = None
            req = ctx.request
            environ = req.environ
            path = None if "erlen.websocket" in environ else environ.get("PATH_INFO")
            path_adapter = self._path_adapter
            if (
                path is not None
                and path_adapter is not None
                and self.config["TRUSTED_HOSTS"] is not None
            ):
                # The fast paths below match by path alone; the per-request
                # adapter (the last resort) checks the host itself.
                self._check_trusted_host(req)
            if path and path.isascii():
                # The table is empty and there is no router without a path
                # adapter (host or subdomain matching).
                by_method = table.get(path)
                if by_method is not None:
                    rule = by_method.get(req.method)
                    if rule is not None:
                        return rule, dict(rule.defaults) if rule.defaults else {}
                router = self._router
                if router is not None and path[0] == "/" and "//" not in path:
                    # PERF: erlen's compiled router answers clean matches and
                    # plain 404s the way Werkzeug's matcher would, in a fraction of
                    # its calls; redirects and 405s are left to the adapter below.
                    found = router.match(path, req.method)
                    if found is NOT_FOUND:
                        raise NotFound()
                    if found is not None:
                        return found  # type: ignore[return-value]
            if path_adapter is not None and path is not None:
                # PERF: without host or subdomain matching, a match depends only on
                # the path and method, so one adapter bound at startup serves every
                # request. NotFound and MethodNotAllowed do not depend on the host
                # either; a RequestRedirect does (its URL), so that case re-matches
                # with the adapter bound to this request below.
                try:
                    rule, view_args = path_adapter.match(
                        _wsgi_str(path), req.method, return_rule=True
                    )
                    return rule, view_args  # type: ignore[return-value]
                except RequestRedirect:
                    pass
            adapter = t.cast(MapAdapter, ctx.url_adapter)
            rule, view_args = adapter.match(return_rule=True)
            return rule, view_args  # type: ignore[return-value]
        except WebsocketMismatch as e:
            e.description = (
                "This URL accepts WebSocket connections only: connect with"
                " a WebSocket client (ws:// or wss://) through an ASGI server."
                if "erlen.websocket" not in ctx.request.environ
                else "This URL does not accept WebSocket connections."
            )
            raise

    def raise_routing_exception(self, request: Request) -> t.NoReturn:
        """Raise the request's routing exception.

        In debug mode a redirect that would drop a form body raises
        :class:`~erlen.debughelpers.FormDataRoutingRedirect` instead.
        """
        exc = request.routing_exception
        if (
            not self.debug
            or not isinstance(exc, RequestRedirect)
            or exc.code in {307, 308}
            or request.method in {"GET", "HEAD", "OPTIONS"}
        ):
            raise exc  # type: ignore[misc]
        from .debughelpers import FormDataRoutingRedirect

        raise FormDataRoutingRedirect(request)

    # -- sync and async --------------------------------------------------------

    def ensure_sync(self, func: t.Callable[..., t.Any]) -> t.Callable[..., t.Any]:
        """Return ``func`` callable synchronously: coroutine functions are wrapped.

        Used for every view, hook and handler on the WSGI front.
        """
        if _is_async(func):
            return self.async_to_sync(func)
        return func

    def async_to_sync(
        self, func: t.Callable[..., t.Coroutine[t.Any, t.Any, t.Any]]
    ) -> t.Callable[..., t.Any]:
        """Wrap a coroutine function to run to completion when called.

        On the ASGI front's worker threads it is awaited on the server's event
        loop. Elsewhere it runs on a new event loop in the calling thread, with
        the caller's context variables (so ``request`` and ``g`` work), or in
        a helper thread when the calling thread already runs a loop.
        """

        def run(*args: t.Any, **kwargs: t.Any) -> t.Any:
            import asyncio  # PERF: imported when first needed, not with erlen.

            coro = func(*args, **kwargs)
            server_loop = _cv_server_loop.get(None)
            try:
                asyncio.get_running_loop()
            except RuntimeError:
                if server_loop is not None and server_loop.is_running():
                    # In an ASGI worker thread: await on the server's loop.
                    return asyncio.run_coroutine_threadsafe(coro, server_loop).result()
                return _run_on_new_loop(coro)

            result: list[t.Any] = []
            error: list[BaseException] = []
            ctx = contextvars.copy_context()

            def target() -> None:
                try:
                    result.append(ctx.run(asyncio.run, coro))
                except BaseException as e:
                    error.append(e)

            thread = threading.Thread(target=target)
            thread.start()
            thread.join()
            if error:
                raise error[0]
            return result[0]

        run.__name__ = getattr(func, "__name__", "run")
        run.__wrapped__ = func  # type: ignore[attr-defined]
        return run

    # -- dispatch: the protocol-independent core --------------------------------
    #
    # The request algorithm is written once, as generators ("steps") that
    # yield every user callable they need called -- hooks, the view, error
    # handlers -- as ``(func, args, kwargs)`` and receive its result. A driver
    # runs them: :meth:`_drive` calls each one synchronously (the WSGI front);
    # an async driver can await coroutine functions on the event loop and run
    # sync ones in a thread pool (the ASGI front). Flask's public methods
    # (``preprocess_request``, ``dispatch_request``...) are thin calls of the
    # sync driver, and the steps call a public method instead of its steps
    # when a subclass or an extension has replaced it.

    def _drive(self, steps: Steps[T]) -> T:
        """Run ``steps`` to completion, calling each yielded callable synchronously.

        Coroutine functions are run through :meth:`ensure_sync`. An exception
        raised by a callable is thrown back into the steps, so their
        ``try``/``except`` blocks handle it as if the call were inline.
        """
        ensure_sync = self.ensure_sync
        # PERF: registered callables are adapted once (see _sync_callables);
        # others (after_this_request functions) are adapted per call.
        adapted = self._sync_table
        if adapted is None or self._static_routes is None:
            adapted = self._sync_callables
        if "ensure_sync" in self._overrides:
            adapted = None
        try:
            func, args, kwargs = next(steps)
            while True:
                try:
                    call = adapted.get(func) if adapted is not None else None
                    if call is None:
                        call = ensure_sync(func)
                    if kwargs is _HANDLING:
                        result = _call_handling(call, args[0])
                    else:
                        result = call(*args, **kwargs)
                except BaseException as e:
                    func, args, kwargs = steps.throw(e)
                else:
                    func, args, kwargs = steps.send(result)
        except StopIteration as stop:
            return stop.value  # type: ignore[no-any-return]

    async def _drive_async(
        self,
        steps: Steps[T],
        context: contextvars.Context,
        handling: BaseException | None = None,
    ) -> T:
        """Run ``steps`` on the event loop: await coroutine functions, run sync ones in threads.

        Consecutive sync callables run in one trip to the thread pool, so a
        fully synchronous request costs one thread hop; a fully asynchronous
        one costs none. Sync work runs inside ``context`` (one per request),
        so context variables set there persist across hops. With
        ``handling`` (the exception the caller is handling), sync work runs
        in an ``except`` block for it too, so ``sys.exc_info()`` in a worker
        thread sees it as on the loop.
        """
        # PERF: the task's context (coroutines) and the worker context (sync
        # calls) are brought in line only right before a thread hop, not
        # after every call, so a fully asynchronous request copies nothing.
        task_changed = False
        reset_vars: list[contextvars.ContextVar[t.Any]] = []
        try:
            func, args, kwargs = next(steps)
            while True:
                # PERF: a plain ``async def`` function (views, hooks) is
                # recognised by its code flag alone, without the getattr and
                # inspect calls that other callables (methods, partials,
                # marked functions, sync callables) go through.
                plain_coroutine = (
                    type(func) is FunctionType and func.__code__.co_flags & _CO_COROUTINE
                )
                if not plain_coroutine and getattr(func, "_erlen_on_loop", False):
                    try:
                        result = func(*args, **kwargs)
                    except BaseException as e:
                        func, args, kwargs = steps.throw(e)
                    else:
                        if args and isinstance(args[0], contextvars.ContextVar):
                            # A context variable was reset on the loop; the
                            # sync calls after it must see the reset too.
                            reset_vars.append(args[0])
                        func, args, kwargs = steps.send(result)
                elif plain_coroutine or _is_async(func):
                    task_changed = True
                    try:
                        if kwargs is _HANDLING:
                            result = await _await_handling(func, args[0])
                        else:
                            result = await func(*args, **kwargs)
                    except BaseException as e:
                        func, args, kwargs = steps.throw(e)
                    else:
                        func, args, kwargs = steps.send(result)
                else:
                    if reset_vars:
                        context = _worker_context_after_reset(context, reset_vars)
                        reset_vars.clear()
                    if task_changed:
                        # Context variables a coroutine set are seen by the
                        # sync calls after it (as asgiref does on WSGI), and
                        # the reverse below.
                        context.run(_set_vars, contextvars.copy_context().items())
                        task_changed = False
                    done, value, resets, worker_context = await self._run_sync(
                        context, self._sync_segment, steps, (func, args, kwargs), handling
                    )
                    if resets is not None:
                        # Context pops the worker thread went past (see
                        # _sync_calls): the real resets, in the task's context.
                        for token in resets:
                            token.var.reset(token)
                    if worker_context is not None:
                        context = worker_context
                    _set_vars(context.items())
                    if done == 2:
                        raise value
                    if done:
                        return value  # type: ignore[no-any-return]
                    func, args, kwargs = value
        except StopIteration as stop:
            return stop.value  # type: ignore[no-any-return]

    @staticmethod
    def _sync_segment(
        steps: Steps[t.Any], call: Call, handling: BaseException | None = None
    ) -> _Segment:
        """In a worker thread: call sync callables until an async one comes or the steps end.

        Returns:
            ``(done, value, resets, context)``: ``done`` is 1 when the steps
            finished (``value`` is their result), 2 when they raised ``value``
            after a reset, else 0 (``value`` is the next, async, call);
            ``resets`` are the tokens of context variables
            to reset on the loop (or ``None``) and ``context`` the context
            later sync calls must run in, when it changed (or ``None``).
        """
        if handling is not None:
            return _call_handling(  # type: ignore[no-any-return]
                lambda _: _sync_calls(steps, call, None), handling
            )
        return _sync_calls(steps, call, None)

    async def _run_sync(
        self,
        context: contextvars.Context,
        func: t.Callable[..., T],
        *args: t.Any,
    ) -> T:
        """Run ``func(*args)`` in one of the app's bounded worker threads, inside ``context``."""
        workers = self._executor
        if workers is None or not workers.usable:
            from .asgi._workers import SyncWorkers  # PERF: see _asgi_handle

            workers = self._executor = SyncWorkers(self.asgi_thread_limit)
        # PERF: a dedicated worker queue resolving an asyncio future directly
        # (see SyncWorkers), not loop.run_in_executor.
        return await workers.submit(_get_running_loop(), context, func, args)  # type: ignore[no-any-return]

    @property
    def _sync_callables(self) -> dict[t.Callable[..., t.Any], t.Callable[..., t.Any]]:
        """``{registered callable: ensure_sync(callable)}``, built on first use.

        Covers view functions, request hooks and error handlers; rebuilt when
        a rule is added (the static-route table is reset at the same time).
        """
        table = self._sync_table
        if table is None or self._static_routes is None:
            table = {}
            registries: list[t.Iterable[t.Callable[..., t.Any]]] = [
                self.view_functions.values()
            ]
            for hooks in (
                self.before_request_funcs,
                self.after_request_funcs,
                self.teardown_request_funcs,
            ):
                registries.extend(hooks.values())
            registries.append(self.teardown_appcontext_funcs)
            for spec in self.error_handler_spec.values():
                for handlers in spec.values():
                    registries.append(handlers.values())
            for funcs in registries:
                for func in funcs:
                    table[func] = self.ensure_sync(func)
            self._sync_table = table
        return table

    @cached_property
    def _overrides(self) -> frozenset[str]:
        """The public dispatch methods a subclass or an instance attribute replaced."""
        cls = type(self)
        return frozenset(
            name
            for name in _OVERRIDABLE
            if name in self.__dict__ or getattr(cls, name) is not getattr(Erlen, name)
        )

    def _full_dispatch_steps(
        self, ctx: RequestContext, error: Exception | None = None
    ) -> Steps[Response]:
        self._got_first_request = True
        overrides = self._overrides
        try:
            if request_started.receivers:
                request_started.send(self, _async_wrapper=self.ensure_sync)
            if error is not None:
                # An error found by the front before dispatch (a body over the
                # limit): handled like one raised by a view.
                raise error
            if "preprocess_request" in overrides:
                rv = self.preprocess_request()
            elif self.before_request_funcs or self.url_value_preprocessors:
                rv = yield from self._preprocess_steps(ctx)
            else:
                rv = None  # PERF: no hooks registered, nothing to run
            if rv is None:
                if "dispatch_request" in overrides:
                    rv = self.dispatch_request()
                else:
                    rv = yield self._view_call(ctx)
        except Exception as e:
            if "handle_user_exception" in overrides:
                rv = self.handle_user_exception(e)
            else:
                rv = yield from self._handle_user_exception_steps(ctx, e)
        if "finalize_request" in overrides:
            return self.finalize_request(rv)
        response = self.make_response(rv)
        if (
            "process_response" in overrides
            or ctx._after_request_functions
            or self.after_request_funcs
            or ctx._session is not None
            or "HTTP_COOKIE" in ctx.request.environ
        ):
            return (yield from self._finalize_steps(ctx, response, False))
        # PERF: nothing to process (no after-request function, no session or
        # cookie): what _finalize_steps would do, without its generator.
        if request_finished.receivers:
            request_finished.send(self, _async_wrapper=self.ensure_sync, response=response)
        return response

    def _preprocess_steps(
        self, ctx: RequestContext
    ) -> Steps[ft.ResponseReturnValue | None]:
        req = ctx.request
        names = (None, *reversed(req.blueprints))
        for name in names:
            if name in self.url_value_preprocessors:
                for url_func in self.url_value_preprocessors[name]:
                    url_func(req.endpoint, req.view_args)
        for name in names:
            if name in self.before_request_funcs:
                for before_func in self.before_request_funcs[name]:
                    rv = yield before_func, (), _NO_KWARGS
                    if rv is not None:
                        return rv  # type: ignore[no-any-return]
        return None

    def _dispatch_steps(self, ctx: RequestContext) -> Steps[ft.ResponseReturnValue]:
        return (yield self._view_call(ctx))  # type: ignore[no-any-return]

    def _view_call(self, ctx: RequestContext) -> Call:
        """The call that answers the matched request: its view function, or the automatic ``OPTIONS`` response.

        Raises:
            werkzeug.exceptions.HTTPException: the routing exception (404, 405, 308).
        """
        req = ctx.request
        if req.routing_exception is not None:
            self.raise_routing_exception(req)
        rule: Rule = req.url_rule  # type: ignore[assignment]
        if req.method == "OPTIONS" and getattr(rule, "provide_automatic_options", False):
            return self.make_default_options_response, (), _NO_KWARGS
        return self.view_functions[rule.endpoint], (), req.view_args  # type: ignore[return-value]

    def _finalize_steps(
        self,
        ctx: RequestContext,
        rv: ft.ResponseReturnValue | HTTPException,
        from_error_handler: bool,
    ) -> Steps[Response]:
        response = self.make_response(rv)
        try:
            if "process_response" in self._overrides:
                response = self.process_response(response)
            elif (
                ctx._after_request_functions
                or self.after_request_funcs
                or ctx._session is not None
                or "HTTP_COOKIE" in ctx.request.environ
            ):
                response = yield from self._process_response_steps(ctx, response)
            if request_finished.receivers:
                request_finished.send(
                    self, _async_wrapper=self.ensure_sync, response=response
                )
        except Exception:
            if not from_error_handler:
                raise
            self.logger.exception(
                "Request finalizing failed with an error while handling an error"
            )
        return response

    def _process_response_steps(
        self, ctx: RequestContext, response: Response
    ) -> Steps[Response]:
        for func in ctx._after_request_functions:
            response = yield func, (response,), _NO_KWARGS
        for name in chain(ctx.request.blueprints, (None,)):
            if name in self.after_request_funcs:
                for func in reversed(self.after_request_funcs[name]):
                    response = yield func, (response,), _NO_KWARGS
        # NOTE: yielded, not called, so a session interface doing I/O (a
        # server-side store) runs off the event loop on the ASGI front; not
        # even yielded when the session was never opened and no cookie came.
        if ctx._session is not None or "HTTP_COOKIE" in ctx.request.environ:
            if type(self.session_interface).save_session is _COOKIE_SAVE:
                # PERF: the signed-cookie session does no I/O: no thread hop.
                self._save_session(ctx, response)
            else:
                yield self._save_session, (ctx, response), _NO_KWARGS
        return response

    def _handle_http_exception_steps(
        self, ctx: RequestContext, e: HTTPException
    ) -> Steps[HTTPException | ft.ResponseReturnValue]:
        if e.code is None or isinstance(e, RoutingException):
            return e
        handler = self._find_error_handler(e, ctx.request.blueprints)
        if handler is None:
            return e
        return (yield handler, (e,), _HANDLING)  # type: ignore[no-any-return]

    def _handle_user_exception_steps(
        self, ctx: RequestContext, e: Exception
    ) -> Steps[HTTPException | ft.ResponseReturnValue]:
        if isinstance(e, BadRequestKeyError) and (
            self.debug or self.config["TRAP_BAD_REQUEST_ERRORS"]
        ):
            e.show_exception = True
        if isinstance(e, HTTPException) and not self.trap_http_exception(e):
            if "handle_http_exception" in self._overrides:
                return self.handle_http_exception(e)
            return (yield from self._handle_http_exception_steps(ctx, e))
        handler = self._find_error_handler(e, ctx.request.blueprints)
        if handler is None:
            raise e
        return (yield handler, (e,), _HANDLING)  # type: ignore[no-any-return]

    def _handle_exception_steps(
        self, ctx: RequestContext | None, e: Exception
    ) -> Steps[Response]:
        if got_request_exception.receivers:
            got_request_exception.send(self, _async_wrapper=self.ensure_sync, exception=e)
        propagate = self.config["PROPAGATE_EXCEPTIONS"]
        if propagate is None:
            propagate = self.testing or self.debug
        if propagate:
            raise e
        self.log_exception((type(e), e, t.cast(TracebackType, e.__traceback__)))
        server_error: InternalServerError | ft.ResponseReturnValue
        server_error = InternalServerError(original_exception=e)
        blueprints = ctx.request.blueprints if ctx is not None else []
        handler = self._find_error_handler(server_error, blueprints)
        if handler is not None:
            server_error = yield handler, (server_error,), _NO_KWARGS
        if ctx is not None and "finalize_request" not in self._overrides:
            return (yield from self._finalize_steps(ctx, server_error, True))
        return self.finalize_request(server_error, from_error_handler=True)

    def _websocket_steps(self, ctx: RequestContext) -> Steps[t.Any]:
        """Run a WebSocket handler: preprocessors, ``before_websocket``, the handler, ``after_websocket``.

        Returns the handler's return value (a response value rejects a
        handshake that was not accepted), or the HTTP error's response.
        """
        req = ctx.request
        names = (None, *reversed(req.blueprints))
        try:
            if req.routing_exception is not None:
                raise req.routing_exception
            for name in names:
                if name in self.url_value_preprocessors:
                    for url_func in self.url_value_preprocessors[name]:
                        url_func(req.endpoint, req.view_args)
            rv = None
            for name in names:
                if name in self.before_websocket_funcs:
                    for before_func in self.before_websocket_funcs[name]:
                        rv = yield before_func, (), _NO_KWARGS
                        if rv is not None:
                            break
                if rv is not None:
                    break
            if rv is None:
                rule = t.cast(Rule, req.url_rule)
                view_args = t.cast(dict[str, t.Any], req.view_args)
                rv = yield self.view_functions[rule.endpoint], (), view_args
        except Exception as e:
            rv = yield from self._handle_user_exception_steps(ctx, e)
        for name in chain(req.blueprints, (None,)):
            if name in self.after_websocket_funcs:
                for func in reversed(self.after_websocket_funcs[name]):
                    result = yield func, (rv,), _NO_KWARGS
                    if result is not None:
                        rv = result
        return rv

    def _teardown_request_steps(
        self, ctx: RequestContext, exc: BaseException | None
    ) -> Steps[None]:
        for name in chain(ctx.request.blueprints, (None,)):
            if name in self.teardown_request_funcs:
                for func in reversed(self.teardown_request_funcs[name]):
                    yield func, (exc,), _NO_KWARGS
        if request_tearing_down.receivers:
            request_tearing_down.send(self, _async_wrapper=self.ensure_sync, exc=exc)

    def _teardown_appcontext_steps(self, exc: BaseException | None) -> Steps[None]:
        for func in reversed(self.teardown_appcontext_funcs):
            yield func, (exc,), _NO_KWARGS
        if appcontext_tearing_down.receivers:
            appcontext_tearing_down.send(self, _async_wrapper=self.ensure_sync, exc=exc)

    # -- Flask's public dispatch methods: the core driven synchronously ----------

    def preprocess_request(self) -> ft.ResponseReturnValue | None:
        """Run URL value preprocessors, then ``before_request`` functions (app first).

        Returns:
            the first non-``None`` value a ``before_request`` function
            returned (it becomes the response), or ``None``.
        """
        return self._drive(self._preprocess_steps(_cv_request.get()))

    def dispatch_request(self) -> ft.ResponseReturnValue:
        """Call the view function of the matched rule and return its value.

        Answers automatic ``OPTIONS`` requests itself.

        Raises:
            werkzeug.exceptions.HTTPException: the routing exception (404, 405, 308).
        """
        return self._drive(self._dispatch_steps(_cv_request.get()))

    def full_dispatch_request(self) -> Response:
        """Run the request: signals, ``before_request``, the view, error handling, ``after_request``."""
        return self._drive(self._full_dispatch_steps(_cv_request.get()))

    def finalize_request(
        self,
        rv: ft.ResponseReturnValue | HTTPException,
        from_error_handler: bool = False,
    ) -> Response:
        """Make the response, run :meth:`process_response` and send ``request_finished``.

        With ``from_error_handler``, errors raised while finalizing are
        logged instead of raised.
        """
        return self._drive(
            self._finalize_steps(_cv_request.get(), rv, from_error_handler)
        )

    def process_response(self, response: Response) -> Response:
        """Run ``after_this_request`` and ``after_request`` functions, then save the session.

        ``after_request`` functions run innermost blueprint first, app last,
        each scope in reverse registration order. The session is saved only
        if it was opened, or the request sent the session cookie (so a
        permanent session is refreshed as in Flask).
        """
        return self._drive(self._process_response_steps(_cv_request.get(), response))

    def handle_http_exception(
        self, e: HTTPException
    ) -> HTTPException | ft.ResponseReturnValue:
        """Return the registered handler's response for ``e``, or ``e`` itself (rendered as its page).

        Routing redirects and exceptions without a code are never handled.
        """
        return self._drive(self._handle_http_exception_steps(_cv_request.get(), e))

    def handle_user_exception(
        self, e: Exception
    ) -> HTTPException | ft.ResponseReturnValue:
        """Handle an exception raised while dispatching, with the registered handlers.

        Raises:
            Exception: ``e`` again when no handler is registered for it (or
                it is a trapped HTTP exception); :meth:`handle_exception`
                turns it into a 500.
        """
        return self._drive(self._handle_user_exception_steps(_cv_request.get(), e))

    def handle_exception(self, e: Exception) -> Response:
        """Turn an unhandled exception into a 500 response, or re-raise it.

        Sends ``got_request_exception``. With ``PROPAGATE_EXCEPTIONS`` (on by
        default when testing or debugging) the exception propagates;
        otherwise it is logged and the handler for 500 or
        :class:`~werkzeug.exceptions.InternalServerError` receives an
        ``InternalServerError`` whose ``original_exception`` is ``e``.
        """
        return self._drive(self._handle_exception_steps(_cv_request.get(None), e))

    # -- responses ----------------------------------------------------------

    def make_default_options_response(self) -> Response:
        """The response to an automatic ``OPTIONS`` request: empty, with ``Allow``."""
        adapter = t.cast(MapAdapter, _cv_request.get().url_adapter)
        methods = adapter.allowed_methods()
        rv = self.response_class()
        rv.allow.update(methods)
        return rv

    def _save_session(self, ctx: RequestContext, response: Response) -> None:
        sess = ctx._session
        interface = self.session_interface
        if sess is None:
            # PERF: the session was never touched; open it only when the
            # client sent a cookie that a permanent session would refresh.
            if "HTTP_COOKIE" not in ctx.request.environ:
                return
            if interface.get_cookie_name(self) not in ctx.request.cookies:
                return
            sess = ctx._open_session()
        if not interface.is_null_session(sess):
            interface.save_session(self, sess, response)

    def make_response(self, rv: ft.ResponseReturnValue | HTTPException) -> Response:
        """Convert a view's return value into a :attr:`response_class` instance.

        Accepts ``str``/``bytes`` (the body), ``dict``/``list`` (JSON), an
        iterator, generator or async generator (streamed body), a response object, a WSGI
        callable, or a tuple ``(body, status)``, ``(body, headers)`` or
        ``(body, status, headers)``; ``headers`` is a dict, a list of
        ``(name, value)`` pairs or a :class:`~werkzeug.datastructures.Headers`.

        Raises:
            TypeError: the value is ``None`` or of another type, or the tuple
                has the wrong length.
        """
        kind = type(rv)
        if kind is str or kind is bytes:
            # PERF: the commonest return values, without the checks below.
            return self.response_class(rv)  # type: ignore[arg-type]
        if kind is dict or kind is list:
            return self.json.response(rv)  # type: ignore[return-value]
        status: t.Any = None
        headers: t.Any = None
        if isinstance(rv, tuple):
            len_rv = len(rv)
            if len_rv == 3:
                rv, status, headers = rv  # type: ignore[misc]
            elif len_rv == 2:
                if isinstance(rv[1], (Headers, dict, tuple, list)):
                    rv, headers = rv
                else:
                    rv, status = rv  # type: ignore[misc]
            else:
                raise TypeError(
                    "The view function did not return a valid response tuple."
                    " The tuple must have the form (body, status, headers),"
                    " (body, status), or (body, headers)."
                )
        if rv is None:
            raise TypeError(
                f"The view function for {request.endpoint!r} did not"
                " return a valid response. The function either returned"
                " None or ended without a return statement."
            )
        if isinstance(rv, HTTPException) and status is None and headers is None:
            # PERF: a stock error page (404, 400...) is the same bytes every
            # time; render it once per exception class.
            body = _stock_error_body(rv)
            if body is not None:
                return self.response_class(body, status=rv.code)
        if not isinstance(rv, self.response_class):
            if isinstance(rv, (str, bytes, bytearray, cabc.Iterator, cabc.AsyncIterator)):
                rv = self.response_class(
                    rv,
                    status=status,
                    headers=headers,
                )
                status = headers = None
            elif isinstance(rv, (dict, list)):
                rv = t.cast(Response, self.json.response(rv))
            elif isinstance(rv, BaseResponse) or callable(rv):
                try:
                    rv = self.response_class.force_type(
                        rv,  # type: ignore[arg-type]
                        request.environ,
                    )
                except TypeError as e:
                    raise TypeError(
                        f"{e}\nThe view function did not return a valid"
                        " response. The return type must be a string,"
                        " dict, list, tuple with headers or status,"
                        " Response instance, or WSGI callable, but it"
                        f" was a {type(rv).__name__}."
                    ).with_traceback(sys.exc_info()[2]) from None
            else:
                raise TypeError(
                    "The view function did not return a valid"
                    " response. The return type must be a string,"
                    " dict, list, tuple with headers or status,"
                    " Response instance, or WSGI callable, but it was a"
                    f" {type(rv).__name__}."
                )
        if status is not None:
            if isinstance(status, (str, bytes, bytearray)):
                rv.status = status  # type: ignore[assignment]
            else:
                rv.status_code = status
        if headers:
            rv.headers.update(headers)
        return rv  # type: ignore[return-value]

    # -- errors ----------------------------------------------------------------

    def log_exception(
        self,
        exc_info: tuple[type, BaseException, TracebackType] | tuple[None, None, None],
    ) -> None:
        """Log an unhandled exception with the request path and method at ``ERROR`` level."""
        self.logger.error(
            f"Exception on {request.path} [{request.method}]", exc_info=exc_info
        )

    # -- teardown --------------------------------------------------------------

    def do_teardown_request(
        self,
        exc: BaseException | None = _sentinel,  # type: ignore[assignment]
    ) -> None:
        """Run ``teardown_request`` functions (innermost blueprint first) and send ``request_tearing_down``.

        ``exc`` defaults to the exception being handled, if any (as in Flask).
        """
        if exc is _sentinel:
            exc = sys.exc_info()[1]
        self._drive(self._teardown_request_steps(_cv_request.get(), exc))

    def do_teardown_appcontext(
        self,
        exc: BaseException | None = _sentinel,  # type: ignore[assignment]
    ) -> None:
        """Run ``teardown_appcontext`` functions (reverse order) and send ``appcontext_tearing_down``.

        ``exc`` defaults to the exception being handled, if any (as in Flask).
        """
        if exc is _sentinel:
            exc = sys.exc_info()[1]
        self._drive(self._teardown_appcontext_steps(exc))

    # -- serving lifecycle and the ASGI front ------------------------------------

    @setupmethod
    def before_serving(self, f: F) -> F:
        """Register ``f()`` (sync or async) to run when an ASGI server starts (lifespan startup).

        It runs in an app context. An exception fails the startup and the
        server reports it.
        """
        self.before_serving_funcs.append(f)
        return f

    @setupmethod
    def after_serving(self, f: F) -> F:
        """Register ``f()`` (sync or async) to run when an ASGI server shuts down (lifespan shutdown)."""
        self.after_serving_funcs.append(f)
        return f

    #: The ASGI 3 application: HTTP, WebSocket and lifespan, called as
    #: ``await app.asgi_app(scope, receive, send)``. Serve it with
    #: ``uvicorn module:app.asgi_app`` (or ``module:app``). Wrap this
    #: attribute, not the app, with ASGI middleware:
    #: ``app.asgi_app = Middleware(app.asgi_app)``.
    asgi_app = _ASGIAppAttribute()

    # -- the WSGI front --------------------------------------------------------

    def wsgi_app(
        self, environ: WSGIEnvironment, start_response: StartResponse
    ) -> cabc.Iterable[bytes]:
        """The WSGI application (PEP 3333); wrap this, not the app, with middleware.

        ``app.wsgi_app = ProxyFix(app.wsgi_app)`` keeps ``app`` itself as the
        object servers and the test client call.
        """
        overrides = self._overrides
        if "request_context" in overrides:
            ctx = self.request_context(environ)
        else:
            ctx = RequestContext(self, environ)
        error: BaseException | None = None
        try:
            try:
                ctx.push()
                if "full_dispatch_request" in overrides:
                    response = self.full_dispatch_request()
                else:
                    response = self._drive(self._full_dispatch_steps(ctx))
            except Exception as e:
                error = e
                response = self.handle_exception(e)
            except:
                error = sys.exc_info()[1]
                raise
            if type(response.response) is not list and hasattr(
                response.response, "__aiter__"
            ):
                response.response = _iterate_async(response.response)  # type: ignore[arg-type]
            return response(environ, start_response)
        finally:
            preserve = environ.get("werkzeug.debug.preserve_context")
            if preserve is not None:
                preserve(_cv_app.get())
                preserve(_cv_request.get())
            if error is not None and self.should_ignore_error(error):
                error = None
            ctx.pop(error)

    def __call__(
        self,
        environ: t.Any,
        start_response: t.Any = _NO_ARG,
        send: t.Any = _NO_ARG,
        *extra: t.Any,
    ) -> t.Any:
        """Serve WSGI (``environ, start_response``) or ASGI (``scope, receive, send``).

        The number of arguments tells the protocols apart; an ASGI 2 server's
        ``app(scope)`` gets an ASGI 2 instance.
        """
        # PERF: named parameters rather than ``*args``: no tuple per request.
        if extra:
            raise TypeError(
                "An erlen app is called as a WSGI app (environ, start_response)"
                " or an ASGI app (scope, receive, send)."
            )
        if send is _NO_ARG:
            if start_response is not _NO_ARG:
                return self.wsgi_app(environ, start_response)
            scope = environ

            async def instance(receive: t.Any, send: t.Any) -> None:
                await self.asgi_app(scope, receive, send)

            return instance
        return self.asgi_app(environ, start_response, send)
