"""The public blog: the front page, posts, tags, search, writing and comments."""

from __future__ import annotations

import sqlalchemy as sa
from flask_login import current_user
from flask_login import login_required

from erlen import Blueprint
from erlen import abort
from erlen import current_app
from erlen import flash
from erlen import redirect
from erlen import render_template
from erlen import request
from erlen import url_for
from erlen.typing import ResponseReturnValue

from .extensions import db
from .forms import ActionForm
from .forms import CommentForm
from .forms import PostForm
from .models import Comment
from .models import Post
from .models import Tag
from .models import get_or_create_tags
from .models import parse_tag_names
from .models import post_tags
from .models import published_posts
from .models import unique_slug

bp = Blueprint("blog", __name__)


def _page() -> int:
    return request.args.get("page", 1, type=int)


def get_visible_post(slug: str) -> Post:
    """The post at ``slug``; a draft only for its author and admins (404 for anyone else)."""
    post = db.session.scalar(sa.select(Post).where(Post.slug == slug))
    if post is None:
        abort(404)
    if not post.published and not (current_user.is_authenticated and current_user.can_edit(post)):
        abort(404)
    return post


def get_editable_post(slug: str) -> Post:
    """The post at ``slug`` if the current user may change it; 403 if not theirs."""
    post = db.session.scalar(sa.select(Post).where(Post.slug == slug))
    if post is None:
        abort(404)
    if not current_user.can_edit(post):
        abort(403)
    return post


@bp.get("/")
def index() -> ResponseReturnValue:
    posts = db.paginate(published_posts(), page=_page(), per_page=current_app.config["POSTS_PER_PAGE"])
    popular_tags = db.session.execute(
        sa.select(Tag.name, sa.func.count(post_tags.c.post_id).label("uses"))
        .join(post_tags, post_tags.c.tag_id == Tag.id)
        .join(Post, Post.id == post_tags.c.post_id)
        .where(Post.published.is_(True))
        .group_by(Tag.name)
        .order_by(sa.desc("uses"), Tag.name)
        .limit(12)
    ).all()
    return render_template("blog/index.html", posts=posts, popular_tags=popular_tags)


@bp.get("/posts/<slug>")
def show(slug: str) -> ResponseReturnValue:
    post = get_visible_post(slug)
    if post.published:
        # NOTE: one UPDATE in the database, so concurrent readers don't lose counts.
        db.session.execute(sa.update(Post).where(Post.id == post.id).values(views=Post.views + 1))
        db.session.commit()
    comments = [
        comment
        for comment in post.comments
        if comment.approved or (current_user.is_authenticated and comment.author_id == current_user.id)
    ]
    return render_template(
        "blog/post.html",
        post=post,
        comments=comments,
        comment_form=CommentForm(),
        action_form=ActionForm(),
    )


@bp.post("/posts/<slug>/comments")
@login_required
def comment(slug: str) -> ResponseReturnValue:
    post = get_visible_post(slug)
    if not post.published:
        abort(404)
    form = CommentForm()
    if not form.validate_on_submit():
        comments = [c for c in post.comments if c.approved or c.author_id == current_user.id]
        return (
            render_template(
                "blog/post.html", post=post, comments=comments, comment_form=form, action_form=ActionForm()
            ),
            400,
        )
    new = Comment(post=post, author=current_user._get_current_object())
    new.set_body(form.body.data)
    # Comments by admins and by the post's author need no moderation.
    new.approved = current_user.is_admin or post.author_id == current_user.id
    db.session.add(new)
    db.session.commit()
    if new.approved:
        flash("Your comment is published.", "success")
    else:
        flash("Thanks! Your comment will appear once a moderator approves it.", "info")
    return redirect(url_for("blog.show", slug=post.slug, _anchor=f"comment-{new.id}"))


@bp.route("/write", methods=["GET", "POST"])
@login_required
def create() -> ResponseReturnValue:
    form = PostForm()
    if form.validate_on_submit():
        title = form.title.data.strip()
        post = Post(title=title, slug=unique_slug(title), author=current_user._get_current_object())
        post.set_body(form.body.data)
        post.set_published(form.published.data)
        db.session.add(post)
        post.tags = get_or_create_tags(parse_tag_names(form.tags.data or ""))
        db.session.commit()
        flash("Post published." if post.published else "Draft saved.", "success")
        return redirect(url_for("blog.show", slug=post.slug))
    return render_template("blog/edit.html", form=form, post=None)


@bp.route("/posts/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit(slug: str) -> ResponseReturnValue:
    post = get_editable_post(slug)
    form = PostForm(obj=post)
    if request.method == "GET":
        form.tags.data = ", ".join(tag.name for tag in post.tags)
    if form.validate_on_submit():
        post.title = form.title.data.strip()
        post.set_body(form.body.data)
        post.set_published(form.published.data)
        post.tags = get_or_create_tags(parse_tag_names(form.tags.data or ""))
        db.session.commit()
        flash("Post updated.", "success")
        return redirect(url_for("blog.show", slug=post.slug))
    return render_template("blog/edit.html", form=form, post=post)


@bp.post("/posts/<slug>/delete")
@login_required
def delete(slug: str) -> ResponseReturnValue:
    post = get_editable_post(slug)
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    db.session.delete(post)
    db.session.commit()
    flash(f"Deleted “{post.title}”.", "info")
    return redirect(url_for("auth.profile", username=post.author.username))


@bp.get("/tags")
def tags() -> ResponseReturnValue:
    rows = db.session.execute(
        sa.select(Tag.name, sa.func.count(Post.id).label("uses"))
        .join(post_tags, post_tags.c.tag_id == Tag.id)
        .join(Post, Post.id == post_tags.c.post_id)
        .where(Post.published.is_(True))
        .group_by(Tag.name)
        .order_by(Tag.name)
    ).all()
    return render_template("blog/tags.html", tags=rows)


@bp.get("/tags/<name>")
def tag(name: str) -> ResponseReturnValue:
    tag = db.session.scalar(sa.select(Tag).where(Tag.name == name))
    if tag is None:
        abort(404)
    query = published_posts().where(Post.tags.any(Tag.id == tag.id))
    posts = db.paginate(query, page=_page(), per_page=current_app.config["POSTS_PER_PAGE"])
    return render_template("blog/tag.html", tag=tag, posts=posts)


def _like_pattern(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


@bp.get("/search")
def search() -> ResponseReturnValue:
    q = request.args.get("q", "").strip()[:100]
    posts = None
    if q:
        query = published_posts()
        # Every word must appear in the title, the body or a tag.
        for word in q.split()[:8]:
            pattern = _like_pattern(word)
            query = query.where(
                sa.or_(
                    Post.title.ilike(pattern, escape="\\"),
                    Post.body.ilike(pattern, escape="\\"),
                    Post.tags.any(Tag.name.ilike(pattern, escape="\\")),
                )
            )
        posts = db.paginate(query, page=_page(), per_page=current_app.config["POSTS_PER_PAGE"])
    return render_template("blog/search.html", q=q, posts=posts)
