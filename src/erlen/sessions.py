"""Sessions: the session objects and the interface that loads and saves them.

The default :class:`SecureCookieSessionInterface` keeps the whole session in a cookie,
serialised with :class:`~erlen.json.tag.TaggedJSONSerializer` and signed (not encrypted)
with itsdangerous using the app's ``SECRET_KEY``; ``SECRET_KEY_FALLBACKS`` lists older keys
that are still accepted, for key rotation. The cookie format, salt, key derivation and
digest are Flask 3.1's, so a Flask app and an erlen app with the same secret key read each
other's session cookies.

Swap the mechanism by assigning another :class:`SessionInterface` to
``app.session_interface``.
"""

from __future__ import annotations

import collections.abc as c
import hashlib
import hmac
import time
import typing as t
import zlib
from binascii import a2b_base64
from binascii import b2a_base64
from datetime import datetime
from datetime import timezone
from functools import cached_property

from itsdangerous import BadSignature
from itsdangerous import TimestampSigner
from itsdangerous import URLSafeTimedSerializer
from werkzeug.datastructures import CallbackDict
from werkzeug.http import dump_cookie
from werkzeug.http import http_date
from werkzeug.sansio.response import Response as _SansioResponse

from .json.tag import TaggedJSONSerializer

if t.TYPE_CHECKING:  # pragma: no cover
    from .app import Erlen
    from .wrappers import Request
    from .wrappers import Response


class SessionMixin(c.MutableMapping[str, t.Any]):
    """Session attributes added to a mutable mapping.

    Attributes:
        new: Whether the session was created by this request. Interfaces that cannot tell
            leave it ``False`` (the default here).
        modified: Whether the session was changed and should be saved. Hard-coded ``True``
            here so implementations that cannot detect changes always save.
        accessed: Whether the session was read or written during the request; when true
            the response gets ``Vary: Cookie``. The request context sets it each time the
            session is accessed through it (Flask 3.1.3 behaviour).
    """

    @property
    def permanent(self) -> bool:
        """Whether the cookie outlives the browser session (``"_permanent"`` key).

        A permanent session's cookie expires ``app.permanent_session_lifetime`` after it is
        (re)written; otherwise the cookie has no expiry. Reading does not create the key;
        assigning stores ``bool(value)``.
        """
        return self.get("_permanent", False)  # type: ignore[no-any-return]

    @permanent.setter
    def permanent(self, value: bool) -> None:
        self["_permanent"] = bool(value)

    new = False
    modified = True
    # COMPAT: Flask 3.1.3 (GHSA-68rp-wp8r-4726) moved access tracking to the request
    # context, which sets this on every access, so even ``"key" in session`` counts.
    accessed = False


class SecureCookieSession(CallbackDict[str, t.Any], SessionMixin):
    """The session type of :class:`SecureCookieSessionInterface`: a dict that tracks changes.

    Any mutation (set, delete, update, pop, clear, ...) sets :attr:`modified`, which tells
    the interface to write the cookie again. Mutating a nested value in place (e.g.
    ``session["cart"].append(x)``) is not detected: set ``session.modified = True``.

    Args:
        initial: Initial items: a mapping or an iterable of ``(key, value)`` pairs.
    """

    #: Set when the session was changed; the cookie is then re-sent (or deleted if empty).
    modified = False

    def __init__(
        self,
        initial: c.Mapping[str, t.Any] | c.Iterable[tuple[str, t.Any]] | None = None,
    ) -> None:
        def on_update(self: SecureCookieSession) -> None:
            self.modified = True

        super().__init__(initial, on_update)


class NullSession(SecureCookieSession):
    """Stand-in session used when sessions are unavailable (no secret key set).

    Reading works and finds it empty; any write raises :class:`RuntimeError` explaining
    that a secret key is required, as Flask's does.
    """

    def _fail(self, *args: t.Any, **kwargs: t.Any) -> t.NoReturn:
        raise RuntimeError(
            "The session is unavailable because no secret key was set.  Set"
            " the secret_key on the application to something unique and secret."
        )

    __setitem__ = __delitem__ = clear = pop = popitem = _fail
    update = setdefault = _fail
    del _fail


