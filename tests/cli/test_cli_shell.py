"""``erlen shell``: namespace, app context, PYTHONSTARTUP, IPython or ``code.interact``."""

from __future__ import annotations

import code
import sys
import types
import typing as t
from pathlib import Path

import pytest
from cli_helpers import run_erlen
from cli_helpers import write_app
from click.testing import CliRunner

from erlen import Erlen
from erlen import has_app_context
from erlen.cli import ScriptInfo
from erlen.cli import cli
from erlen.cli import shell_command


@pytest.fixture
def shell_app() -> Erlen:
    app = Erlen("shell_app")

    @app.shell_context_processor
    def extras() -> dict[str, t.Any]:
        return {"answer": 42}

    return app


@pytest.fixture
def no_ipython(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "IPython", None)  # makes the import fail


class Captured:
    def __init__(self) -> None:
        self.banner: str | None = None
        self.namespace: dict[str, t.Any] = {}
        self.had_context = False


@pytest.fixture
def fake_interact(monkeypatch: pytest.MonkeyPatch) -> Captured:
    captured = Captured()

    def interact(
        banner: str | None = None,
        local: dict[str, t.Any] | None = None,
        **kwargs: t.Any,
    ) -> None:
        captured.banner = banner
        captured.namespace = dict(local or {})
        captured.had_context = has_app_context()

    monkeypatch.setattr(code, "interact", interact)
    return captured


def test_shell_namespace(
    shell_app: Erlen, no_ipython: None, fake_interact: Captured
) -> None:
    result = CliRunner().invoke(
        shell_command, obj=ScriptInfo(create_app=lambda: shell_app)
    )
    assert result.exit_code == 0, result.output
    assert fake_interact.had_context
    assert fake_interact.namespace["app"] is shell_app
    assert "g" in fake_interact.namespace
    assert fake_interact.namespace["answer"] == 42
    banner = fake_interact.banner or ""
    assert banner.startswith(f"Python {sys.version}")
    assert "App: shell_app" in banner
    assert f"Instance: {shell_app.instance_path}" in banner


def test_shell_runs_pythonstartup(
    shell_app: Erlen,
    no_ipython: None,
    fake_interact: Captured,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    startup = write_app(
        tmp_path, "startup.py", "from_startup = 'yes'\nanswer = 'overridden'\n"
    )
    monkeypatch.setenv("PYTHONSTARTUP", str(startup))
    CliRunner().invoke(shell_command, obj=ScriptInfo(create_app=lambda: shell_app))
    assert fake_interact.namespace["from_startup"] == "yes"
    # the shell context is applied after the startup file
    assert fake_interact.namespace["answer"] == 42


def test_shell_reads_stdin(shell_app: Erlen, no_ipython: None) -> None:
    result = CliRunner().invoke(
        shell_command,
        obj=ScriptInfo(create_app=lambda: shell_app),
        input="print('name:', app.name, answer * 2)\n",
    )
    assert result.exit_code == 0, result.output
    assert "name: shell_app 84" in result.output


def test_shell_prefers_ipython(
    shell_app: Erlen, fake_interact: Captured, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[dict[str, t.Any]] = []
    fake = types.ModuleType("IPython")

    def start_ipython(**kwargs: t.Any) -> None:
        calls.append({**kwargs, "context": has_app_context()})

    fake.start_ipython = start_ipython  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "IPython", fake)

    info = ScriptInfo(create_app=lambda: shell_app)
    result = CliRunner().invoke(shell_command, obj=info)
    assert result.exit_code == 0, result.output
    assert len(calls) == 1
    assert calls[0]["argv"] == []
    assert calls[0]["user_ns"]["app"] is shell_app
    assert calls[0]["user_ns"]["answer"] == 42
    assert calls[0]["context"] is True
    assert fake_interact.banner is None  # code.interact was not used

    # --interface python forces the plain shell
    CliRunner().invoke(shell_command, ["--interface", "python"], obj=info)
    assert len(calls) == 1
    assert fake_interact.namespace["answer"] == 42


def test_shell_ipython_required_but_missing(shell_app: Erlen, no_ipython: None) -> None:
    result = CliRunner().invoke(
        shell_command,
        ["--interface", "ipython"],
        obj=ScriptInfo(create_app=lambda: shell_app),
    )
    assert result.exit_code == 2
    assert "IPython is not installed" in result.output


def test_shell_through_the_group(
    apps_dir: Path, no_ipython: None, fake_interact: Captured
) -> None:
    result = CliRunner().invoke(cli, ["--app", "cliapp_commands", "shell"])
    assert result.exit_code == 0, result.output
    assert fake_interact.namespace["app"].name == "cliapp_commands"
    assert fake_interact.namespace["answer"] == 42


def test_subprocess_shell(tmp_path: Path) -> None:
    write_app(
        tmp_path,
        "app.py",
        """\
        from erlen import Erlen
        app = Erlen(__name__)

        @app.shell_context_processor
        def extras():
            return {"answer": 42}
        """,
    )
    result = run_erlen(
        ["shell", "--interface", "python"],
        cwd=tmp_path,
        stdin="g.x = 1\nprint('result:', app.name, answer, g.x)\n",
    )
    assert result.returncode == 0, result.stderr
    assert "result: app 42 1" in result.stdout
    assert "App: app" in result.stderr
