"""The WSGI side of :mod:`erlen.testing`: :class:`EnvironBuilder`, :class:`ErlenClient`, :class:`ErlenCliRunner`."""

from __future__ import annotations

import typing as t
from contextlib import ExitStack
from contextlib import contextmanager
from copy import copy
from functools import cache
from types import TracebackType
from urllib.parse import urlsplit

import werkzeug.test
from click.testing import CliRunner
from click.testing import Result
from werkzeug.datastructures import Headers
from werkzeug.test import TestResponse
from werkzeug.wrappers import Request as BaseRequest
from werkzeug.wsgi import get_current_url

from ..cli import ScriptInfo

if t.TYPE_CHECKING:  # pragma: no cover
    import click

    from ..app import Erlen
    from ..sessions import SessionMixin

#: The environ key through which the WSGI front hands its contexts to the client
#: before popping them (see ``docs/dev/ARCHITECTURE.md``).
_PRESERVE_CONTEXT_KEY = "werkzeug.debug.preserve_context"
T = t.TypeVar("T")


@cache
def _werkzeug_version() -> str:
    """Return the installed Werkzeug version, looked up once."""
    # PERF: importlib.metadata is imported on the first client, not with erlen.testing.
    import importlib.metadata

    return importlib.metadata.version("werkzeug")


class EnvironBuilder(werkzeug.test.EnvironBuilder):
    """A :class:`werkzeug.test.EnvironBuilder` that takes defaults from an app.

    When no ``base_url`` is given, it is assembled from the app's configuration:
    the host is ``SERVER_NAME`` (``"localhost"`` when unset), prefixed with
    ``subdomain`` and a dot when one is given; the scheme is ``url_scheme`` or
    else ``PREFERRED_URL_SCHEME``; the root path is ``APPLICATION_ROOT``. A
    ``path`` that is an absolute URL (``"https://example.org/a"``) supplies its
    own scheme and host instead, and a query string in ``path`` (``"/a?b=c"``)
    becomes the request's query string.

    Args:
        app: The application the environ is built for.
        path: The path of the request, relative to the application root. It may
            contain a query string, or be a full URL.
        base_url: The full base URL, ``scheme://host/root/``. Cannot be combined
            with ``subdomain`` or ``url_scheme``.
        subdomain: A subdomain to prepend to ``SERVER_NAME``.
        url_scheme: The URL scheme, instead of ``PREFERRED_URL_SCHEME``.
        *args: Further positional arguments for
            :class:`werkzeug.test.EnvironBuilder`, starting with
            ``query_string``.
        **kwargs: Further keyword arguments for
            :class:`werkzeug.test.EnvironBuilder` (``method``, ``headers``,
            ``data``, ``json``, ``environ_base``, ...).

    Raises:
        AssertionError: If ``base_url`` is combined with ``subdomain`` or
            ``url_scheme`` (the same exception type Flask raises).
    """

    def __init__(
        self,
        app: Erlen,
        path: str = "/",
        base_url: str | None = None,
        subdomain: str | None = None,
        url_scheme: str | None = None,
        *args: t.Any,
        **kwargs: t.Any,
    ) -> None:
        if base_url is not None and (subdomain or url_scheme):
            # COMPAT: Flask reports this misuse with an AssertionError.
            raise AssertionError(
                'Cannot pass "subdomain" or "url_scheme" with "base_url".'
            )

        if base_url is None:
            host = app.config.get("SERVER_NAME") or "localhost"
            if subdomain:
                host = f"{subdomain}.{host}"
            if url_scheme is None:
                url_scheme = app.config["PREFERRED_URL_SCHEME"]
            root = app.config["APPLICATION_ROOT"] or "/"

            parts = urlsplit(path)
            base_url = (
                f"{parts.scheme or url_scheme}://{parts.netloc or host}"
                f"/{root.lstrip('/')}"
            )
            # Keep the query in the path; Werkzeug's builder splits it off.
            path = f"{parts.path}?{parts.query}" if parts.query else parts.path

        # NOTE: set before the base initialiser, which calls ``json_dumps``.
        self.app = app
        super().__init__(path, base_url, *args, **kwargs)

    def json_dumps(self, obj: t.Any, **kwargs: t.Any) -> str:
        """Serialise ``obj`` with the app's JSON provider (``app.json.dumps``).

        Args:
            obj: The value passed as ``json=``.
            **kwargs: Passed on to the provider's ``dumps``.

        Returns:
            The JSON document, used as the request body.
        """
        return self.app.json.dumps(obj, **kwargs)


