"""Fixtures for the task board example (examples/tasks): the app on a temporary SQLite file."""

from __future__ import annotations

import pathlib
import sys

import pytest

from erlen import Erlen

# The example is imported as the package ``examples.tasks`` from the repository
# root, which ``python -m pytest`` puts on sys.path and a bare ``pytest`` doesn't.
ROOT = str(pathlib.Path(__file__).resolve().parents[2])
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from examples.tasks.app import create_app  # noqa: E402

# Seeded in this order, so their ids are 1 to 4.
USERS = [
    ("admin", "admin-password", "admin"),
    ("manager", "manager-password", "manager"),
    ("alice", "alice-password", "employee"),
    ("bob", "bob-password", "employee"),
]


@pytest.fixture
def app(tmp_path: pathlib.Path) -> Erlen:
    return create_app(
        {
            "SECRET_KEY": "tasks-test",
            "TESTING": True,
            "DATABASE": str(tmp_path / "tasks.sqlite3"),
            "ATTACHMENT_FOLDER": str(tmp_path / "attachments"),
            # Fast hashes keep the many logins of the suite quick.
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
            "SEED_USERS": USERS,
        }
    )


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
