"""JSON providers: the pluggable object behind ``app.json``.

An application creates one provider at start-up (``app.json = app.json_provider_class(app)``)
and every JSON operation in erlen (:func:`erlen.json.dumps`, :func:`erlen.jsonify`,
``request.get_json``, ``Response.json``, the test client's ``json=``) goes through it. Subclass
:class:`JSONProvider` to use another JSON library, or :class:`DefaultJSONProvider` to tweak
the stdlib-based default. Follows Flask 3.1's ``flask.json.provider``.
"""

from __future__ import annotations

import dataclasses
import json
import sys
import typing as t
import uuid
import weakref
from datetime import date
from functools import cached_property

from werkzeug.http import http_date

# The C accelerator of json.JSONEncoder (None on interpreters without it).
_c_make_encoder: t.Any = getattr(json.encoder, "c_make_encoder", None)
_encode_ascii = json.encoder.encode_basestring_ascii
_encode_unicode = json.encoder.encode_basestring

if t.TYPE_CHECKING:  # pragma: no cover
    from werkzeug.sansio.response import Response

    from ..sansio.app import App


class JSONProvider:
    """Base class of JSON providers: serialise, deserialise and build JSON responses.

    Subclasses must implement :meth:`dumps` and :meth:`loads`; :meth:`dump`, :meth:`load`
    and :meth:`response` are written in terms of those two.

    The app is held through a :func:`weakref.proxy`, as in Flask, so the provider does not
    keep its app alive.

    Args:
        app: The application that owns this provider.
    """

    def __init__(self, app: App) -> None:
        self._app: App = weakref.proxy(app)

    def dumps(self, obj: t.Any, **kwargs: t.Any) -> str:
        """Serialise ``obj`` to a JSON string.

        Args:
            obj: The data to serialise.
            **kwargs: Options for the underlying JSON library.

        Returns:
            The JSON document as text.

        Raises:
            NotImplementedError: Always, on the base class.
        """
        raise NotImplementedError

    def dump(self, obj: t.Any, fp: t.IO[str], **kwargs: t.Any) -> None:
        """Serialise ``obj`` as JSON and write it to a text file.

        Args:
            obj: The data to serialise.
            fp: A file opened for writing text.
            **kwargs: Passed on to :meth:`dumps`.
        """
        fp.write(self.dumps(obj, **kwargs))

    def loads(self, s: str | bytes, **kwargs: t.Any) -> t.Any:
        """Deserialise a JSON document.

        Args:
            s: The document, as text or UTF-8/16/32 bytes.
            **kwargs: Options for the underlying JSON library.

        Returns:
            The decoded Python value.

        Raises:
            NotImplementedError: Always, on the base class.
        """
        raise NotImplementedError

    def load(self, fp: t.IO[t.AnyStr], **kwargs: t.Any) -> t.Any:
        """Read a file and deserialise its JSON content.

        Args:
            fp: A file opened for reading text or bytes.
            **kwargs: Passed on to :meth:`loads`.

        Returns:
            The decoded Python value.
        """
        return self.loads(fp.read(), **kwargs)

    def _prepare_response_obj(
        self, args: tuple[t.Any, ...], kwargs: dict[str, t.Any]
    ) -> t.Any:
        """Pick the value a JSON response should carry from ``response()``'s arguments.

        Returns ``None`` for no arguments, the argument itself for one positional argument,
        the tuple of positional arguments (serialised as a list) for several, or the keyword
        arguments as a dict.

        Raises:
            TypeError: When both positional and keyword arguments are given.
        """
        if args and kwargs:
            raise TypeError("app.json.response() takes either args or kwargs, not both")
        if not args and not kwargs:
            return None
        if len(args) == 1:
            return args[0]
        return args or kwargs

    def response(self, *args: t.Any, **kwargs: t.Any) -> Response:
        """Build a response whose body is the JSON serialisation of the arguments.

        ``response(x)`` serialises ``x``; ``response(a, b)`` serialises ``[a, b]``;
        ``response(k=v)`` serialises ``{"k": v}``; ``response()`` serialises ``null``.

        Args:
            *args: One value, or several values to send as a list.
            **kwargs: Items to send as an object.

        Returns:
            An instance of ``app.response_class`` with mimetype ``application/json``.

        Raises:
            TypeError: When both ``args`` and ``kwargs`` are given.
        """
        obj = self._prepare_response_obj(args, kwargs)
        return self._app.response_class(self.dumps(obj), mimetype="application/json")


def _default(o: t.Any) -> t.Any:
    """Convert a value the stdlib encoder does not know into a JSON-ready value.

    :class:`~datetime.date` and :class:`~datetime.datetime` become an RFC 822 HTTP date
    string (naive datetimes are taken as UTC), :class:`~decimal.Decimal` and
    :class:`~uuid.UUID` become ``str(o)``, dataclass instances become
    :func:`dataclasses.asdict`, and objects with an ``__html__`` method (such as
    :class:`markupsafe.Markup`) become ``str(o.__html__())``.

    Raises:
        TypeError: For any other type, with the message the stdlib encoder uses.
    """
    if isinstance(o, date):
        return http_date(o)
    if isinstance(o, uuid.UUID):
        return str(o)
    # PERF: decimal is not imported for this test (it is not otherwise loaded
    # by a web app): while it is not imported, no Decimal can exist.
    decimal = sys.modules.get("decimal")
    if decimal is not None and isinstance(o, decimal.Decimal):
        return str(o)
    if dataclasses.is_dataclass(o):
        # COMPAT: a dataclass *type* also passes is_dataclass; asdict() then raises
        # TypeError, exactly as Flask lets it.
        return dataclasses.asdict(o)  # type: ignore[arg-type]
    if hasattr(o, "__html__"):
        return str(o.__html__())
    raise TypeError(f"Object of type {type(o).__name__} is not JSON serializable")


