"""The ``erlen`` command line: app discovery, ``run``, ``routes``, ``shell``.

The command line is built on click and follows the behaviour of Flask's
``flask`` command. :class:`ErlenGroup` finds the application (``--app`` option,
``ERLEN_APP`` environment variable, or a ``wsgi.py`` / ``app.py`` file in the
current folder), loads ``.erlenenv`` and ``.env`` files, and adds the commands
registered on ``app.cli``, on blueprints and by installed plugins.

Application code adds commands with :class:`AppGroup` (``app.cli`` is one) and
reaches the application through :func:`with_appcontext`, which pushes an app
context before the command runs.

.. versionadded:: 0.1
"""

from __future__ import annotations

import ast
import importlib
import importlib.metadata
import inspect
import os
import platform
import re
import shlex
import sys
import traceback
import typing as t
from functools import update_wrapper
from operator import itemgetter
from types import ModuleType

import click
from click.core import ParameterSource

from .globals import current_app
from .helpers import get_debug_flag
from .helpers import get_load_dotenv

if t.TYPE_CHECKING:  # pragma: no cover
    import ssl

    from _typeshed.wsgi import StartResponse
    from _typeshed.wsgi import WSGIApplication
    from _typeshed.wsgi import WSGIEnvironment

    from .app import Erlen

F = t.TypeVar("F", bound=t.Callable[..., t.Any])

#: Names of the dotenv files loaded by default, in order: later files win.
DEFAULT_DOTENV_FILES: tuple[str, ...] = (".erlenenv", ".env")
#: Default dotenv files read before :data:`DEFAULT_DOTENV_FILES` (so theirs
#: win); :func:`erlen.compat.flask.install` adds Flask's ``.flaskenv``.
_fallback_dotenv_files: list[str] = []

#: Module attributes tried first when looking for an application.
_APP_NAMES: tuple[str, ...] = ("app", "application")
#: Module functions tried, in order, as application factories.
_FACTORY_NAMES: tuple[str, ...] = ("create_app", "make_app")
#: Files tried, in order, when no application was given.
_DEFAULT_MODULE_FILES: tuple[str, ...] = ("wsgi.py", "app.py")


class NoAppException(click.UsageError):
    """Raised when no application could be found or loaded.

    click shows it as a usage error: the message, no traceback, exit code 2.
    """


# --------------------------------------------------------------------------
# Environment helpers
# --------------------------------------------------------------------------


def _is_running_from_reloader() -> bool:
    from werkzeug.serving import is_running_from_reloader

    return is_running_from_reloader()


# --------------------------------------------------------------------------
# Finding the application
# --------------------------------------------------------------------------


def _app_class() -> type[Erlen]:
    # NOTE: imported here because erlen.app imports this module for AppGroup.
    from .app import Erlen

    return Erlen


def _is_internal_frame(filename: str) -> bool:
    """Whether a traceback frame belongs to the import machinery or to this module."""
    if filename.startswith("<frozen importlib"):
        return True
    if os.path.dirname(os.path.abspath(filename)) == os.path.dirname(
        os.path.abspath(importlib.__file__ or "")
    ):
        return True
    return os.path.abspath(filename) == os.path.abspath(__file__)


def _trim_stacks(te: traceback.TracebackException, seen: set[int]) -> None:
    if id(te) in seen:
        return
    seen.add(id(te))
    te.stack = traceback.StackSummary.from_list(
        [frame for frame in te.stack if not _is_internal_frame(frame.filename)]
    )
    for chained in (te.__cause__, te.__context__):
        if chained is not None:
            _trim_stacks(chained, seen)


def _format_user_error(exc: BaseException) -> str:
    """Format an exception with only the frames of the user's own code.

    The frames of the import machinery and of the CLI itself are noise for
    someone whose module failed to import, so they are left out.
    """
    te = traceback.TracebackException.from_exception(exc)
    _trim_stacks(te, set())
    return "".join(te.format()).rstrip()


def _called_with_wrong_args(f: t.Callable[..., t.Any]) -> bool:
    """Whether the :class:`TypeError` being handled came from calling ``f``.

    It did when no frame of the traceback is ``f``'s own code: the error was
    raised by the call itself (wrong arguments), not from inside ``f``.
    """
    code = getattr(f, "__code__", None)
    tb = sys.exc_info()[2]
    while tb is not None:
        if tb.tb_frame.f_code is code:
            return False
        tb = tb.tb_next
    return True


