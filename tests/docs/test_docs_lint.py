"""The documentation's Python code passes ruff with the project's rules.

Except the import layout (I001): the examples group names from one module on
one line, as readers write them, where erlen's own code has one import a line.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest


def test_docs_code_is_lint_clean(docs_dir: Path) -> None:
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent))
    if ruff is None:
        pytest.skip("ruff is not installed (the test extra has it)")
    paths = [docs_dir / "examples", docs_dir / "tutorial_app", docs_dir / "_ext"]
    result = subprocess.run(
        [ruff, "check", "--ignore", "I001", *map(str, paths)],
        cwd=docs_dir.parent, capture_output=True, text=True, timeout=60, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
