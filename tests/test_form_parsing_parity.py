"""Form bodies parse exactly as in Flask (Werkzeug's parser), tricky and malformed ones included.

erlen parses urlencoded bodies and well-formed multipart bodies with its own code and
hands everything else to Werkzeug; these tests send the same raw bodies to an erlen app
and a Flask app and compare what the view sees (form, files, stream, status), on the
WSGI front and, for a sample, the ASGI front.
"""

from __future__ import annotations

import io
import random
import typing as t

import flask
import pytest
from werkzeug.formparser import FormDataParser

import erlen

B = "xYzBoundary"
MP = f"multipart/form-data; boundary={B}"
URLENC = "application/x-www-form-urlencoded"


def _app(fw: t.Any, **config: t.Any) -> erlen.Erlen:
    """The parsing app on erlen or Flask (typed as erlen's; both have the same API)."""
    app = t.cast(erlen.Erlen, fw.Erlen(__name__) if fw is erlen else fw.Flask(__name__))
    app.config.update(config)

    @app.route("/", methods=["POST"])
    def view() -> t.Any:
        req = fw.request
        files = []
        for key, f in req.files.items(multi=True):
            data = f.read()
            files.append([key, f.filename, f.content_type, f.mimetype_params, sorted(f.headers.items()), data.hex()])
        return {
            "form": list(req.form.lists()),
            "form_type": type(req.form).__name__,
            "files": files,
            "rest": req.stream.read().hex(),
            "values": list(req.values.lists()),
        }

    return app


def _run(fw: t.Any, body: bytes, content_type: str | None, **config: t.Any) -> tuple[int, t.Any]:
    client = _app(fw, **config).test_client()
    rv = client.post("/", data=body, content_type=content_type)
    return rv.status_code, rv.get_json() if rv.status_code == 200 else None


def _same(body: bytes, content_type: str | None, **config: t.Any) -> tuple[int, t.Any]:
    got = _run(erlen, body, content_type, **config)
    assert got == _run(flask, body, content_type, **config)
    return got


URLENCODED = [
    b"",
    b"a=1",
    b"a=1&a=2&b=",
    b"a",
    b"&&a=1&&",
    b"a=b=c",
    b"=v",
    b"a+b=c+d",
    b"a%2Bb=%2B",
    b"sp=%20%20&amp=%26&eq=%3d%3D",
    b"a=%C3%A9&b=%E2%82&c=%FF%FE&d=%e2%82%ac",
    b"a=%zz&b=%4&c=%&d=%%41",
    b"a=1;b=2",
    b"n\xc3\xa9=v\xc3\xa9%C3%A9",
    b"bad=\xff",
    b"nul=%00&x=\x00y",
    b"a=%C3&b=%A9",
    b"a=%2541",
]


@pytest.mark.parametrize("body", URLENCODED)
def test_urlencoded_matches_flask(body: bytes) -> None:
    _same(body, URLENC)


@pytest.mark.parametrize("seed", range(300))
def test_urlencoded_fuzz_matches_werkzeug(seed: int) -> None:
    rng = random.Random(seed)
    atoms = ["a", "b", "=", "&", "+", "%", "%2", "%26", "%3D", "%3d", "%C3", "%A9", "%FF", "%00",
             ";", "é", "%E2%82", "%zz", " ", "%2B", "%25", "\x00", "%e2%82%ac", "\U0001f600"]
    text = "".join(rng.choice(atoms) for _ in range(rng.randint(0, 25)))
    body = text.encode()
    if rng.random() < 0.1:
        body += b"\xff"
    expected = FormDataParser().parse(io.BytesIO(body), URLENC, len(body), {})[1]
    with erlen.Erlen(__name__).test_request_context(
        "/", method="POST", data=body, content_type=URLENC
    ):
        assert list(erlen.request.form.lists()) == list(expected.lists())


def _part(headers: str, data: bytes, lb: bytes = b"\r\n") -> bytes:
    return f"--{B}".encode() + lb + headers.encode() + lb + lb + data + lb


def _end(lb: bytes = b"\r\n") -> bytes:
    return f"--{B}--".encode() + lb


