"""Malformed input never produces a 500: bodies, multipart, lengths, cookies, hosts, URLs.

Most cases run on erlen and on real Flask and compare the responses. A few
send raw bytes to Werkzeug's development server in a thread, and a small
hypothesis fuzz throws arbitrary paths, headers and bodies at one app.
Where erlen deliberately answers 400 where Flask 3.1 answers 500, the test
says so.
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import threading
import typing as t

import flask
import pytest
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.serving import make_server

import erlen

FRAMEWORKS: dict[str, t.Any] = {"erlen": erlen, "flask": flask}


def make_app(fw: t.Any, **config: t.Any) -> erlen.Erlen:
    """An app of framework ``fw``, typed as erlen's (Flask's has the same API)."""
    app = fw.Erlen(__name__) if fw is erlen else fw.Flask(__name__)
    app.config.update(config)
    app.logger.disabled = True  # a 500 would be asserted on, not read in the log
    return t.cast(erlen.Erlen, app)


@pytest.fixture(params=list(FRAMEWORKS))
def fw(request: pytest.FixtureRequest) -> t.Any:
    return FRAMEWORKS[request.param]


def echo_app(fw: t.Any, **config: t.Any) -> erlen.Erlen:
    """An app whose views touch every parsed part of the request."""
    app = make_app(fw, SECRET_KEY="secret", **config)

    @app.route("/", methods=["GET", "POST", "PUT"])
    def index() -> t.Any:
        r = fw.request
        return {
            "args": r.args.to_dict(flat=False),
            "form": r.form.to_dict(flat=False),
            "files": {k: [f.filename, len(f.read())] for k, f in r.files.items()},
            "cookies": r.cookies.to_dict(),
            "session": dict(fw.session),
            "host": r.host,
            "len": r.content_length,
        }

    @app.post("/json")
    def as_json() -> t.Any:
        return {"json": fw.request.get_json(force=True)}

    @app.post("/data")
    def data() -> t.Any:
        return {"len": len(fw.request.get_data())}

    @app.post("/read")
    def read() -> t.Any:
        size = 0
        while chunk := fw.request.stream.read(7):
            size += len(chunk)
        return {"len": size}

    @app.route("/p/<path:rest>")
    def path(rest: str) -> t.Any:
        return {"rest": rest, "path": fw.request.path, "url": fw.request.url}

    @app.route("/session")
    def set_session() -> t.Any:
        fw.session["user"] = "alice"
        return "set"

    return app


Snapshot = tuple[str, list[tuple[str, str]], bytes]


def both(path: str, method: str = "GET", factory: t.Callable[..., erlen.Erlen] = echo_app, **kwargs: t.Any) -> Snapshot:
    """Request on erlen and Flask; assert identical responses and no 500; return erlen's."""
    out = {}
    for name, mod in FRAMEWORKS.items():
        rv = factory(mod).test_client(use_cookies=False).open(path, method=method, **kwargs)
        out[name] = (rv.status, list(rv.headers.items()), rv.get_data())
    assert out["erlen"] == out["flask"]
    assert int(out["erlen"][0].split()[0]) < 500, out["erlen"]
    return out["erlen"]


def status_of(snapshot: Snapshot) -> int:
    return int(snapshot[0].split()[0])


# -- bodies --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"{",
        b"[1,]",
        b"{'single': 'quotes'}",
        b'{"a": 1} trailing',
        b"\xff\xfe\xfd",
        b"\x00" * 10,
        b'{"a": "\\x"}',
        "{\"k\": \"\u00e9\"}".encode("latin-1"),
    ],
)
def test_bad_json_is_400(body: bytes) -> None:
    assert status_of(both("/json", "POST", data=body, content_type="application/json")) == 400


def test_deeply_nested_json_is_400_on_erlen() -> None:
    """Deliberate difference: Flask 3.1 lets the parser's RecursionError become a 500."""
    app = echo_app(erlen)
    c = app.test_client()
    for body in ("[" * 100_000, "[" * 100_000 + "]" * 100_000, '{"a":' * 50_000):
        rv = c.post("/json", data=body, content_type="application/json")
        assert rv.status_code == 400
    silent = make_app(erlen)
    silent.add_url_rule("/", "index", lambda: {"v": erlen.request.get_json(silent=True)}, methods=["POST"])
    rv = silent.test_client().post("/", data="[" * 100_000, content_type="application/json")
    assert rv.json == {"v": None}


