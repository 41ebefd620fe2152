"""A compiled matcher for the URL map, answering the way Werkzeug's matcher answers.

Werkzeug's :class:`~werkzeug.routing.Map` matches a path with a state machine
walked part by part (``/``-separated), trying static transitions before dynamic
ones, dynamic ones in weight order, and backtracking. Its matcher is general
(hosts, subdomains, redirects, merged slashes, WebSockets) and pays for that
generality on every request: a bound adapter, list slicing per part, a
``re.compile`` cache lookup per dynamic part, sorting of named groups, and a
search for default redirects.

:class:`CompiledRouter` is built from the same state tree, once per change of
the map, and walks it with precompiled regular expressions and precomputed
converter plans. It only ever answers in the cases where the answer is
certain to be Werkzeug's:

- a clean match (a rule whose methods allow the request method, that needs
  no redirect) returns ``(rule, view_args)``;
- a path that matches no rule at all, under no method, returns
  :data:`NOT_FOUND`;
- everything else -- a trailing-slash redirect, a method not allowed, an
  alias or default redirect, a failed converter, merged slashes -- returns
  ``None``, and the caller asks Werkzeug, which raises the right exception.

It is not used with host or subdomain matching, nor for WebSocket requests.
"""

from __future__ import annotations

import re
import typing as t

from werkzeug.routing import BaseConverter
from werkzeug.routing import IntegerConverter
from werkzeug.routing import Map
from werkzeug.routing import Rule
from werkzeug.routing import ValidationError

#: Returned by :meth:`CompiledRouter.match` for a path no rule matches under any method.
NOT_FOUND: t.Final = object()

_Convert = t.Callable[[str], t.Any]
# (rule, allowed methods or None for any, converter plan, needs Werkzeug)
_Entry = tuple[Rule, "frozenset[str] | None", "tuple[tuple[str, _Convert | None], ...]", bool]
_MatchResult = tuple[_Entry, tuple[str, ...]]


class _Fallback(Exception):
    """Raised inside a walk when only Werkzeug can give the answer."""


class _Node:
    """One state of the compiled tree: static and dynamic transitions and the rules ending here."""

    __slots__ = ("static", "dynamic", "rules", "any_rules", "slash_rules", "lenient_rules")

    def __init__(self) -> None:
        self.static: dict[str, _Node] = {}
        #: ``(match, group numbers, consumes the rest of the path, next node)``, in Werkzeug's order.
        self.dynamic: tuple[
            tuple[t.Callable[[str], re.Match[str] | None], tuple[int, ...], bool, _Node], ...
        ] = ()
        #: HTTP rules ending here, in Werkzeug's order.
        self.rules: tuple[_Entry, ...] = ()
        #: Whether any rule ends here, WebSocket rules included (refusing one is not a 404).
        self.any_rules = False
        #: Whether a rule ends one ``/`` further (a trailing-slash redirect is possible).
        self.slash_rules = False
        #: Whether a rule ending here does not use strict slashes.
        self.lenient_rules = False


def _converter_plan(rule: Rule) -> tuple[tuple[str, _Convert | None], ...]:
    """``((argument name, to_python or None for identity), ...)`` for ``rule``'s converters."""
    plan: list[tuple[str, _Convert | None]] = []
    for name, conv in rule._converters.items():
        convert: _Convert | None = conv.to_python
        kind = type(conv)
        if kind.to_python is BaseConverter.to_python:
            convert = None
        elif (
            kind is IntegerConverter
            and not conv.fixed_digits  # type: ignore[attr-defined]
            and conv.min is None  # type: ignore[attr-defined]
            and conv.max is None  # type: ignore[attr-defined]
        ):
            # The rule's regex already admits only digits (and a sign when
            # signed): Werkzeug's conversion then reduces to int().
            convert = int
        plan.append((str(name), convert))
    return tuple(plan)


def needs_werkzeug(rule: Rule, url_map: Map) -> bool:
    """Whether matching ``rule`` can make Werkzeug redirect (alias, defaults, ``redirect_to``)."""
    if rule.redirect_to is not None or (rule.alias and url_map.redirect_defaults):
        return True
    if not url_map.redirect_defaults:
        return False
    return any(
        other is not rule and other.provides_defaults_for(rule)
        for other in url_map._rules_by_endpoint.get(rule.endpoint, ())
    )


