"""Run unmodified Flask applications and Flask extensions on erlen.

:func:`install` puts a finder first on :data:`sys.meta_path`, so that
``import flask`` and the Flask submodules applications and extensions import
(``flask.globals``, ``flask.ctx``, ``flask.json.provider``,
``flask.sansio.scaffold``...) resolve to erlen's modules. ``flask.Flask`` *is*
:class:`erlen.Erlen`, ``flask.request`` *is* :data:`erlen.request`, and so on,
so ``isinstance`` checks and context lookups agree between code written for
Flask and code written for erlen. The table of modules is in
:mod:`erlen.compat._aliases`.

It works whether or not the real ``flask`` distribution is installed: while
installed, the finder takes precedence over it, and nothing of the real
package is ever imported. It must run before anything imports the real
``flask``; otherwise it raises :class:`RealFlaskImportedError`.

While installed, ``app.config.from_prefixed_env()`` (default prefix) also
reads ``FLASK_*`` variables, before the ``ERLEN_*`` ones, and the default
dotenv files of :func:`erlen.cli.load_dotenv` include ``.flaskenv`` (before
``.erlenenv`` and ``.env``, which win), so an unmodified Flask app finds the
settings it is deployed with.

Version checks: ``flask.__version__`` (deprecated in Flask 3.1, with the same
:class:`DeprecationWarning`) and ``importlib.metadata.version("flask")``
report :data:`~erlen.compat._aliases.FLASK_VERSION`, the Flask version whose
API erlen implements. The metadata comes from a small distribution that the
same finder provides, so it is there even when Flask is not installed, and it
wins over an installed Flask's. ``pkg_resources`` does not consult finders
and does not see it.

Three ways to use it:

* in code, first thing, before the application is imported::

      import erlen.compat.flask
      erlen.compat.flask.install()
      from myproject import app

* the ``erlen`` command line: ``erlen --flask-compat --app myproject run``, or
  ``ERLEN_FLASK_COMPAT=1`` in the environment (also honoured by
  ``erlen db upgrade`` and the other commands extensions add);
* production servers, through :func:`load`, which installs the layer and
  returns the application::

      gunicorn 'erlen.compat.flask:load("myproject:app")'
      ERLEN_APP=myproject:app uvicorn --factory erlen.compat.flask:load

.. versionadded:: 0.1
"""

from __future__ import annotations

import functools
import importlib
import importlib.machinery
import os
import re
import sys
import threading
import types
import typing as t
import warnings
from pathlib import Path

from .. import config as _config
from .. import helpers as _helpers
from ._aliases import FLASK_VERSION as FLASK_VERSION
from ._aliases import MODULES
from ._aliases import PACKAGES
from ._aliases import RENAMED

if t.TYPE_CHECKING:  # pragma: no cover
    import importlib.abc
    import importlib.metadata

    from ..app import Erlen

__all__ = [
    "FLASK_VERSION",
    "RealFlaskImportedError",
    "install",
    "is_installed",
    "load",
    "uninstall",
]


class RealFlaskImportedError(RuntimeError):
    """Raised by :func:`install` when the real ``flask`` package is already imported.

    Code that imported it holds Flask's objects, which erlen cannot replace
    after the fact. Install the compat layer before anything imports
    ``flask``.
    """


def _is_flask_name(name: str) -> bool:
    return name == "flask" or name.startswith("flask.")


class _AliasModule(types.ModuleType):
    """A Flask module served as a copy of an erlen module's namespace plus the renamed names.

    Names missing from the copy (added to the erlen module later, or
    private) are looked up on the erlen module.
    """

    _erlen_target: types.ModuleType

    def __getattr__(self, name: str) -> t.Any:
        if name == "__version__" and self.__name__ == "flask":
            # COMPAT: Flask 3.1 deprecates flask.__version__ with this warning.
            warnings.warn(
                "The '__version__' attribute is deprecated and will be removed"
                " in Flask 3.2. Use feature detection or"
                " 'importlib.metadata.version(\"flask\")' instead.",
                DeprecationWarning,
                stacklevel=2,
            )
            return FLASK_VERSION
        if name.startswith("__") or name == "_erlen_target":
            raise AttributeError(f"module {self.__name__!r} has no attribute {name!r}")
        submodule = f"{self.__name__}.{name}"
        if submodule in MODULES:
            # flask.app, flask.json...: the Flask module (an alias where names
            # differ), imported on first access as Flask's package does.
            return importlib.import_module(submodule)
        try:
            return getattr(self._erlen_target, name)
        except AttributeError:
            raise AttributeError(
                f"module {self.__name__!r} has no attribute {name!r}"
            ) from None

    def __dir__(self) -> list[str]:
        return sorted(set(super().__dir__()) | set(dir(self._erlen_target)))