BOUNDARY = "b0undary"


def _part(name: str, value: bytes, filename: str | None = None) -> bytes:
    disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
    return f"--{BOUNDARY}\r\nContent-Disposition: {disposition}\r\n\r\n".encode() + value + b"\r\n"


GOOD_MULTIPART = _part("a", b"1") + _part("f", b"file", "f.txt") + f"--{BOUNDARY}--\r\n".encode()


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("multipart/form-data", GOOD_MULTIPART),  # no boundary parameter
        ('multipart/form-data; boundary=""', GOOD_MULTIPART),
        ("multipart/form-data; boundary=wrong", GOOD_MULTIPART),
        ("multipart/form-data; boundary=" + "x" * 500, GOOD_MULTIPART),
        ("multipart/form-data; boundary=b\x00", GOOD_MULTIPART),
        (f"multipart/form-data; boundary={BOUNDARY}", GOOD_MULTIPART[:-20]),  # missing end
        (f"multipart/form-data; boundary={BOUNDARY}", GOOD_MULTIPART[:30]),  # truncated in headers
        (f"multipart/form-data; boundary={BOUNDARY}", _part("a", b"1")),  # no closing boundary at all
        (f"multipart/form-data; boundary={BOUNDARY}", b"garbage" * 100),
        (f"multipart/form-data; boundary={BOUNDARY}", b"\r\n"),
        (f"multipart/form-data; boundary={BOUNDARY}", f"--{BOUNDARY}\r\nX-Huge: {'h' * 100_000}\r\n\r\nv\r\n--{BOUNDARY}--\r\n".encode()),
        (f"multipart/form-data; boundary={BOUNDARY}", f"--{BOUNDARY}\r\nno colon header\r\n\r\nv\r\n--{BOUNDARY}--\r\n".encode()),
        (f"multipart/form-data; boundary={BOUNDARY}", f"--{BOUNDARY}\r\nContent-Disposition: form-data\r\n\r\nv\r\n--{BOUNDARY}--\r\n".encode()),
        (f"multipart/form-data; boundary={BOUNDARY}", _part("\xff".encode("latin-1").decode("latin-1"), b"\xff\xfe") + f"--{BOUNDARY}--\r\n".encode()),
        (f"multipart/form-data; boundary={BOUNDARY}", GOOD_MULTIPART * 3),
        ("multipart/mixed; boundary=x", GOOD_MULTIPART),
        ("application/x-www-form-urlencoded", b"a=%ZZ&b=%FF&&=&c&%=%%"),
        ("application/x-www-form-urlencoded", b"\xff\xfe=\x00"),
        ("application/x-www-form-urlencoded; charset=bogus", b"a=1"),
        ("text/plain; charset=\xff", b"a=1"),
        ("", b"a=1"),
        (";;;", b"a=1"),
    ],
)
def test_malformed_forms(content_type: str, body: bytes) -> None:
    both("/", "POST", data=body, content_type=content_type)


def test_huge_multipart_part_headers_are_413_or_400() -> None:
    body = f"--{BOUNDARY}\r\n".encode() + b"X-H: " + b"h" * 2_000_000 + b"\r\n\r\nv\r\n" + f"--{BOUNDARY}--\r\n".encode()
    status = status_of(both("/", "POST", data=body, content_type=f"multipart/form-data; boundary={BOUNDARY}"))
    assert status in {200, 400, 413}


@pytest.mark.parametrize(
    ("length", "body"),
    [("abc", b"hello"), ("-1", b"hello"), ("1e3", b"hello"), (" 5", b"hello"), ("5, 5", b"hello"), ("", b"hello"), ("+5", b"hello"), ("0x5", b"hello")],
)
def test_invalid_content_length(length: str, body: bytes) -> None:
    both("/data", "POST", data=body, environ_overrides={"CONTENT_LENGTH": length})
    both("/", "POST", data=b"a=1", content_type="application/x-www-form-urlencoded", environ_overrides={"CONTENT_LENGTH": length})


