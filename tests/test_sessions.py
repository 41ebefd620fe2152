"""Tests for erlen.sessions.

The unit part drives the session classes and interfaces directly and compares them with
Flask's (same inputs, same secret, frozen clock: same cookies, flags and ``Vary``). The app
part runs the same views on a real Flask app and on an erlen app through their test clients
and compares what the client sees, then swaps cookies between the two.
"""

from __future__ import annotations

import typing as t
from collections.abc import Callable
from collections.abc import Iterator
from datetime import datetime
from datetime import timedelta
from datetime import timezone
from http.cookies import SimpleCookie

import flask
import flask.sessions
import pytest
from itsdangerous import URLSafeTimedSerializer
from werkzeug.http import parse_date
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request
from werkzeug.wrappers import Response

import erlen
from erlen.config import Config
from erlen.config import ConfigAttribute
from erlen.json.tag import TaggedJSONSerializer
from erlen.sessions import NullSession
from erlen.sessions import SecureCookieSession
from erlen.sessions import SecureCookieSessionInterface
from erlen.sessions import SessionInterface
from erlen.sessions import SessionMixin

FROZEN = 1_700_000_000  # seconds since the epoch: 2023-11-14 22:13:20 UTC
LIFETIME = timedelta(days=31)


@pytest.fixture
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> Callable[[float], None]:
    """Freeze ``time.time`` (read by itsdangerous for signing and expiry) at ``FROZEN``."""
    now = [float(FROZEN)]
    monkeypatch.setattr("time.time", lambda: now[0])

    def move_to(value: float) -> None:
        now[0] = value

    return move_to


def _to_timedelta(value: t.Any) -> timedelta:
    return value if isinstance(value, timedelta) else timedelta(seconds=value)


class FakeApp:
    """The parts of an app a session interface reads."""

    secret_key = ConfigAttribute["str | bytes | None"]("SECRET_KEY")
    permanent_session_lifetime = ConfigAttribute[timedelta](
        "PERMANENT_SESSION_LIFETIME", get_converter=_to_timedelta
    )

    def __init__(self, **config: t.Any) -> None:
        self.config = Config(
            "/",
            {
                "SECRET_KEY": "secret",
                "SECRET_KEY_FALLBACKS": None,
                "PERMANENT_SESSION_LIFETIME": LIFETIME,
                "APPLICATION_ROOT": "/",
                "SESSION_COOKIE_NAME": "session",
                "SESSION_COOKIE_DOMAIN": None,
                "SESSION_COOKIE_PATH": None,
                "SESSION_COOKIE_HTTPONLY": True,
                "SESSION_COOKIE_SECURE": False,
                "SESSION_COOKIE_PARTITIONED": False,
                "SESSION_COOKIE_SAMESITE": None,
                "SESSION_REFRESH_EACH_REQUEST": True,
            },
        )
        self.config.update(config)


def _app(**config: t.Any) -> t.Any:
    return FakeApp(**config)


def _request(cookie: str | None = None, name: str = "session") -> Request:
    headers = [("Cookie", f"{name}={cookie}")] if cookie is not None else []
    return Request(EnvironBuilder(headers=headers).get_environ())


def _sign(data: dict[str, t.Any], *keys: str) -> str:
    """Sign ``data`` the way Flask does, with Flask's own interface and serializer."""
    app = _app(SECRET_KEY=keys[-1], SECRET_KEY_FALLBACKS=list(keys[:-1]) or None)
    signer = flask.sessions.SecureCookieSessionInterface().get_signing_serializer(app)
    assert signer is not None
    return signer.dumps(data)


# --- session objects -----------------------------------------------------------------


class PlainSession(dict[str, t.Any], SessionMixin):
    pass


def test_session_mixin_defaults() -> None:
    session = PlainSession()
    assert session.new is False
    assert session.modified is True
    assert session.accessed is False
    assert (SessionMixin.new, SessionMixin.modified, SessionMixin.accessed) == (
        flask.sessions.SessionMixin.new,
        flask.sessions.SessionMixin.modified,
        flask.sessions.SessionMixin.accessed,
    )
    assert session.permanent is False
    assert "_permanent" not in session
    session.permanent = 1  # type: ignore[assignment]
    assert session["_permanent"] is True
    assert session.permanent is True
    session.permanent = False
    assert session == {"_permanent": False}


def _op_setitem(s: t.Any) -> None:
    s["b"] = 2


def _op_setitem_same(s: t.Any) -> None:
    s["a"] = 1


def _op_delitem(s: t.Any) -> None:
    del s["a"]


def _op_setdefault_new(s: t.Any) -> None:
    s.setdefault("b", 2)