def _call_factory(
    factory: t.Callable[..., t.Any],
    module: ModuleType,
    description: str,
    wrong_args_message: str,
    args: t.Sequence[t.Any] = (),
    kwargs: t.Mapping[str, t.Any] | None = None,
) -> t.Any:
    """Call an app factory, turning its failures into :class:`NoAppException`."""
    try:
        return factory(*args, **(kwargs or {}))
    except TypeError as e:
        if _called_with_wrong_args(factory):
            raise NoAppException(wrong_args_message) from e
        raise NoAppException(
            f"While calling {description} in module {module.__name__!r}, an"
            f" error was raised:\n\n{_format_user_error(e)}"
        ) from e
    except Exception as e:
        raise NoAppException(
            f"While calling {description} in module {module.__name__!r}, an"
            f" error was raised:\n\n{_format_user_error(e)}"
        ) from e


def find_best_app(module: ModuleType) -> Erlen:
    """Find the one application in a module.

    Tries, in order: an application named ``app`` or ``application``; the
    single :class:`~erlen.Erlen` instance in the module; a factory named
    ``create_app`` or ``make_app`` called without arguments.

    Args:
        module: an imported module.

    Returns:
        The application.

    Raises:
        NoAppException: no application was found, several were, or the
            factory could not be called without arguments.
    """
    erlen_cls = _app_class()
    name = module.__name__

    for attr_name in _APP_NAMES:
        candidate = getattr(module, attr_name, None)
        if isinstance(candidate, erlen_cls):
            return candidate

    found: dict[int, tuple[str, Erlen]] = {}
    for attr_name, value in list(vars(module).items()):
        if isinstance(value, erlen_cls) and id(value) not in found:
            found[id(value)] = (attr_name, value)

    if len(found) == 1:
        return next(iter(found.values()))[1]
    if len(found) > 1:
        names = ", ".join(repr(attr_name) for attr_name, _ in found.values())
        raise NoAppException(
            f"Found several Erlen applications in module {name!r} ({names})."
            f" Pick one with '--app {name}:NAME'."
        )

    for attr_name in _FACTORY_NAMES:
        factory = getattr(module, attr_name, None)
        if not inspect.isfunction(factory):
            continue
        app = _call_factory(
            factory,
            module,
            f"the factory {attr_name!r}",
            f"Found the factory {attr_name!r} in module {name!r}, but it needs"
            f" arguments. Pass them with '--app {name}:{attr_name}(ARGS)',"
            " as Python literals.",
        )
        if isinstance(app, erlen_cls):
            return app
        raise NoAppException(
            f"The factory {attr_name!r} in module {name!r} returned"
            f" {type(app).__name__!r}, not an Erlen application."
        )

    raise NoAppException(
        f"Could not find an Erlen application or factory in module {name!r}."
        f" Name one with '--app {name}:NAME', or call the application 'app'"
        f" or the factory 'create_app'.{_flask_app_hint(vars(module).values())}"
    )


def _flask_app_hint(values: t.Iterable[object]) -> str:
    """A hint to use the compat layer when one of ``values`` is a real Flask app."""
    for value in values:
        cls = type(value)
        if cls.__name__ == "Flask" and cls.__module__.split(".")[0] == "flask":
            return (
                " It holds a Flask application: serve it on erlen with"
                " 'erlen --flask-compat' (or ERLEN_FLASK_COMPAT=1)."
            )
    return ""


def _parse_app_string(app_name: str) -> tuple[str, list[t.Any], dict[str, t.Any], bool]:
    """Split ``name`` or ``name(args)`` into its name and literal arguments.

    Returns:
        ``(name, args, kwargs, called)``; ``called`` tells whether parentheses
        were given.

    Raises:
        NoAppException: the text is neither a name nor a call of a name, or
            an argument is not a Python literal.
    """
    try:
        expr = ast.parse(app_name.strip(), mode="eval").body
    except SyntaxError:
        raise NoAppException(
            f"Could not parse {app_name!r} as an attribute name or a function call."
        ) from None

    if isinstance(expr, ast.Name):
        return expr.id, [], {}, False
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name):
        # NOTE: literal_eval only, never eval: the text comes from the
        # command line or the environment.
        try:
            args = [ast.literal_eval(arg) for arg in expr.args]
            kwargs = {
                kw.arg: ast.literal_eval(kw.value)
                for kw in expr.keywords
                if kw.arg is not None
            }
        except ValueError:
            raise NoAppException(
                f"The arguments in {app_name!r} must be Python literals"
                " (strings in quotes, numbers, True, None, lists, ...)."
            ) from None
        if len(kwargs) != len(expr.keywords):
            raise NoAppException(
                f"The arguments in {app_name!r} must be Python literals;"
                " '**' unpacking is not supported."
            )
        return expr.func.id, args, kwargs, True

    raise NoAppException(
        f"Could not parse {app_name!r} as an attribute name or a function call."
    )