class DefaultJSONProvider(JSONProvider):
    r"""JSON provider built on the standard library's :mod:`json`, as Flask's default.

    Extra types are handled by :attr:`default`; keys are sorted and non-ASCII characters
    escaped by default so output is stable and 7-bit clean. Responses are compact unless
    the app is in debug mode, where they are indented by two spaces. Every response body
    ends with a newline.

    Attributes:
        default: Function called for objects the encoder cannot handle (see
            :func:`_default`); replace it on a subclass or instance to add types.
        ensure_ascii: Escape non-ASCII characters as ``\\uXXXX``.
        sort_keys: Sort object keys. Mixed-type keys then raise :class:`TypeError`.
        compact: ``True`` for compact responses, ``False`` for indented, ``None`` to be
            indented only when ``app.debug`` is true.
        mimetype: Mimetype of :meth:`response` bodies.
    """

    default: t.Callable[[t.Any], t.Any] = staticmethod(_default)
    ensure_ascii = True
    sort_keys = True
    compact: bool | None = None
    mimetype = "application/json"

    @cached_property
    def _encoders(self) -> dict[tuple[t.Any, ...], json.JSONEncoder]:
        return {}

    def dumps(self, obj: t.Any, **kwargs: t.Any) -> str:
        """Serialise ``obj`` with :func:`json.dumps`.

        :attr:`default`, :attr:`ensure_ascii` and :attr:`sort_keys` are used unless given
        in ``kwargs``.

        Args:
            obj: The data to serialise.
            **kwargs: Passed to :func:`json.dumps`.

        Returns:
            The JSON document as text.

        Raises:
            TypeError: When a value cannot be serialised.
        """
        kwargs.setdefault("default", self.default)
        kwargs.setdefault("ensure_ascii", self.ensure_ascii)
        kwargs.setdefault("sort_keys", self.sort_keys)
        if "cls" in kwargs:
            return json.dumps(obj, **kwargs)
        # PERF: json.dumps builds a new encoder for any non-default option;
        # reuse one per set of options (encoders keep no state between calls).
        try:
            key = tuple(sorted(kwargs.items()))
            encoder = self._encoders.get(key)
        except TypeError:  # an unhashable option value
            return json.dumps(obj, **kwargs)
        if encoder is None:
            if len(self._encoders) >= 64:
                self._encoders.clear()
            encoder = self._encoders[key] = json.JSONEncoder(**kwargs)
        return encoder.encode(obj)

    def loads(self, s: str | bytes, **kwargs: t.Any) -> t.Any:
        """Deserialise with :func:`json.loads`.

        Args:
            s: The document, as text or UTF-8/16/32 bytes.
            **kwargs: Passed to :func:`json.loads`.

        Returns:
            The decoded Python value.

        Raises:
            json.JSONDecodeError: When the document is not valid JSON.
        """
        return json.loads(s, **kwargs)

    def response(self, *args: t.Any, **kwargs: t.Any) -> Response:
        """Build a JSON response from the arguments, followed by a newline.

        The body is indented by two spaces when :attr:`compact` is ``False``, or when it
        is ``None`` and ``app.debug`` is true; otherwise it uses ``(",", ":")`` separators.
        See :meth:`JSONProvider.response` for how the arguments map to the value.

        Args:
            *args: One value, or several values to send as a list.
            **kwargs: Items to send as an object.

        Returns:
            An instance of ``app.response_class`` with :attr:`mimetype`.

        Raises:
            TypeError: When both ``args`` and ``kwargs`` are given, or a value cannot be
                serialised.
        """
        if len(args) == 1 and not kwargs:
            obj = args[0]
        else:
            obj = self._prepare_response_obj(args, kwargs)
        app = self._app
        indent = self.compact is False or (self.compact is None and app.debug)
        if type(self).dumps is DefaultJSONProvider.dumps:
            if not indent and _c_make_encoder is not None:
                # PERF: the C encoder json.JSONEncoder.encode would build on
                # every call, built here without its two Python frames; the
                # output is identical (a fresh ``markers`` dict per call keeps
                # the circular-reference check).
                chunks = _c_make_encoder(
                    {},
                    self.default,
                    _encode_ascii if self.ensure_ascii else _encode_unicode,
                    None,
                    ":",
                    ",",
                    self.sort_keys,
                    False,
                    True,
                )(obj, 0)
                return app.response_class(f"{''.join(chunks)}\n", mimetype=self.mimetype)
            # PERF: reuse one encoder per settings instead of building one per
            # call inside json.dumps; the output is identical.
            key = (self.default, self.ensure_ascii, self.sort_keys, indent)
            encoder = self._encoders.get(key)
            if encoder is None:
                encoder = self._encoders[key] = json.JSONEncoder(
                    default=self.default,
                    ensure_ascii=self.ensure_ascii,
                    sort_keys=self.sort_keys,
                    indent=2 if indent else None,
                    separators=None if indent else (",", ":"),
                )
            text = encoder.encode(obj)
        elif indent:
            text = self.dumps(obj, indent=2)
        else:
            text = self.dumps(obj, separators=(",", ":"))
        return app.response_class(f"{text}\n", mimetype=self.mimetype)