def _op_setdefault_existing(s: t.Any) -> None:
    s.setdefault("a", 2)


def _op_permanent_set(s: t.Any) -> None:
    s.permanent = True


SESSION_OPS: dict[str, Callable[[t.Any], object]] = {
    "getitem": lambda s: s["a"],
    "get": lambda s: s.get("a"),
    "get-missing": lambda s: s.get("zzz"),
    "contains": lambda s: "a" in s,
    "len": len,
    "iter": list,
    "keys": lambda s: list(s.keys()),
    "items": lambda s: list(s.items()),
    "bool": bool,
    "copy": lambda s: s.copy(),
    "dict": dict,
    "permanent-get": lambda s: s.permanent,
    "setitem": _op_setitem,
    "setitem-same": _op_setitem_same,
    "delitem": _op_delitem,
    "pop": lambda s: s.pop("a"),
    "pop-missing-default": lambda s: s.pop("zzz", None),
    "popitem": lambda s: s.popitem(),
    "clear": lambda s: s.clear(),
    "update": lambda s: s.update(b=2),
    "update-empty": lambda s: s.update(),
    "setdefault-new": _op_setdefault_new,
    "setdefault-existing": _op_setdefault_existing,
    "permanent-set": _op_permanent_set,
}


@pytest.mark.parametrize("op", list(SESSION_OPS))
def test_secure_cookie_session_tracking_matches_flask(op: str) -> None:
    ours = SecureCookieSession({"a": 1})
    theirs = flask.sessions.SecureCookieSession({"a": 1})
    assert (ours.modified, ours.accessed, ours.new) == (False, False, False)
    ours_rv = SESSION_OPS[op](ours)
    theirs_rv = SESSION_OPS[op](theirs)
    assert ours_rv == theirs_rv
    assert dict(ours) == dict(theirs)
    assert (ours.modified, ours.accessed) == (theirs.modified, theirs.accessed)


@pytest.mark.parametrize("initial", [None, {"a": 1}, [("a", 1), ("b", 2)]])
def test_secure_cookie_session_initial(initial: t.Any) -> None:
    session = SecureCookieSession(initial)
    assert dict(session) == dict(initial or {})
    assert session.modified is False
    assert isinstance(session, dict)
    assert isinstance(session, SessionMixin)


NULL_WRITES: dict[str, Callable[[NullSession], object]] = {
    "setitem": lambda s: s.__setitem__("a", 1),
    "delitem": lambda s: s.__delitem__("a"),
    "clear": lambda s: s.clear(),
    "pop": lambda s: s.pop("a", None),
    "popitem": lambda s: s.popitem(),
    "update": lambda s: s.update(a=1),
    "setdefault": lambda s: s.setdefault("a", 1),
    "permanent": lambda s: setattr(s, "permanent", True),
}


@pytest.mark.parametrize("op", list(NULL_WRITES))
def test_null_session_refuses_writes(op: str) -> None:
    with pytest.raises(RuntimeError) as ours_info:
        NULL_WRITES[op](NullSession())
    with pytest.raises(RuntimeError) as theirs_info:
        NULL_WRITES[op](flask.sessions.NullSession())  # type: ignore[arg-type]
    assert str(ours_info.value).startswith(
        "The session is unavailable because no secret key was set."
    )
    assert str(ours_info.value) == str(theirs_info.value)


def test_null_session_reads() -> None:
    session = NullSession()
    assert session.get("a") is None
    assert "a" not in session
    assert len(session) == 0
    assert session.permanent is False
    assert session.modified is False


# --- SessionInterface ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("config", "method", "expected"),
    [
        ({}, "get_cookie_name", "session"),
        ({"SESSION_COOKIE_NAME": "sid"}, "get_cookie_name", "sid"),
        ({}, "get_cookie_domain", None),
        ({"SESSION_COOKIE_DOMAIN": "example.com"}, "get_cookie_domain", "example.com"),
        ({"SESSION_COOKIE_DOMAIN": False}, "get_cookie_domain", False),
        ({}, "get_cookie_path", "/"),
        ({"APPLICATION_ROOT": "/app"}, "get_cookie_path", "/app"),
        (
            {"APPLICATION_ROOT": "/app", "SESSION_COOKIE_PATH": "/p"},
            "get_cookie_path",
            "/p",
        ),
        ({"SESSION_COOKIE_PATH": ""}, "get_cookie_path", "/"),
        ({}, "get_cookie_httponly", True),
        ({"SESSION_COOKIE_HTTPONLY": False}, "get_cookie_httponly", False),
        ({}, "get_cookie_secure", False),
        ({"SESSION_COOKIE_SECURE": True}, "get_cookie_secure", True),
        ({}, "get_cookie_samesite", None),
        ({"SESSION_COOKIE_SAMESITE": "Lax"}, "get_cookie_samesite", "Lax"),
        ({}, "get_cookie_partitioned", False),
        ({"SESSION_COOKIE_PARTITIONED": True}, "get_cookie_partitioned", True),
    ],
)
def test_cookie_settings(
    config: dict[str, t.Any], method: str, expected: t.Any
) -> None:
    app = _app(**config)
    ours = getattr(SessionInterface(), method)(app)
    assert ours == expected
    assert ours == getattr(flask.sessions.SessionInterface(), method)(app)