def _alias_module(name: str, target: types.ModuleType) -> _AliasModule:
    module = _AliasModule(name, target.__doc__)
    namespace = module.__dict__
    for key, value in vars(target).items():
        # NOTE: erlen's submodules that Flask serves as alias modules are not
        # copied: ``flask.app`` must be the alias, found by __getattr__.
        if not key.startswith("__") and f"{name}.{key}" not in RENAMED:
            namespace[key] = value
    for flask_name, erlen_name in RENAMED[name].items():
        namespace[flask_name] = getattr(target, erlen_name)
    namespace["_erlen_target"] = target
    # NOTE: code that locates files next to a module (inspect, tracebacks)
    # finds erlen's.
    namespace["__file__"] = getattr(target, "__file__", None)
    if name in PACKAGES:
        # An empty path: submodules outside the table are not found at all,
        # never taken from an installed Flask.
        namespace["__path__"] = []
    return module


@functools.cache
def _flask_distribution_class() -> type[importlib.metadata.Distribution]:
    """The class of the stand-in ``Flask`` distribution, made on first use.

    PERF: importlib.metadata is imported here, when something asks for
    distributions (and has imported it already), not with the compat layer.
    """
    import importlib.metadata

    class _FlaskDistribution(importlib.metadata.Distribution):
        """The metadata of the stand-in ``Flask`` distribution (see the module docs)."""

        def read_text(self, filename: str) -> str | None:
            if filename in {"METADATA", "PKG-INFO"}:
                return (
                    "Metadata-Version: 2.1\n"
                    "Name: Flask\n"
                    f"Version: {FLASK_VERSION}\n"
                    "Summary: Flask's API, provided by erlen (erlen.compat.flask)\n"
                )
            if filename == "top_level.txt":
                return "flask\n"
            return None

        def locate_file(self, path: str | os.PathLike[str]) -> Path:
            return Path(__file__).parent / path

    return _FlaskDistribution


