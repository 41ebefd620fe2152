"""Flask-Talisman on erlen: HTTPS redirect, HSTS, CSP with nonces, per-view options, secure session cookies."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask import render_template_string
from flask import session
from flask.testing import FlaskClient
from flask_talisman import Talisman

#: Every test runs on the WSGI and on the ASGI front.
pytestmark = pytest.mark.usefixtures("front")

CSP = {"default-src": "'self'", "script-src": "'self'"}


def create_app() -> Flask:
    app = Flask(__name__)
    app.secret_key = "talisman"
    talisman = Talisman(
        app,
        content_security_policy=CSP,
        content_security_policy_nonce_in=["script-src"],
        strict_transport_security_max_age=3600,
    )

    @app.get("/")
    def index() -> str:
        session["seen"] = True
        return render_template_string("<script nonce='{{ csp_nonce() }}'>1</script>")

    @app.get("/embeddable")
    @talisman(frame_options="ALLOW-FROM", frame_options_allow_from="https://host.example")
    def embeddable() -> str:
        return "frame me"

    @app.get("/plain")
    @talisman(force_https=False, content_security_policy={"default-src": "*"})
    def plain() -> str:
        return "plain"

    return app


@pytest.fixture
def client() -> FlaskClient:
    return create_app().test_client()


def test_http_is_redirected_to_https(client: FlaskClient) -> None:
    response = client.get("/?a=1")
    assert response.status_code == 302
    assert response.headers["Location"] == "https://localhost/?a=1"
    assert client.get("/plain").status_code == 200


def test_security_headers_over_https(client: FlaskClient) -> None:
    response = client.get("/", base_url="https://localhost")
    assert response.status_code == 200
    headers = response.headers
    assert headers["Strict-Transport-Security"] == "max-age=3600; includeSubDomains"
    assert headers["X-Frame-Options"] == "SAMEORIGIN"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    csp = headers["Content-Security-Policy"]
    match = re.search(r"script-src 'self' 'nonce-([^']+)'", csp)
    assert match is not None, csp
    # the nonce in the header is the one the template rendered
    assert f"nonce='{match.group(1)}'" in response.get_data(as_text=True)
    # a new nonce per request
    again = client.get("/", base_url="https://localhost").headers["Content-Security-Policy"]
    assert again != csp
    # the session cookie is made secure and HttpOnly
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie


def test_proxy_header_counts_as_https(client: FlaskClient) -> None:
    response = client.get("/", headers={"X-Forwarded-Proto": "https"})
    assert response.status_code == 200


def test_per_view_options(client: FlaskClient) -> None:
    framed = client.get("/embeddable", base_url="https://localhost")
    assert framed.headers["X-Frame-Options"] == "ALLOW-FROM https://host.example"
    plain = client.get("/plain")
    assert plain.headers["Content-Security-Policy"] == "default-src *"
    assert "Strict-Transport-Security" not in plain.headers  # not over HTTPS
