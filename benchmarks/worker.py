"""In-process worker: one process per framework, driven by inprocess.py over stdin/stdout.

Loads ``apps/<module>.py``, then answers JSON-line commands:
``check``, ``time``, ``calls``, ``rss``, ``quit``. No server: the WSGI or
ASGI callable is called directly with prebuilt environs or scopes.
"""

from __future__ import annotations

import asyncio
import cProfile
import gc
import importlib
import json
import os
import pstats
import sys
import time
import traceback
import typing as t

# The protocol channel is the original stdout; everything else printed goes to stderr.
_proto = os.fdopen(os.dup(1), "w", buffering=1)
os.dup2(2, 1)
sys.stdout = sys.stderr

from common import FRAMEWORK_BY_NAME  # noqa: E402
from common import SCENARIO_BY_KEY  # noqa: E402
from common import SCENARIOS  # noqa: E402
from common import Scenario  # noqa: E402
from common import asgi_scope  # noqa: E402
from common import cookie_from  # noqa: E402
from common import wsgi_environ  # noqa: E402


def _start_response(status: str, headers: t.Any, exc_info: t.Any = None) -> t.Any:
    return None


class Conn:
    """One ASGI HTTP connection: the body in one message, then a disconnect once the response is sent."""

    __slots__ = ("body", "sent_body", "done", "waiter", "status", "headers", "chunks")

    def __init__(self, body: bytes) -> None:
        self.body = body
        self.sent_body = False
        self.done = False
        self.waiter: asyncio.Future[None] | None = None
        self.status = 0
        self.headers: list[tuple[str, str]] = []
        self.chunks: list[bytes] = []

    async def receive(self) -> dict[str, t.Any]:
        if not self.sent_body:
            self.sent_body = True
            return {"type": "http.request", "body": self.body, "more_body": False}
        if not self.done:
            self.waiter = asyncio.get_running_loop().create_future()
            await self.waiter
        return {"type": "http.disconnect"}

    async def send(self, message: dict[str, t.Any]) -> None:
        kind = message["type"]
        if kind == "http.response.start":
            self.status = message["status"]
            self.headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in message.get("headers", ())]
        elif kind == "http.response.body":
            self.chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                self.done = True
                if self.waiter is not None and not self.waiter.done():
                    self.waiter.set_result(None)


