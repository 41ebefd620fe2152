"""Flask-Babel on erlen: locale and timezone selectors, translations in views and templates, formatting."""

from __future__ import annotations

from datetime import datetime
from datetime import timezone
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from flask import Flask
from flask import render_template_string
from flask import request
from flask.testing import FlaskClient
from flask.typing import ResponseReturnValue
from flask_babel import Babel
from flask_babel import force_locale
from flask_babel import format_datetime
from flask_babel import format_decimal
from flask_babel import get_locale
from flask_babel import gettext
from flask_babel import lazy_gettext
from flask_babel import ngettext

#: Every test runs on the WSGI and on the ASGI front.
pytestmark = pytest.mark.usefixtures("front")

GREETING = lazy_gettext("Hello")
MOMENT = datetime(2024, 3, 1, 12, 30, tzinfo=timezone.utc)


def _write_catalog(folder: Path) -> None:
    catalog = Catalog(locale="de")
    catalog.add("Hello", "Hallo")
    catalog.add("Hello %(name)s", "Hallo %(name)s")
    catalog.add(("%(num)d apple", "%(num)d apples"), ("%(num)d Apfel", "%(num)d Äpfel"))
    target = folder / "de" / "LC_MESSAGES"
    target.mkdir(parents=True)
    with open(target / "messages.mo", "wb") as f:
        write_mo(f, catalog)


@pytest.fixture
def app(tmp_path: Path) -> Flask:
    _write_catalog(tmp_path)
    app = Flask(__name__)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(tmp_path)

    def select_locale() -> str | None:
        return request.args.get("lang") or request.accept_languages.best_match(["de", "en"])

    def select_timezone() -> str | None:
        return request.args.get("tz")

    Babel(app, locale_selector=select_locale, timezone_selector=select_timezone)

    @app.get("/")
    def index() -> ResponseReturnValue:
        return {
            "locale": str(get_locale()),
            "hello": gettext("Hello %(name)s", name="Ada"),
            "lazy": str(GREETING),
            "apples": ngettext("%(num)d apple", "%(num)d apples", 3),
            "number": format_decimal(1234.5),
            "when": format_datetime(MOMENT, "yyyy-MM-dd HH:mm zzzz"),
        }

    @app.get("/page")
    def page() -> str:
        return render_template_string("{{ _('Hello') }} / {{ ngettext('%(num)d apple', '%(num)d apples', 1) }}")

    return app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def test_german(client: FlaskClient) -> None:
    data = client.get("/?lang=de&tz=Europe/Berlin").get_json()
    assert data == {
        "locale": "de",
        "hello": "Hallo Ada",
        "lazy": "Hallo",
        "apples": "3 Äpfel",
        "number": "1.234,5",
        "when": "2024-03-01 13:30 Mitteleuropäische Normalzeit",
    }


def test_english_default_from_accept_language(client: FlaskClient) -> None:
    data = client.get("/", headers={"Accept-Language": "en-US,en;q=0.8"}).get_json()
    assert data["locale"] == "en"
    assert data["hello"] == "Hello Ada" and data["apples"] == "3 apples"
    assert data["number"] == "1,234.5"
    assert data["when"] == "2024-03-01 12:30 Coordinated Universal Time"
    german = client.get("/", headers={"Accept-Language": "de-DE,de;q=0.9"}).get_json()
    assert german["locale"] == "de"


def test_templates(client: FlaskClient) -> None:
    assert client.get("/page?lang=de").get_data(as_text=True) == "Hallo / 1 Apfel"
    assert client.get("/page?lang=en").get_data(as_text=True) == "Hello / 1 apple"


def test_force_locale(app: Flask) -> None:
    with app.test_request_context("/?lang=en"):
        assert gettext("Hello") == "Hello"
        with force_locale("de"):
            assert gettext("Hello") == "Hallo"
        assert gettext("Hello") == "Hello"
