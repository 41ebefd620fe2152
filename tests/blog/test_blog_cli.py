"""``erlen init-db``, ``erlen seed-db`` and the Alembic migration, through the CLI."""

from __future__ import annotations

import os
import subprocess
import sys
import typing as t
from pathlib import Path

import sqlalchemy as sa
from blog_helpers import BLOG_ROOT
from blog_helpers import create_user

from erlen import Erlen


def cli_app(url: str, **config: t.Any) -> Erlen:
    from blog import create_app

    return create_app("testing", {"SQLALCHEMY_DATABASE_URI": url, **config})


def invoke(app: Erlen, *args: str) -> t.Any:
    result = app.test_cli_runner().invoke(args=list(args))
    assert result.exception is None, result.output
    assert result.exit_code == 0, result.output
    return result


def dispose(app: Erlen) -> None:
    from blog.extensions import db

    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def table_names(app: Erlen) -> set[str]:
    from blog.extensions import db

    with app.app_context():
        return set(sa.inspect(db.engine).get_table_names())


def test_init_db_runs_the_migrations(fresh_database_url: str) -> None:
    app = cli_app(fresh_database_url)
    try:
        result = invoke(app, "init-db")
        assert "Database ready" in result.output
        assert table_names(app) == {"alembic_version", "users", "posts", "tags", "post_tags", "comments"}
        from alembic.script import ScriptDirectory
        from blog import MIGRATIONS_DIR

        head = ScriptDirectory(MIGRATIONS_DIR).get_current_head()
        assert head is not None
        with app.app_context():
            from blog.extensions import db

            assert db.session.scalar(sa.text("SELECT version_num FROM alembic_version")) == head
        # again: nothing to do, data kept
        create_user(app, "ann")
        invoke(app, "init-db")
        with app.app_context():
            assert db.session.scalar(sa.text("SELECT count(*) FROM users")) == 1
        # --drop starts over
        invoke(app, "init-db", "--drop")
        with app.app_context():
            assert db.session.scalar(sa.text("SELECT count(*) FROM users")) == 0
    finally:
        dispose(app)


def test_the_migration_matches_the_models(fresh_database_url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    app = cli_app(fresh_database_url)
    try:
        invoke(app, "init-db")
        from blog.extensions import db

        with app.app_context(), db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, db.metadata) == []
        # and it downgrades cleanly
        invoke(app, "db", "downgrade", "base")
        assert table_names(app) == {"alembic_version"}
    finally:
        dispose(app)


def _snapshot(app: Erlen) -> dict[str, t.Any]:
    from blog.extensions import db
    from blog.models import Comment
    from blog.models import Post
    from blog.models import Tag
    from blog.models import User

    with app.app_context():
        posts = list(db.session.scalars(sa.select(Post).order_by(Post.id)))
        return {
            "users": [(u.username, u.role) for u in db.session.scalars(sa.select(User).order_by(User.id))],
            "posts": [(p.slug, p.published, p.views, p.published_at, [tag.name for tag in p.tags]) for p in posts],
            "tags": db.session.scalar(sa.select(sa.func.count(Tag.id))),
            "comments": [(c.post_id, c.body, c.approved) for c in db.session.scalars(sa.select(Comment).order_by(Comment.id))],
            "bodies": [p.body for p in posts],
        }


def test_seed_db_is_realistic_deterministic_and_idempotent(fresh_database_url: str) -> None:
    app = cli_app(fresh_database_url)
    try:
        invoke(app, "init-db")
        result = invoke(app, "seed-db")
        assert "Seeded 7 users, 50 posts (5 drafts)" in result.output
        assert "blog-demo-pass" in result.output
        first = _snapshot(app)
        assert len(first["users"]) >= 5 and ("admin", "admin") in first["users"]
        assert len(first["posts"]) == 50
        assert len({slug for slug, *_ in first["posts"]}) == 50
        assert first["tags"] >= 10
        assert len(first["comments"]) >= 50
        assert any(not approved for *_, approved in first["comments"])  # some wait for moderation
        bodies = "\n".join(first["bodies"])
        for markdown in ["```", "\n- ", "\n1. ", "\n> ", "|---|", "## ", "](https://"]:
            assert markdown in bodies, markdown

        result = invoke(app, "seed-db")
        assert "already has data" in result.output
        assert _snapshot(app) == first

        result = invoke(app, "seed-db", "--reset")
        assert "Seeded 7 users" in result.output
        again = _snapshot(app)
        assert again["posts"] == first["posts"] and again["bodies"] == first["bodies"]
        assert [(body, approved) for _, body, approved in again["comments"]] == [
            (body, approved) for _, body, approved in first["comments"]
        ]
    finally:
        dispose(app)


def test_seeded_blog_serves_its_pages(fresh_database_url: str) -> None:
    app = cli_app(fresh_database_url)
    try:
        invoke(app, "init-db")
        invoke(app, "seed-db")
        client = app.test_client()
        page = client.get("/").get_data(as_text=True)
        assert page.count('class="card"') == 10
        assert 'rel="next"' in page
        assert client.get("/?page=5").status_code == 200
        assert client.get("/tags/python").status_code == 200
        data = client.get("/api/v1/posts?per_page=100").get_json()
        assert data["total"] == 45
        for post in data["items"][:10]:
            assert client.get(f"/posts/{post['slug']}").status_code == 200
        token = client.post("/api/v1/tokens", json={"username": "admin", "password": "blog-demo-pass"})
        assert token.status_code == 201
    finally:
        dispose(app)


def test_the_erlen_command(tmp_path: Path) -> None:
    """The real command line, as scripts/run uses it: init-db, seed-db, and Flask-Migrate's group."""
    env = {
        **os.environ,
        "ERLEN_FLASK_COMPAT": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
        "PYTHONPATH": str(BLOG_ROOT),
    }
    env.pop("SECRET_KEY", None)
    erlen = [sys.executable, "-m", "erlen", "--app", "blog:create_app('development')"]

    def run(*args: str) -> str:
        result = subprocess.run([*erlen, *args], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    assert "Database ready: sqlite:///" in run("init-db")
    assert "Seeded 7 users" in run("seed-db")
    assert "(head)" in run("db", "current")  # Flask-Migrate's command group, through the compat layer
