import os
import subprocess
import sys
from pathlib import Path

import pytest

from blog import create_app

PROJECT = Path(__file__).resolve().parent.parent


# --8<-- [start:config]
def test_config():
    assert not create_app("development").testing
    assert create_app("testing").testing


def test_production_needs_a_secret_key(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app("production")


def test_init_db_command(runner):
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0
    assert "Database ready." in result.output
# --8<-- [end:config]


def test_create_user_command(app, runner):
    result = runner.invoke(args=["create-user", "bob"], input="s3cret-pass\ns3cret-pass\n")
    assert result.exit_code == 0, result.output
    assert "Created bob." in result.output


def test_wsgi_module_in_production(tmp_path):
    # What the deployment chapter runs, in a fresh interpreter.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ERLEN_", "FLASK_"))}
    env.update(
        BLOG_CONFIG="production",
        SECRET_KEY="x" * 64,
        DATABASE_URL=f"sqlite:///{tmp_path / 'blog.sqlite3'}",
    )
    code = (
        "import wsgi\n"
        "app = wsgi.app\n"
        "assert app.config['SESSION_COOKIE_SECURE'] and not app.debug\n"
        "from erlen.testing import ASGIClient\n"
        "runner = app.test_cli_runner()\n"
        "assert runner.invoke(args=['init-db']).exit_code == 0\n"
        "r = app.test_client().get('/', base_url='https://blog.example')\n"
        "assert r.status_code == 200 and 'Strict-Transport-Security' in r.headers, r.status\n"
        "print('ok')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
