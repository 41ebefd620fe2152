"""docs/guides/errors.md."""

from __future__ import annotations

import logging
import types
import typing as t

import pytest

LoadExample = t.Callable[[str], types.ModuleType]


@pytest.mark.parametrize("asgi", [False, True], ids=["wsgi", "asgi"])
def test_errors_guide(load_example: LoadExample, asgi: bool, caplog: pytest.LogCaptureFixture) -> None:
    app = load_example("errors").app
    client = app.test_client(asgi=asgi)
    response = client.post("/orders/tea")
    assert response.status_code == 409
    assert response.get_json() == {"error": "tea is out of stock"}
    assert client.post("/orders/mug").status_code == 201

    response = client.get("/api/secret")
    assert response.status_code == 403
    assert response.get_json() == {"error": "Forbidden", "description": "You need the key."}
    response = client.get("/api/nothing-here")
    assert response.status_code == 404 and response.get_json()["error"] == "Not Found"
    response = client.get("/nothing-here")
    assert response.status_code == 404 and response.mimetype == "text/html"

    with caplog.at_level(logging.ERROR, logger=app.name):
        response = client.get("/broken")
    assert response.status_code == 500
    assert response.get_json() == {"error": "Something went wrong on our side."}
    assert any(r.exc_info and r.exc_info[0] is ZeroDivisionError for r in caplog.records)

    caplog.clear()
    with caplog.at_level(logging.INFO, logger=app.name):
        client.post("/login", data={"user": "ann"})
    assert "login attempt for 'ann' from 127.0.0.1" in caplog.text


def test_testing_mode_propagates(load_example: LoadExample) -> None:
    app = load_example("errors").app
    app.config["TESTING"] = True
    with pytest.raises(ZeroDivisionError):
        app.test_client().get("/broken")


def test_logging_config(load_example: LoadExample, capsys: pytest.CaptureFixture[str]) -> None:
    root = logging.getLogger()
    saved = (root.level, root.handlers[:])
    try:
        app = load_example("logging_config").app
        from erlen.logging import default_handler

        assert default_handler not in app.logger.handlers
        app.test_client().get("/")
        assert "INFO" in capsys.readouterr().err
    finally:
        root.setLevel(saved[0])
        root.handlers[:] = saved[1]
