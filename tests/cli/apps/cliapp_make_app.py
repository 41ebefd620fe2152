"""A ``make_app`` factory."""

from __future__ import annotations

import click

from erlen import Erlen
from erlen import current_app


def make_app() -> Erlen:
    app = Erlen("cliapp_make_app")

    @app.cli.command("whoami")
    def whoami() -> None:
        click.echo(f"app={current_app.name}")

    return app
