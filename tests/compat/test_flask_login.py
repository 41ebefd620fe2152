"""Flask-Login on erlen: login_required, login/logout, remember-me cookie, current_user in templates."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from flask import redirect
from flask import render_template_string
from flask import request
from flask import url_for
from flask.testing import FlaskClient
from flask.typing import ResponseReturnValue
from flask_login import LoginManager
from flask_login import UserMixin
from flask_login import current_user
from flask_login import fresh_login_required
from flask_login import login_required
from flask_login import login_user
from flask_login import logout_user
from flask_login import user_logged_in
from flask_login import user_logged_out

#: Every test runs on the WSGI and on the ASGI front.
pytestmark = pytest.mark.usefixtures("front")


class User(UserMixin):
    def __init__(self, user_id: str, name: str) -> None:
        self.id = user_id
        self.name = name


USERS = {"1": User("1", "ada"), "2": User("2", "grace")}


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["SECRET_KEY"] = "login secret"
    app.config["REMEMBER_COOKIE_DURATION"] = timedelta(days=2)
    manager = LoginManager(app)
    manager.login_view = "login"
    manager.login_message = "Log in first."
    manager.refresh_view = "login"

    @manager.user_loader
    def load_user(user_id: str) -> User | None:
        return USERS.get(user_id)

    @app.route("/login", methods=["GET", "POST"])
    def login() -> ResponseReturnValue:
        if request.method == "POST":
            user = USERS[request.form["id"]]
            login_user(user, remember=request.form.get("remember") == "yes")
            return redirect(request.args.get("next") or url_for("home"))
        return render_template_string(
            "login page {% for m in get_flashed_messages() %}[{{ m }}]{% endfor %}"
        )

    @app.get("/logout")
    def logout() -> ResponseReturnValue:
        logout_user()
        return "bye"

    @app.get("/home")
    @login_required
    def home() -> ResponseReturnValue:
        return render_template_string(
            "{% if current_user.is_authenticated %}hello {{ current_user.name }}"
            "{% else %}anonymous{% endif %}"
        )

    @app.get("/public")
    def public() -> ResponseReturnValue:
        return render_template_string(
            "{{ 'in' if current_user.is_authenticated else 'out' }}"
        )

    @app.get("/fresh")
    @fresh_login_required
    def fresh() -> ResponseReturnValue:
        return "fresh"

    return app


@pytest.fixture
def app() -> Flask:
    return create_app()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def test_login_required_redirects_to_login_view(client: FlaskClient) -> None:
    response = client.get("/home")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=%2Fhome"
    page = client.get(response.headers["Location"])
    assert page.get_data(as_text=True) == "login page [Log in first.]"


def test_login_then_current_user_in_templates(client: FlaskClient) -> None:
    assert client.get("/public").data == b"out"
    response = client.post("/login?next=/home", data={"id": "1"})
    assert response.headers["Location"] == "/home"
    assert client.get("/home").data == b"hello ada"
    assert client.get("/public").data == b"in"
    # no remember-me cookie without remember=True
    assert client.get_cookie("remember_token") is None
    assert client.get("/logout").data == b"bye"
    assert client.get("/home").status_code == 302


def test_remember_me_cookie_restores_the_login(app: Flask, client: FlaskClient) -> None:
    client.post("/login", data={"id": "2", "remember": "yes"})
    cookie = client.get_cookie("remember_token")
    assert cookie is not None
    assert cookie.value.startswith("2|")
    assert cookie.expires is not None
    # a new browser session: only the remember cookie survives
    client.delete_cookie("session")
    assert client.get("/home").data == b"hello grace"
    # a session restored from the cookie is not fresh
    fresh = client.get("/fresh")
    assert fresh.status_code == 302 and fresh.headers["Location"].startswith("/login")
    # a tampered cookie logs nobody in
    other = app.test_client()
    other.set_cookie("remember_token", "1|" + "0" * 128)
    assert other.get("/home").status_code == 302
    # logout clears the remember cookie
    client.get("/logout")
    assert client.get_cookie("remember_token") is None


def test_signals_and_unauthorized_without_login_view() -> None:
    app = Flask(__name__)
    app.secret_key = "s"
    manager = LoginManager()
    manager.init_app(app)
    manager.user_loader(USERS.get)
    events: list[tuple[str, str]] = []

    def on_login(sender: Flask, user: User) -> None:
        events.append(("in", user.name))

    def on_logout(sender: Flask, user: User) -> None:
        events.append(("out", user.name))

    @app.post("/in/<uid>")
    def sign_in(uid: str) -> str:
        login_user(USERS[uid])
        return current_user.name  # type: ignore[no-any-return]

    @app.get("/secret")
    @login_required
    def secret() -> str:
        return "s"

    @app.get("/out")
    def sign_out() -> str:
        logout_user()
        return "ok"

    with user_logged_in.connected_to(on_login, app), user_logged_out.connected_to(on_logout, app):
        client = app.test_client()
        assert client.get("/secret").status_code == 401
        assert client.post("/in/1").data == b"ada"
        assert client.get("/secret").data == b"s"
        client.get("/out")
    assert events == [("in", "ada"), ("out", "ada")]
