"""Flask-Limiter on erlen: default, route, shared and exempt limits, headers, 429 handling; memory and a real Redis."""

from __future__ import annotations

import typing as t
import uuid
from typing import cast

import pytest
import redis
from click.testing import CliRunner
from flask import Blueprint
from flask import Flask
from flask import request
from flask_limiter import Limiter
from flask_limiter import RateLimitExceeded
from flask_limiter.util import get_remote_address

from erlen import Erlen
from erlen.cli import ErlenGroup

#: Every test runs on the WSGI and on the ASGI front.
pytestmark = pytest.mark.usefixtures("front")


def create_app(storage_uri: str, prefix: str) -> tuple[Flask, Limiter]:
    app = Flask(__name__)
    app.config["RATELIMIT_HEADERS_ENABLED"] = True
    app.config["RATELIMIT_KEY_PREFIX"] = prefix
    limiter = Limiter(
        get_remote_address,
        app=app,
        default_limits=["5 per minute"],
        storage_uri=storage_uri,
        strategy="fixed-window",
    )
    shared = limiter.shared_limit("3 per minute", scope="shared")

    @app.get("/default")
    def default() -> str:
        return "default"

    @app.get("/slow")
    @limiter.limit("2 per minute")
    def slow() -> str:
        return "slow"

    @app.get("/shared/a")
    @shared
    def shared_a() -> str:
        return "a"

    @app.get("/shared/b")
    @shared
    def shared_b() -> str:
        return "b"

    @app.get("/free")
    @limiter.exempt
    def free() -> str:
        return "free"

    @app.get("/per-user")
    @limiter.limit("1 per minute", key_func=lambda: request.args["user"])
    def per_user() -> str:
        return request.args["user"]

    bp = Blueprint("bp", __name__, url_prefix="/bp")

    @bp.get("/x")
    def bp_x() -> str:
        return "x"

    limiter.limit("1 per minute")(bp)
    app.register_blueprint(bp)

    @app.errorhandler(RateLimitExceeded)
    def too_many(e: RateLimitExceeded) -> tuple[dict[str, str], int]:
        return {"error": f"slow down: {e.description}"}, 429

    return app, limiter


@pytest.fixture(params=["memory", "redis"])
def app(request: pytest.FixtureRequest) -> Flask:
    prefix = f"t{uuid.uuid4().hex}"
    if request.param == "memory":
        return create_app("memory://", prefix)[0]
    return create_app(request.getfixturevalue("redis_url"), prefix)[0]


def test_route_limit_and_headers(app: Flask) -> None:
    client = app.test_client()
    first = client.get("/slow")
    assert first.data == b"slow"
    assert first.headers["X-RateLimit-Limit"] == "2"
    assert first.headers["X-RateLimit-Remaining"] == "1"
    assert int(first.headers["X-RateLimit-Reset"]) > 0
    assert client.get("/slow").status_code == 200
    limited = client.get("/slow")
    assert limited.status_code == 429
    assert limited.get_json() == {"error": "slow down: 2 per 1 minute"}
    assert limited.headers["X-RateLimit-Remaining"] == "0"
    assert "Retry-After" in limited.headers


def test_default_limit(app: Flask) -> None:
    client = app.test_client()
    assert [client.get("/default").status_code for _ in range(6)] == [200] * 5 + [429]


def test_shared_limit(app: Flask) -> None:
    client = app.test_client()
    codes = [client.get(p).status_code for p in ("/shared/a", "/shared/b", "/shared/a", "/shared/b")]
    assert codes == [200, 200, 200, 429]


def test_exempt_and_key_func(app: Flask) -> None:
    client = app.test_client()
    assert all(client.get("/free").status_code == 200 for _ in range(8))
    assert client.get("/per-user?user=ada").status_code == 200
    assert client.get("/per-user?user=ada").status_code == 429
    assert client.get("/per-user?user=bob").status_code == 200


def test_blueprint_limit(app: Flask) -> None:
    client = app.test_client()
    assert client.get("/bp/x").status_code == 200
    assert client.get("/bp/x").status_code == 429


def test_clients_are_counted_apart(app: Flask) -> None:
    one = app.test_client()
    two = app.test_client()
    for _ in range(2):
        assert one.get("/slow").status_code == 200
    assert one.get("/slow").status_code == 429
    other = two.get("/slow", environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert other.status_code == 200


def test_redis_holds_the_counters(redis_url: str) -> None:
    prefix = f"t{uuid.uuid4().hex}"
    app, _ = create_app(redis_url, prefix)
    app.test_client().get("/slow")
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    try:
        # redis-py types results as "Awaitable | Any"; this client is synchronous.
        keys: list[str] = t.cast(t.Any, client.keys(f"*{prefix}*"))
        assert len(keys) == 1 and "slow" in keys[0]
        assert client.get(keys[0]) == "1"
    finally:
        client.close()


def test_limiter_command_from_the_flask_commands_entry_point() -> None:
    # Flask-Limiter registers "limiter" under the flask.commands entry points;
    # the erlen command line loads it, and it sees the app's limits.
    app, _ = create_app("memory://", "cli")
    group = ErlenGroup(create_app=lambda: cast(Erlen, app))  # flask.Flask is Erlen here
    result = CliRunner().invoke(group, ["limiter", "limits"])
    assert result.exit_code == 0, result.output
    assert "slow: /slow" in result.output
    assert "2 per 1 minute" in result.output
