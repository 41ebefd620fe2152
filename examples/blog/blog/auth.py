"""Accounts: register, log in and out, profiles."""

from __future__ import annotations

from urllib.parse import urlsplit

import sqlalchemy as sa
from flask_login import current_user
from flask_login import login_required
from flask_login import login_user
from flask_login import logout_user

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
from .forms import LoginForm
from .forms import PasswordForm
from .forms import ProfileForm
from .forms import RegistrationForm
from .models import Post
from .models import User
from .models import published_posts

bp = Blueprint("auth", __name__)


def safe_next_url(target: str | None) -> str | None:
    """``target`` if it is a path on this site, else ``None`` (no open redirects)."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target:
        return None
    return target


@bp.route("/register", methods=["GET", "POST"])
def register() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("blog.index"))
    form = RegistrationForm()
    if form.validate_on_submit():
        user = User(username=form.username.data, email=form.email.data.lower())
        user.set_password(form.password.data)
        db.session.add(user)
        db.session.commit()
        login_user(user)
        flash(f"Welcome, {user.username}! Your account is ready.", "success")
        return redirect(url_for("blog.index"))
    return render_template("auth/register.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("blog.index"))
    form = LoginForm()
    if form.validate_on_submit():
        name = form.username.data.strip().lower()
        user = db.session.scalar(
            sa.select(User).where(sa.or_(sa.func.lower(User.username) == name, sa.func.lower(User.email) == name))
        )
        if user is None or not user.check_password(form.password.data):
            flash("Wrong username or password.", "error")
            return render_template("auth/login.html", form=form), 401
        login_user(user, remember=form.remember.data)
        flash(f"Hello again, {user.name}.", "success")
        return redirect(safe_next_url(request.args.get("next")) or url_for("blog.index"))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
def logout() -> ResponseReturnValue:
    # NOTE: POST only (with the CSRF token), so a link or image on another
    # site cannot log people out.
    if current_user.is_authenticated:
        logout_user()
        flash("You are logged out.", "info")
    return redirect(url_for("blog.index"))


@bp.get("/users/<username>")
def profile(username: str) -> ResponseReturnValue:
    user = db.session.scalar(sa.select(User).where(User.username == username))
    if user is None:
        abort(404)
    page = request.args.get("page", 1, type=int)
    query = published_posts().where(Post.author_id == user.id)
    posts = db.paginate(query, page=page, per_page=current_app.config["POSTS_PER_PAGE"], error_out=True)
    drafts: list[Post] = []
    if current_user.is_authenticated and (current_user.id == user.id or current_user.is_admin):
        drafts = list(
            db.session.scalars(
                sa.select(Post)
                .where(Post.author_id == user.id, Post.published.is_(False))
                .order_by(Post.updated_at.desc())
            )
        )
    return render_template("auth/profile.html", user=user, posts=posts, drafts=drafts)


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account() -> ResponseReturnValue:
    form = ProfileForm(obj=current_user)
    password_form = PasswordForm(prefix="pw")
    if form.submit.data and form.validate_on_submit():
        current_user.display_name = (form.display_name.data or "").strip()
        current_user.bio = (form.bio.data or "").strip()
        db.session.commit()
        flash("Profile saved.", "success")
        return redirect(url_for("auth.profile", username=current_user.username))
    if password_form.submit.data and password_form.validate_on_submit():
        if not current_user.check_password(password_form.current.data):
            password_form.current.errors.append("That is not your current password.")
        else:
            current_user.set_password(password_form.password.data)
            db.session.commit()
            flash("Password changed.", "success")
            return redirect(url_for("auth.account"))
    return render_template("auth/account.html", form=form, password_form=password_form)
