"""App discovery: ``--app``, ``ERLEN_APP``, ``wsgi.py``/``app.py``, and the errors."""

from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest
from cli_helpers import APPS_DIR
from cli_helpers import run_erlen
from cli_helpers import write_app
from click.testing import CliRunner

from erlen import Erlen
from erlen.cli import NoAppException
from erlen.cli import ScriptInfo
from erlen.cli import cli
from erlen.cli import find_app_by_string
from erlen.cli import find_best_app
from erlen.cli import locate_app
from erlen.cli import prepare_import


@pytest.mark.parametrize(
    ("import_path", "expected"),
    [
        ("cliapp_hello", "app=cliapp_hello"),
        ("cliapp_hello:app", "app=cliapp_hello"),
        ("cliapp_hello.py", "app=cliapp_hello"),
        ("./cliapp_hello.py:app", "app=cliapp_hello"),
        ("cliapp_application", "app=cliapp_application"),
        ("cliapp_application:other", None),  # no whoami command on "other"
        ("cliapp_single", "app=cliapp_single"),
        ("cliapp_single:same_site", "app=cliapp_single"),
        ("cliapp_factory", "app=cliapp_factory label=default"),
        ("cliapp_factory:create_app", "app=cliapp_factory label=default"),
        ("cliapp_factory:create_app()", "app=cliapp_factory label=default"),
        ("cliapp_factory:create_app('dev')", "app=cliapp_factory label=dev"),
        ('cliapp_factory:create_app(label="kw")', "app=cliapp_factory label=kw"),
        (
            "cliapp_factory:build('a', 'b', upper=True)",
            "app=cliapp_factory label=AB",
        ),
        ("cliapp_make_app", "app=cliapp_make_app"),
        ("cliapp_pkg", "app=cliapp_pkg"),
        ("cliapp_pkg/", "app=cliapp_pkg"),
        ("cliapp_pkg/__init__.py", "app=cliapp_pkg"),
        ("cliapp_pkg.web", "app=cliapp_pkg.web"),
        ("cliapp_pkg/web.py", "app=cliapp_pkg.web"),
        ("cliapp_pkg.web:web_app", "app=cliapp_pkg.web"),
    ],
)
def test_app_option_forms(
    apps_dir: Path, runner: CliRunner, import_path: str, expected: str | None
) -> None:
    result = runner.invoke(cli, ["--app", import_path, "whoami"])
    if expected is None:
        assert result.exit_code == 2
        assert "No such command 'whoami'" in result.output
    else:
        assert result.exit_code == 0, result.output
        assert result.output.strip() == expected


def test_short_app_option(apps_dir: Path, runner: CliRunner) -> None:
    result = runner.invoke(cli, ["-A", "cliapp_hello", "whoami"])
    assert result.output.strip() == "app=cliapp_hello"