def find_app_by_string(module: ModuleType, app_name: str) -> Erlen:
    """Find the application named by ``name`` or ``factory(args)`` in a module.

    A function is called (with the literal arguments given in parentheses, or
    none); anything else must be an application itself.

    Args:
        module: an imported module.
        app_name: an attribute name, optionally followed by call arguments
            written as Python literals, e.g. ``create_app('dev', debug=True)``.

    Returns:
        The application.

    Raises:
        NoAppException: the text cannot be parsed, the attribute is missing,
            the call fails, or the result is not an application.
    """
    erlen_cls = _app_class()
    name, args, kwargs, called = _parse_app_string(app_name)

    try:
        attr = getattr(module, name)
    except AttributeError:
        raise NoAppException(
            f"Module {module.__name__!r} has no attribute {name!r}."
        ) from None

    if inspect.isfunction(attr):
        app = _call_factory(
            attr,
            module,
            f"the factory {app_name!r}",
            f"The factory {app_name!r} in module {module.__name__!r} could not"
            " be called with the given arguments.",
            args,
            kwargs,
        )
    elif called:
        raise NoAppException(
            f"{name!r} in module {module.__name__!r} is not a function, so it"
            f" cannot be called with arguments. Use '{module.__name__}:{name}'."
        )
    else:
        app = attr

    if isinstance(app, erlen_cls):
        return app

    raise NoAppException(
        f"'{module.__name__}:{app_name}' is a {type(app).__name__!r}, not an"
        f" Erlen application.{_flask_app_hint((app,))}"
    )


def prepare_import(path: str) -> str:
    """Turn a file or folder path into an importable module name.

    The folder that holds the top package (the first parent without an
    ``__init__.py``) is put first on :data:`sys.path`, so the module imports
    even when the project is not installed. A ``.py`` suffix and a trailing
    ``__init__`` are dropped; a dotted name such as ``hello.web`` passes
    through unchanged.

    Args:
        path: a module name, a ``.py`` file or a package folder, relative to
            the current folder or absolute.

    Returns:
        The dotted module name to import.
    """
    path = os.path.realpath(path)
    stem, ext = os.path.splitext(path)
    if ext == ".py":
        path = stem
    if os.path.basename(path) == "__init__":
        path = os.path.dirname(path)

    parts: list[str] = []
    while True:
        path, part = os.path.split(path)
        parts.append(part)
        if not os.path.exists(os.path.join(path, "__init__.py")):
            break

    if not sys.path or sys.path[0] != path:
        sys.path.insert(0, path)

    return ".".join(reversed(parts))


def _module_is_missing(error: ImportError, module_name: str) -> bool:
    """Whether an ImportError means the module itself (not a dependency) is missing."""
    if not isinstance(error, ModuleNotFoundError) or error.name is None:
        return False
    return module_name == error.name or module_name.startswith(error.name + ".")


@t.overload
def locate_app(
    module_name: str, app_name: str | None, raise_if_not_found: t.Literal[True] = True
) -> Erlen: ...


@t.overload
def locate_app(
    module_name: str, app_name: str | None, raise_if_not_found: bool = ...
) -> Erlen | None: ...


def locate_app(
    module_name: str, app_name: str | None, raise_if_not_found: bool = True
) -> Erlen | None:
    """Import a module and find the application in it.

    Args:
        module_name: the dotted module name.
        app_name: ``None`` to detect the application (see
            :func:`find_best_app`), else a name or factory call (see
            :func:`find_app_by_string`).
        raise_if_not_found: when ``False``, a module that does not exist
            gives ``None`` instead of an error. Errors raised while the
            module runs are reported either way.

    Returns:
        The application, or ``None`` (see ``raise_if_not_found``).

    Raises:
        NoAppException: the module is missing, fails to import (the message
            shows the original error and the frames of the user's code), or
            holds no usable application.
    """
    try:
        importlib.import_module(module_name)
    except ImportError as e:
        if _module_is_missing(e, module_name):
            if raise_if_not_found:
                raise NoAppException(
                    f"Could not import {module_name!r}: no such module or file."
                ) from None
            return None
        raise NoAppException(
            f"While importing {module_name!r}, an ImportError was raised:\n\n"
            f"{_format_user_error(e)}"
        ) from None
    except Exception as e:
        raise NoAppException(
            f"While importing {module_name!r}, an error was raised:\n\n"
            f"{_format_user_error(e)}"
        ) from None

    module = sys.modules[module_name]
    if app_name is None:
        return find_best_app(module)
    return find_app_by_string(module, app_name)


