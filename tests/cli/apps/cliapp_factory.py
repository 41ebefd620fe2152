"""Factories: ``create_app`` with defaults, and others that need arguments."""

from __future__ import annotations

import click

from erlen import Erlen
from erlen import current_app


def _make(name: str) -> Erlen:
    app = Erlen("cliapp_factory")
    app.config["LABEL"] = name

    @app.cli.command("whoami")
    def whoami() -> None:
        click.echo(f"app={current_app.name} label={current_app.config['LABEL']}")

    return app


def create_app(label: str = "default") -> Erlen:
    return _make(label)


def build(label: str, suffix: str = "", *, upper: bool = False) -> Erlen:
    text = label + suffix
    return _make(text.upper() if upper else text)


def broken_factory() -> Erlen:
    return _make(int("not a number"))  # type: ignore[arg-type]


def not_an_app() -> int:
    return 42


NOT_A_FUNCTION = 3
