"""WTForms forms (through Flask-WTF, so each carries a CSRF token)."""

from __future__ import annotations

import re

import sqlalchemy as sa
from flask_wtf import FlaskForm
from wtforms import BooleanField
from wtforms import EmailField
from wtforms import PasswordField
from wtforms import SelectField
from wtforms import StringField
from wtforms import SubmitField
from wtforms import TextAreaField
from wtforms.validators import DataRequired
from wtforms.validators import Email
from wtforms.validators import EqualTo
from wtforms.validators import Length
from wtforms.validators import Optional
from wtforms.validators import Regexp
from wtforms.validators import ValidationError

from .extensions import db
from .models import MAX_TAGS
from .models import ROLES
from .models import User
from .models import parse_tag_names

USERNAME_PATTERN = re.compile(r"^[A-Za-z0-9_]+$")


class RegistrationForm(FlaskForm):
    username = StringField(
        "Username",
        validators=[
            DataRequired(),
            Length(3, 32),
            Regexp(USERNAME_PATTERN, message="Use letters, digits and underscores only."),
        ],
    )
    email = EmailField("Email", validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(8, 128)])
    confirm = PasswordField(
        "Repeat password", validators=[DataRequired(), EqualTo("password", message="The passwords do not match.")]
    )
    submit = SubmitField("Create account")

    def validate_username(self, field: StringField) -> None:
        taken = db.session.scalar(sa.select(User.id).where(sa.func.lower(User.username) == field.data.lower()))
        if taken is not None:
            raise ValidationError("That username is taken.")

    def validate_email(self, field: EmailField) -> None:
        taken = db.session.scalar(sa.select(User.id).where(sa.func.lower(User.email) == field.data.lower()))
        if taken is not None:
            raise ValidationError("An account with that email already exists.")


class LoginForm(FlaskForm):
    username = StringField("Username or email", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired()])
    remember = BooleanField("Keep me logged in")
    submit = SubmitField("Log in")


class ProfileForm(FlaskForm):
    display_name = StringField("Display name", validators=[Optional(), Length(max=64)])
    bio = TextAreaField("About you", validators=[Optional(), Length(max=2000)])
    submit = SubmitField("Save profile")


class PasswordForm(FlaskForm):
    current = PasswordField("Current password", validators=[DataRequired()])
    password = PasswordField("New password", validators=[DataRequired(), Length(8, 128)])
    confirm = PasswordField(
        "Repeat new password",
        validators=[DataRequired(), EqualTo("password", message="The passwords do not match.")],
    )
    submit = SubmitField("Change password")


class PostForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=200)])
    body = TextAreaField("Body (Markdown)", validators=[DataRequired(), Length(max=100_000)])
    tags = StringField(
        "Tags",
        validators=[Optional(), Length(max=300)],
        description=f"Comma-separated, up to {MAX_TAGS}.",
    )
    published = BooleanField("Published")
    submit = SubmitField("Save")

    def validate_tags(self, field: StringField) -> None:
        parts = [part for part in re.split(r"[,;]", field.data or "") if part.strip()]
        if len(parts) > MAX_TAGS:
            raise ValidationError(f"Use at most {MAX_TAGS} tags.")
        if parts and not parse_tag_names(field.data):
            raise ValidationError("Tags need letters or digits.")


class CommentForm(FlaskForm):
    body = TextAreaField("Add a comment", validators=[DataRequired(), Length(max=5000)])
    submit = SubmitField("Post comment")


class ActionForm(FlaskForm):
    """A button-only form for POST actions (delete, approve): just the CSRF token."""


class RoleForm(FlaskForm):
    role = SelectField("Role", choices=list(ROLES))
    submit = SubmitField("Change")
