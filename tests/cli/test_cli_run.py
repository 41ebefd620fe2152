"""``erlen run``: options passed to Werkzeug, and real servers in subprocesses."""

from __future__ import annotations

import shutil
import ssl
import subprocess
import sys
import time
import typing as t
import urllib.request
from pathlib import Path

import pytest
import werkzeug.serving
from cli_helpers import ServerFactory
from cli_helpers import run_erlen
from cli_helpers import write_app
from click.testing import CliRunner

from erlen import Erlen
from erlen.cli import ScriptInfo
from erlen.cli import cli
from erlen.cli import production_server_warning
from erlen.cli import run_command
from erlen.cli import show_server_banner

# -- options, with run_simple replaced -------------------------------------------


class RunSimpleCall:
    def __init__(self) -> None:
        self.args: tuple[t.Any, ...] = ()
        self.kwargs: dict[str, t.Any] = {}
        self.called = False


@pytest.fixture
def run_simple(monkeypatch: pytest.MonkeyPatch) -> RunSimpleCall:
    call = RunSimpleCall()

    def fake_run_simple(*args: t.Any, **kwargs: t.Any) -> None:
        call.args = args
        call.kwargs = kwargs
        call.called = True

    monkeypatch.setattr(werkzeug.serving, "run_simple", fake_run_simple)
    return call


def test_run_defaults(
    apps_dir: Path, runner: CliRunner, run_simple: RunSimpleCall
) -> None:
    result = runner.invoke(cli, ["--app", "cliapp_hello", "run"])
    assert result.exit_code == 0, result.output
    host, port, app = run_simple.args
    assert (host, port) == ("127.0.0.1", 5000)
    assert isinstance(app, Erlen) and app.name == "cliapp_hello"
    assert run_simple.kwargs == {
        "use_reloader": False,
        "use_debugger": False,
        "threaded": True,
        "ssl_context": None,
        "extra_files": None,
        "exclude_patterns": None,
        "reloader_type": "auto",
    }
    assert result.stdout.splitlines() == [
        " * Serving Erlen app 'cliapp_hello'",
        " * Debug mode: off",
    ]
    assert "This is a development server. Do not use it in production." in result.stderr
    assert "gunicorn 'cliapp_hello:app'" in result.stderr
    assert "uvicorn --interface wsgi 'cliapp_hello:app'" in result.stderr
    assert "granian --interface wsgi 'cliapp_hello:app'" in result.stderr


