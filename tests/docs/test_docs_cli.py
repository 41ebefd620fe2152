"""docs/guides/cli.md."""

from __future__ import annotations

import os
import subprocess
import sys
import types
import typing as t
from pathlib import Path

LoadExample = t.Callable[[str], types.ModuleType]


def test_cli_guide(load_example: LoadExample) -> None:
    app = load_example("cli_commands").app
    runner = app.test_cli_runner()
    result = runner.invoke(args=["restock", "tea", "--amount", "5"])
    assert result.exit_code == 0, result.output
    assert result.output == "tea: 17 in stock\n"
    result = runner.invoke(args=["restock", "spoon"])
    assert result.output == "spoon: 10 in stock\n"
    result = runner.invoke(args=["report", "stock"])
    assert result.output.split() == ["mug", "3", "spoon", "10", "tea", "17"]
    result = runner.invoke(args=["users", "create", "ann"])
    assert result.output == "Created user ann\n"
    assert app.make_shell_context()["inventory"] is app.config["INVENTORY"]


def test_cli_guide_from_the_command_line(examples_dir: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ERLEN_", "FLASK_"))}
    result = subprocess.run(
        [sys.executable, "-m", "erlen", "--app", "cli_commands", "restock", "--help"],
        cwd=examples_dir, env=env, capture_output=True, text=True, timeout=60, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Add stock for ITEM." in result.stdout
    assert "[default: 10]" in result.stdout
