"""Jinja2 integration: the app's environment, its loader and the render helpers.

The environment's loader looks a template up in the application's own
template folder first and then in every registered blueprint's folder, in
registration order, so an application can override any blueprint template
by placing a file with the same name in its own folder (Flask's documented
"blueprint templates" rule). The render helpers run the app's template
context processors, send the :data:`~erlen.signals.before_render_template`
and :data:`~erlen.signals.template_rendered` signals, and return a string
(or, for the ``stream_*`` variants, an iterator of strings).
"""

from __future__ import annotations

import typing as t

from jinja2 import BaseLoader
from jinja2 import Environment as BaseEnvironment
from jinja2 import Template
from jinja2 import TemplateNotFound

from .globals import _cv_app
from .globals import _cv_request
from .globals import _no_app_msg
from .helpers import stream_with_context
from .signals import before_render_template
from .signals import template_rendered

if t.TYPE_CHECKING:  # pragma: no cover
    from .app import Erlen
    from .sansio.scaffold import Scaffold

#: What a loader's ``get_source`` returns: ``(source, filename or None,
#: uptodate callable or None)``.
_SourceTuple = tuple[str, str | None, t.Callable[[], bool] | None]


def _default_template_ctx_processor() -> dict[str, t.Any]:
    """Put the concrete ``g`` and ``request`` objects into the template context.

    This is the processor registered under ``None`` in
    ``app.template_context_processors``. ``g`` is added whenever an app
    context is active and ``request`` while a request context is active;
    the concrete objects replace the ``g`` / ``request`` proxies that are
    also environment globals, which makes lookups cheaper.

    ``session`` is deliberately not added: templates reach it through the
    ``session`` proxy global, so a template that never touches the session
    does not open it (and the response does not get ``Vary: Cookie``),
    as in Flask 3.1.

    Returns:
        A dict with the keys ``"g"`` and ``"request"`` when their contexts
        are active; empty outside any context.
    """
    values: dict[str, t.Any] = {}
    app_ctx = _cv_app.get(None)
    if app_ctx is not None:
        values["g"] = app_ctx.g
    req_ctx = _cv_request.get(None)
    if req_ctx is not None:
        values["request"] = req_ctx.request
        # COMPAT: no "session" key; reading it would open the session and
        # mark it accessed. The env global proxy resolves it on demand.
    return values


class Environment(BaseEnvironment):
    """The Jinja environment an :class:`~erlen.Erlen` app renders with.

    It differs from :class:`jinja2.Environment` only in knowing its app and
    in its default loader: unless ``loader`` is passed, it uses
    ``app.create_global_jinja_loader()`` (a :class:`DispatchingJinjaLoader`),
    which searches the app's template folder and then the blueprints'.
    Autoescaping, auto-reload, the globals (``url_for``, ``config``, ...) and
    the ``json.dumps_function`` policy are set by
    ``app.create_jinja_environment()``.

    Args:
        app: The application the environment belongs to; kept as ``app``.
        **options: Any :class:`jinja2.Environment` keyword argument.
    """

    def __init__(self, app: Erlen, **options: t.Any) -> None:
        if "loader" not in options:
            options["loader"] = app.create_global_jinja_loader()
        super().__init__(**options)
        #: The application this environment renders for.
        self.app = app


