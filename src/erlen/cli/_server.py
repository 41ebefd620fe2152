"""The ``run`` command, the development server's banner and its option types."""

from __future__ import annotations

import importlib
import os
import shlex
import traceback
import typing as t

import click

from ..helpers import get_debug_flag
from ._core import NoAppException
from ._core import ScriptInfo
from ._core import _secho_error
from ._core import pass_script_info
from ._discovery import _split_import_path
from ._options import _debug_option

if t.TYPE_CHECKING:  # pragma: no cover
    import ssl

    from _typeshed.wsgi import StartResponse
    from _typeshed.wsgi import WSGIApplication
    from _typeshed.wsgi import WSGIEnvironment


def _is_running_from_reloader() -> bool:
    from werkzeug.serving import is_running_from_reloader

    return is_running_from_reloader()



def production_server_warning(server_target: str | None = None) -> str:
    """The warning shown when the development server starts.

    It names production servers and the command for each.

    Args:
        server_target: the application as ``module:name`` or
            ``module:factory(args)``; ``None`` writes a placeholder.

    Returns:
        Several lines of text, without a trailing newline.
    """
    target = server_target or "MODULE:app"
    module, _, name = target.partition(":")
    lines = [
        " * This is a development server. Do not use it in production.",
        "   Serve the app with a production server instead, for example:",
        f"     gunicorn {_shell_quote(target)}",
    ]
    call = _parse_call_target(name)
    if call is None:
        lines.append(f"     uvicorn --interface wsgi {_shell_quote(target)}")
        lines.append(f"     granian --interface wsgi {_shell_quote(target)}")
    elif call == "":
        # a factory called without arguments: both servers can call it
        factory = _shell_quote(f"{module}:{name.partition('(')[0].strip()}")
        lines.append(f"     uvicorn --interface wsgi --factory {factory}")
        lines.append(f"     granian --interface wsgi --factory {factory}")
    # NOTE: uvicorn and granian cannot pass arguments to a factory, so only
    # gunicorn is shown for 'factory(args)'.
    return "\n".join(lines)


def _shell_quote(text: str) -> str:
    """Quote for a POSIX shell, preferring the most readable form."""
    if "'" not in text:
        return f"'{text}'"
    if not any(char in text for char in '"$`\\!'):
        return f'"{text}"'
    return shlex.quote(text)


def _parse_call_target(name: str) -> str | None:
    """``None`` for a plain name, else the text between the parentheses."""
    if "(" not in name:
        return None
    inner = name.partition("(")[2].rpartition(")")[0]
    return inner.strip()


def _guess_server_target(app_import_path: str | None) -> str | None:
    """``module:name`` from an ``--app`` value, without importing anything."""
    if not app_import_path:
        return None
    path, name = _split_import_path(app_import_path)
    stem, ext = os.path.splitext(path)
    if ext == ".py" or os.sep in path or "/" in path:
        stem = os.path.basename(stem if ext == ".py" else path.rstrip("/\\"))
        if stem == "__init__":
            stem = os.path.basename(os.path.dirname(path))
    else:
        stem = path
    if not stem:
        return None
    return f"{stem}:{(name or 'app').strip()}"


def show_server_banner(
    debug: bool | None,
    app_import_path: str | None,
    *,
    server_target: str | None = None,
) -> None:
    """Print the lines shown when the development server starts.

    Prints which app is served, whether debug mode is on, and the
    production-server warning (see :func:`production_server_warning`).
    Nothing is printed in the reloader's child process, so the lines appear
    once.

    Args:
        debug: whether debug mode is on; ``None`` leaves that line out.
        app_import_path: the app's import path or name; ``None`` leaves the
            "Serving" line out.
        server_target: ``module:name`` for the warning's example commands;
            guessed from ``app_import_path`` when not given.
    """
    if _is_running_from_reloader():
        return

    if app_import_path is not None:
        click.echo(f" * Serving Erlen app '{app_import_path}'")

    if debug is not None:
        click.echo(f" * Debug mode: {'on' if debug else 'off'}")

    target = server_target or _guess_server_target(app_import_path)
    click.secho(production_server_warning(target), fg="yellow", err=True)