FIELD = 'Content-Disposition: form-data; name="f"'
FILE = 'Content-Disposition: form-data; name="up"; filename="a b.txt"\r\nContent-Type: text/plain'

MULTIPART: list[tuple[str, bytes]] = [
    ("empty form", _end()),
    ("one field", _part(FIELD, b"value") + _end()),
    ("field and file", _part(FIELD, b"v\xc3\xa9") + _part(FILE, bytes(range(256)) * 10) + _end()),
    ("repeated names", _part(FIELD, b"1") + _part(FIELD, b"2") + _part(FILE, b"x") + _part(FILE, b"") + _end()),
    ("empty values", _part(FIELD, b"") + _end()),
    ("no final CRLF", _part(FIELD, b"v") + f"--{B}--".encode()),
    ("epilogue", _part(FIELD, b"v") + _end() + b"trailing junk\r\n"),
    ("preamble", b"preamble\r\n" + _part(FIELD, b"v") + _end()),
    ("LF only", _part(FIELD, b"v", b"\n") + _end(b"\n")),
    ("CR only", _part(FIELD, b"v", b"\r") + _end(b"\r")),
    ("whitespace after boundary", _part(FIELD, b"v").replace(f"--{B}\r\n".encode(), f"--{B}  \r\n".encode()) + _end()),
    ("boundary text in data", _part(FIELD, f"x--{B}y\r\n--{B}x".encode()) + _end()),
    ("boundary after LF in data", _part(FIELD, f"a\n--{B}\r\nrest".encode()) + _end()),
    ("missing end", _part(FIELD, b"v")),
    ("missing disposition", _part("X-A: b", b"v") + _end()),
    ("no name", _part("Content-Disposition: form-data", b"v") + _end()),
    ("empty filename", _part('Content-Disposition: form-data; name="up"; filename=""', b"v") + _end()),
    ("rfc2231 filename", _part("Content-Disposition: form-data; name=\"up\"; filename*=UTF-8''%C3%A9.txt", b"v") + _end()),
    ("latin-1 field", _part(FIELD + "\r\nContent-Type: text/plain; charset=ISO-8859-1", b"\xe9") + _end()),
    ("unknown charset", _part(FIELD + "\r\nContent-Type: text/plain; charset=cp1252", b"\xe9\xff") + _end()),
    ("invalid utf-8 field", _part(FIELD, b"\xff\xfe") + _end()),
    ("header continuation", _part(FIELD + ";\r\n filename=\"c.txt\"", b"v") + _end()),
    ("non-ascii header", _part('Content-Disposition: form-data; name="é"', b"v") + _end()),
    ("invalid utf-8 header", _part('Content-Disposition: form-data; name="\xff"', b"v").replace(b"\xc3\xbf", b"\xff") + _end()),
    ("part content-length", _part(FIELD + "\r\nContent-Length: 1", b"v") + _end()),
    ("headers without blank line", f"--{B}\r\n{FIELD}\r\n--{B}--\r\n".encode()),
    ("no headers", f"--{B}\r\n\r\nv\r\n--{B}--\r\n".encode()),
    ("data right after headers", f"--{B}\r\n{FIELD}\r\n\r\n--{B}--\r\n".encode()),
    ("garbage", b"not multipart at all"),
    ("spaces in headers", _part("  Content-Disposition :  form-data; name=\"f\"  \r\n\r\n", b"v") + _end()),
    ("blank line variants", f"--{B}\r\n{FIELD}\n\nv\r\n--{B}--\r\n".encode()),
]


@pytest.mark.parametrize(("name", "body"), MULTIPART, ids=[n for n, _ in MULTIPART])
def test_multipart_matches_flask(name: str, body: bytes) -> None:
    _same(body, MP)


@pytest.mark.parametrize(("name", "body"), MULTIPART[:6], ids=[n for n, _ in MULTIPART[:6]])
def test_multipart_without_boundary_matches_flask(name: str, body: bytes) -> None:
    _same(body, "multipart/form-data")
    _same(body, 'multipart/form-data; boundary=""')


