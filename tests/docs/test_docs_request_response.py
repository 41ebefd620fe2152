"""docs/guides/request-response.md."""

from __future__ import annotations

import io
import types
import typing as t

import pytest

LoadExample = t.Callable[[str], types.ModuleType]


@pytest.mark.parametrize("asgi", [False, True], ids=["wsgi", "asgi"])
def test_request_response_guide(load_example: LoadExample, asgi: bool) -> None:
    app = load_example("request_response").app
    client = app.test_client(asgi=asgi)

    data = client.post(
        "/inspect?tag=a&tag=b&page=x",
        data={"title": "Hi"},
        headers={"User-Agent": "docs-test"},
    ).get_json()
    assert data == {
        "method": "POST",
        "path": "/inspect",
        "url": "http://localhost/inspect?tag=a&tag=b&page=x",
        "tag": "a",
        "tags": ["a", "b"],
        "page": 1,
        "form": {"title": "Hi"},
        "user_agent": "docs-test",
        "theme": None,
        "is_json": False,
    }

    response = client.post(
        "/upload", data={"document": (io.BytesIO(b"hello"), "../../etc/passwd", "text/plain")}
    )
    assert response.get_json() == {"name": "etc_passwd", "size": 5, "type": "text/plain"}
    assert client.post("/upload").status_code == 400

    response = client.get("/text")
    assert response.mimetype == "text/html" and response.text == "plain <em>HTML</em> text"
    response = client.get("/created")
    assert response.status_code == 201 and response.get_json() == {"ok": True}
    assert client.get("/with-headers").headers["Cache-Control"] == "max-age=60"
    response = client.get("/teapot")
    assert response.status_code == 418 and response.headers["X-Kind"] == "teapot"
    assert client.get("/csv").mimetype == "text/csv"

    response = client.get("/theme/dark")
    assert response.status_code == 302
    assert "HttpOnly" in response.headers["Set-Cookie"]
    assert client.get("/inspect").get_json()["theme"] == "dark"
    client.get("/forget-theme")
    assert client.get("/inspect").get_json()["theme"] is None

    assert client.get("/report").headers["X-Report-Version"] == "2"

    response = client.get("/export")
    assert response.data == b"id,name\n1,Ann\n"
    assert response.headers["Content-Disposition"] == "attachment; filename=people.csv"

    big = b"x" * (16 * 1024 * 1024 + 1)
    assert client.post("/inspect", data=big, content_type="application/octet-stream").status_code == 413


@pytest.mark.parametrize("asgi", [False, True], ids=["wsgi", "asgi"])
def test_custom_request_class(load_example: LoadExample, asgi: bool) -> None:
    client = load_example("custom_request").app.test_client(asgi=asgi)
    fields = {f"q{i}": "yes" for i in range(50)}
    assert client.post("/survey", data=fields, content_type="multipart/form-data").get_json() == {"answers": 50}
    fields["q50"] = "no"
    assert client.post("/survey", data=fields, content_type="multipart/form-data").status_code == 413
