"""Fast parsers for the two form encodings, equivalent to Werkzeug's ``FormDataParser``.

:class:`erlen.wrappers.Request` uses them when the request keeps Werkzeug's parser
hooks. Each handles the common, well-formed case and says when it cannot decide, so
that Werkzeug's parser is used instead and gives its own result (or error); nothing
here may give a result Werkzeug would not.
"""

from __future__ import annotations

import typing as t
from binascii import a2b_qp
from urllib.parse import parse_qsl
from urllib.parse import unquote_to_bytes

from werkzeug.datastructures import Headers
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.datastructures import MultiDict
from werkzeug.http import parse_options_header
from werkzeug.sansio.http import parse_cookie

_M = t.TypeVar("_M", bound=MultiDict[t.Any, t.Any])
#: The multidict classes :func:`multidict` builds directly.
PLAIN_MULTIDICTS = frozenset({MultiDict, ImmutableMultiDict})


def multidict(cls: type[_M], pairs: list[tuple[t.Any, t.Any]]) -> _M:
    """``cls(pairs)``.

    PERF: ``MultiDict.__init__`` groups the pairs in a Python loop with an
    ``isinstance`` chain first; for exactly ``MultiDict`` or
    ``ImmutableMultiDict`` (a dict of value lists) the grouped dict is built
    here and stored with ``dict.__init__``, as that constructor ends. Any
    other class (a user's ``parameter_storage_class``) is called.
    """
    if cls not in PLAIN_MULTIDICTS:
        return cls(pairs)
    grouped: dict[t.Any, list[t.Any]] = {}
    for key, value in pairs:
        values = grouped.get(key)
        if values is None:
            grouped[key] = [value]
        else:
            values.append(value)
    out = cls.__new__(cls)
    dict.__init__(out, grouped)
    return out


def parse_cookie_header(header: str, cls: type[_M]) -> _M:
    """``werkzeug.sansio.http.parse_cookie(header, cls=cls)``.

    PERF: Werkzeug matches a regex per cookie. A header made only of
    ``name=value`` pairs joined by ``"; "``, with no space, tab, quote or
    ``;`` inside a pair and a name without ``=``, is what browsers send;
    the regex then matches each pair whole with the name before the first
    ``=`` and the rest as the value (unquoted, as there is no quote), so it
    is split directly. Any other header goes through ``parse_cookie``.
    """
    if not header or '"' in header or "\t" in header:
        return t.cast(_M, parse_cookie(header, cls=cls))
    pairs = []
    for item in header.split("; "):
        name, sep, value = item.partition("=")
        if not sep or not name or " " in item or ";" in item:
            return t.cast(_M, parse_cookie(header, cls=cls))
        pairs.append((name, value))
    return multidict(cls, pairs)

#: The charsets Werkzeug's multipart parser honours in a part's ``Content-Type``.
_PART_CHARSETS = frozenset({"ascii", "us-ascii", "utf-8", "iso-8859-1"})

#: ``{Content-Type value: (mimetype, options)}``; copies are handed out.
_CONTENT_TYPES: dict[str, tuple[str, dict[str, str]]] = {}


def parse_content_type(value: str) -> tuple[str, dict[str, str]]:
    """:func:`werkzeug.http.parse_options_header`, cached by header value.

    PERF: the request's content type (and each multipart part's
    disposition) is parsed on every form request; the same values recur. The options dict is copied for each caller, so
    a caller changing it does not change the cache.
    """
    cached = _CONTENT_TYPES.get(value)
    if cached is None:
        cached = parse_options_header(value)
        if len(_CONTENT_TYPES) >= 256:
            _CONTENT_TYPES.clear()
        _CONTENT_TYPES[value] = cached
    return cached[0], dict(cached[1])


