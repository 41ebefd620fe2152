"""Tests for erlen.json and erlen.json.provider, compared byte for byte with Flask."""

from __future__ import annotations

import dataclasses
import io
import json
import typing as t
from collections.abc import Iterator
from datetime import date
from datetime import datetime
from datetime import timezone
from decimal import Decimal
from uuid import UUID

import flask
import flask.json.provider
import pytest
from markupsafe import Markup
from werkzeug.wrappers import Response

import erlen.json
from erlen.globals import _cv_app
from erlen.json.provider import DefaultJSONProvider
from erlen.json.provider import JSONProvider


@dataclasses.dataclass
class Point:
    x: int
    y: int
    tags: list[str] = dataclasses.field(default_factory=list)


class HTMLish:
    def __html__(self) -> str:
        return "<em>hi</em>"


class FakeApp:
    """The parts of an app a JSON provider uses: ``debug`` and ``response_class``."""

    response_class = Response

    def __init__(self, debug: bool = False) -> None:
        self.debug = debug


class FakeAppContext:
    def __init__(self, app: t.Any) -> None:
        self.app = app


@pytest.fixture
def fake_ctx() -> Iterator[FakeApp]:
    """Activate an app context whose app carries an erlen DefaultJSONProvider."""
    app = FakeApp()
    app.json = DefaultJSONProvider(t.cast(t.Any, app))  # type: ignore[attr-defined]
    token = _cv_app.set(t.cast(t.Any, FakeAppContext(app)))
    try:
        yield app
    finally:
        _cv_app.reset(token)


A_UUID = UUID("12345678-1234-5678-1234-567812345678")

#: (args, kwargs) for response(); the JSON body must be identical to Flask's.
RESPONSE_CASES: list[tuple[tuple[t.Any, ...], dict[str, t.Any]]] = [
    ((), {}),
    ((None,), {}),
    ((1,), {}),
    (("text",), {}),
    ((1, 2, "three"), {}),
    (({"b": 1, "a": [1, 2, {"d": None, "c": True}]},), {}),
    ((), {"z": 1, "a": "b"}),
    (([],), {}),
    (({},), {}),
    (("ünïcødé ☃ \U0001f600 </script>",), {}),
    (({"ключ": "значение"},), {}),
    ((date(2024, 1, 2),), {}),
    ((datetime(2024, 1, 2, 3, 4, 5, 678),), {}),
    ((datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone.utc),), {}),
    ((Decimal("12.3400"),), {}),
    ((A_UUID,), {}),
    ((Point(1, 2, ["a"]),), {}),
    (([Point(3, 4)],), {}),
    ((Markup("<b>safe</b>"),), {}),
    ((HTMLish(),), {}),
    ((1.5, -0.0, 10**20, float("inf")), {}),
    (((1, (2, 3)),), {}),
    ((), {"nested": {"b": [Decimal("1"), {"y": A_UUID, "x": date(2020, 2, 2)}]}}),
]


def _body(rv: object) -> bytes:
    assert isinstance(rv, Response)
    return rv.get_data()


def _ids(case: tuple[tuple[t.Any, ...], dict[str, t.Any]]) -> str:
    return repr(case)[:60]


def _pair(
    debug: bool = False,
) -> tuple[DefaultJSONProvider, flask.json.provider.DefaultJSONProvider, FakeApp]:
    app = FakeApp(debug=debug)
    return (
        DefaultJSONProvider(t.cast(t.Any, app)),
        flask.json.provider.DefaultJSONProvider(t.cast(t.Any, app)),
        app,
    )


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("case", RESPONSE_CASES, ids=_ids)
def test_response_matches_flask(
    case: tuple[tuple[t.Any, ...], dict[str, t.Any]], debug: bool
) -> None:
    ours, theirs, _app = _pair(debug)
    args, kwargs = case
    ours_rv = ours.response(*args, **kwargs)
    theirs_rv = theirs.response(*args, **kwargs)
    assert isinstance(ours_rv, Response)
    assert _body(ours_rv) == _body(theirs_rv)
    assert ours_rv.mimetype == "application/json"
    assert ours_rv.headers["Content-Type"] == theirs_rv.headers["Content-Type"]
    assert ours_rv.status_code == 200
    assert ours_rv.get_data().endswith(b"\n")


@pytest.mark.parametrize(
    ("compact", "debug", "indented"),
    [
        (None, False, False),
        (None, True, True),
        (True, True, False),
        (True, False, False),
        (False, False, True),
        (False, True, True),
    ],
)
def test_compact_setting(compact: bool | None, debug: bool, indented: bool) -> None:
    ours, theirs, _app = _pair(debug)
    ours.compact = compact
    theirs.compact = compact
    body = _body(ours.response({"a": [1, 2]}))
    assert body == _body(theirs.response({"a": [1, 2]}))
    expected = b'{\n  "a": [\n    1,\n    2\n  ]\n}\n' if indented else b'{"a":[1,2]}\n'
    assert body == expected


