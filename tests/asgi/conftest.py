"""ASGI tests: run async tests on asyncio (anyio's pytest plugin), mark documented differences."""

from __future__ import annotations

import re

import pytest


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark as strict xfail the rerun tests a parity module lists in ``ASGI_DIFFERENCES``.

    ``ASGI_DIFFERENCES`` maps a pattern (``*`` matches anything) to the
    documented reason the ASGI front behaves differently from WSGI there.
    The pattern is matched against the test's name (``name[ids]``), its base
    name, and its base name followed by a space and the ``repr`` of its
    parameters dict.
    """
    for item in items:
        module = getattr(item, "module", None)
        differences: dict[str, str] = getattr(module, "ASGI_DIFFERENCES", {})
        callspec = getattr(item, "callspec", None)
        base = item.name.partition("[")[0]
        described = f"{base} {callspec.params!r}" if callspec is not None else base
        for pattern, reason in differences.items():
            regex = re.compile(".*".join(map(re.escape, pattern.split("*"))), re.DOTALL)
            if any(regex.fullmatch(name) for name in (item.name, base, described)):
                item.add_marker(pytest.mark.xfail(reason=reason, strict=True))
                break
