"""Raw ASGI plumbing for tests that need to see every message: scopes and a scripted server side."""

from __future__ import annotations

import asyncio
import typing as t

Message = dict[str, t.Any]


def http_scope(
    path: str = "/",
    method: str = "GET",
    headers: t.Sequence[tuple[str, str]] = (),
    query_string: bytes = b"",
) -> Message:
    """An ASGI ``http`` scope as a server sends it for ``method path``."""
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.4"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": query_string,
        "headers": [(k.lower().encode(), v.encode()) for k, v in [("host", "testserver"), *headers]],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
        "state": {},
    }


class Server:
    """The server's side of one HTTP request: hands out ``chunks`` and records what the app does.

    ``receive`` returns the chunks as ``http.request`` messages (the last with
    ``more_body`` false) and counts them in :attr:`pulled`; after them it
    reports ``http.disconnect`` when :attr:`disconnected` is set (at once
    with ``disconnect_after_body``), or once the response is complete.
    With ``disconnect_after_chunks=n``, ``send`` sets it after the app sent
    ``n`` body chunks (a client hanging up mid-stream).
    """

    def __init__(
        self,
        chunks: t.Sequence[bytes] = (b"",),
        disconnect_after_chunks: int | None = None,
        disconnect_after_body: bool = False,
    ) -> None:
        self.chunks = list(chunks)
        self.pulled = 0
        self.sent: list[Message] = []
        self.sent_after_disconnect = 0
        self.disconnected = asyncio.Event()
        self.complete = asyncio.Event()
        self.disconnect_after_chunks = disconnect_after_chunks
        if disconnect_after_body:
            self.disconnected.set()

    async def receive(self) -> Message:
        if self.pulled < len(self.chunks):
            self.pulled += 1
            return {
                "type": "http.request",
                "body": self.chunks[self.pulled - 1],
                "more_body": self.pulled < len(self.chunks),
            }
        done = asyncio.ensure_future(self.complete.wait())
        gone = asyncio.ensure_future(self.disconnected.wait())
        await asyncio.wait({done, gone}, return_when=asyncio.FIRST_COMPLETED)
        done.cancel()
        gone.cancel()
        return {"type": "http.disconnect"}

    async def send(self, message: Message) -> None:
        if self.disconnected.is_set():
            # Servers drop what is sent after a disconnect; count it.
            self.sent_after_disconnect += 1
            return
        self.sent.append(message)
        if message["type"] == "http.response.body":
            if not message.get("more_body", False):
                self.complete.set()
            elif self.disconnect_after_chunks is not None and len(self.body_chunks) >= self.disconnect_after_chunks:
                self.disconnected.set()

    @property
    def status(self) -> int:
        return int(self.sent[0]["status"])

    @property
    def headers(self) -> dict[str, str]:
        return {k.decode(): v.decode() for k, v in self.sent[0]["headers"]}

    @property
    def body_chunks(self) -> list[bytes]:
        return [m["body"] for m in self.sent if m["type"] == "http.response.body" and m["body"]]

    @property
    def body(self) -> bytes:
        return b"".join(self.body_chunks)


async def run(app: t.Any, scope: Message, server: Server, timeout: float = 10) -> Server:
    """Call the ASGI ``app`` for ``scope`` with ``server``'s receive and send; return ``server``."""
    await asyncio.wait_for(app(scope, server.receive, server.send), timeout)
    return server
