"""Helpers for the blog tests: users, posts and logging in, straight through the database."""

from __future__ import annotations

import typing as t
from pathlib import Path

if t.TYPE_CHECKING:
    from erlen import Erlen
    from erlen.testing import ErlenClient

#: examples/blog, the folder with the blog package.
BLOG_ROOT = Path(__file__).resolve().parents[2] / "examples" / "blog"
#: The password every test user gets unless a test says otherwise.
PASSWORD = "correct-horse-battery"


def create_user(app: Erlen, username: str, *, role: str = "author", password: str = PASSWORD, **fields: t.Any) -> int:
    """Add a user directly in the database; returns its id."""
    from blog.extensions import db
    from blog.models import User

    with app.app_context():
        user = User(username=username, email=fields.pop("email", f"{username}@example.com"), role=role, **fields)
        user.set_password(password)
        db.session.add(user)
        db.session.commit()
        return user.id


def create_post(
    app: Erlen,
    author: str,
    title: str,
    body: str = "Some **Markdown** text.",
    *,
    published: bool = True,
    tags: t.Sequence[str] = (),
) -> str:
    """Add a post directly in the database; returns its slug."""
    import sqlalchemy as sa
    from blog.extensions import db
    from blog.models import Post
    from blog.models import User
    from blog.models import get_or_create_tags
    from blog.models import unique_slug

    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == author))
        assert user is not None, author
        post = Post(title=title, slug=unique_slug(title), author=user)
        post.set_body(body)
        post.set_published(published)
        db.session.add(post)
        post.tags = get_or_create_tags(list(tags))
        db.session.commit()
        return post.slug


def login(client: ErlenClient, username: str, password: str = PASSWORD, **extra: t.Any) -> t.Any:
    return client.post("/login", data={"username": username, "password": password, **extra})


def query(app: Erlen, fn: t.Callable[[], t.Any]) -> t.Any:
    """Run ``fn`` in an app context (for looking at the database from a test)."""
    with app.app_context():
        return fn()
