"""Custom commands: ``app.cli``, ``AppGroup``, blueprint groups, plugins, ``--version``."""

from __future__ import annotations

import importlib.metadata
import os
import platform
import sys
from pathlib import Path

import click
import pytest
from cli_helpers import run_erlen
from cli_helpers import write_app
from click.testing import CliRunner

import erlen
from erlen import Erlen
from erlen import current_app
from erlen import has_app_context
from erlen.cli import AppGroup
from erlen.cli import ErlenGroup
from erlen.cli import FlaskGroup
from erlen.cli import ScriptInfo
from erlen.cli import cli
from erlen.cli import pass_script_info
from erlen.cli import with_appcontext


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["bare"], "bare in cliapp_commands"),
        (["greet", "ada"], "hello ada"),
        (["greet", "ada", "--shout"], "HELLO ADA"),
        (["nested", "deep"], "deep in cliapp_commands"),
        (["db", "init"], "initialised the database of cliapp_commands"),
        (["users", "create", "bob"], "created bob in cliapp_commands"),
        (["tool"], "tool at the top level"),
        (["stats", "daily"], "daily report"),
        # app commands always run with the app context pushed by the group
        (["context"], "has_app_context=True"),
    ],
)
def test_app_commands(
    apps_dir: Path, runner: CliRunner, args: list[str], expected: str
) -> None:
    result = runner.invoke(cli, ["--app", "cliapp_commands", *args])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == expected


def test_app_commands_are_listed(apps_dir: Path, runner: CliRunner) -> None:
    result = runner.invoke(cli, ["--app", "cliapp_commands", "--help"])
    assert result.exit_code == 0
    commands = result.output.split("Commands:")[1].split()
    for name in (
        "bare",
        "db",
        "greet",
        "nested",
        "routes",
        "run",
        "shell",
        "stats",
        "tool",
        "users",
    ):
        assert name in commands
    assert "reports" not in commands
    assert "A command declared without parentheses." in result.output


def test_blueprint_group_help(apps_dir: Path, runner: CliRunner) -> None:
    result = runner.invoke(cli, ["--app", "cliapp_commands", "users", "--help"])
    assert result.exit_code == 0
    assert "create" in result.output


def test_app_group_wraps_in_app_context() -> None:
    app = Erlen("grouped")
    group = AppGroup("group")

    @group.command("with")
    def with_ctx() -> None:
        click.echo(f"{has_app_context()} {current_app.name}")

    @group.command("without", with_appcontext=False)
    def without_ctx() -> None:
        click.echo(f"{has_app_context()}")

    @group.group("sub")
    def sub() -> None:
        click.echo(f"sub group callback: {has_app_context()}")

    @sub.command("leaf")
    def leaf() -> None:
        click.echo(f"leaf: {current_app.name}")

    @group.group("plain", with_appcontext=False)
    def plain() -> None:
        click.echo(f"plain group callback: {has_app_context()}")

    @plain.command("leaf")
    def plain_leaf() -> None:
        click.echo(f"plain leaf: {has_app_context()}")

    assert isinstance(sub, AppGroup)
    assert isinstance(plain, AppGroup)

    runner = CliRunner()
    info = ScriptInfo(create_app=lambda: app)
    assert runner.invoke(group, ["with"], obj=info).output == "True grouped\n"
    assert runner.invoke(group, ["without"], obj=info).output == "False\n"
    assert runner.invoke(group, ["sub", "leaf"], obj=info).output == (
        "sub group callback: True\nleaf: grouped\n"
    )
    assert runner.invoke(group, ["plain", "leaf"], obj=info).output == (
        "plain group callback: False\nplain leaf: True\n"
    )


def test_app_group_without_parentheses() -> None:
    group = AppGroup()

    @group.command
    def first() -> None:
        click.echo(current_app.name)

    @group.group
    def second() -> None:
        pass

    assert isinstance(first, click.Command)
    assert first.name == "first"
    assert isinstance(second, AppGroup)
    app = Erlen("bare_app")
    result = CliRunner().invoke(
        group, ["first"], obj=ScriptInfo(create_app=lambda: app)
    )
    assert result.output == "bare_app\n"


def test_with_appcontext_on_a_plain_click_command() -> None:
    @click.command()
    @click.option("--name", default="x")
    @with_appcontext
    def show(name: str) -> None:
        click.echo(f"{name} {current_app.name}")

    app = Erlen("plain_click")
    result = CliRunner().invoke(
        show, ["--name", "y"], obj=ScriptInfo(create_app=lambda: app)
    )
    assert result.exit_code == 0, result.output
    assert result.output == "y plain_click\n"


def test_with_appcontext_uses_an_active_context() -> None:
    @click.command()
    @with_appcontext
    def show() -> None:
        click.echo(current_app.name)

    def fail() -> Erlen:
        raise AssertionError("must not load an app")

    app = Erlen("already_active")
    with app.app_context():
        result = CliRunner().invoke(show, obj=ScriptInfo(create_app=fail))
    assert result.output == "already_active\n"


def test_pass_script_info() -> None:
    @click.command()
    @pass_script_info
    def show(info: ScriptInfo) -> None:
        info.data["seen"] = True
        click.echo(info.load_app().name)

    app = Erlen("info_app")
    info = ScriptInfo(create_app=lambda: app)
    result = CliRunner().invoke(show, obj=info)
    assert result.output == "info_app\n"
    assert info.data == {"seen": True}


def test_custom_group_with_create_app() -> None:
    app = Erlen("custom_group")

    @app.cli.command("hello")
    def hello() -> None:
        click.echo(f"hello from {current_app.name}")

    group = ErlenGroup(create_app=lambda: app, add_default_commands=False)
    runner = CliRunner()
    assert runner.invoke(group, ["hello"]).output == "hello from custom_group\n"
    help_output = runner.invoke(group, ["--help"]).output
    assert "hello" in help_output
    assert "routes" not in help_output


