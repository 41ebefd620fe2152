"""The JSON API under ``/api/v1/``.

Reading is open; writing needs a bearer token from ``POST /api/v1/tokens``
(Flask-JWT-Extended). Errors are JSON ``{"error": message, "status": code}``
(see :mod:`blog.errors`).
"""

from __future__ import annotations

import typing as t

import sqlalchemy as sa
from flask_jwt_extended import JWTManager
from flask_jwt_extended import create_access_token
from flask_jwt_extended import get_current_user
from flask_jwt_extended import jwt_required
from flask_jwt_extended import verify_jwt_in_request

from erlen import Blueprint
from erlen import Response
from erlen import abort
from erlen import current_app
from erlen import jsonify
from erlen import request
from erlen import url_for
from erlen.typing import ResponseReturnValue

from .errors import json_error
from .extensions import db
from .models import Comment
from .models import Post
from .models import Tag
from .models import User
from .models import get_or_create_tags
from .models import parse_tag_names
from .models import published_posts
from .models import unique_slug

bp = Blueprint("api", __name__, url_prefix="/api/v1")


class InvalidInput(Exception):
    """Bad fields in a request body; becomes a 400 with ``fields``."""

    def __init__(self, fields: dict[str, str]) -> None:
        super().__init__(fields)
        self.fields = fields


@bp.errorhandler(InvalidInput)
def invalid_input(error: InvalidInput) -> ResponseReturnValue:
    return json_error(400, "invalid input", fields=error.fields)


def init_jwt(jwt: JWTManager) -> None:
    """Token identities are user ids; token errors are JSON 401s in the API's shape."""

    @jwt.user_identity_loader
    def identity(user: User) -> str:
        return str(user.id)

    @jwt.user_lookup_loader
    def lookup(header: dict[str, t.Any], payload: dict[str, t.Any]) -> User | None:
        subject = str(payload.get("sub", ""))
        return db.session.get(User, int(subject)) if subject.isdigit() else None

    def unauthorized(message: str) -> Response:
        response = jsonify({"error": message, "status": 401})
        response.status_code = 401
        response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
        return response

    jwt.unauthorized_loader(lambda reason: unauthorized("missing or malformed bearer token"))
    jwt.invalid_token_loader(lambda reason: unauthorized("invalid token"))
    jwt.expired_token_loader(lambda header, payload: unauthorized("token expired"))
    jwt.user_lookup_error_loader(lambda header, payload: unauthorized("unknown user"))


def _json_body() -> dict[str, t.Any]:
    data = request.get_json()
    if not isinstance(data, dict):
        abort(400, "the body must be a JSON object")
    return data


def _pagination_args() -> tuple[int, int]:
    page = request.args.get("page", 1, type=int)
    per_page = request.args.get("per_page", current_app.config["API_PER_PAGE"], type=int)
    if page < 1 or per_page < 1:
        abort(400, "page and per_page must be positive integers")
    return page, min(per_page, current_app.config["API_MAX_PER_PAGE"])


def _paginated(query: sa.Select[t.Any], endpoint: str, serialise: t.Callable[[t.Any], dict[str, object]]) -> dict[str, t.Any]:
    page, per_page = _pagination_args()
    result = db.paginate(query, page=page, per_page=per_page, error_out=False)
    args = {key: value for key, value in request.args.items() if key not in {"page", "per_page"}}

    def link(number: int) -> str:
        return url_for(endpoint, page=number, per_page=per_page, _external=True, **args)

    return {
        "items": [serialise(item) for item in result.items],
        "page": page,
        "per_page": per_page,
        "total": result.total,
        "pages": result.pages,
        "links": {
            "self": link(page),
            "next": link(page + 1) if result.has_next else None,
            "prev": link(page - 1) if page > 1 and result.pages else None,
        },
    }


def _post_or_404(slug: str) -> Post:
    post = db.session.scalar(sa.select(Post).where(Post.slug == slug))
    if post is None:
        abort(404, "post not found")
    return post


def _own_post_or_403(slug: str) -> Post:
    post = _post_or_404(slug)
    if not get_current_user().can_edit(post):
        abort(403, "you can only change your own posts")
    return post


def _text_field(data: dict[str, t.Any], name: str, max_length: int, errors: dict[str, str]) -> str | None:
    value = data.get(name)
    if not isinstance(value, str) or not value.strip():
        errors[name] = "required, a non-empty string"
        return None
    if len(value) > max_length:
        errors[name] = f"at most {max_length} characters"
        return None
    return value