def test_declared_length_larger_than_body_is_not_500() -> None:
    both("/data", "POST", data=b"short", environ_overrides={"CONTENT_LENGTH": "100"})
    assert status_of(both("/data", "POST", data=b"x", environ_overrides={"CONTENT_LENGTH": "9" * 30})) == 400


@pytest.mark.parametrize("path", ["/", "/data", "/json", "/read"])
def test_oversized_body_is_413(path: str) -> None:
    def factory(fw: t.Any) -> erlen.Erlen:
        return echo_app(fw, MAX_CONTENT_LENGTH=100)

    status, _, _ = both(path, "POST", factory=factory, data=b"x" * 101, content_type="application/json")
    assert status == "413 REQUEST ENTITY TOO LARGE"


# -- cookies and the session ------------------------------------------------------------


@pytest.mark.parametrize(
    "cookie",
    [
        "garbage",
        "=",
        ";;;;",
        'a="unterminated',
        "a=\\\\\\",
        "a=\xff\xfe",
        "a=1; a=2; =3",
        "session=",
        "session=garbage",
        "session=eyJ4IjoxfQ.AAAA.BBBB",
        "session=" + "A" * 5000,
        "session=.eJyrVkrLz1eyUkrKzFOqBQAb2AQu.Zx.y",
        "session=\x00\x01",
    ],
)
def test_garbage_cookies_give_empty_session(cookie: str) -> None:
    _, _, body = both("/", headers={"Cookie": cookie})
    assert b'"session":{}' in body


def test_tampered_session_cookie(fw: t.Any) -> None:
    app = echo_app(fw)
    c = app.test_client()
    c.get("/session")
    cookie = c.get_cookie("session")
    assert cookie is not None
    value = cookie.value
    assert c.get("/").get_json()["session"] == {"user": "alice"}
    payload, _, signature = value.rpartition(".")
    tampered = [
        payload + "." + ("A" if signature[0] != "A" else "B") + signature[1:],
        payload.replace(payload[1], "Z" if payload[1] != "Z" else "Y", 1) + "." + signature,
        value[:-3],
        value + "x",
        value.replace(".", "", 1),
    ]
    for bad in tampered:
        c.set_cookie("session", bad)
        rv = c.get("/")
        assert rv.status_code == 200
        assert rv.get_json()["session"] == {}


def test_session_signed_with_another_key(fw: t.Any) -> None:
    other = echo_app(fw)
    other.secret_key = "another key"
    c = other.test_client()
    c.get("/session")
    cookie = c.get_cookie("session")
    assert cookie is not None
    app = echo_app(fw)
    c2 = app.test_client()
    c2.set_cookie("session", cookie.value)
    assert c2.get("/").get_json()["session"] == {}


def test_rotated_secret_key_still_reads_old_session(fw: t.Any) -> None:
    app = echo_app(fw)
    c = app.test_client()
    c.get("/session")
    app.config["SECRET_KEY_FALLBACKS"] = ["secret"]
    app.secret_key = "new"
    assert c.get("/").get_json()["session"] == {"user": "alice"}


# -- hosts -----------------------------------------------------------------------------------


BAD_HOSTS = ["exa mple.com", "a/b", "[::1", "évil.com", "", "localhost:abc", "x" * 300, "a\x00b", "example.com.", "EXAMPLE.com", "localhost:99999"]


@pytest.mark.parametrize("host", BAD_HOSTS)
@pytest.mark.parametrize(
    "config",
    [{}, {"SERVER_NAME": "example.com"}, {"TRUSTED_HOSTS": ["localhost", ".example.com"]}, {"SERVER_NAME": "example.com", "TRUSTED_HOSTS": ["example.com"]}],
    ids=["plain", "server_name", "trusted", "both"],
)
def test_bad_host_header(host: str, config: dict[str, t.Any]) -> None:
    def factory(fw: t.Any) -> erlen.Erlen:
        app = make_app(fw, **config)
        app.add_url_rule("/", "index", lambda: {"host": fw.request.host, "url": fw.url_for("index", _external=True)})
        return app

    status = status_of(both("/", headers={"Host": host}, factory=factory))
    if "TRUSTED_HOSTS" in config:
        assert status == 400


