import re

import pytest

from blog import create_app
from blog.extensions import db


# --8<-- [start:read]
def test_index_lists_posts(client):
    response = client.get("/")
    assert "First post" in response.text
    assert "by ann" in response.text


def test_show_post(client):
    assert "Hello!" in client.get("/posts/first-post").text
    assert client.get("/posts/no-such-post").status_code == 404
# --8<-- [end:read]


# --8<-- [start:write]
@pytest.mark.parametrize("path", ["/write", "/posts/first-post/edit"])
def test_writing_needs_a_login(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_create_edit_delete(client, auth):
    auth.login()
    response = client.post("/write", data={"title": "First post", "body": "Again"})
    assert response.headers["Location"] == "/posts/first-post-2"
    response = client.post("/posts/first-post-2/edit", data={"title": "Second post", "body": "<b>Bold</b>"})
    page = client.get("/posts/first-post-2").text
    assert "Second post" in page and "&lt;b&gt;Bold&lt;/b&gt;" in page
    client.post("/posts/first-post-2/delete")
    assert client.get("/posts/first-post-2").status_code == 404


def test_only_the_author_edits(client, auth):
    client.post("/register", data={"username": "bob", "password": "long enough", "confirm": "long enough"})
    assert client.get("/posts/first-post/edit").status_code == 403
    assert client.post("/posts/first-post/delete").status_code == 403
# --8<-- [end:write]


# --8<-- [start:csrf]
def test_forms_need_a_csrf_token():
    app = create_app("testing", {"WTF_CSRF_ENABLED": True})
    with app.app_context():
        db.create_all()
    client = app.test_client()
    data = {"username": "bob", "password": "long enough", "confirm": "long enough"}
    assert client.post("/register", data=data).status_code == 400
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', client.get("/register").text)
    response = client.post("/register", data={**data, "csrf_token": token.group(1)})
    assert response.status_code == 302
# --8<-- [end:csrf]


def test_security_headers(client):
    headers = client.get("/").headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