class ErlenClient(werkzeug.test.Client):
    """The test client returned by :meth:`~erlen.Erlen.test_client`.

    It works like :class:`werkzeug.test.Client`, with these additions:

    * requests are built with :class:`EnvironBuilder`, so the base URL follows
      the app's configuration;
    * every request starts from :attr:`environ_base`;
    * inside a ``with client:`` block, the app and request contexts of the most
      recent request stay pushed after it returns, so :data:`~erlen.request`,
      :data:`~erlen.session` and :data:`~erlen.g` can be inspected; they are
      released by the next request or at the end of the block;
    * :meth:`session_transaction` reads and edits the session between requests.

    With ``asgi=True`` (``app.test_client(asgi=True)``) every request goes
    through the app's ASGI front, ``app.asgi_app``, instead of the WSGI one:
    the environ built as usual is turned into an ASGI scope, the app runs to
    completion on a new event loop (in a helper thread when the calling
    thread already runs one), the body is fed in :attr:`asgi_chunk_size`
    chunks, and the ``http.response.*`` messages become the response. Cookies,
    redirects, ``json=``, files, ``session_transaction()`` and ``with
    client:`` work the same. Differences that ASGI itself imposes: response
    header names are lower-case, the status line carries the standard
    reason phrase (a custom one such as ``"299 WHATEVER"`` is not sent over
    ASGI), environ keys without an ASGI equivalent (``REMOTE_USER``,
    ``werkzeug.*``) do not reach the app, and the response body is always
    read whole before :meth:`open` returns.

    Args:
        *args: Passed to :class:`werkzeug.test.Client`: the application, then
            the response class.
        asgi: Send requests through ``app.asgi_app`` instead of the WSGI app.
        **kwargs: Passed to :class:`werkzeug.test.Client` (``use_cookies``,
            ``allow_subdomain_redirects``).
    """

    application: Erlen
    #: Bytes per ``http.request`` message when the ASGI front is fed a body.
    asgi_chunk_size = 65536

    def __init__(self, *args: t.Any, asgi: bool = False, **kwargs: t.Any) -> None:
        super().__init__(*args, **kwargs)
        #: Whether requests go through ``app.asgi_app`` instead of the WSGI app.
        self.asgi = asgi
        #: Whether the contexts of requests are being kept; true inside a
        #: ``with client:`` block.
        self.preserve_context = False
        #: WSGI environ values every request starts from. Values passed as
        #: ``environ_base=`` to a request are merged over these.
        self.environ_base: dict[str, t.Any] = {
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_USER_AGENT": f"Werkzeug/{_werkzeug_version()}",
        }
        # Contexts reported by the app during the current request, in the order
        # it reported them (app context, then request context).
        self._new_contexts: list[t.ContextManager[t.Any]] = []
        # Contexts kept from the previous request, closed before the next one.
        self._context_stack = ExitStack()

    @contextmanager
    def session_transaction(
        self, *args: t.Any, **kwargs: t.Any
    ) -> t.Iterator[SessionMixin]:
        """Open the session the client's cookies carry, to read or change it.

        The session is opened with the app's session interface inside a request
        context made by ``app.test_request_context(*args, **kwargs)``, carrying
        the client's cookies. When the ``with`` block ends, the session is saved
        and the resulting ``Set-Cookie`` headers update the client's cookies,
        so the next request sees the changes::

            with client.session_transaction() as sess:
                sess["user_id"] = 1

        Args:
            *args: Passed to :meth:`~erlen.Erlen.test_request_context`.
            **kwargs: Passed to :meth:`~erlen.Erlen.test_request_context`.

        Yields:
            The session object.

        Raises:
            TypeError: If the client was created with ``use_cookies=False``
                (the same exception and text as Flask).
            RuntimeError: If the session interface did not open a session, for
                example because ``SECRET_KEY`` is not set.
        """
        if self._cookies is None:
            raise TypeError(
                "Cookies are disabled. Create a client with 'use_cookies=True'."
            )

        app = self.application
        interface = app.session_interface
        ctx = app.test_request_context(*args, **kwargs)
        # The request parses cookies lazily, so the header can still be added.
        self._add_cookies_to_wsgi(ctx.request.environ)

        with ctx:
            sess = interface.open_session(app, ctx.request)

        if sess is None:
            raise RuntimeError(
                "Session backend did not open a session. Check the configuration"
                " (the default session needs SECRET_KEY to be set)."
            )

        yield sess

        if interface.is_null_session(sess):
            return

        response = app.response_class()
        with ctx:
            interface.save_session(app, sess, response)

        self._update_cookies_from_response(
            ctx.request.host.partition(":")[0],
            ctx.request.path,
            response.headers.getlist("Set-Cookie"),
        )

    def run_wsgi_app(
        self, environ: dict[str, t.Any], buffered: bool = False
    ) -> tuple[t.Iterable[bytes], str, Headers]:
        """Run the app for ``environ``: the WSGI app, or ``app.asgi_app`` when :attr:`asgi` is set.

        Returns:
            ``(body iterable, status line, headers)``, as Werkzeug's client expects.
        """
        if not self.asgi:
            return super().run_wsgi_app(environ, buffered=buffered)
        # PERF: the ASGI machinery (and asyncio) is imported only when a
        # client is made with asgi=True.
        from ._asgi import _HTTPExchange
        from ._asgi import _prepare_asgi_request
        from ._asgi import _run_coroutine

        self._add_cookies_to_wsgi(environ)
        scope, body = _prepare_asgi_request(environ)
        exchange = _HTTPExchange(body, self.asgi_chunk_size)
        data, status, headers = _run_coroutine(
            exchange.run(self.application.asgi_app, scope)
        )
        url = urlsplit(get_current_url(environ))
        self._update_cookies_from_response(
            url.hostname or "localhost", url.path, headers.getlist("Set-Cookie")
        )
        return [data], status, headers

    def _copy_environ(self, other: t.Mapping[str, t.Any]) -> dict[str, t.Any]:
        """Return :attr:`environ_base` updated with ``other`` as a new dict.

        When contexts are preserved, the dict also carries the callback the
        WSGI front reports its contexts to.
        """
        environ = {**self.environ_base, **other}
        if self.preserve_context:
            environ[_PRESERVE_CONTEXT_KEY] = self._new_contexts.append
        return environ

    def _request_from_builder_args(
        self, args: tuple[t.Any, ...], kwargs: dict[str, t.Any]
    ) -> BaseRequest:
        """Build a request from :class:`EnvironBuilder` arguments."""
        kwargs["environ_base"] = self._copy_environ(kwargs.get("environ_base") or {})
        builder = EnvironBuilder(self.application, *args, **kwargs)
        try:
            return builder.get_request()
        finally:
            builder.close()

    def _request_from_single_arg(self, arg: t.Any) -> BaseRequest | None:
        """Build a request from an environ builder, environ dict or request.

        Returns ``None`` when ``arg`` is none of those, so the caller treats it
        as the first :class:`EnvironBuilder` argument instead.
        """
        if isinstance(arg, werkzeug.test.EnvironBuilder):
            # Copy so the caller's builder keeps its own environ_base.
            builder = copy(arg)
            builder.environ_base = self._copy_environ(builder.environ_base or {})
            return builder.get_request()

        if isinstance(arg, dict):
            return EnvironBuilder.from_environ(
                arg, app=self.application, environ_base=self._copy_environ({})
            ).get_request()

        if isinstance(arg, BaseRequest):
            request = copy(arg)
            request.environ = self._copy_environ(request.environ)
            return request

        return None

    def open(
        self,
        *args: t.Any,
        buffered: bool = False,
        follow_redirects: bool = False,
        **kwargs: t.Any,
    ) -> TestResponse:
        """Make a request to the application and return its response.

        Args:
            *args: Either a single :class:`werkzeug.test.EnvironBuilder`, WSGI
                environ dict or :class:`werkzeug.wrappers.Request` describing
                the request, or the positional arguments of
                :class:`EnvironBuilder` after ``app`` (``path``, ...).
            buffered: Read the whole response body before returning, closing
                the app's iterator.
            follow_redirects: Follow redirect responses until a non-redirect
                status is returned; the intermediate responses are listed in
                the final response's ``history``.
            **kwargs: Keyword arguments of :class:`EnvironBuilder` (``method``,
                ``data``, ``json``, ``headers``, ``environ_base``, ...).

        Returns:
            The response, whose ``get_json()`` uses the app's JSON provider.
        """
        request: BaseRequest | None = None
        if args:
            # COMPAT: as in Flask, when the first argument already describes the
            # request, other builder arguments are ignored.
            request = self._request_from_single_arg(args[0])
        if request is None:
            request = self._request_from_builder_args(args, kwargs)

        # Release the contexts kept from the previous request before this one
        # runs, so they never overlap with the new request's contexts.
        # NOTE: also forget contexts reported but never re-pushed (a request
        # that raised, or the earlier hops of a followed redirect: Werkzeug
        # calls ``open`` again for each hop); only the last request's are kept.
        self._context_stack.close()
        self._new_contexts.clear()

        response = super().open(
            request, buffered=buffered, follow_redirects=follow_redirects
        )
        # Let ``response.get_json()`` decode with the app's provider.
        response.json_module = self.application.json  # type: ignore[assignment]

        # Re-push the contexts the app reported, in the order it reported them:
        # the app context first, so pushing the request context finds it
        # current and reuses it (with its ``g``) instead of starting another.
        for cm in self._new_contexts:
            self._context_stack.enter_context(cm)
        self._new_contexts.clear()

        return response

    def __enter__(self) -> ErlenClient:
        if self.preserve_context:
            raise RuntimeError("Cannot nest client invocations")
        self.preserve_context = True
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.preserve_context = False
        self._context_stack.close()


