"""A submodule of a package with its own app."""

from __future__ import annotations

import click

from erlen import Erlen
from erlen import current_app

web_app = Erlen("cliapp_pkg.web")


@web_app.cli.command("whoami")
def whoami() -> None:
    click.echo(f"app={current_app.name}")
