"""docs/guides/security.md."""

from __future__ import annotations

import io
import re
import types
import typing as t

import pytest

from erlen.sessions import SecureCookieSessionInterface

LoadExample = t.Callable[[str], types.ModuleType]


@pytest.mark.parametrize("asgi", [False, True], ids=["wsgi", "asgi"])
def test_security_guide(load_example: LoadExample, asgi: bool) -> None:
    app = load_example("security").app
    client = app.test_client(asgi=asgi)

    page = client.get("/account")
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    assert "Strict-Transport-Security" not in page.headers
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert match is not None
    token = match.group(1)
    assert client.post("/account", data={"email": "a@b.c"}).status_code == 400
    assert client.post("/account", data={"email": "a@b.c", "csrf_token": "nope"}).status_code == 400
    response = client.post("/account", data={"email": "a@b.c", "csrf_token": token})
    assert response.get_json() == {"email": "a@b.c"}
    assert client.post("/account", data={"email": "x"}, headers={"X-CSRF-Token": token}).status_code == 200
    assert "Strict-Transport-Security" in client.get("/account", base_url="https://localhost").headers

    assert client.get("/account", headers={"Host": "evil.example"}).status_code == 400
    assert client.get("/account", base_url="http://www.shop.example").status_code == 200

    headers = {"X-CSRF-Token": token}
    too_big = client.post("/upload", data=b"x" * (2 * 1024 * 1024 + 1), content_type="text/plain", headers=headers)
    assert too_big.status_code == 413
    field = {"note": "x" * 100_001}
    assert client.post("/upload", data=field, content_type="multipart/form-data", headers=headers).status_code == 413
    # A URL-encoded form is limited by MAX_CONTENT_LENGTH only, as in Flask.
    assert client.post("/upload", data=field, headers=headers).get_json() == {"fields": 1, "files": 0}
    parts = {f"f{i}": "1" for i in range(201)}
    assert client.post("/upload", data=parts, content_type="multipart/form-data", headers=headers).status_code == 413
    files = {"doc": (io.BytesIO(b"x" * 500_000), "doc.txt")}
    assert client.post("/upload", data=files, headers=headers).get_json() == {"fields": 0, "files": 1}


def test_key_rotation(load_example: LoadExample) -> None:
    app = load_example("security").app
    old_key = app.config["SECRET_KEY_FALLBACKS"][0]
    # A session cookie signed with the old key, before the rotation.
    app.config.update(SECRET_KEY=old_key, SECRET_KEY_FALLBACKS=None)
    serializer = SecureCookieSessionInterface().get_signing_serializer(app)
    assert serializer is not None
    old_cookie = serializer.dumps({"csrf_token": "t0k3n"})
    app.config.update(SECRET_KEY="key-2025-06-a4c1e0f7b59d3a8e6c2f1b0d9e8a7c6b", SECRET_KEY_FALLBACKS=[old_key])

    client = app.test_client()
    client.set_cookie("session", old_cookie)
    response = client.post("/account", data={"email": "a@b.c", "csrf_token": "t0k3n"})
    assert response.status_code == 200
    # Without the fallback, the old cookie no longer verifies.
    app.config["SECRET_KEY_FALLBACKS"] = None
    client = app.test_client()
    client.set_cookie("session", old_cookie)
    assert client.post("/account", data={"email": "a@b.c", "csrf_token": "t0k3n"}).status_code == 400