@pytest.mark.parametrize(
    ("config", "body", "status"),
    [
        ({"MAX_FORM_PARTS": 2}, _part(FIELD, b"1") + _part(FIELD, b"2") + _end(), 200),
        ({"MAX_FORM_PARTS": 2}, _part(FIELD, b"1") + _part(FIELD, b"2") + _part(FIELD, b"3") + _end(), 413),
        ({"MAX_FORM_MEMORY_SIZE": 10}, _part(FIELD, b"x" * 11) + _end(), 413),
        ({"MAX_FORM_MEMORY_SIZE": 200}, _part(FIELD, b"x" * 100) + _end(), 200),
        # Werkzeug limits the whole unparsed buffer too, so a body over the limit is refused.
        ({"MAX_FORM_MEMORY_SIZE": 200}, _part(FIELD, b"x" * 150) + _end(), 413),
        ({"MAX_FORM_MEMORY_SIZE": 200}, _part(FILE, b"x" * 300) + _end(), 413),
        ({"MAX_FORM_MEMORY_SIZE": None}, _part(FILE, b"x" * 600_000) + _end(), 200),
        ({"MAX_CONTENT_LENGTH": 100}, _part(FILE, b"x" * 300) + _end(), 413),
        ({}, _part(FILE, b"x" * 600_000) + _part(FIELD, b"y" * 100) + _end(), 200),
    ],
)
def test_multipart_limits_match_flask(config: dict[str, t.Any], body: bytes, status: int) -> None:
    assert _same(body, MP, **config)[0] == status


@pytest.mark.parametrize("seed", range(150))
def test_multipart_fuzz_matches_flask(seed: int) -> None:
    rng = random.Random(seed)
    pieces = [name_body[1] for name_body in MULTIPART]
    body = bytearray(rng.choice(pieces[1:5]))
    for _ in range(rng.randint(1, 3)):
        op = rng.randrange(4)
        pos = rng.randrange(len(body) + 1)
        if op == 0:
            del body[pos : pos + rng.randint(1, 4)]
        elif op == 1:
            body[pos:pos] = rng.choice([b"\r", b"\n", b"\r\n", b"-", b" ", f"--{B}".encode(), b"\xff"])
        elif op == 2 and body:
            body[pos - 1 : pos] = b"x"
        else:
            body = body[:pos]
    _same(bytes(body), MP)


def _environ(body: bytes, content_length: int, content_type: str) -> dict[str, t.Any]:
    return {
        "REQUEST_METHOD": "POST", "PATH_INFO": "/", "SERVER_NAME": "localhost", "SERVER_PORT": "80",
        "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(body), "wsgi.errors": io.StringIO(),
        "CONTENT_TYPE": content_type, "CONTENT_LENGTH": str(content_length),
    }


@pytest.mark.parametrize(
    "body",
    [
        _part(FIELD, b"v") + _end(),
        _part(FIELD, b"v" * 70_000) + _end(),
        b"garbage" * 10_000,
        _part("X-A: b", b"v"),
    ],
)
def test_truncated_body_matches_flask(body: bytes) -> None:
    """A body shorter than its Content-Length: Werkzeug's outcome, read error included."""
    out = []
    for fw in (erlen, flask):
        app = _app(fw)
        statuses: list[str] = []
        chunks = app.wsgi_app(
            _environ(body, len(body) + 100, MP),
            lambda s, h, e=None, statuses=statuses: statuses.append(s),
        )
        out.append((statuses, b"".join(chunks)))
    assert out[0] == out[1]


def test_subclass_parser_hooks_are_honoured() -> None:
    seen: list[str] = []

    class Parser(FormDataParser):
        def parse(self, *args: t.Any, **kwargs: t.Any) -> t.Any:
            seen.append("parser")
            return super().parse(*args, **kwargs)

    class Request(erlen.Request):
        form_data_parser_class = Parser

    class Request2(erlen.Request):
        def make_form_data_parser(self) -> FormDataParser:
            seen.append("make")
            return super().make_form_data_parser()

    for cls in (Request, Request2):
        app = _app(erlen)
        app.request_class = cls
        rv = app.test_client().post("/", data={"a": "1"})
        assert rv.get_json()["form"] == [["a", ["1"]]]
        rv = app.test_client().post("/", data={"a": "1", "f": (io.BytesIO(b"x"), "f.txt")})
        assert rv.get_json()["files"][0][1] == "f.txt"
    assert seen == ["parser", "parser", "make", "make"]


