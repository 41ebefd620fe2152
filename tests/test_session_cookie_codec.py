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


def _both(e_app: erlen.Erlen, f_app: t.Any) -> list[t.Any]:
    """The two apps, typed loosely so one loop body can drive both."""
    return [e_app, f_app]


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


class _FixedDatetime(datetime):
    @classmethod
    def now(cls, tz: t.Any = None) -> _FixedDatetime:
        return cls.fromtimestamp(FROZEN, tz)


def _save_both(
    config: dict[str, t.Any],
    value: dict[str, t.Any],
    *,
    modified: bool = True,
    accessed: bool = True,
    vary: str | None = None,
) -> tuple[t.Any, t.Any]:
    """Save the same session with erlen and Flask; the two responses' headers."""
    e_app, f_app = _apps(**config)
    out = []
    for app in _both(e_app, f_app):
        with app.test_request_context():
            resp = app.response_class()
            if vary is not None:
                resp.headers["Vary"] = vary
            sess = app.session_interface.session_class(value)
            sess.modified = modified
            sess.accessed = accessed
            app.session_interface.save_session(app, sess, resp)
            out.append(resp.headers)
    return out[0], out[1]


COOKIE_CONFIGS: list[dict[str, t.Any]] = [
    {},
    {"SESSION_COOKIE_DOMAIN": "example.com", "SESSION_COOKIE_SECURE": True},
    {"SESSION_COOKIE_DOMAIN": ".Bücher.example:8080", "SESSION_COOKIE_HTTPONLY": False},
    {"SESSION_COOKIE_PATH": "/a b;c/ü", "SESSION_COOKIE_SAMESITE": "lax"},
    {"APPLICATION_ROOT": "/root", "SESSION_COOKIE_SAMESITE": "Strict"},
    {"SESSION_COOKIE_SAMESITE": "None", "SESSION_COOKIE_PARTITIONED": True},
    {"SESSION_COOKIE_NAME": "sé ss"},
    {"SESSION_COOKIE_PARTITIONED": True, "SESSION_COOKIE_SECURE": False},
]


@pytest.mark.parametrize("config", COOKIE_CONFIGS)
@pytest.mark.parametrize("permanent", [False, True])
@pytest.mark.parametrize("accessed", [False, True])
@pytest.mark.parametrize("vary", [None, "Accept", "cookie"])
def test_set_cookie_attributes_match_flask(
    frozen: None,
    monkeypatch: pytest.MonkeyPatch,
    config: dict[str, t.Any],
    permanent: bool,
    accessed: bool,
    vary: str | None,
) -> None:
    monkeypatch.setattr("flask.sessions.datetime", _FixedDatetime)
    monkeypatch.setattr("erlen.sessions.datetime", _FixedDatetime)
    value: dict[str, t.Any] = {"count": 3, "_permanent": True} if permanent else {"count": 3}
    e_headers, f_headers = _save_both(config, value, accessed=accessed, vary=vary)
    assert e_headers.to_wsgi_list() == f_headers.to_wsgi_list()


@pytest.mark.parametrize("refresh", [False, True])
@pytest.mark.parametrize("permanent", [False, True])
def test_unmodified_session_matches_flask(
    frozen: None, monkeypatch: pytest.MonkeyPatch, refresh: bool, permanent: bool
) -> None:
    monkeypatch.setattr("flask.sessions.datetime", _FixedDatetime)
    monkeypatch.setattr("erlen.sessions.datetime", _FixedDatetime)
    value: dict[str, t.Any] = {"a": 1, "_permanent": permanent}
    e_headers, f_headers = _save_both(
        {"SESSION_REFRESH_EACH_REQUEST": refresh}, value, modified=False
    )
    assert e_headers.to_wsgi_list() == f_headers.to_wsgi_list()


def test_bad_samesite_raises_like_flask() -> None:
    for module_app in _both(*_apps(SESSION_COOKIE_SAMESITE="sometimes")):
        with module_app.test_request_context():
            sess = module_app.session_interface.session_class({"a": 1})
            sess.modified = True
            with pytest.raises(ValueError, match="SameSite"):
                module_app.session_interface.save_session(
                    module_app, sess, module_app.response_class()
                )


def test_oversized_cookie_warns_like_flask(frozen: None) -> None:
    value = {"x": "y" * 50}
    warned = []
    for app in _both(*_apps(MAX_COOKIE_SIZE=60)):
        with app.test_request_context(), pytest.warns(UserWarning) as record:
            resp = app.response_class()
            sess = app.session_interface.session_class(value)
            sess.modified = True
            app.session_interface.save_session(app, sess, resp)
        warned.append(([str(w.message) for w in record], resp.headers.to_wsgi_list()))
    assert warned[0] == warned[1]


