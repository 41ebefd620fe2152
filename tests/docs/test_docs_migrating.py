"""docs/migrating.md: the unmodified Flask app through the compat layer, and its port."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import types
import typing as t
from pathlib import Path

import pytest

LoadExample = t.Callable[[str], types.ModuleType]

CHECK = textwrap.dedent(
    """
    import erlen, erlen.compat.flask
    app = erlen.compat.flask.load("flask_app")  # what gunicorn is given in the docs
    assert isinstance(app, erlen.Erlen)
    for asgi in (False, True):
        client = app.test_client(asgi=asgi)
        assert client.get("/").text == "Visit number 1 to erlen.app"
        assert client.get("/").text == "Visit number 2 to erlen.app"
        assert client.post("/api/echo", json={"a": 1}).get_json() == {"a": 1}
    print("ok")
    """
)


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ERLEN_", "FLASK_"))}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def test_unmodified_flask_app_runs_on_erlen(examples_dir: Path) -> None:
    # A fresh interpreter: this test session has the real Flask imported.
    result = subprocess.run(
        [sys.executable, "-c", CHECK], cwd=examples_dir, env=_env(),
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_erlen_cli_serves_it_with_the_flag(examples_dir: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "erlen", "--flask-compat", "--app", "flask_app", "routes"],
        cwd=examples_dir, env=_env(), capture_output=True, text=True, timeout=60, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "/api/echo" in result.stdout


@pytest.mark.parametrize("asgi", [False, True], ids=["wsgi", "asgi"])
def test_ported_app(load_example: LoadExample, asgi: bool) -> None:
    client = load_example("ported_app").app.test_client(asgi=asgi)
    assert client.get("/").text == "Visit number 1 to erlen.app"
    assert client.post("/api/echo", json=[1, 2]).get_json() == [1, 2]
