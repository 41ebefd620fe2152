"""The protocol-independent application core: registries, config, URL building.

:class:`App` holds everything that is decided at registration time. The
request-time dispatch lives on :class:`erlen.Erlen`, which the WSGI and ASGI
fronts drive.
"""

from __future__ import annotations

import logging
import os
import sys
import typing as t
import weakref
from datetime import timedelta
from functools import cached_property
from itertools import chain
from urllib.parse import quote as _url_quote

from werkzeug.exceptions import Aborter
from werkzeug.exceptions import BadRequest
from werkzeug.exceptions import BadRequestKeyError
from werkzeug.routing import BuildError
from werkzeug.routing import Map
from werkzeug.routing import MapAdapter
from werkzeug.routing import Rule
from werkzeug.utils import redirect as _wz_redirect

from .. import typing as ft
from .._routing import Rule as _RuleWithLazyBuilders
from ..config import Config
from ..config import ConfigAttribute
from ..ctx import _AppCtxGlobals
from ..globals import _cv_app
from ..globals import _cv_request
from ..json.provider import DefaultJSONProvider
from ..json.provider import JSONProvider
from ..logging import create_logger
from ..templating import _default_template_ctx_processor
from ._router import needs_werkzeug
from .scaffold import Scaffold
from .scaffold import _endpoint_from_view_func
from .scaffold import _split_blueprint_path
from .scaffold import find_package
from .scaffold import get_root_path
from .scaffold import setupmethod

if t.TYPE_CHECKING:  # pragma: no cover
    from werkzeug.wrappers import Response as BaseResponse

    from ..templating import Environment
    from ._router import CompiledRouter
    from .blueprints import Blueprint

T_shell_context_processor = t.TypeVar(
    "T_shell_context_processor", bound=ft.ShellContextProcessorCallable
)
T_teardown = t.TypeVar("T_teardown", bound=ft.TeardownCallable)
T_template_filter = t.TypeVar("T_template_filter", bound=ft.TemplateFilterCallable)
T_template_global = t.TypeVar("T_template_global", bound=ft.TemplateGlobalCallable)
T_template_test = t.TypeVar("T_template_test", bound=ft.TemplateTestCallable)


def _make_timedelta(value: timedelta | int | None) -> timedelta | None:
    if value is None or isinstance(value, timedelta):
        return value
    return timedelta(seconds=value)


#: Flask 3.1's default configuration, key for key.
DEFAULT_CONFIG: dict[str, t.Any] = {
    "DEBUG": None,
    "TESTING": False,
    "PROPAGATE_EXCEPTIONS": None,
    "SECRET_KEY": None,
    "SECRET_KEY_FALLBACKS": None,
    "PERMANENT_SESSION_LIFETIME": timedelta(days=31),
    "USE_X_SENDFILE": False,
    "TRUSTED_HOSTS": None,
    "SERVER_NAME": None,
    "APPLICATION_ROOT": "/",
    "SESSION_COOKIE_NAME": "session",
    "SESSION_COOKIE_DOMAIN": None,
    "SESSION_COOKIE_PATH": None,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SECURE": False,
    "SESSION_COOKIE_PARTITIONED": False,
    "SESSION_COOKIE_SAMESITE": None,
    "SESSION_REFRESH_EACH_REQUEST": True,
    "MAX_CONTENT_LENGTH": None,
    "MAX_FORM_MEMORY_SIZE": 500_000,
    "MAX_FORM_PARTS": 1_000,
    "SEND_FILE_MAX_AGE_DEFAULT": None,
    "TRAP_BAD_REQUEST_ERRORS": None,
    "TRAP_HTTP_EXCEPTIONS": False,
    "EXPLAIN_TEMPLATE_LOADING": False,
    "PREFERRED_URL_SCHEME": "http",
    "TEMPLATES_AUTO_RELOAD": None,
    "MAX_COOKIE_SIZE": 4093,
    "PROVIDE_AUTOMATIC_OPTIONS": True,
}


