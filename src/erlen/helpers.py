"""Helpers views call: URL building, redirects, aborting, flashing, files, streaming."""

from __future__ import annotations

import os
import typing as t
from datetime import datetime
from functools import update_wrapper

import werkzeug.utils
from werkzeug.exceptions import abort as _wz_abort
from werkzeug.utils import redirect as _wz_redirect

from .globals import _cv_app
from .globals import _cv_request
from .globals import current_app
from .globals import request
from .globals import request_ctx
from .globals import session
from .sansio.scaffold import get_root_path as get_root_path
from .signals import message_flashed

F = t.TypeVar("F", bound=t.Callable[..., t.Any])

if t.TYPE_CHECKING:  # pragma: no cover
    from _typeshed.wsgi import WSGIApplication  # noqa: F401
    from werkzeug.wrappers import Response as BaseResponse

    from .wrappers import Response


def get_debug_flag() -> bool:
    """Whether ``ERLEN_DEBUG`` (or ``FLASK_DEBUG``) asks for debug mode."""
    val = os.environ.get("ERLEN_DEBUG") or os.environ.get("FLASK_DEBUG")
    return bool(val and val.lower() not in {"0", "false", "no"})


#: Default dotenv files read before :data:`erlen.cli.DEFAULT_DOTENV_FILES`
#: (so theirs win); :func:`erlen.compat.flask.install` adds Flask's
#: ``.flaskenv``. Here rather than in :mod:`erlen.cli` so that the compat
#: layer does not import click.
_fallback_dotenv_files: list[str] = []


def get_load_dotenv(default: bool = True) -> bool:
    """Whether to load ``.env`` files: ``default`` unless ``ERLEN_SKIP_DOTENV`` is truthy."""
    val = os.environ.get("ERLEN_SKIP_DOTENV") or os.environ.get("FLASK_SKIP_DOTENV")
    if not val:
        return default
    return val.lower() in ("0", "false", "no")


def stream_with_context(
    generator_or_function: t.Iterator[t.AnyStr] | t.Callable[..., t.Iterator[t.AnyStr]],
) -> t.Iterator[t.AnyStr]:
    """Keep the request context active while a streamed response body is generated.

    Accepts a generator, or decorates a generator function.

    Raises:
        RuntimeError: no request context is active when the stream starts.
    """
    try:
        gen = iter(generator_or_function)  # type: ignore[arg-type]
    except TypeError:

        def decorator(*args: t.Any, **kwargs: t.Any) -> t.Any:
            return stream_with_context(generator_or_function(*args, **kwargs))  # type: ignore[operator]

        return update_wrapper(decorator, generator_or_function)  # type: ignore[arg-type,return-value]

    def generator() -> t.Iterator[t.AnyStr | None]:
        req_ctx = _cv_request.get(None)
        if req_ctx is None:
            raise RuntimeError(
                "'stream_with_context' can only be used when a request"
                " context is active, such as in a view function."
            )
        app_ctx = _cv_app.get()
        # COMPAT: Flask 3.1.2 (pallets/flask#5799) pushes the contexts only
        # when iteration starts, not while the view runs: pushing inside an
        # async view's event loop left tokens that the WSGI front could not
        # reset ("created in a different Context"). So teardown functions run
        # when the request ends and again when the stream ends, as in Flask.
        yield None
        with app_ctx, req_ctx:
            try:
                yield from gen
            finally:
                close = getattr(gen, "close", None)
                if close is not None:
                    close()

    wrapped = generator()
    next(wrapped)
    return wrapped  # type: ignore[return-value]


def stream_request_body(view: F) -> F:
    """Mark a view to read its request body as a stream instead of having it buffered.

    On the ASGI front the body is otherwise received whole (within
    ``MAX_CONTENT_LENGTH``) before the view runs, so ``request.form`` and
    ``request.get_json()`` never wait on the network. A marked view reads it
    with ``async for chunk in request.stream`` as it arrives, for uploads
    larger than memory. On WSGI it has no effect: ``request.stream`` is the
    server's input stream.
    """
    view.stream_request_body = True  # type: ignore[attr-defined]
    return view


def make_response(*args: t.Any) -> Response:
    """Turn a view's return value into a response object (to add headers and cookies).

    With no arguments, an empty response; with one, that value; with
    several, the tuple ``(body, status, headers)`` they form.
    """
    if not args:
        return current_app.response_class()
    if len(args) == 1:
        args = args[0]
    return current_app.make_response(args)


def url_for(
    endpoint: str,
    *,
    _anchor: str | None = None,
    _method: str | None = None,
    _scheme: str | None = None,
    _external: bool | None = None,
    **values: t.Any,
) -> str:
    """Build the URL of ``endpoint`` with ``values``.

    Values that are not rule arguments become the query string.
    ``".name"`` is relative to the current request's blueprint.

    Args:
        endpoint: the endpoint, e.g. ``"index"``, ``"bp.view"`` or ``".view"``.
        _anchor: fragment appended after ``#`` (quoted).
        _method: pick the rule that allows this method.
        _scheme: the scheme of an external URL (requires ``_external``).
        _external: an absolute URL with scheme and host; default true outside
            a request, false inside one.
        **values: rule arguments and query parameters.

    Raises:
        werkzeug.routing.BuildError: no rule can build the URL (the message
            says why and suggests close matches).
        RuntimeError: outside a request with no ``SERVER_NAME`` configured.
        ValueError: ``_scheme`` without ``_external``.
    """
    return current_app.url_for(
        endpoint,
        _anchor=_anchor,
        _method=_method,
        _scheme=_scheme,
        _external=_external,
        **values,
    )


