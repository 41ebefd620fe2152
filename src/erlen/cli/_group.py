"""The ``erlen`` command: :class:`ErlenGroup` and the :data:`cli` instance."""

from __future__ import annotations

import importlib.metadata
import os
import traceback
import typing as t

import click

from ._commands import routes_command
from ._commands import shell_command
from ._core import AppGroup
from ._core import NoAppException
from ._core import ScriptInfo
from ._core import _current_app_object
from ._core import _secho_error
from ._options import _app_option
from ._options import _debug_option
from ._options import _env_file_option
from ._options import _flask_compat_option
from ._options import version_option
from ._server import run_command

if t.TYPE_CHECKING:  # pragma: no cover
    from ..app import Erlen


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
