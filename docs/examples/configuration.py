import os

from erlen import Erlen


# --8<-- [start:classes]
class Config:
    """Settings shared by every environment."""

    SECRET_KEY = None  # must come from the environment or the instance folder
    DATABASE_URL = "sqlite:///shop.sqlite3"
    MAX_CONTENT_LENGTH = 4 * 1024 * 1024
    SHOP_ITEMS_PER_PAGE = 20


class DevelopmentConfig(Config):
    DEBUG = True
    SECRET_KEY = "dev-only-key"


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing-key"
    DATABASE_URL = "sqlite://"


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"
# --8<-- [end:classes]


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


# --8<-- [start:factory]
def create_app(config_name=None, instance_path=None):
    app = Erlen(__name__, instance_path=instance_path, instance_relative_config=True)
    # 1. Defaults for the chosen environment (uppercase class attributes only).
    config_name = config_name or os.environ.get("SHOP_CONFIG", "development")
    app.config.from_object(CONFIGS[config_name])
    # 2. A file in the instance folder, kept out of version control; optional.
    app.config.from_pyfile("settings.py", silent=True)
    # 3. Environment variables SHOP_SECRET_KEY, SHOP_DATABASE_URL... win last.
    app.config.from_prefixed_env("SHOP")
    if not app.config["SECRET_KEY"]:
        raise RuntimeError("Set SHOP_SECRET_KEY (or SECRET_KEY in instance/settings.py).")

    @app.get("/settings")
    def settings():
        return {
            "debug": app.debug,
            "database": app.config["DATABASE_URL"],
            # Every SHOP_... setting, with the prefix removed and lowercased.
            "shop": app.config.get_namespace("SHOP_"),
        }

    return app
# --8<-- [end:factory]
