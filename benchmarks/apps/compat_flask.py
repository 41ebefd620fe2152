"""The unmodified Flask app (flask_app.py) run on erlen through ``erlen.compat.flask``.

Importing this module fails with ImportError while erlen has no compat layer;
the runners then skip it with a note.
"""

from __future__ import annotations

import sys

import erlen.compat.flask

if "flask" in sys.modules:  # pragma: no cover - a runner imported real Flask first
    raise RuntimeError("compat_flask must be imported before anything imports flask")
erlen.compat.flask.install()

from flask_app import app  # noqa: E402

__all__ = ["app"]
