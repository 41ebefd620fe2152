"""Fixtures for the Flask-extension tests: the compat layer, redis-server and an SMTP server.

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
import subprocess
import sys
import types
from collections.abc import Iterator
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import default as default_policy
from pathlib import Path
from typing import Any

import pytest
from compat_helpers import SMTPServer
from compat_helpers import free_port
from compat_helpers import stop_process
from compat_helpers import wait_for_port

import erlen.compat.flask as flask_compat

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
