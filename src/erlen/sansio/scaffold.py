"""Decorators shared by the application and blueprints.

:class:`Scaffold` holds the registries that both an app and a blueprint
fill: view functions, hooks, error handlers, URL value processors and
template context processors, keyed by blueprint name (``None`` for the app).
"""

from __future__ import annotations

import importlib.util
import inspect
import os
import pathlib
import sys
import typing as t
from collections import defaultdict
from functools import cached_property
from functools import update_wrapper

from jinja2 import BaseLoader
from jinja2 import FileSystemLoader
from werkzeug.exceptions import HTTPException
from werkzeug.exceptions import default_exceptions

from .. import typing as ft

if t.TYPE_CHECKING:  # pragma: no cover
    import click

_sentinel = object()

F = t.TypeVar("F", bound=t.Callable[..., t.Any])
T_after_request = t.TypeVar("T_after_request", bound=ft.AfterRequestCallable[t.Any])
T_before_request = t.TypeVar("T_before_request", bound=ft.BeforeRequestCallable)
T_error_handler = t.TypeVar("T_error_handler", bound=ft.ErrorHandlerCallable)
T_teardown = t.TypeVar("T_teardown", bound=ft.TeardownCallable)
T_template_context_processor = t.TypeVar(
    "T_template_context_processor", bound=ft.TemplateContextProcessorCallable
)
T_url_defaults = t.TypeVar("T_url_defaults", bound=ft.URLDefaultCallable)
T_url_value_preprocessor = t.TypeVar(
    "T_url_value_preprocessor", bound=ft.URLValuePreprocessorCallable
)
T_route = t.TypeVar("T_route", bound=ft.RouteCallable)
T_websocket = t.TypeVar("T_websocket", bound=t.Callable[..., t.Awaitable[t.Any]])

#: ``{scope: {code or None: {exception class: handler}}}``
ErrorHandlerSpec = dict[
    "str | None",
    dict["int | None", dict[type[BaseException], ft.ErrorHandlerCallable]],
]


def setupmethod(f: F) -> F:
    """Mark ``f`` as a setup method that must run before the first request.

    Calling it afterwards raises :class:`AssertionError` with an explanation,
    as Flask does, because registrations made then would be seen by some
    workers and requests but not others.
    """
    f_name = f.__name__

    def wrapper_func(self: Scaffold, *args: t.Any, **kwargs: t.Any) -> t.Any:
        self._check_setup_finished(f_name)
        return f(self, *args, **kwargs)

    return update_wrapper(wrapper_func, f)  # type: ignore[return-value]


def _endpoint_from_view_func(view_func: ft.RouteCallable) -> str:
    """Return the default endpoint for ``view_func``: its ``__name__``."""
    assert view_func is not None, "expected view func if endpoint is not provided."
    return view_func.__name__


def _find_package_path(import_name: str) -> str:
    """Return the folder that contains the package or module ``import_name``."""
    root_mod_name, _, _ = import_name.partition(".")
    try:
        root_spec = importlib.util.find_spec(root_mod_name)
        if root_spec is None:
            raise ValueError("not found")
    except (ImportError, ValueError):
        return os.getcwd()
    if root_spec.submodule_search_locations:
        if root_spec.origin is None or root_spec.origin == "namespace":
            package_spec = importlib.util.find_spec(import_name)
            if package_spec is not None and package_spec.submodule_search_locations:
                package_path = pathlib.Path(
                    os.path.commonpath(package_spec.submodule_search_locations)
                )
                search_location = next(
                    location
                    for location in root_spec.submodule_search_locations
                    if package_path.is_relative_to(location)
                )
            else:
                search_location = root_spec.submodule_search_locations[0]
            return os.path.dirname(search_location)
        return os.path.dirname(os.path.dirname(root_spec.origin))
    return os.path.dirname(t.cast(str, root_spec.origin))


def find_package(import_name: str) -> tuple[str | None, str]:
    """Find the install prefix of a package and the folder that holds it.

    Returns:
        ``(prefix, package_path)``: ``prefix`` is the ``sys.prefix``-like
        folder when the package is installed into site-packages, else
        ``None``.
    """
    package_path = _find_package_path(import_name)
    py_prefix = os.path.abspath(sys.prefix)
    if pathlib.PurePath(package_path).is_relative_to(py_prefix):
        return py_prefix, package_path
    site_parent, site_folder = os.path.split(package_path)
    if site_folder.lower() == "site-packages":
        parent, folder = os.path.split(site_parent)
        if folder.lower() == "lib":
            return parent, package_path
        if os.path.basename(parent).lower() == "lib":
            return os.path.dirname(parent), package_path
        return site_parent, package_path
    return None, package_path