class SessionInterface:
    """Base class of session back ends: how a session is opened and saved for each request.

    ``app.session_interface`` is consulted by the request context: :meth:`open_session`
    when the session is first accessed in a request (falling back to
    :meth:`make_null_session` when it returns ``None``), and :meth:`save_session` once the
    response is built. Both may run concurrently for several requests, so an instance must
    not keep per-request state. The ``get_cookie_*`` helpers read the ``SESSION_COOKIE_*``
    config keys so subclasses can share them.
    """

    #: Class returned by :meth:`make_null_session`.
    null_session_class: type[NullSession] = NullSession

    #: Whether the interface stores sessions with pickle. Informational, kept for Flask
    #: compatibility (extensions read it).
    pickle_based = False

    def make_null_session(self, app: Erlen) -> NullSession:
        """Return the session used when the real one cannot be loaded.

        The default instantiates :attr:`null_session_class`; its writes raise
        :class:`RuntimeError`.
        """
        return self.null_session_class()

    def is_null_session(self, obj: object) -> bool:
        """Return whether ``obj`` is an instance of :attr:`null_session_class`."""
        return isinstance(obj, self.null_session_class)

    def get_cookie_name(self, app: Erlen) -> str:
        """Return the cookie name, ``SESSION_COOKIE_NAME`` (default ``"session"``)."""
        return app.config["SESSION_COOKIE_NAME"]  # type: ignore[no-any-return]

    def get_cookie_domain(self, app: Erlen) -> str | None:
        """Return the cookie's ``Domain``, ``SESSION_COOKIE_DOMAIN``.

        ``None`` (the default) or another false value sets no ``Domain``, so the cookie is
        sent only to the exact host.
        """
        return app.config["SESSION_COOKIE_DOMAIN"]  # type: ignore[no-any-return]

    def get_cookie_path(self, app: Erlen) -> str:
        """Return the cookie's ``Path``: ``SESSION_COOKIE_PATH``, else ``APPLICATION_ROOT``."""
        return app.config["SESSION_COOKIE_PATH"] or app.config["APPLICATION_ROOT"]  # type: ignore[no-any-return]

    def get_cookie_httponly(self, app: Erlen) -> bool:
        """Return whether the cookie is ``HttpOnly``, ``SESSION_COOKIE_HTTPONLY`` (default on)."""
        return app.config["SESSION_COOKIE_HTTPONLY"]  # type: ignore[no-any-return]

    def get_cookie_secure(self, app: Erlen) -> bool:
        """Return whether the cookie is ``Secure``, ``SESSION_COOKIE_SECURE`` (default off)."""
        return app.config["SESSION_COOKIE_SECURE"]  # type: ignore[no-any-return]

    def get_cookie_samesite(self, app: Erlen) -> str | None:
        """Return the ``SameSite`` value, ``SESSION_COOKIE_SAMESITE``.

        ``"Strict"``, ``"Lax"`` or ``"None"``; ``None`` (the default) omits the attribute.
        """
        return app.config["SESSION_COOKIE_SAMESITE"]  # type: ignore[no-any-return]

    def get_cookie_partitioned(self, app: Erlen) -> bool:
        """Return whether the cookie is ``Partitioned`` (CHIPS), ``SESSION_COOKIE_PARTITIONED``.

        Partitioned cookies must also be ``Secure``. Default off.
        """
        return app.config["SESSION_COOKIE_PARTITIONED"]  # type: ignore[no-any-return]

    def get_expiration_time(self, app: Erlen, session: SessionMixin) -> datetime | None:
        """Return when the cookie should expire, or ``None`` for a browser-session cookie.

        Permanent sessions expire ``app.permanent_session_lifetime``
        (``PERMANENT_SESSION_LIFETIME``, default 31 days) from now; the result is an aware
        UTC datetime.
        """
        if session.permanent:
            return datetime.now(timezone.utc) + app.permanent_session_lifetime
        return None

    def should_set_cookie(self, app: Erlen, session: SessionMixin) -> bool:
        """Return whether :meth:`save_session` should send ``Set-Cookie`` for this session.

        True when the session was modified, or when it is permanent and
        ``SESSION_REFRESH_EACH_REQUEST`` is on (the default), which slides the expiry forward
        on every request. Deleting an emptied session is decided separately.
        """
        return session.modified or (
            session.permanent and app.config["SESSION_REFRESH_EACH_REQUEST"]
        )

    def open_session(self, app: Erlen, request: Request) -> SessionMixin | None:
        """Load the session for a request.

        Args:
            app: The application.
            request: The incoming request.

        Returns:
            A session object (an empty one when the request has none), or ``None`` when
            sessions are unavailable, in which case :meth:`make_null_session` is used.

        Raises:
            NotImplementedError: On the base class.
        """
        raise NotImplementedError()

    def save_session(
        self, app: Erlen, session: SessionMixin, response: Response
    ) -> None:
        """Persist the session and update the response (cookies, ``Vary``).

        Called after the response is built, unless the session is a null session.

        Args:
            app: The application.
            session: The session returned by :meth:`open_session`.
            response: The response about to be sent.

        Raises:
            NotImplementedError: On the base class.
        """
        raise NotImplementedError()


