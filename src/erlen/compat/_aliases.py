"""The table behind :mod:`erlen.compat.flask`: which erlen module stands in for each Flask module.

Every public Flask module an application or an extension imports is listed
with the erlen module that implements it. Most map to erlen's own module
object, so ``flask.globals is erlen.globals``. The few modules where a public
name differs (``Flask`` is :class:`~erlen.Erlen`) are served as thin alias
modules: a copy of the erlen module's namespace with the Flask names added.
"""

from __future__ import annotations

#: The Flask version whose public API erlen implements. ``flask.__version__``
#: and ``importlib.metadata.version("flask")`` report it while the compat
#: layer is installed, so version checks written for Flask pass.
FLASK_VERSION = "3.1.3"

#: Flask module name -> the erlen module that implements it.
MODULES: dict[str, str] = {
    "flask": "erlen",
    "flask.app": "erlen.app",
    "flask.blueprints": "erlen.blueprints",
    "flask.cli": "erlen.cli",
    "flask.config": "erlen.config",
    "flask.ctx": "erlen.ctx",
    "flask.debughelpers": "erlen.debughelpers",
    "flask.globals": "erlen.globals",
    "flask.helpers": "erlen.helpers",
    "flask.json": "erlen.json",
    "flask.json.provider": "erlen.json.provider",
    "flask.json.tag": "erlen.json.tag",
    "flask.logging": "erlen.logging",
    "flask.sansio": "erlen.sansio",
    "flask.sansio.app": "erlen.sansio.app",
    "flask.sansio.blueprints": "erlen.sansio.blueprints",
    "flask.sansio.scaffold": "erlen.sansio.scaffold",
    "flask.sessions": "erlen.sessions",
    "flask.signals": "erlen.signals",
    "flask.templating": "erlen.templating",
    "flask.testing": "erlen.testing",
    "flask.typing": "erlen.typing",
    "flask.views": "erlen.views",
    "flask.wrappers": "erlen.wrappers",
}

#: Flask modules that are packages (they can have submodules).
PACKAGES: frozenset[str] = frozenset({"flask", "flask.json", "flask.sansio"})

#: Flask module name -> {Flask's name: erlen's name} for the names that
#: differ. These modules are served as alias modules; the others are
#: erlen's module objects themselves (``erlen.cli`` already has
#: ``FlaskGroup``).
RENAMED: dict[str, dict[str, str]] = {
    "flask": {"Flask": "Erlen"},
    "flask.app": {"Flask": "Erlen"},
    "flask.testing": {
        "FlaskClient": "ErlenClient",
        "FlaskCliRunner": "ErlenCliRunner",
    },
}
