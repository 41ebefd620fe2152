"""An app named ``application`` next to a second instance: the name wins."""

from __future__ import annotations

import click

from erlen import Erlen
from erlen import current_app

other = Erlen("cliapp_other")
application = Erlen("cliapp_application")


@application.cli.command("whoami")
def whoami() -> None:
    click.echo(f"app={current_app.name}")