def _sha1(string: bytes = b"") -> t.Any:
    """Return a new SHA-1 hash object.

    NOTE: created on call rather than by referencing ``hashlib.sha1`` at import, so that
    importing erlen works on FIPS-restricted builds where SHA-1 may be unavailable.
    """
    return hashlib.sha1(string)


class _KeyCachingSigner(TimestampSigner):
    """A :class:`itsdangerous.TimestampSigner` that derives each signing key once.

    itsdangerous derives the key (an HMAC of the salt) on every sign and
    verify; the result depends only on the secret key, salt, derivation and
    digest, so it is kept (at most 64 entries, in memory like the secret).
    """

    _derived: t.ClassVar[dict[tuple[t.Any, ...], bytes]] = {}

    def derive_key(self, secret_key: str | bytes | None = None) -> bytes:
        """Return the derived signing key, computing it once per key and settings."""
        if secret_key is None:
            secret_key = self.secret_keys[-1]
        cache_key = (secret_key, self.salt, self.key_derivation, self.digest_method)
        try:
            return self._derived[cache_key]
        except KeyError:
            pass
        except TypeError:  # an unhashable digest method: no caching
            return super().derive_key(secret_key)
        derived = super().derive_key(secret_key)
        if len(self._derived) >= 64:
            self._derived.clear()
        self._derived[cache_key] = derived
        return derived


#: The serializer :class:`SecureCookieSessionInterface` uses by default.
session_json_serializer = TaggedJSONSerializer()

#: ``{(secret key, salt): derived signing key}`` for the fast cookie codec.
_FAST_KEYS: dict[tuple[str | bytes, str | bytes], bytes] = {}
_URLSAFE = bytes.maketrans(b"+/", b"-_")
_FROM_URLSAFE = bytes.maketrans(b"-_", b"+/")
#: ``{derived key: HMAC-SHA1 object keyed with it}``, copied for each signature.
_HMACS: dict[bytes, hmac.HMAC] = {}
#: Werkzeug's ``Response.vary`` descriptor, to recognise responses that do not override it.
_VARY = _SansioResponse.__dict__["vary"]
#: Werkzeug's ``Response.set_cookie``, to recognise responses that do not override it.
_SET_COOKIE = _SansioResponse.set_cookie
#: The ``SessionInterface`` methods whose default behaviour the fast save path inlines.
_INLINED = (
    "get_cookie_name",
    "get_cookie_domain",
    "get_cookie_path",
    "get_cookie_httponly",
    "get_cookie_secure",
    "get_cookie_samesite",
    "get_cookie_partitioned",
    "get_expiration_time",
    "should_set_cookie",
)
#: ``{interface class: whether it keeps every method in _INLINED}``.
_PLAIN_INTERFACES: dict[type, bool] = {}
#: ``{cookie attributes: (text before Expires, text after it)}``; see ``_cookie_parts``.
_COOKIE_PARTS: dict[tuple[t.Any, ...], tuple[str, str] | None] = {}
_EXPIRES_MARK = "\x00expires\x00"


