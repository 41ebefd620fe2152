"""The ``shell`` and ``routes`` commands."""

from __future__ import annotations

import importlib
import os
import sys
import typing as t
from operator import itemgetter
from types import ModuleType

import click

from ._core import _current_app_object
from ._core import with_appcontext

if t.TYPE_CHECKING:  # pragma: no cover
    from ..app import Erlen


# --------------------------------------------------------------------------
# shell
# --------------------------------------------------------------------------


def _run_startup_file(namespace: dict[str, t.Any]) -> None:
    """Run the ``PYTHONSTARTUP`` file into ``namespace``, as the Python REPL does."""
    startup = os.environ.get("PYTHONSTARTUP")
    if not startup or not os.path.isfile(startup):
        return
    with open(startup, encoding="utf-8") as f:
        source = f.read()
    # NOTE: this is the user's own startup file, run as the plain Python
    # REPL would run it.
    exec(compile(source, startup, "exec"), namespace)


@click.command("shell", short_help="Run a shell in the app context.")
@click.option(
    "--interface",
    type=click.Choice(("auto", "ipython", "python")),
    default="auto",
    show_default=True,
    help="The shell to use: 'auto' picks IPython when it is installed.",
)
@with_appcontext
def shell_command(interface: str) -> None:
    """Run an interactive Python shell inside the app context.

    The namespace holds 'app', 'g' and the names returned by the
    application's shell context processors. IPython is used when it is
    installed; the plain shell runs the PYTHONSTARTUP file first.
    """
    app = t.cast("Erlen", _current_app_object())
    banner_lines = [
        f"Python {sys.version} on {sys.platform}",
        f"App: {app.import_name}",
    ]
    instance_path = getattr(app, "instance_path", None)
    if instance_path:
        banner_lines.append(f"Instance: {instance_path}")
    banner = "\n".join(banner_lines)

    ipython: ModuleType | None = None
    if interface != "python":
        try:
            ipython = importlib.import_module("IPython")
        except ImportError:
            if interface == "ipython":
                raise click.UsageError(
                    "IPython is not installed (pip install ipython)."
                ) from None

    if ipython is not None:
        namespace = dict(app.make_shell_context())
        click.echo(banner)
        # IPython runs PYTHONSTARTUP itself; argv=[] keeps it from reading
        # erlen's own arguments.
        ipython.start_ipython(argv=[], user_ns=namespace)
        return

    import code

    namespace = {}
    _run_startup_file(namespace)
    namespace.update(app.make_shell_context())

    # Tab completion on the shell's own names, as the plain REPL sets up
    # through sys.__interactivehook__; only for a terminal, so history files
    # are not touched otherwise.
    hook = getattr(sys, "__interactivehook__", None)
    if hook is not None and sys.stdin.isatty():
        try:
            import readline
            from rlcompleter import Completer
        except ImportError:  # pragma: no cover - platform without readline
            pass
        else:
            hook()
            readline.set_completer(Completer(namespace).complete)

    code.interact(banner=banner, local=namespace)


# --------------------------------------------------------------------------
# routes
# --------------------------------------------------------------------------


@click.command("routes", short_help="Show the routes for the app.")
@click.option(
    "--sort",
    "-s",
    type=click.Choice(("endpoint", "methods", "domain", "rule", "match")),
    default="endpoint",
    help=(
        "Sort the routes by this column. 'match' keeps the order in which"
        " the rules were added."
    ),
)
@click.option("--all-methods", is_flag=True, help="Show HEAD and OPTIONS too.")
@with_appcontext
def routes_command(sort: str, all_methods: bool) -> None:
    """Show the routes of the app: endpoint, methods and rule.

    A Subdomain (or Host) column appears when a route uses one.
    """
    app = t.cast("Erlen", _current_app_object())
    rules = list(app.url_map.iter_rules())

    if not rules:
        click.echo("No routes were registered.")
        return

    hidden_methods = set() if all_methods else {"HEAD", "OPTIONS"}
    host_matching = bool(app.url_map.host_matching)

    def domain_of(rule: t.Any) -> str:
        return str((rule.host if host_matching else rule.subdomain) or "")

    has_domain = any(domain_of(rule) for rule in rules)

    headers = ["Endpoint", "Methods"]
    columns = ["endpoint", "methods"]
    if has_domain:
        headers.append("Host" if host_matching else "Subdomain")
        columns.append("domain")
    headers.append("Rule")
    columns.append("rule")

    rows: list[list[str]] = []
    for rule in rules:
        row = [
            str(rule.endpoint),
            ", ".join(sorted((rule.methods or set()) - hidden_methods)),
        ]
        if has_domain:
            row.append(domain_of(rule))
        row.append(rule.rule)
        rows.append(row)

    if sort in columns:
        rows.sort(key=itemgetter(columns.index(sort)))

    widths = [max(len(row[i]) for row in [headers, *rows]) for i in range(len(headers))]
    line = "  ".join(f"{{{i}:<{width}}}" for i, width in enumerate(widths))

    # COMPAT: the same layout as `flask routes`, padding included, so
    # scripts reading it keep working.
    click.echo(line.format(*headers))
    click.echo(line.format(*("-" * width for width in widths)))
    for row in rows:
        click.echo(line.format(*row))