@pytest.mark.parametrize("where", ["group", "command"])
def test_run_debug_turns_on_reloader_and_debugger(
    apps_dir: Path, runner: CliRunner, run_simple: RunSimpleCall, where: str
) -> None:
    if where == "group":
        args = ["--app", "cliapp_hello", "--debug", "run"]
    else:
        args = ["--app", "cliapp_hello", "run", "--debug"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert run_simple.kwargs["use_reloader"] is True
    assert run_simple.kwargs["use_debugger"] is True
    assert run_simple.args[2].debug is True
    assert " * Debug mode: on" in result.stdout


def test_run_debug_from_environment(
    apps_dir: Path,
    runner: CliRunner,
    run_simple: RunSimpleCall,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ERLEN_DEBUG", "1")
    runner.invoke(cli, ["--app", "cliapp_hello", "run", "--no-reload"])
    assert run_simple.kwargs["use_reloader"] is False
    assert run_simple.kwargs["use_debugger"] is True
    assert run_simple.args[2].debug is True


def test_run_options(
    apps_dir: Path, runner: CliRunner, run_simple: RunSimpleCall, tmp_path: Path
) -> None:
    extra_a = write_app(tmp_path, "a.cfg", "")
    extra_b = write_app(tmp_path, "b.cfg", "")
    result = runner.invoke(
        cli,
        [
            "--app",
            "cliapp_hello",
            "run",
            "-h",
            "0.0.0.0",
            "-p",
            "8123",
            "--reload",
            "--debugger",
            "--without-threads",
            "--extra-files",
            f"{extra_a}:{extra_b}",
            "--exclude-patterns",
            "*.tmp:*/node_modules/*",
        ],
    )
    assert result.exit_code == 0, result.output
    assert run_simple.args[:2] == ("0.0.0.0", 8123)
    assert run_simple.kwargs["use_reloader"] is True
    assert run_simple.kwargs["use_debugger"] is True
    assert run_simple.kwargs["threaded"] is False
    assert run_simple.kwargs["extra_files"] == [str(extra_a), str(extra_b)]
    assert run_simple.kwargs["exclude_patterns"] == ["*.tmp", "*/node_modules/*"]


def test_run_options_from_environment(
    apps_dir: Path,
    runner: CliRunner,
    run_simple: RunSimpleCall,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ERLEN_RUN_PORT", "9321")
    monkeypatch.setenv("ERLEN_RUN_HOST", "127.0.0.2")
    runner.invoke(cli, ["--app", "cliapp_hello", "run"])
    assert run_simple.args[:2] == ("127.0.0.2", 9321)


def test_run_extra_files_need_not_exist_yet(
    apps_dir: Path, runner: CliRunner, run_simple: RunSimpleCall
) -> None:
    # COMPAT: as in Flask, a file to watch may be created later
    result = runner.invoke(
        cli, ["--app", "cliapp_hello", "run", "--extra-files", "later.cfg"]
    )
    assert result.exit_code == 0, result.output
    assert run_simple.kwargs["extra_files"] == ["later.cfg"]


def test_run_factory_target_in_warning(
    apps_dir: Path, runner: CliRunner, run_simple: RunSimpleCall
) -> None:
    result = runner.invoke(cli, ["--app", "cliapp_make_app", "run"])
    assert "gunicorn 'cliapp_make_app:make_app()'" in result.stderr
    assert (
        "uvicorn --interface wsgi --factory 'cliapp_make_app:make_app'" in result.stderr
    )
    assert (
        "granian --interface wsgi --factory 'cliapp_make_app:make_app'" in result.stderr
    )


def test_run_discovered_app_target(
    tmp_path: Path, runner: CliRunner, run_simple: RunSimpleCall
) -> None:
    write_app(
        tmp_path, "wsgi.py", "from erlen import Erlen\napplication = Erlen('w')\n"
    )
    result = runner.invoke(cli, ["run"])
    assert result.exit_code == 0, result.output
    # no --app: no "Serving" line, as in Flask
    assert result.stdout.splitlines() == [" * Debug mode: off"]
    assert "gunicorn 'wsgi:application'" in result.stderr


def test_run_broken_app_fails_without_traceback(
    apps_dir: Path, runner: CliRunner, run_simple: RunSimpleCall
) -> None:
    result = runner.invoke(cli, ["--app", "cliapp_broken_error", "run"])
    assert result.exit_code == 2
    assert "RuntimeError: the database URL is not configured" in result.output
    assert not run_simple.called


# -- TLS options ------------------------------------------------------------------


@pytest.fixture
def cert_files(tmp_path: Path) -> tuple[Path, Path]:
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("the openssl command is not available")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes",
            "-keyout", str(key), "-out", str(cert), "-days", "1",
            "-subj", "/CN=127.0.0.1",
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )  # fmt: skip
    return cert, key


def _invoke_run(args: list[str]) -> t.Any:
    app = Erlen("tls")
    return CliRunner().invoke(run_command, args, obj=ScriptInfo(create_app=lambda: app))


def test_cert_and_key(run_simple: RunSimpleCall, cert_files: tuple[Path, Path]) -> None:
    cert, key = cert_files
    result = _invoke_run(["--cert", str(cert), "--key", str(key)])
    assert result.exit_code == 0, result.output
    assert run_simple.kwargs["ssl_context"] == (str(cert), str(key))
    # the order of the options does not matter
    result = _invoke_run(["--key", str(key), "--cert", str(cert)])
    assert run_simple.kwargs["ssl_context"] == (str(cert), str(key))


def test_cert_needs_key(
    run_simple: RunSimpleCall, cert_files: tuple[Path, Path]
) -> None:
    result = _invoke_run(["--cert", str(cert_files[0])])
    assert result.exit_code == 2
    assert "Required when '--cert' is a file." in result.output


def test_key_needs_cert(
    run_simple: RunSimpleCall, cert_files: tuple[Path, Path]
) -> None:
    result = _invoke_run(["--key", str(cert_files[1])])
    assert result.exit_code == 2
    assert "'--cert' must be given too." in result.output


def test_adhoc_cert_needs_cryptography(
    run_simple: RunSimpleCall, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "cryptography", None)
    result = _invoke_run(["--cert", "adhoc"])
    assert result.exit_code == 2
    assert "Ad-hoc certificates need the cryptography package" in result.output


def test_adhoc_cert(run_simple: RunSimpleCall, monkeypatch: pytest.MonkeyPatch) -> None:
    import types

    monkeypatch.setitem(sys.modules, "cryptography", types.ModuleType("cryptography"))
    result = _invoke_run(["--cert", "adhoc"])
    assert result.exit_code == 0, result.output
    assert run_simple.kwargs["ssl_context"] == "adhoc"
    result = _invoke_run(["--cert", "adhoc", "--key", __file__])
    assert result.exit_code == 2
    assert "'--key' is not used when '--cert' is 'adhoc'." in result.output


def test_ssl_context_import_path(
    run_simple: RunSimpleCall, monkeypatch: pytest.MonkeyPatch
) -> None:
    import types

    module = types.ModuleType("cliapp_ssl_holder")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    module.context = context  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "cliapp_ssl_holder", module)
    result = _invoke_run(["--cert", "cliapp_ssl_holder:context"])
    assert result.exit_code == 0, result.output
    assert run_simple.kwargs["ssl_context"] is context
    result = _invoke_run(["--cert", "cliapp_ssl_holder:context", "--key", __file__])
    assert "'--key' is not used when '--cert' is an SSLContext object." in result.output


def test_cert_that_is_nothing(run_simple: RunSimpleCall) -> None:
    result = _invoke_run(["--cert", "no/such/cert.pem"])
    assert result.exit_code == 2
    assert "Invalid value for '--cert'" in result.output


# -- banner helpers ---------------------------------------------------------------


def test_show_server_banner(capsys: pytest.CaptureFixture[str]) -> None:
    show_server_banner(True, "hello")
    out, err = capsys.readouterr()
    assert out == " * Serving Erlen app 'hello'\n * Debug mode: on\n"
    assert "gunicorn 'hello:app'" in err

    show_server_banner(None, "src/project/web.py:create_app('prod')")
    out, err = capsys.readouterr()
    assert "Debug mode" not in out
    assert "gunicorn \"web:create_app('prod')\"" in err
    assert "uvicorn" not in err  # they cannot pass factory arguments


def test_show_server_banner_silent_in_reloader_child(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WERKZEUG_RUN_MAIN", "true")
    show_server_banner(True, "hello")
    assert capsys.readouterr() == ("", "")


def test_production_server_warning_text() -> None:
    text = production_server_warning("shop.wsgi:app")
    assert text.splitlines() == [
        " * This is a development server. Do not use it in production.",
        "   Serve the app with a production server instead, for example:",
        "     gunicorn 'shop.wsgi:app'",
        "     uvicorn --interface wsgi 'shop.wsgi:app'",
        "     granian --interface wsgi 'shop.wsgi:app'",
    ]
    assert "gunicorn 'MODULE:app'" in production_server_warning()


# -- real servers -------------------------------------------------------------------

SERVED_APP = """\
from erlen import Erlen

app = Erlen(__name__)

@app.route("/")
def index():
    return "version {version}"

@app.route("/boom")
def boom():
    raise ZeroDivisionError("boom in a view")
"""


def _wait_for(
    check: t.Callable[[], bool], timeout: float, what: str, log: t.Callable[[], str]
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}:\n{log()}")


def test_server_serves_a_page(tmp_path: Path, start_server: ServerFactory) -> None:
    write_app(tmp_path, "hello.py", SERVED_APP.format(version=1))
    server = start_server(["--app", "hello"], cwd=tmp_path)
    server.wait_until_up()
    status, body, headers = server.get("/")
    assert (status, body) == (200, "version 1")
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert server.get("/missing")[0] == 404
    output = server.output
    assert " * Serving Erlen app 'hello'" in output
    assert " * Debug mode: off" in output
    assert "gunicorn 'hello:app'" in output
    assert "Restarting with" not in output


def test_server_without_debug_returns_plain_500(
    tmp_path: Path, start_server: ServerFactory
) -> None:
    write_app(tmp_path, "hello.py", SERVED_APP.format(version=1))
    server = start_server(["--app", "hello"], cwd=tmp_path)
    server.wait_until_up()
    status, body, _ = server.get("/boom")
    assert status == 500
    assert "Internal Server Error" in body
    assert "Werkzeug Debugger" not in body
    assert "ZeroDivisionError" not in body
    assert "Debugger PIN" not in server.output


def test_server_with_debug_shows_the_debugger(
    tmp_path: Path, start_server: ServerFactory
) -> None:
    write_app(tmp_path, "hello.py", SERVED_APP.format(version=1))
    server = start_server(["--app", "hello", "--debug"], cwd=tmp_path)
    server.wait_until_up()
    # the reloader's child binds the socket; wait until it really answers
    _wait_for(lambda: server.get("/")[0] == 200, 30, "the page", lambda: server.output)
    status, body, _ = server.get("/boom")
    assert status == 500
    assert "Werkzeug Debugger" in body
    assert "ZeroDivisionError: boom in a view" in body
    _wait_for(
        lambda: "Debugger PIN:" in server.output, 10, "the PIN", lambda: server.output
    )
    assert " * Debug mode: on" in server.output
    assert server.output.count(" * Debug mode: on") == 1  # not again in the child


def test_server_debug_without_debugger(
    tmp_path: Path, start_server: ServerFactory
) -> None:
    write_app(tmp_path, "hello.py", SERVED_APP.format(version=1))
    server = start_server(
        ["--app", "hello", "--debug"],
        cwd=tmp_path,
        run_args=["--no-debugger", "--no-reload"],
    )
    server.wait_until_up()
    status, body, _ = server.get("/boom")
    assert status == 500
    assert "Internal Server Error" in body
    assert "Werkzeug Debugger" not in body
    assert "Restarting with" not in server.output


def test_server_reloads_after_an_edit(
    tmp_path: Path, start_server: ServerFactory
) -> None:
    app_file = write_app(tmp_path, "hello.py", SERVED_APP.format(version=1))
    # The stat reloader: inotify (watchdog) drops events on a busy machine.
    server = start_server(
        ["--app", "hello", "--debug"], cwd=tmp_path, run_args=["--reloader-type", "stat"]
    )
    server.wait_until_up()
    _wait_for(
        lambda: server.get("/")[1] == "version 1",
        30,
        "version 1",
        lambda: server.output,
    )

    # make sure the modification time moves on, then change the file's size too
    time.sleep(1.1)
    app_file.write_text(SERVED_APP.format(version="two (edited)"), encoding="utf-8")

    _wait_for(
        lambda: server.get("/")[1] == "version two (edited)",
        30,
        "the reloaded app",
        lambda: server.output,
    )
    assert "Detected change in" in server.output


def test_server_survives_a_broken_edit(
    tmp_path: Path, start_server: ServerFactory
) -> None:
    app_file = write_app(tmp_path, "hello.py", SERVED_APP.format(version=1))
    server = start_server(
        ["--app", "hello", "--debug"], cwd=tmp_path, run_args=["--reloader-type", "stat"]
    )
    server.wait_until_up()
    _wait_for(lambda: server.get("/")[0] == 200, 30, "the page", lambda: server.output)

    time.sleep(1.1)
    app_file.write_text("raise RuntimeError('half-written edit')\n", encoding="utf-8")

    # the reloaded child cannot import the app, but keeps serving the error
    def shows_error() -> bool:
        status, body, _ = server.get("/")
        return status == 500 and "half-written edit" in body

    _wait_for(shows_error, 30, "the import error page", lambda: server.output)
    assert server.process.poll() is None

    time.sleep(1.1)
    app_file.write_text(SERVED_APP.format(version="fixed"), encoding="utf-8")
    _wait_for(
        lambda: server.get("/")[1] == "version fixed",
        30,
        "the fixed app",
        lambda: server.output,
    )


def test_subprocess_run_with_broken_app_exits(tmp_path: Path) -> None:
    write_app(tmp_path, "app.py", "raise RuntimeError('cannot start')\n")
    result = run_erlen(["run", "--port", "1"], cwd=tmp_path, timeout=30)
    assert result.returncode == 2
    assert "RuntimeError: cannot start" in result.stderr
    assert "erlen/cli" not in result.stderr


def test_server_over_https(
    tmp_path: Path, start_server: ServerFactory, cert_files: tuple[Path, Path]
) -> None:
    write_app(tmp_path, "hello.py", SERVED_APP.format(version="tls"))
    cert, key = cert_files
    server = start_server(
        ["--app", "hello"],
        cwd=tmp_path,
        run_args=["--cert", str(cert), "--key", str(key)],
    )
    server.wait_until_up()
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    with urllib.request.urlopen(
        f"https://127.0.0.1:{server.port}/", context=context, timeout=10
    ) as response:
        assert response.read() == b"version tls"


def test_reloader_type_option(
    apps_dir: Path, runner: CliRunner, run_simple: RunSimpleCall
) -> None:
    result = runner.invoke(
        cli,
        ["--app", "cliapp_hello", "run", "--reloader-type", "stat"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    assert run_simple.kwargs["reloader_type"] == "stat"
    bad = runner.invoke(cli, ["--app", "cliapp_hello", "run", "--reloader-type", "x"])
    assert bad.exit_code == 2
    assert "Invalid value for '--reloader-type'" in bad.output