def test_group_without_version_option() -> None:
    group = ErlenGroup(add_version_option=False, create_app=lambda: Erlen("v"))
    result = CliRunner().invoke(group, ["--version"])
    assert result.exit_code == 2
    assert "--version" in result.output and "No such option" in result.output


def test_flask_group_alias() -> None:
    assert FlaskGroup is ErlenGroup


def test_erlen_cli_runner_integration() -> None:
    app = Erlen("runner_app")

    @app.cli.command("hello")
    @click.argument("name", default="world")
    def hello(name: str) -> None:
        click.echo(f"hello {name} from {current_app.name}")

    runner = app.test_cli_runner()
    result = runner.invoke(args=["hello", "erlen"])
    assert result.exit_code == 0, result.output
    assert result.output == "hello erlen from runner_app\n"


def test_run_from_cli_flag_is_set(apps_dir: Path, runner: CliRunner) -> None:
    os.environ.pop("ERLEN_RUN_FROM_CLI", None)
    runner.invoke(cli, ["--app", "cliapp_hello", "whoami"])
    assert os.environ.get("ERLEN_RUN_FROM_CLI") == "true"


# -- plugins -----------------------------------------------------------------

PLUGIN_MODULE = """\
import click
from erlen.cli import AppGroup
from erlen import current_app

@click.command("hello-plugin")
def hello_command():
    click.echo("hello from a plugin")

db_group = AppGroup("db", help="A Flask-extension style group.")

@db_group.command("upgrade")
def upgrade():
    click.echo(f"upgraded {current_app.name}")

@click.command()
def flask_side():
    click.echo("flask side")

@click.command()
def erlen_side():
    click.echo("erlen side")
"""


@pytest.fixture
def plugin_dist(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fake installed distribution declaring command entry points."""
    site = tmp_path / "site"
    write_app(site, "cliplugin_mod.py", PLUGIN_MODULE)
    dist_info = site / "cliplugin-1.0.dist-info"
    write_app(
        dist_info, "METADATA", "Metadata-Version: 2.1\nName: cliplugin\nVersion: 1.0\n"
    )
    write_app(
        dist_info,
        "entry_points.txt",
        """\
        [erlen.commands]
        hello-plugin = cliplugin_mod:hello_command
        both = cliplugin_mod:erlen_side
        broken = cliplugin_missing_module:command

        [flask.commands]
        db = cliplugin_mod:db_group
        both = cliplugin_mod:flask_side
        """,
    )
    monkeypatch.syspath_prepend(str(site))
    importlib.invalidate_caches()
    return site


def test_plugin_commands(plugin_dist: Path) -> None:
    app = Erlen("plugin_host")
    group = ErlenGroup(create_app=lambda: app)
    runner = CliRunner()

    result = runner.invoke(group, ["hello-plugin"])
    assert result.exit_code == 0, result.output
    assert result.stdout == "hello from a plugin\n"
    # the broken entry point is reported, not fatal
    assert "could not load the command 'broken'" in result.stderr

    # a flask.commands group (as Flask-Migrate's "db") runs in the app context
    assert runner.invoke(group, ["db", "upgrade"]).stdout == "upgraded plugin_host\n"
    # erlen.commands wins over flask.commands for the same name
    assert runner.invoke(group, ["both"]).stdout == "erlen side\n"

    help_output = runner.invoke(group, ["--help"]).stdout
    for name in ("hello-plugin", "db", "both", "routes"):
        assert name in help_output


# -- --version -----------------------------------------------------------------


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        f"Python {platform.python_version()}",
        f"Erlen {importlib.metadata.version('erlen')}",
        f"Werkzeug {importlib.metadata.version('werkzeug')}",
        f"Jinja2 {importlib.metadata.version('jinja2')}",
    ]


def test_version_does_not_need_an_app(tmp_path: Path, runner: CliRunner) -> None:
    write_app(tmp_path, "app.py", "raise RuntimeError('never imported')\n")
    result = runner.invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert "never imported" not in result.output


def test_version_with_the_erlen_script(tmp_path: Path) -> None:
    import subprocess

    script = Path(sys.executable).parent / "erlen"
    if not script.exists():
        pytest.skip("the erlen console script is not installed next to python")
    result = subprocess.run(
        [str(script), "--version"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert f"Erlen {importlib.metadata.version('erlen')}" in result.stdout
    assert "Werkzeug" in result.stdout and "Jinja2" in result.stdout


def test_python_dash_m_erlen(tmp_path: Path) -> None:
    result = run_erlen(["--help"], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Usage: python -m erlen" in result.stdout
    assert erlen.Erlen is Erlen


def test_subprocess_custom_and_blueprint_commands(tmp_path: Path) -> None:
    write_app(
        tmp_path,
        "app.py",
        """\
        import click
        from erlen import Blueprint, Erlen, current_app

        app = Erlen(__name__)
        bp = Blueprint("accounts", __name__, cli_group="acct")

        @bp.cli.command("purge")
        @click.option("--days", type=int, default=30)
        def purge(days):
            click.echo(f"purged accounts older than {days} days in {current_app.name}")

        app.register_blueprint(bp)

        @app.cli.command("seed")
        def seed():
            click.echo("seeded " + current_app.name)
        """,
    )
    seeded = run_erlen(["seed"], cwd=tmp_path)
    assert seeded.returncode == 0, seeded.stderr
    assert seeded.stdout == "seeded app\n"
    purged = run_erlen(["acct", "purge", "--days", "7"], cwd=tmp_path)
    assert purged.returncode == 0, purged.stderr
    assert purged.stdout == "purged accounts older than 7 days in app\n"
