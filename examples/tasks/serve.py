"""The app for servers: ``uvicorn examples.tasks.serve:app.asgi_app`` (see README.md).

Configured from the environment: ``TASKS_SECRET_KEY`` (a random key per start
otherwise, which logs everyone out on restart) and ``TASKS_DATABASE``. An
empty database gets four demo users (README.md lists them).
"""

from __future__ import annotations

import os
import secrets

from .app import create_app

DEMO_USERS = [
    ("admin", "admin-password", "admin"),
    ("manager", "manager-password", "manager"),
    ("alice", "alice-password", "employee"),
    ("bob", "bob-password", "employee"),
]

config: dict[str, object] = {
    "SECRET_KEY": os.environ.get("TASKS_SECRET_KEY") or secrets.token_hex(32),
    "SEED_USERS": DEMO_USERS,
}
if os.environ.get("TASKS_DATABASE"):
    config["DATABASE"] = os.environ["TASKS_DATABASE"]

app = create_app(config)
