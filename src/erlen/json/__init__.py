"""JSON helpers that defer to the current app's provider.

Inside an app context, :func:`dumps`, :func:`dump`, :func:`loads` and :func:`load` call
``current_app.json`` (a :class:`~erlen.json.provider.JSONProvider`), so an app's JSON
customisations apply everywhere. Outside an app context they fall back to the standard
library, still understanding dates, ``Decimal``, ``UUID``, dataclasses and ``__html__``
objects when dumping. Follows Flask 3.1's ``flask.json``.
"""

from __future__ import annotations

import json as _json
import typing as t

from ..globals import _cv_app
from ..globals import current_app
from .provider import _default

if t.TYPE_CHECKING:  # pragma: no cover
    from ..wrappers import Response


def dumps(obj: t.Any, **kwargs: t.Any) -> str:
    """Serialise ``obj`` to a JSON string.

    Uses ``current_app.json.dumps`` when an app context is active (by default sorted keys,
    ASCII-only output); otherwise :func:`json.dumps` with the extra-type ``default``
    function of :class:`~erlen.json.provider.DefaultJSONProvider` and the stdlib's other
    defaults (keys unsorted).

    Args:
        obj: The data to serialise.
        **kwargs: Passed to the provider or to :func:`json.dumps`.

    Returns:
        The JSON document as text.

    Raises:
        TypeError: When a value cannot be serialised.
    """
    ctx = _cv_app.get(None)
    if ctx is not None:
        return ctx.app.json.dumps(obj, **kwargs)
    kwargs.setdefault("default", _default)
    return _json.dumps(obj, **kwargs)


def dump(obj: t.Any, fp: t.IO[str], **kwargs: t.Any) -> None:
    """Serialise ``obj`` as JSON and write it to a text file.

    Uses ``current_app.json.dump`` when an app context is active, else :func:`json.dump`
    with the extra-type ``default`` function.

    Args:
        obj: The data to serialise.
        fp: A file opened for writing text.
        **kwargs: Passed to the provider or to :func:`json.dump`.

    Raises:
        TypeError: When a value cannot be serialised.
    """
    ctx = _cv_app.get(None)
    if ctx is not None:
        ctx.app.json.dump(obj, fp, **kwargs)
        return
    kwargs.setdefault("default", _default)
    _json.dump(obj, fp, **kwargs)


def loads(s: str | bytes, **kwargs: t.Any) -> t.Any:
    """Deserialise a JSON document.

    Uses ``current_app.json.loads`` when an app context is active, else :func:`json.loads`.

    Args:
        s: The document, as text or UTF-8/16/32 bytes.
        **kwargs: Passed to the provider or to :func:`json.loads`.

    Returns:
        The decoded Python value.

    Raises:
        json.JSONDecodeError: When the document is not valid JSON (default provider).
    """
    ctx = _cv_app.get(None)
    if ctx is not None:
        return ctx.app.json.loads(s, **kwargs)
    return _json.loads(s, **kwargs)


def load(fp: t.IO[t.AnyStr], **kwargs: t.Any) -> t.Any:
    """Read a file and deserialise its JSON content.

    Uses ``current_app.json.load`` when an app context is active, else :func:`json.load`.

    Args:
        fp: A file opened for reading text or bytes.
        **kwargs: Passed to the provider or to :func:`json.load`.

    Returns:
        The decoded Python value.

    Raises:
        json.JSONDecodeError: When the content is not valid JSON (default provider).
    """
    ctx = _cv_app.get(None)
    if ctx is not None:
        return ctx.app.json.load(fp, **kwargs)
    return _json.load(fp, **kwargs)


def jsonify(*args: t.Any, **kwargs: t.Any) -> Response:
    """Build a JSON response for the current app: ``current_app.json.response(...)``.

    ``jsonify(x)`` sends ``x``; ``jsonify(a, b)`` sends ``[a, b]``; ``jsonify(k=v)`` sends
    ``{"k": v}``; ``jsonify()`` sends ``null``. With the default provider the body is
    compact (indented by two spaces in debug mode), keys are sorted, and it ends in a newline;
    the mimetype is ``application/json``. Views may also simply return a dict or list.

    Args:
        *args: One value, or several values to send as a list.
        **kwargs: Items to send as an object.

    Returns:
        An instance of ``current_app.response_class``.

    Raises:
        TypeError: When both ``args`` and ``kwargs`` are given, or a value cannot be
            serialised.
        RuntimeError: When no app context is active.
    """
    return current_app.json.response(*args, **kwargs)  # type: ignore[return-value]
