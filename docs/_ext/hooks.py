"""MkDocs hooks for erlen's documentation.

``docs/benchmarks.md`` is written with the benchmark suite; when it exists its
text is included into the Benchmarks page (``performance.md``) in place of the
``<!-- benchmarks.md -->`` marker, so that page works with or without it.
"""

from __future__ import annotations

import os
import typing as t

_MARKER = "<!-- benchmarks.md -->"


def on_page_markdown(markdown: str, page: t.Any, config: t.Any, files: t.Any) -> str:
    """Replace the marker on the Benchmarks page with ``docs/benchmarks.md``, if present."""
    if _MARKER not in markdown:
        return markdown
    path = os.path.join(config["docs_dir"], "benchmarks.md")
    if not os.path.exists(path):
        return markdown.replace(
            _MARKER,
            "The results page is not written yet: run the suite yourself as shown above.",
        )
    with open(path, encoding="utf-8") as f:
        text = f.read()
    lines = text.splitlines()
    if lines and lines[0].startswith("# "):
        # Its title would be a second H1 on this page: demote it.
        lines[0] = "#" + lines[0]
    return markdown.replace(_MARKER, "\n".join(lines))
