"""Tagged JSON: a compact, lossless JSON form for the types a session commonly holds.

Plain JSON loses the difference between a tuple and a list and cannot hold bytes, markup,
UUIDs or datetimes. :class:`TaggedJSONSerializer` writes such values as a one-key object
whose key is a *tag* (a string starting with a space, which normal keys rarely do) and
turns them back on load. The signed cookie session uses it. The wire form is identical to
Flask 3.1's ``flask.json.tag``, so session cookies move freely between Flask and erlen
apps that share a secret key.

Default tags, in the order they are tried:

========  ===================================================  ===============================
tag       Python value                                         JSON value
========  ===================================================  ===============================
``" di"`` one-key dict whose key is itself a registered tag   ``{" di": {"<key>__": value}}``
(none)    any other dict: values are tagged recursively        object
``" t"``  :class:`tuple`                                       list
(none)    :class:`list`: items are tagged recursively          list
``" b"``  :class:`bytes`                                       standard base64 text
``" m"``  objects with a callable ``__html__`` (``Markup``)   the ``__html__()`` string
``" u"``  :class:`uuid.UUID`                                   32 hex digits
``" d"``  :class:`datetime.datetime`                           RFC 822 HTTP date (UTC)
========  ===================================================  ===============================

Add types by subclassing :class:`JSONTag` and calling :meth:`TaggedJSONSerializer.register`.
"""

from __future__ import annotations

import json as _json
import typing as t
from base64 import b64decode
from base64 import b64encode
from datetime import datetime
from uuid import UUID

from markupsafe import Markup
from werkzeug.http import http_date
from werkzeug.http import parse_date

from ..globals import _cv_app
from ..json import dumps
from ..json import loads
from .provider import DefaultJSONProvider

#: ``{(default, ensure_ascii, sort_keys): compact encoder}`` for ``_dumps_compact``.
_COMPACT_ENCODERS: dict[tuple[t.Any, ...], _json.JSONEncoder] = {}
_PROVIDER_DUMPS = DefaultJSONProvider.dumps
_PROVIDER_LOADS = DefaultJSONProvider.loads


def _dumps_compact(value: t.Any) -> str:
    """``erlen.json.dumps(value, separators=(",", ":"))``.

    PERF: with the current app's provider keeping ``DefaultJSONProvider.dumps``,
    that call is ``json.JSONEncoder(separators=(",", ":"), default=...,
    ensure_ascii=..., sort_keys=...).encode(value)`` with the provider's
    attributes; the encoder is kept per set of attributes instead of going
    through ``erlen.json.dumps`` and the provider's keyword handling. Any
    other provider (or no app context) goes through ``erlen.json.dumps``.
    """
    ctx = _cv_app.get(None)
    if ctx is not None:
        provider = ctx.app.json
        if type(provider).dumps is _PROVIDER_DUMPS and isinstance(provider, DefaultJSONProvider):
            try:
                key = (provider.default, provider.ensure_ascii, provider.sort_keys)
                encoder = _COMPACT_ENCODERS.get(key)
            except TypeError:  # an unhashable attribute: the provider's own path
                return dumps(value, separators=(",", ":"))
            if encoder is None:
                if len(_COMPACT_ENCODERS) >= 16:
                    _COMPACT_ENCODERS.clear()
                encoder = _COMPACT_ENCODERS[key] = _json.JSONEncoder(
                    separators=(",", ":"),
                    default=key[0],
                    ensure_ascii=key[1],
                    sort_keys=key[2],
                )
            return encoder.encode(value)
    return dumps(value, separators=(",", ":"))


def _loads(value: str | bytes) -> t.Any:
    """``erlen.json.loads(value)``; PERF: ``json.loads`` directly with the default provider."""
    ctx = _cv_app.get(None)
    if ctx is not None and type(ctx.app.json).loads is _PROVIDER_LOADS:
        return _json.loads(value)
    return loads(value)


