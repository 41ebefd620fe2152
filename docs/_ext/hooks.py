"""MkDocs hooks for erlen's documentation.

* ``docs/benchmarks.md`` is written with the benchmark suite; when it exists
  its text is included into the Benchmarks page (``performance.md``) in place
  of the ``<!-- benchmarks.md -->`` marker, so that page works with or without
  it.
* Pages written alongside the code by other parts of the project
  (``benchmarks.md``, ``flask-compat.md``, ``dev/ARCHITECTURE.md``) may point
  at files of the repository outside ``docs/`` (``../benchmarks/run``): such
  links have no page to go to on the site, so they become the path in code
  type instead of failing the strict build.
"""

from __future__ import annotations

import os
import posixpath
import re
import typing as t

_MARKER = "<!-- benchmarks.md -->"
#: Pages maintained with the code rather than with the documentation.
_CODE_PAGES = {"benchmarks.md", "flask-compat.md", "dev/ARCHITECTURE.md"}
#: ``[text](target)`` and ``![alt](target)``, target without spaces.
_LINK = re.compile(r"(!?)\[([^\]]*)\]\(([^)\s]+)\)")


def _unlink_outside(markdown: str, page_uri: str) -> str:
    """Replace links that leave ``docs/`` with the repository path as code."""
    base = posixpath.dirname(page_uri)

    def replace(match: re.Match[str]) -> str:
        bang, text, target = match.groups()
        if "://" in target or target.startswith(("#", "mailto:")):
            return match.group(0)
        path = posixpath.normpath(posixpath.join("docs", base, target.split("#", 1)[0]))
        if path.startswith("docs/"):
            return match.group(0)
        if bang:
            return text
        return text if text.strip("`") == path else f"{text} (`{path}`)"

    return _LINK.sub(replace, markdown)


def on_page_markdown(markdown: str, page: t.Any, config: t.Any, files: t.Any) -> str:
    """Include ``benchmarks.md`` into the Benchmarks page; unlink paths outside ``docs/``."""
    uri = page.file.src_uri
    if uri in _CODE_PAGES:
        markdown = _unlink_outside(markdown, uri)
    if _MARKER not in markdown:
        return markdown
    path = os.path.join(config["docs_dir"], "benchmarks.md")
    if not os.path.exists(path):
        return markdown.replace(
            _MARKER,
            "## Results\n\nThe results are not published yet: run the suite as shown above.",
        )
    with open(path, encoding="utf-8") as f:
        lines = _unlink_outside(f.read(), "benchmarks.md").splitlines()
    # Its headings go one level down: its title would be a second H1 here.
    fenced = False
    for i, line in enumerate(lines):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        elif not fenced and re.match(r"#{1,5} ", line):
            lines[i] = "#" + line
    return markdown.replace(_MARKER, "\n".join(lines))