def test_debug_read_on_each_response() -> None:
    ours, _theirs, app = _pair(debug=False)
    assert _body(ours.response([1])) == b"[1]\n"
    app.debug = True
    assert _body(ours.response([1])) == b"[\n  1\n]\n"


def test_response_args_and_kwargs_is_type_error() -> None:
    ours, _theirs, _app = _pair()
    with pytest.raises(
        TypeError,
        match=r"^app.json.response\(\) takes either args or kwargs, not both$",
    ):
        ours.response(1, a=2)


@pytest.mark.parametrize(
    ("args", "kwargs", "expected"),
    [
        ((), {}, None),
        ((5,), {}, 5),
        (([1],), {}, [1]),
        ((1, 2), {}, (1, 2)),
        ((), {"a": 1}, {"a": 1}),
    ],
)
def test_prepare_response_obj(
    args: tuple[t.Any, ...], kwargs: dict[str, t.Any], expected: t.Any
) -> None:
    ours, _theirs, _app = _pair()
    assert ours._prepare_response_obj(args, kwargs) == expected


def test_custom_mimetype_and_attributes() -> None:
    ours, _theirs, _app = _pair()
    ours.mimetype = "application/vnd.api+json"
    rv = ours.response({"k": "é"})
    assert rv.mimetype == "application/vnd.api+json"
    assert _body(rv) == b'{"k":"\\u00e9"}\n'
    ours.ensure_ascii = False
    ours.sort_keys = False
    assert ours.dumps({"b": "é", "a": 1}) == '{"b": "é", "a": 1}'
    assert DefaultJSONProvider.ensure_ascii is True
    assert DefaultJSONProvider.sort_keys is True
    assert DefaultJSONProvider.compact is None
    assert DefaultJSONProvider.mimetype == "application/json"


def test_custom_default_on_subclass() -> None:
    class SetProvider(DefaultJSONProvider):
        @staticmethod
        def default(o: t.Any) -> t.Any:
            if isinstance(o, set):
                return sorted(o)
            return DefaultJSONProvider.default(o)

    provider = SetProvider(t.cast(t.Any, FakeApp()))
    assert provider.dumps({"s": {3, 1}, "d": Decimal("2")}) == '{"d": "2", "s": [1, 3]}'


@pytest.mark.parametrize(
    "value",
    [
        {"b": 1, "a": {"d": 2, "c": 3}},
        ["x", "ü", None, True, 1.25],
        date(1999, 12, 31),
        datetime(2000, 1, 1, 12, 0, 0),
        Decimal("-0.5"),
        A_UUID,
        Point(0, 0),
        Markup("&lt;"),
        HTMLish(),
    ],
    ids=repr,
)
def test_dumps_matches_flask(value: t.Any) -> None:
    ours, theirs, _app = _pair()
    assert ours.dumps(value) == theirs.dumps(value)
    assert ours.dumps(value, indent=4) == theirs.dumps(value, indent=4)
    assert ours.dumps(value, sort_keys=False) == theirs.dumps(value, sort_keys=False)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (object(), "Object of type object is not JSON serializable"),
        ({1, 2}, "Object of type set is not JSON serializable"),
        (b"bytes", "Object of type bytes is not JSON serializable"),
        (Point, "asdict() should be called on dataclass instances"),
    ],
)
def test_default_type_error(value: t.Any, message: str) -> None:
    ours, theirs, _app = _pair()
    with pytest.raises(TypeError) as ours_info:
        ours.dumps(value)
    with pytest.raises(TypeError) as theirs_info:
        theirs.dumps(value)
    assert str(ours_info.value) == message
    assert str(ours_info.value) == str(theirs_info.value)


def test_default_function_directly() -> None:
    assert (
        DefaultJSONProvider.default(date(2024, 1, 2)) == "Tue, 02 Jan 2024 00:00:00 GMT"
    )
    assert DefaultJSONProvider.default(Point(1, 2)) == {"x": 1, "y": 2, "tags": []}
    assert DefaultJSONProvider.default(A_UUID) == "12345678-1234-5678-1234-567812345678"


@pytest.mark.parametrize(
    "text",
    ['{"a": [1, 2.5, null, true]}', b'{"a": "\\u00e9"}', '"é"'.encode("utf-16"), '"x"'],
)
def test_loads_and_load(text: str | bytes) -> None:
    ours, _theirs, _app = _pair()
    expected = json.loads(text)
    assert ours.loads(text) == expected
    stream: t.IO[t.Any] = (
        io.BytesIO(text) if isinstance(text, bytes) else io.StringIO(text)
    )
    assert ours.load(stream) == expected


