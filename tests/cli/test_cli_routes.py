"""``erlen routes``: columns, sorting, domains, and the same layout as ``flask routes``."""

from __future__ import annotations

import typing as t
from pathlib import Path

import flask
import flask.cli
import pytest
from cli_helpers import run_erlen
from cli_helpers import write_app
from click.testing import CliRunner

import erlen
from erlen.cli import ScriptInfo
from erlen.cli import cli
from erlen.cli import routes_command


def _column(output: str, header: str) -> list[str]:
    """The cells of one column, found from the header and the dashes under it."""
    lines = output.splitlines()
    widths = [len(part) for part in lines[1].split("  ")]
    offsets = [sum(widths[:i]) + 2 * i for i in range(len(widths))]
    index = offsets.index(lines[0].index(header))
    start, width = offsets[index], widths[index]
    return [line[start : start + width].strip() for line in lines[2:]]


def test_routes(apps_dir: Path, runner: CliRunner) -> None:
    result = runner.invoke(cli, ["--app", "cliapp_routes", "routes"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["Endpoint", "Methods", "Rule"]
    assert set(lines[1]) == {"-", " "}
    assert _column(result.output, "Endpoint") == [
        "api.users",
        "api.zebra",
        "index",
        "item",
        "items",
        "static",
    ]
    assert _column(result.output, "Methods") == [
        "GET",
        "POST",
        "GET",
        "DELETE, PATCH, PUT",
        "GET, POST",
        "GET",
    ]
    assert _column(result.output, "Rule") == [
        "/api/users",
        "/api/zebra",
        "/",
        "/items/<int:item_id>",
        "/items",
        "/static/<path:filename>",
    ]


@pytest.mark.parametrize(
    ("sort", "column", "expected"),
    [
        (
            "endpoint",
            "Endpoint",
            ["api.users", "api.zebra", "index", "item", "items", "static"],
        ),
        (
            "rule",
            "Rule",
            [
                "/",
                "/api/users",
                "/api/zebra",
                "/items",
                "/items/<int:item_id>",
                "/static/<path:filename>",
            ],
        ),
        (
            "methods",
            "Methods",
            ["DELETE, PATCH, PUT", "GET", "GET", "GET", "GET, POST", "POST"],
        ),
        # the order the rules were added in
        (
            "match",
            "Endpoint",
            ["static", "index", "items", "item", "api.users", "api.zebra"],
        ),
        # no domain column: the order the rules were added in
        (
            "domain",
            "Endpoint",
            ["static", "index", "items", "item", "api.users", "api.zebra"],
        ),
    ],
)
def test_routes_sort(
    apps_dir: Path, runner: CliRunner, sort: str, column: str, expected: list[str]
) -> None:
    result = runner.invoke(cli, ["--app", "cliapp_routes", "routes", "--sort", sort])
    assert result.exit_code == 0, result.output
    assert _column(result.output, column) == expected
    short = runner.invoke(cli, ["--app", "cliapp_routes", "routes", "-s", sort])
    assert short.output == result.output


def test_routes_bad_sort(apps_dir: Path, runner: CliRunner) -> None:
    result = runner.invoke(cli, ["--app", "cliapp_routes", "routes", "--sort", "size"])
    assert result.exit_code == 2
    assert "Invalid value for '--sort'" in result.output


def test_routes_all_methods(apps_dir: Path, runner: CliRunner) -> None:
    result = runner.invoke(cli, ["--app", "cliapp_routes", "routes", "--all-methods"])
    methods = dict(
        zip(
            _column(result.output, "Endpoint"),
            _column(result.output, "Methods"),
            strict=True,
        )
    )
    assert methods["index"] == "GET, HEAD, OPTIONS"
    assert methods["api.zebra"] == "OPTIONS, POST"
    assert methods["item"] == "DELETE, OPTIONS, PATCH, PUT"


def test_routes_subdomains(apps_dir: Path, runner: CliRunner) -> None:
    result = runner.invoke(cli, ["--app", "cliapp_subdomains", "routes"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].split() == [
        "Endpoint",
        "Methods",
        "Subdomain",
        "Rule",
    ]
    domains = dict(
        zip(
            _column(result.output, "Endpoint"),
            _column(result.output, "Subdomain"),
            strict=True,
        )
    )
    assert domains == {"admin.dashboard": "admin", "index": "", "static": ""}

    by_domain = runner.invoke(
        cli, ["--app", "cliapp_subdomains", "routes", "-s", "domain"]
    )
    assert _column(by_domain.output, "Subdomain") == ["", "", "admin"]


def test_routes_host_matching(apps_dir: Path, runner: CliRunner) -> None:
    result = runner.invoke(cli, ["--app", "cliapp_hosts", "routes", "--sort", "domain"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].split() == [
        "Endpoint",
        "Methods",
        "Host",
        "Rule",
    ]
    assert _column(result.output, "Host") == ["api.test", "static.test", "www.test"]


def test_no_routes(runner: CliRunner) -> None:
    app = erlen.Erlen("empty", static_folder=None)
    result = runner.invoke(routes_command, obj=ScriptInfo(create_app=lambda: app))
    assert result.exit_code == 0
    assert result.output == "No routes were registered.\n"


# -- parity with `flask routes` ------------------------------------------------


def _build(module: t.Any, **app_kwargs: t.Any) -> t.Any:
    """The same app with Flask or erlen (``module`` is ``flask`` or ``erlen``)."""
    cls = module.Flask if module is flask else module.Erlen
    app = cls("parity", **app_kwargs)
    bp = module.Blueprint("bp", "parity", url_prefix="/bp")

    def view(**kwargs: t.Any) -> str:
        return "x"

    app.add_url_rule("/", "index", view)
    app.add_url_rule(
        "/a-much-longer-rule/<int:id>", "long", view, methods=["GET", "POST", "DELETE"]
    )
    app.add_url_rule("/z", "zzz_last_endpoint_name", view, methods=["PUT"])
    bp.add_url_rule("/thing", "thing", view)
    if app_kwargs.get("host_matching"):
        app.add_url_rule("/h", "hosted", view, host="api.example.test")
    else:
        bp.add_url_rule("/sub", "sub", view, subdomain="admin")
    app.register_blueprint(bp)
    return app


@pytest.mark.parametrize(
    "app_kwargs",
    [{}, {"host_matching": True, "static_host": "static.example.test"}],
    ids=["subdomain", "host"],
)
@pytest.mark.parametrize(
    "args",
    [
        [],
        ["--all-methods"],
        ["-s", "rule"],
        ["-s", "methods"],
        ["-s", "domain"],
        ["-s", "match"],
    ],
)
def test_same_output_as_flask(app_kwargs: dict[str, t.Any], args: list[str]) -> None:
    flask_app = _build(flask, **app_kwargs)
    erlen_app = _build(erlen, **app_kwargs)
    runner = CliRunner()
    expected = runner.invoke(
        flask.cli.routes_command,
        args,
        obj=flask.cli.ScriptInfo(create_app=lambda: flask_app),
    )
    actual = runner.invoke(
        routes_command, args, obj=ScriptInfo(create_app=lambda: erlen_app)
    )
    assert expected.exit_code == 0, expected.output
    assert actual.output == expected.output


def test_subprocess_routes_with_blueprints_and_subdomains(tmp_path: Path) -> None:
    write_app(
        tmp_path,
        "app.py",
        """\
        from erlen import Blueprint, Erlen

        app = Erlen(__name__)
        app.config["SERVER_NAME"] = "example.test"
        shop = Blueprint("shop", __name__, url_prefix="/shop", subdomain="store")

        @shop.route("/cart", methods=["GET", "POST"])
        def cart():
            return "cart"

        @app.route("/")
        def index():
            return "index"

        app.register_blueprint(shop)
        """,
    )
    result = run_erlen(["routes", "--sort", "rule"], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "Endpoint   Methods    Subdomain  Rule                   ",
        "---------  ---------  ---------  -----------------------",
        "index      GET                   /                      ",
        "shop.cart  GET, POST  store      /shop/cart             ",
        "static     GET                   /static/<path:filename>",
    ]
