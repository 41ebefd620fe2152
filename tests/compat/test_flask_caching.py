"""Flask-Caching on erlen: cached views, memoize, query strings, deletion; SimpleCache and a real Redis."""

from __future__ import annotations

import itertools
import typing as t
import uuid

import pytest
import redis
from flask import Flask
from flask import request
from flask.typing import ResponseReturnValue
from flask_caching import Cache

#: Every test runs on the WSGI and on the ASGI front.
pytestmark = pytest.mark.usefixtures("front")


def create_app(config: dict[str, object]) -> tuple[Flask, Cache]:
    app = Flask(__name__)
    app.config.update(config)
    cache = Cache(app)
    counter = itertools.count(1)

    @app.get("/cached")
    @cache.cached(timeout=60)
    def cached() -> ResponseReturnValue:
        return {"n": next(counter)}

    @app.get("/search")
    @cache.cached(timeout=60, query_string=True)
    def search() -> ResponseReturnValue:
        return {"q": request.args.get("q"), "n": next(counter)}

    @app.get("/unless")
    @cache.cached(timeout=60, unless=lambda: request.args.get("fresh") == "1")
    def unless() -> ResponseReturnValue:
        return {"n": next(counter)}

    @cache.memoize(timeout=60)
    def square(x: int) -> dict[str, int]:
        return {"x": x * x, "n": next(counter)}

    @app.get("/square/<int:x>")
    def square_view(x: int) -> ResponseReturnValue:
        return square(x)

    @app.post("/forget/<int:x>")
    def forget(x: int) -> str:
        cache.delete_memoized(square, x)
        return "ok"

    @app.post("/clear")
    def clear() -> str:
        cache.clear()
        return "ok"

    return app, cache


@pytest.fixture(params=["simple", "redis"])
def app_cache(request: pytest.FixtureRequest) -> tuple[Flask, Cache]:
    if request.param == "simple":
        return create_app({"CACHE_TYPE": "SimpleCache"})
    url = request.getfixturevalue("redis_url")
    return create_app(
        {
            "CACHE_TYPE": "RedisCache",
            "CACHE_REDIS_URL": url,
            "CACHE_KEY_PREFIX": f"test-{uuid.uuid4().hex}-",
        }
    )


def test_cached_view(app_cache: tuple[Flask, Cache]) -> None:
    app, cache = app_cache
    client = app.test_client()
    first = client.get("/cached").get_json()
    assert client.get("/cached").get_json() == first
    with app.app_context():
        assert cache.get("view//cached") is not None
    client.post("/clear")
    assert client.get("/cached").get_json() != first


def test_query_string_key(app_cache: tuple[Flask, Cache]) -> None:
    client = app_cache[0].test_client()
    a = client.get("/search?q=a").get_json()
    b = client.get("/search?q=b").get_json()
    assert a["q"] == "a" and b["q"] == "b" and a["n"] != b["n"]
    assert client.get("/search?q=a").get_json() == a


def test_unless(app_cache: tuple[Flask, Cache]) -> None:
    client = app_cache[0].test_client()
    first = client.get("/unless").get_json()
    assert client.get("/unless").get_json() == first
    assert client.get("/unless?fresh=1").get_json() != first


def test_memoize_and_delete(app_cache: tuple[Flask, Cache]) -> None:
    client = app_cache[0].test_client()
    three = client.get("/square/3").get_json()
    assert three["x"] == 9
    assert client.get("/square/3").get_json() == three
    assert client.get("/square/4").get_json()["n"] != three["n"]
    client.post("/forget/3")
    assert client.get("/square/3").get_json()["n"] != three["n"]


def test_direct_api(app_cache: tuple[Flask, Cache]) -> None:
    app, cache = app_cache
    with app.app_context():
        cache.set("k", {"v": 1}, timeout=30)
        assert cache.get("k") == {"v": 1}
        assert cache.add("k", 2) is False
        assert cache.get_many("k", "missing") == [{"v": 1}, None]
        cache.delete("k")
        assert cache.get("k") is None


def test_redis_holds_the_entries(redis_url: str) -> None:
    prefix = f"test-{uuid.uuid4().hex}-"
    app, _ = create_app(
        {"CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": redis_url, "CACHE_KEY_PREFIX": prefix}
    )
    app.test_client().get("/cached")
    client = redis.Redis.from_url(redis_url)
    try:
        assert client.keys(f"{prefix}*") == [f"{prefix}view//cached".encode()]
        # redis-py types results as "Awaitable | Any" (one client class for
        # sync and async); this client is synchronous.
        ttl: int = t.cast(t.Any, client.ttl(f"{prefix}view//cached"))
        assert 0 < ttl <= 60
    finally:
        client.close()
