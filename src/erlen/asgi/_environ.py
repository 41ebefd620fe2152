"""Translate an ASGI scope into the PEP 3333 environ the request object reads."""

from __future__ import annotations

import io
import sys
import typing as t

_EMPTY = b""

#: ``{raw header name: environ key}`` (``None`` for names that are dropped),
#: filled as names are seen.
_HEADER_KEYS: dict[bytes, str | None] = {}
#: Past this many distinct names, new ones are translated without caching, so
#: clients sending random header names cannot grow the table without bound.
_HEADER_KEYS_MAX = 512
_PROTOCOLS = {"1.1": "HTTP/1.1", "2": "HTTP/2", "1.0": "HTTP/1.0", "3": "HTTP/3"}


def _header_key(raw_name: bytes) -> str | None:
    """The environ key of a header name, or ``None`` when the header is dropped."""
    name = raw_name.decode("latin-1")
    if "_" in name:
        key = None
    else:
        key = name.upper().replace("-", "_")
        if key not in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            key = f"HTTP_{key}"
    if len(_HEADER_KEYS) < _HEADER_KEYS_MAX:
        _HEADER_KEYS[raw_name] = key
    return key


#: ``{(type, scheme, http_version, server): environ template}``: the keys
#: that depend only on the connection's server side, and the constant ones.
_TEMPLATES: dict[t.Any, dict[str, t.Any]] = {}


def _template(kind: str, scheme: str | None, version: str, server: t.Any) -> dict[str, t.Any]:
    """The environ keys that are the same for every request to ``server``."""
    scheme = scheme or ("ws" if kind == "websocket" else "http")
    template: dict[str, t.Any] = {
        "REQUEST_METHOD": "GET",
        "SCRIPT_NAME": "",
        "PATH_INFO": "",
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": _PROTOCOLS.get(version) or f"HTTP/{version}",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": scheme,
        "wsgi.input": None,
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.input_terminated": True,
        "asgi.scope": None,
    }
    if server:
        port = server[1]
        template["SERVER_NAME"] = server[0]
        template["SERVER_PORT"] = "80" if port is None else str(port)
    else:
        template["SERVER_NAME"] = "localhost"
        template["SERVER_PORT"] = "443" if scheme in ("https", "wss") else "80"
    return template


def scope_to_environ(
    scope: t.Mapping[str, t.Any], body: t.IO[bytes] | None = None
) -> dict[str, t.Any]:
    """Return a WSGI environ for an ASGI ``http`` or ``websocket`` scope.

    Header names containing ``_`` are dropped (they would be
    indistinguishable from ``-`` in the environ and could spoof headers
    such as ``X-Forwarded-For``); repeated headers are joined with ``,``
    (``;`` for ``Cookie``). The path is stored as PEP 3333 "bytes as
    latin-1", with ``root_path`` moved to ``SCRIPT_NAME``.

    Args:
        scope: the ASGI connection scope.
        body: the request body stream, or ``None`` for an empty one.
    """
    # PERF: called for every request: the keys that depend only on the
    # server side (and the constant ones) are copied from a cached template
    # (at most 64 kept; others are built each time), header names are
    # translated through a cache, and ASCII paths (nearly all) skip the
    # latin-1 round trip.
    kind = scope["type"]
    scheme = scope.get("scheme")
    version = scope.get("http_version", "1.1")
    server = scope.get("server")
    server_key = (kind, scheme, version, server)
    try:
        template = _TEMPLATES[server_key]
    except KeyError:
        template = _template(kind, scheme, version, server)
        if len(_TEMPLATES) < 64:
            _TEMPLATES[server_key] = template
    except TypeError:  # an unhashable server entry (a list)
        template = _template(kind, scheme, version, server)
    environ = template.copy()
    root_path: str = scope.get("root_path", "")
    path: str = scope["path"]
    if root_path:
        if path.startswith(root_path):
            path = path[len(root_path) :]
        if not root_path.isascii():
            root_path = root_path.encode("utf-8").decode("latin-1")
        environ["SCRIPT_NAME"] = root_path
    if not path.isascii():
        path = path.encode("utf-8").decode("latin-1")
    environ["PATH_INFO"] = path
    method = scope.get("method")
    if method is not None:
        environ["REQUEST_METHOD"] = method
    query = scope.get("query_string")
    if query:
        environ["QUERY_STRING"] = query.decode("latin-1")
    environ["wsgi.input"] = body if body is not None else io.BytesIO()
    environ["asgi.scope"] = scope
    client = scope.get("client")
    if client:
        environ["REMOTE_ADDR"] = client[0]
        environ["REMOTE_PORT"] = str(client[1])
    keys = _HEADER_KEYS
    for raw_name, raw_value in scope.get("headers", ()):
        try:
            key = keys[raw_name]
        except KeyError:
            key = _header_key(bytes(raw_name))
        except TypeError:  # an unhashable name (bytearray)
            key = _header_key(bytes(raw_name))
        if key is None:
            continue
        value = raw_value.decode("latin-1")
        if key in environ:
            value = f"{environ[key]}{'; ' if key == 'HTTP_COOKIE' else ','}{value}"
        environ[key] = value
    return environ
