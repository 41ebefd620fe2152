"""Hooks, fixtures and helpers of the Flask-extension tests: the compat layer, redis-server, SMTP.

``conftest.py`` re-exports the hooks and fixtures (it cannot be type-checked:
mypy sees two modules named ``conftest``), and tests import the helpers.

The rest of the suite compares erlen with the real Flask, so the real
``flask`` is imported in this process. The tests here need ``import flask``
to mean erlen instead, so while a module of this folder is imported and while
its tests run, the real Flask modules are set aside and
:func:`erlen.compat.flask.install` is in effect; afterwards they are put
back. Extension modules imported under the compat layer stay imported (they
hold erlen's objects); one imported earlier against the real Flask is
dropped and imported again.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import types
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import default as default_policy
from pathlib import Path
from typing import Any

import pytest

import erlen.compat.flask as flask_compat
from erlen import Erlen
from erlen.testing import ErlenClient


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, proc: subprocess.Popen[Any] | None = None, timeout: float = 20) -> None:
    """Wait until something accepts connections on 127.0.0.1:``port``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"the server exited early with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {timeout} s")


def stop_process(proc: subprocess.Popen[Any]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


@dataclass
class SMTPServer:
    """A local SMTP server; :attr:`messages` holds what it received."""

    host: str
    port: int
    messages: list[EmailMessage] = field(default_factory=list)

    def wait_for(self, count: int, timeout: float = 10) -> list[EmailMessage]:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.messages


#: Names of extension modules imported while the compat layer was installed.
_compat_imported: set[str] = set()
#: The real Flask modules set aside while the compat layer is active.
_saved_real: dict[str, types.ModuleType] = {}
_depth = 0


def _is_flask_module(name: str) -> bool:
    return name == "flask" or name.startswith("flask.")


def _is_extension_module(name: str) -> bool:
    return name.startswith("flask_") or name.startswith("flask-")


#: ``ERLEN_COMPAT_REFERENCE=flask`` runs the extension tests on the real Flask
#: instead (to check what they expect); erlen-only tests skip then.
ON_REAL_FLASK = os.environ.get("ERLEN_COMPAT_REFERENCE") == "flask"


def activate() -> None:
    """Set the real Flask aside and install the compat layer (nestable)."""
    global _depth
    if ON_REAL_FLASK:
        return
    _depth += 1
    if _depth > 1:
        return
    for name in list(sys.modules):
        if _is_flask_module(name):
            _saved_real[name] = sys.modules.pop(name)
        elif _is_extension_module(name) and name not in _compat_imported:
            del sys.modules[name]
    flask_compat.install()


def deactivate() -> None:
    """Uninstall the compat layer and put the real Flask back."""
    global _depth
    if ON_REAL_FLASK:
        return
    _depth -= 1
    if _depth > 0:
        return
    _compat_imported.update(name for name in sys.modules if _is_extension_module(name))
    flask_compat.uninstall()
    sys.modules.update(_saved_real)
    _saved_real.clear()


def pytest_collectstart(collector: pytest.Collector) -> None:
    if isinstance(collector, pytest.Module):
        activate()


def pytest_collectreport(report: pytest.CollectReport) -> None:
    if report.nodeid.endswith(".py"):
        deactivate()


class ASGIFlaskClient(ErlenClient):
    """A test client that sends every request through the app's ASGI front."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["asgi"] = True
        super().__init__(*args, **kwargs)


@pytest.fixture(params=["wsgi", "asgi"])
def front(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a test on the WSGI front and again on the ASGI front.

    On ``asgi``, ``app.test_client()`` of every app the test makes sends its
    requests through ``app.asgi_app``; the test itself is unchanged. Skipped
    on the real Flask (no ASGI front there).
    """
    if request.param == "asgi":
        if ON_REAL_FLASK:
            pytest.skip("the real Flask has no ASGI front")
        monkeypatch.setattr(Erlen, "test_client_class", ASGIFlaskClient)
    return str(request.param)


@pytest.fixture
def erlen_only() -> None:
    """Skip a test that checks erlen itself when the reference run uses the real Flask."""
    if ON_REAL_FLASK:
        pytest.skip("checks erlen itself")


@pytest.fixture(autouse=True, scope="module")
def _flask_compat() -> Iterator[None]:
    """The compat layer, for the whole test module."""
    activate()
    try:
        yield
    finally:
        deactivate()


# -- servers ---------------------------------------------------------------


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real ``redis-server`` on a free port of 127.0.0.1, with its own folder; killed afterwards.

    ``scripts/install-services`` installs it; without it the Redis tests skip
    (and fail when ``CI`` is set).
    """
    executable = shutil.which("redis-server")
    if executable is None:
        message = "redis-server is not installed (run scripts/install-services)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    folder = tmp_path_factory.mktemp("redis")
    port = free_port()
    proc = subprocess.Popen(
        [
            executable,
            "--port", str(port),
            "--bind", "127.0.0.1",
            "--dir", str(folder),
            "--save", "",
            "--appendonly", "no",
            "--daemonize", "no",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port, proc)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        stop_process(proc)


@pytest.fixture
def smtp_server() -> Iterator[SMTPServer]:
    """A real SMTP server (aiosmtpd) on a free port of 127.0.0.1, in a thread."""
    from aiosmtpd.controller import Controller

    server = SMTPServer("127.0.0.1", free_port())

    class Handler:
        async def handle_DATA(self, smtp_server: Any, session: Any, envelope: Any) -> str:
            message = BytesParser(policy=default_policy).parsebytes(envelope.content)
            assert isinstance(message, EmailMessage)
            server.messages.append(message)
            return "250 Message accepted for delivery"

    controller = Controller(Handler(), hostname=server.host, port=server.port)
    controller.start()
    try:
        yield server
    finally:
        controller.stop()


@pytest.fixture
def sqlite_uri(tmp_path: Path) -> str:
    """An SQLAlchemy URI of a real SQLite file in the test's folder."""
    return f"sqlite:///{tmp_path / 'app.db'}"