@pytest.mark.parametrize(
    ("modified", "permanent", "refresh", "expected"),
    [
        (False, False, True, False),
        (True, False, True, True),
        (False, True, True, True),
        (False, True, False, False),
        (True, True, False, True),
        (True, False, False, True),
    ],
)
def test_should_set_cookie(
    modified: bool, permanent: bool, refresh: bool, expected: bool
) -> None:
    app = _app(SESSION_REFRESH_EACH_REQUEST=refresh)
    session = SecureCookieSession({"_permanent": True} if permanent else {})
    session.modified = modified
    assert SessionInterface().should_set_cookie(app, session) is expected


@pytest.mark.parametrize("lifetime", [timedelta(days=31), timedelta(seconds=90), 600])
def test_expiration_time(lifetime: t.Any) -> None:
    app = _app(PERMANENT_SESSION_LIFETIME=lifetime)
    interface = SessionInterface()
    assert interface.get_expiration_time(app, SecureCookieSession()) is None
    before = datetime.now(timezone.utc)
    expires = interface.get_expiration_time(
        app, SecureCookieSession({"_permanent": True})
    )
    after = datetime.now(timezone.utc)
    assert expires is not None
    assert expires.tzinfo is not None
    assert (
        before + _to_timedelta(lifetime) <= expires <= after + _to_timedelta(lifetime)
    )


def test_null_session_helpers() -> None:
    interface = SessionInterface()
    app = _app()
    null = interface.make_null_session(app)
    assert type(null) is NullSession
    assert interface.is_null_session(null)
    assert not interface.is_null_session(SecureCookieSession())
    assert interface.pickle_based is False

    class MyNull(NullSession):
        pass

    class MyInterface(SessionInterface):
        null_session_class = MyNull

    assert type(MyInterface().make_null_session(app)) is MyNull


def test_base_interface_is_abstract() -> None:
    interface = SessionInterface()
    with pytest.raises(NotImplementedError):
        interface.open_session(_app(), t.cast(t.Any, _request()))
    with pytest.raises(NotImplementedError):
        interface.save_session(_app(), SecureCookieSession(), t.cast(t.Any, Response()))


# --- SecureCookieSessionInterface: signing and opening ---------------------------


def test_interface_defaults() -> None:
    interface = SecureCookieSessionInterface()
    assert interface.salt == "cookie-session"
    assert interface.key_derivation == "hmac"
    assert interface.digest_method().name == "sha1"
    assert (
        interface.digest_method(b"abc").hexdigest()
        == "a9993e364706816aba3e25717850c26c9cd0d89d"
    )
    assert isinstance(interface.serializer, TaggedJSONSerializer)
    assert interface.session_class is SecureCookieSession
    assert interface.null_session_class is NullSession


@pytest.mark.parametrize("key", [None, ""])
def test_no_secret_key(key: str | None) -> None:
    app = _app(SECRET_KEY=key)
    interface = SecureCookieSessionInterface()
    assert interface.get_signing_serializer(app) is None
    assert (
        interface.open_session(app, t.cast(t.Any, _request(_sign({"a": 1}, "secret"))))
        is None
    )


@pytest.mark.parametrize(
    ("secret", "fallbacks"),
    [
        ("new", None),
        ("new", []),
        ("new", ["old"]),
        ("new", ["older", "old"]),
        (b"bytes-key", [b"old"]),
    ],
)
def test_signing_serializer_matches_flask(
    frozen_clock: object, secret: str | bytes, fallbacks: t.Any
) -> None:
    app = _app(SECRET_KEY=secret, SECRET_KEY_FALLBACKS=fallbacks)
    ours = SecureCookieSessionInterface().get_signing_serializer(app)
    theirs = flask.sessions.SecureCookieSessionInterface().get_signing_serializer(app)
    assert isinstance(ours, URLSafeTimedSerializer)
    assert theirs is not None
    data = {"user": 42, "cart": (1, 2), "_permanent": True}
    # Signed with the newest key (SECRET_KEY), byte-identical to Flask.
    assert ours.dumps(data) == theirs.dumps(data)
    assert ours.loads(theirs.dumps(data)) == data
    # Every fallback key still verifies.
    for old in fallbacks or []:
        old_signer = SecureCookieSessionInterface().get_signing_serializer(
            _app(SECRET_KEY=old)
        )
        assert old_signer is not None
        assert ours.loads(old_signer.dumps({"x": 1})) == {"x": 1}


