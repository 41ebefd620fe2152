"""Security: response headers, CSRF, configurations and cookies."""

from __future__ import annotations

import re

import pytest
from blog_helpers import PASSWORD
from blog_helpers import create_post
from blog_helpers import create_user
from blog_helpers import login

from erlen import Erlen
from erlen.testing import ErlenClient

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
}


@pytest.mark.parametrize("url", ["/", "/login", "/missing", "/api/v1/posts", "/api/v1/missing", "/static/style.css"])
def test_security_headers_everywhere(client: ErlenClient, url: str) -> None:
    response = client.get(url)
    for name, value in SECURITY_HEADERS.items():
        assert response.headers[name] == value
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp
    assert "object-src 'none'" in csp and "frame-ancestors 'none'" in csp
    assert "Strict-Transport-Security" not in response.headers  # only in production


def test_pages_need_no_inline_script_or_style(app: Erlen, client: ErlenClient) -> None:
    """The CSP forbids inline scripts and styles, so the pages must not rely on them."""
    create_user(app, "ann")
    slug = create_post(app, "ann", "Post", tags=["a"])
    login(client, "ann")
    for url in ["/", f"/posts/{slug}", "/write", "/users/ann", "/account", "/tags", "/search?q=post"]:
        page = client.get(url).get_data(as_text=True)
        assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", page) == [], url
        assert " style=" not in page and "<style" not in page, url
        assert re.search(r"\son[a-z]+=", page) is None, url


def csrf_token_from(client: ErlenClient, url: str) -> str:
    page = client.get(url).get_data(as_text=True)
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        r'type="hidden" name="csrf_token" value="([^"]+)"', page
    )
    assert match is not None, page
    return match.group(1)


@pytest.mark.config(WTF_CSRF_ENABLED=True)
def test_forms_reject_missing_or_wrong_csrf_token(app: Erlen, client: ErlenClient) -> None:
    create_user(app, "ann")
    response = client.post("/login", data={"username": "ann", "password": PASSWORD})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Form expired" in page and "security token" in page
    response = client.post("/login", data={"username": "ann", "password": PASSWORD, "csrf_token": "forged"})
    assert response.status_code == 400

    token = csrf_token_from(client, "/login")
    response = client.post("/login", data={"username": "ann", "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302

    slug = create_post(app, "ann", "Post")
    for url, data in [
        ("/write", {"title": "t", "body": "b"}),
        (f"/posts/{slug}/edit", {"title": "t", "body": "b"}),
        (f"/posts/{slug}/delete", {}),
        (f"/posts/{slug}/comments", {"body": "b"}),
        ("/account", {"display_name": "x", "submit": "y"}),
        ("/logout", {}),
    ]:
        assert client.post(url, data=data).status_code == 400, url

    token = csrf_token_from(client, "/write")
    response = client.post("/write", data={"title": "With token", "body": "b", "csrf_token": token})
    assert response.status_code == 302
    token = csrf_token_from(client, f"/posts/{slug}")
    assert client.post(f"/posts/{slug}/delete", data={"csrf_token": token}).status_code == 302
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302


@pytest.mark.config(WTF_CSRF_ENABLED=True)
def test_admin_actions_need_csrf_token(app: Erlen, client: ErlenClient) -> None:
    create_user(app, "root", role="admin")
    create_user(app, "bob")
    client.post("/login", data={"username": "root", "password": PASSWORD, "csrf_token": csrf_token_from(client, "/login")})
    assert client.post("/admin/users/2/role", data={"role": "admin"}).status_code == 400
    token = csrf_token_from(client, "/admin/users")
    assert client.post("/admin/users/2/role", data={"role": "admin", "csrf_token": token}).status_code == 302


@pytest.mark.config(WTF_CSRF_ENABLED=True)
def test_csrf_token_of_another_session_is_rejected(app: Erlen) -> None:
    create_user(app, "ann")
    first, second = app.test_client(), app.test_client()
    token = csrf_token_from(first, "/login")
    csrf_token_from(second, "/login")  # the second browser has its own session
    response = second.post("/login", data={"username": "ann", "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 400


def test_production_refuses_to_start_without_secret_key(monkeypatch: pytest.MonkeyPatch) -> None:
    from blog import create_app

    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="needs SECRET_KEY in the environment"):
        create_app("production", {"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    monkeypatch.setenv("SECRET_KEY", "")
    with pytest.raises(RuntimeError, match="needs SECRET_KEY"):
        create_app("production", {"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    monkeypatch.setenv("SECRET_KEY", "too-short")
    with pytest.raises(RuntimeError, match="too short"):
        create_app("production", {"SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_production_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    from blog import create_app
    from blog.extensions import db

    key = "k" * 48
    monkeypatch.setenv("SECRET_KEY", key)
    app = create_app("production", {"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["SECRET_KEY"] == key
    assert app.config["JWT_SECRET_KEY"] == key
    assert not app.debug and not app.testing
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    assert app.config["SESSION_COOKIE_HTTPONLY"] and app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    with app.app_context():
        db.create_all()
        from blog.models import User

        user = User(username="ann", email="ann@example.com")
        user.set_password(PASSWORD)
        assert user.password_hash.startswith("scrypt:")
        db.session.add(user)
        db.session.commit()
    client = app.test_client()
    response = client.get("/", base_url="https://blog.example")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    response = client.post(
        "/login", base_url="https://blog.example", data={"username": "ann", "password": PASSWORD, "remember": "y"}
    )
    # CSRF is on in production: without a token the form is refused.
    assert response.status_code == 400
    page = client.get("/login", base_url="https://blog.example").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert token is not None
    response = client.post(
        "/login",
        base_url="https://blog.example",
        headers={"Referer": "https://blog.example/login"},
        data={"username": "ann", "password": PASSWORD, "remember": "y", "csrf_token": token.group(1)},
    )
    assert response.status_code == 302
    cookies = response.headers.getlist("Set-Cookie")
    assert any(c.startswith("session=") and "Secure" in c and "HttpOnly" in c and "SameSite=Lax" in c for c in cookies)
    assert any(c.startswith("remember_token=") and "Secure" in c and "HttpOnly" in c for c in cookies)


def test_configurations_by_name(monkeypatch: pytest.MonkeyPatch) -> None:
    from blog import create_app

    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    with pytest.raises(KeyError, match="unknown configuration 'staging'"):
        create_app("staging")
    app = create_app("development", {"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.debug and app.config["SECRET_KEY"]
    monkeypatch.setenv("BLOG_CONFIG", "testing")
    assert create_app().testing


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgres://u:p@db.example:5432/blog", "postgresql+psycopg://u:p@db.example:5432/blog"),
        ("postgresql://u@db.example/blog", "postgresql+psycopg://u@db.example/blog"),
        ("postgresql+psycopg://u@h/b", "postgresql+psycopg://u@h/b"),
        ("sqlite:////srv/blog.db", "sqlite:////srv/blog.db"),
    ],
)
def test_database_url_from_environment(monkeypatch: pytest.MonkeyPatch, url: str, expected: str) -> None:
    from blog import create_app

    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    app = create_app("development")
    assert app.config["SQLALCHEMY_DATABASE_URI"] == expected
    # the testing configuration never touches a real database from the environment
    assert create_app("testing").config["SQLALCHEMY_DATABASE_URI"] == "sqlite://"


def test_sqlite_in_the_instance_folder_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    from blog import create_app

    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app("development")
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "sqlite:///" + app.instance_path + "/blog.sqlite3"
    assert app.instance_path.endswith("examples/blog/instance")
