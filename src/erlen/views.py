"""Class-based views: :class:`View` and the per-HTTP-method :class:`MethodView`.

A class-based view is turned into an ordinary view function with
:meth:`View.as_view` and registered with ``app.add_url_rule``. The
function carries the class's ``methods`` and ``provide_automatic_options``
so the routing layer picks them up, exactly as Flask's do.
"""

from __future__ import annotations

import typing as t

from .globals import current_app
from .globals import request

if t.TYPE_CHECKING:  # pragma: no cover
    from .typing import ResponseReturnValue
    from .typing import RouteCallable

#: The lowercase names :class:`MethodView` looks for as method handlers.
http_method_funcs = frozenset(
    ["get", "post", "head", "options", "delete", "put", "trace", "patch"]
)


class View:
    """Base class for views written as classes; subclass and override :meth:`dispatch_request`.

    URL variables are passed to :meth:`dispatch_request` as keyword
    arguments. By default a new instance is created for every request with
    the ``class_args`` / ``class_kwargs`` given to :meth:`as_view`, so
    storing data on ``self`` is safe; set :attr:`init_every_request` to
    ``False`` to build a single instance when :meth:`as_view` is called
    (faster, but then ``self`` is shared by all requests and threads; keep
    per-request data on ``g``).

    Example::

        class Hello(View):
            methods = ["GET", "POST"]

            def dispatch_request(self, name: str) -> str:
                return f"Hello, {name}!"

        app.add_url_rule("/hello/<name>", view_func=Hello.as_view("hello"))
    """

    #: The HTTP methods the view accepts, e.g. ``["GET", "POST"]``; ``None``
    #: lets ``add_url_rule`` decide (``GET`` unless given). Copied onto the
    #: view function by :meth:`as_view`.
    methods: t.ClassVar[t.Collection[str] | None] = None

    #: Whether the routing layer answers ``OPTIONS`` automatically; ``None``
    #: uses the app's default (``PROVIDE_AUTOMATIC_OPTIONS``).
    provide_automatic_options: t.ClassVar[bool | None] = None

    #: Decorators applied, in order, to the view function made by
    #: :meth:`as_view` (the first one is innermost). Decorating the class
    #: itself would not affect the view function, so list them here.
    decorators: t.ClassVar[list[t.Callable[..., t.Any]]] = []

    #: Create a new instance for each request (``True``, the default), or
    #: one instance when :meth:`as_view` is called and reuse it (``False``).
    init_every_request: t.ClassVar[bool] = True

    def dispatch_request(self) -> ResponseReturnValue:
        """Produce the response for the current request; the view body.

        URL variables arrive as keyword arguments. May be ``async``; the view
        function runs it through ``current_app.ensure_sync``.

        Returns:
            Anything a view function may return.

        Raises:
            NotImplementedError: The subclass did not override it.
        """
        raise NotImplementedError()

    @classmethod
    def as_view(
        cls, name: str, *class_args: t.Any, **class_kwargs: t.Any
    ) -> RouteCallable:
        """Convert the class into a view function for ``add_url_rule``.

        Args:
            name: The function's ``__name__``, which is the default endpoint
                name when registered.
            *class_args: Positional arguments for the class constructor.
            **class_kwargs: Keyword arguments for the class constructor.

        Returns:
            A view function. It has the attributes ``view_class`` (this
            class; with ``init_every_request`` each request instantiates
            whatever ``view_class`` is at that moment), ``methods`` and
            ``provide_automatic_options`` (copied from the class), and
            ``__name__``, ``__doc__`` and ``__module__`` (``name`` and the
            class's), after :attr:`decorators` have been applied.
        """
        view: t.Any
        if cls.init_every_request:

            def view(**kwargs: t.Any) -> ResponseReturnValue:
                instance = view.view_class(*class_args, **class_kwargs)
                return current_app.ensure_sync(instance.dispatch_request)(**kwargs)  # type: ignore[no-any-return]

        else:
            shared = cls(*class_args, **class_kwargs)

            def view(**kwargs: t.Any) -> ResponseReturnValue:
                return current_app.ensure_sync(shared.dispatch_request)(**kwargs)  # type: ignore[no-any-return]

        if cls.decorators:
            # NOTE: decorators such as functools.wraps copy these, so set
            # them before decorating as well as after.
            view.__name__ = name
            view.__module__ = cls.__module__
            for decorator in cls.decorators:
                view = decorator(view)

        view.view_class = cls
        view.__name__ = name
        view.__doc__ = cls.__doc__
        view.__module__ = cls.__module__
        view.methods = cls.methods
        view.provide_automatic_options = cls.provide_automatic_options
        return t.cast("RouteCallable", view)


class MethodView(View):
    """Dispatch each HTTP method to the instance method of the same name.

    ``GET`` calls ``get``, ``POST`` calls ``post``, and so on; a ``HEAD``
    request falls back to ``get`` when there is no ``head``. Unless the
    subclass sets :attr:`~View.methods` itself, it is computed when the
    class is created: the ``methods`` of its bases plus the upper-cased
    name of each handler it defines or inherits (``get``, ``post``,
    ``head``, ``options``, ``delete``, ``put``, ``trace``, ``patch``).
    Handlers may be ``async``.

    Example::

        class CounterAPI(MethodView):
            def get(self) -> str:
                return str(session.get("counter", 0))

            def post(self) -> str:
                session["counter"] = session.get("counter", 0) + 1
                return "OK"

        app.add_url_rule("/counter", view_func=CounterAPI.as_view("counter"))
    """

    def __init_subclass__(cls, **kwargs: t.Any) -> None:
        super().__init_subclass__(**kwargs)
        if "methods" in cls.__dict__:
            return
        found: set[str] = set()
        for base in cls.__bases__:
            base_methods = getattr(base, "methods", None)
            if base_methods:
                found.update(base_methods)
        found.update(name.upper() for name in http_method_funcs if hasattr(cls, name))
        if found:
            cls.methods = found

    def dispatch_request(self, **kwargs: t.Any) -> ResponseReturnValue:
        """Call the handler for ``request.method`` with the URL variables.

        Args:
            **kwargs: The URL variables.

        Returns:
            What the handler returns.

        Raises:
            AssertionError: The class has no handler for the method (the
                route allowed a method the class does not implement).
        """
        method = request.method
        handler = getattr(self, method.lower(), None)
        if handler is None and method == "HEAD":
            handler = getattr(self, "get", None)
        assert handler is not None, f"Unimplemented method {method!r}"
        return current_app.ensure_sync(handler)(**kwargs)  # type: ignore[no-any-return]
