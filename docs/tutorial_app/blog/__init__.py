"""A small multi-user blog on erlen: the application factory."""

# --8<-- [start:compat]
# Flask extensions import `flask`; erlen stands in for it. This must run
# before any extension is imported, so it comes first in the package.
import erlen.compat.flask

erlen.compat.flask.install()
# --8<-- [end:compat]

# --8<-- [start:factory]
import os  # noqa: E402

from erlen import Erlen  # noqa: E402

from . import errors, security  # noqa: E402
from .config import CONFIGS, database_url_from_env  # noqa: E402
from .extensions import csrf, db, login_manager  # noqa: E402


def create_app(config_name=None, config_overrides=None):
    """Build the blog.

    config_name is "development", "testing" or "production"; None reads
    BLOG_CONFIG and defaults to development. config_overrides are applied
    last (the tests use them).
    """
    config_name = config_name or os.environ.get("BLOG_CONFIG", "development")
    config_class = CONFIGS[config_name]
    config_class.check()

    app = Erlen(__name__, instance_relative_config=True)
    app.config.from_object(config_class)
    if config_name != "testing":
        if os.environ.get("SECRET_KEY"):
            app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
        url = database_url_from_env()
        if url:
            app.config["SQLALCHEMY_DATABASE_URI"] = url
    if config_overrides:
        app.config.update(config_overrides)
    if not app.config["SQLALCHEMY_DATABASE_URI"]:
        # Default: an SQLite file in the instance folder.
        os.makedirs(app.instance_path, exist_ok=True)
        path = os.path.join(app.instance_path, "blog.sqlite3")
        app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + path

    init_extensions(app)
    register_blueprints(app)
    errors.init_app(app)
    security.init_app(app)

    from .commands import register_commands

    register_commands(app)
    return app
# --8<-- [end:factory]


# --8<-- [start:extensions]
def init_extensions(app):
    from .models import User

    db.init_app(app)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message_category = "info"

    @login_manager.user_loader
    def load_user(user_id):
        # Flask-Login stores the user's ID in the session and asks for the
        # user on each request that uses current_user.
        return db.session.get(User, int(user_id)) if user_id.isdigit() else None
# --8<-- [end:extensions]


# --8<-- [start:blueprints]
def register_blueprints(app):
    from .auth import bp as auth_bp
    from .posts import bp as blog_bp

    app.register_blueprint(blog_bp)
    app.register_blueprint(auth_bp)
# --8<-- [end:blueprints]
