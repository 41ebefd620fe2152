"""A package holding the app in its ``__init__``."""

from __future__ import annotations

import click

from erlen import Erlen
from erlen import current_app

app = Erlen("cliapp_pkg")


@app.cli.command("whoami")
def whoami() -> None:
    click.echo(f"app={current_app.name}")
