"""Static files, ``send_file`` and ``send_from_directory``.

Most tests make the same request to an erlen app and a Flask app and
compare status, headers (except the clock-dependent ``Date``/``Expires``)
and body, so Werkzeug-level details (ETag, Content-Disposition, Range) must
come out identical.
"""

from __future__ import annotations

import contextlib
import io
import os
import typing as t
from datetime import timedelta

import flask
import pytest
from werkzeug.exceptions import NotFound
from werkzeug.http import http_date
from werkzeug.routing import BuildError

import erlen

FRAMEWORKS: dict[str, t.Any] = {"erlen": erlen, "flask": flask}
APP_CLASSES: dict[str, t.Any] = {"erlen": erlen.Erlen, "flask": flask.Flask}
HERE = os.path.dirname(os.path.abspath(__file__))
STATIC = os.path.join(HERE, "static_files")
HELLO = b"Hello static world!\n"
NUMBERS = bytes(range(100))


class FW:
    """One framework under test: ``mod`` (erlen or flask) and its app class."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.mod = FRAMEWORKS[name]
        # NOTE: typed as erlen's for both frameworks: the public API is the same.
        self.App: type[erlen.Erlen] = APP_CLASSES[name]

    def app(self, *, config: dict[str, t.Any] | None = None, **kwargs: t.Any) -> erlen.Erlen:
        kwargs.setdefault("static_folder", "static_files")
        app = self.App(__name__, **kwargs)
        app.config.update(TESTING=True, **(config or {}))
        return app


@pytest.fixture(params=list(FRAMEWORKS))
def fw(request: pytest.FixtureRequest) -> FW:
    return FW(request.param)


Snapshot = tuple[int, list[tuple[str, str]], bytes]


def snapshot(response: t.Any) -> Snapshot:
    """Status, headers without clock-dependent ones, and body; closes the response."""
    headers = [
        (k, v) for k, v in response.headers.items() if k not in {"Date", "Expires"}
    ]
    body = response.get_data()
    response.close()
    return response.status_code, headers, body


def same_in_both(
    build: t.Callable[[FW], t.Any], path: str, **request: t.Any
) -> Snapshot:
    """Build an app per framework, request ``path``, assert identical snapshots."""
    results = {}
    for name in FRAMEWORKS:
        app = build(FW(name))
        results[name] = snapshot(app.test_client().get(path, **request))
    assert results["erlen"] == results["flask"]
    return results["erlen"]


# -- the static route -----------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "url"),
    [
        ({}, "/static_files/hello.txt"),
        ({"static_url_path": "/assets"}, "/assets/hello.txt"),
        ({"static_url_path": "/assets/"}, "/assets/hello.txt"),
        ({"static_url_path": ""}, "/hello.txt"),
        ({"static_folder": STATIC}, "/static_files/hello.txt"),
        ({"static_folder": "static_files/"}, "/static_files/hello.txt"),
    ],
)
def test_static_route(fw: FW, kwargs: dict[str, t.Any], url: str) -> None:
    app = fw.app(**kwargs)
    assert app.static_folder == STATIC
    response = app.test_client().get(url)
    assert response.status_code == 200
    assert response.data == HELLO
    assert response.mimetype == "text/plain"
    assert response.content_length == len(HELLO)
    response.close()
    with app.test_request_context():
        assert fw.mod.url_for("static", filename="hello.txt") == url


@pytest.mark.parametrize(
    ("path", "mimetype"),
    [
        ("/static_files/index.html", "text/html"),
        ("/static_files/sub/app.js", "text/javascript"),
        ("/static_files/numbers.bin", "application/octet-stream"),
    ],
)
def test_static_mimetypes(path: str, mimetype: str) -> None:
    status, headers, _ = same_in_both(lambda fw: fw.app(), path)
    assert status == 200
    assert dict(headers)["Content-Type"].split(";")[0] == mimetype


@pytest.mark.parametrize(
    "path",
    [
        "/static_files/missing.txt",
        "/static_files/../test_static.py",
        "/static_files/sub/../../test_static.py",
        "/static_files/%2e%2e/test_static.py",
        "/static_files/sub",
        "/static_files/",
    ],
)
def test_static_not_found(path: str) -> None:
    status, _, _ = same_in_both(lambda fw: fw.app(), path)
    assert status == 404


def test_static_head(fw: FW) -> None:
    response = fw.app().test_client().head("/static_files/hello.txt")
    assert response.status_code == 200
    assert response.data == b""
    assert response.content_length == len(HELLO)
    response.close()


def test_static_folder_none(fw: FW) -> None:
    app = fw.app(static_folder=None)
    assert not app.has_static_folder
    assert app.static_url_path is None
    assert "static" not in app.view_functions
    assert app.test_client().get("/static/hello.txt").status_code == 404
    with app.test_request_context():
        with pytest.raises(BuildError):
            fw.mod.url_for("static", filename="x")
        with pytest.raises(RuntimeError, match="'static_folder' must be set"):
            app.send_static_file("hello.txt")


def test_static_folder_changed_after_creation(fw: FW) -> None:
    app = fw.app(static_folder="elsewhere")
    assert app.test_client().get("/elsewhere/hello.txt").status_code == 404
    app.static_folder = "static_files"
    response = app.test_client().get("/elsewhere/hello.txt")
    assert response.data == HELLO
    response.close()


@pytest.mark.parametrize(
    ("value", "cache_control"),
    [
        (None, "no-cache"),
        (0, "no-cache, max-age=0"),
        (120, "public, max-age=120"),
        (timedelta(hours=1), "public, max-age=3600"),
    ],
)
def test_send_file_max_age_default(value: t.Any, cache_control: str) -> None:
    _, headers, _ = same_in_both(
        lambda fw: fw.app(config={"SEND_FILE_MAX_AGE_DEFAULT": value}),
        "/static_files/hello.txt",
    )
    assert dict(headers)["Cache-Control"] == cache_control


def test_get_send_file_max_age_override(fw: FW) -> None:
    class App(fw.App):  # type: ignore[misc,name-defined]
        def get_send_file_max_age(self, filename: str | None) -> int | None:
            return 5 if filename and filename.endswith(".txt") else None

    app = App(__name__, static_folder="static_files")
    client = app.test_client()
    response = client.get("/static_files/hello.txt")
    assert response.headers["Cache-Control"] == "public, max-age=5"
    response.close()
    response = client.get("/static_files/index.html")
    assert response.headers["Cache-Control"] == "no-cache"
    response.close()


def test_send_static_file_directly(fw: FW) -> None:
    app = fw.app(config={"SEND_FILE_MAX_AGE_DEFAULT": 30})
    with app.test_request_context():
        response = app.send_static_file("hello.txt")
        response.direct_passthrough = False
        assert response.get_data() == HELLO
        assert response.cache_control.max_age == 30
        response.close()
        with pytest.raises(NotFound):
            app.send_static_file("nope.txt")


# -- conditional and range requests ---------------------------------------------


def _file_app(fw: FW) -> t.Any:
    app = fw.app()

    @app.route("/numbers")
    def numbers() -> t.Any:
        return fw.mod.send_file("static_files/numbers.bin")

    return app


def test_etag_and_if_none_match(fw: FW) -> None:
    client = _file_app(fw).test_client()
    first = client.get("/static_files/hello.txt")
    etag = first.headers["ETag"]
    last_modified = first.headers["Last-Modified"]
    assert etag.startswith('"') and etag.endswith('"')
    first.close()
    response = client.get("/static_files/hello.txt", headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response.data == b""
    assert response.headers["ETag"] == etag
    response = client.get(
        "/static_files/hello.txt", headers={"If-Modified-Since": last_modified}
    )
    assert response.status_code == 304
    response = client.get(
        "/static_files/hello.txt",
        headers={"If-Modified-Since": http_date(0)},
    )
    assert response.status_code == 200
    response.close()
    response = client.get("/static_files/hello.txt", headers={"If-None-Match": '"x"'})
    assert (response.status_code, response.data) == (200, HELLO)
    response.close()


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Range": "bytes=0-9"},
        {"Range": "bytes=90-"},
        {"Range": "bytes=-5"},
        {"Range": "bytes=200-300"},
        {"Range": "bytes=5-2"},
        {"Range": "bytes=0-1,5-6"},
        {"Range": "bytes=10-19", "If-Range": '"mismatch"'},
    ],
)
def test_range_requests_match_flask(headers: dict[str, str]) -> None:
    same_in_both(_file_app, "/numbers", headers=headers)


@pytest.mark.parametrize(
    ("range_header", "status", "body", "content_range"),
    [
        ("bytes=0-9", 206, NUMBERS[:10], "bytes 0-9/100"),
        ("bytes=90-", 206, NUMBERS[90:], "bytes 90-99/100"),
        ("bytes=-5", 206, NUMBERS[-5:], "bytes 95-99/100"),
        ("bytes=200-300", 416, None, "bytes */100"),
    ],
)
def test_range_requests(
    fw: FW, range_header: str, status: int, body: bytes | None, content_range: str
) -> None:
    response = _file_app(fw).test_client().get(
        "/numbers", headers={"Range": range_header}
    )
    assert response.status_code == status
    assert response.headers["Content-Range"] == content_range
    if body is not None:
        assert response.headers["Accept-Ranges"] == "bytes"
        assert response.data == body
    response.close()


# -- send_file ------------------------------------------------------------------


def _send_file_app(fw: FW) -> t.Any:
    app = fw.app()
    send_file = fw.mod.send_file

    @app.route("/path")
    def by_path() -> t.Any:
        return send_file("static_files/hello.txt")

    @app.route("/abs")
    def by_abs_path() -> t.Any:
        return send_file(os.path.join(STATIC, "hello.txt"), max_age=10)

    @app.route("/attachment")
    def attachment() -> t.Any:
        return send_file("static_files/hello.txt", as_attachment=True)

    @app.route("/renamed")
    def renamed() -> t.Any:
        return send_file(
            "static_files/hello.txt", as_attachment=True, download_name="report 1.csv"
        )

    @app.route("/unicode")
    def unicode_name() -> t.Any:
        return send_file(
            "static_files/hello.txt", as_attachment=True, download_name="Üntitled ä.txt"
        )

    @app.route("/inline")
    def inline() -> t.Any:
        return send_file("static_files/hello.txt", download_name="shown.txt")

    @app.route("/fileobj")
    def fileobj() -> t.Any:
        return send_file(io.BytesIO(b"in memory"), download_name="mem.json")

    @app.route("/fileobj-mimetype")
    def fileobj_mimetype() -> t.Any:
        return send_file(
            io.BytesIO(b"typed"), mimetype="application/x-custom", as_attachment=False
        )

    @app.route("/fileobj-attachment")
    def fileobj_attachment() -> t.Any:
        return send_file(
            io.BytesIO(b"data"), as_attachment=True, download_name="data.csv"
        )

    @app.route("/no-conditional")
    def no_conditional() -> t.Any:
        return send_file("static_files/hello.txt", conditional=False, etag=False)

    @app.route("/custom-etag")
    def custom_etag() -> t.Any:
        return send_file("static_files/hello.txt", etag="v1", last_modified=0)

    @app.route("/mimetype")
    def forced_mimetype() -> t.Any:
        return send_file("static_files/hello.txt", mimetype="text/x-special")

    return app


@pytest.mark.parametrize(
    "path",
    [
        "/path",
        "/abs",
        "/attachment",
        "/renamed",
        "/unicode",
        "/inline",
        "/fileobj",
        "/fileobj-mimetype",
        "/fileobj-attachment",
        "/no-conditional",
        "/custom-etag",
        "/mimetype",
    ],
)
def test_send_file_matches_flask(path: str) -> None:
    status, _, _ = same_in_both(_send_file_app, path)
    assert status == 200


@pytest.mark.parametrize(
    ("path", "content_type", "disposition", "body"),
    [
        ("/path", "text/plain; charset=utf-8", "inline; filename=hello.txt", HELLO),
        ("/attachment", "text/plain; charset=utf-8", "attachment; filename=hello.txt", HELLO),
        ("/renamed", "text/csv; charset=utf-8", 'attachment; filename="report 1.csv"', HELLO),
        (
            "/unicode",
            "text/plain; charset=utf-8",
            "attachment; filename=\"Untitled a.txt\"; filename*=UTF-8''%C3%9Cntitled%20%C3%A4.txt",
            HELLO,
        ),
        ("/inline", "text/plain; charset=utf-8", "inline; filename=shown.txt", HELLO),
        ("/fileobj", "application/json", "inline; filename=mem.json", b"in memory"),
        ("/fileobj-mimetype", "application/x-custom", None, b"typed"),
        ("/fileobj-attachment", "text/csv; charset=utf-8", "attachment; filename=data.csv", b"data"),
    ],
)
def test_send_file(
    fw: FW, path: str, content_type: str, disposition: str | None, body: bytes
) -> None:
    response = _send_file_app(fw).test_client().get(path)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == content_type
    assert response.headers.get("Content-Disposition") == disposition
    assert response.data == body
    response.close()


def test_send_file_conditional_options(fw: FW) -> None:
    client = _send_file_app(fw).test_client()
    response = client.get("/no-conditional")
    assert "ETag" not in response.headers
    assert "Accept-Ranges" not in response.headers
    response.close()
    response = client.get("/custom-etag")
    assert response.headers["ETag"] == '"v1"'
    assert response.headers["Last-Modified"] == http_date(0)
    response.close()
    assert client.get("/custom-etag", headers={"If-None-Match": '"v1"'}).status_code == 304
    response = client.get("/abs")
    assert response.headers["Cache-Control"] == "public, max-age=10"
    response.close()


def test_send_file_without_mimetype_or_name(fw: FW) -> None:
    with fw.app().test_request_context():
        with pytest.raises(TypeError, match="Unable to detect the MIME type"):
            fw.mod.send_file(io.BytesIO(b"x"))


@pytest.mark.parametrize("with_app_context", [False, True])
@pytest.mark.parametrize("func", ["send_file", "send_from_directory"])
def test_send_file_outside_request(fw: FW, func: str, with_app_context: bool) -> None:
    args = ("static_files/hello.txt",) if func == "send_file" else ("static_files", "hello.txt")
    # send_file reads the request first; send_from_directory the app first.
    first = "request" if with_app_context or func == "send_file" else "application"
    app = fw.app()
    with app.app_context() if with_app_context else contextlib.nullcontext():
        with pytest.raises(RuntimeError, match=f"^Working outside of {first} context"):
            getattr(fw.mod, func)(*args)


def test_send_file_missing(fw: FW) -> None:
    with fw.app().test_request_context():
        with pytest.raises(FileNotFoundError):
            fw.mod.send_file("static_files/nope.txt")


def _x_sendfile_app(fw: FW) -> t.Any:
    app = _send_file_app(fw)
    app.config["USE_X_SENDFILE"] = True
    return app


@pytest.mark.parametrize("path", ["/path", "/fileobj"])
def test_use_x_sendfile_matches_flask(path: str) -> None:
    same_in_both(_x_sendfile_app, path)


def test_x_sendfile_header(fw: FW) -> None:
    app = _send_file_app(fw)
    app.config["USE_X_SENDFILE"] = True
    response = app.test_client().get("/path")
    assert response.headers["X-Sendfile"] == os.path.join(STATIC, "hello.txt")
    assert response.data == b""
    response.close()


# -- send_from_directory ----------------------------------------------------------


def _directory_app(fw: FW) -> t.Any:
    app = fw.app(static_folder=None)

    @app.route("/files/<path:name>")
    def files(name: str) -> t.Any:
        return fw.mod.send_from_directory("static_files", name)

    @app.route("/download/<path:name>")
    def download(name: str) -> t.Any:
        return fw.mod.send_from_directory(
            STATIC, name, as_attachment=True, max_age=60
        )

    @app.route("/query")
    def query() -> t.Any:
        return fw.mod.send_from_directory("static_files", fw.mod.request.args["p"])

    return app


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/files/hello.txt", 200),
        ("/files/sub/app.js", 200),
        ("/download/hello.txt", 200),
        ("/files/missing.txt", 404),
        ("/files/sub", 404),
        ("/query?p=hello.txt", 200),
        ("/query?p=../test_static.py", 404),
        ("/query?p=sub/../../test_static.py", 404),
        ("/query?p=" + os.path.join(STATIC, "hello.txt"), 404),
        ("/query?p=/etc/passwd", 404),
        ("/query?p=..", 404),
        ("/query?p=", 404),
    ],
)
def test_send_from_directory(path: str, status: int) -> None:
    got, _, _ = same_in_both(_directory_app, path)
    assert got == status


def test_send_from_directory_attachment(fw: FW) -> None:
    response = _directory_app(fw).test_client().get("/download/sub/app.js")
    assert response.headers["Content-Disposition"] == "attachment; filename=app.js"
    assert response.headers["Cache-Control"] == "public, max-age=60"
    assert response.data == b"console.log(1);\n"
    response.close()


def test_send_from_directory_raises_not_found(fw: FW) -> None:
    with fw.app().test_request_context():
        for name in ("../test_static.py", "/etc/passwd", "missing"):
            with pytest.raises(NotFound):
                fw.mod.send_from_directory("static_files", name)
