"""A ``create_app`` factory that forgets to return the app."""

from __future__ import annotations

from erlen import Erlen


def create_app() -> Erlen | None:
    Erlen("cliapp_factory_none")
    return None