def parse_urlencoded(text: str) -> list[tuple[str, str]]:
    """The ``(name, value)`` pairs of a urlencoded body, as Werkzeug parses them.

    Werkzeug calls ``parse_qsl(text, keep_blank_values=True,
    errors="werkzeug.url_quote")``: fields split on ``&``, empty ones skipped,
    a field without ``=`` has the value ``""``, ``+`` is a space and
    percent-escapes that are not UTF-8 stay escaped.

    PERF: ``parse_qsl`` unquotes every name and value with a Python loop.
    For an ASCII body without percent-escapes the fields are only split.
    With escapes, see :func:`_unquote_fields`; when it cannot decide, the
    names and values are joined with NUL (absent from the body, raw or
    escaped, so it comes back only as the joiner), unescaped at once with
    ``unquote_to_bytes`` and split again. That gives the same strings: UTF-8
    sequences never span an ASCII byte, and the error handler escapes
    invalid bytes one by one wherever the text is cut. Other bodies go
    through ``parse_qsl``.
    """
    if not text.isascii() or "\x00" in text:
        return parse_qsl(text, keep_blank_values=True, errors="werkzeug.url_quote")
    if "%" not in text:
        if "+" in text:
            text = text.replace("+", " ")
        return [(name, value) for name, _, value in [f.partition("=") for f in text.split("&") if f]]
    if "%00" in text:
        return parse_qsl(text, keep_blank_values=True, errors="werkzeug.url_quote")
    fields = _unquote_fields(text)
    if fields is not None:
        return fields
    if "+" in text:
        text = text.replace("+", " ")
    pairs = [field.partition("=") for field in text.split("&") if field]
    joined = "\x00".join([name + "\x00" + value for name, _, value in pairs])
    parts = iter(unquote_to_bytes(joined).decode("utf-8", "werkzeug.url_quote").split("\x00"))
    return list(zip(parts, parts, strict=False))


#: ``&`` and ``=`` to NUL and SOH (the separators), ``%`` to ``=`` (quoted-printable's
#: escape) and ``+`` to space.
_TO_QP = str.maketrans({"&": "\x00", "=": "\x01", "%": "=", "+": " "})


def _unquote_fields(text: str) -> list[tuple[str, str]] | None:
    """``parse_urlencoded`` of an ASCII body with escapes (no NUL, no ``%00``), or ``None``.

    PERF: the whole body is unescaped by one C call,
    ``binascii.a2b_qp``, once ``%`` is its ``=`` (and ``&``/``=`` are
    NUL/SOH, the body having neither, raw or escaped). ``a2b_qp`` turns
    ``=XX`` (two hex digits, either case) into that byte as
    ``unquote_to_bytes`` does ``%XX``, and copies every other byte; it
    differs only on escapes ``unquote_to_bytes`` leaves as they are
    (``=`` at the end, before a non-hex character, before another ``=``
    or a line break). Without ``%`` before a line break (excluded here),
    each of those shortens the text by less than the two characters a
    valid escape removes, so the result has ``len - 2 * count("%")`` bytes
    exactly when every escape is valid; otherwise ``None``. The decoded
    text is then split on NUL and each field at its first SOH (later ones
    are ``=`` again).
    """
    if "\x01" in text or "%01" in text or "%\n" in text or "%\r" in text:
        return None
    raw = text.translate(_TO_QP).encode("ascii")
    decoded = a2b_qp(raw)
    if len(decoded) != len(raw) - 2 * text.count("%"):
        return None
    out = []
    for field in decoded.decode("utf-8", "werkzeug.url_quote").split("\x00"):
        if field:
            name, _, value = field.partition("\x01")
            if "\x01" in value:
                value = value.replace("\x01", "=")
            out.append((name, value))
    return out


class FilePart(t.NamedTuple):
    """A file part found by :func:`parse_multipart`."""

    name: str | None
    filename: str
    headers: Headers
    #: The part's bytes: a view into the body (PERF: no copy of a large upload).
    data: memoryview