class JSONTag:
    """Base class of a type tag used by :class:`TaggedJSONSerializer`.

    A subclass sets :attr:`key` and implements :meth:`check`, :meth:`to_json` and
    :meth:`to_python`. A tag with an empty :attr:`key` only transforms values (used for
    the containers, whose items need tagging) and is never looked up on load.

    Args:
        serializer: The serializer this tag is registered with; use it to tag or untag
            nested values.
    """

    __slots__ = ("serializer",)

    #: The tag written as the single key of the wrapping object, e.g. ``" t"``. Empty for
    #: tags that do not wrap their value.
    key: str = ""

    def __init__(self, serializer: TaggedJSONSerializer) -> None:
        self.serializer = serializer

    def check(self, value: t.Any) -> bool:
        """Return whether this tag handles ``value``.

        Raises:
            NotImplementedError: On the base class.
        """
        raise NotImplementedError

    def to_json(self, value: t.Any) -> t.Any:
        """Convert ``value`` to a JSON-compatible value (without the tag wrapper).

        Raises:
            NotImplementedError: On the base class.
        """
        raise NotImplementedError

    def to_python(self, value: t.Any) -> t.Any:
        """Convert the JSON value stored under :attr:`key` back to the Python value.

        Raises:
            NotImplementedError: On the base class.
        """
        raise NotImplementedError

    def tag(self, value: t.Any) -> t.Any:
        """Convert ``value`` and wrap it as ``{key: to_json(value)}``."""
        return {self.key: self.to_json(value)}


class TagDict(JSONTag):
    """Protect a one-key dict whose key happens to be a registered tag.

    Without this, ``{" t": [1]}`` would load back as the tuple ``(1,)``. The key gets a
    ``"__"`` suffix inside a ``" di"`` wrapper, and loses it again on load.
    """

    __slots__ = ()
    key = " di"

    def check(self, value: t.Any) -> bool:
        """Match a dict with exactly one key that is a registered tag."""
        return (
            isinstance(value, dict)
            and len(value) == 1
            and next(iter(value)) in self.serializer.tags
        )

    def to_json(self, value: t.Any) -> t.Any:
        """Return ``{"<key>__": tagged value}``."""
        key = next(iter(value))
        return {f"{key}__": self.serializer.tag(value[key])}

    def to_python(self, value: t.Any) -> t.Any:
        """Strip the ``"__"`` suffix from the single key."""
        key = next(iter(value))
        return {key[:-2]: value[key]}


class PassDict(JSONTag):
    """Tag the values of any other dict; the dict itself stays a plain JSON object."""

    __slots__ = ()

    def check(self, value: t.Any) -> bool:
        """Match any dict."""
        return isinstance(value, dict)

    def to_json(self, value: t.Any) -> t.Any:
        """Return a copy with every value tagged (keys must already be strings)."""
        return {k: self.serializer.tag(v) for k, v in value.items()}

    def tag(self, value: t.Any) -> t.Any:
        """Return :meth:`to_json` unwrapped: plain objects need no tag."""
        return self.to_json(value)


class TagTuple(JSONTag):
    """Keep tuples as tuples: ``(1, 2)`` becomes ``{" t": [1, 2]}``."""

    __slots__ = ()
    key = " t"

    def check(self, value: t.Any) -> bool:
        """Match tuples, including named tuples."""
        return isinstance(value, tuple)

    def to_json(self, value: t.Any) -> t.Any:
        """Return a list of the tagged items."""
        return [self.serializer.tag(item) for item in value]

    def to_python(self, value: t.Any) -> t.Any:
        """Return a plain :class:`tuple`."""
        return tuple(value)


class PassList(JSONTag):
    """Tag the items of a list; the list itself stays a plain JSON array."""

    __slots__ = ()

    def check(self, value: t.Any) -> bool:
        """Match lists."""
        return isinstance(value, list)

    def to_json(self, value: t.Any) -> t.Any:
        """Return a list of the tagged items."""
        return [self.serializer.tag(item) for item in value]

    def tag(self, value: t.Any) -> t.Any:
        """Return :meth:`to_json` unwrapped: plain arrays need no tag."""
        return self.to_json(value)


class TagBytes(JSONTag):
    """Store bytes as standard (not URL-safe) base64 text under ``" b"``."""

    __slots__ = ()
    key = " b"

    def check(self, value: t.Any) -> bool:
        """Match :class:`bytes` (not ``bytearray``)."""
        return isinstance(value, bytes)

    def to_json(self, value: t.Any) -> t.Any:
        """Return the base64 text, with padding."""
        return b64encode(value).decode("ascii")

    def to_python(self, value: t.Any) -> t.Any:
        """Decode the base64 text to bytes."""
        return b64decode(value)


