"""``request.cookies`` is Werkzeug's (Flask's) parse of the Cookie header, fast path or not."""

from __future__ import annotations

import random

import flask
import pytest

import erlen

HEADERS = [
    "",
    "session=abc.def-_",
    "a=1; b=2; a=3",
    "a=; b==x=; c=é",
    "a=1;b=2",
    "a=1; ; b=2",
    "=x; a=1",
    "flag; a=1",
    'a="q\\"u\\054o"; b=1',
    "a=1 ; b=2",
    " a=1",
    "a=1;",
    "a=1; b=2 ",
    "a\t=1",
    "a=1; b=x y",
]


def _both(header: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    env = {"HTTP_COOKIE": header}
    e_app, f_app = erlen.Erlen(__name__), flask.Flask(__name__)
    with e_app.test_request_context(environ_base=env):
        e = list(erlen.request.cookies.items(multi=True))
        assert type(erlen.request.cookies) is e_app.request_class.dict_storage_class
    with f_app.test_request_context(environ_base=env):
        f = list(flask.request.cookies.items(multi=True))
    return e, f


@pytest.mark.parametrize("header", HEADERS)
def test_cookie_header_matches_flask(header: str) -> None:
    e, f = _both(header)
    assert e == f


def test_cookie_header_fuzz_matches_flask() -> None:
    rng = random.Random(7)
    alphabet = 'ab=; \t"\\,é1'
    for _ in range(300):
        header = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14)))
        e, f = _both(header)
        assert e == f, header


def test_custom_dict_storage_class_is_used() -> None:
    from werkzeug.datastructures import ImmutableMultiDict

    class Cookies(ImmutableMultiDict):  # type: ignore[type-arg]
        pass

    class Request(erlen.Request):
        dict_storage_class = Cookies

    app = erlen.Erlen(__name__)
    app.request_class = Request
    with app.test_request_context(environ_base={"HTTP_COOKIE": "a=1; a=2"}):
        assert type(erlen.request.cookies) is Cookies
        assert erlen.request.cookies.getlist("a") == ["1", "2"]
