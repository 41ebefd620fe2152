"""The ``erlen`` command line: app discovery, ``run``, ``routes``, ``shell``.

The command line is built on click and follows the behaviour of Flask's
``flask`` command. :class:`ErlenGroup` finds the application (``--app`` option,
``ERLEN_APP`` environment variable, or a ``wsgi.py`` / ``app.py`` file in the
current folder), loads ``.erlenenv`` and ``.env`` files, and adds the commands
registered on ``app.cli``, on blueprints and by installed plugins.

Application code adds commands with :class:`AppGroup` (``app.cli`` is one) and
reaches the application through :func:`with_appcontext`, which pushes an app
context before the command runs.

Every application imports this package (``app.cli`` is an :class:`AppGroup`),
so only :class:`AppGroup` and its helpers are loaded with it; the other names
(app discovery, :class:`ErlenGroup`, the commands) are loaded on first access.

.. versionadded:: 0.1
"""

from __future__ import annotations

import importlib
import typing as t

from ..helpers import _fallback_dotenv_files as _fallback_dotenv_files
from ._core import DEFAULT_DOTENV_FILES as DEFAULT_DOTENV_FILES
from ._core import AppGroup as AppGroup
from ._core import NoAppException as NoAppException
from ._core import ScriptInfo as ScriptInfo
from ._core import load_dotenv as load_dotenv
from ._core import pass_script_info as pass_script_info
from ._core import with_appcontext as with_appcontext

if t.TYPE_CHECKING:  # pragma: no cover
    from ._commands import routes_command as routes_command
    from ._commands import shell_command as shell_command
    from ._discovery import find_app_by_string as find_app_by_string
    from ._discovery import find_best_app as find_best_app
    from ._discovery import locate_app as locate_app
    from ._discovery import prepare_import as prepare_import
    from ._group import ErlenGroup as ErlenGroup
    from ._group import FlaskGroup as FlaskGroup
    from ._group import cli as cli
    from ._group import main as main
    from ._options import get_version as get_version
    from ._options import version_option as version_option
    from ._server import CertParamType as CertParamType
    from ._server import SeparatedPathType as SeparatedPathType
    from ._server import production_server_warning as production_server_warning
    from ._server import run_command as run_command
    from ._server import show_server_banner as show_server_banner

__all__ = [
    "DEFAULT_DOTENV_FILES",
    "AppGroup",
    "CertParamType",
    "ErlenGroup",
    "FlaskGroup",
    "NoAppException",
    "ScriptInfo",
    "SeparatedPathType",
    "cli",
    "find_app_by_string",
    "find_best_app",
    "get_version",
    "load_dotenv",
    "locate_app",
    "main",
    "pass_script_info",
    "prepare_import",
    "production_server_warning",
    "routes_command",
    "run_command",
    "shell_command",
    "show_server_banner",
    "version_option",
    "with_appcontext",
]

# PERF: the submodule defining each name loaded on first access. App
# discovery, the group and the commands (with importlib.metadata, platform,
# shlex, and click commands built at import) are needed only by the
# ``erlen`` command and by tests, not by an application serving requests.
_LAZY: dict[str, str] = {
    "find_app_by_string": "_discovery",
    "find_best_app": "_discovery",
    "locate_app": "_discovery",
    "prepare_import": "_discovery",
    "ErlenGroup": "_group",
    "FlaskGroup": "_group",
    "cli": "_group",
    "main": "_group",
    "get_version": "_options",
    "version_option": "_options",
    "CertParamType": "_server",
    "SeparatedPathType": "_server",
    "production_server_warning": "_server",
    "run_command": "_server",
    "show_server_banner": "_server",
    "routes_command": "_commands",
    "shell_command": "_commands",
}


def __getattr__(name: str) -> t.Any:
    submodule = _LAZY.get(name)
    if submodule is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{submodule}"), name)
    # Cached in the module namespace: later lookups skip __getattr__.
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})
