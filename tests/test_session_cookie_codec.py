"""The session cookie erlen writes is byte-for-byte Flask's, and each reads the other's.

erlen signs and verifies the default session cookie without itsdangerous' objects; these
tests pin the result to Flask 3.1's (same secret key, same clock) for plain and tagged
values, compressed and uncompressed payloads, key rotation and custom serializers.
"""

from __future__ import annotations

import typing as t
import uuid
from datetime import datetime
from datetime import timezone

import flask
import pytest
from markupsafe import Markup

import erlen
from erlen.json.tag import JSONTag
from erlen.json.tag import TaggedJSONSerializer
from erlen.sessions import SecureCookieSessionInterface

FROZEN = 1_700_000_000

VALUES: list[dict[str, t.Any]] = [
    {"count": 1},
    {"a": "ü", "b": 1.5, "c": None, "d": True, "e": [1, "x", {"y": None}]},
    {" t": 1},
    {"x": {" t": [1, 2]}},
    {"x": {" di": "y"}},
    {"x": " t", "y": "\u00a0 b", " z": "space key"},
    {"t": (1, 2), "b": b"\x00\xff", "m": Markup("<b>"), "u": uuid.UUID(int=5)},
    {"d": datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone.utc)},
    {"long": "abc" * 400},
    {"n": [[[]]], "k": {"": ""}},
    {"esc": "quote \" back \\ slash \n"},
]


def _apps(**config: t.Any) -> tuple[erlen.Erlen, t.Any]:
    """An erlen app and a Flask app with the same config (the Flask one typed loosely)."""
    out: list[t.Any] = []
    for module in (erlen, flask):
        app = module.Erlen(__name__) if module is erlen else module.Flask(__name__)
        app.config.update(SECRET_KEY="secret", **config)

        out.append(app)
    return t.cast(erlen.Erlen, out[0]), out[1]


def _cookie_interface(app: erlen.Erlen) -> SecureCookieSessionInterface:
    """The app's session interface, which is the signed-cookie one here."""
    iface = app.session_interface
    assert isinstance(iface, SecureCookieSessionInterface)
    return iface


@pytest.fixture
def frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("time.time", lambda: float(FROZEN))


@pytest.mark.parametrize("value", VALUES)
def test_cookie_bytes_match_flask(frozen: None, value: dict[str, t.Any]) -> None:
    e_app, f_app = _apps()
    with e_app.test_request_context():
        iface = _cookie_interface(e_app)
        e_cookie = iface.get_signing_serializer(e_app)
        assert e_cookie is not None
        resp_e = e_app.response_class()
        sess = iface.session_class(value)
        sess.modified = True
        iface.save_session(e_app, sess, resp_e)
    with f_app.test_request_context():
        resp_f = f_app.response_class()
        fsess = f_app.session_interface.session_class(value)
        fsess.modified = True
        f_app.session_interface.save_session(f_app, fsess, resp_f)
    assert resp_e.headers.getlist("Set-Cookie") == resp_f.headers.getlist("Set-Cookie")
    assert resp_e.headers.getlist("Vary") == resp_f.headers.getlist("Vary")


@pytest.mark.parametrize("value", VALUES)
@pytest.mark.parametrize("direction", ["flask->erlen", "erlen->flask"])
def test_cookies_read_across(value: dict[str, t.Any], direction: str) -> None:
    e_app, f_app = _apps(SECRET_KEY_FALLBACKS=["old"])
    writer: t.Any
    reader: t.Any
    writer, reader = (f_app, e_app) if direction == "flask->erlen" else (e_app, f_app)
    with writer.test_request_context():
        signer = writer.session_interface.get_signing_serializer(writer)
        cookie = signer.dumps(value)
    with reader.test_request_context(headers={"Cookie": f"session={cookie}"}):
        opened = reader.session_interface.open_session(reader, reader.request_class(
            flask.request.environ if reader is f_app else erlen.request.environ
        ))
        assert opened is not None
        assert dict(opened) == value
        for k, v in value.items():
            assert type(opened[k]) is type(v)


def test_fallback_key_and_tampering() -> None:
    old_app, _ = _apps()
    old_app.config["SECRET_KEY"] = "old"
    client = old_app.test_client()

    @old_app.route("/set")
    def set_() -> str:
        erlen.session["k"] = "v"
        return ""

    @old_app.route("/get")
    def get() -> str:
        return repr(erlen.session.get("k"))

    client.get("/set")
    cookie = client.get_cookie("session")
    assert cookie is not None
    new_app, _ = _apps(SECRET_KEY_FALLBACKS=["old"])
    new_app.add_url_rule("/get", view_func=get)
    c2 = new_app.test_client()
    c2.set_cookie("session", cookie.value)
    assert c2.get("/get").get_data() == b"'v'"
    for bad in (cookie.value[:-1], cookie.value + "x", "é" + cookie.value, cookie.value.replace(".", "", 1)):
        c2.set_cookie("session", bad)
        assert c2.get("/get").get_data() == b"None"


def test_expired_and_future_cookies(monkeypatch: pytest.MonkeyPatch) -> None:
    app, _ = _apps()

    @app.route("/get")
    def get() -> str:
        return repr(erlen.session.get("k"))

    with app.test_request_context():
        signer = _cookie_interface(app).get_signing_serializer(app)
        assert signer is not None
        monkeypatch.setattr("time.time", lambda: float(FROZEN))
        cookie = signer.dumps({"k": 1})
    client = app.test_client()
    client.set_cookie("session", cookie)
    lifetime = int(app.permanent_session_lifetime.total_seconds())
    for now, expected in ((FROZEN, b"1"), (FROZEN + lifetime, b"1"), (FROZEN + lifetime + 1, b"None"), (FROZEN - 1, b"None")):
        monkeypatch.setattr("time.time", lambda now=now: float(now))
        assert client.get("/get").get_data() == expected


class TagSet(JSONTag):
    __slots__ = ()
    key = " s"

    def check(self, value: t.Any) -> bool:
        return isinstance(value, set)

    def to_json(self, value: t.Any) -> t.Any:
        return sorted(value)

    def to_python(self, value: t.Any) -> t.Any:
        return set(value)


class TagStr(JSONTag):
    """A tag that claims plain strings: the plain-JSON shortcut must not bypass it."""

    __slots__ = ()
    key = "str"

    def check(self, value: t.Any) -> bool:
        return type(value) is str

    def to_json(self, value: t.Any) -> t.Any:
        return value[::-1]

    def to_python(self, value: t.Any) -> t.Any:
        return value[::-1]


def test_custom_tags_round_trip() -> None:
    s = TaggedJSONSerializer()
    s.register(TagSet)
    s.register(TagStr, index=0)
    value = {"a": "abc", "s": {1, 2}}
    dumped = s.dumps(value)
    assert '"str"' in dumped and "cba" in dumped
    assert s.loads(dumped) == value
    plain = TaggedJSONSerializer()
    assert plain.loads(plain.dumps({"a": "abc"})) == {"a": "abc"}
    assert plain.dumps({"a": "abc"}) == '{"a":"abc"}'
    # A tag key written with a \u escape is still untagged.
    assert plain.loads('{"x": {"\\u0020t": [1]}}') == {"x": (1,)}
    assert plain.loads('{"\\u0020t": [1]}') == (1,)
