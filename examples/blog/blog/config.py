"""Configuration classes, chosen by name in :func:`blog.create_app`.

Values that differ between machines come from the environment:

* ``SECRET_KEY`` signs sessions, remember-me cookies, CSRF tokens and API
  tokens. Development falls back to a fixed value; production refuses to
  start without it.
* ``DATABASE_URL`` selects the database (for example
  ``postgresql://user:pass@host/blog``). Without it the blog uses an SQLite
  file in the instance folder.
"""

from __future__ import annotations

import os
from datetime import timedelta


def database_url_from_env() -> str | None:
    """The SQLAlchemy URL in ``DATABASE_URL``, with the driver the blog ships with.

    Hosting platforms hand out ``postgres://`` and ``postgresql://`` URLs;
    SQLAlchemy needs the dialect spelled out and the blog installs psycopg 3,
    so both become ``postgresql+psycopg://``.
    """
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        return None
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


class Config:
    """Settings shared by every environment."""

    #: Read from the environment by create_app (except under testing).
    SECRET_KEY: str | None = None
    #: ``None`` means "an SQLite file in the instance folder", filled in by
    #: create_app once the instance path is known; ``DATABASE_URL`` wins.
    SQLALCHEMY_DATABASE_URI: str | None = None
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

    BLOG_TITLE = "Field Notes"
    BLOG_TAGLINE = "Writing about software, tools and the craft of building things."
    POSTS_PER_PAGE = 10
    API_PER_PAGE = 20
    API_MAX_PER_PAGE = 100
    #: werkzeug.security.generate_password_hash method.
    PASSWORD_HASH_METHOD = "scrypt"

    #: Request bodies above this many bytes are refused with 413.
    MAX_CONTENT_LENGTH = 512 * 1024

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_DURATION = timedelta(days=14)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    PERMANENT_SESSION_LIFETIME = timedelta(days=7)

    WTF_CSRF_TIME_LIMIT = 3600 * 4

    JWT_TOKEN_LOCATION = ["headers"]
    JWT_ACCESS_TOKEN_EXPIRES = timedelta(hours=1)
    JWT_ERROR_MESSAGE_KEY = "error"

    #: Sent on every response by blog.security.
    CONTENT_SECURITY_POLICY = (
        "default-src 'self'; img-src 'self' https: data:; style-src 'self'; "
        "script-src 'self'; object-src 'none'; base-uri 'self'; "
        "form-action 'self'; frame-ancestors 'none'"
    )
    HSTS = False

    @classmethod
    def check(cls) -> None:
        """Refuse settings that are unsafe for this environment; nothing to check by default."""


class DevelopmentConfig(Config):
    """Local development: debug on, a fixed secret key if none is set."""

    DEBUG = True
    SECRET_KEY = "dev-only-secret-key-never-use-it-in-production"


class TestingConfig(Config):
    """The test suite: an in-memory database, fast password hashes, CSRF off.

    Tests that check CSRF switch ``WTF_CSRF_ENABLED`` back on.
    """

    TESTING = True
    SECRET_KEY = "testing-secret-key-long-enough-for-hs256"
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    WTF_CSRF_ENABLED = False
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"
    SERVER_NAME = None


class ProductionConfig(Config):
    """Deployed behind HTTPS: secure cookies, HSTS, and a secret key from the environment."""

    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"
    HSTS = True

    @classmethod
    def check(cls) -> None:
        """Refuse to start without a long enough ``SECRET_KEY`` in the environment.

        Raises:
            RuntimeError: ``SECRET_KEY`` is unset, or shorter than 32
                characters (it also signs the API's HS256 tokens).
        """
        key = os.environ.get("SECRET_KEY", "")
        hint = " Generate one with: python -c 'import secrets; print(secrets.token_hex(32))'"
        if not key:
            raise RuntimeError("The production configuration needs SECRET_KEY in the environment." + hint)
        if len(key) < 32:
            raise RuntimeError("SECRET_KEY is too short for production (use at least 32 characters)." + hint)


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