class _FlaskFinder:
    """Meta-path finder and loader of the ``flask`` modules, and finder of their metadata.

    The import system and :mod:`importlib.metadata` use finders and loaders
    by their methods; PERF: not deriving from their base classes keeps
    importlib.metadata (and importlib.abc) out of the compat layer's import.
    """

    def __init__(self) -> None:
        self._erlen_specs: dict[int, importlib.machinery.ModuleSpec | None] = {}

    def find_spec(
        self,
        fullname: str,
        path: t.Sequence[str] | None = None,
        target: types.ModuleType | None = None,
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname not in MODULES:
            return None
        # NOTE: a loader by its methods (see the class docs); typeshed wants
        # the ABC.
        loader = t.cast("importlib.abc.Loader", self)
        return importlib.machinery.ModuleSpec(
            fullname, loader, is_package=fullname in PACKAGES
        )

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        target = importlib.import_module(MODULES[spec.name])
        if spec.name in RENAMED:
            return _alias_module(spec.name, target)
        # The erlen module object itself, recorded under the Flask name too.
        # The import system keeps its __name__ but overwrites its __spec__:
        # remember it, so exec_module can put it back.
        self._erlen_specs[id(target)] = target.__spec__
        return target

    def exec_module(self, module: types.ModuleType) -> None:
        # Nothing to run: erlen's modules are already executed, and an alias
        # module is complete when created. An erlen module gets its own spec
        # back, so its relative imports and reloads keep working.
        spec = self._erlen_specs.pop(id(module), None)
        if spec is not None:
            module.__spec__ = spec

    def find_distributions(
        self, context: importlib.metadata.DistributionFinder.Context | None = None
    ) -> t.Iterator[importlib.metadata.Distribution]:
        """The stand-in ``Flask`` distribution, when ``context`` asks for it or for all."""
        name = None if context is None else context.name
        if name is None or re.sub(r"[-_.]+", "-", name).lower() == "flask":
            yield _flask_distribution_class()()


_finder = _FlaskFinder()
_lock = threading.Lock()


def is_installed() -> bool:
    """Whether :func:`install` is in effect."""
    return _finder in sys.meta_path


def _is_ours(module: object) -> bool:
    if isinstance(module, _AliasModule):
        return True
    return getattr(module, "__name__", "").split(".")[0] == "erlen"


def install() -> None:
    """Make ``import flask`` (and its submodules) resolve to erlen.

    Idempotent: calling it again does nothing. See the module documentation
    for what it maps and how versions are reported.

    Raises:
        RealFlaskImportedError: the real ``flask`` package (or one of its
            submodules) is already imported in this interpreter.
    """
    with _lock:
        if _finder in sys.meta_path:
            return
        for name, module in list(sys.modules.items()):
            if _is_flask_name(name) and not _is_ours(module):
                origin = getattr(module, "__file__", None) or "?"
                raise RealFlaskImportedError(
                    f"The real Flask package is already imported ({name!r} from"
                    f" {origin}), so erlen cannot stand in for it. Call"
                    " erlen.compat.flask.install() before anything imports"
                    " flask: first thing in your entry point, or start the app"
                    " with 'erlen --flask-compat' (ERLEN_FLASK_COMPAT=1) or a"
                    " server with 'erlen.compat.flask:load(\"module:app\")'."
                )
        sys.meta_path.insert(0, _finder)
        importlib.invalidate_caches()
        # COMPAT: app.config.from_prefixed_env() reads FLASK_* settings too,
        # and the default dotenv files include .flaskenv.
        if "FLASK" not in _config._fallback_prefixes:
            _config._fallback_prefixes.append("FLASK")
        if ".flaskenv" not in _helpers._fallback_dotenv_files:
            _helpers._fallback_dotenv_files.append(".flaskenv")


def uninstall() -> None:
    """Undo :func:`install`: remove the finder and forget the ``flask`` modules it served.

    Meant for tests. Modules that imported ``flask`` while it was installed
    keep the erlen objects they hold.
    """
    with _lock:
        while _finder in sys.meta_path:
            sys.meta_path.remove(_finder)
        while "FLASK" in _config._fallback_prefixes:
            _config._fallback_prefixes.remove("FLASK")
        while ".flaskenv" in _helpers._fallback_dotenv_files:
            _helpers._fallback_dotenv_files.remove(".flaskenv")
        for name, module in list(sys.modules.items()):
            if _is_flask_name(name) and _is_ours(module):
                del sys.modules[name]
        importlib.invalidate_caches()


def load(app: str | None = None) -> Erlen:
    """Install the compat layer, then import and return an unmodified Flask application.

    For production servers that take a ``module:callable(args)`` target::

        gunicorn 'erlen.compat.flask:load("myproject.web:app")'
        ERLEN_APP=myproject.web:create_app() uvicorn --factory erlen.compat.flask:load

    The returned app is a WSGI and an ASGI application (see
    :meth:`erlen.Erlen.__call__`).

    Args:
        app: the application as the ``erlen --app`` option takes it: a module
            or ``.py`` file, optionally followed by ``:name`` or
            ``:factory(args)``. ``None`` reads ``ERLEN_APP``, then
            ``FLASK_APP``; without either, ``wsgi.py`` or ``app.py`` in the
            current folder is used.

    Returns:
        The application.

    Raises:
        RealFlaskImportedError: the real ``flask`` is already imported.
        erlen.cli.NoAppException: no application could be found or imported.
    """
    install()
    if app is None:
        app = os.environ.get("ERLEN_APP") or os.environ.get("FLASK_APP") or None
    # PERF: the CLI's app loader (and click) only when load() is used.
    from ..cli import ScriptInfo

    info = ScriptInfo(app_import_path=app, set_debug_flag=False)
    return info.load_app()
