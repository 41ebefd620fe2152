"""Finding the application: ``--app`` values, modules, factories.

The functions behind :meth:`erlen.cli.ScriptInfo.load_app`, public as
:func:`erlen.cli.locate_app`, :func:`erlen.cli.find_best_app`,
:func:`erlen.cli.find_app_by_string` and :func:`erlen.cli.prepare_import`.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import os
import re
import sys
import traceback
import typing as t
from types import ModuleType

from ._core import _APP_NAMES
from ._core import _FACTORY_NAMES
from ._core import NoAppException

if t.TYPE_CHECKING:  # pragma: no cover
    from ..app import Erlen


def _app_class() -> type[Erlen]:
    # NOTE: imported here because erlen.app imports erlen.cli for AppGroup.
    from ..app import Erlen

    return Erlen


def _is_internal_frame(filename: str) -> bool:
    """Whether a traceback frame belongs to the import machinery or to the erlen.cli package."""
    if filename.startswith("<frozen importlib"):
        return True
    if os.path.dirname(os.path.abspath(filename)) == os.path.dirname(
        os.path.abspath(importlib.__file__ or "")
    ):
        return True
    return os.path.dirname(os.path.abspath(filename)) == os.path.dirname(
        os.path.abspath(__file__)
    )


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

