"""The floor on ASGI: a bare callable around bare_core (with a minimal lifespan)."""

from __future__ import annotations

from bare_core import handle


async def app(scope, receive, send):
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    cookie = content_type = b""
    for name, value in scope["headers"]:
        if name == b"cookie":
            cookie = value
        elif name == b"content-type":
            content_type = value
    body = b""
    more = True
    while more:
        message = await receive()
        body += message.get("body", b"")
        more = message.get("more_body", False)
    status, headers, out = handle({
        "method": scope["method"],
        "path": scope["path"],
        "cookie": cookie.decode("latin-1"),
        "content_type": content_type.decode("latin-1"),
        "body": body,
    })
    await send({
        "type": "http.response.start",
        "status": status,
        "headers": [*headers, (b"content-length", str(len(out)).encode())],
    })
    await send({"type": "http.response.body", "body": out})
