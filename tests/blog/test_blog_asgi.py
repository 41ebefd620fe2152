"""The blog through erlen's ASGI front (``app.asgi_app``), the same flows as on WSGI."""

from __future__ import annotations

import pytest
from blog_helpers import PASSWORD
from blog_helpers import create_user

from erlen import Erlen
from erlen.testing import ErlenClient


@pytest.fixture
def asgi_client(app: Erlen) -> ErlenClient:
    return app.test_client(asgi=True)


def test_pages_forms_and_sessions(app: Erlen, asgi_client: ErlenClient) -> None:
    create_user(app, "root", role="admin")
    client = asgi_client
    response = client.post(
        "/register",
        data={"username": "ann", "email": "ann@example.com", "password": PASSWORD, "confirm": PASSWORD},
    )
    assert response.status_code == 302
    response = client.post("/write", data={"title": "Over ASGI", "body": "*async* front", "tags": "asgi", "published": "y"})
    assert response.headers["Location"] == "/posts/over-asgi"
    page = client.get("/posts/over-asgi").get_data(as_text=True)
    assert "<em>async</em> front" in page and "Post published." in page
    response = client.post("/posts/over-asgi/comments", data={"body": "self reply"})
    assert response.status_code == 302
    assert "self reply" in client.get("/posts/over-asgi").get_data(as_text=True)
    assert client.get("/admin/").status_code == 403
    client.post("/logout")
    assert client.post("/login", data={"username": "root", "password": PASSWORD}).status_code == 302
    assert client.get("/admin/").status_code == 200
    response = client.get("/")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "Over ASGI" in response.get_data(as_text=True)


def test_api_and_json_errors(app: Erlen, asgi_client: ErlenClient) -> None:
    create_user(app, "ann")
    client = asgi_client
    token = client.post("/api/v1/tokens", json={"username": "ann", "password": PASSWORD}).get_json()["access_token"]
    response = client.post(
        "/api/v1/posts",
        json={"title": "API over ASGI", "body": "hello", "published": True},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 201
    data = client.get("/api/v1/posts").get_json()
    assert [post["slug"] for post in data["items"]] == ["api-over-asgi"]
    for method, url, status in [("get", "/api/v1/nope", 404), ("put", "/api/v1/posts", 405), ("post", "/api/v1/posts", 401)]:
        response = getattr(client, method)(url, json={})
        assert response.status_code == status
        assert response.get_json()["status"] == status


@pytest.mark.config(MAX_CONTENT_LENGTH=512)
def test_body_limit(app: Erlen, asgi_client: ErlenClient) -> None:
    response = asgi_client.post("/api/v1/tokens", json={"username": "x" * 2000, "password": "y"})
    assert response.status_code == 413
    assert response.get_json()["error"]
