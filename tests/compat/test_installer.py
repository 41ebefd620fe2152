"""erlen.compat.flask: ``import flask`` resolves to erlen, with and without the real Flask installed."""

from __future__ import annotations

import importlib
import importlib.metadata
import os
import site
import subprocess
import sys
import textwrap
import typing as t
from pathlib import Path

import pytest
from flask.typing import ResponseReturnValue

import erlen
import erlen.cli
import erlen.compat.flask as flask_compat
import erlen.sansio.scaffold
import erlen.views
from erlen.compat._aliases import MODULES
from erlen.compat._aliases import RENAMED

SRC = Path(erlen.__file__).parent.parent

# NOTE: typed as Any: mypy knows the real Flask's classes, which are not
# erlen's, while here flask.Flask *is* erlen.Erlen.
flask: t.Any = importlib.import_module("flask")
for _name in sorted(MODULES):
    importlib.import_module(_name)


def test_flask_is_erlen() -> None:
    assert flask_compat.is_installed()
    assert flask.Flask is erlen.Erlen
    assert flask.app.Flask is erlen.Erlen
    assert flask.testing.FlaskClient is erlen.testing.ErlenClient
    assert flask.testing.FlaskCliRunner is erlen.testing.ErlenCliRunner
    assert flask.cli.FlaskGroup is erlen.cli.ErlenGroup
    assert flask.cli is erlen.cli
    assert flask.request is erlen.request
    assert flask.Blueprint is erlen.Blueprint
    assert flask.views.MethodView is erlen.views.MethodView
    assert flask.json.provider.DefaultJSONProvider is erlen.json.provider.DefaultJSONProvider
    assert flask.sansio.scaffold.Scaffold is erlen.sansio.scaffold.Scaffold


@pytest.mark.parametrize("name", sorted(MODULES))
def test_every_module_imports(name: str) -> None:
    module = importlib.import_module(name)
    target = importlib.import_module(MODULES[name])
    if name in RENAMED:
        for flask_name, erlen_name in RENAMED[name].items():
            assert getattr(module, flask_name) is getattr(target, erlen_name)
    else:
        assert module is target
        # erlen's module keeps its own name and spec
        assert module.__name__ == MODULES[name]
        assert module.__spec__ is not None and module.__spec__.name == MODULES[name]


def test_isinstance_agrees_both_ways() -> None:
    app = flask.Flask(__name__)
    assert isinstance(app, erlen.Erlen)
    assert isinstance(erlen.Erlen(__name__), flask.Flask)
    assert isinstance(app.test_client(), flask.testing.FlaskClient)
    assert isinstance(app.response_class(), flask.Response)


def test_private_names_fall_through_to_erlen(monkeypatch: pytest.MonkeyPatch) -> None:
    assert flask.globals._cv_app is erlen.globals._cv_app
    assert flask.globals.app_ctx is erlen.globals.app_ctx
    assert flask.globals.request_ctx is erlen.globals.request_ctx
    # a name the alias module did not copy is looked up on erlen's module
    monkeypatch.setattr(erlen.app, "_added_later", 42, raising=False)
    assert flask.app._added_later == 42
    with pytest.raises(AttributeError, match="module 'flask' has no attribute 'nope'"):
        flask.nope  # noqa: B018


def test_unknown_submodule_is_not_found() -> None:
    # never taken from the installed Flask
    with pytest.raises(ModuleNotFoundError):
        importlib.import_module("flask.scaffold")


def test_versions() -> None:
    assert importlib.metadata.version("flask") == flask_compat.FLASK_VERSION
    assert importlib.metadata.version("Flask") == "3.1.3"
    dist = importlib.metadata.distribution("flask")
    assert dist.metadata["Name"] == "Flask"
    assert "erlen" in dist.metadata["Summary"]
    with pytest.warns(DeprecationWarning, match="__version__"):
        assert flask.__version__ == "3.1.3"


def test_app_works_through_flask_names() -> None:
    from flask import Flask
    from flask import g
    from flask import jsonify
    from flask import request
    from flask import session

    app = Flask(__name__)
    app.secret_key = "k"

    @app.before_request
    def load() -> None:
        g.user = request.args.get("u", "anon")

    @app.route("/")
    def index() -> ResponseReturnValue:
        session["seen"] = True
        return jsonify(user=g.user, app=type(flask.current_app._get_current_object()).__name__)

    client = app.test_client()
    response = client.get("/?u=ada")
    assert response.get_json() == {"user": "ada", "app": "Erlen"}
    with client.session_transaction() as sess:
        assert sess["seen"] is True


# -- in fresh interpreters -------------------------------------------------


def _run(code: str, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1", **(env or {})},
        check=False,
    )