def test_opening_signs_with_secret_key_not_fallback(frozen_clock: object) -> None:
    app = _app(SECRET_KEY="new", SECRET_KEY_FALLBACKS=["old"])
    signer = SecureCookieSessionInterface().get_signing_serializer(app)
    assert signer is not None
    cookie = signer.dumps({"a": 1})
    assert cookie == _sign({"a": 1}, "new")
    assert cookie != _sign({"a": 1}, "old")


OPEN_CASES: list[tuple[str, str | None, dict[str, t.Any]]] = [
    ("no cookie", None, {}),
    ("empty cookie", "", {}),
    ("valid", _sign({"a": 1, "t": (1, b"x")}, "secret"), {"a": 1, "t": (1, b"x")}),
    (
        "valid, permanent",
        _sign({"_permanent": True, "a": "é"}, "secret"),
        {"_permanent": True, "a": "é"},
    ),
    ("fallback key", _sign({"a": 1}, "old"), {"a": 1}),
    ("unknown key", _sign({"a": 1}, "someone-else"), {}),
    (
        "tampered payload",
        "eyJhIjoyfQ" + _sign({"a": 1}, "secret")[len("eyJhIjoxfQ") :],
        {},
    ),
    ("tampered signature", _sign({"a": 1}, "secret")[:-2] + "AA", {}),
    ("garbage", "not-a-cookie", {}),
    ("only dots", "...", {}),
    ("bad base64", "!!!.!!!.!!!", {}),
]


@pytest.mark.parametrize(
    ("cookie", "expected"),
    [(c, e) for _, c, e in OPEN_CASES],
    ids=[n for n, _, _ in OPEN_CASES],
)
def test_open_session(cookie: str | None, expected: dict[str, t.Any]) -> None:
    app = _app(SECRET_KEY_FALLBACKS=["old"])
    request = _request(cookie)
    ours = SecureCookieSessionInterface().open_session(app, t.cast(t.Any, request))
    theirs = flask.sessions.SecureCookieSessionInterface().open_session(
        app, t.cast(t.Any, request)
    )
    assert isinstance(ours, SecureCookieSession)
    assert theirs is not None
    assert dict(ours) == expected
    assert dict(ours) == dict(theirs)
    assert (ours.modified, ours.accessed, ours.new) == (False, False, False)


def test_open_session_custom_cookie_name() -> None:
    app = _app(SESSION_COOKIE_NAME="sid")
    interface = SecureCookieSessionInterface()
    cookie = _sign({"a": 1}, "secret")
    ours = interface.open_session(app, t.cast(t.Any, _request(cookie, name="sid")))
    assert ours == {"a": 1}
    assert interface.open_session(app, t.cast(t.Any, _request(cookie))) == {}


@pytest.mark.parametrize(
    ("age", "lifetime", "valid"),
    [
        (0, LIFETIME, True),
        (int(LIFETIME.total_seconds()), LIFETIME, True),
        (int(LIFETIME.total_seconds()) + 1, LIFETIME, False),
        (59, 60, True),
        (61, 60, False),
        (61, timedelta(seconds=60.9), False),
    ],
)
def test_open_session_expiry(
    frozen_clock: Callable[[float], None], age: int, lifetime: t.Any, valid: bool
) -> None:
    app = _app(PERMANENT_SESSION_LIFETIME=lifetime)
    cookie = _sign({"a": 1}, "secret")
    frozen_clock(FROZEN + age)
    request = t.cast(t.Any, _request(cookie))
    ours = SecureCookieSessionInterface().open_session(app, request)
    theirs = flask.sessions.SecureCookieSessionInterface().open_session(app, request)
    assert ours == ({"a": 1} if valid else {})
    assert dict(ours or {}) == dict(theirs or {})


def test_custom_session_class_and_serializer() -> None:
    class MySession(SecureCookieSession):
        pass

    class Interface(SecureCookieSessionInterface):
        session_class = MySession
        salt = "other-salt"

    app = _app()
    signer = Interface().get_signing_serializer(app)
    assert signer is not None
    opened = Interface().open_session(
        app, t.cast(t.Any, _request(signer.dumps({"a": 1})))
    )
    assert type(opened) is MySession
    assert opened == {"a": 1}
    # A different salt does not accept the default interface's cookies.
    assert (
        Interface().open_session(
            app, t.cast(t.Any, _request(_sign({"a": 1}, "secret")))
        )
        == {}
    )


