"""The database models: users, posts, tags and comments."""

from __future__ import annotations

import re
from datetime import datetime
from datetime import timezone

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship
from werkzeug.security import check_password_hash
from werkzeug.security import generate_password_hash

from erlen import current_app

from .extensions import db
from .markup import render_comment
from .markup import render_markdown
from .markup import slugify
from .markup import summarise

ROLE_ADMIN = "admin"
ROLE_AUTHOR = "author"
ROLES = (ROLE_AUTHOR, ROLE_ADMIN)


def utcnow() -> datetime:
    """The current UTC time as a naive datetime (stored the same way on SQLite and PostgreSQL)."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


post_tags = sa.Table(
    "post_tags",
    db.metadata,
    sa.Column("post_id", sa.ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("tag_id", sa.ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True),
)


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(32), unique=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(sa.String(256))
    display_name: Mapped[str] = mapped_column(sa.String(64), default="")
    bio: Mapped[str] = mapped_column(sa.Text, default="")
    role: Mapped[str] = mapped_column(sa.String(16), default=ROLE_AUTHOR)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    posts: Mapped[list[Post]] = relationship(
        back_populates="author", cascade="all, delete-orphan", passive_deletes=True
    )
    comments: Mapped[list[Comment]] = relationship(
        back_populates="author", cascade="all, delete-orphan", passive_deletes=True
    )

    def __repr__(self) -> str:
        return f"<User {self.username!r}>"

    @property
    def name(self) -> str:
        """What to call the user on a page: the display name, or the username."""
        return self.display_name or self.username

    @property
    def is_admin(self) -> bool:
        return self.role == ROLE_ADMIN

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(
            password, method=current_app.config["PASSWORD_HASH_METHOD"]
        )

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def can_edit(self, post: Post) -> bool:
        """Authors edit their own posts; admins edit every post."""
        return self.is_admin or post.author_id == self.id

    def to_dict(self) -> dict[str, object]:
        return {
            "username": self.username,
            "name": self.name,
            "bio": self.bio,
            "role": self.role,
            "joined": self.created_at.isoformat() + "Z",
        }


class Tag(db.Model):
    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(32), unique=True)

    posts: Mapped[list[Post]] = relationship(secondary=post_tags, back_populates="tags")

    def __repr__(self) -> str:
        return f"<Tag {self.name!r}>"


_TAG_SPLIT = re.compile(r"[,;]")
MAX_TAGS = 8


def parse_tag_names(text: str) -> list[str]:
    """Tag names from a comma-separated string: slugified, de-duplicated, in order, at most 8."""
    names: list[str] = []
    for part in _TAG_SPLIT.split(text):
        name = slugify(part, max_length=32)
        if name and name not in names:
            names.append(name)
    return names[:MAX_TAGS]


def get_or_create_tags(names: list[str]) -> list[Tag]:
    existing = {tag.name: tag for tag in db.session.scalars(sa.select(Tag).where(Tag.name.in_(names)))}
    tags = []
    for name in names:
        tag = existing.get(name)
        if tag is None:
            tag = Tag(name=name)
            db.session.add(tag)
        tags.append(tag)
    return tags


class Post(db.Model):
    __tablename__ = "posts"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    slug: Mapped[str] = mapped_column(sa.String(100), unique=True)
    body: Mapped[str] = mapped_column(sa.Text)
    body_html: Mapped[str] = mapped_column(sa.Text)
    summary: Mapped[str] = mapped_column(sa.String(300))
    published: Mapped[bool] = mapped_column(default=False, index=True)
    published_at: Mapped[datetime | None] = mapped_column(index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    views: Mapped[int] = mapped_column(default=0)
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)

    author: Mapped[User] = relationship(back_populates="posts")
    tags: Mapped[list[Tag]] = relationship(
        secondary=post_tags, back_populates="posts", order_by=Tag.name
    )
    comments: Mapped[list[Comment]] = relationship(
        back_populates="post",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Comment.created_at",
    )

    def __repr__(self) -> str:
        return f"<Post {self.slug!r}>"

    def set_body(self, body: str) -> None:
        """Store the Markdown with its rendered, sanitised HTML and a plain-text summary."""
        self.body = body
        self.body_html = str(render_markdown(body))
        self.summary = summarise(self.body_html)

    def set_published(self, published: bool) -> None:
        """Publish or unpublish; the first publication sets ``published_at``."""
        self.published = published
        if published and self.published_at is None:
            self.published_at = utcnow()

    @property
    def date(self) -> datetime:
        """The date shown for the post: when it was published, or created for a draft."""
        return self.published_at or self.created_at

    @property
    def reading_minutes(self) -> int:
        return max(1, round(len(self.body.split()) / 220))

    @property
    def approved_comments(self) -> list[Comment]:
        return [comment for comment in self.comments if comment.approved]

    def to_dict(self, *, with_body: bool = False) -> dict[str, object]:
        data: dict[str, object] = {
            "id": self.id,
            "slug": self.slug,
            "title": self.title,
            "summary": self.summary,
            "author": self.author.username,
            "tags": [tag.name for tag in self.tags],
            "published": self.published,
            "published_at": self.published_at.isoformat() + "Z" if self.published_at else None,
            "updated_at": self.updated_at.isoformat() + "Z",
            "views": self.views,
            "comment_count": len(self.approved_comments),
        }
        if with_body:
            data["body"] = self.body
            data["body_html"] = self.body_html
        return data


def unique_slug(title: str, exclude_id: int | None = None) -> str:
    """A slug for ``title`` that no other post uses: ``title``, ``title-2``, ``title-3``..."""
    base = slugify(title) or "post"
    query = sa.select(Post.slug).where(sa.or_(Post.slug == base, Post.slug.like(base + "-%")))
    if exclude_id is not None:
        query = query.where(Post.id != exclude_id)
    taken = set(db.session.scalars(query))
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


class Comment(db.Model):
    __tablename__ = "comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    body: Mapped[str] = mapped_column(sa.Text)
    body_html: Mapped[str] = mapped_column(sa.Text)
    approved: Mapped[bool] = mapped_column(default=False, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    post_id: Mapped[int] = mapped_column(sa.ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)

    post: Mapped[Post] = relationship(back_populates="comments")
    author: Mapped[User] = relationship(back_populates="comments")

    def __repr__(self) -> str:
        return f"<Comment {self.id} on {self.post_id}>"

    def set_body(self, body: str) -> None:
        self.body = body
        self.body_html = str(render_comment(body))

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "author": self.author.username,
            "body": self.body,
            "body_html": self.body_html,
            "created_at": self.created_at.isoformat() + "Z",
        }


def published_posts() -> sa.Select[tuple[Post]]:
    """Published posts, newest first."""
    return sa.select(Post).where(Post.published.is_(True)).order_by(Post.published_at.desc(), Post.id.desc())