class TagMarkup(JSONTag):
    """Store HTML-safe strings under ``" m"``; they load back as :class:`~markupsafe.Markup`."""

    __slots__ = ()
    key = " m"

    def check(self, value: t.Any) -> bool:
        """Match any object with a callable ``__html__`` method."""
        return callable(getattr(value, "__html__", None))

    def to_json(self, value: t.Any) -> t.Any:
        """Return ``str(value.__html__())``."""
        return str(value.__html__())

    def to_python(self, value: t.Any) -> t.Any:
        """Return ``Markup(value)``."""
        return Markup(value)


class TagUUID(JSONTag):
    """Store UUIDs as 32 lower-case hex digits under ``" u"``."""

    __slots__ = ()
    key = " u"

    def check(self, value: t.Any) -> bool:
        """Match :class:`uuid.UUID`."""
        return isinstance(value, UUID)

    def to_json(self, value: t.Any) -> t.Any:
        """Return ``value.hex``."""
        return value.hex

    def to_python(self, value: t.Any) -> t.Any:
        """Parse the hex digits into a :class:`uuid.UUID`."""
        return UUID(value)


class TagDateTime(JSONTag):
    """Store datetimes as an HTTP date under ``" d"``.

    The format has one-second resolution and is always UTC: microseconds are dropped,
    aware values are converted to UTC, naive values are taken as UTC, and values load
    back as aware UTC datetimes.
    """

    __slots__ = ()
    key = " d"

    def check(self, value: t.Any) -> bool:
        """Match :class:`datetime.datetime` (plain dates are not tagged)."""
        return isinstance(value, datetime)

    def to_json(self, value: t.Any) -> t.Any:
        """Return :func:`werkzeug.http.http_date` of the value."""
        return http_date(value)

    def to_python(self, value: t.Any) -> t.Any:
        """Parse the HTTP date with :func:`werkzeug.http.parse_date`."""
        return parse_date(value)