def _part_headers(block: bytes | bytearray) -> list[tuple[str, str]] | None:
    """Werkzeug's header parsing for a block of UTF-8 ``CRLF``-separated lines, else ``None``.

    The ``(name, value)`` items of the ``Headers`` Werkzeug would build.
    """
    crs = block.count(b"\r")
    if crs != block.count(b"\n") or crs != block.count(b"\r\n"):
        return None  # a bare CR or LF: Werkzeug's line-break rules apply
    if b"\r\n " in block or b"\r\n\t" in block:
        return None  # continued header lines
    items: list[tuple[str, str]] = []
    for line in block.split(b"\r\n"):
        line = line.strip(b" \t")
        if line:
            try:
                text = line.decode()
            except UnicodeDecodeError:  # Werkzeug's parser answers an empty form
                return None
            name, _, value = text.partition(":")
            items.append((name.strip(" \t"), value.strip(" \t")))
    return items


def _disposition_and_type(items: list[tuple[str, str]]) -> tuple[str | None, str | None]:
    """A part's ``Content-Disposition`` and ``Content-Type``; no disposition with a ``Content-Length``.

    PERF: the lookups ``Headers.get`` (first match, case-insensitive) and
    ``in`` would make, done on the items; a ``Headers`` is built only for a
    file part, which keeps it.
    """
    disposition = content_type = None
    for key, value in items:
        lower = key.lower()
        if lower == "content-disposition":
            if disposition is None:
                disposition = value
        elif lower == "content-type":
            if content_type is None:
                content_type = value
        elif lower == "content-length":
            return None, None
    return disposition, content_type


def parse_multipart(
    body: bytes | bytearray, boundary: bytes, max_parts: int | None
) -> tuple[list[tuple[str | None, str]], list[FilePart]] | None:
    """The fields and file parts of a whole ``multipart/form-data`` body, or ``None``.

    Only a strictly formed body is parsed: it starts with ``--boundary``
    and ``CRLF``; each part has ``CRLF``-separated UTF-8 headers, a blank
    line, its data and ``CRLF``; the first ``--boundary`` after the data
    is followed by ``CRLF`` (another part) or ``--`` (the end; the epilogue
    is ignored). Within those rules Werkzeug's ``MultipartDecoder`` finds
    the same parts, headers and data. For anything else (no
    ``Content-Disposition``, a part ``Content-Length``, more than
    ``max_parts`` parts, whitespace or a bare CR/LF around a boundary, a
    missing end) it returns ``None`` and the caller uses Werkzeug, which
    gives its own result or error (400, 413, an empty form).

    The caller guarantees that the body is within ``max_form_memory_size``,
    so Werkzeug's size limits cannot apply.

    Field values are decoded with the part's charset (``utf-8`` unless its
    ``Content-Type`` names one of Werkzeug's accepted ones), invalid bytes
    replaced, as Werkzeug does.
    """
    dash = b"--" + boundary
    if not body.startswith(dash + b"\r\n"):
        return None
    fields: list[tuple[str | None, str]] = []
    files: list[FilePart] = []
    start = len(dash) + 2
    count = 0
    while True:
        blank = body.find(b"\r\n\r\n", start)
        if blank < 0:
            return None
        items = _part_headers(body[start:blank])
        if items is None:
            return None
        count += 1
        if max_parts is not None and count > max_parts:
            return None
        disposition, content_type = _disposition_and_type(items)
        if disposition is None:
            return None
        data_start = blank + 4
        end = body.find(dash, data_start)
        if end < 0 or end - 2 < data_start or body[end - 2 : end] != b"\r\n":
            return None
        after = body[end + len(dash) : end + len(dash) + 2]
        if after != b"\r\n" and after != b"--":
            return None
        options = parse_content_type(disposition)[1]
        name = options.get("name")
        filename = options.get("filename")
        if filename is not None:
            files.append(
                FilePart(name, filename, Headers(items), memoryview(body)[data_start : end - 2])
            )
        else:
            charset = "utf-8"
            if content_type:
                declared = parse_content_type(content_type)[1].get("charset", "").lower()
                if declared in _PART_CHARSETS:
                    charset = declared
            fields.append((name, body[data_start : end - 2].decode(charset, "replace")))
        if after == b"--":
            return fields, files
        start = end + len(dash) + 2