class ErlenCliRunner(CliRunner):
    """A :class:`click.testing.CliRunner` for an app's command line commands.

    Returned by :meth:`~erlen.Erlen.test_cli_runner`.

    Args:
        app: The application whose commands are invoked.
        **kwargs: Passed to :class:`click.testing.CliRunner` (``env``,
            ``charset``, ...).
    """

    def __init__(self, app: Erlen, **kwargs: t.Any) -> None:
        self.app = app
        super().__init__(**kwargs)

    def invoke(  # type: ignore[override]
        self,
        cli: click.Command | None = None,
        args: str | t.Sequence[str] | None = None,
        **kwargs: t.Any,
    ) -> Result:
        """Invoke a command in an isolated environment and capture its output.

        Args:
            cli: The command to run; defaults to the app's command group,
                ``app.cli``.
            args: The command line arguments, as a list of strings or one
                string that is split like a shell would.
            **kwargs: Passed to :meth:`click.testing.CliRunner.invoke`. Unless
                ``obj`` is given, it is a :class:`~erlen.cli.ScriptInfo` that
                loads this runner's app.

        Returns:
            The result: ``exit_code``, ``output``, ``exception``, ...
        """
        if cli is None:
            cli = self.app.cli
        if "obj" not in kwargs:
            kwargs["obj"] = ScriptInfo(create_app=lambda: self.app)
        return super().invoke(cli, args, **kwargs)
