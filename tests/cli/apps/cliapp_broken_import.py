"""A module that fails to import one of its dependencies."""

from __future__ import annotations

import erlen_cli_missing_dependency  # type: ignore[import-not-found]  # noqa: F401
