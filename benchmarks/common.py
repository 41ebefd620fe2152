"""Scenarios, frameworks and the request/response plumbing both runners share."""

from __future__ import annotations

import io
import json
import os
import statistics
import sys
import typing as t
from dataclasses import dataclass
from urllib.parse import urlencode

HERE = os.path.dirname(os.path.abspath(__file__))
APPS_DIR = os.path.join(HERE, "apps")
RESULTS_DIR = os.path.join(HERE, "results")
REPO = os.path.dirname(HERE)
if APPS_DIR not in sys.path:
    sys.path.insert(0, APPS_DIR)

import bench_shared  # noqa: E402

# -- the scenarios -----------------------------------------------------------

BOUNDARY = "----erlenbench7MA4YWxkTrZu0gW"
UPLOAD_DATA = bytes(range(256)) * 256  # 64 KiB, every byte value
FORM_FIELDS = [(f"f{i}", f"value {i} & more") for i in range(10)]


def _multipart() -> bytes:
    return (
        f"--{BOUNDARY}\r\n"
        'Content-Disposition: form-data; name="file"; filename="data.bin"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode() + UPLOAD_DATA + f"\r\n--{BOUNDARY}--\r\n".encode()


Headers = list[tuple[str, str]]
Check = t.Callable[[int, Headers, bytes], str | None]


@dataclass(frozen=True)
class Scenario:
    key: str
    name: str
    method: str
    path: str
    check: Check
    content_type: str | None = None
    body: bytes = b""
    #: Needs a session cookie, got from one request made without it.
    session: bool = False


def _expect_body(expected: bytes, status: int = 200) -> Check:
    def check(st: int, headers: Headers, body: bytes) -> str | None:
        if st != status:
            return f"status {st}, expected {status}: {body[:200]!r}"
        if body != expected:
            return f"body {body[:200]!r}, expected {expected[:200]!r}"
        return None

    return check


def _check_json(st: int, headers: Headers, body: bytes) -> str | None:
    if st != 200:
        return f"status {st}"
    try:
        data = json.loads(body)
    except ValueError:
        return f"not JSON: {body[:200]!r}"
    if data != bench_shared.json_payload(42):
        return f"JSON {data!r}"
    return None


def reference_page() -> bytes:
    """Scenario (d)'s page rendered by Jinja2 itself, what every framework must send."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(bench_shared.TEMPLATES_DIR), autoescape=True
    )
    html = env.get_template("page.html").render(title=bench_shared.TITLE, items=bench_shared.ITEMS)
    assert "&lt;" in html and "<li" in html
    return html.encode()


def _check_template(st: int, headers: Headers, body: bytes) -> str | None:
    return _expect_body(reference_page())(st, headers, body)


def _check_session(st: int, headers: Headers, body: bytes) -> str | None:
    err = _expect_body(b"2")(st, headers, body)
    if err:
        return err
    if not any(k.lower() == "set-cookie" for k, _ in headers):
        return "no Set-Cookie"
    return None


def _check_404(st: int, headers: Headers, body: bytes) -> str | None:
    return None if st == 404 else f"status {st}, expected 404"


SCENARIOS = [
    Scenario("a", "plaintext", "GET", "/", _expect_body(b"Hello, World!")),
    Scenario("b", "json", "GET", "/json/42", _check_json),
    Scenario("c", "100 routes", "GET", f"/route{bench_shared.ROUTE_PAIRS - 1}/7",
             _expect_body(bench_shared.dynamic_text(bench_shared.ROUTE_PAIRS - 1, 7).encode())),
    Scenario("d", "template", "GET", "/template", _check_template),
    Scenario("e", "form POST", "POST", "/form",
             _expect_body(bench_shared.form_text(10, FORM_FIELDS[-1][1]).encode()),
             "application/x-www-form-urlencoded", urlencode(FORM_FIELDS).encode()),
    Scenario("f", "session", "GET", "/session", _check_session, session=True),
    Scenario("g", "404", "GET", "/no/such/page", _check_404),
    Scenario("h", "upload 64K", "POST", "/upload",
             _expect_body(bench_shared.upload_text("data.bin", len(UPLOAD_DATA)).encode()),
             f"multipart/form-data; boundary={BOUNDARY}", _multipart()),
]
SCENARIO_BY_KEY = {s.key: s for s in SCENARIOS}


def cookie_from(headers: Headers) -> str | None:
    """The ``name=value`` of the first Set-Cookie header."""
    for k, v in headers:
        if k.lower() == "set-cookie":
            return v.split(";", 1)[0]
    return None


# -- the frameworks ------------------------------------------------------------


@dataclass(frozen=True)
class Framework:
    name: str
    module: str  # in apps/, with an ``app`` attribute
    protocol: str  # "wsgi" or "asgi"
    dist: str  # the distribution whose version is reported


REFERENCE = "flask"
FRAMEWORKS = [
    Framework("flask", "flask_app", "wsgi", "flask"),
    Framework("erlen-wsgi", "erlen_wsgi", "wsgi", "erlen"),
    Framework("erlen-asgi", "erlen_asgi", "asgi", "erlen"),
    Framework("flask-compat", "compat_flask", "wsgi", "erlen"),
    Framework("bottle", "bottle_app", "wsgi", "bottle"),
    Framework("falcon-wsgi", "falcon_wsgi", "wsgi", "falcon"),
    Framework("quart", "quart_app", "asgi", "quart"),
    Framework("falcon-asgi", "falcon_asgi", "asgi", "falcon"),
    Framework("starlette", "starlette_app", "asgi", "starlette"),
    Framework("bare-wsgi", "bare_wsgi", "wsgi", "python"),
    Framework("bare-asgi", "bare_asgi", "asgi", "python"),
]
FRAMEWORK_BY_NAME = {f.name: f for f in FRAMEWORKS}


def versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version

    out = {"python": sys.version.split()[0]}
    for dist in ("erlen", "flask", "werkzeug", "jinja2", "quart", "falcon", "starlette", "bottle",
                 "gunicorn", "granian", "uvicorn", "uvloop", "httptools", "python-multipart"):
        try:
            out[dist] = version(dist)
        except PackageNotFoundError:
            pass
    try:
        import subprocess

        rev = subprocess.run(["git", "-C", REPO, "rev-parse", "--short", "HEAD"],
                             capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", REPO, "status", "--porcelain", "src"],
                               capture_output=True, text=True, check=True).stdout.strip()
        out["erlen"] = f"{out.get('erlen', '?')} ({rev}{' + uncommitted src changes' if dirty else ''})"
    except (OSError, subprocess.CalledProcessError):
        pass
    return out


def machine() -> dict[str, str]:
    info = {"cpus": str(os.cpu_count())}
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    info["cpu"] = line.split(":", 1)[1].strip()
                    break
        with open("/proc/loadavg") as f:
            info["loadavg"] = " ".join(f.read().split()[:3])
        with open("/proc/meminfo") as f:
            info["memory"] = f.readline().split(":", 1)[1].strip()
    except OSError:
        pass
    import platform

    info["kernel"] = platform.release()
    return info


# -- WSGI and ASGI requests ----------------------------------------------------


def wsgi_environ(sc: Scenario, cookie: str | None, host: str = "127.0.0.1", port: int = 8000) -> dict[str, t.Any]:
    env: dict[str, t.Any] = {
        "REQUEST_METHOD": sc.method, "SCRIPT_NAME": "", "PATH_INFO": sc.path, "QUERY_STRING": "",
        "SERVER_NAME": host, "SERVER_PORT": str(port), "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": f"{host}:{port}", "REMOTE_ADDR": "127.0.0.1", "REMOTE_PORT": "50000",
        "wsgi.version": (1, 0), "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(sc.body),
        "wsgi.errors": sys.stderr, "wsgi.multithread": False, "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    if sc.body:
        env["CONTENT_TYPE"] = sc.content_type
        env["CONTENT_LENGTH"] = str(len(sc.body))
    if cookie:
        env["HTTP_COOKIE"] = cookie
    return env


def asgi_scope(sc: Scenario, cookie: str | None, host: str = "127.0.0.1", port: int = 8000) -> dict[str, t.Any]:
    headers = [(b"host", f"{host}:{port}".encode())]
    if sc.body:
        headers.append((b"content-type", t.cast(str, sc.content_type).encode()))
        headers.append((b"content-length", str(len(sc.body)).encode()))
    if cookie:
        headers.append((b"cookie", cookie.encode()))
    return {
        "type": "http", "asgi": {"version": "3.0", "spec_version": "2.3"}, "http_version": "1.1",
        "method": sc.method, "scheme": "http", "path": sc.path, "raw_path": sc.path.encode(),
        "query_string": b"", "root_path": "", "headers": headers,
        "client": ("127.0.0.1", 50000), "server": (host, port), "state": {},
    }


# -- statistics ------------------------------------------------------------------


def median(xs: t.Sequence[float]) -> float:
    return statistics.median(xs)


def geomean(xs: t.Sequence[float]) -> float:
    xs = [x for x in xs if x and x > 0]
    return statistics.geometric_mean(xs) if xs else float("nan")


def spread(xs: t.Sequence[float]) -> float:
    """Relative spread of repeated measurements: (max - min) / median."""
    if len(xs) < 2:
        return 0.0
    return (max(xs) - min(xs)) / statistics.median(xs)


def fmt_ratio(x: float | None) -> str:
    if x is None or x != x:
        return "-"
    return f"{x:.2f}"
