"""One app under an unusual name, bound to two names."""

from __future__ import annotations

import click

from erlen import Erlen
from erlen import current_app

my_site = Erlen("cliapp_single")
same_site = my_site


@my_site.cli.command("whoami")
def whoami() -> None:
    click.echo(f"app={current_app.name}")
