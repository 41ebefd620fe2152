"""Example test suites the docs show, run as a reader would run them: with pytest.

They run in a subprocess so that their imports and the apps they build stay
out of this test session (the tutorial app also installs erlen's Flask
compatibility layer, which must not meet the real Flask this suite imports).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def _pytest(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ERLEN_", "FLASK_"))}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False,
    )


def test_testing_guide_suite(examples_dir: Path) -> None:
    result = _pytest("test_testing_app.py", cwd=examples_dir)
    assert result.returncode == 0, result.stdout + result.stderr
    assert " passed" in result.stdout and "failed" not in result.stdout


def test_tutorial_app_suite(docs_dir: Path) -> None:
    # The tutorial's project: `python -m pytest` from its folder, as the tutorial says.
    result = _pytest(cwd=docs_dir / "tutorial_app")
    assert result.returncode == 0, result.stdout + result.stderr
    assert " passed" in result.stdout and "failed" not in result.stdout and "skipped" not in result.stdout
