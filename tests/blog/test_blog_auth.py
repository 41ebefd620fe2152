"""Accounts: registration, logging in and out, remember me, profiles and the account page."""

from __future__ import annotations

import typing as t

import pytest
import sqlalchemy as sa
from blog_helpers import PASSWORD
from blog_helpers import create_post
from blog_helpers import create_user
from blog_helpers import login
from blog_helpers import query

from erlen import Erlen
from erlen.testing import ErlenClient


def _user(username: str) -> t.Any:
    from blog.extensions import db
    from blog.models import User

    return db.session.scalar(sa.select(User).where(User.username == username))


def register(client: ErlenClient, username: str = "ann", **fields: str) -> t.Any:
    data = {
        "username": username,
        "email": f"{username}@example.org",
        "password": PASSWORD,
        "confirm": PASSWORD,
    }
    data.update(fields)
    return client.post("/register", data=data)


def test_register_logs_in_and_hashes_the_password(app: Erlen, client: ErlenClient) -> None:
    response = register(client, "ann", email="Ann@Example.org")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    page = client.get("/").get_data(as_text=True)
    assert "Welcome, ann!" in page
    assert 'href="/users/ann"' in page  # the nav shows who is logged in

    def check() -> None:
        user = _user("ann")
        assert user.email == "ann@example.org"
        assert user.role == "author"
        assert user.password_hash != PASSWORD
        assert PASSWORD not in user.password_hash
        assert user.password_hash.startswith("pbkdf2:sha256")
        assert user.check_password(PASSWORD)
        assert not user.check_password("wrong")

    query(app, check)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"username": "a"}, "Field must be between 3 and 32 characters long."),
        ({"username": "bad name!"}, "Use letters, digits and underscores only."),
        ({"email": "not-an-email"}, "Invalid email address."),
        ({"password": "short", "confirm": "short"}, "Field must be between 8 and 128 characters long."),
        ({"confirm": "something-else"}, "The passwords do not match."),
        ({"username": ""}, "This field is required."),
    ],
)
def test_register_shows_field_errors(client: ErlenClient, fields: dict[str, str], message: str) -> None:
    response = register(client, **fields)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'class="errors"' in page
    assert message in page
    assert 'aria-invalid="true"' in page


def test_register_refuses_taken_username_and_email(app: Erlen, client: ErlenClient) -> None:
    create_user(app, "bob")
    page = register(client, "BOB", email="other@example.org").get_data(as_text=True)
    assert "That username is taken." in page
    page = register(client, "robert", email="BOB@example.com").get_data(as_text=True)
    assert "An account with that email already exists." in page
    assert query(app, lambda: _user("robert")) is None


def test_login_with_username_or_email(app: Erlen, client: ErlenClient) -> None:
    create_user(app, "carol", display_name="Carol C.")
    response = login(client, "carol")
    assert response.status_code == 302
    assert "Hello again, Carol C." in client.get("/").get_data(as_text=True)
    client.post("/logout")
    response = login(client, "CAROL@example.com")
    assert response.status_code == 302


def test_login_wrong_password(app: Erlen, client: ErlenClient) -> None:
    create_user(app, "dave")
    response = login(client, "dave", "not-the-password")
    assert response.status_code == 401
    assert "Wrong username or password." in response.get_data(as_text=True)
    response = login(client, "nobody", "whatever-else")
    assert response.status_code == 401
    # still anonymous
    assert "Log in" in client.get("/").get_data(as_text=True)


def test_login_required_redirects_with_next(app: Erlen, client: ErlenClient) -> None:
    create_user(app, "erin")
    response = client.get("/write")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")
    response = client.post("/login?next=/write", data={"username": "erin", "password": PASSWORD})
    assert response.headers["Location"] == "/write"


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)"]
)
def test_login_ignores_offsite_next(app: Erlen, client: ErlenClient, target: str) -> None:
    create_user(app, "frank")
    response = client.post("/login", query_string={"next": target}, data={"username": "frank", "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_logout_needs_post(app: Erlen, client: ErlenClient) -> None:
    create_user(app, "gina")
    login(client, "gina")
    assert client.get("/logout").status_code == 405
    response = client.post("/logout")
    assert response.status_code == 302
    page = client.get("/").get_data(as_text=True)
    assert "You are logged out." in page
    assert client.get("/write").status_code == 302


def test_remember_me_sets_a_lasting_cookie(app: Erlen, client: ErlenClient) -> None:
    create_user(app, "hank")
    response = login(client, "hank")
    assert not any(c.startswith("remember_token=") for c in response.headers.getlist("Set-Cookie"))

    other = app.test_client()
    response = login(other, "hank", remember="y")
    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("remember_token=")]
    assert len(cookies) == 1
    assert "HttpOnly" in cookies[0]
    assert "Expires=" in cookies[0]

    # A new browser session with only the remember cookie is logged in again.
    remembered = other.get_cookie("remember_token")
    assert remembered is not None
    fresh = app.test_client()
    fresh.set_cookie("remember_token", remembered.value)
    assert fresh.get("/write").status_code == 200


def test_logged_in_users_skip_login_and_register(app: Erlen, client: ErlenClient) -> None:
    create_user(app, "ivy")
    login(client, "ivy")
    assert client.get("/login").status_code == 302
    assert client.get("/register").status_code == 302


def test_profile_lists_published_posts_and_own_drafts(app: Erlen, client: ErlenClient) -> None:
    create_user(app, "jo", display_name="Jo March", bio="Writes *stories*.")
    create_user(app, "kim")
    create_post(app, "jo", "Little Women")
    create_post(app, "jo", "Secret Draft", published=False)

    page = client.get("/users/jo").get_data(as_text=True)
    assert "Jo March" in page
    assert "Writes *stories*." in page  # bios are plain text
    assert "Little Women" in page
    assert "Secret Draft" not in page

    login(client, "kim")
    assert "Secret Draft" not in client.get("/users/jo").get_data(as_text=True)
    client.post("/logout")
    login(client, "jo")
    page = client.get("/users/jo").get_data(as_text=True)
    assert "Secret Draft" in page
    assert "Edit profile" in page
    assert client.get("/users/nobody").status_code == 404


def test_account_updates_profile(app: Erlen, client: ErlenClient) -> None:
    create_user(app, "lou")
    login(client, "lou")
    assert client.get("/account").status_code == 200
    response = client.post("/account", data={"display_name": "Lou Reed", "bio": "Walks on the wild side.", "submit": "y"})
    assert response.status_code == 302
    page = client.get("/users/lou").get_data(as_text=True)
    assert "Lou Reed" in page and "Walks on the wild side." in page
    response = client.post("/account", data={"display_name": "x" * 65, "submit": "y"})
    assert "Field cannot be longer than 64 characters." in response.get_data(as_text=True)


def test_account_changes_password(app: Erlen, client: ErlenClient) -> None:
    create_user(app, "max")
    login(client, "max")
    data = {"pw-current": "wrong-password", "pw-password": "a-new-password", "pw-confirm": "a-new-password", "pw-submit": "y"}
    response = client.post("/account", data=data)
    assert "That is not your current password." in response.get_data(as_text=True)
    data["pw-current"] = PASSWORD
    assert client.post("/account", data=data).status_code == 302
    client.post("/logout")
    assert login(client, "max").status_code == 401
    assert login(client, "max", "a-new-password").status_code == 302


def test_account_needs_login(client: ErlenClient) -> None:
    assert client.get("/account").status_code == 302
