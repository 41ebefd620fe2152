"""Fixtures for the example blog (examples/blog): the app on SQLite and on PostgreSQL.

The blog imports Flask extensions, so ``import flask`` must mean erlen while
its tests run. The rest of the suite imports the real Flask to compare
against it; so while a module of this folder is collected and while its tests
run, every ``flask`` / ``flask_*`` module is set aside, the compat layer is
installed, and the extension modules the blog was first imported with are
put back. Afterwards everything is swapped back the other way.

Every test that takes ``app`` runs twice: on an in-memory SQLite database and
on a real PostgreSQL server that the ``postgres_server`` fixture starts in a
temporary folder (``scripts/install-services`` installs it; without it the
PostgreSQL runs skip, saying why).
"""

from __future__ import annotations

import glob
import os
import pwd
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import types
import typing as t
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from blog_helpers import BLOG_ROOT

import erlen.compat.flask as flask_compat

if str(BLOG_ROOT) not in sys.path:
    sys.path.insert(0, str(BLOG_ROOT))

if t.TYPE_CHECKING:
    from erlen import Erlen
    from erlen.testing import ErlenClient

# -- "import flask" means erlen while these tests run -----------------------


def _is_flask_family(name: str) -> bool:
    return name == "flask" or name.startswith(("flask.", "flask_"))


#: The modules the blog was imported with (flask_* bound to erlen), kept
#: between activations.
_blog_modules: dict[str, types.ModuleType] = {}
#: What was in sys.modules before an activation, put back afterwards.
_outside_modules: dict[str, types.ModuleType] = {}
_was_installed = False
_depth = 0


def activate() -> None:
    """Swap in the compat layer and the blog's extension modules (nestable)."""
    global _depth, _was_installed
    _depth += 1
    if _depth > 1:
        return
    _was_installed = flask_compat.is_installed()
    if _was_installed:
        flask_compat.uninstall()
    for name in [name for name in sys.modules if _is_flask_family(name)]:
        _outside_modules[name] = sys.modules.pop(name)
    flask_compat.install()
    sys.modules.update(_blog_modules)


def deactivate() -> None:
    """Put back what :func:`activate` set aside."""
    global _depth
    _depth -= 1
    if _depth > 0:
        return
    for name in [name for name in sys.modules if _is_flask_family(name)]:
        module = sys.modules.pop(name)
        if name.startswith("flask_"):
            _blog_modules[name] = module
    flask_compat.uninstall()
    sys.modules.update(_outside_modules)
    _outside_modules.clear()
    if _was_installed:
        flask_compat.install()


def pytest_collectstart(collector: pytest.Collector) -> None:
    if isinstance(collector, pytest.Module):
        activate()


def pytest_collectreport(report: pytest.CollectReport) -> None:
    if report.nodeid.endswith(".py"):
        deactivate()


@pytest.fixture(autouse=True, scope="module")
def _flask_is_erlen() -> Iterator[None]:
    activate()
    try:
        yield
    finally:
        deactivate()


# -- PostgreSQL --------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _postgres_bindir() -> str | None:
    """The folder with initdb and pg_ctl: on PATH, or Debian's /usr/lib/postgresql/N/bin."""
    initdb = shutil.which("initdb")
    if initdb and shutil.which("pg_ctl"):
        return str(Path(initdb).resolve().parent)
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda path: int(re.sub(r"\D", "", path.split("/")[4]) or 0),
    )
    return str(Path(candidates[-1]).parent) if candidates else None


