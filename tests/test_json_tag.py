"""Tests for erlen.json.tag: the tagged JSON form must be byte-identical to Flask's."""

from __future__ import annotations

import typing as t
from datetime import date
from datetime import datetime
from datetime import timedelta
from datetime import timezone
from decimal import Decimal
from uuid import UUID

import pytest
from flask.json.tag import TaggedJSONSerializer as FlaskTaggedJSONSerializer
from markupsafe import Markup

from erlen.json.tag import JSONTag
from erlen.json.tag import PassDict
from erlen.json.tag import PassList
from erlen.json.tag import TagBytes
from erlen.json.tag import TagDateTime
from erlen.json.tag import TagDict
from erlen.json.tag import TaggedJSONSerializer
from erlen.json.tag import TagMarkup
from erlen.json.tag import TagTuple
from erlen.json.tag import TagUUID

UTC = timezone.utc
A_UUID = UUID("12345678-1234-5678-1234-567812345678")
A_DATETIME = datetime(2024, 2, 29, 13, 45, 7, tzinfo=UTC)

#: Values that survive a dumps/loads round trip unchanged.
ROUND_TRIP: list[t.Any] = [
    None,
    True,
    0,
    -12,
    1.5,
    "",
    "text",
    "ünïcødé ☃ \U0001f600",
    [],
    {},
    (),
    (1, 2, "x"),
    [1, (2, 3), [4, (5,)]],
    {"a": (1, 2), "b": [b"bytes"]},
    b"",
    b"\x00\xff binary",
    Markup("<b>safe</b>"),
    A_UUID,
    A_DATETIME,
    {" t": "looks like a tag"},
    {" di": "looks like the dict tag"},
    {" t__": "suffix already there"},
    {" t": (1, {" b": b"x"})},
    {" unknown": 1},
    {"_permanent": True, "user_id": 42, "csrf": "abc", "_flashes": [("message", "hi")]},
    {"nested": {"deep": {" m": Markup("&amp;")}}},
    [{" u": A_UUID}, {" d": A_DATETIME}],
]

#: Values whose dumped text is compared with Flask's but that load back differently.
LOSSY: list[tuple[t.Any, t.Any]] = [
    (date(2024, 1, 2), "Tue, 02 Jan 2024 00:00:00 GMT"),
    (Decimal("1.10"), "1.10"),
    (datetime(2024, 1, 2, 3, 4, 5, 678), datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)),
    (
        datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone(timedelta(hours=2))),
        datetime(2024, 1, 2, 1, 4, 5, tzinfo=UTC),
    ),
    ({"b": 1, "a": 2}, {"b": 1, "a": 2}),
    (bytearray(b"x"), None),
]


@pytest.fixture
def ours() -> TaggedJSONSerializer:
    return TaggedJSONSerializer()


@pytest.fixture
def flask_s() -> FlaskTaggedJSONSerializer:
    return FlaskTaggedJSONSerializer()


@pytest.mark.parametrize("value", ROUND_TRIP, ids=repr)
def test_round_trip(ours: TaggedJSONSerializer, value: t.Any) -> None:
    loaded = ours.loads(ours.dumps(value))
    assert loaded == value
    assert type(loaded) is type(value)


@pytest.mark.parametrize("value", ROUND_TRIP, ids=repr)
def test_dumps_matches_flask(
    ours: TaggedJSONSerializer, flask_s: FlaskTaggedJSONSerializer, value: t.Any
) -> None:
    assert ours.dumps(value) == flask_s.dumps(value)


@pytest.mark.parametrize("value", ROUND_TRIP, ids=repr)
def test_interchangeable_with_flask(
    ours: TaggedJSONSerializer, flask_s: FlaskTaggedJSONSerializer, value: t.Any
) -> None:
    from_flask = ours.loads(flask_s.dumps(value))
    to_flask = flask_s.loads(ours.dumps(value))
    assert from_flask == value
    assert to_flask == value
    assert type(from_flask) is type(value)


@pytest.mark.parametrize(("value", "loaded"), LOSSY, ids=repr)
def test_lossy_values_match_flask(
    ours: TaggedJSONSerializer,
    flask_s: FlaskTaggedJSONSerializer,
    value: t.Any,
    loaded: t.Any,
) -> None:
    if isinstance(value, bytearray):
        with pytest.raises(
            TypeError, match="Object of type bytearray is not JSON serializable"
        ):
            ours.dumps(value)
        with pytest.raises(TypeError):
            flask_s.dumps(value)
        return
    text = ours.dumps(value)
    assert text == flask_s.dumps(value)
    assert ours.loads(text) == loaded


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ((1, 2), '{" t":[1,2]}'),
        (b"\xff", '{" b":"/w=="}'),
        (Markup("<p>"), '{" m":"<p>"}'),
        (A_UUID, '{" u":"12345678123456781234567812345678"}'),
        (A_DATETIME, '{" d":"Thu, 29 Feb 2024 13:45:07 GMT"}'),
        ({" t": 1}, '{" di":{" t__":1}}'),
        ({" t": 1, "x": 2}, '{" t":1,"x":2}'),
        ([(1,)], '[{" t":[1]}]'),
        ("é", '"\\u00e9"'),
    ],
)
def test_wire_format(ours: TaggedJSONSerializer, value: t.Any, expected: str) -> None:
    assert ours.dumps(value) == expected


