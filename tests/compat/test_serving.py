"""Serving an unmodified Flask app on erlen: the erlen CLI, gunicorn and uvicorn, on 127.0.0.1."""

from __future__ import annotations

import http.cookiejar
import json
import os
import shutil
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from compat_helpers import free_port
from compat_helpers import stop_process
from compat_helpers import wait_for_port

APP_SOURCE = Path(__file__).parent / "apps" / "flask_hello.py"
NOTES_SOURCE = Path(__file__).parent / "apps" / "flask_notes.py"
BIN = Path(sys.executable).parent

#: Variables that would change how the servers find the app.
_CLEARED = ("ERLEN_APP", "FLASK_APP", "ERLEN_FLASK_COMPAT", "ERLEN_DEBUG", "FLASK_DEBUG")


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _CLEARED}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.update(extra)
    return env


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A folder holding the unmodified Flask app as ``hello.py``."""
    shutil.copy(APP_SOURCE, tmp_path / "hello.py")
    return tmp_path


@pytest.fixture
def serve(project: Path) -> Iterator[list[subprocess.Popen[bytes]]]:
    procs: list[subprocess.Popen[bytes]] = []
    try:
        yield procs
    finally:
        for proc in procs:
            stop_process(proc)


def _start(
    procs: list[subprocess.Popen[bytes]], args: list[str], cwd: Path, port: int, **env: str
) -> None:
    proc = subprocess.Popen(
        args, cwd=cwd, env=_env(**env), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    procs.append(proc)
    try:
        wait_for_port(port, proc, timeout=30)
    except Exception:
        stop_process(proc)
        assert proc.stderr is not None
        raise AssertionError(proc.stderr.read().decode()) from None


def _check_app(port: int) -> None:
    base = f"http://127.0.0.1:{port}"
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    with opener.open(f"{base}/", timeout=10) as response:
        assert response.read() == b"<p>Hello from erlen.app</p>"
    with opener.open(f"{base}/api/items/3?tag=a&tag=b", timeout=10) as response:
        assert json.load(response) == {"id": 3, "tags": ["a", "b"]}
    for n in (1, 2):
        request = urllib.request.Request(f"{base}/count", method="POST", data=b"")
        with opener.open(request, timeout=10) as response:
            assert json.load(response) == {"n": n, "is_flask": True}
    try:
        opener.open(f"{base}/api/items/0", timeout=10)
    except urllib.error.HTTPError as e:
        assert e.code == 404
        assert json.load(e) == {"error": "not found"}
    else:
        raise AssertionError("expected a 404")


def test_erlen_cli_command_with_flag(project: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "erlen", "--flask-compat", "--app", "hello.py", "greet"],
        cwd=project, env=_env(), capture_output=True, text=True, timeout=60, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "hello from Erlen"


def test_erlen_cli_env_var(project: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "erlen", "--app", "hello", "routes"],
        cwd=project, env=_env(ERLEN_FLASK_COMPAT="1"), capture_output=True, text=True,
        timeout=60, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "api.item" in result.stdout and "/api/items/<int:item_id>" in result.stdout


def test_erlen_cli_reads_flask_app_and_flaskenv(project: Path) -> None:
    # an unmodified Flask project: .flaskenv names the app, as for 'flask run'
    (project / ".flaskenv").write_text("FLASK_APP=hello.py\n")
    result = subprocess.run(
        [sys.executable, "-m", "erlen", "--flask-compat", "greet"],
        cwd=project, env=_env(), capture_output=True, text=True, timeout=60, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "hello from Erlen"
    (project / ".flaskenv").unlink()
    result = subprocess.run(
        [sys.executable, "-m", "erlen", "greet"],
        cwd=project, env=_env(ERLEN_FLASK_COMPAT="1", FLASK_APP="hello:app"),
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "hello from Erlen"


def test_erlen_cli_without_compat_explains(project: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "erlen", "--app", "hello.py", "routes"],
        cwd=project, env=_env(), capture_output=True, text=True, timeout=60, check=False,
    )
    assert result.returncode != 0
    assert "--flask-compat" in result.stderr


def test_erlen_run(project: Path, serve: list[subprocess.Popen[bytes]]) -> None:
    port = free_port()
    _start(
        serve,
        [sys.executable, "-m", "erlen", "--flask-compat", "--app", "hello.py", "run",
         "--host", "127.0.0.1", "--port", str(port)],
        project, port,
    )
    _check_app(port)


def test_gunicorn(project: Path, serve: list[subprocess.Popen[bytes]]) -> None:
    port = free_port()
    _start(
        serve,
        [str(BIN / "gunicorn"), "--bind", f"127.0.0.1:{port}", "--workers", "1",
         "--no-control-socket", 'erlen.compat.flask:load("hello:app")'],
        project, port,
    )
    _check_app(port)


def test_uvicorn_factory(project: Path, serve: list[subprocess.Popen[bytes]]) -> None:
    port = free_port()
    _start(
        serve,
        [str(BIN / "uvicorn"), "--factory", "erlen.compat.flask:load",
         "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
        project, port, ERLEN_APP="hello.py",
    )
    _check_app(port)


def test_pytest_plugin_runs_a_flask_apps_own_tests(project: Path) -> None:
    (project / "test_hello.py").write_text(
        "import flask\n"
        "from hello import app\n"
        "\n"
        "def test_index():\n"
        "    assert type(app).__module__ == 'erlen.app'\n"
        "    assert isinstance(app, flask.Flask)\n"
        "    client = app.test_client()\n"
        "    assert client.get('/').data == b'<p>Hello from erlen.app</p>'\n"
        "    assert client.post('/count').get_json() == {'n': 1, 'is_flask': True}\n"
    )
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "erlen.compat.pytest_plugin",
         "-p", "no:cacheprovider", "test_hello.py"],
        cwd=project, env=_env(), capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout


def _check_notes(port: int) -> None:
    base = f"http://127.0.0.1:{port}"
    ada = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    bob = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def call(opener: urllib.request.OpenerDirector, method: str, path: str, data: bytes | None = None, json_body: object = None) -> tuple[int, object]:
        headers = {}
        if json_body is not None:
            data = json.dumps(json_body).encode()
            headers["Content-Type"] = "application/json"
        req = urllib.request.Request(f"{base}{path}", method=method, data=data, headers=headers)
        try:
            with opener.open(req, timeout=10) as response:
                return response.status, json.load(response)
        except urllib.error.HTTPError as e:
            return e.code, None

    assert call(ada, "GET", "/notes")[0] == 401
    assert call(ada, "POST", "/login", data=b"name=ada") == (200, {"user": "ada"})
    assert call(ada, "POST", "/notes", json_body={"text": "first"}) == (201, {"id": 1})
    assert call(ada, "POST", "/notes", json_body={"text": "second"}) == (201, {"id": 2})
    assert call(ada, "GET", "/notes") == (200, ["first", "second"])
    assert call(bob, "POST", "/login", data=b"name=bob")[0] == 200
    assert call(bob, "GET", "/notes") == (200, [])
    assert call(bob, "GET", "/notes/1")[0] == 403
    assert call(ada, "GET", "/notes/1") == (200, {"text": "first"})
    assert call(ada, "GET", "/notes/9")[0] == 404


@pytest.mark.parametrize("server", ["gunicorn", "uvicorn"])
def test_extensions_app_on_real_servers(
    project: Path, serve: list[subprocess.Popen[bytes]], server: str
) -> None:
    shutil.copy(NOTES_SOURCE, project / "notes.py")
    port = free_port()
    env = {
        "FLASK_SECRET_KEY": "notes secret",
        "FLASK_SQLALCHEMY_DATABASE_URI": f"sqlite:///{project / 'notes.db'}",
    }
    if server == "gunicorn":
        args = [str(BIN / "gunicorn"), "--bind", f"127.0.0.1:{port}", "--workers", "1",
                "--no-control-socket", 'erlen.compat.flask:load("notes:create_app()")']
    else:
        args = [str(BIN / "uvicorn"), "--factory", "erlen.compat.flask:load",
                "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
        env["ERLEN_APP"] = "notes:create_app()"
    _start(serve, args, project, port, **env)
    _check_notes(port)


def test_app_installing_the_layer_itself_under_the_erlen_cli(project: Path) -> None:
    # Flask extensions' flask.commands plugins (Flask-Limiter's "limiter") are
    # imported when used, so they do not import the real Flask before the app
    # installs the compat layer on its own.
    (project / "selfinstall.py").write_text(
        "import erlen.compat.flask\n"
        "erlen.compat.flask.install()\n"
        "from hello import app\n"
    )
    for args in (["routes"], ["--help"], ["greet"]):
        result = subprocess.run(
            [sys.executable, "-m", "erlen", "--app", "selfinstall.py", *args],
            cwd=project, env=_env(), capture_output=True, text=True, timeout=60, check=False,
        )
        assert result.returncode == 0, result.stderr
        assert "RealFlaskImportedError" not in result.stderr
    assert "limiter" in subprocess.run(
        [sys.executable, "-m", "erlen", "--app", "selfinstall.py", "--help"],
        cwd=project, env=_env(), capture_output=True, text=True, timeout=60, check=False,
    ).stdout
