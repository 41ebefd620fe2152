"""A griffe extension: erlen's docstrings in Markdown for mkdocstrings.

The public docstrings use a few reStructuredText habits (they also read well
in ``help()`` and in editors): ``:class:`~erlen.testing.ErlenClient```-style
roles, ``text::`` before an indented example, and ``.. versionadded::``
notes. This extension rewrites them, on load, into what mkdocstrings renders:

* a role becomes inline code, linked with an *optional* cross-reference when
  the target resolves to an erlen object (no warning when that object is not
  rendered anywhere, for example a private helper);
* ``text::`` becomes ``text:`` (the indented block after it is already a
  Markdown code block);
* ``.. versionadded:: X`` / ``.. versionchanged:: X`` become an italic note;
* an attribute without a docstring takes its ``#:`` comment (the lines just
  above the assignment, or one at its end), as Sphinx's autodoc does.
"""

from __future__ import annotations

import re
import typing as t

from griffe import Docstring
from griffe import Extension
from griffe import Object

_ROLE = re.compile(r":(?:class|meth|func|data|attr|mod|exc|obj):`(~?)([^`]+)`")
_VERSION = re.compile(r"^(\s*)\.\. version(added|changed)::\s*(\S+)\s*$", re.MULTILINE)
_LITERAL_INTRO = re.compile(r"(\S)::$", re.MULTILINE)


def _resolve(obj: Object, target: str) -> str | None:
    """The full path of ``target`` as written in ``obj``'s docstring, or ``None``."""
    if target.startswith("erlen."):
        return target
    head, _, rest = target.partition(".")
    scope: Object | None = obj
    while scope is not None:
        if head in scope.members:
            full = scope.members[head].path
            return f"{full}.{rest}" if rest else full
        scope = scope.parent
    try:
        full = obj.resolve(head)
    except Exception:  # NOTE: griffe raises NameResolutionError and friends.
        return None
    return f"{full}.{rest}" if rest else full


#: A private module inside a public package (``erlen.testing._wsgi.``), followed
#: by a public name: the package re-exports that name.
_PRIVATE_MODULE = re.compile(r"^(erlen(?:\.[a-z]\w*)*)\._[a-z]\w*\.(?=[A-Za-z])")


def _rewrite(obj: Object, text: str) -> str:
    def role(match: re.Match[str]) -> str:
        short, target = match.group(1), match.group(2).strip()
        target = target.rstrip("()")
        title = target.rsplit(".", 1)[-1] if short else target
        full = _resolve(obj, target)
        if full:
            # erlen.cli and erlen.testing are split into private modules:
            # link to the public name the package exports.
            full = _PRIVATE_MODULE.sub(r"\1.", full)
        code = f"<code>{title}</code>"
        if full and full.startswith("erlen.") and "._" not in full:
            return f'<autoref identifier="{full}" optional>{code}</autoref>'
        return code

    text = _ROLE.sub(role, text)
    text = _VERSION.sub(
        lambda m: f"{m.group(1)}*{'Added' if m.group(2) == 'added' else 'Changed'} in version {m.group(3)}.*",
        text,
    )
    return _LITERAL_INTRO.sub(r"\1:", text)


def _comment_docstring(obj: Object) -> str | None:
    """The ``#:`` comment documenting attribute ``obj``, or ``None``."""
    lineno = obj.lineno
    if lineno is None:
        return None
    try:
        lines = obj.module.lines
    except Exception:  # NOTE: no source (a compiled module).
        return None
    if not lines or lineno > len(lines):
        return None
    own = lines[lineno - 1]
    if "#: " in own:
        return own.split("#: ", 1)[1].strip()
    found: list[str] = []
    index = lineno - 2
    while index >= 0:
        stripped = lines[index].strip()
        if stripped == "#:" or stripped.startswith("#: "):
            found.append(stripped[3:])
            index -= 1
        else:
            break
    if not found:
        return None
    return "\n".join(reversed(found))


class RstRoles(Extension):
    """Rewrite reStructuredText roles and notes in docstrings as Markdown."""

    def on_object(self, *, obj: Object, **kwargs: t.Any) -> None:
        """Rewrite ``obj``'s docstring in place (aliases are skipped: their target is visited)."""
        if obj.is_alias:
            return
        if obj.docstring is None and obj.is_attribute:
            text = _comment_docstring(obj)
            if text:
                obj.docstring = Docstring(text, parent=obj)
        if obj.docstring is None:
            return
        obj.docstring.value = _rewrite(obj, obj.docstring.value)