def _is_plain_interface(cls: type) -> bool:
    """Whether ``cls`` keeps the ``SessionInterface`` methods the fast save path inlines."""
    plain = _PLAIN_INTERFACES.get(cls)
    if plain is None:
        plain = _PLAIN_INTERFACES[cls] = all(
            getattr(cls, name) is getattr(SessionInterface, name) for name in _INLINED
        )
    return plain


def _cookie_parts(attrs: tuple[t.Any, ...]) -> tuple[str, str] | None:
    """The Set-Cookie text around the value and ``Expires`` for ``attrs``, or ``None``.

    ``attrs`` is ``(name, domain, path, secure, httponly, samesite,
    partitioned)``. Werkzeug's ``dump_cookie`` itself formats them once, with
    a placeholder value and a marker ``Expires``; the header for any value
    that needs no quoting is then ``head + value + middle [+ "; Expires=" +
    date] + tail``. ``None`` (use ``set_cookie``) when ``dump_cookie`` raises
    (a bad ``SameSite``) or the text holds a line break (``Headers.add``
    raises), so that the generic path gives the same error.
    """
    try:
        return _COOKIE_PARTS[attrs]
    except KeyError:
        pass
    name, domain, path, secure, httponly, samesite, partitioned = attrs
    head = f"{name.encode().decode('latin1')}=v"
    try:
        kwargs = {
            "path": path,
            "domain": domain,
            "secure": secure,
            "httponly": httponly,
            "max_size": 0,
            "samesite": samesite,
            "partitioned": partitioned,
        }
        plain = dump_cookie(name, "v", **kwargs)
        marked = dump_cookie(name, "v", expires=_EXPIRES_MARK, **kwargs)
    except Exception:  # the generic path raises it again
        parts = None
    else:
        before, sep, after = marked.partition(f"; Expires={_EXPIRES_MARK}")
        parts = (before[len(head) :], after)
        if (
            not sep
            or not before.startswith(head)
            or plain != before + after
            or "\r" in marked
            or "\n" in marked
        ):
            parts = None
    if len(_COOKIE_PARTS) >= 64:
        _COOKIE_PARTS.clear()
    _COOKIE_PARTS[attrs] = parts
    return parts


def _as_bytes(value: str | bytes) -> bytes:
    return value.encode() if isinstance(value, str) else value


def _fast_key(secret_key: str | bytes, salt: str | bytes) -> bytes:
    """Return itsdangerous' ``"hmac"`` derivation of the signing key with SHA-1, cached."""
    try:
        return _FAST_KEYS[secret_key, salt]
    except KeyError:
        pass
    key = hmac.digest(_as_bytes(secret_key), _as_bytes(salt), "sha1")
    if len(_FAST_KEYS) >= 64:
        _FAST_KEYS.clear()
    _FAST_KEYS[secret_key, salt] = key
    return key


def _sign(key: bytes, data: bytes) -> bytes:
    """``hmac.digest(key, data, "sha1")``.

    PERF: ``hmac.digest`` looks the digest up by name on each call; copying
    an HMAC object keyed once gives the same digest for about half the time.
    """
    base = _HMACS.get(key)
    if base is None:
        if len(_HMACS) >= 64:
            _HMACS.clear()
        base = _HMACS[key] = hmac.new(key, digestmod=hashlib.sha1)
    mac = base.copy()
    mac.update(data)
    return mac.digest()