def _split_blueprint_path(name: str) -> list[str]:
    """``"a.b.c"`` -> ``["a.b.c", "a.b", "a"]``: a nested blueprint and its parents."""
    out = [name]
    while "." in name:
        name = name.rpartition(".")[0]
        out.append(name)
    return out


def get_root_path(import_name: str) -> str:
    """Return the folder of the module or package ``import_name``.

    Falls back to the current working directory when it cannot be found
    (for example in an interactive shell).

    Raises:
        RuntimeError: the module is a namespace package or has no file.
    """
    mod = sys.modules.get(import_name)
    if mod is not None and hasattr(mod, "__file__") and mod.__file__ is not None:
        return os.path.dirname(os.path.abspath(mod.__file__))
    try:
        spec = importlib.util.find_spec(import_name)
        if spec is None:
            raise ValueError
    except (ImportError, ValueError):
        loader = None
    else:
        loader = spec.loader
    if loader is None:
        return os.getcwd()
    if hasattr(loader, "get_filename"):
        filepath = t.cast(str, loader.get_filename(import_name))
    else:
        __import__(import_name)
        mod = sys.modules[import_name]
        mod_file: str | None = getattr(mod, "__file__", None)
        if mod_file is None:
            raise RuntimeError(
                "No root path can be found for the provided module"
                f" {import_name!r}. This can happen because the module"
                " came from an import hook that does not provide file"
                " name information or because it's a namespace package."
                " In this case the root path needs to be explicitly"
                " provided."
            )
        filepath = mod_file
    return os.path.dirname(os.path.abspath(filepath))


