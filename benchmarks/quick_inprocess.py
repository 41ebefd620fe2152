"""Quick in-process comparison: CPU time per request of erlen vs Flask (plaintext, JSON, 404).

Usage: python benchmarks/quick_inprocess.py  (the full suite is issue 7's work)
"""

from __future__ import annotations

import cProfile
import pstats
import sys
import time
import typing as t


def make_app(kind: str) -> t.Any:
    if kind == "flask":
        from flask import Flask as App
    else:
        from erlen import Erlen as App
    app = App(__name__)

    @app.route("/")
    def index() -> str:
        return "Hello, World!"

    @app.route("/json/<int:id>")
    def json_view(id: int) -> dict[str, t.Any]:
        return {"id": id, "name": "item", "tags": ["a", "b"]}

    return app


def environ(path: str) -> dict[str, t.Any]:
    import io

    return {
        "REQUEST_METHOD": "GET", "SCRIPT_NAME": "", "PATH_INFO": path, "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8000", "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1:8000", "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr, "wsgi.multithread": False, "wsgi.multiprocess": False,
        "wsgi.run_once": False, "REMOTE_ADDR": "127.0.0.1",
    }


def start_response(status: str, headers: list[tuple[str, str]], exc_info: t.Any = None) -> t.Any:
    return None


def run(app: t.Any, path: str, n: int) -> float:
    envs = [environ(path) for _ in range(n)]
    t0 = time.process_time()
    for env in envs:
        body = app(env, start_response)
        for _ in body:
            pass
        close = getattr(body, "close", None)
        if close:
            close()
    return (time.process_time() - t0) / n


def calls(app: t.Any, path: str) -> int:
    run(app, path, 10)
    prof = cProfile.Profile()
    env = environ(path)
    prof.enable()
    body = app(env, start_response)
    for _ in body:
        pass
    getattr(body, "close", lambda: None)()
    prof.disable()
    return pstats.Stats(prof).total_calls  # type: ignore[attr-defined,no-any-return]


def main() -> None:
    apps = {k: make_app(k) for k in ("flask", "erlen")}
    for path in ("/", "/json/42", "/missing"):
        res: dict[str, list[float]] = {k: [] for k in apps}
        for _ in range(5):
            for k, app in apps.items():
                res[k].append(run(app, path, 3000))
        med = {k: sorted(v)[len(v) // 2] * 1e6 for k, v in res.items()}
        c = {k: calls(app, path) for k, app in apps.items()}
        print(
            f"{path:10} flask {med['flask']:6.1f} us ({c['flask']} calls)  "
            f"erlen {med['erlen']:6.1f} us ({c['erlen']} calls)  ratio {med['erlen'] / med['flask']:.2f}x"
        )


if __name__ == "__main__":
    main()