def _b64decode(data: bytes) -> bytes:
    """``base64.urlsafe_b64decode(data + padding)`` as itsdangerous calls it.

    ``urlsafe_b64decode`` is ``binascii.a2b_base64`` (non-strict) of the text
    with ``-_`` translated to ``+/``; called here directly.
    """
    return a2b_base64(data.translate(_FROM_URLSAFE) + b"=" * (-len(data) % 4))


def _b64(data: bytes) -> bytes:
    """``base64.urlsafe_b64encode(data).rstrip(b"=")`` (itsdangerous' encoding) in C calls."""
    return b2a_base64(data, newline=False).translate(_URLSAFE).rstrip(b"=")


def _fast_dumps(key: bytes, text: str) -> str:
    """Sign ``text`` exactly as ``URLSafeTimedSerializer.dumps`` does (HMAC-SHA1 signer).

    The payload is the UTF-8 text, zlib-compressed (with a ``"."`` prefix)
    when that saves more than one byte, base64url without padding; then
    ``"." + timestamp`` and ``"." + signature`` are appended.
    """
    data = text.encode()
    payload = None
    if _may_compress(data):
        compressed = zlib.compress(data)
        if len(compressed) < len(data) - 1:
            payload = b"." + _b64(compressed)
    if payload is None:
        payload = _b64(data)
    now = int(time.time())
    stamp = _STAMP
    if stamp[0] != now:
        stamp = _set_stamp(now, _b64(now.to_bytes(8, "big").lstrip(b"\x00")))
    signed = payload + b"." + stamp[1]
    return (signed + b"." + _b64(_sign(key, signed))).decode("ascii")


#: ``(time, its base64url form)`` of the last signature (PERF: one encoding a second).
_STAMP: tuple[int, bytes] = (-1, b"")


def _set_stamp(now: int, encoded: bytes) -> tuple[int, bytes]:
    global _STAMP
    _STAMP = (now, encoded)
    return _STAMP


def _may_compress(data: bytes) -> bool:
    """Whether ``zlib.compress(data)`` can be shorter than ``len(data) - 1`` bytes.

    PERF: ``zlib.compress`` sets up a deflate state (hundreds of KiB) each
    call. It is skipped only when provably useless: for at most 14 bytes
    with no repeated 3-byte sequence (so no LZ77 match, whose minimum
    length is 3, exists). The output is a 2-byte header, deflate blocks and
    a 4-byte checksum, so it is shorter than ``n - 1`` only with deflate
    blocks of at most ``n - 8`` bytes; but all-literal blocks take at
    least: stored, ``n + 4`` bytes; fixed codes, 3 + 8 per literal + 7
    (end) bits; dynamic codes, a 3-bit block header, 14 bits of counts, at
    least 4 3-bit code-length codes, at least 16 bits for the 258 or more
    code lengths (each code-length symbol covers at most 138 of them, and
    a zero run of 11 or more costs at least 8 bits; shorter runs and
    single lengths cost more per length), then at least 1 bit per literal
    and for the end: ``46 + n`` bits, at least ``n - 7`` bytes for
    ``n <= 14``.
    """
    n = len(data)
    if n > 14:
        return True
    return len({data[i : i + 3] for i in range(n - 2)}) < n - 2


def _vary_cookie(response: Response) -> None:
    """``response.vary.add("Cookie")``.

    PERF: ``response.vary`` parses the header into a ``HeaderSet`` and writes
    it back on change. When the response has no ``Vary`` header yet (and its
    class keeps Werkzeug's ``vary``), the outcome is one appended
    ``Vary: Cookie`` header, and when it is just ``Cookie`` nothing changes;
    anything else goes through ``response.vary``.
    """
    if type(response).vary is _VARY:
        headers = response.headers
        # NOTE: getlist, not get: get finds nothing by raising and catching
        # a KeyError (about 1 µs); the first value is the same.
        values = headers.getlist("Vary")
        current = values[0] if values else None
        if current is None:
            headers.add("Vary", "Cookie")
            return
        if current.lower() == "cookie":  # already there: HeaderSet.add changes nothing
            return
    response.vary.add("Cookie")