def test_absolute_file_path_from_another_folder(runner: CliRunner) -> None:
    # the autouse fixture has made a temporary folder current
    path = APPS_DIR / "cliapp_factory.py"
    result = runner.invoke(cli, ["--app", f"{path}:create_app('abs')", "whoami"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "app=cliapp_factory label=abs"


def test_erlen_app_environment_variable(
    apps_dir: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ERLEN_APP", "cliapp_factory:create_app('env')")
    result = runner.invoke(cli, ["whoami"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "app=cliapp_factory label=env"


def test_option_wins_over_environment_variable(
    apps_dir: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ERLEN_APP", "cliapp_two")
    result = runner.invoke(cli, ["--app", "cliapp_hello", "whoami"])
    assert result.output.strip() == "app=cliapp_hello"


APP_SOURCE = """\
import click
from erlen import Erlen, current_app

{name} = Erlen({label!r})

@{name}.cli.command("whoami")
def whoami():
    click.echo("app=" + current_app.name)
"""


@pytest.mark.parametrize("filename", ["app.py", "wsgi.py"])
def test_default_files(tmp_path: Path, runner: CliRunner, filename: str) -> None:
    write_app(tmp_path, filename, APP_SOURCE.format(name="app", label=filename))
    result = runner.invoke(cli, ["whoami"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"app={filename}"


def test_wsgi_py_is_tried_before_app_py(tmp_path: Path, runner: CliRunner) -> None:
    write_app(tmp_path, "app.py", APP_SOURCE.format(name="app", label="from app.py"))
    write_app(tmp_path, "wsgi.py", APP_SOURCE.format(name="app", label="from wsgi.py"))
    result = runner.invoke(cli, ["whoami"])
    assert result.output.strip() == "app=from wsgi.py"


def test_default_package(tmp_path: Path, runner: CliRunner) -> None:
    write_app(
        tmp_path, "app/__init__.py", APP_SOURCE.format(name="application", label="pkg")
    )
    result = runner.invoke(cli, ["whoami"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "app=pkg"


def test_default_file_without_an_app_falls_through(
    tmp_path: Path, runner: CliRunner
) -> None:
    # wsgi.py has no app object, so its error is reported, as in Flask
    write_app(tmp_path, "wsgi.py", "x = 1\n")
    result = runner.invoke(cli, ["whoami"])
    assert result.exit_code == 2
    assert (
        "Could not find an Erlen application or factory in module 'wsgi'"
        in result.output
    )


def test_nothing_to_find(tmp_path: Path, runner: CliRunner) -> None:
    result = runner.invoke(cli, ["routes"])
    assert result.exit_code == 2
    assert "Could not find an Erlen application." in result.output
    assert "--app" in result.output and "ERLEN_APP" in result.output
    assert "Traceback" not in result.output


def test_help_without_app_still_lists_builtin_commands(
    tmp_path: Path, runner: CliRunner
) -> None:
    result = runner.invoke(cli, ["--help"])
    assert result.exit_code == 0
    for name in ("routes", "run", "shell"):
        assert name in result.output


@pytest.mark.parametrize(
    ("import_path", "message"),
    [
        (
            "cliapp_two",
            "Found several Erlen applications in module 'cliapp_two'"
            " ('first', 'second'). Pick one with '--app cliapp_two:NAME'.",
        ),
        (
            "cliapp_noapp",
            "Could not find an Erlen application or factory in module 'cliapp_noapp'.",
        ),
        (
            "cliapp_factory_args",
            "Found the factory 'create_app' in module 'cliapp_factory_args', but it"
            " needs arguments. Pass them with"
            " '--app cliapp_factory_args:create_app(ARGS)'",
        ),
        (
            "cliapp_factory_args:create_app(1, 2)",
            "The factory 'create_app(1, 2)' in module 'cliapp_factory_args' could"
            " not be called with the given arguments.",
        ),
        (
            "cliapp_factory:create_app(no_literal)",
            "The arguments in 'create_app(no_literal)' must be Python literals",
        ),
        (
            "cliapp_factory:create_app(**{'label': 'x'})",
            "'**' unpacking is not supported",
        ),
        (
            "cliapp_factory:create_app(",
            "Could not parse 'create_app(' as an attribute name or a function call.",
        ),
        (
            "cliapp_factory:a.b",
            "Could not parse 'a.b' as an attribute name or a function call.",
        ),
        (
            "cliapp_factory:missing",
            "Module 'cliapp_factory' has no attribute 'missing'.",
        ),
        (
            "cliapp_factory:NOT_A_FUNCTION",
            "'cliapp_factory:NOT_A_FUNCTION' is a 'int', not an Erlen application.",
        ),
        (
            "cliapp_factory:NOT_A_FUNCTION()",
            "'NOT_A_FUNCTION' in module 'cliapp_factory' is not a function",
        ),
        (
            "cliapp_factory:not_an_app",
            "'cliapp_factory:not_an_app' is a 'int', not an Erlen application.",
        ),
        (
            "cliapp_factory_none",
            "The factory 'create_app' in module 'cliapp_factory_none' returned"
            " 'NoneType', not an Erlen application.",
        ),
        (
            "cliapp_does_not_exist",
            "Could not import 'cliapp_does_not_exist': no such module or file.",
        ),
        (
            "cliapp_pkg.nope",
            "Could not import 'cliapp_pkg.nope': no such module or file.",
        ),
    ],
)
def test_discovery_errors(
    apps_dir: Path, runner: CliRunner, import_path: str, message: str
) -> None:
    result = runner.invoke(cli, ["--app", import_path, "routes"])
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output


def test_broken_import_shows_the_real_error(apps_dir: Path, runner: CliRunner) -> None:
    result = runner.invoke(cli, ["--app", "cliapp_broken_import", "routes"])
    assert result.exit_code == 2
    output = result.output
    assert "While importing 'cliapp_broken_import', an ImportError was raised" in output
    assert "No module named 'erlen_cli_missing_dependency'" in output
    # the user's own line is shown, the CLI's and importlib's frames are not
    assert "cliapp_broken_import.py" in output
    assert "importlib" not in output
    assert "erlen/cli" not in output


def test_error_while_importing_shows_the_real_error(
    apps_dir: Path, runner: CliRunner
) -> None:
    result = runner.invoke(cli, ["--app", "cliapp_broken_error", "routes"])
    assert result.exit_code == 2
    output = result.output
    assert "While importing 'cliapp_broken_error', an error was raised" in output
    assert "RuntimeError: the database URL is not configured" in output
    assert "in _configure" in output
    assert "erlen/cli" not in output


def test_syntax_error_in_module(tmp_path: Path, runner: CliRunner) -> None:
    write_app(tmp_path, "app.py", "def broken(:\n    pass\n")
    result = runner.invoke(cli, ["routes"])
    assert result.exit_code == 2
    assert "While importing 'app', an error was raised" in result.output
    assert "SyntaxError" in result.output
    assert "app.py" in result.output


def test_error_inside_factory_is_reported(apps_dir: Path, runner: CliRunner) -> None:
    result = runner.invoke(cli, ["--app", "cliapp_factory:broken_factory", "routes"])
    assert result.exit_code == 2
    assert "While calling the factory 'broken_factory'" in result.output
    assert "ValueError: invalid literal for int()" in result.output


def test_type_error_inside_factory_is_not_a_wrong_arguments_error(
    apps_dir: Path, runner: CliRunner
) -> None:
    result = runner.invoke(cli, ["--app", "cliapp_factory_typeerror", "routes"])
    assert result.exit_code == 2
    assert "needs arguments" not in result.output
    assert "TypeError: object of type 'int' has no len()" in result.output


def test_unknown_command_with_broken_app(apps_dir: Path, runner: CliRunner) -> None:
    result = runner.invoke(cli, ["--app", "cliapp_two", "nosuch"])
    assert result.exit_code == 2
    assert "Found several Erlen applications" in result.stderr
    assert "No such command 'nosuch'" in result.output


# -- the functions on their own ------------------------------------------------


def _module(name: str, **attrs: object) -> types.ModuleType:
    module = types.ModuleType(name)
    for key, value in attrs.items():
        setattr(module, key, value)
    return module


def test_find_best_app_prefers_app_then_application() -> None:
    app, application, other = Erlen("a"), Erlen("b"), Erlen("c")
    assert (
        find_best_app(_module("m", other=other, application=application, app=app))
        is app
    )
    assert (
        find_best_app(_module("m", other=other, application=application)) is application
    )


def test_find_best_app_ignores_a_non_app_named_app() -> None:
    real = Erlen("real")
    assert find_best_app(_module("m", app="not an app", real=real)) is real


def test_find_best_app_factory_order() -> None:
    made: list[str] = []

    def create_app() -> Erlen:
        made.append("create_app")
        return Erlen("created")

    def make_app() -> Erlen:
        made.append("make_app")
        return Erlen("made")

    app = find_best_app(_module("m", make_app=make_app, create_app=create_app))
    assert app.name == "created"
    assert made == ["create_app"]


def test_find_app_by_string_passes_literals() -> None:
    seen: list[object] = []

    def factory(*args: object, **kwargs: object) -> Erlen:
        seen.append((args, kwargs))
        return Erlen("f")

    module = _module("m", factory=factory)
    find_app_by_string(module, "factory(1, 'two', [3], {'four': 4.0}, None, flag=True)")
    assert seen == [((1, "two", [3], {"four": 4.0}, None), {"flag": True})]


def test_find_app_by_string_never_evaluates_code() -> None:
    def factory(value: object) -> Erlen:
        return Erlen("f")

    module = _module("m", factory=factory)
    with pytest.raises(NoAppException, match="must be Python literals"):
        find_app_by_string(module, "factory(__import__('os').getcwd())")


def test_prepare_import(tmp_path: Path) -> None:
    write_app(tmp_path, "project/pkg/__init__.py", "")
    write_app(tmp_path, "project/pkg/sub/__init__.py", "")
    write_app(tmp_path, "project/pkg/sub/mod.py", "")
    write_app(tmp_path, "project/single.py", "")
    project = str((tmp_path / "project").resolve())

    assert prepare_import(str(tmp_path / "project/pkg/sub/mod.py")) == "pkg.sub.mod"
    assert sys.path[0] == project
    assert prepare_import(str(tmp_path / "project/pkg/sub/__init__.py")) == "pkg.sub"
    assert prepare_import(str(tmp_path / "project/pkg")) == "pkg"
    assert prepare_import(str(tmp_path / "project/single.py")) == "single"
    assert sys.path.count(project) == 1


def test_locate_app_missing_module_can_return_none(tmp_path: Path) -> None:
    assert (
        locate_app("cliapp_certainly_missing", None, raise_if_not_found=False) is None
    )
    with pytest.raises(NoAppException, match="Could not import"):
        locate_app("cliapp_certainly_missing", None)


def test_locate_app_reports_import_errors_even_when_not_raising(tmp_path: Path) -> None:
    write_app(tmp_path, "cliapp_tmp_broken.py", "import cliapp_tmp_missing_dep\n")
    prepare_import(str(tmp_path / "cliapp_tmp_broken.py"))
    with pytest.raises(NoAppException, match="cliapp_tmp_missing_dep"):
        locate_app("cliapp_tmp_broken", None, raise_if_not_found=False)


def test_script_info_create_app_and_cache() -> None:
    calls: list[int] = []

    def create() -> Erlen:
        calls.append(1)
        return Erlen("made")

    info = ScriptInfo(create_app=create)
    assert info.load_app() is info.load_app()
    assert calls == [1]
    assert info.data == {}


def test_script_info_debug_flag(monkeypatch: pytest.MonkeyPatch) -> None:
    app = Erlen("dbg")
    monkeypatch.setenv("ERLEN_DEBUG", "1")
    assert ScriptInfo(create_app=lambda: app).load_app().debug is True
    monkeypatch.setenv("ERLEN_DEBUG", "0")
    assert ScriptInfo(create_app=lambda: app).load_app().debug is False
    app.debug = True
    assert ScriptInfo(create_app=lambda: app, set_debug_flag=False).load_app().debug


# -- the same checks in a real process ----------------------------------------

SUBPROCESS_APP = """\
import click
from erlen import Erlen, current_app

def create_app(label="default", *, level=0):
    app = Erlen("subproc")

    @app.cli.command("whoami")
    def whoami():
        click.echo(f"label={label} level={level} debug={current_app.debug}")

    return app
"""


def test_subprocess_factory_with_arguments(tmp_path: Path) -> None:
    write_app(tmp_path, "project/factory_mod.py", SUBPROCESS_APP)
    result = run_erlen(
        ["--app", "project/factory_mod.py:create_app('cli', level=3)", "whoami"],
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "label=cli level=3 debug=False"


def test_subprocess_debug_flag_and_env_var(tmp_path: Path) -> None:
    write_app(tmp_path, "wsgi.py", SUBPROCESS_APP)
    result = run_erlen(["--debug", "whoami"], cwd=tmp_path)
    assert result.stdout.strip() == "label=default level=0 debug=True", result.stderr
    env_result = run_erlen(
        ["whoami"],
        cwd=tmp_path,
        env={**_clean_env(), "ERLEN_DEBUG": "1", "ERLEN_APP": "wsgi:create_app('e')"},
    )
    assert env_result.stdout.strip() == "label=e level=0 debug=True", env_result.stderr


def _clean_env() -> dict[str, str]:
    from cli_helpers import subprocess_env

    return subprocess_env()


def test_subprocess_broken_module_has_no_traceback_of_erlen(tmp_path: Path) -> None:
    write_app(
        tmp_path,
        "app.py",
        """\
        from erlen import Erlen
        app = Erlen(__name__)
        settings = {}
        secret = settings["SECRET"]
        """,
    )
    result = run_erlen(["routes"], cwd=tmp_path)
    assert result.returncode == 2
    assert "Error: While importing 'app', an error was raised:" in result.stderr
    assert "KeyError: 'SECRET'" in result.stderr
    assert 'secret = settings["SECRET"]' in result.stderr
    assert "click" not in result.stderr
    assert "erlen/cli" not in result.stderr
    assert result.stdout == ""


def test_subprocess_two_apps(tmp_path: Path) -> None:
    write_app(
        tmp_path,
        "twoapps.py",
        "from erlen import Erlen\nsite = Erlen('a')\nadmin = Erlen('b')\n",
    )
    result = run_erlen(["--app", "twoapps", "routes"], cwd=tmp_path)
    assert result.returncode == 2
    assert (
        "Found several Erlen applications in module 'twoapps' ('site', 'admin')."
        " Pick one with '--app twoapps:NAME'."
    ) in result.stderr
    assert "Traceback" not in result.stderr


def test_unguarded_app_run_does_not_block_the_cli(tmp_path: Path) -> None:
    write_app(
        tmp_path,
        "app.py",
        """\
        from erlen import Erlen
        app = Erlen(__name__)
        app.run(port=1)
        """,
    )
    result = run_erlen(["routes"], cwd=tmp_path, timeout=30)
    assert result.returncode == 0, result.stderr
    assert "Ignoring a call to 'app.run()'" in result.stdout + result.stderr