def _split_import_path(import_path: str) -> tuple[str, str | None]:
    """Split ``path:name`` at the first colon that is not a Windows drive's."""
    parts = re.split(r":(?![\\/])", import_path, maxsplit=1)
    if len(parts) == 2:
        return parts[0], parts[1]
    return parts[0], None


# --------------------------------------------------------------------------
# ScriptInfo and decorators
# --------------------------------------------------------------------------


class ScriptInfo:
    """What the commands need to find and load the application.

    Created by :class:`ErlenGroup` for each invocation and passed to commands
    as the click context object (see :data:`pass_script_info`). Tests can
    make one with ``create_app`` to hand an existing application to the
    commands.

    Args:
        app_import_path: the ``--app`` value (``module``, ``module:name``,
            ``module:factory(args)``, a ``.py`` file or a package folder);
            ``None`` to look for ``wsgi.py`` or ``app.py`` in the current
            folder.
        create_app: a callable returning the application; when given, it is
            used instead of ``app_import_path``.
        set_debug_flag: whether to set ``app.debug`` from ``ERLEN_DEBUG``
            (which ``--debug``/``--no-debug`` set) when the app is loaded.
        load_dotenv_defaults: whether the default ``.erlenenv`` and ``.env``
            files should be loaded. ``ERLEN_SKIP_DOTENV=1`` turns it off.
            ScriptInfo itself loads nothing; the ``--env-file`` option reads
            this flag.
    """

    def __init__(
        self,
        app_import_path: str | None = None,
        create_app: t.Callable[..., Erlen] | None = None,
        set_debug_flag: bool = True,
        load_dotenv_defaults: bool = True,
    ) -> None:
        #: The ``--app`` value, or ``None``.
        self.app_import_path = app_import_path
        #: A callable returning the application, or ``None``.
        self.create_app = create_app
        #: A dictionary commands may use to share data.
        self.data: dict[t.Any, t.Any] = {}
        self.set_debug_flag = set_debug_flag
        #: Whether the default dotenv files should be loaded (after
        #: ``ERLEN_SKIP_DOTENV`` was taken into account).
        self.load_dotenv_defaults = get_load_dotenv(load_dotenv_defaults)
        #: ``module:name`` of the loaded application, as servers such as
        #: gunicorn take it, when it is known.
        self.server_target: str | None = None
        self._loaded_app: Erlen | None = None

    def load_app(self) -> Erlen:
        """Load the application once and return it (cached afterwards).

        Returns:
            The application.

        Raises:
            NoAppException: no application could be found or imported.
        """
        if self._loaded_app is not None:
            return self._loaded_app

        app: Erlen | None = None
        if self.create_app is not None:
            app = self.create_app()
        elif self.app_import_path:
            path, name = _split_import_path(self.app_import_path)
            import_name = prepare_import(path)
            app = locate_app(import_name, name)
            self.server_target = _server_target(import_name, name, app)
        else:
            for filename in _DEFAULT_MODULE_FILES:
                stem = filename[: -len(".py")]
                if not (
                    os.path.isfile(filename)
                    or os.path.isfile(os.path.join(stem, "__init__.py"))
                ):
                    continue
                import_name = prepare_import(filename)
                app = locate_app(import_name, None, raise_if_not_found=False)
                if app is not None:
                    self.server_target = _server_target(import_name, None, app)
                    break

        if app is None:
            raise NoAppException(
                "Could not find an Erlen application. Use the 'erlen --app'"
                " option or the 'ERLEN_APP' environment variable, or put the"
                " application in a 'wsgi.py' or 'app.py' file in the current"
                " folder."
            )

        if self.set_debug_flag:
            # COMPAT: Flask sets app.debug from FLASK_DEBUG here, so --debug
            # on the group reaches every command.
            app.debug = get_debug_flag()

        self._loaded_app = app
        return app


def _server_target(module_name: str, app_name: str | None, app: Erlen) -> str:
    """``module:name`` of a loaded application, as production servers take it."""
    if app_name is not None:
        return f"{module_name}:{app_name.strip()}"
    module = sys.modules.get(module_name)
    if module is not None:
        for attr_name in (*_APP_NAMES, *vars(module)):
            if getattr(module, attr_name, None) is app:
                return f"{module_name}:{attr_name}"
        for attr_name in _FACTORY_NAMES:
            if inspect.isfunction(getattr(module, attr_name, None)):
                return f"{module_name}:{attr_name}()"
    return f"{module_name}:app"


