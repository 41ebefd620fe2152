"""Configuration classes, chosen by name in create_app."""

import os


def database_url_from_env():
    """The SQLAlchemy URL in DATABASE_URL, or None.

    Hosting platforms hand out postgres:// URLs; SQLAlchemy wants the driver
    spelled out, and the blog uses psycopg 3.
    """
    url = os.environ.get("DATABASE_URL", "").strip()
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url or None


class Config:
    """Settings shared by every environment."""

    SECRET_KEY = None
    # None: an SQLite file in the instance folder, filled in by create_app.
    SQLALCHEMY_DATABASE_URI = None
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    BLOG_TITLE = "Field Notes"
    POSTS_PER_PAGE = 10
    MAX_CONTENT_LENGTH = 512 * 1024
    SESSION_COOKIE_SAMESITE = "Lax"
    HSTS = False

    @classmethod
    def check(cls):
        """Refuse settings that are unsafe for this environment."""


class DevelopmentConfig(Config):
    DEBUG = True
    SECRET_KEY = "dev-only-secret-key-never-use-it-in-production"


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing-secret-key"
    SQLALCHEMY_DATABASE_URI = "sqlite://"  # in memory
    WTF_CSRF_ENABLED = False  # tests that check CSRF turn it back on


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"
    HSTS = True

    @classmethod
    def check(cls):
        key = os.environ.get("SECRET_KEY", "")
        if len(key) < 32:
            raise RuntimeError(
                "The production configuration needs SECRET_KEY in the environment,"
                " at least 32 characters: python -c 'import secrets; print(secrets.token_hex(32))'"
            )


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
