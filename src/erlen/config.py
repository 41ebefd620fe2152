"""Application configuration: :class:`Config` and the :class:`ConfigAttribute` descriptor.

:class:`Config` is a plain :class:`dict` with loaders for the usual sources of settings
(Python files, objects, environment variables, JSON/TOML files, mappings). Only keys written
in upper case are taken from objects and mappings, which lets a config module keep lower-case
helpers without leaking them into the app config. The behaviour follows Flask 3.1's
``flask.Config``, except that :meth:`Config.from_prefixed_env` reads ``ERLEN_``-prefixed
variables by default.
"""

from __future__ import annotations

import errno
import json
import os
import types
import typing as t

from werkzeug.utils import import_string

T = t.TypeVar("T")


class _HasConfig(t.Protocol):
    """Anything with a ``config`` mapping, such as the app: the owner of a :class:`ConfigAttribute`."""

    @property
    def config(self) -> dict[str, t.Any]: ...


#: ``errno`` values that ``silent=True`` swallows when a config file cannot be opened:
#: the file is missing, or the path names a directory, or a path component is not a directory.
_SILENT_ERRNOS = frozenset((errno.ENOENT, errno.EISDIR, errno.ENOTDIR))

#: Prefixes that ``from_prefixed_env()`` with its default ``"ERLEN"`` prefix
#: also reads, before it (so ``ERLEN_`` values win).
#: :func:`erlen.compat.flask.install` adds ``"FLASK"``, so an unmodified Flask
#: app finds the ``FLASK_*`` settings it is deployed with.
_fallback_prefixes: list[str] = []


class ConfigAttribute(t.Generic[T]):
    """Expose one config key as an attribute of the application object.

    Reading the attribute returns ``app.config[name]`` (passed through ``get_converter``
    when one is given); assigning writes the raw value to ``app.config[name]``. Accessed on
    the class, the descriptor returns itself. This is how ``app.secret_key``,
    ``app.testing`` or ``app.permanent_session_lifetime`` are wired, as in Flask.

    Args:
        name: The config key, e.g. ``"SECRET_KEY"``.
        get_converter: Optional callable applied to the stored value on every read, e.g.
            turning an ``int`` number of seconds into a :class:`datetime.timedelta`.

    Raises:
        KeyError: On read, when the key is missing from ``app.config``.
    """

    def __init__(
        self, name: str, get_converter: t.Callable[[t.Any], T] | None = None
    ) -> None:
        self.__name__ = name
        self.get_converter = get_converter

    @t.overload
    def __get__(
        self, obj: None, owner: type[t.Any] | None = None
    ) -> ConfigAttribute[T]: ...

    @t.overload
    def __get__(self, obj: _HasConfig, owner: type[t.Any] | None = None) -> T: ...

    def __get__(
        self, obj: _HasConfig | None, owner: type[t.Any] | None = None
    ) -> T | ConfigAttribute[T]:
        if obj is None:
            return self
        value = obj.config[self.__name__]
        if self.get_converter is not None:
            value = self.get_converter(value)
        return value  # type: ignore[no-any-return]

    def __set__(self, obj: _HasConfig, value: t.Any) -> None:
        obj.config[self.__name__] = value