class DispatchingJinjaLoader(BaseLoader):
    """Find templates in the app's template folder, then in blueprints'.

    The app's own ``jinja_loader`` is asked first, then each blueprint's
    ``jinja_loader`` in the order of ``app.iter_blueprints()`` (registration
    order); the first loader that has the template wins. Objects whose
    ``jinja_loader`` is ``None`` (no ``template_folder``) are skipped.

    When the ``EXPLAIN_TEMPLATE_LOADING`` config value is true, every loader
    is asked, and a report of each attempt (which loader, where it looked,
    whether it matched) is logged at ``INFO`` level through ``app.logger``,
    as Flask does to help debug "why did this template get picked".

    Args:
        app: The application whose loaders to dispatch to.
    """

    def __init__(self, app: Erlen) -> None:
        self.app = app

    def get_source(self, environment: BaseEnvironment, template: str) -> _SourceTuple:
        """Return the source of ``template`` from the first loader that has it.

        Args:
            environment: The Jinja environment asking.
            template: The template name, e.g. ``"admin/index.html"``.

        Returns:
            ``(source, filename, uptodate)`` as Jinja expects from a loader.

        Raises:
            jinja2.TemplateNotFound: No loader has the template.
        """
        if self.app.config["EXPLAIN_TEMPLATE_LOADING"]:
            return self._get_source_explained(environment, template)
        for _owner, loader in self._iter_loaders():
            try:
                return loader.get_source(environment, template)
            except TemplateNotFound:
                continue
        raise TemplateNotFound(template)

    def _get_source_explained(
        self, environment: BaseEnvironment, template: str
    ) -> _SourceTuple:
        attempts: list[tuple[BaseLoader, Scaffold, _SourceTuple | None]] = []
        found: _SourceTuple | None = None
        for owner, loader in self._iter_loaders():
            try:
                result: _SourceTuple | None = loader.get_source(environment, template)
            except TemplateNotFound:
                result = None
            if found is None:
                found = result
            attempts.append((loader, owner, result))
        _explain_template_loading_attempts(self.app, template, attempts)
        if found is None:
            raise TemplateNotFound(template)
        return found

    def _iter_loaders(self) -> t.Iterator[tuple[Scaffold, BaseLoader]]:
        app_loader = self.app.jinja_loader
        if app_loader is not None:
            yield self.app, app_loader
        for blueprint in self.app.iter_blueprints():
            bp_loader = blueprint.jinja_loader
            if bp_loader is not None:
                yield blueprint, bp_loader

    def list_templates(self) -> list[str]:
        """List the template names every loader can provide, deduplicated.

        Returns:
            The names from the app's loader and all blueprints' loaders, in
            no particular order.
        """
        names: set[str] = set()
        for _owner, loader in self._iter_loaders():
            names.update(loader.list_templates())
        return list(names)


def _describe_owner(app: Erlen, owner: Scaffold) -> str:
    if owner is app:
        return f"application {owner.import_name!r}"
    name = getattr(owner, "name", "?")
    return f"blueprint {name!r} ({owner.import_name})"


def _describe_loader(loader: BaseLoader) -> list[str]:
    cls = type(loader)
    lines = [f"class: {cls.__module__}.{cls.__name__}"]
    searchpath = getattr(loader, "searchpath", None)
    if searchpath is not None:
        lines.append("searchpath:")
        lines.extend(f"  {path}" for path in searchpath)
    package = getattr(loader, "package_name", None)
    if package is not None:
        lines.append(f"package: {package}")
    return lines


def _explain_template_loading_attempts(
    app: Erlen,
    template: str,
    attempts: list[tuple[BaseLoader, Scaffold, _SourceTuple | None]],
) -> None:
    """Log, at INFO level, where ``template`` was looked for and found."""
    report = [f"Locating template {template!r}:"]
    matches = 0
    req_ctx = _cv_request.get(None)
    blueprint = req_ctx.request.blueprint if req_ctx is not None else None
    for number, (loader, owner, result) in enumerate(attempts, 1):
        report.append(f"{number:5}: trying loader of {_describe_owner(app, owner)}")
        report.extend(f"       {line}" for line in _describe_loader(loader))
        if result is None:
            report.append("       -> no match")
        else:
            matches += 1
            report.append(f"       -> found ({result[1] or '<string>'!r})")
    if matches == 0:
        report.append("Error: the template could not be found.")
        if blueprint is not None:
            report.append(
                "  The template was looked up from an endpoint that belongs"
                f" to the blueprint {blueprint!r}."
            )
            report.append("  Maybe you did not place a template in the right folder?")
            report.append(
                "  See https://flask.palletsprojects.com/blueprints/#templates"
            )
    elif matches > 1:
        report.append("Warning: multiple loaders returned a match for the template.")
        report.append(
            "  The first match is used; templates in later loaders are shadowed."
        )
    app.logger.info("\n".join(report))


def _current_app() -> Erlen:
    app_ctx = _cv_app.get(None)
    if app_ctx is None:
        raise RuntimeError(_no_app_msg)
    return app_ctx.app


