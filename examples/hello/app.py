"""A small guestbook on erlen: templates, a form with flashing, sessions, JSON and SQLite.

Run it with ``erlen --app examples/hello/app.py run`` (or ``scripts/run``).
"""

from __future__ import annotations

import os
import sqlite3
import typing as t
from datetime import datetime
from datetime import timezone

from erlen import Erlen
from erlen import abort
from erlen import flash
from erlen import g
from erlen import jsonify
from erlen import redirect
from erlen import render_template
from erlen import request
from erlen import session
from erlen import url_for

SCHEMA = """
CREATE TABLE IF NOT EXISTS entry (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    message TEXT NOT NULL,
    created TEXT NOT NULL
);
"""


def create_app(test_config: dict[str, t.Any] | None = None) -> Erlen:
    """Build the guestbook app; ``test_config`` overrides the defaults."""
    app = Erlen(__name__, instance_relative_config=True)
    app.config.from_mapping(
        SECRET_KEY=os.environ.get("SECRET_KEY", "dev-only-not-secret"),
        DATABASE=os.path.join(app.instance_path, "guestbook.sqlite3"),
        MAX_CONTENT_LENGTH=64 * 1024,
    )
    if test_config:
        app.config.update(test_config)
    os.makedirs(app.instance_path, exist_ok=True)

    def get_db() -> sqlite3.Connection:
        if "db" not in g:
            g.db = sqlite3.connect(app.config["DATABASE"])
            g.db.row_factory = sqlite3.Row
            g.db.executescript(SCHEMA)
        return t.cast(sqlite3.Connection, g.db)

    @app.teardown_appcontext
    def close_db(exc: BaseException | None) -> None:
        db = g.pop("db", None)
        if db is not None:
            db.close()

    @app.get("/")
    def index() -> str:
        session["visits"] = session.get("visits", 0) + 1
        entries = get_db().execute(
            "SELECT * FROM entry ORDER BY id DESC LIMIT 50"
        ).fetchall()
        return render_template("index.html", entries=entries, visits=session["visits"])

    @app.post("/sign")
    def sign() -> t.Any:
        name = request.form.get("name", "").strip()
        message = request.form.get("message", "").strip()
        if not name or not message:
            flash("Please give both your name and a message.", "error")
            return render_template("index.html", entries=[], visits=0, form=request.form), 400
        if len(name) > 80 or len(message) > 2000:
            flash("That is too long.", "error")
            return redirect(url_for("index"))
        db = get_db()
        db.execute(
            "INSERT INTO entry (name, message, created) VALUES (?, ?, ?)",
            (name, message, datetime.now(timezone.utc).isoformat(timespec="seconds")),
        )
        db.commit()
        flash(f"Thank you, {name}!", "success")
        return redirect(url_for("index"))

    @app.get("/api/entries")
    def api_entries() -> t.Any:
        rows = get_db().execute("SELECT * FROM entry ORDER BY id DESC").fetchall()
        return [dict(row) for row in rows]

    @app.get("/api/entries/<int:entry_id>")
    def api_entry(entry_id: int) -> t.Any:
        row = get_db().execute("SELECT * FROM entry WHERE id = ?", (entry_id,)).fetchone()
        if row is None:
            abort(404)
        return dict(row)

    @app.errorhandler(404)
    def not_found(e: Exception) -> t.Any:
        if request.path.startswith("/api/"):
            return jsonify(error="not found"), 404
        return render_template("404.html"), 404

    return app


app = create_app()

if __name__ == "__main__":
    app.run()
