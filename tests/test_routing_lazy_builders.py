"""erlen._routing.Rule: Werkzeug's rule with URL builders compiled on first use builds the same URLs."""

from __future__ import annotations

import typing as t

import pytest
from werkzeug.routing import Map
from werkzeug.routing import Rule as WerkzeugRule

from erlen._routing import Rule

RULES: list[tuple[str, dict[str, t.Any]]] = [
    ("/", {}),
    ("/static/<path:filename>", {}),
    ("/user/<int:user_id>", {}),
    ("/user/<int:user_id>/post/<slug>", {}),
    ("/price/<float:amount>", {}),
    ("/id/<uuid:ident>", {}),
    ("/pick/<any(a, b):choice>", {}),
    ("/page/", {"defaults": {"n": 1}}),
    ("/page/<int:n>", {"defaults": {"n": 1}}),
    ("/sub", {"subdomain": "<tenant>"}),
    ("/odd chars/<name>", {}),
]
VALUES: list[dict[str, t.Any]] = [
    {},
    {"filename": "a/b c.txt"},
    {"user_id": 3, "x": "y"},
    {"user_id": 3, "slug": "hello world", "q": ["1", "2"]},
    {"amount": 1.5},
    {"ident": "12345678-1234-5678-1234-567812345678"},
    {"choice": "b"},
    {"n": 1},
    {"n": 7, "extra": "z"},
    {"tenant": "acme"},
    {"name": "ä/ö"},
]


def _outcome(build: t.Callable[[], str]) -> tuple[str, str]:
    try:
        return "url", build()
    except Exception as e:  # the same error as Werkzeug's own rule is expected
        return type(e).__name__, str(e)


def _map(rule_class: type[WerkzeugRule]) -> Map:
    return Map(
        [rule_class(path, endpoint=f"e{i}", **opts) for i, (path, opts) in enumerate(RULES)],
        default_subdomain="www",
    )


@pytest.mark.parametrize("append_unknown", [True, False])
@pytest.mark.parametrize("force_external", [False, True])
@pytest.mark.parametrize("index", range(len(VALUES)))
def test_builds_the_same_urls_as_werkzeug(
    append_unknown: bool, force_external: bool, index: int
) -> None:
    results = [
        _outcome(
            lambda rule_class=rule_class: _map(rule_class)  # type: ignore[misc]
            .bind("example.org", subdomain="www")
            .build(
                f"e{index}",
                VALUES[index],
                force_external=force_external,
                append_unknown=append_unknown,
            )
        )
        for rule_class in (Rule, WerkzeugRule)
    ]
    assert results[0] == results[1]


def test_builders_are_compiled_on_first_use_and_then_kept() -> None:
    url_map = Map([Rule("/user/<int:user_id>", endpoint="user")])
    (rule,) = url_map.iter_rules()
    first = rule._build_unknown
    assert first.__name__ == "build_first"
    adapter = url_map.bind("example.org")
    assert adapter.build("user", {"user_id": 5, "tab": "x"}) == "/user/5?tab=x"
    compiled = rule._build_unknown
    assert compiled.__name__ != "build_first"
    assert adapter.build("user", {"user_id": 6}) == "/user/6"
    assert rule._build_unknown is compiled
    # the other builder is still waiting
    assert rule._build.__name__ == "build_first"


def test_rebinding_recompiles() -> None:
    url_map = Map([Rule("/a/<x>", endpoint="a")])
    (rule,) = url_map.iter_rules()
    url_map.bind("example.org").build("a", {"x": "1"})
    rule.refresh()
    assert rule._build_unknown.__name__ == "build_first"
    assert url_map.bind("example.org").build("a", {"x": "2"}) == "/a/2"


def test_a_default_for_a_rule_variable_compiles_at_once() -> None:
    url_map = Map([Rule("/page/<int:n>", endpoint="page", defaults={"n": 1})])
    (rule,) = url_map.iter_rules()
    assert rule._build.__name__ != "build_first"


@pytest.mark.parametrize(
    "values", [{"user_id": "not-a-number"}, {"other": 1}]
)
def test_bad_values_fail_as_with_werkzeug(values: dict[str, t.Any]) -> None:
    outcomes = [
        _outcome(
            lambda rule_class=rule_class: Map(  # type: ignore[misc]
                [rule_class("/user/<int:user_id>", endpoint="user")]
            )
            .bind("example.org")
            .build("user", values)
        )
        for rule_class in (Rule, WerkzeugRule)
    ]
    assert outcomes[0] == outcomes[1]
    assert outcomes[0][0] != "url"
