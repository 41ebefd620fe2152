"""The JSON API: listing and filters, posts with comments, users, token auth and JSON errors."""

from __future__ import annotations

import typing as t
from datetime import timedelta

import pytest
from blog_helpers import PASSWORD
from blog_helpers import create_post
from blog_helpers import create_user

from erlen import Erlen
from erlen.testing import ErlenClient


def token_for(client: ErlenClient, username: str, password: str = PASSWORD) -> str:
    response = client.post("/api/v1/tokens", json={"username": username, "password": password})
    assert response.status_code == 201, response.get_json()
    data = response.get_json()
    assert data["token_type"] == "Bearer" and data["expires_in"] == 3600
    return t.cast(str, data["access_token"])


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def assert_json_error(response: t.Any, status: int) -> dict[str, t.Any]:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    data = response.get_json()
    assert isinstance(data["error"], str) and data["error"]
    assert data["status"] == status
    return t.cast(dict[str, t.Any], data)


@pytest.fixture
def authors(app: Erlen) -> Erlen:
    create_user(app, "ann", display_name="Ann A.")
    create_user(app, "bob")
    create_user(app, "root", role="admin")
    return app


def test_index(client: ErlenClient) -> None:
    data = client.get("/api/v1/").get_json()
    assert data["posts"] == "http://localhost/api/v1/posts"
    assert data["tokens"] == "http://localhost/api/v1/tokens"


def test_list_posts_is_paginated(authors: Erlen, client: ErlenClient) -> None:
    for number in range(1, 6):
        create_post(authors, "ann", f"Post {number}", tags=["odd" if number % 2 else "even"])
    create_post(authors, "ann", "Draft", published=False)
    data = client.get("/api/v1/posts?per_page=2").get_json()
    assert [post["title"] for post in data["items"]] == ["Post 5", "Post 4"]
    assert (data["page"], data["per_page"], data["total"], data["pages"]) == (1, 2, 5, 3)
    assert data["links"]["next"] == "http://localhost/api/v1/posts?page=2&per_page=2"
    assert data["links"]["prev"] is None
    last = client.get("/api/v1/posts?page=3&per_page=2").get_json()
    assert [post["title"] for post in last["items"]] == ["Post 1"]
    assert last["links"]["next"] is None
    assert last["links"]["prev"] == "http://localhost/api/v1/posts?page=2&per_page=2"
    item = data["items"][0]
    assert item["slug"] == "post-5" and item["author"] == "ann" and item["tags"] == ["odd"]
    assert item["published"] is True and item["published_at"].endswith("Z")
    assert "body" not in item
    beyond = client.get("/api/v1/posts?page=9").get_json()
    assert beyond["items"] == [] and beyond["total"] == 5


def test_per_page_is_capped_and_checked(authors: Erlen, client: ErlenClient) -> None:
    assert client.get("/api/v1/posts?per_page=1000").get_json()["per_page"] == 100
    assert_json_error(client.get("/api/v1/posts?per_page=0"), 400)
    assert_json_error(client.get("/api/v1/posts?page=-1"), 400)


def test_filter_posts_by_tag_and_author(authors: Erlen, client: ErlenClient) -> None:
    create_post(authors, "ann", "Ann on Python", tags=["python"])
    create_post(authors, "ann", "Ann on Rust", tags=["rust"])
    create_post(authors, "bob", "Bob on Python", tags=["python", "web"])

    def titles(**args: str) -> list[str]:
        return sorted(post["title"] for post in client.get("/api/v1/posts", query_string=args).get_json()["items"])

    assert titles(tag="python") == ["Ann on Python", "Bob on Python"]
    assert titles(author="ann") == ["Ann on Python", "Ann on Rust"]
    assert titles(author="ann", tag="python") == ["Ann on Python"]
    assert titles(tag="nothing") == []
    assert titles(author="nobody") == []
    data = client.get("/api/v1/posts?tag=python&per_page=1").get_json()
    assert data["links"]["next"] == "http://localhost/api/v1/posts?page=2&per_page=1&tag=python"


