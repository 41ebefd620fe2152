"""Flask-JWT-Extended on erlen: tokens in headers and cookies, refresh, claims, blocklist, errors."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask import jsonify
from flask import request
from flask.testing import FlaskClient
from flask.typing import ResponseReturnValue
from flask_jwt_extended import JWTManager
from flask_jwt_extended import create_access_token
from flask_jwt_extended import create_refresh_token
from flask_jwt_extended import current_user
from flask_jwt_extended import get_jwt
from flask_jwt_extended import get_jwt_identity
from flask_jwt_extended import jwt_required
from flask_jwt_extended import set_access_cookies
from flask_jwt_extended import unset_jwt_cookies
from flask_jwt_extended import verify_jwt_in_request

#: Every test runs on the WSGI and on the ASGI front.
pytestmark = pytest.mark.usefixtures("front")

USERS = {"ada": {"name": "Ada", "role": "admin"}, "bob": {"name": "Bob", "role": "user"}}


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["JWT_SECRET_KEY"] = "jwt secret that is long enough for HS256!"
    app.config["JWT_TOKEN_LOCATION"] = ["headers", "cookies"]
    app.config["JWT_COOKIE_SECURE"] = False
    app.config["JWT_ACCESS_TOKEN_EXPIRES"] = timedelta(minutes=5)
    jwt = JWTManager(app)
    revoked: set[str] = set()

    @jwt.additional_claims_loader
    def claims(identity: str) -> dict[str, Any]:
        return {"role": USERS[identity]["role"]}

    @jwt.user_lookup_loader
    def lookup(header: dict[str, Any], payload: dict[str, Any]) -> dict[str, str] | None:
        return USERS.get(payload["sub"])

    @jwt.token_in_blocklist_loader
    def is_revoked(header: dict[str, Any], payload: dict[str, Any]) -> bool:
        return payload["jti"] in revoked

    @app.post("/login")
    def login() -> ResponseReturnValue:
        user = request.json["user"]
        if user not in USERS:
            return {"msg": "bad user"}, 401
        return {
            "access": create_access_token(identity=user),
            "refresh": create_refresh_token(identity=user),
        }

    @app.post("/login-cookie")
    def login_cookie() -> ResponseReturnValue:
        response = jsonify(ok=True)
        set_access_cookies(response, create_access_token(identity="bob"))
        return response

    @app.post("/logout-cookie")
    def logout_cookie() -> ResponseReturnValue:
        response = jsonify(ok=True)
        unset_jwt_cookies(response)
        return response

    @app.route("/me", methods=["GET", "POST"])
    @jwt_required()
    def me() -> ResponseReturnValue:
        return {"id": get_jwt_identity(), "role": get_jwt()["role"], "name": current_user["name"]}

    @app.post("/refresh")
    @jwt_required(refresh=True)
    def refresh() -> ResponseReturnValue:
        return {"access": create_access_token(identity=get_jwt_identity())}

    @app.delete("/revoke")
    @jwt_required()
    def revoke() -> ResponseReturnValue:
        revoked.add(get_jwt()["jti"])
        return {"msg": "revoked"}

    @app.get("/optional")
    @jwt_required(optional=True)
    def optional() -> ResponseReturnValue:
        return {"id": get_jwt_identity()}

    @app.get("/manual")
    def manual() -> ResponseReturnValue:
        verify_jwt_in_request()
        return {"id": get_jwt_identity()}

    return app


@pytest.fixture
def app() -> Flask:
    return create_app()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def _login(client: FlaskClient, user: str = "ada") -> dict[str, str]:
    tokens = client.post("/login", json={"user": user}).get_json()
    assert isinstance(tokens, dict)
    return tokens


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_access_token_in_header(client: FlaskClient) -> None:
    tokens = _login(client)
    response = client.get("/me", headers=_bearer(tokens["access"]))
    assert response.get_json() == {"id": "ada", "role": "admin", "name": "Ada"}
    assert client.get("/manual", headers=_bearer(tokens["access"])).get_json() == {"id": "ada"}


def test_missing_and_invalid_tokens(client: FlaskClient) -> None:
    missing = client.get("/me")
    assert missing.status_code == 401
    assert missing.get_json() == {"msg": "Missing JWT in headers or cookies (Missing Authorization Header; Missing cookie \"access_token_cookie\")"}
    bad = client.get("/me", headers=_bearer("not.a.token"))
    assert bad.status_code == 422
    assert client.get("/manual").status_code == 401
    assert client.get("/optional").get_json() == {"id": None}


def test_refresh_token_only_where_allowed(client: FlaskClient) -> None:
    tokens = _login(client, "bob")
    assert client.get("/me", headers=_bearer(tokens["refresh"])).status_code == 422
    new = client.post("/refresh", headers=_bearer(tokens["refresh"])).get_json()
    assert client.get("/me", headers=_bearer(new["access"])).get_json()["id"] == "bob"
    assert client.post("/refresh", headers=_bearer(tokens["access"])).status_code == 422


def test_expired_token(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        token = create_access_token(identity="ada", expires_delta=timedelta(seconds=-1))
    response = client.get("/me", headers=_bearer(token))
    assert response.status_code == 401
    assert response.get_json() == {"msg": "Token has expired"}


def test_blocklist(client: FlaskClient) -> None:
    access = _login(client)["access"]
    assert client.delete("/revoke", headers=_bearer(access)).status_code == 200
    response = client.get("/me", headers=_bearer(access))
    assert response.status_code == 401
    assert response.get_json() == {"msg": "Token has been revoked"}


def test_cookies_with_csrf_double_submit(client: FlaskClient) -> None:
    client.post("/login-cookie")
    assert client.get_cookie("access_token_cookie") is not None
    csrf = client.get_cookie("csrf_access_token")
    assert csrf is not None
    # GET needs no CSRF token; POST does
    assert client.get("/me").get_json()["id"] == "bob"
    no_csrf = client.post("/me")
    assert no_csrf.status_code == 401
    assert no_csrf.get_json() == {"msg": "Missing CSRF token"}
    ok = client.post("/me", headers={"X-CSRF-TOKEN": csrf.value})
    assert ok.get_json()["id"] == "bob"
    client.post("/logout-cookie")
    assert client.get_cookie("access_token_cookie") is None
    assert client.get("/me").status_code == 401
