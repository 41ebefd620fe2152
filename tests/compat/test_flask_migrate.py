"""Flask-Migrate on erlen: ``erlen db init/migrate/upgrade/downgrade`` on a real SQLite file.

Flask-Migrate adds the ``db`` command to ``app.cli``; the erlen command line
runs it with ``--flask-compat`` (or ``ERLEN_FLASK_COMPAT=1``), in a fresh
process as a user would run it.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

APP = """\
from flask import Flask
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + {db!r}
db = SQLAlchemy(app)
migrate = Migrate(app, db)


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(80), nullable=False)
{extra}
"""


def _write_app(folder: Path, extra: str = "") -> None:
    source = APP.format(db=str(folder / "app.db"), extra=textwrap.indent(extra, "    "))
    (folder / "app.py").write_text(source)


def _erlen(folder: Path, *args: str, compat_env: bool = False) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ERLEN_", "FLASK_"))}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    command = [sys.executable, "-m", "erlen"]
    if compat_env:
        env["ERLEN_FLASK_COMPAT"] = "1"
    else:
        command.append("--flask-compat")
    result = subprocess.run(
        [*command, "--app", "app.py", *args],
        cwd=folder, env=env, capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout + result.stderr


def _columns(db: Path, table: str) -> list[str]:
    with sqlite3.connect(db) as conn:
        return [row[1] for row in conn.execute(f"pragma table_info({table})")]


def _version(db: Path) -> str | None:
    with sqlite3.connect(db) as conn:
        row = conn.execute("select version_num from alembic_version").fetchone()
    return None if row is None else str(row[0])


def test_init_migrate_upgrade_downgrade(tmp_path: Path) -> None:
    db = tmp_path / "app.db"
    _write_app(tmp_path)

    _erlen(tmp_path, "db", "init")
    assert (tmp_path / "migrations" / "env.py").is_file()
    assert (tmp_path / "migrations" / "alembic.ini").is_file()

    out = _erlen(tmp_path, "db", "migrate", "-m", "users")
    assert "Detected added table 'user'" in out
    [first] = (tmp_path / "migrations" / "versions").glob("*_users.py")

    _erlen(tmp_path, "db", "upgrade")
    assert _columns(db, "user") == ["id", "name"]
    first_rev = _version(db)
    assert first_rev is not None and first.name.startswith(first_rev)

    # change the model, as a developer would, and migrate again
    _write_app(tmp_path, "email = db.Column(db.String(120), nullable=True)\n")
    out = _erlen(tmp_path, "db", "migrate", "-m", "email", compat_env=True)
    assert "Detected added column 'user.email'" in out
    _erlen(tmp_path, "db", "upgrade", compat_env=True)
    assert _columns(db, "user") == ["id", "name", "email"]
    assert _version(db) != first_rev

    out = _erlen(tmp_path, "db", "current")
    assert "(head)" in out

    _erlen(tmp_path, "db", "downgrade")
    assert _columns(db, "user") == ["id", "name"]
    assert _version(db) == first_rev

    _erlen(tmp_path, "db", "downgrade", "base")
    assert _columns(db, "user") == []
    assert _version(db) is None

    history = _erlen(tmp_path, "db", "history")
    assert "users" in history and "email" in history