def redirect(
    location: str, code: int = 302, Response: type[BaseResponse] | None = None
) -> BaseResponse:
    """Return a response redirecting to ``location`` (status ``code``, default 302)."""
    ctx = _cv_app.get(None)
    if ctx is not None:
        return ctx.app.redirect(location, code=code)
    return _wz_redirect(location, code=code, Response=Response)


def abort(code: int | BaseResponse, *args: t.Any, **kwargs: t.Any) -> t.NoReturn:
    """Raise the :class:`~werkzeug.exceptions.HTTPException` for ``code``.

    Raises:
        HTTPException: always; a response argument is raised as-is.
        LookupError: ``code`` is not a known HTTP error code.
    """
    ctx = _cv_app.get(None)
    if ctx is not None:
        ctx.app.aborter(code, *args, **kwargs)
    _wz_abort(code, *args, **kwargs)


def get_template_attribute(template_name: str, attribute: str) -> t.Any:
    """Return a macro or variable exported by a template, to call from Python."""
    return getattr(current_app.jinja_env.get_template(template_name).module, attribute)


def flash(message: str, category: str = "message") -> None:
    """Store ``message`` in the session for the next request to show.

    Args:
        message: the message.
        category: a free-form category, e.g. ``"error"``, ``"info"``.

    Raises:
        RuntimeError: the session is unavailable (no ``SECRET_KEY``).
    """
    flashes = session.get("_flashes", [])
    flashes.append((category, message))
    session["_flashes"] = flashes
    if message_flashed.receivers:
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        message_flashed.send(
            app, _async_wrapper=app.ensure_sync, message=message, category=category
        )


def get_flashed_messages(
    with_categories: bool = False, category_filter: t.Iterable[str] = ()
) -> list[str] | list[tuple[str, str]]:
    """Return the flashed messages and remove them from the session.

    Repeated calls in one request return the same messages.

    Args:
        with_categories: return ``(category, message)`` pairs instead of messages.
        category_filter: keep only messages in these categories.
    """
    flashes = request_ctx.flashes
    if flashes is None:
        flashes = session.pop("_flashes") if "_flashes" in session else []
        request_ctx.flashes = flashes
    if category_filter:
        flashes = [f for f in flashes if f[0] in category_filter]
    if not with_categories:
        return [x[1] for x in flashes]
    return flashes


def _prepare_send_file_kwargs(**kwargs: t.Any) -> dict[str, t.Any]:
    app = current_app
    if kwargs.get("max_age") is None:
        kwargs["max_age"] = app.get_send_file_max_age
    kwargs.update(
        environ=request.environ,
        use_x_sendfile=app.config["USE_X_SENDFILE"],
        response_class=app.response_class,
        _root_path=app.root_path,
    )
    return kwargs


def send_file(
    path_or_file: os.PathLike[t.AnyStr] | str | t.IO[bytes],
    mimetype: str | None = None,
    as_attachment: bool = False,
    download_name: str | None = None,
    conditional: bool = True,
    etag: bool | str = True,
    last_modified: datetime | int | float | None = None,
    max_age: None | (int | t.Callable[[str | None], int | None]) = None,
) -> Response:
    """Send a file (a path relative to the app's ``root_path``, or a binary file object).

    Supports conditional requests (``ETag``, ``Last-Modified``, 304) and
    ``Range`` requests (206) through Werkzeug. ``max_age`` (seconds)
    defaults to :meth:`Erlen.get_send_file_max_age` (``SEND_FILE_MAX_AGE_DEFAULT``).
    Never pass a path that came from the user; use :func:`send_from_directory`.

    Raises:
        FileNotFoundError: the path does not exist.
    """
    return werkzeug.utils.send_file(  # type: ignore[return-value]
        **_prepare_send_file_kwargs(
            path_or_file=path_or_file,
            environ=request.environ,
            mimetype=mimetype,
            as_attachment=as_attachment,
            download_name=download_name,
            conditional=conditional,
            etag=etag,
            last_modified=last_modified,
            max_age=max_age,
        )
    )


def send_from_directory(
    directory: os.PathLike[str] | str,
    path: os.PathLike[str] | str,
    **kwargs: t.Any,
) -> Response:
    """Send ``path`` from inside ``directory``, refusing paths that escape it.

    Args:
        directory: the trusted folder, relative to the app's ``root_path``.
        path: the untrusted path inside it (e.g. from the URL).
        **kwargs: the options of :func:`send_file`.

    Raises:
        werkzeug.exceptions.NotFound: the path escapes ``directory`` or is
            not a file (404).
    """
    return werkzeug.utils.send_from_directory(  # type: ignore[return-value]
        directory, path, **_prepare_send_file_kwargs(**kwargs)
    )