def test_get_post_with_approved_comments(authors: Erlen, client: ErlenClient) -> None:
    slug = create_post(authors, "ann", "With comments", "Hello **there**", tags=["x"])
    bob = token_for(client, "bob")
    ann = token_for(client, "ann")
    response = client.post(f"/api/v1/posts/{slug}/comments", json={"body": "pending one"}, headers=auth(bob))
    assert response.status_code == 201 and response.get_json()["approved"] is False
    response = client.post(f"/api/v1/posts/{slug}/comments", json={"body": "*author* reply"}, headers=auth(ann))
    assert response.get_json()["approved"] is True
    data = client.get(f"/api/v1/posts/{slug}").get_json()
    assert data["body"] == "Hello **there**"
    assert data["body_html"] == "<p>Hello <strong>there</strong></p>"
    assert [c["body"] for c in data["comments"]] == ["*author* reply"]
    assert data["comments"][0]["body_html"] == "<p><em>author</em> reply</p>"
    assert data["comment_count"] == 1
    assert_json_error(client.get("/api/v1/posts/nope"), 404)


def test_drafts_only_for_their_author(authors: Erlen, client: ErlenClient) -> None:
    slug = create_post(authors, "ann", "Draft", published=False)
    assert_json_error(client.get(f"/api/v1/posts/{slug}"), 404)
    assert_json_error(client.get(f"/api/v1/posts/{slug}", headers=auth(token_for(client, "bob"))), 404)
    assert client.get(f"/api/v1/posts/{slug}", headers=auth(token_for(client, "ann"))).status_code == 200
    assert client.get(f"/api/v1/posts/{slug}", headers=auth(token_for(client, "root"))).status_code == 200
    assert client.get("/api/v1/posts").get_json()["total"] == 0
    response = client.post(f"/api/v1/posts/{slug}/comments", json={"body": "x"}, headers=auth(token_for(client, "ann")))
    assert_json_error(response, 404)


def test_users(authors: Erlen, client: ErlenClient) -> None:
    create_post(authors, "ann", "One")
    create_post(authors, "ann", "Two")
    create_post(authors, "ann", "Draft", published=False)
    data = client.get("/api/v1/users").get_json()
    assert [user["username"] for user in data["items"]] == ["ann", "bob", "root"]
    assert data["total"] == 3
    ann = client.get("/api/v1/users/ann").get_json()
    assert ann["name"] == "Ann A." and ann["role"] == "author" and ann["post_count"] == 2
    assert ann["posts"] == "http://localhost/api/v1/posts?author=ann"
    assert "email" not in ann and "password_hash" not in ann
    assert_json_error(client.get("/api/v1/users/nobody"), 404)


def test_tokens(authors: Erlen, client: ErlenClient) -> None:
    token_for(client, "ann")
    error = assert_json_error(client.post("/api/v1/tokens", json={"username": "ann", "password": "wrong"}), 401)
    assert error["error"] == "wrong username or password"
    assert_json_error(client.post("/api/v1/tokens", json={"username": "ghost", "password": "x"}), 401)
    assert_json_error(client.post("/api/v1/tokens", json={"username": "ann"}), 400)
    assert_json_error(client.post("/api/v1/tokens", json=["ann"]), 400)


def test_writes_need_a_valid_token(authors: Erlen, client: ErlenClient) -> None:
    slug = create_post(authors, "ann", "Post")
    requests = [
        ("post", "/api/v1/posts", {"title": "t", "body": "b"}),
        ("patch", f"/api/v1/posts/{slug}", {"title": "t"}),
        ("delete", f"/api/v1/posts/{slug}", None),
        ("post", f"/api/v1/posts/{slug}/comments", {"body": "b"}),
    ]
    for method, url, body in requests:
        for headers in [{}, {"Authorization": "Bearer not.a.token"}, {"Authorization": "Basic YW5uOng="}]:
            response = getattr(client, method)(url, json=body, headers=headers)
            assert_json_error(response, 401)
            assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert client.get(f"/api/v1/posts/{slug}").get_json()["title"] == "Post"