class _Fallback(Exception):
    """The fast cookie codec cannot decide: use itsdangerous."""


def _fast_loads(key: bytes, cookie: str, max_age: int, serializer: t.Any) -> t.Any:
    """Verify and decode a cookie signed with ``key``, as ``URLSafeTimedSerializer.loads``.

    Only the success path is handled here: any irregularity (non-ASCII text,
    a missing part, another key's signature, a malformed or out-of-range
    timestamp, a payload that does not decode) raises :class:`_Fallback` so
    that itsdangerous produces its own result or exception.
    """
    if not cookie.isascii():
        raise _Fallback
    raw = cookie.encode("ascii")
    signed, sep, signature = raw.rpartition(b".")
    if not sep:
        raise _Fallback
    expected = _b64(_sign(key, signed))
    if not hmac.compare_digest(expected, signature):
        raise _Fallback
    payload, sep, stamp = signed.rpartition(b".")
    if not sep:
        raise _Fallback
    try:
        stamp_bytes = _b64decode(stamp)
        if len(stamp_bytes) > 8:
            raise _Fallback
        age = int(time.time()) - int.from_bytes(stamp_bytes, "big")
        if age > max_age or age < 0:
            raise _Fallback
        if payload[:1] == b".":
            payload = payload[1:]
            data = zlib.decompress(_b64decode(payload))
        else:
            data = _b64decode(payload)
        return serializer.loads(data.decode("utf-8"))
    except _Fallback:
        raise
    except Exception as e:
        raise _Fallback from e