@pytest.mark.parametrize(
    ("host", "status"),
    [("localhost", 200), ("example.com", 200), ("api.example.com", 200), ("example.com:8080", 200), ("evil.com", 400), ("example.com.evil.com", 400), ("xexample.com", 400)],
)
def test_trusted_hosts(host: str, status: int) -> None:
    def factory(fw: t.Any) -> erlen.Erlen:
        app = make_app(fw, TRUSTED_HOSTS=["localhost", ".example.com"])
        app.add_url_rule("/", "index", lambda: fw.request.host)
        return app

    assert status_of(both("/", headers={"Host": host}, factory=factory)) == status


def test_untrusted_host_in_test_request_context(fw: t.Any) -> None:
    from werkzeug.exceptions import SecurityError

    app = make_app(fw, TRUSTED_HOSTS=["good.example"])
    app.add_url_rule("/", "index", lambda: "")
    with app.test_request_context("/", base_url="http://bad.example") as ctx:
        assert isinstance(ctx.request.routing_exception, SecurityError)
        assert ctx.request.routing_exception.code == 400


# -- URLs -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path_info", "query"),
    [
        ("/%ZZ", ""),
        ("/%", ""),
        ("/p/%C3", ""),
        ("/p/\xff\xfe", ""),  # WSGI strings carry raw bytes as latin-1
        ("/p/\xc3\xa9", ""),
        ("/p/a\x00b", ""),
        ("/p/" + "x" * 20_000, ""),
        ("/p/..%2F..%2Fetc", ""),
        ("", "a=%ZZ&b=%FF&c=%&d"),
        ("/", "\xc3\xa9=\xc3\xa9&&&=&%00=%00"),
        ("/", "a=" + "%" * 1000),
        ("/", "&".join(f"k{i}=v" for i in range(5000))),
        ("//", ""),
        ("/./../", ""),
    ],
)
def test_bad_paths_and_queries(path_info: str, query: str) -> None:
    both("/", environ_overrides={"PATH_INFO": path_info, "QUERY_STRING": query})


def test_invalid_utf8_is_replaced() -> None:
    import json

    _, _, body = both("/", environ_overrides={"PATH_INFO": "/p/a\xffb", "QUERY_STRING": "x=%FF&y=%C3%A9"})
    data = json.loads(body)
    assert data["rest"] == "a\ufffdb"
    assert data["url"] == "http://localhost/p/a\ufffdb?x=%FF&y=é"


@pytest.mark.parametrize(
    ("query", "args", "full_path"),
    [
        ("\x80", {"%80": [""]}, "/?%80"),
        ("a=%FF&b=\xc3\xa9&c=\xff\xfe", {"a": ["%FF"], "b": ["é"], "c": ["%FF%FE"]}, "/?a=%FF&b=é&c=%FF%FE"),
        ("a=1&a=2&b", {"a": ["1", "2"], "b": [""]}, "/?a=1&a=2&b"),
    ],
)
def test_raw_non_utf8_query_bytes(query: str, args: dict[str, list[str]], full_path: str) -> None:
    """Deliberate difference: Flask 3.1 decodes the raw query strictly, so raw bytes are a 500.

    Werkzeug's own server re-encodes such bytes; gunicorn passes them through as latin-1.
    """
    app = make_app(erlen)
    app.add_url_rule("/", "index", lambda: {"args": erlen.request.args.to_dict(flat=False), "full_path": erlen.request.full_path})
    rv = app.test_client().get("/", environ_overrides={"QUERY_STRING": query})
    assert rv.status_code == 200
    assert rv.json == {"args": args, "full_path": full_path}


@pytest.mark.parametrize("method", ["FOO", "get", "G E T", "\xff", "PROPFIND", "TRACE", "CONNECT"])
def test_odd_methods(method: str) -> None:
    both("/", method=method)


# -- ProxyFix ---------------------------------------------------------------------------------