@pytest.mark.parametrize(
    "text",
    [
        '{" t":[1,2]}',
        '{" t":[1,2],"extra":1}',
        '{" x":1}',
        '{" di":{" t__":{" t":[1]}}}',
        '{" di":{" b__":"YQ=="}}',
        '[{" b":"YQ=="},{"k":{" u":"12345678123456781234567812345678"}}]',
        '{" t":[{" t":[{" t":[]}]}]}',
        '{" m":"<i>&amp;</i>"}',
        '{" d":"Thu, 29 Feb 2024 13:45:07 GMT"}',
        '{"a":{" t":[{"b":{" b":"eHl6"}}]}}',
        "[]",
        "null",
        '"plain"',
    ],
)
def test_loads_matches_flask(
    ours: TaggedJSONSerializer, flask_s: FlaskTaggedJSONSerializer, text: str
) -> None:
    assert ours.loads(text) == flask_s.loads(text)
    assert ours.loads(text.encode()) == flask_s.loads(text)


def test_default_order_and_tags(
    ours: TaggedJSONSerializer, flask_s: FlaskTaggedJSONSerializer
) -> None:
    assert [type(tag) for tag in ours.order] == [
        TagDict,
        PassDict,
        TagTuple,
        PassList,
        TagBytes,
        TagMarkup,
        TagUUID,
        TagDateTime,
    ]
    assert [type(tag).__name__ for tag in ours.order] == [
        type(tag).__name__ for tag in flask_s.order
    ]
    assert (
        list(ours.tags) == list(flask_s.tags) == [" di", " t", " b", " m", " u", " d"]
    )
    assert all(tag.serializer is ours for tag in ours.order)


def test_untag_only_single_known_key(ours: TaggedJSONSerializer) -> None:
    assert ours.untag({" t": [1]}) == (1,)
    assert ours.untag({" t": [1], "x": 1}) == {" t": [1], "x": 1}
    assert ours.untag({"t": [1]}) == {"t": [1]}
    assert ours.untag({}) == {}


def test_tag_passes_unknown_values_through(ours: TaggedJSONSerializer) -> None:
    obj = object()
    assert ours.tag(obj) is obj
    assert ours.tag(3) == 3


class TagFrozenset(JSONTag):
    __slots__ = ()
    key = " fs"

    def check(self, value: t.Any) -> bool:
        return isinstance(value, frozenset)

    def to_json(self, value: t.Any) -> t.Any:
        return sorted(self.serializer.tag(item) for item in value)

    def to_python(self, value: t.Any) -> t.Any:
        return frozenset(value)


def test_register_custom_tag(ours: TaggedJSONSerializer) -> None:
    ours.register(TagFrozenset)
    value = {"s": frozenset({3, 1, 2})}
    text = ours.dumps(value)
    assert text == '{"s":{" fs":[1,2,3]}}'
    assert ours.loads(text) == value
    assert isinstance(ours.order[-1], TagFrozenset)
    # A one-key dict using the new tag as key is now protected as well.
    assert ours.loads(ours.dumps({" fs": 1})) == {" fs": 1}


def test_register_duplicate_key(
    ours: TaggedJSONSerializer, flask_s: FlaskTaggedJSONSerializer
) -> None:
    class OtherTuple(TagTuple):
        __slots__ = ()

    with pytest.raises(KeyError) as ours_info:
        ours.register(OtherTuple)
    with pytest.raises(KeyError) as flask_info:
        flask_s.register(OtherTuple)  # type: ignore[arg-type]
    assert ours_info.value.args == ("Tag ' t' is already registered.",)
    assert ours_info.value.args == flask_info.value.args


def test_register_force_and_index(ours: TaggedJSONSerializer) -> None:
    class ListTuple(JSONTag):
        """Loads tuples back as lists (replaces the tuple tag)."""

        __slots__ = ()
        key = " t"

        def check(self, value: t.Any) -> bool:
            return isinstance(value, tuple)

        def to_json(self, value: t.Any) -> t.Any:
            return list(value)

        def to_python(self, value: t.Any) -> t.Any:
            return ["from-custom", *value]

    ours.register(ListTuple, force=True, index=0)
    assert isinstance(ours.order[0], ListTuple)
    assert isinstance(ours.tags[" t"], ListTuple)
    assert ours.loads(ours.dumps((1, 2))) == ["from-custom", 1, 2]
    assert len(ours.order) == 9


def test_register_keyless_tag_is_only_ordered(ours: TaggedJSONSerializer) -> None:
    class Upper(JSONTag):
        __slots__ = ()

        def check(self, value: t.Any) -> bool:
            return isinstance(value, str)

        def to_json(self, value: t.Any) -> t.Any:
            return value.upper()

        def tag(self, value: t.Any) -> t.Any:
            return self.to_json(value)

    ours.register(Upper, index=0)
    assert "" not in ours.tags
    assert ours.dumps(["a", {"k": "v"}]) == '["A",{"k":"V"}]'


@pytest.mark.parametrize("method", ["check", "to_json", "to_python"])
def test_base_tag_is_abstract(ours: TaggedJSONSerializer, method: str) -> None:
    tag = JSONTag(ours)
    assert tag.key == ""
    with pytest.raises(NotImplementedError):
        getattr(tag, method)(1)


def test_tags_have_slots(ours: TaggedJSONSerializer) -> None:
    for tag in ours.order:
        assert not hasattr(tag, "__dict__")