class CompiledRouter:
    """Match paths against a :class:`~werkzeug.routing.Map` without host or subdomain matching.

    Build it with :meth:`build`, which returns ``None`` when the map uses a
    feature this router leaves to Werkzeug altogether.
    """

    def __init__(self, start: _Node) -> None:
        self._start = start

    @classmethod
    def build(cls, url_map: Map, domain: str) -> CompiledRouter | None:
        """Compile ``url_map``'s state tree for requests on subdomain ``domain`` (``""`` for none).

        Returns:
            The router, or ``None`` when the map uses host matching, or has a
            part Werkzeug matches in a way not mirrored here (a converter that
            is not part-isolating).
        """
        if url_map.host_matching:
            return None
        url_map.update()
        matcher = getattr(url_map, "_matcher", None)
        root = getattr(matcher, "_root", None)
        if root is None or root.dynamic:
            return None
        state = root.static.get(domain)
        if state is None:
            return cls(_Node())
        try:
            return cls(_compile(state, url_map))
        except _Fallback:
            return None

    def match(self, path: str, method: str) -> tuple[Rule, dict[str, t.Any]] | object | None:
        """Match ``path`` (starting with one ``/``) for ``method``.

        Returns:
            ``(rule, view_args)`` for a clean match, :data:`NOT_FOUND` when no
            rule matches the path under any method, or ``None`` when Werkzeug
            must answer (it raises the redirect, 405 or 404 it finds).
        """
        seen: list[bool] = []
        try:
            parts = path.split("/")
            found = _walk(self._start, parts, 0, len(parts), method, (), seen)
        except _Fallback:
            return None
        if found is None:
            return None if seen else NOT_FOUND
        (rule, _, plan, redirects), values = found
        if redirects:
            return None
        view_args: dict[str, t.Any] = {}
        try:
            for (name, convert), value in zip(plan, values, strict=False):
                view_args[name] = value if convert is None else convert(value)
        except (ValidationError, ValueError):
            # Werkzeug decides: its int converter turns an over-long number
            # (int()'s digit limit) into a 404, a custom converter's error
            # propagates.
            return None
        if rule.defaults:
            view_args.update(rule.defaults)
        return rule, view_args


def _compile(state: t.Any, url_map: Map) -> _Node:
    node = _Node()
    node.static = {key: _compile(child, url_map) for key, child in state.static.items()}
    dynamic = []
    for part, child in state.dynamic:
        if part.suffixed:
            raise _Fallback
        pattern = re.compile(part.content)
        groups = sorted(
            (name for name in pattern.groupindex if name.startswith("__werkzeug_")),
            key=lambda name: int(name[11:]),
        )
        dynamic.append(
            (
                pattern.match,
                tuple(pattern.groupindex[name] for name in groups),
                bool(part.final),
                _compile(child, url_map),
            )
        )
    node.dynamic = tuple(dynamic)
    rules: list[_Entry] = []
    for rule in state.rules:
        if rule.websocket:
            continue
        methods = frozenset(rule.methods) if rule.methods is not None else None
        rules.append((rule, methods, _converter_plan(rule), needs_werkzeug(rule, url_map)))
        if not rule.strict_slashes:
            node.lenient_rules = True
    node.rules = tuple(rules)
    node.any_rules = bool(state.rules)
    slash = state.static.get("")
    node.slash_rules = bool(slash is not None and slash.rules)
    return node


def _walk(
    node: _Node,
    parts: list[str],
    i: int,
    n: int,
    method: str,
    values: tuple[str, ...],
    seen: list[bool],
) -> _MatchResult | None:
    """Follow ``parts[i:n]`` from ``node`` in Werkzeug's order; ``seen`` records rules refused by method."""
    if i == n:
        for entry in node.rules:
            methods = entry[1]
            if methods is None or method in methods:
                return entry, values
        if node.any_rules:
            seen.append(True)
        if node.slash_rules:
            # Werkzeug may answer with a trailing-slash redirect here.
            raise _Fallback
        return None
    part = parts[i]
    child = node.static.get(part)
    if child is not None:
        found = _walk(child, parts, i + 1, n, method, values, seen)
        if found is not None:
            return found
    for match, groups, final, child in node.dynamic:
        if final:
            m = match("/".join(parts[i:]))
            nxt = n
        else:
            m = match(part)
            nxt = i + 1
        if m is not None:
            found = _walk(child, parts, nxt, n, method, values + m.group(0, *groups)[1:], seen)
            if found is not None:
                return found
    if node.lenient_rules and part == "" and i == n - 1:
        # A rule without strict slashes matches with the trailing slash.
        raise _Fallback
    return None
