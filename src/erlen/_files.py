"""File helpers shared by the application and blueprints."""

from __future__ import annotations

import os
import typing as t
from datetime import timedelta

from .helpers import send_from_directory

if t.TYPE_CHECKING:  # pragma: no cover
    from .wrappers import Response


def max_age_seconds(value: timedelta | int | None) -> int | None:
    """``SEND_FILE_MAX_AGE_DEFAULT`` as whole seconds (``None`` stays ``None``)."""
    if isinstance(value, timedelta):
        return int(value.total_seconds())
    return value


def send_static(static_folder: str | None, filename: str, max_age: int | None) -> Response:
    """Send ``filename`` from ``static_folder``: the view of a ``static`` endpoint.

    Raises:
        RuntimeError: there is no static folder.
        werkzeug.exceptions.NotFound: no such file, or it escapes the folder.
    """
    if static_folder is None:
        raise RuntimeError("'static_folder' must be set to serve static_files.")
    return send_from_directory(static_folder, filename, max_age=max_age)


def open_for_reading(
    root_path: str, resource: str, mode: str, encoding: str | None
) -> t.IO[t.AnyStr]:
    """Open ``resource`` below ``root_path`` for reading, in text or binary ``mode``.

    Raises:
        ValueError: ``mode`` is not a read mode.
    """
    if mode not in {"r", "rt", "rb"}:
        raise ValueError("Resources can only be opened for reading.")
    path = os.path.join(root_path, resource)
    if mode == "rb":
        return open(path, mode)
    return open(path, mode, encoding=encoding)