class Worker:
    def __init__(self, name: str) -> None:
        self.fw = FRAMEWORK_BY_NAME[name]
        self.app = importlib.import_module(self.fw.module).app
        self.cookies: dict[str, str | None] = {}
        self.sizes: dict[str, int] = {}
        self.loop: asyncio.AbstractEventLoop | None = None
        if self.fw.protocol == "asgi":
            self.loop = asyncio.new_event_loop()
            asyncio.set_event_loop(self.loop)
            self._lifespan_startup()

    # -- ASGI lifespan, as a server runs it ---------------------------------------

    def _lifespan_startup(self) -> None:
        assert self.loop is not None
        queue: asyncio.Queue[dict[str, t.Any]] = asyncio.Queue()
        started = self.loop.create_future()

        async def send(message: dict[str, t.Any]) -> None:
            if message["type"].startswith("lifespan.startup") and not started.done():
                started.set_result(message["type"])

        async def run() -> None:
            try:
                await self.app({"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}},
                               queue.get, send)
            except Exception:  # an app without lifespan support
                pass
            if not started.done():
                started.set_result("unsupported")

        queue.put_nowait({"type": "lifespan.startup"})
        self._lifespan_queue = queue
        self._lifespan = self.loop.create_task(run())
        result = self.loop.run_until_complete(asyncio.wait_for(started, 10))
        if result == "lifespan.startup.failed":
            raise RuntimeError("lifespan startup failed")

    def close(self) -> None:
        if self.loop is None:
            return
        self._lifespan_queue.put_nowait({"type": "lifespan.shutdown"})
        try:
            self.loop.run_until_complete(asyncio.wait_for(self._lifespan, 5))
        except Exception:
            pass
        self.loop.close()

    # -- one request, with its response ----------------------------------------------

    def request(self, sc: Scenario, cookie: str | None) -> tuple[int, list[tuple[str, str]], bytes]:
        if self.fw.protocol == "wsgi":
            got: list[t.Any] = []

            def start_response(status: str, headers: t.Any, exc_info: t.Any = None) -> t.Any:
                got[:] = [int(status.split()[0]), list(headers)]
                return lambda data: None

            it = self.app(wsgi_environ(sc, cookie), start_response)
            try:
                body = b"".join(it)
            finally:
                if hasattr(it, "close"):
                    it.close()
            return got[0], got[1], body
        assert self.loop is not None
        conn = Conn(sc.body)
        self.loop.run_until_complete(self.app(asgi_scope(sc, cookie), conn.receive, conn.send))
        return conn.status, conn.headers, b"".join(conn.chunks)

    def cookie(self, sc: Scenario) -> str | None:
        if sc.key not in self.cookies:
            cookie = None
            if sc.session:
                _, headers, _ = self.request(sc, None)
                cookie = cookie_from(headers)
            self.cookies[sc.key] = cookie
        return self.cookies[sc.key]

    def check(self) -> dict[str, str | None]:
        out: dict[str, str | None] = {}
        for sc in SCENARIOS:
            try:
                out[sc.key] = sc.check(*self.request(sc, self.cookie(sc)))
            except Exception:
                out[sc.key] = traceback.format_exc(limit=4)
        return out

    # -- timing ---------------------------------------------------------------------

    def batch(self, sc: Scenario, n: int) -> float:
        """CPU seconds for ``n`` requests (requests built before the clock starts)."""
        cookie = self.cookie(sc)
        app = self.app
        if self.fw.protocol == "wsgi":
            # Popped as they are used, so no request's state outlives it (the
            # list only holds requests not yet made).
            envs = [wsgi_environ(sc, cookie) for _ in range(n)]
            pop = envs.pop
            sr = _start_response
            gc.collect()
            t0 = time.process_time()
            while envs:
                it = app(pop(), sr)
                for _ in it:
                    pass
                close = getattr(it, "close", None)
                if close is not None:
                    close()
            return time.process_time() - t0
        conns = [(asgi_scope(sc, cookie), Conn(sc.body)) for _ in range(n)]

        async def run() -> None:
            # A server's loop runs its other callbacks between requests (here,
            # finalizers of async generators an app left open); a bare
            # ``await`` chain never yields, so yield once per request.
            pop = conns.pop
            sleep = asyncio.sleep
            while conns:
                scope, conn = pop()
                await app(scope, conn.receive, conn.send)
                await sleep(0)

        assert self.loop is not None
        gc.collect()
        t0 = time.process_time()
        self.loop.run_until_complete(run())
        return time.process_time() - t0

    def time(self, key: str, target: float) -> dict[str, float]:
        sc = SCENARIO_BY_KEY[key]
        n = self.sizes.get(key)
        if n is None:  # calibrate once: a batch should take about ``target`` CPU seconds
            self.batch(sc, 20)
            per = self.batch(sc, 100) / 100
            n = self.sizes[key] = max(50, min(50_000, int(target / max(per, 1e-7))))
        t0 = time.perf_counter()
        cpu = self.batch(sc, n)
        wall = time.perf_counter() - t0
        return {"cpu": cpu / n, "wall": wall / n, "n": n}

    def calls(self, key: str) -> dict[str, int]:
        sc = SCENARIO_BY_KEY[key]
        cookie = self.cookie(sc)
        for _ in range(20):
            self.request(sc, cookie)
        prof = cProfile.Profile()
        if self.fw.protocol == "wsgi":
            env = wsgi_environ(sc, cookie)
            prof.enable()
            it = self.app(env, _start_response)
            for _ in it:
                pass
            if hasattr(it, "close"):
                it.close()
            prof.disable()
        else:
            scope, conn = asgi_scope(sc, cookie), Conn(sc.body)

            async def run() -> None:
                prof.enable()
                await self.app(scope, conn.receive, conn.send)
                prof.disable()

            assert self.loop is not None
            self.loop.run_until_complete(run())
        stats = pstats.Stats(prof)
        return {"calls": stats.total_calls, "primitive": stats.prim_calls}  # type: ignore[attr-defined]

    def rss(self, n: int) -> dict[str, int]:
        """VmRSS after ``n`` requests spread over the scenarios, in batches of at most 250."""
        per = max(1, n // len(SCENARIOS))
        for sc in SCENARIOS:
            done = 0
            while done < per:
                size = min(250, per - done)
                self.batch(sc, size)
                done += size
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return {"rss_kb": int(line.split()[1])}
        return {"rss_kb": 0}


def main() -> None:
    name = sys.argv[1]
    try:
        worker = Worker(name)
    except Exception as e:
        _proto.write(json.dumps({"ok": False, "error": f"{type(e).__name__}: {e}"}) + "\n")
        return
    _proto.write(json.dumps({"ok": True}) + "\n")
    for line in sys.stdin:
        cmd = json.loads(line)
        op = cmd["op"]
        try:
            if op == "quit":
                break
            if op == "check":
                result: t.Any = worker.check()
            elif op == "time":
                result = worker.time(cmd["sc"], cmd["target"])
            elif op == "calls":
                result = worker.calls(cmd["sc"])
            elif op == "rss":
                result = worker.rss(cmd["n"])
            else:
                raise ValueError(op)
            _proto.write(json.dumps({"ok": True, "result": result}) + "\n")
        except Exception:
            _proto.write(json.dumps({"ok": False, "error": traceback.format_exc(limit=6)}) + "\n")
    worker.close()


if __name__ == "__main__":
    main()