def _prepare(app: Erlen, template: Template, context: dict[str, t.Any]) -> None:
    """Run the context processors and send ``before_render_template``."""
    app.update_template_context(context)
    if before_render_template.receivers:
        before_render_template.send(
            app, _async_wrapper=app.ensure_sync, template=template, context=context
        )


def _rendered(app: Erlen, template: Template, context: dict[str, t.Any]) -> None:
    if template_rendered.receivers:
        template_rendered.send(
            app, _async_wrapper=app.ensure_sync, template=template, context=context
        )


def _render(app: Erlen, template: Template, context: dict[str, t.Any]) -> str:
    _prepare(app, template, context)
    text = template.render(context)
    _rendered(app, template, context)
    return text


def _stream(
    app: Erlen, template: Template, context: dict[str, t.Any]
) -> t.Iterator[str]:
    _prepare(app, template, context)

    def chunks() -> t.Iterator[str]:
        yield from template.generate(context)
        _rendered(app, template, context)

    stream = chunks()
    # COMPAT: Flask keeps the request context alive for the whole stream
    # when one is active, so the template can still read request/session.
    if _cv_request.get(None) is not None:
        stream = stream_with_context(stream)
    return stream


def render_template(
    template_name_or_list: str | Template | list[str | Template],
    **context: t.Any,
) -> str:
    """Render a template from the app's template folders with ``context``.

    The context is extended by the app's and the current blueprint's
    context processors (values passed here win), and the
    ``before_render_template`` / ``template_rendered`` signals are sent,
    as in Flask.

    Args:
        template_name_or_list: A template name, a :class:`jinja2.Template`,
            or a list of them; for a list the first one that exists is used.
        **context: Variables made available in the template.

    Returns:
        The rendered text.

    Raises:
        RuntimeError: No app context is active.
        jinja2.TemplateNotFound: The template (or none of the list, then
            :class:`jinja2.TemplatesNotFound`) exists.
    """
    app = _current_app()
    template = app.jinja_env.get_or_select_template(template_name_or_list)
    return _render(app, template, context)


def render_template_string(source: str, **context: t.Any) -> str:
    """Render a template given as source text, like :func:`render_template`.

    Autoescaping follows ``app.select_jinja_autoescape(None)``, which is on
    for string templates in Flask.

    Args:
        source: The Jinja template source.
        **context: Variables made available in the template.

    Returns:
        The rendered text.

    Raises:
        RuntimeError: No app context is active.
        jinja2.TemplateSyntaxError: ``source`` is not a valid template.
    """
    app = _current_app()
    template = app.jinja_env.from_string(source)
    return _render(app, template, context)


def stream_template(
    template_name_or_list: str | Template | list[str | Template],
    **context: t.Any,
) -> t.Iterator[str]:
    """Render a template as a stream of text chunks, for a streamed response.

    The context processors and ``before_render_template`` run right away;
    ``template_rendered`` is sent once the stream is exhausted. When a
    request context is active the iterator is wrapped with
    :func:`~erlen.stream_with_context`, so ``request`` and ``session`` stay
    usable while the response body is produced, as in Flask.

    Args:
        template_name_or_list: A template name, a :class:`jinja2.Template`,
            or a list of them; for a list the first one that exists is used.
        **context: Variables made available in the template.

    Returns:
        An iterator of strings; pass it to a response as its body.

    Raises:
        RuntimeError: No app context is active.
        jinja2.TemplateNotFound: The template does not exist.
    """
    app = _current_app()
    template = app.jinja_env.get_or_select_template(template_name_or_list)
    return _stream(app, template, context)


def stream_template_string(source: str, **context: t.Any) -> t.Iterator[str]:
    """Stream a template given as source text, like :func:`stream_template`.

    Args:
        source: The Jinja template source.
        **context: Variables made available in the template.

    Returns:
        An iterator of strings; pass it to a response as its body.

    Raises:
        RuntimeError: No app context is active.
        jinja2.TemplateSyntaxError: ``source`` is not a valid template.
    """
    app = _current_app()
    template = app.jinja_env.from_string(source)
    return _stream(app, template, context)