def proxied_app(fw: t.Any) -> erlen.Erlen:
    app = make_app(fw)
    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1, x_port=1, x_prefix=1)  # type: ignore[method-assign]

    @app.route("/where")
    def where() -> t.Any:
        r = fw.request
        return {
            "remote_addr": r.remote_addr,
            "scheme": r.scheme,
            "host": r.host,
            "url": r.url,
            "root": r.root_path,
            "external": fw.url_for("where", _external=True),
            "access_route": r.access_route,
        }

    return app


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (
            {},
            {"remote_addr": "127.0.0.1", "scheme": "http", "host": "localhost", "external": "http://localhost/where"},
        ),
        (
            {
                "X-Forwarded-For": "203.0.113.9, 198.51.100.7",
                "X-Forwarded-Proto": "https",
                "X-Forwarded-Host": "public.example.org",
                "X-Forwarded-Prefix": "/mounted",
            },
            {
                "remote_addr": "198.51.100.7",
                "scheme": "https",
                "host": "public.example.org",
                "root": "/mounted",
                "external": "https://public.example.org/mounted/where",
            },
        ),
        (
            {"X-Forwarded-Host": "public.example.org", "X-Forwarded-Port": "8443", "X-Forwarded-Proto": "https"},
            {"host": "public.example.org:8443", "external": "https://public.example.org:8443/where"},
        ),
        # Garbage in forwarded headers: still no error.
        ({"X-Forwarded-For": ",,,", "X-Forwarded-Proto": "", "X-Forwarded-Host": "bad host"}, {}),
        ({"X-Forwarded-Port": "notaport", "X-Forwarded-Prefix": "%ZZ\xff"}, {}),
    ],
)
def test_proxy_fix(headers: dict[str, str], expected: dict[str, t.Any]) -> None:
    import json

    _, _, body = both("/where", headers=headers, factory=proxied_app)
    data = json.loads(body)
    for key, value in expected.items():
        assert data[key] == value, key


# -- a real server and raw bytes -------------------------------------------------------------------


@contextlib.contextmanager
def serving(app: t.Any) -> t.Iterator[int]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_port
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def send_raw(port: int, data: bytes, half_close: bool = True) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(data)
        if half_close:
            sock.shutdown(socket.SHUT_WR)  # the client is done: an early end of the body
        chunks = []
        with contextlib.suppress(ConnectionResetError):
            while chunk := sock.recv(65536):
                chunks.append(chunk)
    return b"".join(chunks)


def status_line(raw: bytes) -> str:
    return raw.split(b"\r\n", 1)[0].decode("latin-1")


@pytest.fixture(scope="module")
def servers() -> t.Iterator[dict[str, int]]:
    import logging

    logging.getLogger("werkzeug").disabled = True
    with contextlib.ExitStack() as stack:
        ports = {name: stack.enter_context(serving(echo_app(mod))) for name, mod in FRAMEWORKS.items()}
        limited = {f"{name}-limited": stack.enter_context(serving(echo_app(mod, MAX_CONTENT_LENGTH=20))) for name, mod in FRAMEWORKS.items()}
        yield ports | limited
    logging.getLogger("werkzeug").disabled = False


def _req(first: str, headers: str = "", body: bytes = b"") -> bytes:
    return f"{first}\r\nHost: localhost\r\nConnection: close\r\n{headers}\r\n".encode("latin-1") + body


CHUNKED = "Transfer-Encoding: chunked\r\n"
RAW_CASES: list[tuple[str, bytes, str | None]] = [
    ("ok", _req("GET / HTTP/1.1"), "HTTP/1.1 200 OK"),
    ("length abc", _req("POST /data HTTP/1.1", "Content-Length: abc\r\n", b"hello"), "HTTP/1.1 200 OK"),
    ("length negative", _req("POST /data HTTP/1.1", "Content-Length: -5\r\n", b"hello"), "HTTP/1.1 200 OK"),
    ("body shorter than length", _req("POST /data HTTP/1.1", "Content-Length: 100\r\n", b"hello"), None),
    ("form shorter than length", _req("POST / HTTP/1.1", "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n", b"a=1"), None),
    ("chunked ok", _req("POST /read HTTP/1.1", CHUNKED, b"5\r\nhello\r\n0\r\n\r\n"), "HTTP/1.1 200 OK"),
    ("invalid percent path", _req("GET /p/%ZZ%FF HTTP/1.1"), "HTTP/1.1 200 OK"),
    ("raw bytes path", _req("GET /p/\xff\xfe HTTP/1.1"), "HTTP/1.1 200 OK"),
    ("raw bytes query", _req("GET /?a=\xff&%%=%ZZ HTTP/1.1"), "HTTP/1.1 200 OK"),
    ("header without colon", _req("GET / HTTP/1.1", "Bad Header\r\n"), "HTTP/1.1 200 OK"),
    ("garbage cookies", _req("GET / HTTP/1.1", "Cookie: session=\xff\xfe; a=\"x; ;;=\r\nCookie: session=.eJw.x.y\r\n"), "HTTP/1.1 200 OK"),
    ("absolute uri", _req("GET http://evil.example/ HTTP/1.1"), "HTTP/1.1 200 OK"),
    ("garbage request line", b"GARBAGE\r\n\r\n", None),
    ("huge header", _req("GET / HTTP/1.1", "X-Big: " + "x" * 70_000 + "\r\n"), "HTTP/1.1 431 Line too long"),
    ("bad version", _req("GET / HTTP/9.9"), None),
]