class Scaffold:
    """Registries and decorators common to :class:`~erlen.Erlen` and :class:`~erlen.Blueprint`.

    Args:
        import_name: the module the object is defined in (``__name__``); used
            to locate ``root_path``.
        static_folder: folder of static files, relative to ``root_path``.
        static_url_path: URL prefix of the static route; defaults to
            ``"/" + basename(static_folder)``.
        template_folder: folder of templates, relative to ``root_path``.
        root_path: folder that relative paths are resolved against.
    """

    name: str
    _static_folder: str | None = None
    _static_url_path: str | None = None

    def __init__(
        self,
        import_name: str,
        static_folder: str | os.PathLike[str] | None = None,
        static_url_path: str | None = None,
        template_folder: str | os.PathLike[str] | None = None,
        root_path: str | None = None,
    ) -> None:
        #: The ``__name__`` of the module that defines this object.
        self.import_name = import_name
        self.static_folder = static_folder
        self.static_url_path = static_url_path
        #: Folder of templates relative to :attr:`root_path`, or ``None``.
        self.template_folder = template_folder
        if root_path is None:
            root_path = get_root_path(self.import_name)
        #: Absolute folder that relative resource paths are resolved against.
        self.root_path = root_path
        #: ``{endpoint: view function}``
        self.view_functions: dict[str, ft.RouteCallable] = {}
        #: ``{scope: {code or None: {exception class: handler}}}``; scope ``None`` is the app.
        self.error_handler_spec: ErrorHandlerSpec = defaultdict(
            lambda: defaultdict(dict)
        )
        #: ``{scope: [function]}`` for each hook, scope ``None`` being the app.
        self.before_request_funcs: dict[
            ft.AppOrBlueprintKey, list[ft.BeforeRequestCallable]
        ] = defaultdict(list)
        self.after_request_funcs: dict[
            ft.AppOrBlueprintKey, list[ft.AfterRequestCallable[t.Any]]
        ] = defaultdict(list)
        self.teardown_request_funcs: dict[
            ft.AppOrBlueprintKey, list[ft.TeardownCallable]
        ] = defaultdict(list)
        self.template_context_processors: dict[
            ft.AppOrBlueprintKey, list[ft.TemplateContextProcessorCallable]
        ] = defaultdict(list)
        self.url_value_preprocessors: dict[
            ft.AppOrBlueprintKey, list[ft.URLValuePreprocessorCallable]
        ] = defaultdict(list)
        self.url_default_functions: dict[
            ft.AppOrBlueprintKey, list[ft.URLDefaultCallable]
        ] = defaultdict(list)
        #: ``{scope: [function]}`` run before and after WebSocket handlers (ASGI).
        self.before_websocket_funcs: dict[
            ft.AppOrBlueprintKey, list[ft.BeforeRequestCallable]
        ] = defaultdict(list)
        self.after_websocket_funcs: dict[
            ft.AppOrBlueprintKey, list[t.Callable[..., t.Any]]
        ] = defaultdict(list)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r}>"

    def _check_setup_finished(self, f_name: str) -> None:
        raise NotImplementedError

    @property
    def static_folder(self) -> str | None:
        """The absolute path of the static folder, or ``None``."""
        if self._static_folder is not None:
            return os.path.join(self.root_path, self._static_folder)
        return None

    @static_folder.setter
    def static_folder(self, value: str | os.PathLike[str] | None) -> None:
        if value is not None:
            value = os.fspath(value).rstrip(r"\/")
        self._static_folder = value

    @property
    def has_static_folder(self) -> bool:
        """Whether :attr:`static_folder` is set."""
        return self.static_folder is not None

    @property
    def static_url_path(self) -> str | None:
        """URL prefix of the static route, without a trailing slash."""
        if self._static_url_path is not None:
            return self._static_url_path
        if self.static_folder is not None:
            basename = os.path.basename(self.static_folder)
            return f"/{basename}".rstrip("/")
        return None

    @static_url_path.setter
    def static_url_path(self, value: str | None) -> None:
        if value is not None:
            value = value.rstrip("/")
        self._static_url_path = value

    @cached_property
    def cli(self) -> click.Group:
        """The click group of this object's commands (``@app.cli.command()``).

        Made on first use, by :meth:`_make_cli_group`: PERF: an application
        that never touches it does not import click and :mod:`erlen.cli`.
        """
        return self._make_cli_group()

    def _make_cli_group(self) -> click.Group:
        """Make the group :attr:`cli` holds (implemented by the app and blueprint classes)."""
        raise NotImplementedError

    @cached_property
    def jinja_loader(self) -> BaseLoader | None:
        """A :class:`jinja2.FileSystemLoader` over :attr:`template_folder`, or ``None``."""
        if self.template_folder is not None:
            return FileSystemLoader(os.path.join(self.root_path, self.template_folder))
        return None

    def _method_route(
        self, method: str, rule: str, options: dict[str, t.Any]
    ) -> t.Callable[[T_route], T_route]:
        if "methods" in options:
            raise TypeError("Use the 'route' decorator to use the 'methods' argument.")
        return self.route(rule, methods=[method], **options)

    @setupmethod
    def get(self, rule: str, **options: t.Any) -> t.Callable[[T_route], T_route]:
        """Shortcut for :meth:`route` with ``methods=["GET"]``."""
        return self._method_route("GET", rule, options)

    @setupmethod
    def post(self, rule: str, **options: t.Any) -> t.Callable[[T_route], T_route]:
        """Shortcut for :meth:`route` with ``methods=["POST"]``."""
        return self._method_route("POST", rule, options)

    @setupmethod
    def put(self, rule: str, **options: t.Any) -> t.Callable[[T_route], T_route]:
        """Shortcut for :meth:`route` with ``methods=["PUT"]``."""
        return self._method_route("PUT", rule, options)

    @setupmethod
    def delete(self, rule: str, **options: t.Any) -> t.Callable[[T_route], T_route]:
        """Shortcut for :meth:`route` with ``methods=["DELETE"]``."""
        return self._method_route("DELETE", rule, options)

    @setupmethod
    def patch(self, rule: str, **options: t.Any) -> t.Callable[[T_route], T_route]:
        """Shortcut for :meth:`route` with ``methods=["PATCH"]``."""
        return self._method_route("PATCH", rule, options)

    @setupmethod
    def route(self, rule: str, **options: t.Any) -> t.Callable[[T_route], T_route]:
        """Decorate a view function to register it for the URL ``rule``.

        Args:
            rule: the URL rule, e.g. ``"/user/<int:id>"``.
            **options: ``endpoint``, ``methods`` (an iterable of method names),
                ``provide_automatic_options`` and the options of
                :class:`werkzeug.routing.Rule` (``defaults``, ``subdomain``,
                ``host``, ``strict_slashes``, ``redirect_to``...).
        """

        def decorator(f: T_route) -> T_route:
            endpoint = options.pop("endpoint", None)
            self.add_url_rule(rule, endpoint, f, **options)
            return f

        return decorator

    @setupmethod
    def add_url_rule(
        self,
        rule: str,
        endpoint: str | None = None,
        view_func: ft.RouteCallable | None = None,
        provide_automatic_options: bool | None = None,
        **options: t.Any,
    ) -> None:
        """Register a URL rule; see :meth:`route`."""
        raise NotImplementedError

    @setupmethod
    def websocket(self, rule: str, **options: t.Any) -> t.Callable[[T_websocket], T_websocket]:
        """Decorate an ``async def`` handler to serve WebSocket connections to ``rule`` (ASGI only).

        The handler talks through :data:`erlen.websocket`; it may return a
        response (or raise an HTTP exception) before accepting to reject the
        handshake with that status. Over WSGI the rule answers 400.

        Args:
            rule: the URL rule, with converters as for :meth:`route`.
            **options: ``endpoint`` and the :class:`werkzeug.routing.Rule` options.

        Raises:
            TypeError: the handler is not a coroutine function.
        """

        def decorator(f: T_websocket) -> T_websocket:
            is_async: bool = inspect.iscoroutinefunction(f)
            if not is_async:
                raise TypeError(
                    f"WebSocket handler {getattr(f, '__name__', f)!r} must be"
                    " an 'async def' function."
                )
            endpoint = options.pop("endpoint", None)
            self.add_url_rule(rule, endpoint, f, websocket=True, **options)
            return f

        return decorator

    @setupmethod
    def before_websocket(self, f: T_before_request) -> T_before_request:
        """Register ``f()`` to run before each WebSocket handler; a non-``None`` value rejects the handshake."""
        self.before_websocket_funcs.setdefault(None, []).append(f)
        return f

    @setupmethod
    def after_websocket(self, f: F) -> F:
        """Register ``f(response_or_none)`` to run after each WebSocket handler returns."""
        self.after_websocket_funcs.setdefault(None, []).append(f)
        return f

    @setupmethod
    def endpoint(self, endpoint: str) -> t.Callable[[F], F]:
        """Decorate a view function to serve ``endpoint`` (a rule added without a view)."""

        def decorator(f: F) -> F:
            self.view_functions[endpoint] = f
            return f

        return decorator

    @setupmethod
    def before_request(self, f: T_before_request) -> T_before_request:
        """Register ``f()`` to run before each request; a non-``None`` return value is the response."""
        self.before_request_funcs.setdefault(None, []).append(f)
        return f

    @setupmethod
    def after_request(self, f: T_after_request) -> T_after_request:
        """Register ``f(response) -> response`` to run after each request that did not fail."""
        self.after_request_funcs.setdefault(None, []).append(f)
        return f

    @setupmethod
    def teardown_request(self, f: T_teardown) -> T_teardown:
        """Register ``f(exc)`` to run when the request context pops, even after an error."""
        self.teardown_request_funcs.setdefault(None, []).append(f)
        return f

    @setupmethod
    def context_processor(
        self, f: T_template_context_processor
    ) -> T_template_context_processor:
        """Register ``f() -> dict`` whose items are added to every template context."""
        self.template_context_processors[None].append(f)
        return f

    @setupmethod
    def url_value_preprocessor(
        self, f: T_url_value_preprocessor
    ) -> T_url_value_preprocessor:
        """Register ``f(endpoint, values)`` to edit the matched view arguments before hooks run."""
        self.url_value_preprocessors[None].append(f)
        return f

    @setupmethod
    def url_defaults(self, f: T_url_defaults) -> T_url_defaults:
        """Register ``f(endpoint, values)`` to fill in values when building URLs."""
        self.url_default_functions[None].append(f)
        return f

    @setupmethod
    def errorhandler(
        self, code_or_exception: type[Exception] | int
    ) -> t.Callable[[T_error_handler], T_error_handler]:
        """Decorate a function to handle an HTTP status code or an exception class.

        Args:
            code_or_exception: an HTTP error code (e.g. ``404``) or an
                exception class; handlers are found along the class hierarchy.

        Raises:
            ValueError: ``code_or_exception`` is not a known HTTP error code,
                or is an exception instance rather than a class.
        """

        def decorator(f: T_error_handler) -> T_error_handler:
            self.register_error_handler(code_or_exception, f)
            return f

        return decorator

    @setupmethod
    def register_error_handler(
        self,
        code_or_exception: type[Exception] | int,
        f: ft.ErrorHandlerCallable,
    ) -> None:
        """Register ``f(error)`` as the handler for a code or exception class; see :meth:`errorhandler`."""
        exc_class, code = self._get_exc_class_and_code(code_or_exception)
        self.error_handler_spec[None][code][exc_class] = f

    @staticmethod
    def _get_exc_class_and_code(
        exc_class_or_code: type[Exception] | int,
    ) -> tuple[type[Exception], int | None]:
        exc_class: type[Exception]
        if isinstance(exc_class_or_code, int):
            try:
                exc_class = default_exceptions[exc_class_or_code]
            except KeyError:
                raise ValueError(
                    f"'{exc_class_or_code}' is not a recognized HTTP"
                    " error code. Use a subclass of HTTPException with"
                    " that code instead."
                ) from None
        else:
            exc_class = exc_class_or_code
        if isinstance(exc_class, Exception):
            raise TypeError(
                f"{exc_class!r} is an instance, not a class. Handlers"
                " can only be registered for Exception classes or HTTP"
                " error codes."
            )
        if not issubclass(exc_class, Exception):
            raise ValueError(
                f"'{exc_class.__name__}' is not a subclass of Exception."
                " Handlers can only be registered for Exception classes"
                " or HTTP error codes."
            )
        if issubclass(exc_class, HTTPException):
            return exc_class, exc_class.code
        return exc_class, None