class App(Scaffold):
    """Registration-time part of the application object.

    Args:
        import_name: the application's module name (``__name__``).
        static_url_path: URL prefix of the static route (default
            ``/static``).
        static_folder: folder of static files relative to ``root_path``;
            ``None`` disables the static route.
        static_host: host of the static route, required with
            ``host_matching`` and a static folder.
        host_matching: match rules on ``host`` as well as path.
        subdomain_matching: match rules on their ``subdomain`` relative to
            ``SERVER_NAME``.
        template_folder: folder of templates relative to ``root_path``.
        instance_path: the instance folder; default ``<root>/instance``, or
            ``<prefix>/var/<name>-instance`` for an installed package.
        instance_relative_config: resolve config file names against the
            instance folder instead of ``root_path``.
        root_path: the application's folder, found from ``import_name`` by
            default.

    Raises:
        ValueError: ``instance_path`` is relative, or ``host_matching`` is
            on with a static folder but no ``static_host``.
    """

    #: Class used for :data:`~erlen.g`.
    app_ctx_globals_class = _AppCtxGlobals
    #: Class used for :attr:`config`.
    config_class = Config
    #: Class used to build :attr:`aborter`.
    aborter_class = Aborter
    #: Class used for :attr:`json`.
    json_provider_class: type[JSONProvider] = DefaultJSONProvider
    #: Class used for URL rules made by :meth:`add_url_rule`.
    url_rule_class: type[Rule] = _RuleWithLazyBuilders
    #: Class used for :attr:`url_map`.
    url_map_class = Map
    #: Options passed to the Jinja environment.
    jinja_options: dict[str, t.Any] = {}
    #: Configuration defaults.
    default_config = DEFAULT_CONFIG

    #: ``TESTING`` config key: exceptions propagate to the test client.
    testing = ConfigAttribute[bool]("TESTING")
    #: ``SECRET_KEY`` config key: signs the session cookie.
    secret_key = ConfigAttribute["str | bytes | None"]("SECRET_KEY")
    #: ``PERMANENT_SESSION_LIFETIME`` config key, as a :class:`~datetime.timedelta`.
    permanent_session_lifetime = ConfigAttribute[timedelta](
        "PERMANENT_SESSION_LIFETIME",
        get_converter=_make_timedelta,  # type: ignore[arg-type]
    )

    response_class: type[BaseResponse]
    #: The static-route table, built on first match; see :meth:`_static_route_table`.
    _static_routes: dict[str, dict[str, Rule]] | None = None
    #: An adapter bound once, matching by path and method; ``None`` with host or subdomain matching.
    _path_adapter: MapAdapter | None = None
    #: erlen's compiled router over :attr:`url_map`; ``None`` with host or subdomain matching.
    _router: CompiledRouter | None = None

    def __init__(
        self,
        import_name: str,
        static_url_path: str | None = None,
        static_folder: str | os.PathLike[str] | None = "static",
        static_host: str | None = None,
        host_matching: bool = False,
        subdomain_matching: bool = False,
        template_folder: str | os.PathLike[str] | None = "templates",
        instance_path: str | None = None,
        instance_relative_config: bool = False,
        root_path: str | None = None,
    ) -> None:
        super().__init__(
            import_name=import_name,
            static_folder=static_folder,
            static_url_path=static_url_path,
            template_folder=template_folder,
            root_path=root_path,
        )
        if instance_path is None:
            instance_path = self.auto_find_instance_path()
        elif not os.path.isabs(instance_path):
            raise ValueError(
                "If an instance path is provided it must be absolute."
                " A relative path was given instead."
            )
        #: Absolute path of the instance folder (not created automatically).
        self.instance_path = instance_path
        #: The configuration, a dict with Flask's default keys.
        self.config = self.make_config(instance_relative_config)
        #: Raises HTTP exceptions for :func:`~erlen.abort`.
        self.aborter = self.make_aborter()
        #: The JSON provider: ``dumps``, ``loads``, ``response``.
        self.json: JSONProvider = self.json_provider_class(self)
        #: Functions ``f(error, endpoint, values)`` tried when ``url_for`` fails.
        self.url_build_error_handlers: list[
            t.Callable[[Exception, str, dict[str, t.Any]], str]
        ] = []
        #: Functions ``f(exc)`` run when the app context pops.
        self.teardown_appcontext_funcs: list[ft.TeardownCallable] = []
        #: Functions returning dicts merged into the ``shell`` namespace.
        self.shell_context_processors: list[ft.ShellContextProcessorCallable] = []
        #: Registered blueprints by (possibly dotted) name.
        self.blueprints: dict[str, Blueprint] = {}
        #: Extension state, keyed by extension name.
        self.extensions: dict[str, t.Any] = {}
        #: The URL rules; a :class:`werkzeug.routing.Map`.
        self.url_map = self.url_map_class(host_matching=host_matching)
        self.subdomain_matching = subdomain_matching
        self._got_first_request = False
        self.template_context_processors[None].append(_default_template_ctx_processor)

        if self.has_static_folder:
            assert bool(static_host) == host_matching, (
                "Invalid static_host/host_matching combination"
            )
            self_ref = weakref.ref(self)
            self.add_url_rule(
                f"{self.static_url_path}/<path:filename>",
                endpoint="static",
                host=static_host,
                view_func=lambda **kw: self_ref().send_static_file(**kw),  # type: ignore[union-attr]
            )

    def send_static_file(self, filename: str) -> BaseResponse:
        """Serve ``filename`` from :attr:`static_folder`; see the subclass."""
        raise NotImplementedError

    def _check_setup_finished(self, f_name: str) -> None:
        if self._got_first_request:
            raise AssertionError(
                f"The setup method '{f_name}' can no longer be called"
                " on the application. It has already handled its first"
                " request, any changes will not be applied"
                " consistently.\n"
                "Make sure all imports, decorators, functions, etc."
                " needed to set up the application are done before"
                " running it."
            )

    @cached_property
    def name(self) -> str:  # type: ignore[override]
        """The application's name: the import name, or the script's stem when run as ``__main__``."""
        if self.import_name == "__main__":
            fn: str | None = getattr(sys.modules["__main__"], "__file__", None)
            if fn is None:
                return "__main__"
            return os.path.splitext(os.path.basename(fn))[0]
        return self.import_name

    @cached_property
    def logger(self) -> logging.Logger:
        """The ``logging`` logger named after :attr:`name`, with erlen's default handler."""
        return create_logger(self)

    @cached_property
    def jinja_env(self) -> Environment:
        """The Jinja environment, created on first use by :meth:`create_jinja_environment`."""
        return self.create_jinja_environment()

    def create_jinja_environment(self) -> Environment:
        """Build the Jinja environment; see :class:`erlen.Erlen`."""
        raise NotImplementedError

    def make_config(self, instance_relative: bool = False) -> Config:
        """Build :attr:`config` from :attr:`default_config` with ``DEBUG`` from ``ERLEN_DEBUG``."""
        root_path = self.root_path
        if instance_relative:
            root_path = self.instance_path
        defaults = dict(self.default_config)
        defaults["DEBUG"] = _env_debug()
        return self.config_class(root_path, defaults)

    def make_aborter(self) -> Aborter:
        """Build :attr:`aborter`, the object :func:`~erlen.abort` calls."""
        return self.aborter_class()

    def auto_find_instance_path(self) -> str:
        """Return ``<root>/instance``, or ``<prefix>/var/<name>-instance`` when installed."""
        prefix, package_path = find_package(self.import_name)
        if prefix is None:
            return os.path.join(package_path, "instance")
        return os.path.join(prefix, "var", f"{self.name}-instance")

    def create_global_jinja_loader(self) -> t.Any:
        """Return the loader that searches the app, then each blueprint's templates."""
        from ..templating import DispatchingJinjaLoader

        return DispatchingJinjaLoader(self)  # type: ignore[arg-type]

    def select_jinja_autoescape(self, filename: str | None) -> bool:
        """Autoescape for templates from strings and ``.html/.htm/.xml/.xhtml/.svg`` files."""
        if filename is None:
            return True
        return filename.endswith((".html", ".htm", ".xml", ".xhtml", ".svg"))

    @property
    def debug(self) -> bool:
        """Debug mode (``DEBUG`` config key); also turns on template auto-reload."""
        return bool(self.config["DEBUG"])

    @debug.setter
    def debug(self, value: bool) -> None:
        self.config["DEBUG"] = value
        if self.config["TEMPLATES_AUTO_RELOAD"] is None and "jinja_env" in self.__dict__:
            self.jinja_env.auto_reload = value

    @setupmethod
    def register_blueprint(self, blueprint: Blueprint, **options: t.Any) -> None:
        """Register ``blueprint`` on the app.

        Args:
            blueprint: the blueprint.
            **options: override the blueprint's ``url_prefix``,
                ``subdomain``, ``url_defaults``, ``name`` and
                ``cli_group``; other keys reach :meth:`Blueprint.record` functions.

        Raises:
            ValueError: a different blueprint is registered under the same name.
        """
        blueprint.register(self, options)

    def iter_blueprints(self) -> t.ValuesView[Blueprint]:
        """The registered blueprints, in registration order."""
        return self.blueprints.values()

    @setupmethod
    def add_url_rule(
        self,
        rule: str,
        endpoint: str | None = None,
        view_func: ft.RouteCallable | None = None,
        provide_automatic_options: bool | None = None,
        **options: t.Any,
    ) -> None:
        """Add a URL rule; see :meth:`route` for the arguments.

        ``methods`` defaults to the view's ``methods`` attribute or
        ``("GET",)``; ``HEAD`` is added with ``GET`` by Werkzeug, and
        ``OPTIONS`` unless ``provide_automatic_options`` is false.

        Raises:
            TypeError: ``methods`` is a string.
            AssertionError: another view function is already mapped to ``endpoint``.
        """
        if endpoint is None:
            endpoint = _endpoint_from_view_func(view_func)  # type: ignore[arg-type]
        options["endpoint"] = endpoint
        methods = options.pop("methods", None)
        if methods is None:
            methods = getattr(view_func, "methods", None) or ("GET",)
        if isinstance(methods, str):
            raise TypeError(
                "Allowed methods must be a list of strings, for"
                ' example: @app.route(..., methods=["POST"])'
            )
        methods = {item.upper() for item in methods}
        required_methods: set[str] = set(getattr(view_func, "required_methods", ()))
        if provide_automatic_options is None:
            provide_automatic_options = getattr(
                view_func, "provide_automatic_options", None
            )
        if provide_automatic_options is None:
            if "OPTIONS" not in methods and self.config["PROVIDE_AUTOMATIC_OPTIONS"]:
                provide_automatic_options = True
                required_methods.add("OPTIONS")
            else:
                provide_automatic_options = False
        methods |= required_methods

        rule_obj = self.url_rule_class(rule, methods=methods, **options)
        rule_obj.provide_automatic_options = provide_automatic_options  # type: ignore[attr-defined]
        self.url_map.add(rule_obj)
        self._static_routes = None
        if view_func is not None:
            old_func = self.view_functions.get(endpoint)
            if old_func is not None and old_func != view_func:
                raise AssertionError(
                    "View function mapping is overwriting an existing"
                    f" endpoint function: {endpoint}"
                )
            self.view_functions[endpoint] = view_func

    @setupmethod
    def template_filter(
        self, name: str | None = None
    ) -> t.Callable[[T_template_filter], T_template_filter]:
        """Decorate a function to register it as a Jinja filter, named ``name`` or its ``__name__``."""

        def decorator(f: T_template_filter) -> T_template_filter:
            self.add_template_filter(f, name=name)
            return f

        return decorator

    @setupmethod
    def add_template_filter(
        self, f: ft.TemplateFilterCallable, name: str | None = None
    ) -> None:
        """Register ``f`` as a Jinja filter; see :meth:`template_filter`."""
        self.jinja_env.filters[name or f.__name__] = f

    @setupmethod
    def template_test(
        self, name: str | None = None
    ) -> t.Callable[[T_template_test], T_template_test]:
        """Decorate a function to register it as a Jinja test, named ``name`` or its ``__name__``."""

        def decorator(f: T_template_test) -> T_template_test:
            self.add_template_test(f, name=name)
            return f

        return decorator

    @setupmethod
    def add_template_test(
        self, f: ft.TemplateTestCallable, name: str | None = None
    ) -> None:
        """Register ``f`` as a Jinja test; see :meth:`template_test`."""
        self.jinja_env.tests[name or f.__name__] = f

    @setupmethod
    def template_global(
        self, name: str | None = None
    ) -> t.Callable[[T_template_global], T_template_global]:
        """Decorate a function to make it a Jinja global, named ``name`` or its ``__name__``."""

        def decorator(f: T_template_global) -> T_template_global:
            self.add_template_global(f, name=name)
            return f

        return decorator

    @setupmethod
    def add_template_global(
        self, f: ft.TemplateGlobalCallable, name: str | None = None
    ) -> None:
        """Make ``f`` a Jinja global; see :meth:`template_global`."""
        self.jinja_env.globals[name or f.__name__] = f

    @setupmethod
    def teardown_appcontext(self, f: T_teardown) -> T_teardown:
        """Register ``f(exc)`` to run when each app context pops (after every request too)."""
        self.teardown_appcontext_funcs.append(f)
        return f

    @setupmethod
    def shell_context_processor(
        self, f: T_shell_context_processor
    ) -> T_shell_context_processor:
        """Register ``f() -> dict`` whose items are added to ``erlen shell``'s namespace."""
        self.shell_context_processors.append(f)
        return f

    def _find_error_handler(
        self, e: Exception, blueprints: list[str]
    ) -> ft.ErrorHandlerCallable | None:
        """Return the handler for ``e``: by code then by class, blueprint scopes before the app's."""
        exc_class, code = self._get_exc_class_and_code(type(e))
        names = (*blueprints, None)
        for c in (code, None) if code is not None else (None,):
            for name in names:
                handler_map = self.error_handler_spec[name][c]
                if not handler_map:
                    continue
                for cls in exc_class.__mro__:
                    handler = handler_map.get(cls)
                    if handler is not None:
                        return handler
        return None

    def trap_http_exception(self, e: Exception) -> bool:
        """Whether the HTTP exception ``e`` should propagate instead of being handled.

        Follows ``TRAP_HTTP_EXCEPTIONS`` and ``TRAP_BAD_REQUEST_ERRORS``
        (which defaults to on in debug mode for :class:`BadRequestKeyError`).
        """
        if self.config["TRAP_HTTP_EXCEPTIONS"]:
            return True
        trap_bad_request = self.config["TRAP_BAD_REQUEST_ERRORS"]
        if (
            trap_bad_request is None
            and self.debug
            and isinstance(e, BadRequestKeyError)
        ):
            return True
        if trap_bad_request:
            return isinstance(e, BadRequest)
        return False

    def should_ignore_error(self, error: BaseException | None) -> bool:
        """Whether teardown functions should see ``error`` as ``None`` (never, by default)."""
        return False

    def redirect(self, location: str, code: int = 302) -> BaseResponse:
        """Return a redirect response to ``location`` with status ``code``."""
        return _wz_redirect(location, code=code, Response=self.response_class)

    def inject_url_defaults(self, endpoint: str, values: dict[str, t.Any]) -> None:
        """Let the app's and the endpoint's blueprints' ``url_defaults`` functions fill ``values``."""
        names: t.Iterable[str | None] = (None,)
        if "." in endpoint:
            names = chain(
                names, reversed(_split_blueprint_path(endpoint.rpartition(".")[0]))
            )
        for name in names:
            if name in self.url_default_functions:
                for func in self.url_default_functions[name]:
                    func(endpoint, values)

    def handle_url_build_error(
        self, error: BuildError, endpoint: str, values: dict[str, t.Any]
    ) -> str:
        """Try :attr:`url_build_error_handlers`; the first non-``None`` result is the URL.

        Raises:
            BuildError: no handler produced a URL.
        """
        for handler in self.url_build_error_handlers:
            try:
                rv = handler(error, endpoint, values)
            except BuildError as e:
                error = e
            else:
                if rv is not None:
                    return rv
        if error is sys.exc_info()[1]:
            raise
        raise error

    def url_for(
        self,
        /,
        endpoint: str,
        *,
        _anchor: str | None = None,
        _method: str | None = None,
        _scheme: str | None = None,
        _external: bool | None = None,
        **values: t.Any,
    ) -> str:
        """Build the URL of ``endpoint``; see :func:`erlen.url_for`."""
        req_ctx = _cv_request.get(None)
        if req_ctx is not None:
            url_adapter = req_ctx.url_adapter
            blueprint_name = req_ctx.request.blueprint
            if endpoint[:1] == ".":
                if blueprint_name is not None:
                    endpoint = f"{blueprint_name}{endpoint}"
                else:
                    endpoint = endpoint[1:]
            if _external is None:
                _external = _scheme is not None
        else:
            app_ctx = _cv_app.get(None)
            if app_ctx is not None and app_ctx.app is self:
                url_adapter = app_ctx.url_adapter
            else:
                url_adapter = self.create_url_adapter(None)
            if url_adapter is None:
                raise RuntimeError(
                    "Unable to build URLs outside an active request"
                    " without 'SERVER_NAME' configured. Also configure"
                    " 'APPLICATION_ROOT' and 'PREFERRED_URL_SCHEME' as"
                    " needed."
                )
            if _external is None:
                _external = True
        if _scheme is not None and not _external:
            raise ValueError("When specifying '_scheme', '_external' must be True.")
        self.inject_url_defaults(endpoint, values)
        try:
            rv = url_adapter.build(  # type: ignore[union-attr]
                endpoint,
                values,
                method=_method,
                url_scheme=_scheme,
                force_external=_external,
            )
        except BuildError as error:
            values.update(
                _anchor=_anchor, _method=_method, _scheme=_scheme, _external=_external
            )
            return self.handle_url_build_error(error, endpoint, values)
        if _anchor is not None:
            _anchor = _url_quote(_anchor, safe="%!#$&'()*+,/:;=?@")
            rv = f"{rv}#{_anchor}"
        return rv

    def _static_route_table(self) -> dict[str, dict[str, Rule]]:
        """``{path: {method: rule}}`` for the rules that a plain dict lookup can match.

        Werkzeug tries the rules ending on a static path in registration
        order and takes the first one that allows the method. The table holds
        that first rule for each path and method, when it is a rule a lookup
        can answer for: no arguments, no host, the subdomain every request is
        matched on (``default_subdomain`` or none), and no redirect (no
        ``redirect_to``, alias or default redirect). When the first rule is
        one that redirects, the method is left out, so it still shadows the
        rules after it. With ``host_matching`` or ``subdomain_matching`` the
        table is empty. A path or method missing from the table falls back to
        Werkzeug's matcher, so the table only ever answers the way the
        matcher would.
        """
        # PERF: one dict lookup instead of binding a MapAdapter and running
        # Werkzeug's state machine: about 30 Python calls per request.
        table: dict[str, dict[str, Rule]] = {}
        url_map = self.url_map
        if url_map.host_matching or self.subdomain_matching:
            return table
        subdomain = url_map.default_subdomain or ""
        taken: dict[str, set[str] | None] = {}
        for rule in url_map.iter_rules():
            if (
                rule.arguments
                or rule.build_only
                or rule.websocket
                or rule.subdomain != subdomain
                or rule.host
            ):
                # Matched in another state of the matcher, or never (build
                # only), or skipped for HTTP requests: shadows nothing here.
                continue
            path = rule.rule
            methods_taken = taken.setdefault(path, set())
            if methods_taken is None:
                continue  # an earlier rule allows every method
            eligible = not needs_werkzeug(rule, url_map)
            if rule.methods is None:
                taken[path] = None
                continue
            by_method = table.setdefault(path, {})
            for method in rule.methods:
                if method not in methods_taken:
                    methods_taken.add(method)
                    if eligible:
                        by_method[method] = rule
        return table

    def create_url_adapter(self, request: t.Any) -> t.Any:
        """Return a URL adapter for ``request``; see :class:`erlen.Erlen`."""
        raise NotImplementedError


def _env_debug() -> bool:
    """``ERLEN_DEBUG`` (or ``FLASK_DEBUG``) from the environment, as a bool."""
    val = os.environ.get("ERLEN_DEBUG") or os.environ.get("FLASK_DEBUG")
    return bool(val and val.lower() not in {"0", "false", "no"})


# Keep a reference for users that imported it from here (Flask exposes it in helpers).
__all__ = ["App", "DEFAULT_CONFIG", "get_root_path"]
