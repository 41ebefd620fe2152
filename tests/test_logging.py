"""The application logger: name, level, default handler and ``wsgi.errors``.

Loggers are process-wide by name, so each test gives its app a fresh import
name and removes the logger's handlers afterwards. pytest puts a capture
handler on the root logger, which makes both frameworks skip their default
handler; the tests that check the default handler empty the root logger's
handlers first.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import logging
import os
import sys
import typing as t

import flask
import flask.logging
import pytest

import erlen
import erlen.logging

FRAMEWORKS: dict[str, t.Any] = {"erlen": erlen, "flask": flask}
APP_CLASSES: dict[str, t.Any] = {"erlen": erlen.Erlen, "flask": flask.Flask}
LOGGING_MODULES: dict[str, t.Any] = {"erlen": erlen.logging, "flask": flask.logging}
HERE = os.path.dirname(os.path.abspath(__file__))
_counter = itertools.count()


class FW:
    """One framework under test: ``mod``, its app class and its logging module."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.mod = FRAMEWORKS[name]
        # NOTE: typed as erlen's for both frameworks: the public API is the same.
        self.App: type[erlen.Erlen] = APP_CLASSES[name]
        self.logging = LOGGING_MODULES[name]
        self.logger_names: list[str] = []

    def app(self, debug: bool = False, **config: t.Any) -> erlen.Erlen:
        name = f"logging_app_{self.name}_{next(_counter)}"
        self.logger_names.append(name)
        app = self.App(name, root_path=HERE)
        app.config.update(DEBUG=debug, **config)
        return app


@pytest.fixture(params=list(FRAMEWORKS))
def fw(request: pytest.FixtureRequest) -> t.Iterator[FW]:
    fw = FW(request.param)
    yield fw
    for name in fw.logger_names:
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.setLevel(logging.NOTSET)


@contextlib.contextmanager
def bare_root() -> t.Iterator[None]:
    """No handlers on the root logger, as in a plain program.

    pytest adds its capture handlers for each test phase, after fixtures
    ran, so this is used inside the test body.
    """
    saved = logging.root.handlers[:]
    logging.root.handlers.clear()
    try:
        yield
    finally:
        logging.root.handlers[:] = saved


def test_logger_name(fw: FW) -> None:
    app = fw.app()
    assert isinstance(app.logger, logging.Logger)
    assert app.logger.name == app.name
    assert app.logger is logging.getLogger(app.name)
    assert app.logger is app.logger


def test_logger_name_for_module_app(fw: FW) -> None:
    app = fw.App(__name__)
    assert app.logger.name == __name__ == "test_logging"


def test_default_handler_added(fw: FW) -> None:
    app = fw.app()
    with bare_root():
        assert app.logger.handlers == [fw.logging.default_handler]
    assert app.logger.level == logging.NOTSET


def test_no_default_handler_when_root_would_log(fw: FW) -> None:
    # pytest's capture handler on the root logger already shows the records.
    assert logging.root.handlers
    assert fw.app().logger.handlers == []


def test_no_default_handler_with_own_handler(fw: FW) -> None:
    app = fw.app()
    own = logging.StreamHandler(io.StringIO())
    logging.getLogger(app.name).addHandler(own)
    with bare_root():
        assert app.logger.handlers == [own]


def test_has_level_handler(fw: FW) -> None:
    logger = logging.getLogger(f"has_level_{fw.name}_{next(_counter)}")
    fw.logger_names.append(logger.name)
    logger.propagate = False
    try:
        assert not fw.logging.has_level_handler(logger)
        handler = logging.StreamHandler(io.StringIO())
        handler.setLevel(logging.ERROR)
        logger.addHandler(handler)
        logger.setLevel(logging.WARNING)
        assert not fw.logging.has_level_handler(logger)
        logger.setLevel(logging.ERROR)
        assert fw.logging.has_level_handler(logger)
    finally:
        logger.propagate = True


@pytest.mark.parametrize(
    ("debug", "preset", "level"),
    [
        (False, None, logging.NOTSET),
        (True, None, logging.DEBUG),
        (True, logging.WARNING, logging.WARNING),
    ],
)
def test_debug_level(fw: FW, debug: bool, preset: int | None, level: int) -> None:
    app = fw.app(debug=debug)
    if preset is not None:
        logging.getLogger(app.name).setLevel(preset)
    assert app.logger.level == level
    assert app.logger.isEnabledFor(logging.DEBUG) == (level == logging.DEBUG)


def test_default_handler_format_matches_flask() -> None:
    erlen_fmt = erlen.logging.default_handler.formatter
    flask_fmt = flask.logging.default_handler.formatter
    assert erlen_fmt is not None and flask_fmt is not None
    assert erlen_fmt._fmt == flask_fmt._fmt


def test_wsgi_errors_stream_outside_request(fw: FW) -> None:
    assert fw.logging.wsgi_errors_stream._get_current_object() is sys.stderr


def test_logs_to_wsgi_errors(fw: FW) -> None:
    app = fw.app(debug=True)
    stream = io.StringIO()

    @app.route("/")
    def index() -> str:
        fw.mod.current_app.logger.debug("debug %s", "line")
        app.logger.warning("careful")
        return "ok"

    with app.test_request_context(errors_stream=stream):
        assert fw.logging.wsgi_errors_stream._get_current_object() is stream
    with bare_root():
        response = app.test_client().get("/", errors_stream=stream)
    assert response.data == b"ok"
    lines = stream.getvalue().splitlines()
    assert len(lines) == 2
    assert lines[0].endswith("] DEBUG in test_logging: debug line")
    assert lines[1].endswith("] WARNING in test_logging: careful")
    assert lines[0].startswith("[")


def test_unhandled_exception_logged(fw: FW) -> None:
    app = fw.app(PROPAGATE_EXCEPTIONS=False)
    stream = io.StringIO()

    @app.post("/fail")
    def fail() -> str:
        raise ValueError("kaputt")

    with bare_root():
        response = app.test_client().post("/fail", errors_stream=stream)
    assert response.status_code == 500
    output = stream.getvalue()
    assert "ERROR in app: Exception on /fail [POST]" in output
    assert "Traceback (most recent call last):" in output
    assert "ValueError: kaputt" in output


def test_log_exception_record(fw: FW, caplog: pytest.LogCaptureFixture) -> None:
    app = fw.app(PROPAGATE_EXCEPTIONS=False)

    @app.route("/fail")
    def fail() -> str:
        raise KeyError("k")

    with caplog.at_level(logging.ERROR, logger=app.name):
        assert app.test_client().get("/fail?x=1").status_code == 500
    records = [r for r in caplog.records if r.name == app.name]
    assert len(records) == 1
    record = records[0]
    assert record.levelno == logging.ERROR
    assert record.getMessage() == "Exception on /fail [GET]"
    assert record.exc_info is not None and record.exc_info[0] is KeyError


def test_handled_and_propagated_exceptions_not_logged(
    fw: FW, caplog: pytest.LogCaptureFixture
) -> None:
    app = fw.app()
    app.testing = True

    @app.route("/fail")
    def fail() -> str:
        raise KeyError("k")

    @app.route("/abort")
    def do_abort() -> t.Any:
        fw.mod.abort(400)

    with caplog.at_level(logging.DEBUG, logger=app.name):
        with pytest.raises(KeyError):
            app.test_client().get("/fail")
        assert app.test_client().get("/abort").status_code == 400
    assert [r for r in caplog.records if r.name == app.name] == []
