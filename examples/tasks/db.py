"""Storage on the standard library's sqlite3: schema, connections and queries."""

from __future__ import annotations

import json
import os
import sqlite3
import typing as t
from datetime import datetime
from datetime import timezone

from werkzeug.security import generate_password_hash

from erlen import Erlen
from erlen import current_app
from erlen import g

ROLES = ("admin", "manager", "employee")
STATUSES = ("todo", "doing", "done")
PRIORITIES = ("low", "medium", "high")

SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    username TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'manager', 'employee'))
);
CREATE TABLE IF NOT EXISTS tasks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'todo' CHECK (status IN ('todo', 'doing', 'done')),
    priority TEXT NOT NULL DEFAULT 'medium' CHECK (priority IN ('low', 'medium', 'high')),
    assignee_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    due_date TEXT,
    created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS tasks_assignee ON tasks (assignee_id);
CREATE TABLE IF NOT EXISTS comments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    task_id INTEGER NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    author_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS comments_task ON comments (task_id);
CREATE TABLE IF NOT EXISTS attachments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    task_id INTEGER NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    uploader_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    filename TEXT NOT NULL,
    stored_name TEXT NOT NULL UNIQUE,
    content_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS attachments_task ON attachments (task_id);
-- No foreign key on task_id: the log outlives the tasks it mentions.
CREATE TABLE IF NOT EXISTS activity (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    actor_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    action TEXT NOT NULL,
    task_id INTEGER NOT NULL,
    details TEXT NOT NULL DEFAULT '{}',
    created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS activity_task ON activity (task_id);
"""

TASK_SELECT = """
SELECT tasks.*, users.username AS assignee
FROM tasks LEFT JOIN users ON users.id = tasks.assignee_id
"""


def connect(path: str) -> sqlite3.Connection:
    """Open the database; rows are ``sqlite3.Row``, foreign keys are enforced."""
    # Async views run on the event loop and teardown may run in a worker
    # thread: one request's connection is never used by two threads at once.
    conn = sqlite3.connect(path, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def get_db() -> sqlite3.Connection:
    """This app context's connection, opened on first use and closed at teardown."""
    if "db" not in g:
        g.db = connect(current_app.config["DATABASE"])
    return t.cast(sqlite3.Connection, g.db)


def close_db(exc: BaseException | None = None) -> None:
    conn: sqlite3.Connection | None = g.pop("db", None)
    if conn is not None:
        conn.close()


def init_app(app: Erlen) -> None:
    """Create the tables, add ``SEED_USERS`` to an empty users table, register teardown."""
    app.teardown_appcontext(close_db)
    conn = connect(app.config["DATABASE"])
    try:
        with conn:
            conn.executescript(SCHEMA)
            if conn.execute("SELECT COUNT(*) FROM users").fetchone()[0] == 0:
                for username, password, role in app.config["SEED_USERS"]:
                    insert_user(conn, username, password, role, app.config["PASSWORD_HASH_METHOD"])
    finally:
        conn.close()


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


# -- users -----------------------------------------------------------------------


def insert_user(
    conn: sqlite3.Connection, username: str, password: str, role: str, method: str
) -> int:
    cursor = conn.execute(
        "INSERT INTO users (username, password_hash, role) VALUES (?, ?, ?)",
        (username, generate_password_hash(password, method), role),
    )
    return t.cast(int, cursor.lastrowid)


def user_by_id(user_id: int) -> sqlite3.Row | None:
    row: sqlite3.Row | None = get_db().execute(
        "SELECT * FROM users WHERE id = ?", (user_id,)
    ).fetchone()
    return row


def user_by_name(username: str) -> sqlite3.Row | None:
    row: sqlite3.Row | None = get_db().execute(
        "SELECT * FROM users WHERE username = ?", (username,)
    ).fetchone()
    return row


def all_users() -> list[sqlite3.Row]:
    return get_db().execute("SELECT * FROM users ORDER BY username").fetchall()


def user_json(row: sqlite3.Row) -> dict[str, t.Any]:
    return {"id": row["id"], "username": row["username"], "role": row["role"]}


# -- tasks -----------------------------------------------------------------------


def task_by_id(task_id: int) -> sqlite3.Row | None:
    row: sqlite3.Row | None = get_db().execute(
        TASK_SELECT + " WHERE tasks.id = ?", (task_id,)
    ).fetchone()
    return row


def tasks_for(assignee_id: int | None) -> list[sqlite3.Row]:
    """All tasks, or those assigned to ``assignee_id``; by due date, then priority."""
    order = (
        " ORDER BY tasks.due_date IS NULL, tasks.due_date,"
        " CASE tasks.priority WHEN 'high' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END, tasks.id"
    )
    if assignee_id is None:
        return get_db().execute(TASK_SELECT + order).fetchall()
    return get_db().execute(
        TASK_SELECT + " WHERE tasks.assignee_id = ?" + order, (assignee_id,)
    ).fetchall()


def task_ids_assigned_to(user_id: int) -> list[int]:
    rows = get_db().execute("SELECT id FROM tasks WHERE assignee_id = ?", (user_id,))
    return [row[0] for row in rows]


def insert_task(values: dict[str, t.Any], created_by: int) -> int:
    conn = get_db()
    stamp = now()
    columns = [*values, "created_by", "created_at", "updated_at"]
    params = [*values.values(), created_by, stamp, stamp]
    with conn:
        cursor = conn.execute(
            f"INSERT INTO tasks ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})",
            params,
        )
    return t.cast(int, cursor.lastrowid)


def update_task(task_id: int, values: dict[str, t.Any]) -> None:
    # Column names come from the validator's fixed list, never from the client.
    assignments = ", ".join(f"{name} = ?" for name in [*values, "updated_at"])
    with get_db() as conn:
        conn.execute(
            f"UPDATE tasks SET {assignments} WHERE id = ?", [*values.values(), now(), task_id]
        )


def delete_task(task_id: int) -> None:
    with get_db() as conn:
        conn.execute("DELETE FROM tasks WHERE id = ?", (task_id,))


def task_counts(assignee_id: int | None) -> dict[str, t.Any]:
    """Tasks by status and by priority (every value present, zeros included).

    All tasks, or those assigned to ``assignee_id``.
    """
    where, params = "", []
    if assignee_id is not None:
        where, params = " WHERE assignee_id = ?", [assignee_id]
    counts: dict[str, t.Any] = {"total": 0}
    for column, values in (("status", STATUSES), ("priority", PRIORITIES)):
        # Column names from this fixed list only.
        rows = get_db().execute(
            f"SELECT {column}, COUNT(*) FROM tasks{where} GROUP BY {column}", params
        ).fetchall()
        found = {row[0]: row[1] for row in rows}
        counts[f"by_{column}"] = {value: found.get(value, 0) for value in values}
    counts["total"] = sum(counts["by_status"].values())
    return counts


def task_json(row: sqlite3.Row) -> dict[str, t.Any]:
    return {
        "id": row["id"],
        "title": row["title"],
        "description": row["description"],
        "status": row["status"],
        "priority": row["priority"],
        "assignee_id": row["assignee_id"],
        "assignee": row["assignee"],
        "due_date": row["due_date"],
        "created_by": row["created_by"],
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
    }


# -- comments --------------------------------------------------------------------

COMMENT_SELECT = """
SELECT comments.*, users.username AS author
FROM comments LEFT JOIN users ON users.id = comments.author_id
"""


def insert_comment(task_id: int, author_id: int, body: str) -> int:
    with get_db() as conn:
        cursor = conn.execute(
            "INSERT INTO comments (task_id, author_id, body, created_at) VALUES (?, ?, ?, ?)",
            (task_id, author_id, body, now()),
        )
    return t.cast(int, cursor.lastrowid)


def comment_by_id(comment_id: int) -> sqlite3.Row | None:
    row: sqlite3.Row | None = get_db().execute(
        COMMENT_SELECT + " WHERE comments.id = ?", (comment_id,)
    ).fetchone()
    return row


def comments_for(task_id: int) -> list[sqlite3.Row]:
    """A task's comments, oldest first."""
    return get_db().execute(
        COMMENT_SELECT + " WHERE comments.task_id = ? ORDER BY comments.id", (task_id,)
    ).fetchall()


def comment_json(row: sqlite3.Row) -> dict[str, t.Any]:
    return {
        "id": row["id"],
        "task_id": row["task_id"],
        "author_id": row["author_id"],
        "author": row["author"],
        "body": row["body"],
        "created_at": row["created_at"],
    }


# -- activity --------------------------------------------------------------------

ACTIVITY_SELECT = """
SELECT activity.*, users.username AS actor
FROM activity LEFT JOIN users ON users.id = activity.actor_id
"""


def log_activity(actor_id: int, action: str, task_id: int, details: dict[str, t.Any]) -> None:
    """Record that ``actor_id`` did ``action`` (``task.updated``, ...) to task ``task_id``."""
    with get_db() as conn:
        conn.execute(
            "INSERT INTO activity (actor_id, action, task_id, details, created_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (actor_id, action, task_id, json.dumps(details), now()),
        )


def activity_page(assignee_id: int | None, limit: int, offset: int) -> tuple[int, list[sqlite3.Row]]:
    """``(total, rows)``, newest first: all entries, or those about tasks assigned to ``assignee_id``."""
    where, params = "", []
    if assignee_id is not None:
        where = " WHERE activity.task_id IN (SELECT id FROM tasks WHERE assignee_id = ?)"
        params = [assignee_id]
    conn = get_db()
    total = conn.execute("SELECT COUNT(*) FROM activity" + where, params).fetchone()[0]
    rows = conn.execute(
        ACTIVITY_SELECT + where + " ORDER BY activity.id DESC LIMIT ? OFFSET ?",
        [*params, limit, offset],
    ).fetchall()
    return t.cast(int, total), rows


def activity_json(row: sqlite3.Row) -> dict[str, t.Any]:
    return {
        "id": row["id"],
        "actor_id": row["actor_id"],
        "actor": row["actor"],
        "action": row["action"],
        "task_id": row["task_id"],
        "details": json.loads(row["details"]),
        "created_at": row["created_at"],
    }


# -- attachments -----------------------------------------------------------------

ATTACHMENT_SELECT = """
SELECT attachments.*, users.username AS uploader
FROM attachments LEFT JOIN users ON users.id = attachments.uploader_id
"""


def insert_attachment(
    task_id: int, uploader_id: int, filename: str, stored_name: str, content_type: str, size: int
) -> int:
    with get_db() as conn:
        cursor = conn.execute(
            "INSERT INTO attachments (task_id, uploader_id, filename, stored_name,"
            " content_type, size, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (task_id, uploader_id, filename, stored_name, content_type, size, now()),
        )
    return t.cast(int, cursor.lastrowid)


def attachment_by_id(attachment_id: int) -> sqlite3.Row | None:
    row: sqlite3.Row | None = get_db().execute(
        ATTACHMENT_SELECT + " WHERE attachments.id = ?", (attachment_id,)
    ).fetchone()
    return row


def attachments_for(task_id: int) -> list[sqlite3.Row]:
    return get_db().execute(
        ATTACHMENT_SELECT + " WHERE attachments.task_id = ? ORDER BY attachments.id", (task_id,)
    ).fetchall()


def attachment_json(row: sqlite3.Row) -> dict[str, t.Any]:
    """The public fields: the stored name stays on the server."""
    return {
        "id": row["id"],
        "task_id": row["task_id"],
        "uploader_id": row["uploader_id"],
        "uploader": row["uploader"],
        "filename": row["filename"],
        "content_type": row["content_type"],
        "size": row["size"],
        "created_at": row["created_at"],
        "url": f"/api/attachments/{row['id']}",
    }


def attachment_folder() -> str:
    return t.cast(str, current_app.config["ATTACHMENT_FOLDER"])


def remove_attachment_files(stored_names: list[str]) -> None:
    """Delete stored files (a deleted task's); missing ones are ignored."""
    for name in stored_names:
        try:
            os.remove(os.path.join(attachment_folder(), name))
        except FileNotFoundError:
            pass
