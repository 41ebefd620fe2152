"""Accounts: register, log in and log out."""

from urllib.parse import urlsplit

import sqlalchemy as sa
from flask_login import current_user, login_user, logout_user

from erlen import Blueprint, flash, redirect, render_template, request, url_for

from .extensions import db
from .forms import LoginForm, RegistrationForm
from .models import User

bp = Blueprint("auth", __name__)


# --8<-- [start:register]
@bp.route("/register", methods=["GET", "POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("blog.index"))
    form = RegistrationForm()
    if form.validate_on_submit():
        taken = db.session.scalar(sa.select(User.id).where(User.username == form.username.data))
        if taken is not None:
            form.username.errors.append("That username is taken.")
        else:
            user = User(username=form.username.data)
            user.set_password(form.password.data)
            db.session.add(user)
            db.session.commit()
            login_user(user)
            flash(f"Welcome, {user.username}!", "success")
            return redirect(url_for("blog.index"))
    return render_template("auth/register.html", form=form)
# --8<-- [end:register]


# --8<-- [start:login]
def safe_next_url(target):
    """target if it is a path on this site, else None: no open redirects."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    parts = urlsplit(target)
    return None if parts.scheme or parts.netloc or "\\" in target else target


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = db.session.scalar(sa.select(User).where(User.username == form.username.data))
        if user is None or not user.check_password(form.password.data):
            flash("Wrong username or password.", "error")
            return render_template("auth/login.html", form=form), 401
        login_user(user, remember=form.remember.data)
        return redirect(safe_next_url(request.args.get("next")) or url_for("blog.index"))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
def logout():
    # POST only, with the CSRF token: a link on another site can't log you out.
    logout_user()
    flash("You are logged out.", "info")
    return redirect(url_for("blog.index"))
# --8<-- [end:login]
