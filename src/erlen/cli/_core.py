"""The part of the command line every application needs: :class:`AppGroup` and its helpers.

``app.cli`` and ``blueprint.cli`` are :class:`AppGroup` objects, so this
module is imported with :mod:`erlen.app`; it stays small. App discovery,
the ``erlen`` group and its commands are in the sibling modules, imported
when first used (see :mod:`erlen.cli`).
"""

from __future__ import annotations

import os
import sys
import typing as t
from functools import update_wrapper
from types import FunctionType

import click

from ..globals import current_app
from ..helpers import _fallback_dotenv_files
from ..helpers import get_debug_flag
from ..helpers import get_load_dotenv

if t.TYPE_CHECKING:  # pragma: no cover
    from ..app import Erlen

F = t.TypeVar("F", bound=t.Callable[..., t.Any])

#: Names of the dotenv files loaded by default, in order: later files win.
DEFAULT_DOTENV_FILES: tuple[str, ...] = (".erlenenv", ".env")

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

        # PERF: app discovery is imported when an app is first loaded, not
        # with every application (app.cli needs only this module).
        from ._discovery import _split_import_path
        from ._discovery import locate_app
        from ._discovery import prepare_import

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
            if isinstance(getattr(module, attr_name, None), FunctionType):
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
# Small helpers of the commands
# --------------------------------------------------------------------------


def _secho_error(message: str) -> None:
    click.secho(f"Error: {message}\n", err=True, fg="red")


def _current_app_object() -> Erlen | None:
    """The application of the active app context, or ``None``."""
    try:
        return current_app._get_current_object()  # type: ignore[attr-defined,no-any-return]
    except RuntimeError:
        return None


# --------------------------------------------------------------------------
# dotenv
# --------------------------------------------------------------------------


def _default_dotenv_files() -> tuple[str, ...]:
    return (*_fallback_dotenv_files, *DEFAULT_DOTENV_FILES)


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