def test_parameter_storage_class_and_spooling() -> None:
    from werkzeug.datastructures import ImmutableMultiDict

    class Storage(ImmutableMultiDict[str, t.Any]):
        pass

    class Request(erlen.Request):
        parameter_storage_class = Storage

    app = _app(erlen)
    app.request_class = Request
    body = _part(FIELD, b"1") + _end()
    rv = app.test_client().post("/", data=body, content_type=MP)
    assert rv.get_json()["form_type"] == "Storage"
    rv = app.test_client().post("/", data=b"a=1", content_type=URLENC)
    assert rv.get_json()["form_type"] == "Storage"

    streams = {}
    app2 = erlen.Erlen(__name__)

    @app2.post("/")
    def view() -> str:
        f = erlen.request.files["up"]
        streams["small"] = f.stream
        return str(len(f.read()))

    for size in (100, 600_000):
        rv = app2.test_client().post("/", data=_part(FILE, b"x" * size) + _end(), content_type=MP)
        assert rv.get_data() == str(size).encode()
    # Werkzeug's default stream factory: a spooled file (memory up to 500 kB, then disk).
    assert type(streams["small"]).__name__ == "SpooledTemporaryFile"


ASGI_CASES = [
    (b"a=1&a=%26&b=%C3%A9+x", URLENC, {}),
    (_part(FIELD, b"v") + _part(FILE, b"d" * 70_000) + _end(), MP, {}),
    (_part(FIELD, b"v", b"\n") + _end(b"\n"), MP, {}),
    (_part(FIELD, b"1") + _part(FIELD, b"2") + _end(), MP, {"MAX_FORM_PARTS": 1}),
    (_part(FIELD, b"x" * 300) + _end(), MP, {"MAX_FORM_MEMORY_SIZE": 100}),
    (_part(FILE, b"x" * 300) + _end(), MP, {"MAX_CONTENT_LENGTH": 100}),
    (b"garbage", MP, {}),
]


@pytest.mark.parametrize(("body", "content_type", "config"), ASGI_CASES)
def test_asgi_front_parses_the_same(body: bytes, content_type: str, config: dict[str, t.Any]) -> None:
    import asyncio
    import json
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).parent / "asgi"))
    from asgi_helpers import Server
    from asgi_helpers import http_scope
    from asgi_helpers import run

    expected = _run(flask, body, content_type, **config)
    app = _app(erlen, **config)
    scope = http_scope(
        "/", "POST", [("content-type", content_type), ("content-length", str(len(body)))]
    )
    chunks = [body[i : i + 16384] for i in range(0, len(body), 16384)] or [b""]
    server = asyncio.run(run(app.asgi_app, scope, Server(chunks)))
    got = (server.status, json.loads(server.body) if server.status == 200 else None)
    assert got == expected


@pytest.mark.parametrize(
    ("body", "content_type"),
    [(b"a=%C3%A9&b=%26&b=", URLENC), (_part(FIELD, b"v") + _part(FILE, b"data") + _end(), MP)],
)
def test_get_data_then_form(body: bytes, content_type: str) -> None:
    for fw in (erlen, flask):
        app = t.cast(erlen.Erlen, fw.Erlen(__name__) if fw is erlen else fw.Flask(__name__))

        @app.post("/")
        def view(fw: t.Any = fw) -> t.Any:
            raw = fw.request.get_data()
            return {"raw": len(raw), "form": list(fw.request.form.lists()), "files": list(fw.request.files)}

        rv = app.test_client().post("/", data=body, content_type=content_type)
        if fw is erlen:
            got = rv.get_json()
        else:
            assert rv.get_json() == got


