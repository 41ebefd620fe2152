"""Fixtures for the documentation's examples (docs/examples/*.py).

Each example is a plain module a reader could save and run. ``load_example``
imports one from its file under a fresh module name, so every test gets new
module-level state (apps, in-memory stores), and forgets it afterwards.
"""

from __future__ import annotations

import importlib.util
import sys
import types
import typing as t
from collections.abc import Iterator
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parent.parent.parent / "docs"
EXAMPLES = DOCS / "examples"



@pytest.fixture
def examples_dir() -> Path:
    return EXAMPLES


@pytest.fixture
def docs_dir() -> Path:
    return DOCS


@pytest.fixture
def load_example() -> Iterator[t.Callable[[str], types.ModuleType]]:
    loaded: list[str] = []

    def load(name: str) -> types.ModuleType:
        path = EXAMPLES / f"{name}.py"
        module_name = f"docs_example_{name}_{len(loaded)}"
        spec = importlib.util.spec_from_file_location(module_name, path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        # The app finds its root path (templates, static files) through sys.modules.
        sys.modules[module_name] = module
        loaded.append(module_name)
        spec.loader.exec_module(module)
        return module

    yield load
    for module_name in loaded:
        sys.modules.pop(module_name, None)
