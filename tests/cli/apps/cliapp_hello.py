"""An app named ``app``, with a command that prints which app is active."""

from __future__ import annotations

import click

from erlen import Erlen
from erlen import current_app

app = Erlen("cliapp_hello")


@app.route("/")
def index() -> str:
    return "hello"


@app.cli.command("whoami")
def whoami() -> None:
    click.echo(f"app={current_app.name}")