@pytest.mark.parametrize("extra", [-100, 0, 100])
@pytest.mark.parametrize("max_length", [None, "exact"])
@pytest.mark.parametrize("terminated", [False, True])
@pytest.mark.parametrize("content_type", [MP, URLENC])
def test_terminated_input_matches_flask(
    extra: int, max_length: str | None, terminated: bool, content_type: str
) -> None:
    """A body longer or shorter than declared, server-terminated (``wsgi.input_terminated``) or not."""
    if content_type == MP:
        body = _part(FIELD, b"v") + _part(FILE, b"d" * 70_000) + _end()
    else:
        body = b"a=1&b=%26" * 3000
    declared = len(body) - extra if extra > 0 else len(body) + extra
    out = []
    for fw in (erlen, flask):
        config = {} if max_length is None else {"MAX_CONTENT_LENGTH": len(body)}
        app = _app(fw, **config)
        env = _environ(body, declared, content_type)
        if terminated:
            env["wsgi.input_terminated"] = True
        statuses: list[str] = []
        chunks = app.wsgi_app(env, lambda s, h, e=None, statuses=statuses: statuses.append(s))
        out.append((statuses, b"".join(chunks)))
    assert out[0] == out[1]


@pytest.mark.parametrize("size", [0, 1, 65_536, 200_000])
def test_uploaded_file_object_matches_flask(size: int) -> None:
    """The spooled file of an upload behaves as Werkzeug's: type, position, reads, rollover."""
    data = bytes(range(256)) * (size // 256) + b"x" * (size % 256)
    body = _part(FILE, data) + _end()
    out = []
    for fw in (erlen, flask):
        app = t.cast(erlen.Erlen, fw.Erlen(__name__) if fw is erlen else fw.Flask(__name__))
        seen: list[t.Any] = []

        @app.post("/")
        def view(seen: list[t.Any] = seen, fw: t.Any = fw) -> str:
            f = fw.request.files["up"]
            stream = f.stream
            seen.append((type(stream).__name__, stream.tell(), stream._rolled))
            seen.append(f.read() == data)
            seen.append(f.read())
            stream.seek(1)
            seen.append(stream.read(3))
            stream.rollover()
            stream.seek(0)
            seen.append((stream._rolled, stream.read() == data))
            stream.seek(0, 2)
            stream.write(b"more")
            stream.seek(size)
            seen.append(stream.read())
            return ""

        assert app.test_client().post("/", data=body, content_type=MP).status_code == 200
        out.append(seen)
    assert out[0] == out[1]


@pytest.mark.parametrize("seed", range(300))
def test_urlencoded_ascii_fuzz_matches_werkzeug(seed: int) -> None:
    """ASCII bodies with escapes valid and not, separators and line breaks (the C unescaping path)."""
    rng = random.Random(seed)
    atoms = ["a", "b", "=", "&", "+", "%", "%2", "%26", "%3D", "%3d", "%C3", "%A9", "%FF", "%00",
             "%01", "\x01", "%%", "==", ";", "\r", "\n", "%\n", "%\r", "%E2%82", "%zz", " ", "%2B",
             "%25", "%e2%82%ac", "%0a", "%0D", "_", "%5F", "%7f", "%80", "%4"]
    body = "".join(rng.choice(atoms) for _ in range(rng.randint(0, 25))).encode()
    expected = FormDataParser().parse(io.BytesIO(body), URLENC, len(body), {})[1]
    with erlen.Erlen(__name__).test_request_context(
        "/", method="POST", data=body, content_type=URLENC
    ):
        assert list(erlen.request.form.lists()) == list(expected.lists())


@pytest.mark.parametrize(
    "environ",
    [
        {},
        {"CONTENT_LENGTH": "12"},
        {"CONTENT_LENGTH": ""},
        {"CONTENT_LENGTH": "abc"},
        {"CONTENT_LENGTH": "-5"},
        {"CONTENT_LENGTH": " 12 "},
        {"CONTENT_LENGTH": "+3"},
        {"CONTENT_LENGTH": "1_0"},
        {"CONTENT_LENGTH": "١٢"},
        {"CONTENT_LENGTH": "12", "HTTP_TRANSFER_ENCODING": "chunked"},
        {"CONTENT_LENGTH": "12", "HTTP_TRANSFER_ENCODING": "gzip, chunked"},
        {"HTTP_CONTENT_LENGTH": "7"},
    ],
)
def test_content_length_matches_flask(environ: dict[str, str]) -> None:
    base = {"REQUEST_METHOD": "POST", "wsgi.input": io.BytesIO(b"")}
    e = erlen.Request({**base, **environ}).content_length
    f = flask.Request({**base, **environ}).content_length
    assert e == f


def test_content_length_follows_overridden_headers() -> None:
    from werkzeug.datastructures import Headers

    class Request(erlen.Request):
        @property
        def headers(self) -> Headers:  # type: ignore[override]
            return Headers({"Content-Length": "3"})

    assert Request({"CONTENT_LENGTH": "10", "wsgi.input": io.BytesIO()}).content_length == 3


@pytest.mark.parametrize(
    "headers",
    [
        'content-disposition: form-data; name="a"\r\nCONTENT-TYPE: text/plain; charset=latin1',
        'Content-Disposition: form-data; name="a"\r\nContent-Type: text/plain; charset=iso-8859-1',
        'Content-Disposition: form-data; name="a"\r\nContent-Disposition: form-data; name="b"',
        'Content-Type: text/plain; charset=iso-8859-1\r\nContent-Type: text/plain; charset=utf-8\r\n'
        'Content-Disposition: form-data; name="a"',
        'Content-Disposition: form-data; name="a"\r\ncontent-length: 2',
        'Content-Disposition: form-data; name="a"; filename="f"\r\nCONTENT-LENGTH: 2',
        'Content-Disposition: form-data; name="a"; filename="f"\r\nX-Extra: 1\r\ncontent-type: a/b',
        "X-Only: 1",
    ],
)
def test_part_header_lookups_match_flask(headers: str) -> None:
    _same(_part(headers, "é\xe9".encode("latin1")) + _end(), MP)


@pytest.mark.parametrize("declared", [0, 5, 10, 20, None])
@pytest.mark.parametrize("max_length", [None, 8, 10])
def test_raw_stream_matches_flask(declared: int | None, max_length: int | None) -> None:
    """``request.stream`` as the view reads it: limited to Content-Length, 413 past the maximum."""
    out = []
    for fw in (erlen, flask):
        app = t.cast(erlen.Erlen, fw.Erlen(__name__) if fw is erlen else fw.Flask(__name__))
        app.config["MAX_CONTENT_LENGTH"] = max_length

        @app.post("/")
        def view(fw: t.Any = fw) -> str:
            return str(fw.request.stream.read().hex() + "|" + fw.request.get_data().hex())

        env = _environ(b"0123456789", 0, "application/octet-stream")
        if declared is None:
            del env["CONTENT_LENGTH"]
        else:
            env["CONTENT_LENGTH"] = str(declared)
        statuses: list[str] = []
        body = b"".join(app.wsgi_app(env, lambda s, h, e=None, statuses=statuses: statuses.append(s)))
        out.append((statuses, body if statuses == ["200 OK"] else None))
    assert out[0] == out[1]


@pytest.mark.parametrize("storage", ["default", "custom"])
def test_uploaded_files_closed_after_request(storage: str) -> None:
    """Every uploaded file (several under one name too) is closed once the request ends."""
    from werkzeug.datastructures import ImmutableMultiDict

    class Storage(ImmutableMultiDict[str, t.Any]):
        pass

    body = _part(FILE, b"1") + _part(FILE, b"2") + _part(FILE.replace('"up"', '"b"'), b"3") + _end()
    out = []
    for fw in (erlen, flask):
        app = t.cast(erlen.Erlen, fw.Erlen(__name__) if fw is erlen else fw.Flask(__name__))
        if storage == "custom":
            app.request_class = type("R", (app.request_class,), {"parameter_storage_class": Storage})
        streams: list[t.Any] = []

        @app.post("/")
        def view(fw: t.Any = fw, streams: list[t.Any] = streams) -> str:
            streams.extend(f.stream for _, f in fw.request.files.items(multi=True))
            return ""

        assert app.test_client().post("/", data=body, content_type=MP).status_code == 200
        out.append([s.closed for s in streams])
    assert out[0] == out[1] == [True, True, True]