@pytest.mark.parametrize(("data", "expected"), [c[1:] for c in RAW_CASES], ids=[c[0] for c in RAW_CASES])
def test_raw_requests_on_real_server(servers: dict[str, int], data: bytes, expected: str | None) -> None:
    results = {name: send_raw(servers[name], data) for name in FRAMEWORKS}
    lines = {name: status_line(raw) for name, raw in results.items()}
    assert lines["erlen"] == lines["flask"]
    assert " 500 " not in lines["erlen"]
    assert b"Traceback" not in results["erlen"]
    if expected is not None:
        assert lines["erlen"] == expected


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/read", b"ZZ\r\nhello\r\n0\r\n\r\n"),
        ("/data", b"ZZ\r\nhello\r\n0\r\n\r\n"),
        ("/data", b"5\r\nhello\r\n-1\r\n\r\n"),
        ("/json", b"zz\r\n[1]\r\n0\r\n\r\n"),
        ("/read", b"5\r\nhel"),  # the client stops mid-chunk
        ("/data", b"5\r\nhello\r\n"),  # no last chunk
    ],
)
def test_invalid_chunked_body_is_400(servers: dict[str, int], path: str, body: bytes) -> None:
    """Deliberate difference: on Flask 3.1 the dev server's OSError reaches the view as a 500."""
    headers = CHUNKED + "Content-Type: application/json\r\n" if path == "/json" else CHUNKED
    data = _req(f"POST {path} HTTP/1.1", headers, body)
    assert status_line(send_raw(servers["erlen"], data)) == "HTTP/1.1 400 BAD REQUEST"
    # With a limit, Werkzeug wraps the stream and Flask answers 400 as well.
    assert status_line(send_raw(servers["erlen-limited"], data)) == "HTTP/1.1 400 BAD REQUEST"
    assert status_line(send_raw(servers["flask-limited"], data)) == "HTTP/1.1 400 BAD REQUEST"


@pytest.mark.parametrize(
    ("path", "chunks", "status"),
    [
        ("/read", [b"x" * 10], 200),
        ("/read", [b"x" * 10, b"x" * 10, b"x"], 413),
        ("/read", [b"x" * 1000] * 5, 413),
        ("/", [b"a=" + b"x" * 40], 413),
    ],
)
def test_chunked_body_over_max_content_length(servers: dict[str, int], path: str, chunks: list[bytes], status: int) -> None:
    body = b"".join(b"%x\r\n%s\r\n" % (len(c), c) for c in chunks) + b"0\r\n\r\n"
    content_type = "Content-Type: application/x-www-form-urlencoded\r\n" if path == "/" else ""
    lines = {}
    for name in ("erlen-limited", "flask-limited"):
        port = servers[name]
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        try:
            conn.putrequest("POST", path)
            conn.putheader("Transfer-Encoding", "chunked")
            if content_type:
                conn.putheader("Content-Type", "application/x-www-form-urlencoded")
            conn.endheaders(body)
            rv = conn.getresponse()
            lines[name] = rv.status
            rv.read()
        finally:
            conn.close()
    assert lines["erlen-limited"] == lines["flask-limited"]
    if path == "/":
        # Werkzeug's urlencoded parser reads once, up to the limit, without failing.
        assert lines["erlen-limited"] in {200, 413}
    else:
        assert lines["erlen-limited"] == status