# --- SecureCookieSessionInterface: saving ---------------------------------------------


def _session_state(kind: str, cls: type[t.Any]) -> t.Any:
    """Build a session in a given state with the given session class."""
    if kind == "untouched":
        return cls({"a": 1})
    if kind == "untouched-empty":
        return cls()
    if kind == "accessed":
        s = cls({"a": 1})
        s.accessed = True
        return s
    if kind == "modified":
        s = cls({"a": 1})
        s["b"] = (1, b"\x00")
        return s
    if kind == "modified-accessed":
        s = cls({"a": 1})
        s["b"] = 2
        s.accessed = True
        return s
    if kind == "emptied":
        s = cls({"a": 1})
        s.clear()
        return s
    if kind == "emptied-accessed":
        s = cls({"a": 1})
        del s["a"]
        s.accessed = True
        return s
    if kind == "permanent-untouched":
        return cls({"_permanent": True, "a": 1})
    if kind == "permanent-modified":
        s = cls({"a": 1})
        s.permanent = True
        return s
    raise AssertionError(kind)


SAVE_STATES = [
    "untouched",
    "untouched-empty",
    "accessed",
    "modified",
    "modified-accessed",
    "emptied",
    "emptied-accessed",
    "permanent-untouched",
    "permanent-modified",
]

SAVE_CONFIGS: list[dict[str, t.Any]] = [
    {},
    {"SESSION_REFRESH_EACH_REQUEST": False},
    {
        "SESSION_COOKIE_NAME": "sid",
        "SESSION_COOKIE_DOMAIN": "example.com",
        "SESSION_COOKIE_PATH": "/app",
    },
    {"APPLICATION_ROOT": "/root"},
    {
        "SESSION_COOKIE_HTTPONLY": False,
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_SAMESITE": "None",
    },
    {"SESSION_COOKIE_SAMESITE": "Lax"},
    {
        "SESSION_COOKIE_SAMESITE": "Strict",
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_PARTITIONED": True,
    },
    {"PERMANENT_SESSION_LIFETIME": 3600},
]


def _without_expires(header: str) -> tuple[str, datetime | None]:
    parts = [p.strip() for p in header.split(";")]
    expires = [p for p in parts if p.lower().startswith("expires=")]
    rest = "; ".join(p for p in parts if not p.lower().startswith("expires="))
    when = parse_date(expires[0].split("=", 1)[1]) if expires else None
    return rest, when


@pytest.mark.parametrize("config", SAVE_CONFIGS, ids=repr)
@pytest.mark.parametrize("state", SAVE_STATES)
def test_save_session_matches_flask(
    frozen_clock: object, state: str, config: dict[str, t.Any]
) -> None:
    app = _app(**config)
    ours_rv = Response()
    theirs_rv = Response()
    SecureCookieSessionInterface().save_session(
        app, _session_state(state, SecureCookieSession), t.cast(t.Any, ours_rv)
    )
    flask.sessions.SecureCookieSessionInterface().save_session(
        app,
        _session_state(state, flask.sessions.SecureCookieSession),
        t.cast(t.Any, theirs_rv),
    )
    assert ours_rv.headers.get("Vary") == theirs_rv.headers.get("Vary")
    ours_cookies = [_without_expires(h) for h in ours_rv.headers.getlist("Set-Cookie")]
    theirs_cookies = [
        _without_expires(h) for h in theirs_rv.headers.getlist("Set-Cookie")
    ]
    assert [c[0] for c in ours_cookies] == [c[0] for c in theirs_cookies]
    for (_, ours_when), (_, theirs_when) in zip(
        ours_cookies, theirs_cookies, strict=True
    ):
        if ours_when is None or theirs_when is None:
            assert ours_when is theirs_when
        else:
            assert abs(ours_when - theirs_when) <= timedelta(seconds=2)


@pytest.mark.parametrize(
    ("state", "set_cookie", "vary"),
    [
        ("untouched", False, None),
        ("untouched-empty", False, None),
        ("accessed", False, "Cookie"),
        ("modified", True, "Cookie"),
        ("emptied", True, "Cookie"),
        ("permanent-untouched", True, "Cookie"),
    ],
)
def test_save_session_outcomes(
    frozen_clock: object, state: str, set_cookie: bool, vary: str | None
) -> None:
    response = Response()
    session = _session_state(state, SecureCookieSession)
    SecureCookieSessionInterface().save_session(
        _app(), session, t.cast(t.Any, response)
    )
    assert bool(response.headers.getlist("Set-Cookie")) is set_cookie
    assert response.headers.get("Vary") == vary