class Config(dict):  # type: ignore[type-arg]
    """A :class:`dict` of settings that can also load itself from files, objects and the environment.

    Relative file names given to :meth:`from_pyfile` and :meth:`from_file` are resolved
    against :attr:`root_path` (normally the app's root path, or its instance path when the
    app was created with ``instance_relative_config=True``).

    Only upper-case keys are loaded by :meth:`from_object`, :meth:`from_pyfile` and
    :meth:`from_mapping`; :meth:`from_prefixed_env` takes every matching variable.

    Args:
        root_path: Directory that relative config file names are resolved against.
        defaults: Optional initial key/value pairs.
    """

    def __init__(
        self,
        root_path: str | os.PathLike[str],
        defaults: dict[str, t.Any] | None = None,
    ) -> None:
        super().__init__(defaults or {})
        self.root_path = root_path

    def from_envvar(self, variable_name: str, silent: bool = False) -> bool:
        """Load a Python config file whose path is stored in an environment variable.

        Shorthand for ``config.from_pyfile(os.environ[variable_name])``.

        Args:
            variable_name: Name of the environment variable holding the file path.
            silent: If true, return ``False`` instead of raising when the variable is unset
                or empty, or when the file is missing (see :meth:`from_pyfile`).

        Returns:
            ``True`` when the file was loaded, ``False`` when ``silent`` suppressed a failure.

        Raises:
            RuntimeError: When the variable is unset or empty and ``silent`` is false.
            OSError: As :meth:`from_pyfile`.
        """
        path = os.environ.get(variable_name)
        if not path:
            if silent:
                return False
            raise RuntimeError(
                f"The environment variable {variable_name!r} is not set"
                " and as such configuration could not be"
                " loaded. Set this variable and make it"
                " point to a configuration file"
            )
        return self.from_pyfile(path, silent=silent)

    def from_prefixed_env(
        self, prefix: str = "ERLEN", *, loads: t.Callable[[str], t.Any] = json.loads
    ) -> bool:
        """Load every environment variable named ``{prefix}_...`` into the config.

        The prefix and its underscore are dropped from the key. Each value is passed to
        ``loads`` (by default :func:`json.loads`, so ``"1"`` becomes ``1``, ``"true"``
        becomes ``True`` and ``"[1, 2]"`` a list); if ``loads`` raises any exception the
        value stays a string. A double underscore in the key descends into nested dicts, so
        ``ERLEN_DB__HOST=x`` sets ``config["DB"]["HOST"] = "x"``, creating intermediate dicts
        as needed. Variables are processed in sorted order. Keys are case sensitive and are
        not filtered to upper case.

        This mirrors Flask's ``from_prefixed_env``; only the default prefix differs
        (``"ERLEN"`` rather than ``"FLASK"``). While :mod:`erlen.compat.flask` is
        installed, the default also reads ``FLASK_`` variables first, so ``ERLEN_``
        values win over them.

        Args:
            prefix: Prefix to look for, without the trailing underscore.
            loads: Callable turning the raw string into a value.

        Returns:
            Always ``True``.

        Raises:
            TypeError: When a ``__`` path traverses an existing value that is not a mapping.
        """
        markers = [f"{p}_" for p in _fallback_prefixes] if prefix == "ERLEN" else []
        markers.append(f"{prefix}_")
        for marker in markers:
            self._load_prefixed_env(marker, loads)
        return True

    def _load_prefixed_env(self, marker: str, loads: t.Callable[[str], t.Any]) -> None:
        for env_key in sorted(os.environ):
            if not env_key.startswith(marker):
                continue
            raw = os.environ[env_key]
            key = env_key[len(marker) :]
            value: t.Any
            try:
                value = loads(raw)
            except Exception:
                # NOTE: any parse failure means "keep the string", as in Flask.
                value = raw
            if "__" not in key:
                self[key] = value
                continue
            *parents, leaf = key.split("__")
            target: t.Any = self
            for part in parents:
                if part not in target:
                    target[part] = {}
                target = target[part]
            target[leaf] = value

    def from_pyfile(
        self, filename: str | os.PathLike[str], silent: bool = False
    ) -> bool:
        """Execute a Python file and load its upper-case globals, as :meth:`from_object`.

        The file is compiled and executed in a fresh module namespace named ``config``
        whose ``__file__`` is the resolved path.

        Args:
            filename: Path of the file, absolute or relative to :attr:`root_path`.
            silent: If true, return ``False`` when the file does not exist (or the path is a
                directory) instead of raising.

        Returns:
            ``True`` when loaded, ``False`` when ``silent`` suppressed a missing file.

        Raises:
            OSError: When the file cannot be opened; its ``strerror`` is rewritten to
                ``"Unable to load configuration file (<original>)"``.
        """
        path = os.path.join(self.root_path, filename)
        module = types.ModuleType("config")
        module.__file__ = path
        try:
            with open(path, mode="rb") as config_file:
                exec(compile(config_file.read(), path, "exec"), module.__dict__)
        except OSError as e:
            # COMPAT: an OSError raised by the file's own code is relabelled too, as in Flask.
            if silent and e.errno in _SILENT_ERRNOS:
                return False
            e.strerror = f"Unable to load configuration file ({e.strerror})"
            raise
        self.from_object(module)
        return True

    def from_object(self, obj: object | str) -> None:
        """Copy the upper-case attributes of an object (module, class, instance) into the config.

        Names are found with :func:`dir`, so class attributes and properties count; anything
        not fully upper case (per :meth:`str.isupper`) is ignored. A string is first
        imported with :func:`werkzeug.utils.import_string` (``"pkg.settings"`` or
        ``"pkg.settings:Production"``/``"pkg.settings.Production"``).

        Args:
            obj: The object, or an import string naming it.

        Raises:
            werkzeug.utils.ImportStringError: When ``obj`` is a string that cannot be imported.
        """
        if isinstance(obj, str):
            obj = import_string(obj)
        for key in dir(obj):
            if key.isupper():
                self[key] = getattr(obj, key)

    def from_file(
        self,
        filename: str | os.PathLike[str],
        load: t.Callable[[t.IO[t.Any]], t.Mapping[str, t.Any]],
        silent: bool = False,
        text: bool = True,
    ) -> bool:
        """Load a data file with the given loader and merge it with :meth:`from_mapping`.

        For example ``config.from_file("config.json", load=json.load)`` or
        ``config.from_file("config.toml", load=tomllib.load, text=False)``.

        Args:
            filename: Path of the file, absolute or relative to :attr:`root_path`.
            load: Callable taking the open file and returning a mapping.
            silent: If true, return ``False`` when the file does not exist instead of raising.
            text: Open the file in text mode (``True``) or binary mode (``False``).

        Returns:
            ``True`` when loaded, ``False`` when ``silent`` suppressed a missing file.

        Raises:
            OSError: When the file cannot be opened; its ``strerror`` is rewritten to
                ``"Unable to load configuration file (<original>)"``.
        """
        path = os.path.join(self.root_path, filename)
        try:
            with open(path, "r" if text else "rb") as f:
                data = load(f)
        except OSError as e:
            if silent and e.errno in _SILENT_ERRNOS:
                return False
            e.strerror = f"Unable to load configuration file ({e.strerror})"
            raise
        return self.from_mapping(data)

    def from_mapping(
        self, mapping: t.Mapping[str, t.Any] | None = None, **kwargs: t.Any
    ) -> bool:
        """Update the config from a mapping and/or keyword arguments, upper-case keys only.

        Keyword arguments override entries of ``mapping`` with the same key.

        Args:
            mapping: Optional mapping of settings.
            **kwargs: Further settings.

        Returns:
            Always ``True``.
        """
        merged: dict[str, t.Any] = {}
        if mapping is not None:
            merged.update(mapping)
        merged.update(kwargs)
        for key, value in merged.items():
            if key.isupper():
                self[key] = value
        return True

    def get_namespace(
        self, namespace: str, lowercase: bool = True, trim_namespace: bool = True
    ) -> dict[str, t.Any]:
        """Return the settings whose key starts with ``namespace`` as a new dict.

        With ``config = {"IMAGE_STORE_TYPE": "fs", "IMAGE_STORE_PATH": "/x"}``,
        ``config.get_namespace("IMAGE_STORE_")`` returns ``{"type": "fs", "path": "/x"}``.

        Args:
            namespace: Key prefix to select on (case sensitive), usually ending in ``_``.
            lowercase: Lower-case the resulting keys.
            trim_namespace: Drop the prefix from the resulting keys.

        Returns:
            A new dict of the matching settings; values are not copied.
        """
        result: dict[str, t.Any] = {}
        for key, value in self.items():
            if not key.startswith(namespace):
                continue
            new_key = key[len(namespace) :] if trim_namespace else key
            if lowercase:
                new_key = new_key.lower()
            result[new_key] = value
        return result

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {dict.__repr__(self)}>"