def test_expired_and_forged_tokens(authors: Erlen, client: ErlenClient) -> None:
    from blog.api import create_access_token

    with authors.app_context():
        from blog.extensions import db
        from blog.models import User

        ann = db.session.get(User, 1)
        expired = create_access_token(identity=ann, expires_delta=timedelta(seconds=-10))
    response = client.post("/api/v1/posts", json={"title": "t", "body": "b"}, headers=auth(expired))
    assert assert_json_error(response, 401)["error"] == "token expired"

    good = token_for(client, "ann")
    header, payload, signature = good.split(".")
    forged = f"{header}.{payload}.{signature[::-1]}"
    response = client.post("/api/v1/posts", json={"title": "t", "body": "b"}, headers=auth(forged))
    assert assert_json_error(response, 401)["error"] == "invalid token"

    other_app_token = _token_signed_with_other_key(authors)
    response = client.post("/api/v1/posts", json={"title": "t", "body": "b"}, headers=auth(other_app_token))
    assert_json_error(response, 401)


def _token_signed_with_other_key(app: Erlen) -> str:
    import jwt

    return jwt.encode({"sub": "1", "type": "access", "fresh": False, "jti": "x"}, "another-secret-that-is-long-enough-for-hs256", algorithm="HS256")


def test_token_of_a_deleted_user(authors: Erlen, client: ErlenClient) -> None:
    token = token_for(client, "bob")
    with authors.app_context():
        from blog.extensions import db
        from blog.models import User

        db.session.delete(db.session.get(User, 2))
        db.session.commit()
    response = client.post("/api/v1/posts", json={"title": "t", "body": "b"}, headers=auth(token))
    assert assert_json_error(response, 401)["error"] == "unknown user"


def test_create_update_delete_a_post(authors: Erlen, client: ErlenClient) -> None:
    token = token_for(client, "ann")
    response = client.post(
        "/api/v1/posts",
        json={"title": "From the API", "body": "# Hi\n\n<script>x()</script>", "tags": ["API", "json"], "published": True},
        headers=auth(token),
    )
    assert response.status_code == 201
    assert response.headers["Location"] == "http://localhost/api/v1/posts/from-the-api"
    data = response.get_json()
    assert data["slug"] == "from-the-api" and data["tags"] == ["api", "json"] and data["author"] == "ann"
    assert data["published"] is True and data["body_html"].strip() == "<h1>Hi</h1>"

    response = client.post("/api/v1/posts", json={"title": "From the API", "body": "again"}, headers=auth(token))
    assert response.get_json()["slug"] == "from-the-api-2"
    assert response.get_json()["published"] is False
    assert client.get("/api/v1/posts").get_json()["total"] == 1

    response = client.patch("/api/v1/posts/from-the-api-2", json={"published": True, "tags": []}, headers=auth(token))
    assert response.status_code == 200
    assert response.get_json()["published"] is True and response.get_json()["body"] == "again"
    response = client.patch("/api/v1/posts/from-the-api", json={"title": "Renamed"}, headers=auth(token))
    assert response.get_json()["title"] == "Renamed" and response.get_json()["slug"] == "from-the-api"

    response = client.delete("/api/v1/posts/from-the-api", headers=auth(token))
    assert response.status_code == 204 and response.data == b""
    assert_json_error(client.get("/api/v1/posts/from-the-api"), 404)
    assert_json_error(client.delete("/api/v1/posts/from-the-api", headers=auth(token)), 404)