def test_save_session_cookie_content(frozen_clock: object) -> None:
    app = _app(
        SESSION_COOKIE_DOMAIN="example.com",
        SESSION_COOKIE_PATH="/app",
        SESSION_COOKIE_SECURE=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_PARTITIONED=True,
        PERMANENT_SESSION_LIFETIME=timedelta(hours=1),
    )
    session = SecureCookieSession({"user": "ü"})
    session.permanent = True
    response = Response()
    response.vary.add("Accept")
    SecureCookieSessionInterface().save_session(app, session, t.cast(t.Any, response))
    header = response.headers["Set-Cookie"]
    cookie = SimpleCookie()
    cookie.load(header.replace("; Partitioned", ""))
    value = cookie["session"].value
    assert value == _sign({"user": "ü", "_permanent": True}, "secret")
    assert "Domain=example.com" in header
    assert "Path=/app" in header
    assert "Secure" in header
    assert "HttpOnly" in header
    assert "SameSite=Lax" in header
    assert header.endswith("Partitioned")
    rest, expires = _without_expires(header)
    assert expires is not None
    assert abs(expires - (datetime.now(timezone.utc) + timedelta(hours=1))) < timedelta(
        seconds=5
    )
    assert response.headers["Vary"] == "Accept, Cookie"


def test_save_session_delete_uses_same_attributes() -> None:
    app = _app(
        SESSION_COOKIE_DOMAIN="example.com",
        SESSION_COOKIE_PATH="/app",
        SESSION_COOKIE_SAMESITE="Strict",
    )
    session = SecureCookieSession({"a": 1})
    session.pop("a")
    response = Response()
    SecureCookieSessionInterface().save_session(app, session, t.cast(t.Any, response))
    assert response.headers.getlist("Set-Cookie") == [
        "session=; Domain=example.com; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; Path=/app; SameSite=Strict"
    ]


def test_save_session_unserialisable_value() -> None:
    session = SecureCookieSession()
    session["x"] = object()
    with pytest.raises(TypeError):
        SecureCookieSessionInterface().save_session(
            _app(), session, t.cast(t.Any, Response())
        )


# --- through the application ---------------------------------------------------------------


Framework = t.Literal["flask", "erlen"]


def _make_app(framework: Framework, **config: t.Any) -> t.Any:
    """Build the same session-using app on Flask or on erlen."""
    if framework == "flask":
        app: t.Any = flask.Flask(__name__)
        sess: t.Any = flask.session
        jsonify: t.Any = flask.jsonify
    else:
        app = erlen.Erlen(__name__)
        sess = erlen.session
        jsonify = erlen.jsonify
    app.config.update({"SECRET_KEY": "secret", **config})
    route: Callable[[str], Callable[[Callable[..., t.Any]], Callable[..., t.Any]]] = (
        app.get
    )

    @route("/none")
    def none() -> str:
        return "none"

    @route("/set/<key>/<value>")
    def set_value(key: str, value: str) -> str:
        sess[key] = value
        return "set"

    @route("/tuple")
    def set_tuple() -> str:
        sess["tuple"] = (1, "two", b"\x03")
        return "tuple"

    @route("/permanent")
    def permanent() -> str:
        sess.permanent = True
        return "permanent"

    @route("/get/<key>")
    def get_value(key: str) -> str:
        return repr(sess.get(key))

    @route("/in/<key>")
    def contains(key: str) -> str:
        return repr(key in sess)

    @route("/len")
    def length() -> str:
        return repr(len(sess))

    @route("/dump")
    def dump() -> t.Any:
        return jsonify({k: repr(v) for k, v in sess.items()})

    @route("/clear")
    def clear() -> str:
        sess.clear()
        return "clear"

    @route("/pop/<key>")
    def pop(key: str) -> str:
        return repr(sess.pop(key, None))

    @route("/modified")
    def modified() -> str:
        sess.modified = True
        return "modified"

    return app


def _cookie_header(response: t.Any) -> list[tuple[str, datetime | None]]:
    return [_without_expires(h) for h in response.headers.getlist("Set-Cookie")]


