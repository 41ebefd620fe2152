"""The URL rule class of erlen applications: Werkzeug's, with its URL builders made on first use.

When a rule is added to a map, Werkzeug compiles two URL-building functions
for it (generating Python source, parsing it into an AST and compiling it),
which is most of the work of registering a route. An application with many
routes builds URLs for a few of them, and a worker process often none before
its first request: :class:`Rule` compiles each builder the first time it is
called instead.
"""

from __future__ import annotations

import typing as t
from types import MethodType

from werkzeug.routing import Rule as _WerkzeugRule


class Rule(_WerkzeugRule):
    """A :class:`werkzeug.routing.Rule` whose URL builders are compiled when first used.

    Matching and every other behaviour are Werkzeug's. A rule with a default
    for one of its own variables compiles its builders at once, as Werkzeug
    does, because that is when the converter turns the default into URL
    text (and would report a bad value).
    """

    def _compile_builder(
        self, append_unknown: bool = True
    ) -> t.Callable[..., tuple[str, str]]:
        if self.defaults and not self._converters.keys().isdisjoint(self.defaults):
            return super()._compile_builder(append_unknown)
        attr = "_build_unknown" if append_unknown else "_build"

        def build_first(rule: Rule, **values: t.Any) -> tuple[str, str]:
            # PERF: compile the real builder now and put it in place of this
            # one (an instance attribute set by Werkzeug's compile()), so
            # later builds call it directly. Compiling it twice from two
            # threads is harmless: both results are equal.
            builder: t.Callable[..., tuple[str, str]] = MethodType(
                _WerkzeugRule._compile_builder(rule, append_unknown), rule
            )
            setattr(rule, attr, builder)
            return builder(**values)

        return build_first