#: Decorator passing the :class:`ScriptInfo` as the first argument of a
#: command callback, creating one if needed.
pass_script_info = click.make_pass_decorator(ScriptInfo, ensure=True)


def with_appcontext(f: F) -> F:
    """Run a command callback inside an app context.

    When no app context is active, the application is loaded through the
    :class:`ScriptInfo` and its context is pushed for the rest of the
    command. Commands added with :meth:`AppGroup.command` (such as those on
    ``app.cli``) are wrapped automatically.

    Args:
        f: the callback of a click command.

    Returns:
        The wrapped callback.
    """

    @click.pass_context
    def decorator(ctx: click.Context, /, *args: t.Any, **kwargs: t.Any) -> t.Any:
        if not current_app:
            app = ctx.ensure_object(ScriptInfo).load_app()
            ctx.with_resource(app.app_context())
        return ctx.invoke(f, *args, **kwargs)

    return t.cast(F, update_wrapper(decorator, f))


class AppGroup(click.Group):
    """A click group whose commands run inside an app context.

    :meth:`command` and :meth:`group` wrap callbacks with
    :func:`with_appcontext` unless ``with_appcontext=False`` is passed, and
    :meth:`group` creates :class:`AppGroup` instances. ``app.cli`` and
    ``blueprint.cli`` are AppGroups.
    """

    @t.overload
    def command(self, __func: t.Callable[..., t.Any]) -> click.Command: ...

    @t.overload
    def command(
        self, *args: t.Any, **kwargs: t.Any
    ) -> t.Callable[[t.Callable[..., t.Any]], click.Command]: ...

    def command(
        self, *args: t.Any, **kwargs: t.Any
    ) -> t.Callable[[t.Callable[..., t.Any]], click.Command] | click.Command:
        """Declare a command of this group, like :meth:`click.Group.command`.

        Works with or without parentheses. The keyword ``with_appcontext``
        (default ``True``) says whether the callback is wrapped in
        :func:`with_appcontext`.

        Returns:
            The command when used without parentheses, else a decorator.
        """
        wrap = kwargs.pop("with_appcontext", True)
        bare = len(args) == 1 and not kwargs and callable(args[0])
        func: t.Callable[..., t.Any] | None = args[0] if bare else None
        if bare:
            args = ()

        def decorator(f: t.Callable[..., t.Any]) -> click.Command:
            if wrap:
                f = with_appcontext(f)
            make: t.Callable[[t.Callable[..., t.Any]], click.Command]
            make = click.Group.command(self, *args, **kwargs)
            return make(f)

        if func is not None:
            return decorator(func)
        return decorator

    @t.overload
    def group(self, __func: t.Callable[..., t.Any]) -> click.Group: ...

    @t.overload
    def group(
        self, *args: t.Any, **kwargs: t.Any
    ) -> t.Callable[[t.Callable[..., t.Any]], click.Group]: ...

    def group(
        self, *args: t.Any, **kwargs: t.Any
    ) -> t.Callable[[t.Callable[..., t.Any]], click.Group] | click.Group:
        """Declare a sub-group, an :class:`AppGroup` unless ``cls`` is given.

        Works with or without parentheses. The keyword ``with_appcontext``
        (default ``True``) says whether the group's own callback is wrapped
        in :func:`with_appcontext`.

        Returns:
            The group when used without parentheses, else a decorator.
        """
        wrap = kwargs.pop("with_appcontext", True)
        bare = len(args) == 1 and not kwargs and callable(args[0])
        func: t.Callable[..., t.Any] | None = args[0] if bare else None
        if bare:
            args = ()
        kwargs.setdefault("cls", AppGroup)

        def decorator(f: t.Callable[..., t.Any]) -> click.Group:
            if wrap:
                f = with_appcontext(f)
            make: t.Callable[[t.Callable[..., t.Any]], click.Group]
            make = click.Group.group(self, *args, **kwargs)
            return make(f)

        if func is not None:
            return decorator(func)
        return decorator


# --------------------------------------------------------------------------
# Group options
# --------------------------------------------------------------------------


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
        from .compat.flask import install

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


def _default_dotenv_files() -> tuple[str, ...]:
    return (*_fallback_dotenv_files, *DEFAULT_DOTENV_FILES)


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


# --------------------------------------------------------------------------
# ErlenGroup
# --------------------------------------------------------------------------


def _load_plugin_command(
    entry_point: importlib.metadata.EntryPoint, group: str
) -> click.Command | None:
    """Import a plugin's command; a broken plugin is reported, not fatal."""
    try:
        command = entry_point.load()
    except Exception as e:  # a broken plugin must not break the CLI
        click.secho(
            f"Warning: could not load the command {entry_point.name!r}"
            f" from {entry_point.value!r} ({group}): {e}",
            err=True,
            fg="yellow",
        )
        return None
    return command if isinstance(command, click.Command) else None


