"""``.erlenenv`` / ``.env`` loading, ``--env-file`` and ``ERLEN_SKIP_DOTENV``."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from cli_helpers import run_erlen
from cli_helpers import subprocess_env
from cli_helpers import write_app
from click.testing import CliRunner

from erlen import Erlen
from erlen.cli import ErlenGroup
from erlen.cli import cli
from erlen.cli import load_dotenv

ENV_APP = """\
import os
import click
from erlen import Erlen, current_app

app = Erlen("envapp")

@app.cli.command("env")
@click.argument("names", nargs=-1)
def env(names):
    for name in names:
        click.echo(f"{name}={os.environ.get(name)}")
    click.echo(f"cwd={os.getcwd()}")
    click.echo(f"debug={current_app.debug}")
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project folder with the app in ``envapp.py``, named by ``.erlenenv``."""
    root = tmp_path / "project"
    write_app(root, "envapp.py", ENV_APP)
    write_app(
        root, ".erlenenv", "ERLEN_APP=envapp\nSHARED=erlenenv\nONLY_ERLENENV=yes\n"
    )
    write_app(root, ".env", "SHARED=dotenv\nSECRET=from-dotenv\n")
    return root


def _values(output: str) -> dict[str, str]:
    return dict(line.split("=", 1) for line in output.splitlines() if "=" in line)


def test_default_files(
    project: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project)
    result = runner.invoke(cli, ["env", "SHARED", "ONLY_ERLENENV", "SECRET"])
    assert result.exit_code == 0, result.output
    values = _values(result.output)
    # .env is read after .erlenenv, so it wins
    assert values["SHARED"] == "dotenv"
    assert values["ONLY_ERLENENV"] == "yes"
    assert values["SECRET"] == "from-dotenv"


def test_help_without_arguments_uses_the_files(
    project: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    # with no arguments click shows the help at once; the app named in
    # .erlenenv must still be found so its commands are listed
    monkeypatch.chdir(project)
    result = runner.invoke(cli, [])
    assert "Commands:" in result.output
    assert "env" in result.output.split("Commands:")[1].split()
    assert "Error" not in result.output


def test_environment_wins_over_files(
    project: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project)
    monkeypatch.setenv("SHARED", "preset")
    result = runner.invoke(cli, ["env", "SHARED"])
    assert _values(result.output)["SHARED"] == "preset"


def test_files_found_from_a_subfolder_without_changing_cwd(
    project: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    # COMPAT: since Flask 2.0 the CLI no longer changes the current folder
    # to the dotenv file's folder, so the app must be importable from here.
    sub = project / "sub"
    sub.mkdir()
    monkeypatch.chdir(sub)
    result = runner.invoke(cli, ["--app", str(project / "envapp.py"), "env", "SECRET"])
    assert result.exit_code == 0, result.output
    values = _values(result.output)
    assert values["SECRET"] == "from-dotenv"
    assert values["cwd"] == str(sub)


def test_skip_dotenv(
    project: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project)
    monkeypatch.setenv("ERLEN_SKIP_DOTENV", "1")
    result = runner.invoke(cli, ["--app", "envapp", "env", "SHARED", "SECRET"])
    values = _values(result.output)
    assert values["SHARED"] == "None"
    assert values["SECRET"] == "None"


def test_env_file_option_wins_over_default_files(
    project: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(project)
    custom = write_app(tmp_path, "custom.env", "SHARED=custom\nCUSTOM_ONLY=1\n")
    result = runner.invoke(
        cli, ["-e", str(custom), "env", "SHARED", "CUSTOM_ONLY", "SECRET"]
    )
    values = _values(result.output)
    assert values["SHARED"] == "custom"
    assert values["CUSTOM_ONLY"] == "1"
    assert values["SECRET"] == "from-dotenv"


def test_env_file_option_loads_even_when_defaults_are_skipped(
    project: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(project)
    monkeypatch.setenv("ERLEN_SKIP_DOTENV", "1")
    custom = write_app(tmp_path, "custom.env", "ERLEN_APP=envapp\nCUSTOM_ONLY=1\n")
    result = runner.invoke(
        cli, ["--env-file", str(custom), "env", "CUSTOM_ONLY", "SECRET"]
    )
    assert result.exit_code == 0, result.output
    values = _values(result.output)
    assert values["CUSTOM_ONLY"] == "1"
    assert values["SECRET"] == "None"


def test_env_file_must_exist(project: Path, runner: CliRunner) -> None:
    result = runner.invoke(cli, ["-e", str(project / "missing.env"), "routes"])
    assert result.exit_code == 2
    assert "missing.env" in result.output
    assert "does not exist" in result.output


def test_debug_from_dotenv(
    project: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project)
    (project / ".env").write_text("ERLEN_DEBUG=1\n", encoding="utf-8")
    result = runner.invoke(cli, ["env"])
    assert _values(result.output)["debug"] == "True"


def test_group_without_dotenv(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project)
    group = ErlenGroup(load_dotenv=False, create_app=lambda: Erlen("x"))

    @group.command("secret")
    def secret() -> None:
        print(os.environ.get("SECRET"))

    result = CliRunner().invoke(group, ["secret"])
    assert result.output.strip() == "None"


def test_load_dotenv_function(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert load_dotenv() is False
    write_app(tmp_path, ".env", "CLI_TEST_A=1\n")
    write_app(tmp_path, "other.env", "CLI_TEST_B=2\nCLI_TEST_A=other\n")
    monkeypatch.delenv("CLI_TEST_A", raising=False)
    monkeypatch.delenv("CLI_TEST_B", raising=False)

    assert load_dotenv(tmp_path / "other.env", load_defaults=False) is True
    assert os.environ["CLI_TEST_A"] == "other"
    assert os.environ["CLI_TEST_B"] == "2"

    # already set: never overridden, but the file still counts as loaded
    assert load_dotenv() is True
    assert os.environ["CLI_TEST_A"] == "other"

    # a path that does not exist is ignored
    assert load_dotenv(tmp_path / "nope.env", load_defaults=False) is False


def test_without_python_dotenv(
    project: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project)
    monkeypatch.setitem(sys.modules, "dotenv", None)  # makes `import dotenv` fail

    assert load_dotenv() is False

    result = runner.invoke(cli, ["--app", "envapp", "env", "SECRET"])
    assert result.exit_code == 0, result.output
    assert "Install python-dotenv to use them" in result.stderr
    assert _values(result.stdout)["SECRET"] == "None"

    result = runner.invoke(cli, ["-e", ".env", "--app", "envapp", "env"])
    assert result.exit_code == 2
    assert "python-dotenv must be installed" in result.output


def test_subprocess_dotenv(project: Path) -> None:
    result = run_erlen(
        ["env", "SHARED", "SECRET"],
        cwd=project,
        env=subprocess_env(SECRET="from-environment"),
    )
    assert result.returncode == 0, result.stderr
    values = _values(result.stdout)
    assert values["SHARED"] == "dotenv"
    assert values["SECRET"] == "from-environment"

    skipped = run_erlen(
        ["--app", "envapp", "env", "SHARED"],
        cwd=project,
        env=subprocess_env(ERLEN_SKIP_DOTENV="1"),
    )
    assert _values(skipped.stdout)["SHARED"] == "None"
