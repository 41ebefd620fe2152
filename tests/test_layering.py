"""The core's layering: erlen.sansio never reaches a protocol front or the I/O wrappers."""

from __future__ import annotations

import ast
import pathlib

import pytest

SRC = pathlib.Path(__file__).parent.parent / "src" / "erlen"
FORBIDDEN = ("erlen.app", "erlen.asgi", "erlen.wrappers", "erlen.testing", "erlen.cli")


def _imports(path: pathlib.Path) -> list[str]:
    package = "erlen." + ".".join(path.relative_to(SRC).with_suffix("").parts[:-1])
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            names.append(module)
            names.extend(f"{module}.{alias.name}" for alias in node.names)
    return names


@pytest.mark.parametrize("path", sorted((SRC / "sansio").glob("*.py")), ids=lambda p: p.name)
def test_sansio_imports_no_front(path: pathlib.Path) -> None:
    bad = [
        name
        for name in _imports(path)
        if any(name == f or name.startswith(f + ".") for f in FORBIDDEN)
    ]
    assert bad == []


def test_checker_sees_relative_imports() -> None:
    names = _imports(SRC / "asgi" / "http.py")
    assert "erlen.asgi._environ" in names
