"""The admin area: comment moderation, all posts, users and roles."""

from __future__ import annotations

import sqlalchemy as sa
from flask_login import current_user

from erlen import Blueprint
from erlen import abort
from erlen import flash
from erlen import redirect
from erlen import render_template
from erlen import request
from erlen import url_for
from erlen.typing import ResponseReturnValue

from .auth import safe_next_url
from .extensions import db
from .forms import ActionForm
from .forms import RoleForm
from .models import ROLE_ADMIN
from .models import Comment
from .models import Post
from .models import User
from .security import admin_required

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
@admin_required
def require_admin() -> None:
    """Every admin page: log in first, then 403 for anyone but admins."""


@bp.get("/")
def dashboard() -> ResponseReturnValue:
    counts = {
        "posts": db.session.scalar(sa.select(sa.func.count(Post.id)).where(Post.published.is_(True))),
        "drafts": db.session.scalar(sa.select(sa.func.count(Post.id)).where(Post.published.is_(False))),
        "users": db.session.scalar(sa.select(sa.func.count(User.id))),
        "pending": db.session.scalar(sa.select(sa.func.count(Comment.id)).where(Comment.approved.is_(False))),
    }
    return render_template("admin/dashboard.html", counts=counts)


@bp.get("/comments")
def comments() -> ResponseReturnValue:
    status = request.args.get("status", "pending")
    if status not in {"pending", "approved"}:
        abort(404)
    query = (
        sa.select(Comment)
        .where(Comment.approved.is_(status == "approved"))
        .order_by(Comment.created_at.desc(), Comment.id.desc())
    )
    page = db.paginate(query, page=request.args.get("page", 1, type=int), per_page=25)
    return render_template("admin/comments.html", comments=page, status=status, form=ActionForm())


def _back_to_list() -> ResponseReturnValue:
    """Back to the page the button was on (only a page of this site), else the comment list."""
    target = safe_next_url(request.form.get("next"))
    return redirect(target or url_for("admin.comments"))


def _get_comment(comment_id: int) -> Comment:
    comment = db.session.get(Comment, comment_id)
    if comment is None:
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    return comment


@bp.post("/comments/<int:comment_id>/approve")
def approve_comment(comment_id: int) -> ResponseReturnValue:
    comment = _get_comment(comment_id)
    comment.approved = True
    db.session.commit()
    flash(f"Approved {comment.author.username}'s comment on “{comment.post.title}”.", "success")
    return _back_to_list()


@bp.post("/comments/<int:comment_id>/delete")
def delete_comment(comment_id: int) -> ResponseReturnValue:
    comment = _get_comment(comment_id)
    db.session.delete(comment)
    db.session.commit()
    flash("Comment deleted.", "info")
    return _back_to_list()


@bp.get("/posts")
def posts() -> ResponseReturnValue:
    query = sa.select(Post).order_by(Post.updated_at.desc(), Post.id.desc())
    page = db.paginate(query, page=request.args.get("page", 1, type=int), per_page=25)
    return render_template("admin/posts.html", posts=page, form=ActionForm())


@bp.get("/users")
def users() -> ResponseReturnValue:
    rows = db.session.execute(
        sa.select(User, sa.func.count(Post.id))
        .outerjoin(Post, Post.author_id == User.id)
        .group_by(User.id)
        .order_by(User.username)
    ).all()
    return render_template("admin/users.html", rows=rows, form_class=RoleForm)


@bp.post("/users/<int:user_id>/role")
def set_role(user_id: int) -> ResponseReturnValue:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    form = RoleForm()
    if not form.validate_on_submit():
        abort(400)
    if user.id == current_user.id and form.role.data != ROLE_ADMIN:
        flash("You cannot remove your own admin role.", "error")
        return redirect(url_for("admin.users"))
    user.role = form.role.data
    db.session.commit()
    flash(f"{user.username} is now {'an admin' if user.is_admin else 'an author'}.", "success")
    return redirect(url_for("admin.users"))
