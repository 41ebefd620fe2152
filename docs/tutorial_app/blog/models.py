"""The database models: users and posts."""

import re
from datetime import datetime, timezone

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from .extensions import db


def utcnow():
    """The current UTC time, naive (stored the same way on SQLite and PostgreSQL)."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(32), unique=True)
    password_hash: Mapped[str] = mapped_column(sa.String(256))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    posts: Mapped[list["Post"]] = relationship(back_populates="author", cascade="all, delete-orphan")

    def set_password(self, password):
        # Only a salted, slow hash is stored, never the password.
        self.password_hash = generate_password_hash(password)

    def check_password(self, password):
        return check_password_hash(self.password_hash, password)

    def can_edit(self, post):
        return post.author_id == self.id


class Post(db.Model):
    __tablename__ = "posts"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    slug: Mapped[str] = mapped_column(sa.String(100), unique=True)
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))

    author: Mapped[User] = relationship(back_populates="posts")


def slugify(text, max_length=80):
    """"Hello, World!" -> "hello-world"."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:max_length].rstrip("-") or "post"


def unique_slug(title):
    """A slug for title that no post uses yet: hello-world, hello-world-2, ..."""
    base = slugify(title)
    slug, n = base, 1
    while db.session.scalar(sa.select(Post.id).where(Post.slug == slug)) is not None:
        n += 1
        slug = f"{base}-{n}"
    return slug
