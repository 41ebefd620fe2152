"""Flask-CORS on erlen: app-wide resources, preflight requests, credentials, cross_origin, blueprints, errors."""

from __future__ import annotations

import pytest
from flask import Blueprint
from flask import Flask
from flask import abort
from flask.testing import FlaskClient
from flask.typing import ResponseReturnValue
from flask_cors import CORS
from flask_cors import cross_origin

#: Every test runs on the WSGI and on the ASGI front.
pytestmark = pytest.mark.usefixtures("front")


def create_app() -> Flask:
    app = Flask(__name__)
    CORS(
        app,
        resources={r"/api/*": {"origins": ["https://good.example"], "supports_credentials": True}},
        expose_headers=["X-Total"],
        max_age=600,
    )

    @app.route("/api/items", methods=["GET", "PUT"])
    def items() -> ResponseReturnValue:
        return {"items": []}, 200, {"X-Total": "0"}

    @app.get("/api/missing")
    def missing() -> ResponseReturnValue:
        abort(404)

    @app.get("/private")
    def private() -> str:
        return "no cors here"

    @app.get("/open")
    @cross_origin()
    def open_view() -> str:
        return "anyone"

    @app.get("/restricted")
    @cross_origin(origins="https://only.example", methods=["GET"])
    def restricted() -> str:
        return "restricted"

    bp = Blueprint("public", __name__, url_prefix="/public")

    @bp.get("/data")
    def data() -> ResponseReturnValue:
        return {"ok": True}

    CORS(bp, origins="*")
    app.register_blueprint(bp)
    return app


@pytest.fixture
def client() -> FlaskClient:
    return create_app().test_client()


def test_simple_request_allowed_origin(client: FlaskClient) -> None:
    response = client.get("/api/items", headers={"Origin": "https://good.example"})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "https://good.example"
    assert response.headers["Access-Control-Allow-Credentials"] == "true"
    assert response.headers["Access-Control-Expose-Headers"] == "X-Total"


def test_disallowed_origin_gets_no_headers(client: FlaskClient) -> None:
    response = client.get("/api/items", headers={"Origin": "https://evil.example"})
    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response.headers


def test_preflight(client: FlaskClient) -> None:
    response = client.options(
        "/api/items",
        headers={
            "Origin": "https://good.example",
            "Access-Control-Request-Method": "PUT",
            "Access-Control-Request-Headers": "Content-Type, X-Custom",
        },
    )
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "https://good.example"
    assert set(response.headers["Access-Control-Allow-Methods"].split(", ")) >= {"GET", "PUT"}
    allowed = {h.strip().lower() for h in response.headers["Access-Control-Allow-Headers"].split(",")}
    assert allowed == {"content-type", "x-custom"}
    assert response.headers["Access-Control-Max-Age"] == "600"
    assert response.data == b""


def test_error_responses_get_cors_headers(client: FlaskClient) -> None:
    response = client.get("/api/missing", headers={"Origin": "https://good.example"})
    assert response.status_code == 404
    assert response.headers["Access-Control-Allow-Origin"] == "https://good.example"


def test_resources_outside_the_pattern(client: FlaskClient) -> None:
    response = client.get("/private", headers={"Origin": "https://good.example"})
    assert "Access-Control-Allow-Origin" not in response.headers


def test_cross_origin_decorator(client: FlaskClient) -> None:
    response = client.get("/open", headers={"Origin": "https://x.example"})
    # flask-cors 6 echoes the request's origin for a "*" resource
    assert response.headers["Access-Control-Allow-Origin"] == "https://x.example"
    restricted = client.get("/restricted", headers={"Origin": "https://only.example"})
    assert restricted.headers["Access-Control-Allow-Origin"] == "https://only.example"
    denied = client.get("/restricted", headers={"Origin": "https://x.example"})
    assert "Access-Control-Allow-Origin" not in denied.headers
    preflight = client.options(
        "/restricted",
        headers={"Origin": "https://only.example", "Access-Control-Request-Method": "GET"},
    )
    assert preflight.headers["Access-Control-Allow-Methods"] == "GET"


def test_blueprint(client: FlaskClient) -> None:
    response = client.get("/public/data", headers={"Origin": "https://any.example"})
    assert response.get_json() == {"ok": True}
    assert response.headers["Access-Control-Allow-Origin"] == "https://any.example"