SCENARIOS: list[tuple[str, list[str]]] = [
    ("untouched", ["/none", "/none"]),
    ("set then read", ["/set/a/1", "/get/a", "/get/b", "/none"]),
    ("membership and len only", ["/set/a/1", "/in/a", "/in/zz", "/len"]),
    ("read with no cookie", ["/get/a", "/in/a", "/len", "/dump"]),
    ("tagged values", ["/tuple", "/dump"]),
    ("permanent refresh", ["/set/a/1", "/permanent", "/none", "/get/a"]),
    ("clear deletes cookie", ["/set/a/1", "/clear", "/get/a", "/clear"]),
    ("pop last key deletes cookie", ["/set/a/1", "/pop/a", "/pop/a"]),
    ("modified flag resends", ["/set/a/1", "/modified", "/modified"]),
]


def _run_scenario(
    framework: Framework, paths: list[str], **config: t.Any
) -> list[tuple[t.Any, ...]]:
    client = _make_app(framework, **config).test_client()
    seen = []
    for path in paths:
        response = client.get(path)
        seen.append(
            (
                path,
                response.status_code,
                response.get_data(),
                response.headers.get("Vary"),
                [c for c, _ in _cookie_header(response)],
            )
        )
    return seen


SCENARIO_CONFIGS: list[dict[str, t.Any]] = [
    {},
    {"SESSION_REFRESH_EACH_REQUEST": False},
    {
        "SESSION_COOKIE_NAME": "sid",
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_HTTPONLY": False,
        "SESSION_COOKIE_PARTITIONED": True,
        "SESSION_COOKIE_PATH": "/",
    },
    {"APPLICATION_ROOT": "/"},
]


@pytest.mark.parametrize("config", SCENARIO_CONFIGS, ids=repr)
@pytest.mark.parametrize(("name", "paths"), SCENARIOS, ids=[n for n, _ in SCENARIOS])
def test_app_sessions_match_flask(
    frozen_clock: object, name: str, paths: list[str], config: dict[str, t.Any]
) -> None:
    assert _run_scenario("erlen", paths, **config) == _run_scenario(
        "flask", paths, **config
    )


@pytest.mark.parametrize(
    ("path", "vary"),
    [
        ("/none", None),
        ("/get/a", "Cookie"),
        ("/in/a", "Cookie"),
        ("/len", "Cookie"),
        ("/set/a/1", "Cookie"),
    ],
)
def test_app_vary_cookie_on_access(path: str, vary: str | None) -> None:
    client = _make_app("erlen").test_client()
    client.get("/set/a/1")
    response = client.get(path)
    assert response.headers.get("Vary") == vary


def test_app_cookie_flags() -> None:
    app = _make_app(
        "erlen",
        SESSION_COOKIE_NAME="sid",
        SESSION_COOKIE_DOMAIN="example.com",
        SESSION_COOKIE_PATH="/p",
        SESSION_COOKIE_SECURE=True,
        SESSION_COOKIE_HTTPONLY=False,
        SESSION_COOKIE_SAMESITE="Strict",
        SESSION_COOKIE_PARTITIONED=True,
    )
    response = app.test_client().get("/set/a/1")
    (header,) = response.headers.getlist("Set-Cookie")
    assert header.startswith("sid=")
    assert "Domain=example.com" in header
    assert "Path=/p" in header
    assert "; Secure" in header
    assert "HttpOnly" not in header
    assert "SameSite=Strict" in header
    assert "Partitioned" in header
    assert "Expires=" not in header


def test_app_permanent_session_expiry() -> None:
    app = _make_app("erlen", PERMANENT_SESSION_LIFETIME=timedelta(hours=2))
    client = app.test_client()
    response = client.get("/permanent")
    (header,) = response.headers.getlist("Set-Cookie")
    _, expires = _without_expires(header)
    assert expires is not None
    assert abs(expires - (datetime.now(timezone.utc) + timedelta(hours=2))) < timedelta(
        seconds=5
    )


def test_app_expired_cookie_gives_empty_session(
    frozen_clock: Callable[[float], None],
) -> None:
    app = _make_app("erlen", PERMANENT_SESSION_LIFETIME=60)
    client = app.test_client()
    client.get("/set/a/1")
    frozen_clock(FROZEN + 30)
    assert client.get("/get/a").get_data() == b"'1'"
    frozen_clock(FROZEN + 61)
    assert client.get("/get/a").get_data() == b"None"


@pytest.mark.parametrize(
    "cookie",
    [
        "garbage",
        "eyJhIjoiMSJ9.ZVPxAA.invalid-signature",
        _sign({"a": "1"}, "wrong"),
        "",
    ],
)
def test_app_tampered_cookie_gives_empty_session(cookie: str) -> None:
    client = _make_app("erlen").test_client()
    client.set_cookie("session", cookie)
    response = client.get("/get/a")
    assert response.status_code == 200
    assert response.get_data() == b"None"


