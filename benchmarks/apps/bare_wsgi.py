"""The floor on WSGI: a bare callable around bare_core."""

from __future__ import annotations

from bare_core import handle

REASONS = {200: "200 OK", 400: "400 Bad Request", 404: "404 Not Found"}


def app(environ, start_response):
    length = environ.get("CONTENT_LENGTH")
    body = environ["wsgi.input"].read(int(length)) if length else b""
    status, headers, out = handle({
        "method": environ["REQUEST_METHOD"],
        "path": environ["PATH_INFO"],
        "cookie": environ.get("HTTP_COOKIE", ""),
        "content_type": environ.get("CONTENT_TYPE", ""),
        "body": body,
    })
    start_response(
        REASONS[status],
        [(k.decode(), v.decode()) for k, v in headers] + [("Content-Length", str(len(out)))],
    )
    return [out]