def test_dump_writes_to_file() -> None:
    ours, _theirs, _app = _pair()
    out = io.StringIO()
    ours.dump({"b": 1, "a": Decimal("2")}, out)
    assert out.getvalue() == '{"a": "2", "b": 1}'


def test_load_passes_kwargs() -> None:
    ours, _theirs, _app = _pair()
    assert ours.load(io.StringIO('{"a": 1.5}'), parse_float=Decimal) == {
        "a": Decimal("1.5")
    }


def test_base_provider() -> None:
    app = FakeApp()
    provider = JSONProvider(t.cast(t.Any, app))
    with pytest.raises(NotImplementedError):
        provider.dumps(1)
    with pytest.raises(NotImplementedError):
        provider.loads("1")

    class Upper(JSONProvider):
        def dumps(self, obj: t.Any, **kwargs: t.Any) -> str:
            return json.dumps(obj).upper()

        def loads(self, s: str | bytes, **kwargs: t.Any) -> t.Any:
            return json.loads(s)

    custom = Upper(t.cast(t.Any, app))
    rv = custom.response(a="b")
    assert _body(rv) == b'{"A": "B"}'
    assert rv.mimetype == "application/json"
    out = io.StringIO()
    custom.dump(["x"], out)
    assert out.getvalue() == '["X"]'
    assert custom.load(io.StringIO("[1]")) == [1]


def test_provider_holds_app_weakly() -> None:
    import gc

    app = FakeApp()
    provider = DefaultJSONProvider(t.cast(t.Any, app))
    assert provider._app.debug is False
    del app
    gc.collect()
    with pytest.raises(ReferenceError):
        provider.response(1)


# --- module-level helpers --------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        {"b": 1, "a": "é"},
        [date(2024, 1, 2), Decimal("1.0"), A_UUID, Point(1, 2), Markup("<x>")],
    ],
    ids=repr,
)
def test_helpers_without_app_context_match_flask(value: t.Any) -> None:
    assert _cv_app.get(None) is None
    assert erlen.json.dumps(value) == flask.json.dumps(value)
    ours_out, theirs_out = io.StringIO(), io.StringIO()
    erlen.json.dump(value, ours_out)
    flask.json.dump(value, theirs_out)
    assert ours_out.getvalue() == theirs_out.getvalue()
    text = flask.json.dumps(value)
    assert erlen.json.loads(text) == json.loads(text)
    assert erlen.json.load(io.StringIO(text)) == json.loads(text)


def test_helpers_without_app_context_do_not_sort() -> None:
    assert erlen.json.dumps({"b": 1, "a": 2}) == '{"b": 1, "a": 2}'
    assert erlen.json.dumps({"b": 1, "a": 2}, sort_keys=True) == '{"a": 2, "b": 1}'
    with pytest.raises(TypeError):
        erlen.json.dumps(object())


def test_helpers_use_current_app_provider(fake_ctx: FakeApp) -> None:
    assert erlen.json.dumps({"b": 1, "a": "é"}) == '{"a": "\\u00e9", "b": 1}'
    out = io.StringIO()
    erlen.json.dump({"b": 1, "a": 2}, out)
    assert out.getvalue() == '{"a": 2, "b": 1}'

    class Recording(DefaultJSONProvider):
        calls: list[str] = []

        def loads(self, s: str | bytes, **kwargs: t.Any) -> t.Any:
            self.calls.append("loads")
            return super().loads(s, **kwargs)

    fake_ctx.json = Recording(t.cast(t.Any, fake_ctx))  # type: ignore[attr-defined]
    assert erlen.json.loads("[1]") == [1]
    assert erlen.json.load(io.StringIO("[2]")) == [2]
    assert Recording.calls == ["loads", "loads"]


def test_jsonify_uses_current_app(fake_ctx: FakeApp) -> None:
    rv = erlen.json.jsonify(b=1, a=[1, 2])
    assert rv.get_data() == b'{"a":[1,2],"b":1}\n'
    assert rv.mimetype == "application/json"
    assert erlen.json.jsonify(1, 2).get_data() == b"[1,2]\n"
    assert erlen.json.jsonify().get_data() == b"null\n"
    with pytest.raises(TypeError):
        erlen.json.jsonify(1, a=2)


def test_jsonify_without_app_context() -> None:
    with pytest.raises(RuntimeError, match="Working outside of application context"):
        erlen.json.jsonify(1)


def test_tag_serializer_sorts_inside_app_context(fake_ctx: FakeApp) -> None:
    from erlen.json.tag import TaggedJSONSerializer

    assert (
        TaggedJSONSerializer().dumps({"b": (1,), "a": "é"})
        == '{"a":"\\u00e9","b":{" t":[1]}}'
    )
