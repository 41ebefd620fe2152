"""Translate an ASGI scope into the PEP 3333 environ the request object reads."""

from __future__ import annotations

import io
import sys
import typing as t

_EMPTY = b""


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
    root_path: str = scope.get("root_path", "")
    path: str = scope["path"]
    if root_path and path.startswith(root_path):
        path = path[len(root_path) :]
    server = scope.get("server")
    client = scope.get("client")
    scheme = scope.get("scheme") or ("ws" if scope["type"] == "websocket" else "http")
    environ: dict[str, t.Any] = {
        "REQUEST_METHOD": scope.get("method", "GET"),
        "SCRIPT_NAME": root_path.encode("utf-8").decode("latin-1"),
        "PATH_INFO": path.encode("utf-8").decode("latin-1"),
        "QUERY_STRING": scope.get("query_string", _EMPTY).decode("latin-1"),
        "SERVER_PROTOCOL": f"HTTP/{scope.get('http_version', '1.1')}",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": scheme,
        "wsgi.input": body if body is not None else io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.input_terminated": True,
        "asgi.scope": scope,
    }
    if server:
        environ["SERVER_NAME"] = server[0]
        environ["SERVER_PORT"] = str(server[1]) if server[1] is not None else "80"
    else:
        environ["SERVER_NAME"] = "localhost"
        environ["SERVER_PORT"] = "443" if scheme in ("https", "wss") else "80"
    if client:
        environ["REMOTE_ADDR"] = client[0]
        environ["REMOTE_PORT"] = str(client[1])
    for raw_name, raw_value in scope.get("headers", ()):
        name = raw_name.decode("latin-1")
        if "_" in name:
            continue
        key = name.upper().replace("-", "_")
        if key not in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            key = f"HTTP_{key}"
        value = raw_value.decode("latin-1")
        if key in environ:
            value = f"{environ[key]}{'; ' if key == 'HTTP_COOKIE' else ','}{value}"
        environ[key] = value
    return environ
