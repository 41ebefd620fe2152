"""A multi-user blog on erlen, built with the usual Flask extensions.

Start it with ``scripts/run`` from the repository root, or by hand from this
folder's parent::

    erlen --flask-compat --app "blog:create_app('development')" init-db
    erlen --flask-compat --app "blog:create_app('development')" seed-db
    erlen --flask-compat --app "blog:create_app('development')" run
"""

from __future__ import annotations

# Flask extensions import ``flask``; erlen stands in for it, so the compat
# layer goes in before any of them is imported.
import erlen.compat.flask

erlen.compat.flask.install()

import os  # noqa: E402
import typing as t  # noqa: E402
from datetime import datetime  # noqa: E402

from erlen import Erlen  # noqa: E402

from . import errors  # noqa: E402
from . import security  # noqa: E402
from .config import CONFIGS  # noqa: E402
from .config import database_url_from_env  # noqa: E402
from .extensions import csrf  # noqa: E402
from .extensions import db  # noqa: E402
from .extensions import jwt  # noqa: E402
from .extensions import login_manager  # noqa: E402
from .extensions import migrate  # noqa: E402

MIGRATIONS_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "migrations")


def create_app(config_name: str | None = None, config_overrides: dict[str, t.Any] | None = None) -> Erlen:
    """Build the blog.

    Args:
        config_name: ``"development"``, ``"testing"`` or ``"production"``;
            ``None`` reads ``BLOG_CONFIG`` and defaults to development.
        config_overrides: settings applied last (tests use this).

    Raises:
        KeyError: an unknown configuration name.
        RuntimeError: the production configuration without ``SECRET_KEY``
            in the environment.
    """
    config_name = config_name or os.environ.get("BLOG_CONFIG", "development")
    try:
        config_class = CONFIGS[config_name]
    except KeyError:
        raise KeyError(f"unknown configuration {config_name!r}; use one of {sorted(CONFIGS)}") from None
    config_class.check()

    app = Erlen(__name__, instance_relative_config=True)
    app.config.from_object(config_class)
    app.config["CONFIG_NAME"] = config_name
    if config_name != "testing":
        if os.environ.get("SECRET_KEY"):
            app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
        url = database_url_from_env()
        if url:
            app.config["SQLALCHEMY_DATABASE_URI"] = url
    if config_overrides:
        app.config.update(config_overrides)
    if not app.config["SQLALCHEMY_DATABASE_URI"]:
        os.makedirs(app.instance_path, exist_ok=True)
        app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + os.path.join(app.instance_path, "blog.sqlite3")
    app.config.setdefault("JWT_SECRET_KEY", app.config["SECRET_KEY"])

    init_extensions(app)
    register_blueprints(app)
    errors.init_app(app)
    security.init_app(app)
    register_template_helpers(app)

    from .commands import register_commands

    register_commands(app)
    return app


def init_extensions(app: Erlen) -> None:
    from . import models

    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS_DIR, render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    jwt.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please log in to continue."
    login_manager.login_message_category = "info"

    @login_manager.user_loader
    def load_user(user_id: str) -> models.User | None:
        if not user_id.isdigit():
            return None
        return db.session.get(models.User, int(user_id))

    from .api import init_jwt

    init_jwt(jwt)


def register_blueprints(app: Erlen) -> None:
    from .admin import bp as admin_bp
    from .api import bp as api_bp
    from .auth import bp as auth_bp
    from .posts import bp as blog_bp

    app.register_blueprint(blog_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(api_bp)
    # The API authenticates with bearer tokens, not cookies, so a forged
    # cross-site form cannot use it: no CSRF token needed there.
    csrf.exempt(api_bp)


def register_template_helpers(app: Erlen) -> None:
    @app.template_filter("date")
    def format_date(value: datetime | None, style: str = "long") -> str:
        if value is None:
            return ""
        if style == "iso":
            return value.strftime("%Y-%m-%d")
        if style == "short":
            return value.strftime("%d %b %Y").lstrip("0")
        return value.strftime("%d %B %Y").lstrip("0")

    @app.context_processor
    def blog_globals() -> dict[str, t.Any]:
        return {
            "blog_title": app.config["BLOG_TITLE"],
            "blog_tagline": app.config["BLOG_TAGLINE"],
        }
