"""Data every scenario app shares, so all frameworks do the same work.

Imported by the apps in this folder (each run with this folder on
``sys.path``) and by the runners, which check responses against it.
"""

from __future__ import annotations

import os

#: The signing key of every session cookie (benchmarks only).
SECRET_KEY = "erlen-benchmark-secret-not-for-production"

#: Scenario (c): ``ROUTE_PAIRS`` static routes ``/route<i>`` and as many
#: dynamic ones ``/route<i>/<int:id>``, registered in turn; the request goes
#: to the last dynamic one.
ROUTE_PAIRS = 50

TEMPLATES_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "templates")

#: Scenario (d)'s template context: the names need autoescaping.
TITLE = "Items & <prices>"
ITEMS = [{"name": f"item <{i}> & co", "price": f"{i * 1.25:.2f}"} for i in range(20)]


def json_payload(id: int) -> dict[str, object]:
    """Scenario (b)'s response body for ``/json/<id>``."""
    return {"id": id, "name": f"item {id}", "tags": ["a", "b", "c"], "active": True}


def static_text(i: int) -> str:
    return f"static {i}"


def dynamic_text(i: int, id: int) -> str:
    return f"route {i} id {id}"


def form_text(count: int, last: str) -> str:
    """Scenario (e)'s response: the number of fields and the last one's value."""
    return f"{count} {last}"


def upload_text(filename: str, size: int) -> str:
    """Scenario (h)'s response: the uploaded file's name and size."""
    return f"{filename} {size}"
