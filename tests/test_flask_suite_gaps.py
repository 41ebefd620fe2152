"""Behaviours Flask's own test suite (scripts/flask-suite) found missing, compared with Flask."""

from __future__ import annotations

import typing as t

import flask
import flask.debughelpers
import flask.templating
import pytest

import erlen
import erlen.debughelpers
import erlen.templating

FRAMEWORKS = {
    "erlen": (erlen.Erlen, erlen.templating.Environment, erlen.debughelpers.DebugFilesKeyError),
    "flask": (flask.Flask, flask.templating.Environment, flask.debughelpers.DebugFilesKeyError),
}


@pytest.fixture(params=sorted(FRAMEWORKS))
def fw(request: pytest.FixtureRequest) -> tuple[t.Any, t.Any, t.Any]:
    return FRAMEWORKS[request.param]


def test_jinja_environment_class(fw: tuple[t.Any, t.Any, t.Any]) -> None:
    app_class, environment, _ = fw

    class CustomEnvironment(environment):  # type: ignore[misc,valid-type]
        pass

    class CustomApp(app_class):  # type: ignore[misc,valid-type]
        jinja_environment = CustomEnvironment

    app = CustomApp(__name__)
    assert type(app.jinja_env) is CustomEnvironment
    assert app.jinja_environment is CustomEnvironment


def test_files_key_error_explains_the_enctype_in_debug(fw: tuple[t.Any, t.Any, t.Any]) -> None:
    app_class, _, error = fw
    app = app_class(__name__)

    def upload() -> str:
        return flask_request(app).files["doc"].filename  # type: ignore[no-any-return]

    app.add_url_rule("/upload", view_func=upload, methods=["POST"])

    client = app.test_client()
    # not in debug: the usual 400
    assert client.post("/upload", data={"doc": "report.pdf"}).status_code == 400
    app.debug = True
    with pytest.raises(error) as info:
        client.post("/upload", data={"doc": "report.pdf"})
    assert isinstance(info.value, KeyError)
    message = str(info.value)
    assert "no file contents were transmitted" in message
    assert "This was submitted: 'report.pdf'" in message
    # a key that was not sent at all stays a plain 400 error
    with pytest.raises(KeyError) as plain:
        app.test_client().post("/upload", data={"other": "x"})
    assert not isinstance(plain.value, error)


def flask_request(app: t.Any) -> t.Any:
    """The ``request`` proxy of the app's framework."""
    return erlen.request if isinstance(app, erlen.Erlen) else flask.request