class TaggedJSONSerializer:
    """Serialise values to tagged JSON and back, losslessly for the registered types.

    Instances have :meth:`dumps` and :meth:`loads`, so they can be given to itsdangerous as
    a ``serializer``. The output is compact JSON; inside an app context it goes through
    ``current_app.json.dumps`` (sorted keys by default), outside one through the stdlib.

    Attributes:
        tags: Registered tags by key (tags without a key are not included).
        order: All registered tags in the order :meth:`tag` tries them.
    """

    __slots__ = ("_defaults", "order", "tags")

    #: Tag classes registered by ``__init__``, in this order.
    default_tags: t.ClassVar[list[type[JSONTag]]] = [
        TagDict,
        PassDict,
        TagTuple,
        PassList,
        TagBytes,
        TagMarkup,
        TagUUID,
        TagDateTime,
    ]

    def __init__(self) -> None:
        self.tags: dict[str, JSONTag] = {}
        self.order: list[JSONTag] = []
        for tag_class in self.default_tags:
            self.register(tag_class)
        #: The default tag instances, to tell whether they are still the only ones.
        self._defaults: tuple[list[JSONTag], dict[str, JSONTag]] | None = None
        if tuple(map(type, self.order)) == _DEFAULT_TAG_TYPES:
            self._defaults = (list(self.order), dict(self.tags))

    def register(
        self,
        tag_class: type[JSONTag],
        force: bool = False,
        index: int | None = None,
    ) -> None:
        """Instantiate a tag class and add it to this serializer.

        Args:
            tag_class: The :class:`JSONTag` subclass; it is called with this serializer.
            force: Replace an already registered tag with the same key instead of raising.
                The old instance stays in :attr:`order`.
            index: Position in :attr:`order` to insert at; appended at the end when
                ``None``. Earlier tags win when several match a value.

        Raises:
            KeyError: When a tag with the same key is already registered and ``force`` is
                false.
        """
        tag = tag_class(self)
        key = tag.key
        if key:
            if not force and key in self.tags:
                raise KeyError(f"Tag '{key}' is already registered.")
            self.tags[key] = tag
        if index is None:
            self.order.append(tag)
        else:
            self.order.insert(index, tag)

    def tag(self, value: t.Any) -> t.Any:
        """Convert a value to its tagged JSON-compatible form (the first matching tag wins).

        Values no tag matches are returned unchanged.
        """
        for tag in self.order:
            if tag.check(value):
                return tag.tag(value)
        return value

    def untag(self, value: dict[str, t.Any]) -> t.Any:
        """Turn one decoded JSON object back into the tagged Python value, if it is one.

        Only objects with exactly one key that is a registered tag are converted; any
        other object is returned as is. Nested values are not visited.
        """
        if len(value) != 1:
            return value
        key = next(iter(value))
        tag = self.tags.get(key)
        if tag is None:
            return value
        return tag.to_python(value[key])

    def _untag_scan(self, value: t.Any) -> t.Any:
        """Untag a decoded JSON value depth first, innermost values before their container."""
        if isinstance(value, dict):
            value = self.untag({k: self._untag_scan(v) for k, v in value.items()})
        elif isinstance(value, list):
            value = [self._untag_scan(item) for item in value]
        return value

    def _has_default_tags(self) -> bool:
        """Whether exactly the default tags are registered, in the default order."""
        # NOTE: list and dict equality compare the tag instances by identity, in C.
        defaults = self._defaults
        return defaults is not None and self.order == defaults[0] and self.tags == defaults[1]

    def dumps(self, value: t.Any) -> str:
        """Tag ``value`` and serialise it to compact JSON (``(",", ":")`` separators).

        Raises:
            TypeError: When a value is neither JSON-native nor handled by a tag or by the
                JSON ``default`` function.
        """
        # PERF: with the default tags, a value made only of exact str, int,
        # float, bool and None inside plain dicts and lists (no one-key dict
        # whose key is a tag) is tagged to an equal copy of itself; it is
        # serialised as it is, without the walk. Anything else is tagged.
        if (
            type(self) is TaggedJSONSerializer
            and self._has_default_tags()
            and _is_plain(value, self.tags)
        ):
            return _dumps_compact(value)
        return _dumps_compact(self.tag(value))

    def loads(self, value: str | bytes) -> t.Any:
        """Parse JSON and untag every tagged object in it.

        Raises:
            json.JSONDecodeError: When ``value`` is not valid JSON (default provider).
        """
        # PERF: every default tag key starts with a space, so JSON text with
        # no string starting with one (no ``"`` followed by a space, and no
        # ``\u`` escape that could spell it) has nothing to untag; the walk,
        # which copies every dict and list, is skipped. Only with the default
        # tags registered.
        data = _loads(value)
        if (
            type(value) is str
            and type(data) is dict
            and '" ' not in value
            and "\\u" not in value
            and type(self) is TaggedJSONSerializer
            and self._has_default_tags()
            and _PLAIN_SCALARS.issuperset(map(type, data.values()))
        ):
            return data
        return self._untag_scan(data)


_PLAIN_SCALARS = frozenset({str, int, float, bool, type(None)})


def _is_plain(value: t.Any, tags: dict[str, JSONTag]) -> bool:
    """Whether the default tags would leave ``value`` unchanged (see ``dumps``)."""
    kind = type(value)
    if kind in _PLAIN_SCALARS:
        return True
    if kind is dict:
        if len(value) == 1 and next(iter(value)) in tags:
            return False
        # PERF: the common all-scalar dict is checked in C first.
        if _PLAIN_SCALARS.issuperset(map(type, value.values())):
            return True
        return all(type(v) in _PLAIN_SCALARS or _is_plain(v, tags) for v in value.values())
    if kind is list:
        return all(type(v) in _PLAIN_SCALARS or _is_plain(v, tags) for v in value)
    return False


#: The tag classes of :attr:`TaggedJSONSerializer.default_tags` as shipped (a
#: serializer whose tags are exactly these may take the plain-JSON fast paths).
_DEFAULT_TAG_TYPES: tuple[type[JSONTag], ...] = tuple(TaggedJSONSerializer.default_tags)
