"""A ``create_app`` factory that cannot be called without arguments."""

from __future__ import annotations

from erlen import Erlen


def create_app(config_name: str) -> Erlen:
    return Erlen(config_name)