def _secho_error(message: str) -> None:
    click.secho(f"Error: {message}\n", err=True, fg="red")


class ErlenGroup(AppGroup):
    """The ``erlen`` command group: finds the app and adds its commands.

    Besides its own commands, the group lists and runs the commands of the
    application's ``app.cli`` (with the app context pushed) and those
    installed by plugins under the ``erlen.commands`` and ``flask.commands``
    entry-point groups.

    Args:
        add_default_commands: add ``run``, ``shell`` and ``routes``.
        create_app: a callable returning the application, used instead of
            app discovery (for a project's own script).
        add_version_option: add ``--version``.
        load_dotenv: load the default ``.erlenenv`` and ``.env`` files
            (python-dotenv must be installed; ``ERLEN_SKIP_DOTENV=1`` turns
            this off).
        set_debug_flag: set ``app.debug`` from ``--debug``/``ERLEN_DEBUG``.
        extra: passed on to :class:`click.Group`.

    Environment variables named ``ERLEN_<OPTION>`` (for example
    ``ERLEN_APP``, ``ERLEN_DEBUG``, ``ERLEN_RUN_PORT``) supply option values,
    through click's ``auto_envvar_prefix``.
    """

    def __init__(
        self,
        add_default_commands: bool = True,
        create_app: t.Callable[..., Erlen] | None = None,
        add_version_option: bool = True,
        load_dotenv: bool = True,
        set_debug_flag: bool = True,
        **extra: t.Any,
    ) -> None:
        params: list[click.Parameter] = list(extra.pop("params", None) or ())
        # NOTE: the env file option comes first so that variables it loads
        # (ERLEN_APP, ERLEN_DEBUG) are seen by the options after it.
        params.extend(
            (_env_file_option, _flask_compat_option, _app_option, _debug_option)
        )
        if add_version_option:
            params.append(version_option)

        context_settings = dict(extra.pop("context_settings", None) or {})
        context_settings.setdefault("auto_envvar_prefix", "ERLEN")
        super().__init__(params=params, context_settings=context_settings, **extra)

        self.create_app = create_app
        self.load_dotenv = load_dotenv
        self.set_debug_flag = set_debug_flag

        if add_default_commands:
            self.add_command(run_command)
            self.add_command(shell_command)
            self.add_command(routes_command)

        self._loaded_plugin_commands = False
        #: flask.commands entry points not imported yet, by command name.
        self._lazy_plugin_commands: dict[str, importlib.metadata.EntryPoint] = {}

    def _load_plugin_commands(self) -> None:
        if self._loaded_plugin_commands:
            return
        # NOTE: flask.commands first, so an erlen-specific plugin of the
        # same name wins. Both replace built-in commands, as in Flask.
        # flask.commands plugins are Flask extensions: importing one imports
        # flask, which must resolve to erlen when the app installs
        # erlen.compat.flask itself. So they are imported when first used
        # (by then the app is loaded), not here.
        for entry_point in importlib.metadata.entry_points(group="flask.commands"):
            self.commands.pop(entry_point.name, None)
            self._lazy_plugin_commands[entry_point.name] = entry_point
        for entry_point in importlib.metadata.entry_points(group="erlen.commands"):
            self._lazy_plugin_commands.pop(entry_point.name, None)
            command = _load_plugin_command(entry_point, "erlen.commands")
            if command is not None:
                self.add_command(command, entry_point.name)
        self._loaded_plugin_commands = True

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """Find a built-in, plugin or application command by name.

        Loading the application to find one of its commands also pushes its
        app context for the rest of the invocation.
        """
        self._load_plugin_commands()

        command = super().get_command(ctx, cmd_name)
        if command is not None:
            return command
        entry_point = self._lazy_plugin_commands.pop(cmd_name, None)
        if entry_point is not None:
            command = _load_plugin_command(entry_point, "flask.commands")
            if command is not None:
                self.add_command(command, cmd_name)
                return command

        info = ctx.ensure_object(ScriptInfo)
        try:
            app = info.load_app()
        except NoAppException as e:
            _secho_error(e.format_message())
            return None

        if _current_app_object() is not app:
            ctx.with_resource(app.app_context())

        return app.cli.get_command(ctx, cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Names of the built-in, plugin and application commands, sorted."""
        self._load_plugin_commands()
        names = set(super().list_commands(ctx))
        names.update(self._lazy_plugin_commands)
        info = ctx.ensure_object(ScriptInfo)

        try:
            names.update(info.load_app().cli.list_commands(ctx))
        except NoAppException as e:
            # Help still lists the built-in commands when there is no app.
            _secho_error(e.format_message())
        except Exception:
            click.secho(f"{traceback.format_exc()}\n", err=True, fg="red")

        return sorted(names)

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: t.Any,
    ) -> click.Context:
        """Create the context, with a :class:`ScriptInfo` as its object.

        Also sets ``ERLEN_RUN_FROM_CLI=true``, which makes ``app.run()`` do
        nothing: the CLI serves the app itself.
        """
        # COMPAT: Flask's FLASK_RUN_FROM_CLI: an unguarded app.run() at
        # import time must not block the command.
        os.environ["ERLEN_RUN_FROM_CLI"] = "true"

        if "obj" not in extra and "obj" not in self.context_settings:
            extra["obj"] = ScriptInfo(
                create_app=self.create_app,
                set_debug_flag=self.set_debug_flag,
                load_dotenv_defaults=self.load_dotenv,
            )

        return super().make_context(info_name, args, parent=parent, **extra)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """Parse the arguments; with none, still read the env files and ``--app``.

        With no arguments click shows the help at once, and the help lists
        the application's commands, so the application must be findable.
        """
        if not args and self.no_args_is_help:
            _env_file_option.handle_parse_result(ctx, {}, [])
            _flask_compat_option.handle_parse_result(ctx, {}, [])
            _app_option.handle_parse_result(ctx, {}, [])
        try:
            return super().parse_args(ctx, args)
        except BaseException:
            # Help (and parse errors) end the command here, and click does
            # not close the context then: close it, so the app context that
            # listing the app's commands pushed is popped again.
            ctx.close()
            raise


#: Flask's name for :class:`ErlenGroup`, for code written against Flask.
FlaskGroup = ErlenGroup


def _current_app_object() -> Erlen | None:
    """The application of the active app context, or ``None``."""
    try:
        return current_app._get_current_object()  # type: ignore[attr-defined,no-any-return]
    except RuntimeError:
        return None


# --------------------------------------------------------------------------
# dotenv
# --------------------------------------------------------------------------


def load_dotenv(
    path: str | os.PathLike[str] | None = None, load_defaults: bool = True
) -> bool:
    """Load environment variables from dotenv files, if python-dotenv is installed.

    The default files ``.erlenenv`` then ``.env`` (with
    :mod:`erlen.compat.flask` installed, ``.flaskenv`` before them) are
    searched from the current folder upwards; ``path`` is read last, so its
    values win over theirs. Variables already set in the environment are never overridden.
    The current folder is not changed (as in Flask since 2.0).

    Args:
        path: an extra file to load; ignored when it does not exist.
        load_defaults: whether to load the default files.

    Returns:
        ``True`` when at least one variable was read from a file (even if
        the environment already had it), ``False`` otherwise or when
        python-dotenv is not installed.
    """
    try:
        import dotenv
    except ImportError:
        if path or any(os.path.isfile(name) for name in _default_dotenv_files()):
            click.secho(
                " * Tip: there are .env files present. Install python-dotenv"
                " to use them.",
                fg="yellow",
                err=True,
            )
        return False

    values: dict[str, str | None] = {}
    if load_defaults:
        for name in _default_dotenv_files():
            found = dotenv.find_dotenv(name, usecwd=True)
            if found:
                values.update(dotenv.dotenv_values(found, encoding="utf-8"))

    if path is not None and os.path.isfile(path):
        values.update(dotenv.dotenv_values(path, encoding="utf-8"))

    for key, value in values.items():
        if value is not None and key not in os.environ:
            os.environ[key] = value

    return bool(values)


# --------------------------------------------------------------------------
# run
# --------------------------------------------------------------------------


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


# --------------------------------------------------------------------------
# shell
# --------------------------------------------------------------------------


def _run_startup_file(namespace: dict[str, t.Any]) -> None:
    """Run the ``PYTHONSTARTUP`` file into ``namespace``, as the Python REPL does."""
    startup = os.environ.get("PYTHONSTARTUP")
    if not startup or not os.path.isfile(startup):
        return
    with open(startup, encoding="utf-8") as f:
        source = f.read()
    # NOTE: this is the user's own startup file, run as the plain Python
    # REPL would run it.
    exec(compile(source, startup, "exec"), namespace)


@click.command("shell", short_help="Run a shell in the app context.")
@click.option(
    "--interface",
    type=click.Choice(("auto", "ipython", "python")),
    default="auto",
    show_default=True,
    help="The shell to use: 'auto' picks IPython when it is installed.",
)
@with_appcontext
def shell_command(interface: str) -> None:
    """Run an interactive Python shell inside the app context.

    The namespace holds 'app', 'g' and the names returned by the
    application's shell context processors. IPython is used when it is
    installed; the plain shell runs the PYTHONSTARTUP file first.
    """
    app = t.cast("Erlen", _current_app_object())
    banner_lines = [
        f"Python {sys.version} on {sys.platform}",
        f"App: {app.import_name}",
    ]
    instance_path = getattr(app, "instance_path", None)
    if instance_path:
        banner_lines.append(f"Instance: {instance_path}")
    banner = "\n".join(banner_lines)

    ipython: ModuleType | None = None
    if interface != "python":
        try:
            ipython = importlib.import_module("IPython")
        except ImportError:
            if interface == "ipython":
                raise click.UsageError(
                    "IPython is not installed (pip install ipython)."
                ) from None

    if ipython is not None:
        namespace = dict(app.make_shell_context())
        click.echo(banner)
        # IPython runs PYTHONSTARTUP itself; argv=[] keeps it from reading
        # erlen's own arguments.
        ipython.start_ipython(argv=[], user_ns=namespace)
        return

    import code

    namespace = {}
    _run_startup_file(namespace)
    namespace.update(app.make_shell_context())

    # Tab completion on the shell's own names, as the plain REPL sets up
    # through sys.__interactivehook__; only for a terminal, so history files
    # are not touched otherwise.
    hook = getattr(sys, "__interactivehook__", None)
    if hook is not None and sys.stdin.isatty():
        try:
            import readline
            from rlcompleter import Completer
        except ImportError:  # pragma: no cover - platform without readline
            pass
        else:
            hook()
            readline.set_completer(Completer(namespace).complete)

    code.interact(banner=banner, local=namespace)


# --------------------------------------------------------------------------
# routes
# --------------------------------------------------------------------------


@click.command("routes", short_help="Show the routes for the app.")
@click.option(
    "--sort",
    "-s",
    type=click.Choice(("endpoint", "methods", "domain", "rule", "match")),
    default="endpoint",
    help=(
        "Sort the routes by this column. 'match' keeps the order in which"
        " the rules were added."
    ),
)
@click.option("--all-methods", is_flag=True, help="Show HEAD and OPTIONS too.")
@with_appcontext
def routes_command(sort: str, all_methods: bool) -> None:
    """Show the routes of the app: endpoint, methods and rule.

    A Subdomain (or Host) column appears when a route uses one.
    """
    app = t.cast("Erlen", _current_app_object())
    rules = list(app.url_map.iter_rules())

    if not rules:
        click.echo("No routes were registered.")
        return

    hidden_methods = set() if all_methods else {"HEAD", "OPTIONS"}
    host_matching = bool(app.url_map.host_matching)

    def domain_of(rule: t.Any) -> str:
        return str((rule.host if host_matching else rule.subdomain) or "")

    has_domain = any(domain_of(rule) for rule in rules)

    headers = ["Endpoint", "Methods"]
    columns = ["endpoint", "methods"]
    if has_domain:
        headers.append("Host" if host_matching else "Subdomain")
        columns.append("domain")
    headers.append("Rule")
    columns.append("rule")

    rows: list[list[str]] = []
    for rule in rules:
        row = [
            str(rule.endpoint),
            ", ".join(sorted((rule.methods or set()) - hidden_methods)),
        ]
        if has_domain:
            row.append(domain_of(rule))
        row.append(rule.rule)
        rows.append(row)

    if sort in columns:
        rows.sort(key=itemgetter(columns.index(sort)))

    widths = [max(len(row[i]) for row in [headers, *rows]) for i in range(len(headers))]
    line = "  ".join(f"{{{i}:<{width}}}" for i, width in enumerate(widths))

    # COMPAT: the same layout as `flask routes`, padding included, so
    # scripts reading it keep working.
    click.echo(line.format(*headers))
    click.echo(line.format(*("-" * width for width in widths)))
    for row in rows:
        click.echo(line.format(*row))


# --------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------

cli = ErlenGroup(
    name="erlen",
    help="""\
Run erlen's commands: the development server, a shell, the routes, and
the commands of your application and of installed plugins.

Name the application with the '--app' option or the 'ERLEN_APP'
environment variable; without either, erlen looks for a 'wsgi.py' or
'app.py' file in the current folder.
""",
)


def main() -> None:
    """Run the ``erlen`` command line (the ``erlen`` script and ``python -m erlen``)."""
    cli.main()
