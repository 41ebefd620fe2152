"""Helpers for the ``erlen`` command line tests.

In-process tests drive the click commands with :class:`click.testing.CliRunner`;
subprocess tests run ``python -m erlen`` (or the ``erlen`` script) in a temporary
folder, always with a timeout, and servers are always killed, process group and
all (the reloader starts a child process).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
import urllib.error
import urllib.request
from pathlib import Path

APPS_DIR = Path(__file__).parent / "apps"

#: Environment variables the CLI reads or writes; cleared around each test.
CLI_ENV_VARS = (
    "ERLEN_APP",
    "ERLEN_DEBUG",
    "ERLEN_RUN_FROM_CLI",
    "ERLEN_SKIP_DOTENV",
    "ERLEN_RUN_PORT",
    "ERLEN_RUN_HOST",
    "FLASK_APP",
    "FLASK_DEBUG",
    "FLASK_RUN_FROM_CLI",
    "FLASK_SKIP_DOTENV",
    "WERKZEUG_RUN_MAIN",
    "WERKZEUG_SERVER_FD",
    "PYTHONSTARTUP",
)


def write_app(folder: Path, name: str, source: str) -> Path:
    """Write a module (dedented) into ``folder`` and return its path."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(source), encoding="utf-8")
    return path


def subprocess_env(**extra: str) -> dict[str, str]:
    """The test process environment without the CLI's variables, plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if k not in CLI_ENV_VARS}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env["PYTHONUNBUFFERED"] = "1"
    env.update(extra)
    return env


def run_erlen(
    args: list[str],
    cwd: Path,
    env: dict[str, str] | None = None,
    timeout: float = 60,
    stdin: str | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m erlen ARGS`` to completion and capture its output."""
    return subprocess.run(
        [sys.executable, "-m", "erlen", *args],
        cwd=cwd,
        env=env if env is not None else subprocess_env(),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Server:
    """A development server started with ``python -m erlen ... run`` in a subprocess."""

    def __init__(
        self,
        args: list[str],
        cwd: Path,
        env: dict[str, str],
        run_args: list[str] | None = None,
    ) -> None:
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log_path = cwd / f"server-{self.port}.log"
        self._log = self.log_path.open("w", encoding="utf-8")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "erlen",
                *args,
                "run",
                "--port",
                str(self.port),
                *(run_args or ()),
            ],
            cwd=cwd,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            # A new session, so the reloader's child is killed with its parent.
            start_new_session=True,
        )

    @property
    def output(self) -> str:
        self._log.flush()
        return self.log_path.read_text(encoding="utf-8")

    def wait_until_up(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"server exited early:\n{self.output}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.1)
        raise AssertionError(f"server did not start in {timeout}s:\n{self.output}")

    def get(self, path: str, timeout: float = 10) -> tuple[int, str, dict[str, str]]:
        """GET ``path``; returns ``(status, body, headers)``, errors included."""
        request = urllib.request.Request(self.base_url + path)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                body = response.read().decode("utf-8", "replace")
                return response.status, body, dict(response.headers)
        except urllib.error.HTTPError as e:
            body = e.read().decode("utf-8", "replace")
            return e.code, body, dict(e.headers)

    def stop(self) -> None:
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(self.process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.process.wait(timeout=10)
        else:
            # The reloader's child may outlive a parent that died on its own.
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self._log.close()


class ServerFactory:
    def __init__(self) -> None:
        self.servers: list[Server] = []

    """Starts servers and remembers them, so a fixture can stop them all."""

    def __call__(
        self,
        args: list[str],
        cwd: Path,
        env: dict[str, str] | None = None,
        run_args: list[str] | None = None,
    ) -> Server:
        """Start ``python -m erlen ARGS run --port N RUN_ARGS`` in ``cwd``."""
        env = env if env is not None else subprocess_env()
        server = Server(args, cwd, env, run_args)
        self.servers.append(server)
        return server