def test_declared_length_over_limit_on_real_server(servers: dict[str, int]) -> None:
    data = _req("POST /data HTTP/1.1", "Content-Length: 1000\r\n", b"x" * 1000)
    for name in ("erlen-limited", "flask-limited"):
        assert status_line(send_raw(servers[name], data)) == "HTTP/1.1 413 REQUEST ENTITY TOO LARGE"


# -- fuzzing -------------------------------------------------------------------------------------


def fuzz_app(fw: t.Any) -> erlen.Erlen:
    app = make_app(fw, SECRET_KEY="fuzz", TRUSTED_HOSTS=None, MAX_CONTENT_LENGTH=10_000)

    @app.route("/", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
    @app.route("/<path:rest>", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
    def everything(rest: str = "") -> t.Any:
        r = fw.request
        out: dict[str, t.Any] = {
            "rest": rest,
            "args": r.args.to_dict(flat=False),
            "form": r.form.to_dict(flat=False),
            "files": sorted(r.files),
            "cookies": r.cookies.to_dict(),
            "session": dict(fw.session),
            "host": r.host,
            "url": r.url,
            "accept": r.accept_mimetypes.best,
            "language": r.accept_languages.best,
            "auth": None if r.authorization is None else r.authorization.type,
            "range": str(r.range),
            "if_modified_since": str(r.if_modified_since),
            "if_none_match": str(r.if_none_match),
            "content_length": r.content_length,
            "mimetype": r.mimetype,
            "access_route": r.access_route,
            "url_for": fw.url_for("everything", rest=rest or None, _external=True) if rest else None,
        }
        if r.is_json:
            out["json"] = r.get_json()
        return out

    return app


FUZZ_APPS = {name: fuzz_app(mod) for name, mod in FRAMEWORKS.items()}
wsgi_text = st.binary(max_size=60).map(lambda b: b.decode("latin-1"))
header_text = wsgi_text.map(lambda s: s.replace("\r", "").replace("\n", ""))  # the client refuses newlines
HEADER_NAMES = [
    "Cookie", "Content-Type", "Host", "Accept", "Accept-Language", "Authorization",
    "If-Modified-Since", "If-None-Match", "Range", "X-Forwarded-For", "Content-Length",
]
CONTENT_TYPES = st.one_of(
    st.sampled_from([
        "application/json", "application/x-www-form-urlencoded", "text/plain",
        "multipart/form-data", f"multipart/form-data; boundary={BOUNDARY}",
        "application/json; charset=latin-1",
    ]),
    header_text,
)
BODIES = st.one_of(
    st.binary(max_size=300),
    st.sampled_from([GOOD_MULTIPART, GOOD_MULTIPART[:-9], b'{"a": [1, 2, {"b": null}]}', b"a=1&b=%ZZ"]),
    st.builds(lambda a, b: a + b, st.sampled_from([GOOD_MULTIPART[:40], b'{"a": ', b"a="]), st.binary(max_size=100)),
)


# NOTE: derandomized so the suite is reproducible; raise max_examples (and drop
# derandomize) locally to search further.
@settings(max_examples=150, deadline=None, database=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(
    method=st.sampled_from(["GET", "POST", "PUT", "DELETE", "PATCH"]),
    path=wsgi_text.map(lambda s: "/" + s),
    query=wsgi_text,
    headers=st.dictionaries(st.sampled_from(HEADER_NAMES), header_text, max_size=4),
    content_type=CONTENT_TYPES,
    body=BODIES,
)
def test_fuzz_never_500(
    method: str, path: str, query: str, headers: dict[str, str], content_type: str, body: bytes
) -> None:
    statuses = {}
    for name, app in FUZZ_APPS.items():
        rv = app.test_client(use_cookies=False).open(
            "/",
            method=method,
            data=body,
            content_type=content_type,
            headers=headers,
            environ_overrides={"PATH_INFO": path, "QUERY_STRING": query},
        )
        statuses[name] = rv.status_code
    assert statuses["erlen"] < 500
    if statuses["flask"] < 500:
        assert statuses["erlen"] == statuses["flask"]
