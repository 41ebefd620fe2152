"""A module that raises while it is imported."""

from __future__ import annotations

from erlen import Erlen

app = Erlen("cliapp_broken_error")


def _configure() -> None:
    raise RuntimeError("the database URL is not configured")


_configure()