@dataclass
class PostgresServer:
    port: int
    user: str

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://{self.user}@127.0.0.1:{self.port}/{database}"

    def execute(self, sql: str) -> None:
        """Run one statement in the maintenance database (autocommit, for CREATE/DROP DATABASE)."""
        import psycopg

        with psycopg.connect(
            host="127.0.0.1", port=self.port, user=self.user, dbname="postgres", autocommit=True
        ) as connection:
            connection.execute(sql)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A throw-away PostgreSQL cluster on a free port of 127.0.0.1, removed afterwards.

    PostgreSQL refuses to run as root, so under root the server runs as the
    ``postgres`` system user that Debian's package creates.
    """
    bindir = _postgres_bindir()
    if bindir is None:
        pytest.skip("PostgreSQL is not installed (scripts/install-services installs it); ran on SQLite only")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.skip("psycopg is not installed (pip install -e '.[blog]'); ran on SQLite only")

    run_as: str | None = None
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root and there is no 'postgres' user to run PostgreSQL as")
        run_as = "postgres"

    folder = tempfile.mkdtemp(prefix="blog-postgres-")
    if run_as is not None:
        entry = pwd.getpwnam(run_as)
        os.chown(folder, entry.pw_uid, entry.pw_gid)
    data = os.path.join(folder, "data")
    port = free_port()
    env = {**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            args, user=run_as, env=env, cwd=folder, capture_output=True, text=True, timeout=120, check=False
        )

    result = run(f"{bindir}/initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
    if result.returncode != 0:
        shutil.rmtree(folder, ignore_errors=True)
        pytest.fail(f"initdb failed:\n{result.stdout}\n{result.stderr}")
    options = (
        f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        " -c synchronous_commit=off -c full_page_writes=off -c max_connections=50"
    )
    result = run(f"{bindir}/pg_ctl", "-D", data, "-o", options, "-l", f"{folder}/server.log", "-w", "-t", "60", "start")
    if result.returncode != 0:
        log = Path(folder, "server.log").read_text(errors="replace") if Path(folder, "server.log").exists() else ""
        shutil.rmtree(folder, ignore_errors=True)
        pytest.fail(f"pg_ctl start failed:\n{result.stdout}\n{result.stderr}\n{log}")
    try:
        yield PostgresServer(port=port, user="postgres")
    finally:
        run(f"{bindir}/pg_ctl", "-D", data, "-m", "immediate", "-w", "stop")
        shutil.rmtree(folder, ignore_errors=True)


# -- the app -----------------------------------------------------------------

_pg_schema_ready: set[str] = set()
_database_counter = iter(range(1, 1_000_000))


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest) -> str:
    """The database kind every ``app`` test runs on: ``"sqlite"`` or ``"postgresql"``."""
    return t.cast(str, request.param)


@pytest.fixture(scope="session")
def postgres_url(postgres_server: PostgresServer) -> str:
    """The URL of the PostgreSQL database the ``app`` tests share (emptied after each test)."""
    postgres_server.execute("CREATE DATABASE blog_test")
    return postgres_server.url("blog_test")


def make_app(config: dict[str, t.Any] | None = None, config_name: str = "testing") -> Erlen:
    from blog import create_app

    return create_app(config_name, config)


@pytest.fixture
def app(request: pytest.FixtureRequest, database: str) -> Iterator[Erlen]:
    """The blog with the testing configuration and an empty schema, on SQLite or PostgreSQL."""
    from blog.extensions import db

    config: dict[str, t.Any] = {}
    marker = request.node.get_closest_marker("config")
    if marker is not None:
        config.update(marker.kwargs)
    if database == "postgresql":
        url = request.getfixturevalue("postgres_url")
        config["SQLALCHEMY_DATABASE_URI"] = url
    application = make_app(config)
    with application.app_context():
        if database == "postgresql":
            if url not in _pg_schema_ready:
                db.drop_all()
                db.create_all()
                _pg_schema_ready.add(url)
        else:
            db.create_all()
    try:
        yield application
    finally:
        with application.app_context():
            db.session.remove()
            if database == "postgresql":
                tables = ", ".join(table.name for table in db.metadata.sorted_tables)
                with db.engine.begin() as connection:
                    connection.exec_driver_sql(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
            db.engine.dispose()


@pytest.fixture
def fresh_database_url(database: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """The URL of a database with no tables at all (for init-db and migrations)."""
    if database == "sqlite":
        yield f"sqlite:///{tmp_path / 'blog.sqlite3'}"
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    name = f"blog_fresh_{next(_database_counter)}"
    server.execute(f"CREATE DATABASE {name}")
    try:
        yield server.url(name)
    finally:
        server.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def client(app: Erlen) -> ErlenClient:
    return app.test_client()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "config(**settings): settings for the blog app fixture")
