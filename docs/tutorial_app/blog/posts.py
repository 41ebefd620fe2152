"""The public blog: the front page, posts, and writing, editing and deleting them."""

import sqlalchemy as sa
from flask_login import current_user, login_required

from erlen import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for

from .extensions import db
from .forms import PostForm
from .models import Post, unique_slug

bp = Blueprint("blog", __name__)


# --8<-- [start:index]
@bp.get("/")
def index():
    page = request.args.get("page", 1, type=int)
    query = sa.select(Post).order_by(Post.created_at.desc(), Post.id.desc())
    posts = db.paginate(query, page=page, per_page=current_app.config["POSTS_PER_PAGE"])
    return render_template("blog/index.html", posts=posts)


@bp.get("/posts/<slug>")
def show(slug):
    post = db.first_or_404(sa.select(Post).where(Post.slug == slug))
    return render_template("blog/post.html", post=post)
# --8<-- [end:index]


# --8<-- [start:write]
def get_editable_post(slug):
    """The post at slug if the current user may change it: 404 if missing, 403 if not theirs."""
    post = db.first_or_404(sa.select(Post).where(Post.slug == slug))
    if not current_user.can_edit(post):
        abort(403)
    return post


@bp.route("/write", methods=["GET", "POST"])
@login_required
def create():
    form = PostForm()
    if form.validate_on_submit():
        post = Post(
            title=form.title.data,
            slug=unique_slug(form.title.data),
            body=form.body.data,
            # The real User object, not the current_user proxy.
            author=current_user._get_current_object(),
        )
        db.session.add(post)
        db.session.commit()
        flash("Your post is published.", "success")
        return redirect(url_for("blog.show", slug=post.slug))
    return render_template("blog/edit.html", form=form, post=None)


@bp.route("/posts/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit(slug):
    post = get_editable_post(slug)
    form = PostForm(obj=post)
    if form.validate_on_submit():
        post.title = form.title.data
        post.body = form.body.data
        db.session.commit()
        flash("Saved.", "success")
        return redirect(url_for("blog.show", slug=post.slug))
    return render_template("blog/edit.html", form=form, post=post)


@bp.post("/posts/<slug>/delete")
@login_required
def delete(slug):
    post = get_editable_post(slug)
    db.session.delete(post)
    db.session.commit()
    flash("The post is deleted.", "info")
    return redirect(url_for("blog.index"))
# --8<-- [end:write]
