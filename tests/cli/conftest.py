"""Fixtures for the ``erlen`` command line tests (helpers are in ``cli_helpers``)."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_helpers import APPS_DIR
from cli_helpers import CLI_ENV_VARS
from cli_helpers import ServerFactory
from click.testing import CliRunner

from erlen.globals import _cv_app


@pytest.fixture(autouse=True)
def _isolate_cli_state(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """Reset the environment, cwd, sys.path and imported test apps around a test."""
    saved_environ = dict(os.environ)
    saved_path = list(sys.path)
    for name in CLI_ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    try:
        yield
        # a command must never leave an app context pushed behind it
        assert _cv_app.get(None) is None, "an app context was left pushed"
    finally:
        os.environ.clear()
        os.environ.update(saved_environ)
        sys.path[:] = saved_path
        roots = (str(APPS_DIR), str(tmp_path))
        for name, module in list(sys.modules.items()):
            filename = getattr(module, "__file__", None) or ""
            if filename.startswith(roots):
                del sys.modules[name]


@pytest.fixture
def apps_dir(monkeypatch: pytest.MonkeyPatch) -> Path:
    """The folder of test apps, made the current folder."""
    monkeypatch.chdir(APPS_DIR)
    return APPS_DIR


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def start_server() -> Iterator[ServerFactory]:
    """Start ``erlen run`` servers; every one is killed when the test ends."""
    factory = ServerFactory()
    try:
        yield factory
    finally:
        for server in factory.servers:
            server.stop()
