"""erlen's compiled router against Werkzeug's matcher, through Flask, on random URL maps.

erlen answers clean matches and plain 404s with its own compiled router and
leaves redirects and 405s to Werkzeug (see ``erlen/sansio/_router.py``). Here
random maps -- static and dynamic parts, every built-in converter with
options, mixed parts (``<int:a>.json``), paths, trailing slashes,
``strict_slashes=False``, methods, defaults, aliases, ``redirect_to`` and
WebSocket rules -- are served by real Flask and by erlen, and random requests
(paths made from the rules, then mutated) must get the same status, body
(endpoint and typed view arguments), ``Location`` and ``Allow`` from both.
"""

from __future__ import annotations

import random
import typing as t

import flask
import pytest

import erlen

STATIC = ["a", "b", "users", "x.y", "A"]
# (rule part, function making a value that matches it)
DYNAMIC: list[tuple[str, t.Callable[[random.Random], str]]] = [
    ("<int:{n}>", lambda r: r.choice(["0", "7", "42", "1000", "9" * 5000])),
    ("<{n}>", lambda r: r.choice(["abc", "42", "x.y", "caf%C3%A9"])),
    ("<float:{n}>", lambda r: r.choice(["1.5", "0.0", "3"])),
    ("<path:{n}>", lambda r: r.choice(["p", "p/q", "p/q/"])),
    ("<any(a, b, 'c d'):{n}>", lambda r: r.choice(["a", "b", "c%20d"])),
    ("<int(signed=True):{n}>", lambda r: r.choice(["-3", "5"])),
    ("<int(min=3, max=9):{n}>", lambda r: r.choice(["2", "3", "9", "10"])),
    ("<string(length=2):{n}>", lambda r: r.choice(["ab", "abc"])),
    ("<uuid:{n}>", lambda r: "f7a3a3b2-8e4b-4c59-9c2a-3e1b7e1c2d4f"),
    ("<int(fixed_digits=3):{n}>", lambda r: r.choice(["007", "7"])),
    ("<int:{n}>.json", lambda r: r.choice(["5.json", "5.xml"])),
    ("v-<{n}>", lambda r: r.choice(["v-1", "v-", "w-1"])),
]
METHODS = ["GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS"]


class Spec(t.NamedTuple):
    rule: str
    endpoint: str
    options: dict[str, t.Any]
    samples: list[str]


def random_specs(rng: random.Random) -> list[Spec]:
    """About fifteen rules with sample paths that match each one."""
    specs: list[Spec] = []
    for i in range(rng.randint(8, 18)):
        parts: list[str] = []
        samples = [""]
        for n in range(rng.randint(1, 3)):
            if rng.random() < 0.5:
                seg = rng.choice(STATIC)
                parts.append(seg)
                samples = [s + "/" + seg for s in samples]
            else:
                pattern, make = rng.choice(DYNAMIC)
                parts.append(pattern.format(n=f"v{n}"))
                samples = [s + "/" + make(rng) for s in samples for _ in range(2)]
                if pattern.startswith("<path"):
                    break
        rule = "/" + "/".join(parts)
        if rng.random() < 0.3:
            rule += "/"
            samples = [s + "/" for s in samples]
        options: dict[str, t.Any] = {}
        roll = rng.random()
        if roll < 0.4:
            options["methods"] = rng.sample(["GET", "POST", "PUT"], rng.randint(1, 2))
        if rng.random() < 0.15:
            options["strict_slashes"] = False
        if rng.random() < 0.05:
            options["redirect_to"] = "/a"
        if rng.random() < 0.05:
            options["alias"] = True
        specs.append(Spec(rule, f"r{i}", options, samples))
    if rng.random() < 0.5:
        # Two rules of one endpoint, the first providing a default: Werkzeug
        # redirects /page/1 to /page.
        specs.append(Spec("/page", "pages", {"defaults": {"n": 1}}, ["/page"]))
        specs.append(Spec("/page/<int:n>", "pages", {}, ["/page/1", "/page/2"]))
    return specs


def mutate(rng: random.Random, path: str) -> str:
    roll = rng.random()
    if roll < 0.15:
        return path.rstrip("/") if path.endswith("/") else path + "/"
    if roll < 0.25:
        # Not at the start: the client would read "//host" as a netloc.
        return "//".join(path.rsplit("/", 1)) if path.count("/") > 1 else path
    if roll < 0.35:
        return path.upper()
    if roll < 0.45:
        return path + "/extra"
    if roll < 0.5:
        return path + "/é"
    if roll < 0.55:
        return "/" + rng.choice(STATIC) + path
    return path


def view(**kwargs: t.Any) -> str:
    req = erlen.request if erlen.has_request_context() else flask.request
    shown = ";".join(f"{k}={type(v).__name__}:{v!r}" for k, v in sorted(kwargs.items()))
    return f"{req.endpoint}|{shown}"


def build(fw: t.Any, specs: list[Spec]) -> t.Any:
    app = fw.Flask(__name__) if fw is flask else fw.Erlen(__name__)
    app.config["TESTING"] = True
    for spec in specs:
        app.add_url_rule(spec.rule, spec.endpoint, view, **spec.options)
    if fw is erlen:
        # A WebSocket rule sharing a path with an HTTP rule: HTTP requests
        # must be answered as Werkzeug answers them (the rule is skipped).
        app.add_url_rule("/a/ws", "ws", view, websocket=True)
    else:
        app.url_map.add(
            app.url_rule_class("/a/ws", endpoint="ws", websocket=True, methods=["GET", "OPTIONS"])
        )
        app.view_functions["ws"] = view
    return app


def snapshot(response: t.Any) -> tuple[t.Any, ...]:
    allow = response.headers.get("Allow")
    return (
        response.status_code,
        response.headers.get("Location"),
        None if allow is None else sorted(v.strip() for v in allow.split(",")),
        response.get_data() if response.status_code < 400 else b"",
    )


@pytest.mark.parametrize("seed", range(300))
def test_same_answers_as_werkzeug(seed: int) -> None:
    rng = random.Random(seed)
    specs = random_specs(rng)
    paths = [mutate(rng, p) for spec in specs for p in spec.samples]
    paths += ["/", "/nothing", "/a/ws", "/a/ws/"]
    requests = [(rng.choice(METHODS), p) for p in paths for _ in range(2)]
    ours = build(erlen, specs).test_client()
    theirs = build(flask, specs).test_client()
    checked = 0
    for method, path in requests:
        a = snapshot(ours.open(path, method=method))
        b = snapshot(theirs.open(path, method=method))
        assert a == b, (method, path, [s.rule for s in specs])
        checked += a[0] != 404
    # Each map must exercise matches (or redirects, 405s), not only 404s.
    assert checked > 0


def test_rule_added_to_the_map_after_the_first_request() -> None:
    """``url_map.add`` (as some extensions do) after requests were served is seen at once."""
    app = erlen.Erlen(__name__)
    app.add_url_rule("/item/<int:n>", "item", view)
    client = app.test_client()
    assert client.get("/item/3").data == b"item|n=int:3"
    assert client.get("/other/3").status_code == 404
    app.url_map.add(app.url_rule_class("/other/<int:n>", endpoint="other", methods=["GET"]))
    app.view_functions["other"] = view
    assert client.get("/other/3").data == b"other|n=int:3"
    # A static rule added the same way shadows nothing it should not.
    app.url_map.add(app.url_rule_class("/item/7", endpoint="other", methods=["GET"]))
    assert client.get("/item/7").data == b"other|"
    assert client.get("/item/8").data == b"item|n=int:8"