class CertParamType(click.ParamType):  # type: ignore[type-arg]
    """The ``--cert`` value: a certificate file, ``adhoc``, or an SSLContext.

    An import path naming an :class:`ssl.SSLContext` object is accepted too.
    """

    name = "path"

    def __init__(self) -> None:
        self.path_type = click.Path(exists=True, dir_okay=False, resolve_path=True)

    def convert(
        self, value: t.Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> t.Any:
        """Check the value and return a path, ``"adhoc"`` or an SSLContext.

        Raises:
            click.BadParameter: Python has no SSL support, ``adhoc`` is used
                without the cryptography package, or the value is neither an
                existing file nor an importable SSLContext.
        """
        try:
            import ssl
        except ImportError:  # pragma: no cover - Python built without SSL
            raise click.BadParameter(
                "Using '--cert' requires Python to be compiled with SSL support.",
                ctx,
                param,
            ) from None

        try:
            return self.path_type(value, param, ctx)
        except click.BadParameter:
            text = click.STRING(value, param, ctx).lower()

            if text == "adhoc":
                try:
                    importlib.import_module("cryptography")
                except ImportError:
                    raise click.BadParameter(
                        "Ad-hoc certificates need the cryptography package"
                        " (pip install cryptography).",
                        ctx,
                        param,
                    ) from None
                return text

            from werkzeug.utils import import_string

            obj = import_string(value, silent=True)
            if isinstance(obj, ssl.SSLContext):
                return obj

            raise


def _validate_key(
    ctx: click.Context, param: click.Parameter, value: str | None
) -> str | None:
    """Check ``--key`` against ``--cert`` and pair them as ``(cert, key)``."""
    import ssl

    cert = ctx.params.get("cert")
    is_adhoc = cert == "adhoc"
    is_context = isinstance(cert, ssl.SSLContext)

    if value is not None:
        if is_adhoc:
            raise click.BadParameter(
                "'--key' is not used when '--cert' is 'adhoc'.", ctx, param
            )
        if is_context:
            raise click.BadParameter(
                "'--key' is not used when '--cert' is an SSLContext object.",
                ctx,
                param,
            )
        if not cert:
            raise click.BadParameter("'--cert' must be given too.", ctx, param)
        ctx.params["cert"] = (cert, value)
    elif cert and not (is_adhoc or is_context):
        raise click.BadParameter("Required when '--cert' is a file.", ctx, param)

    return value


class SeparatedPathType(click.Path):
    """Several paths in one value, separated by :data:`os.pathsep`.

    Each path is checked like a :class:`click.Path`; the value becomes a list.
    """

    def convert(  # type: ignore[override]
        self, value: t.Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> list[t.Any]:
        """Split the value and check each path.

        Returns:
            The list of paths.
        """
        if isinstance(value, (list, tuple)):
            items: t.Sequence[t.Any] = value
        else:
            items = self.split_envvar_value(value)
        convert_one = super().convert
        return [convert_one(item, param, ctx) for item in items]


def _error_app(error: Exception) -> WSGIApplication:
    """A WSGI app that re-raises ``error``: the server or debugger shows it."""

    def app(
        environ: WSGIEnvironment, start_response: StartResponse
    ) -> t.Iterable[bytes]:
        raise error from None

    return app


@click.command("run", short_help="Run a development server.")
@click.option("--host", "-h", default="127.0.0.1", help="The interface to bind to.")
@click.option("--port", "-p", default=5000, help="The port to bind to.")
@click.option(
    "--cert",
    type=CertParamType(),
    help="A certificate file for HTTPS, or 'adhoc' for a throwaway one.",
    is_eager=True,
)
@click.option(
    "--key",
    type=click.Path(exists=True, dir_okay=False, resolve_path=True),
    callback=_validate_key,
    expose_value=False,
    help="The private key file that goes with '--cert'.",
)
@click.option(
    "--reload/--no-reload",
    default=None,
    help="Restart when a source file changes (default: on in debug mode).",
)
@click.option(
    "--debugger/--no-debugger",
    default=None,
    help="Show Werkzeug's interactive debugger on errors (default: on in debug mode).",
)
@click.option(
    "--with-threads/--without-threads",
    default=True,
    help="Handle each request in its own thread.",
)
@click.option(
    "--extra-files",
    default=None,
    type=SeparatedPathType(),
    help=(
        "More files that trigger a restart when they change. Separate paths"
        f" with {os.pathsep!r}."
    ),
)
@click.option(
    "--exclude-patterns",
    default=None,
    type=SeparatedPathType(),
    help=(
        "fnmatch patterns of files that never trigger a restart. Separate"
        f" patterns with {os.pathsep!r}."
    ),
)
@click.option(
    "--reloader-type",
    type=click.Choice(["auto", "stat", "watchdog"]),
    default="auto",
    show_default=True,
    envvar="ERLEN_RUN_RELOADER_TYPE",
    help=(
        "How the reloader notices changes: 'stat' polls file times every"
        " second; 'watchdog' uses OS notifications (needs the watchdog"
        " package); 'auto' picks watchdog when it is installed."
    ),
)
@pass_script_info
def run_command(
    info: ScriptInfo,
    host: str,
    port: int,
    reload: bool | None,
    debugger: bool | None,
    with_threads: bool,
    cert: ssl.SSLContext | tuple[str, str | None] | t.Literal["adhoc"] | None,
    extra_files: list[str] | None,
    exclude_patterns: list[str] | None,
    reloader_type: str,
) -> None:
    """Run the development server.

    It is meant for development only: it lacks the stability, security and
    speed of a production server such as gunicorn, uvicorn or granian.

    With '--debug', the reloader and the interactive debugger are on unless
    turned off with '--no-reload' or '--no-debugger'.
    """
    app: WSGIApplication
    try:
        app = t.cast("WSGIApplication", info.load_app())
    except Exception as e:
        if not _is_running_from_reloader():
            raise
        # COMPAT: in the reloader's child, report the error now but keep the
        # server (and so the reloader) alive: fixing the file restarts it,
        # and each request shows the error meanwhile.
        if isinstance(e, NoAppException):
            _secho_error(e.format_message())
        else:
            traceback.print_exc()
        app = _error_app(e)

    debug = get_debug_flag()
    if reload is None:
        reload = debug
    if debugger is None:
        debugger = debug

    show_server_banner(
        debug,
        info.app_import_path,
        server_target=info.server_target or _guess_server_target(info.app_import_path),
    )

    from werkzeug.serving import run_simple

    run_simple(
        host,
        port,
        app,
        use_reloader=reload,
        use_debugger=debugger,
        threaded=with_threads,
        ssl_context=cert,
        extra_files=extra_files,
        exclude_patterns=exclude_patterns,
        reloader_type=reloader_type,
    )


# COMPAT: `erlen run --debug` works as well as `erlen --debug run`.
run_command.params.insert(0, _debug_option)
