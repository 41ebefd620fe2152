"""Load a core test module (``tests/<name>.py``) so a parity module can collect its tests again."""

from __future__ import annotations

import importlib.util
import sys
import typing as t
from pathlib import Path

TESTS_DIR = Path(__file__).resolve().parent.parent


def rerun(name: str) -> dict[str, t.Any]:
    """Return the public names of ``tests/<name>.py`` (its tests, fixtures and helpers).

    The module object pytest collects is reused when it is already imported;
    another module of the same name (``tests/docs/<name>.py``) never stands
    in for it.
    """
    path = TESTS_DIR / f"{name}.py"
    module = sys.modules.get(name)
    if module is None or Path(getattr(module, "__file__", "") or "").resolve() != path:
        key = name if module is None else f"_asgi_rerun_{name}"
        module = sys.modules.get(key)
        if module is None:
            spec = importlib.util.spec_from_file_location(key, path)
            assert spec is not None and spec.loader is not None
            module = importlib.util.module_from_spec(spec)
            sys.modules[key] = module
            spec.loader.exec_module(module)
    return {k: v for k, v in vars(module).items() if not k.startswith("_") and k != "pytestmark"}