def test_overrides_are_honoured(frozen: None) -> None:
    """A response overriding set_cookie, an interface overriding a getter: both used."""
    calls: list[str] = []

    class MyResponse(erlen.Response):
        def set_cookie(self, key: str, *args: t.Any, **kwargs: t.Any) -> None:
            calls.append(key)
            super().set_cookie(key, *args, **kwargs)

    class MyInterface(erlen.sessions.SecureCookieSessionInterface):
        def get_cookie_path(self, app: t.Any) -> str:
            return "/custom"

    app, _ = _apps()
    app.response_class = MyResponse
    app.session_interface = MyInterface()

    @app.route("/")
    def index() -> str:
        erlen.session["a"] = 1
        return ""

    resp = app.test_client().get("/")
    assert calls == ["session"]
    assert "Path=/custom" in resp.headers["Set-Cookie"]


@pytest.mark.parametrize(
    "provider_attrs", [{}, {"sort_keys": False}, {"ensure_ascii": False}]
)
def test_json_provider_settings_apply(frozen: None, provider_attrs: dict[str, t.Any]) -> None:
    value = {"z": "ü", "a": 1}
    e_app, f_app = _apps()
    for app in _both(e_app, f_app):
        for name, attr in provider_attrs.items():
            setattr(app.json, name, attr)
    headers = []
    for app in _both(e_app, f_app):
        with app.test_request_context():
            resp = app.response_class()
            sess = app.session_interface.session_class(value)
            sess.modified = True
            app.session_interface.save_session(app, sess, resp)
            headers.append(resp.headers.getlist("Set-Cookie"))
    assert headers[0] == headers[1]


def test_custom_provider_dumps_is_used(frozen: None) -> None:
    from erlen.json.provider import DefaultJSONProvider

    class Provider(DefaultJSONProvider):
        def dumps(self, obj: t.Any, **kwargs: t.Any) -> str:
            kwargs["sort_keys"] = False
            return super().dumps(obj, **kwargs)

        def loads(self, s: str | bytes, **kwargs: t.Any) -> t.Any:
            data = super().loads(s, **kwargs)
            if isinstance(data, dict):
                data["loaded"] = True
            return data

    app, _ = _apps()
    app.json = Provider(app)
    with app.test_request_context():
        serializer = app.session_interface.serializer  # type: ignore[attr-defined]
        assert serializer.dumps({"b": 1, "a": 2}) == '{"b":1,"a":2}'
        assert serializer.loads('{"x":1}') == {"x": 1, "loaded": True}


def test_small_and_repetitive_payloads_match_flask(frozen: None) -> None:
    """Tiny sessions (where compression is skipped when it cannot help) and repetitive ones."""
    import random

    rng = random.Random(3)
    values: list[dict[str, t.Any]] = [{}, {"a": 1}, {"a": "aaaa"}, {"a": "aaaaaaa"}, {"": ""}]
    for _ in range(300):
        alphabet = rng.choice(["a", "ab", "abc", "xyz01", "€ü"])
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 16)))
        values.append({rng.choice(["a", "k", "count"]): text})
        values.append({"n": rng.randint(0, 10**rng.randint(0, 6))})
    e_app, f_app = _apps()
    for value in values:
        cookies = []
        for app in _both(e_app, f_app):
            with app.test_request_context():
                resp = app.response_class()
                sess = app.session_interface.session_class(value)
                sess["_"] = 0
                del sess["_"]
                app.session_interface.save_session(app, sess, resp)
                cookies.append(resp.headers.getlist("Set-Cookie"))
        assert cookies[0] == cookies[1], value


def test_timestamp_follows_the_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """The signature's timestamp is the current second on every save (not a stale one)."""
    e_app, f_app = _apps()
    for now in (FROZEN, FROZEN + 1, FROZEN + 1, FROZEN + 86_400):
        monkeypatch.setattr("time.time", lambda now=now: float(now))
        cookies = []
        for app in _both(e_app, f_app):
            with app.test_request_context():
                resp = app.response_class()
                sess = app.session_interface.session_class({"a": 1})
                sess.modified = True
                app.session_interface.save_session(app, sess, resp)
                cookies.append(resp.headers.getlist("Set-Cookie"))
        assert cookies[0] == cookies[1]