def test_precedence_over_installed_flask_and_idempotent() -> None:
    result = _run(
        """
        import importlib.util, sys
        assert importlib.util.find_spec("flask") is not None  # real Flask is installed
        import erlen, erlen.compat.flask as c
        c.install(); c.install()
        assert sys.meta_path.count(c._finder) == 1
        import flask, flask.sessions
        assert flask.Flask is erlen.Erlen and flask.sessions is erlen.sessions
        assert "site-packages/flask" not in (flask.__file__ or "")
        c.uninstall()
        assert "flask" not in sys.modules and not c.is_installed()
        import flask as real
        assert real.Flask is not erlen.Erlen
        print("ok")
        """
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_clear_error_when_real_flask_already_imported() -> None:
    result = _run(
        """
        import flask.json
        import erlen.compat.flask as c
        try:
            c.install()
        except c.RealFlaskImportedError as e:
            print(e)
        assert not c.is_installed()
        """
    )
    assert result.returncode == 0, result.stderr
    assert "The real Flask package is already imported" in result.stdout
    assert "before anything imports flask" in result.stdout


def _site_without_flask(folder: Path) -> Path:
    """A site folder that links everything of this venv except the Flask distribution."""
    site_packages = Path(flask_compat.__file__).parent  # placeholder, replaced below
    for path in map(Path, site.getsitepackages()):
        if (path / "werkzeug").is_dir():
            site_packages = path
            break
    folder.mkdir()
    for entry in site_packages.iterdir():
        lowered = entry.name.lower()
        if lowered == "flask" or (lowered.startswith("flask-") and lowered.endswith(".dist-info")):
            continue
        (folder / entry.name).symlink_to(entry)
    return folder


def test_works_without_flask_installed(tmp_path: Path) -> None:
    site_dir = _site_without_flask(tmp_path / "site")
    (tmp_path / "hello.py").write_text(
        (Path(__file__).parent / "apps" / "flask_hello.py").read_text()
    )
    code = f"""
        import site, sys
        site.addsitedir({str(site_dir)!r})
        sys.path.insert(0, {str(SRC)!r})
        sys.path.insert(0, {str(tmp_path)!r})
        import importlib.metadata
        try:
            import flask
        except ModuleNotFoundError:
            pass
        else:
            raise AssertionError("flask should not be installed here")
        try:
            importlib.metadata.version("flask")
        except importlib.metadata.PackageNotFoundError:
            pass
        else:
            raise AssertionError("no flask distribution expected")
        import erlen.compat.flask
        app = erlen.compat.flask.load("hello:app")
        import flask, flask_login, flask_sqlalchemy
        assert importlib.metadata.version("flask") == "3.1.3"
        client = app.test_client()
        print(client.get("/").get_data(as_text=True))
        print(client.get("/api/items/0").get_json())
        print(client.post("/count").get_json())
    """
    result = _run(code, "-S", "-W", "error")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "<p>Hello from erlen.app</p>",
        "{'error': 'not found'}",
        "{'is_flask': True, 'n': 1}",
    ]


def test_from_prefixed_env_reads_flask_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLASK_SECRET_KEY", "from-flask")
    monkeypatch.setenv("FLASK_DB__PORT", "5432")
    monkeypatch.setenv("FLASK_LEVEL", "1")
    monkeypatch.setenv("ERLEN_LEVEL", "2")
    app = flask.Flask(__name__)
    app.config.from_prefixed_env()
    assert app.config["SECRET_KEY"] == "from-flask"
    assert app.config["DB"] == {"PORT": 5432}
    assert app.config["LEVEL"] == 2  # ERLEN_ wins
    other = flask.Flask(__name__)
    other.config.from_prefixed_env("MYAPP")
    assert "SECRET_KEY" not in other.config or other.config["SECRET_KEY"] is None


def test_from_prefixed_env_without_the_layer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLASK_SECRET_KEY", "from-flask")
    result = _run(
        """
        import erlen
        app = erlen.Erlen("x")
        app.config.from_prefixed_env()
        print(app.config["SECRET_KEY"])
        """
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "None"


def test_load_dotenv_reads_flaskenv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".flaskenv").write_text("COMPAT_A=flaskenv\nCOMPAT_B=flaskenv\n")
    (tmp_path / ".env").write_text("COMPAT_A=env\n")
    for name in ("COMPAT_A", "COMPAT_B"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    try:
        assert flask.cli.load_dotenv()
        assert os.environ["COMPAT_A"] == "env"  # .env wins over .flaskenv
        assert os.environ["COMPAT_B"] == "flaskenv"
    finally:
        for name in ("COMPAT_A", "COMPAT_B"):
            os.environ.pop(name, None)


def test_submodules_as_attributes_of_the_package() -> None:
    # Flask's package imports its submodules; code may reach flask.app.Flask
    # after a bare "import flask".
    result = _run(
        """
        import erlen, erlen.compat.flask as c
        c.install()
        import flask
        assert flask.app.Flask is erlen.Erlen
        assert flask.testing.FlaskClient is erlen.testing.ErlenClient
        assert flask.json is erlen.json and flask.json.provider is erlen.json.provider
        assert flask.sansio.scaffold is erlen.sansio.scaffold
        from flask import json, views
        assert json is erlen.json and views is erlen.views
        namespace = {}
        exec("from flask import *", namespace)
        assert namespace["Flask"] is erlen.Erlen and namespace["json"] is erlen.json
        print("ok")
        """
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
