"""An async view using an async database driver (aiosqlite) on the ASGI front.

The connection lives on ``g`` for the request and is closed by an async
``teardown_appcontext`` function; concurrent requests interleave at their
awaits and each sees its own data.
"""

from __future__ import annotations

import asyncio
import pathlib
import typing as t

import pytest

import erlen
from erlen import g
from erlen import request
from erlen.testing import ASGIClient

aiosqlite = pytest.importorskip("aiosqlite")

pytestmark = pytest.mark.anyio


def make_app(db_path: pathlib.Path, closed: list[str]) -> erlen.Erlen:
    app = erlen.Erlen(__name__)
    app.config.update(TESTING=True)

    async def get_db() -> t.Any:
        if "db" not in g:
            g.db = await aiosqlite.connect(db_path)
        return g.db

    @app.teardown_appcontext
    async def close_db(exc: BaseException | None) -> None:
        db = g.pop("db", None)
        if db is not None:
            await db.close()
            closed.append("closed")

    @app.before_serving
    async def create_schema() -> None:
        async with aiosqlite.connect(db_path) as db:
            await db.execute("CREATE TABLE IF NOT EXISTS note (id INTEGER PRIMARY KEY, owner TEXT, body TEXT)")
            await db.commit()

    @app.post("/notes/<owner>")
    async def add_note(owner: str) -> tuple[dict[str, t.Any], int]:
        db = await get_db()
        body = request.get_json()["body"]
        await asyncio.sleep(0.001)  # let other requests run in between
        cursor = await db.execute("INSERT INTO note (owner, body) VALUES (?, ?)", (owner, body))
        await db.commit()
        return {"id": cursor.lastrowid, "owner": owner}, 201

    @app.get("/notes/<owner>")
    async def list_notes(owner: str) -> dict[str, t.Any]:
        db = await get_db()
        async with db.execute("SELECT body FROM note WHERE owner = ? ORDER BY id", (owner,)) as cursor:
            rows = await cursor.fetchall()
        return {"owner": owner, "bodies": [row[0] for row in rows]}

    return app


async def test_async_view_with_async_database_driver(tmp_path: pathlib.Path) -> None:
    closed: list[str] = []
    app = make_app(tmp_path / "notes.sqlite3", closed)
    async with ASGIClient(app) as client:  # runs lifespan: before_serving creates the table
        owners = [f"user{i}" for i in range(8)]
        created = await asyncio.gather(
            *(
                client.post(f"/notes/{owner}", json={"body": f"{owner} note {n}"})
                for owner in owners
                for n in range(3)
            )
        )
        assert all(rv.status_code == 201 for rv in created)
        listed = await asyncio.gather(*(client.get(f"/notes/{owner}") for owner in owners))
    for owner, rv in zip(owners, listed, strict=True):
        data = rv.get_json()
        assert data["owner"] == owner
        # Concurrent inserts land in any order; each owner sees exactly its own.
        assert sorted(data["bodies"]) == [f"{owner} note {n}" for n in range(3)]
    # Every request's connection was closed by the async teardown function.
    assert len(closed) == len(created) + len(listed)
