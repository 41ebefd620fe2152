"""The options of the ``erlen`` group: ``--app``, ``--debug``, ``--env-file``, ``--version``."""

from __future__ import annotations

import importlib
import importlib.metadata
import os
import platform

import click
from click.core import ParameterSource

from ._core import ScriptInfo
from ._core import load_dotenv


def _set_app(
    ctx: click.Context, param: click.Parameter, value: str | None
) -> str | None:
    if value is None:
        return None
    ctx.ensure_object(ScriptInfo).app_import_path = value
    return value


# NOTE: eager, so that the app path is known before the subcommand is looked
# up; expose_value=False keeps it out of the group callback's arguments.
_app_option = click.Option(
    ["-A", "--app"],
    metavar="IMPORT",
    help=(
        "The application or factory to load, as 'module:name'. The module can"
        " be a dotted import name or a file path. The name can be left out"
        " when it is 'app', 'application', 'create_app' or 'make_app', and"
        " can be 'factory(args)' with the arguments written as Python"
        " literals."
    ),
    is_eager=True,
    expose_value=False,
    callback=_set_app,
)


def _set_debug(ctx: click.Context, param: click.Parameter, value: bool) -> bool | None:
    # Only an explicit --debug/--no-debug (or ERLEN_DEBUG) counts; otherwise
    # leave the environment alone so the app's own config decides.
    source = ctx.get_parameter_source(param.name or "debug")
    if source is None or source in (
        ParameterSource.DEFAULT,
        ParameterSource.DEFAULT_MAP,
    ):
        return None
    # COMPAT: Flask stores the flag in the environment so app.run() and a
    # reloaded child process see it too.
    os.environ["ERLEN_DEBUG"] = "1" if value else "0"
    return value


_debug_option = click.Option(
    ["--debug/--no-debug"],
    help="Turn debug mode on or off (default: the ERLEN_DEBUG variable).",
    expose_value=False,
    callback=_set_debug,
)


def _set_flask_compat(
    ctx: click.Context, param: click.Parameter, value: bool
) -> bool:
    if value:
        # NOTE: imported here: erlen.compat.flask builds on this module.
        from ..compat.flask import install

        install()
        info = ctx.ensure_object(ScriptInfo)
        # COMPAT: an unmodified Flask project names its app in FLASK_APP,
        # often in a .flaskenv file, which the default files now include.
        if info.load_dotenv_defaults:
            load_dotenv()
        flask_app = os.environ.get("FLASK_APP")
        if info.app_import_path is None and flask_app and "ERLEN_APP" not in os.environ:
            info.app_import_path = flask_app
    return value



# NOTE: eager, so that 'import flask' already resolves to erlen when the app
# and the plugin commands of Flask extensions (flask.commands) are loaded.
_flask_compat_option = click.Option(
    ["--flask-compat"],
    is_flag=True,
    default=False,
    help=(
        "Make 'import flask' resolve to erlen, to run an unmodified Flask app"
        " and Flask extensions (also ERLEN_FLASK_COMPAT=1). See"
        " erlen.compat.flask."
    ),
    is_eager=True,
    expose_value=False,
    callback=_set_flask_compat,
)


def _env_file_callback(
    ctx: click.Context, param: click.Parameter, value: str | None
) -> str | None:
    try:
        importlib.import_module("dotenv")
    except ImportError:
        # Without python-dotenv only an explicit file is an error; the
        # default files just get a hint from load_dotenv().
        if value is not None:
            raise click.BadParameter(
                "python-dotenv must be installed to load an env file"
                " (pip install python-dotenv).",
                ctx=ctx,
                param=param,
            ) from None

    info = ctx.ensure_object(ScriptInfo)
    if value is not None or info.load_dotenv_defaults:
        load_dotenv(value, load_defaults=info.load_dotenv_defaults)
    return value


_env_file_option = click.Option(
    ["-e", "--env-file"],
    type=click.Path(exists=True, dir_okay=False),
    help=(
        "Load environment variables from this file. They take precedence"
        " over '.env' and '.erlenenv'; variables already set in the"
        " environment win over all files. Needs python-dotenv."
    ),
    is_eager=True,
    expose_value=False,
    callback=_env_file_callback,
)


def _package_version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def get_version(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    """Print the versions of Python, erlen, Werkzeug and Jinja2, then exit.

    The callback of :data:`version_option`; does nothing unless ``value`` is
    true.
    """
    if not value or ctx.resilient_parsing:
        return
    click.echo(
        f"Python {platform.python_version()}\n"
        f"Erlen {_package_version('erlen')}\n"
        f"Werkzeug {_package_version('werkzeug')}\n"
        f"Jinja2 {_package_version('jinja2')}",
        color=ctx.color,
    )
    ctx.exit()


#: The ``--version`` option: Python, erlen, Werkzeug and Jinja2 versions.
version_option = click.Option(
    ["--version"],
    help="Show the versions of erlen, Python, Werkzeug and Jinja2.",
    expose_value=False,
    callback=get_version,
    is_flag=True,
    is_eager=True,
)