def _apply_post_fields(post: Post, data: dict[str, t.Any], *, partial: bool) -> None:
    errors: dict[str, str] = {}
    title = body = None
    if not partial or "title" in data:
        title = _text_field(data, "title", 200, errors)
    if not partial or "body" in data:
        body = _text_field(data, "body", 100_000, errors)
    tags = data.get("tags")
    if tags is not None and not (
        isinstance(tags, list) and all(isinstance(tag, str) for tag in tags) and len(tags) <= 8
    ):
        errors["tags"] = "a list of at most 8 strings"
    published = data.get("published")
    if published is not None and not isinstance(published, bool):
        errors["published"] = "true or false"
    if errors:
        raise InvalidInput(errors)
    if title is not None:
        post.title = title.strip()
    if body is not None:
        post.set_body(body)
    if tags is not None:
        post.tags = get_or_create_tags(parse_tag_names(",".join(tags)))
    if published is not None:
        post.set_published(published)


@bp.get("/")
def index() -> ResponseReturnValue:
    return {
        "posts": url_for("api.list_posts", _external=True),
        "users": url_for("api.list_users", _external=True),
        "tokens": url_for("api.create_token", _external=True),
    }


@bp.post("/tokens")
def create_token() -> ResponseReturnValue:
    data = _json_body()
    username, password = data.get("username"), data.get("password")
    if not isinstance(username, str) or not isinstance(password, str):
        raise InvalidInput({"username": "required", "password": "required"})
    user = db.session.scalar(sa.select(User).where(User.username == username))
    if user is None or not user.check_password(password):
        return json_error(401, "wrong username or password")
    expires = current_app.config["JWT_ACCESS_TOKEN_EXPIRES"]
    return {
        "access_token": create_access_token(identity=user),
        "token_type": "Bearer",
        "expires_in": int(expires.total_seconds()),
    }, 201


@bp.get("/posts")
def list_posts() -> ResponseReturnValue:
    query = published_posts()
    tag = request.args.get("tag")
    if tag:
        query = query.where(Post.tags.any(Tag.name == tag))
    author = request.args.get("author")
    if author:
        query = query.join(User, User.id == Post.author_id).where(User.username == author)
    return _paginated(query, "api.list_posts", lambda post: post.to_dict())


@bp.post("/posts")
@jwt_required()
def create_post() -> ResponseReturnValue:
    data = _json_body()
    post = Post(published=False)
    # NOTE: no autoflush while the post is incomplete (no slug yet); the
    # tags it is given are already in the session.
    with db.session.no_autoflush:
        _apply_post_fields(post, data, partial=False)
        post.slug = unique_slug(post.title)
        post.author = get_current_user()
    db.session.add(post)
    db.session.commit()
    response = jsonify(post.to_dict(with_body=True))
    response.status_code = 201
    response.headers["Location"] = url_for("api.get_post", slug=post.slug, _external=True)
    return response


@bp.get("/posts/<slug>")
def get_post(slug: str) -> ResponseReturnValue:
    post = _post_or_404(slug)
    if not post.published:
        # Drafts are visible to their author (and admins) with a token.
        verify_jwt_in_request(optional=True)
        user = get_current_user()
        if user is None or not user.can_edit(post):
            abort(404, "post not found")
    data = post.to_dict(with_body=True)
    data["comments"] = [comment.to_dict() for comment in post.approved_comments]
    return data


@bp.patch("/posts/<slug>")
@jwt_required()
def update_post(slug: str) -> ResponseReturnValue:
    post = _own_post_or_403(slug)
    _apply_post_fields(post, _json_body(), partial=True)
    db.session.commit()
    return post.to_dict(with_body=True)


@bp.delete("/posts/<slug>")
@jwt_required()
def delete_post(slug: str) -> ResponseReturnValue:
    post = _own_post_or_403(slug)
    db.session.delete(post)
    db.session.commit()
    return "", 204


@bp.post("/posts/<slug>/comments")
@jwt_required()
def create_comment(slug: str) -> ResponseReturnValue:
    post = _post_or_404(slug)
    if not post.published:
        abort(404, "post not found")
    body = _text_field(_json_body(), "body", 5000, errors := {})
    if body is None:
        raise InvalidInput(errors)
    user = get_current_user()
    comment = Comment(post=post, author=user)
    comment.set_body(body)
    comment.approved = user.is_admin or post.author_id == user.id
    db.session.add(comment)
    db.session.commit()
    data = comment.to_dict()
    data["approved"] = comment.approved
    return data, 201


def _user_dict(user: User) -> dict[str, object]:
    data = user.to_dict()
    data["posts"] = url_for("api.list_posts", author=user.username, _external=True)
    return data


@bp.get("/users")
def list_users() -> ResponseReturnValue:
    return _paginated(sa.select(User).order_by(User.username), "api.list_users", _user_dict)


@bp.get("/users/<username>")
def get_user(username: str) -> ResponseReturnValue:
    user = db.session.scalar(sa.select(User).where(User.username == username))
    if user is None:
        abort(404, "user not found")
    data = _user_dict(user)
    data["post_count"] = db.session.scalar(
        sa.select(sa.func.count(Post.id)).where(Post.author_id == user.id, Post.published.is_(True))
    )
    return data