class SecureCookieSessionInterface(SessionInterface):
    """Store the whole session in a signed cookie (the default interface).

    The cookie value is ``URLSafeTimedSerializer(keys, salt="cookie-session")`` output
    over the tagged-JSON form of the session: readable by the client (base64, optionally
    zlib-compressed) but not forgeable without the secret key. The signature includes a
    timestamp, and a cookie older than ``permanent_session_lifetime`` is rejected even if
    the browser still sends it.
    """

    #: Salt mixed into the signing key, so session signatures are not valid elsewhere.
    salt = "cookie-session"
    #: Hash function for the HMAC signature (SHA-1, as Flask).
    digest_method = staticmethod(_sha1)
    #: How itsdangerous derives the signing key from the secret key and salt.
    key_derivation = "hmac"
    #: Object with ``dumps``/``loads`` turning the session dict into a string and back.
    serializer: t.Any = session_json_serializer
    #: Class of the sessions :meth:`open_session` creates.
    session_class = SecureCookieSession

    @cached_property
    def _serializers(self) -> dict[tuple[t.Any, ...], URLSafeTimedSerializer]:
        return {}

    def _fast_signing_key(self, app: Erlen) -> bytes | None:
        """The derived key of ``SECRET_KEY`` when the fast cookie codec applies, else ``None``.

        PERF: itsdangerous' serializer costs about 30 Python calls per sign or
        verify (key list, signer objects, ``want_bytes``, ``hmac.new``). With
        the default settings (this class's ``get_signing_serializer``, salt,
        ``"hmac"`` derivation, SHA-1, a tagged-JSON serializer) the cookie is
        produced and checked here with one-shot C functions instead; the
        bytes are the same. Any other setting uses itsdangerous.
        """
        secret_key = app.secret_key
        if (
            not secret_key
            or type(self).get_signing_serializer
            is not SecureCookieSessionInterface.get_signing_serializer
            or self.key_derivation != "hmac"
            or self.digest_method not in (_sha1, hashlib.sha1)
            or not isinstance(self.serializer, TaggedJSONSerializer)
        ):
            return None
        salt = self.salt
        if not isinstance(salt, (str, bytes)) or not isinstance(secret_key, (str, bytes)):
            return None
        return _fast_key(secret_key, salt)

    def get_signing_serializer(self, app: Erlen) -> URLSafeTimedSerializer | None:
        """Build the itsdangerous serializer for ``app``'s keys.

        Keys are ``SECRET_KEY_FALLBACKS`` (oldest first) followed by ``SECRET_KEY``: new
        cookies are signed with ``SECRET_KEY`` (the last key), and cookies signed with any
        of the keys are accepted.

        Returns:
            The serializer, or ``None`` when ``app.secret_key`` is not set (sessions are
            then unavailable).
        """
        if not app.secret_key:
            return None
        fallbacks = app.config["SECRET_KEY_FALLBACKS"]
        # PERF: building the serializer costs more than signing (itsdangerous
        # even serialises {} to probe the serializer); reuse it while the keys
        # and settings stay the same.
        try:
            cache_key: tuple[t.Any, ...] | None = (
                app.secret_key,
                tuple(fallbacks) if fallbacks else (),
                self.salt,
                self.serializer,
                self.key_derivation,
                self.digest_method,
            )
            cached = self._serializers.get(cache_key)  # type: ignore[arg-type]
        except TypeError:  # an unhashable setting: build it every time
            cache_key = cached = None
        if cached is not None:
            return cached
        keys: list[str | bytes] = []
        if fallbacks:
            keys.extend(fallbacks)
        # NOTE: itsdangerous signs with the last key and verifies against all of them.
        keys.append(app.secret_key)
        serializer = URLSafeTimedSerializer(
            keys,  # type: ignore[arg-type]
            salt=self.salt,
            serializer=self.serializer,
            signer=_KeyCachingSigner,
            signer_kwargs={
                "key_derivation": self.key_derivation,
                "digest_method": self.digest_method,
            },
        )
        if cache_key is not None:
            if len(self._serializers) >= 32:
                self._serializers.clear()
            self._serializers[cache_key] = serializer
        return serializer

    def open_session(self, app: Erlen, request: Request) -> SecureCookieSession | None:
        """Load the session from the request's cookie.

        A missing cookie, a bad signature (tampered, or signed with an unknown key) or a
        signature older than ``app.permanent_session_lifetime`` seconds all give a new,
        empty session; this never raises for bad client input.

        Returns:
            The session, or ``None`` when no secret key is set.
        """
        key = self._fast_signing_key(app)
        if key is None and self.get_signing_serializer(app) is None:
            return None
        cookie = request.cookies.get(self.get_cookie_name(app))
        if not cookie:
            return self.session_class()
        max_age = int(app.permanent_session_lifetime.total_seconds())
        if key is not None:
            try:
                return self.session_class(_fast_loads(key, cookie, max_age, self.serializer))
            except _Fallback:
                pass
        signer = self.get_signing_serializer(app)
        if signer is None:  # pragma: no cover - checked above
            return None
        try:
            data = signer.loads(cookie, max_age=max_age)
        except BadSignature:
            return self.session_class()
        return self.session_class(data)

    def save_session(
        self, app: Erlen, session: SessionMixin, response: Response
    ) -> None:
        """Write, refresh or delete the session cookie on ``response``.

        - If the session was accessed, add ``Cookie`` to ``Vary``.
        - If it is empty: when it was modified (emptied this request), delete the cookie
          (with the same domain, path and flags) and add ``Vary: Cookie``; then stop.
        - Else, when :meth:`should_set_cookie` is true, sign ``dict(session)`` and set the
          cookie with the ``SESSION_COOKIE_*`` attributes and the expiry from
          :meth:`get_expiration_time`, and add ``Vary: Cookie``.

        Raises:
            TypeError: When a session value cannot be serialised.
        """
        if (
            _is_plain_interface(type(self))
            and type(response).set_cookie is _SET_COOKIE
            and self._save_fast(app, session, response)
        ):
            return
        name = self.get_cookie_name(app)
        domain = self.get_cookie_domain(app)
        path = self.get_cookie_path(app)
        secure = self.get_cookie_secure(app)
        partitioned = self.get_cookie_partitioned(app)
        samesite = self.get_cookie_samesite(app)
        httponly = self.get_cookie_httponly(app)

        if session.accessed:
            _vary_cookie(response)

        if not session:
            if session.modified:
                response.delete_cookie(
                    name,
                    domain=domain,
                    path=path,
                    secure=secure,
                    partitioned=partitioned,
                    samesite=samesite,
                    httponly=httponly,
                )
                response.vary.add("Cookie")
            return

        if not self.should_set_cookie(app, session):
            return

        expires = self.get_expiration_time(app, session)
        key = self._fast_signing_key(app)
        if key is not None:
            value = _fast_dumps(key, self.serializer.dumps(dict(session)))
        else:
            signer = self.get_signing_serializer(app)
            if signer is None:  # pragma: no cover - open_session gave a null session
                return
            value = signer.dumps(dict(session))
        response.set_cookie(
            name,
            value,
            expires=expires,
            httponly=httponly,
            domain=domain,
            path=path,
            secure=secure,
            partitioned=partitioned,
            samesite=samesite,
        )
        _vary_cookie(response)

    def _save_fast(self, app: Erlen, session: SessionMixin, response: Response) -> bool:
        """``save_session`` for a non-empty session with the fast codec; ``False`` if not done.

        PERF: the generic path calls seven ``get_cookie_*`` methods, the
        ``set_cookie``/``dump_cookie`` pair (which quotes the path, encodes
        the domain, validates ``SameSite`` and checks the value on each call)
        and ``Vary`` twice. Here, with none of those methods overridden (the
        caller checks), the config is read directly, the cookie attributes
        are formatted once per setting by ``dump_cookie`` itself
        (:func:`_cookie_parts`) and the value (base64url and ``"."``, which
        ``dump_cookie`` never quotes) is put between them: the same header.
        It returns ``False``, having changed nothing, for an empty session,
        without the fast codec, or when the header would exceed
        ``max_cookie_size`` (``set_cookie`` warns).
        """
        if not session:
            return False
        key = self._fast_signing_key(app)
        if key is None:
            return False
        config = app.config
        permanent = session.permanent
        if not (session.modified or (permanent and config["SESSION_REFRESH_EACH_REQUEST"])):
            if session.accessed:
                _vary_cookie(response)
            return True
        attrs = (
            config["SESSION_COOKIE_NAME"],
            config["SESSION_COOKIE_DOMAIN"],
            config["SESSION_COOKIE_PATH"] or config["APPLICATION_ROOT"],
            config["SESSION_COOKIE_SECURE"],
            config["SESSION_COOKIE_HTTPONLY"],
            config["SESSION_COOKIE_SAMESITE"],
            config["SESSION_COOKIE_PARTITIONED"],
        )
        try:
            parts = _cookie_parts(attrs)
        except TypeError:  # an unhashable setting
            return False
        if parts is None:
            return False
        expires = self.get_expiration_time(app, session) if permanent else None
        value = _fast_dumps(key, self.serializer.dumps(dict(session)))
        head = f"{attrs[0].encode().decode('latin1')}={value}"
        if expires is not None:
            header = f"{head}{parts[0]}; Expires={http_date(expires)}{parts[1]}"
        else:
            header = head + parts[0] + parts[1]
        max_size = response.max_cookie_size
        if max_size and len(header) > max_size:
            return False
        # NOTE: Vary comes first, as in the generic path (same header order).
        if session.accessed:
            _vary_cookie(response)
        response.headers.add("Set-Cookie", header)
        if not session.accessed:
            _vary_cookie(response)
        return True
