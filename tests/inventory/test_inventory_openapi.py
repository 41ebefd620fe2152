"""The example inventory API's OpenAPI document (/openapi.json) and docs page (/docs)."""

from __future__ import annotations

import importlib
import pathlib
import re
import sys
import typing as t

import pytest
from openapi_spec_validator import validate

from erlen import Erlen

INVENTORY_ROOT = pathlib.Path(__file__).resolve().parents[2] / "examples" / "inventory"


@pytest.fixture
def app(tmp_path: pathlib.Path) -> t.Iterator[Erlen]:
    if str(INVENTORY_ROOT) not in sys.path:
        sys.path.insert(0, str(INVENTORY_ROOT))
    app: Erlen = importlib.import_module("inventory").create_app(
        {"DATABASE_URL": f"sqlite:///{tmp_path / 'inventory.sqlite3'}", "TESTING": True}
    )
    yield app
    app.extensions["inventory.engine"].dispose()


@pytest.fixture
def document(app: Erlen) -> dict[str, t.Any]:
    response = app.test_client().get("/openapi.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    body: dict[str, t.Any] = response.get_json()
    return body


def test_document_is_valid_openapi_3(document: dict[str, t.Any]) -> None:
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] == "Inventory API"
    validate(document)


def test_document_describes_every_api_route(app: Erlen, document: dict[str, t.Any]) -> None:
    documented = {
        (path, method.upper())
        for path, item in document["paths"].items()
        for method in item
        if method != "parameters"
    }
    routed = {
        (re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule), method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("api.")
        for method in rule.methods or ()
        if method not in ("HEAD", "OPTIONS")
    }
    assert documented == routed


def test_schemas_come_from_marshmallow(document: dict[str, t.Any]) -> None:
    schemas = document["components"]["schemas"]
    product = schemas["Product"]
    assert set(product["required"]) == {"name", "sku", "price"}
    assert product["properties"]["id"]["readOnly"] is True
    assert product["properties"]["stock"]["minimum"] == 0
    assert schemas["StockAdjustment"]["required"] == ["delta"]
    list_params = {p["name"] for p in document["paths"]["/products"]["get"]["parameters"]}
    assert list_params == {"q", "category_id", "min_price", "max_price", "in_stock", "page", "per_page", "sort"}


def test_docs_page_is_self_contained(app: Erlen) -> None:
    response = app.test_client().get("/docs")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert 'fetch("openapi.json")' in page
    # Nothing is loaded from another host: the page works offline.
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)