def test_app_secret_key_rotation() -> None:
    old_app = _make_app("erlen", SECRET_KEY="old")
    client = old_app.test_client()
    client.get("/set/a/1")
    old_cookie = client.get_cookie("session")
    assert old_cookie is not None

    new_app = _make_app("erlen")
    new_app.config.update(SECRET_KEY="new", SECRET_KEY_FALLBACKS=["old"])
    new_client = new_app.test_client()
    new_client.set_cookie("session", old_cookie.value)
    assert new_client.get("/get/a").get_data() == b"'1'"
    # A write re-signs with the new key, which the old key alone cannot read.
    new_client.get("/set/b/2")
    new_cookie = new_client.get_cookie("session")
    assert new_cookie is not None
    old_only = SecureCookieSessionInterface().get_signing_serializer(
        _app(SECRET_KEY="old")
    )
    new_only = SecureCookieSessionInterface().get_signing_serializer(
        _app(SECRET_KEY="new")
    )
    assert old_only is not None
    assert new_only is not None
    assert new_only.loads(new_cookie.value) == {"a": "1", "b": "2"}
    with pytest.raises(Exception, match="Signature"):
        old_only.loads(new_cookie.value)

    # Without the fallback the old cookie no longer opens.
    strict_app = _make_app("erlen", SECRET_KEY="new")
    strict_client = strict_app.test_client()
    strict_client.set_cookie("session", old_cookie.value)
    assert strict_client.get("/get/a").get_data() == b"None"


@pytest.mark.parametrize(("writer", "reader"), [("flask", "erlen"), ("erlen", "flask")])
@pytest.mark.parametrize("path", ["/set/a/ü", "/tuple", "/permanent"])
def test_app_cookies_interchangeable(
    writer: Framework, reader: Framework, path: str
) -> None:
    write_client = _make_app(writer, SECRET_KEY_FALLBACKS=["old"]).test_client()
    write_client.get("/set/z/0")
    write_client.get(path)
    cookie = write_client.get_cookie("session")
    assert cookie is not None
    read_client = _make_app(reader).test_client()
    read_client.set_cookie("session", cookie.value)
    assert read_client.get("/dump").get_json() == write_client.get("/dump").get_json()


def test_app_without_secret_key() -> None:
    app = erlen.Erlen(__name__)
    route: Callable[[str], Callable[[Callable[..., t.Any]], Callable[..., t.Any]]] = (
        app.get
    )

    @route("/read")
    def read() -> str:
        return repr((erlen.session.get("a"), "a" in erlen.session))

    @route("/write")
    def write() -> str:
        erlen.session["a"] = 1
        return "unreachable"

    app.testing = True
    client = app.test_client()
    response = client.get("/read")
    assert response.get_data() == b"(None, False)"
    assert "Set-Cookie" not in response.headers
    with pytest.raises(RuntimeError, match="no secret key was set"):
        client.get("/write")


def test_app_custom_session_interface() -> None:
    saved: list[dict[str, t.Any]] = []

    class MemoryInterface(SessionInterface):
        def open_session(self, app: t.Any, request: t.Any) -> SecureCookieSession:
            return SecureCookieSession({"from": "memory"})

        def save_session(self, app: t.Any, session: t.Any, response: t.Any) -> None:
            saved.append(dict(session))

    app = _make_app("erlen")
    app.session_interface = MemoryInterface()
    client = app.test_client()
    assert client.get("/get/from").get_data() == b"'memory'"
    client.get("/set/x/y")
    assert saved[-1] == {"from": "memory", "x": "y"}


@pytest.fixture
def erlen_app_ctx() -> Iterator[t.Any]:
    app = erlen.Erlen(__name__)
    with app.app_context():
        yield app


def test_session_serializer_sorts_keys_in_app_context(erlen_app_ctx: t.Any) -> None:
    assert TaggedJSONSerializer().dumps({"b": 1, "a": (1,)}) == '{"a":{" t":[1]},"b":1}'


@pytest.mark.parametrize("debug", [False, True])
def test_jsonify_through_app_matches_flask(debug: bool) -> None:
    responses = []
    frameworks: tuple[Framework, ...] = ("flask", "erlen")
    for framework in frameworks:
        app = _make_app(framework)
        app.debug = debug
        client = app.test_client()
        client.get("/tuple")
        responses.append(client.get("/dump"))
    theirs, ours = responses
    assert ours.get_data() == theirs.get_data()
    assert (
        ours.headers["Content-Type"]
        == theirs.headers["Content-Type"]
        == "application/json"
    )
