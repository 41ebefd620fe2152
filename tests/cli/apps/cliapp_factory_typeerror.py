"""A ``create_app`` factory whose body raises TypeError itself."""

from __future__ import annotations

from erlen import Erlen


def create_app() -> Erlen:
    return Erlen(len(5))  # type: ignore[arg-type]