def test_only_owners_and_admins_change_posts(authors: Erlen, client: ErlenClient) -> None:
    slug = create_post(authors, "ann", "Ann's")
    bob = token_for(client, "bob")
    error = assert_json_error(client.patch(f"/api/v1/posts/{slug}", json={"title": "mine"}, headers=auth(bob)), 403)
    assert error["error"] == "you can only change your own posts"
    assert_json_error(client.delete(f"/api/v1/posts/{slug}", headers=auth(bob)), 403)
    root = token_for(client, "root")
    assert client.patch(f"/api/v1/posts/{slug}", json={"title": "moderated"}, headers=auth(root)).status_code == 200
    assert client.delete(f"/api/v1/posts/{slug}", headers=auth(root)).status_code == 204


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({}, {"title", "body"}),
        ({"title": "", "body": "x"}, {"title"}),
        ({"title": 3, "body": "x"}, {"title"}),
        ({"title": "t" * 201, "body": "x"}, {"title"}),
        ({"title": "t", "body": "x", "tags": "a,b"}, {"tags"}),
        ({"title": "t", "body": "x", "tags": [str(n) for n in range(9)]}, {"tags"}),
        ({"title": "t", "body": "x", "published": "yes"}, {"published"}),
    ],
)
def test_invalid_post_input(authors: Erlen, client: ErlenClient, body: dict[str, t.Any], fields: set[str]) -> None:
    token = token_for(client, "ann")
    data = assert_json_error(client.post("/api/v1/posts", json=body, headers=auth(token)), 400)
    assert data["error"] == "invalid input"
    assert set(data["fields"]) == fields


def test_bad_json_is_a_json_400(authors: Erlen, client: ErlenClient) -> None:
    token = token_for(client, "ann")
    response = client.post("/api/v1/posts", data="{not json", content_type="application/json", headers=auth(token))
    assert_json_error(response, 400)
    response = client.post("/api/v1/posts", json="a string", headers=auth(token))
    assert assert_json_error(response, 400)["error"] == "the body must be a JSON object"
    response = client.post("/api/v1/posts", data="title=x", headers=auth(token))
    assert_json_error(response, 415)


def test_json_errors_404_405(client: ErlenClient) -> None:
    data = assert_json_error(client.get("/api/v1/nothing-here"), 404)
    assert data["error"] == "not found"
    assert_json_error(client.get("/api/nothing"), 404)
    response = client.put("/api/v1/posts")
    data = assert_json_error(response, 405)
    assert data["error"] == "method not allowed"
    assert set(response.headers["Allow"].split(", ")) >= {"GET", "POST"}


@pytest.mark.config(MAX_CONTENT_LENGTH=1024)
def test_json_error_413(authors: Erlen, client: ErlenClient) -> None:
    token = token_for(client, "ann")
    response = client.post("/api/v1/posts", json={"title": "big", "body": "x" * 5000}, headers=auth(token))
    assert_json_error(response, 413)
    # HTML pages get the HTML error page
    response = client.post("/login", data={"username": "x" * 5000, "password": "y"})
    assert response.status_code == 413 and response.mimetype == "text/html"


@pytest.mark.config(PROPAGATE_EXCEPTIONS=False)
def test_json_error_500(app: Erlen) -> None:
    def boom() -> str:
        raise RuntimeError("kaput")

    app.add_url_rule("/api/v1/boom", "boom", boom)
    app.add_url_rule("/boom", "html_boom", boom)
    client = app.test_client()
    data = assert_json_error(client.get("/api/v1/boom"), 500)
    assert data["error"] == "internal server error"
    assert "kaput" not in client.get("/api/v1/boom").get_data(as_text=True)
    response = client.get("/boom")
    assert response.status_code == 500 and response.mimetype == "text/html"
    assert "Something went wrong on our side." in response.get_data(as_text=True)


def test_html_errors_outside_the_api(client: ErlenClient) -> None:
    for url, status in [("/missing", 404), ("/apiary", 404)]:
        response = client.get(url)
        assert response.status_code == status and response.mimetype == "text/html"
    response = client.put("/")
    assert response.status_code == 405 and response.mimetype == "text/html"
    assert "That method is not allowed here." in response.get_data(as_text=True)


def test_api_needs_no_csrf_token(authors: Erlen) -> None:
    authors.config["WTF_CSRF_ENABLED"] = True
    client = authors.test_client()
    token = token_for(client, "ann")
    response = client.post("/api/v1/posts", json={"title": "t", "body": "b"}, headers=auth(token))
    assert response.status_code == 201
