"""The example inventory REST API (examples/inventory) through the test client."""

from __future__ import annotations

import importlib
import pathlib
import sys
import typing as t

import pytest

from erlen import Erlen
from erlen.testing import ErlenClient

#: The ``front`` fixture of tests/conftest.py: ``front(app)`` is a test
#: client through WSGI or ASGI, so those tests run on both.
Front = t.Callable[[Erlen], ErlenClient]

INVENTORY_ROOT = pathlib.Path(__file__).resolve().parents[2] / "examples" / "inventory"


def create_app(config: dict[str, t.Any]) -> Erlen:
    if str(INVENTORY_ROOT) not in sys.path:
        sys.path.insert(0, str(INVENTORY_ROOT))
    app: Erlen = importlib.import_module("inventory").create_app(config)
    return app


@pytest.fixture
def app(tmp_path: pathlib.Path) -> Erlen:
    return create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'inventory.sqlite3'}", "TESTING": True})


@pytest.fixture
def client(app: Erlen) -> ErlenClient:
    return app.test_client()


def make_category(client: ErlenClient, name: str = "Tools", **fields: t.Any) -> dict[str, t.Any]:
    response = client.post("/categories", json={"name": name, **fields})
    assert response.status_code == 201, response.get_json()
    body: dict[str, t.Any] = response.get_json()
    return body


def make_product(client: ErlenClient, sku: str, **fields: t.Any) -> dict[str, t.Any]:
    data = {"name": f"Product {sku}", "sku": sku, "price": 1.0, **fields}
    response = client.post("/products", json=data)
    assert response.status_code == 201, response.get_json()
    body: dict[str, t.Any] = response.get_json()
    return body


# -- CRUD --------------------------------------------------------------------


def test_category_crud(app: Erlen, front: Front) -> None:
    client = front(app)
    response = client.post("/categories", json={"name": "Tools", "description": "Hand tools"})
    assert response.status_code == 201
    created = response.get_json()
    assert created == {"id": 1, "name": "Tools", "description": "Hand tools"}
    assert response.headers["Location"].endswith("/categories/1")

    assert client.get("/categories/1").get_json() == created

    response = client.put("/categories/1", json={"name": "Garden"})
    assert response.status_code == 200
    assert response.get_json() == {"id": 1, "name": "Garden", "description": ""}

    response = client.patch("/categories/1", json={"description": "Outdoor"})
    assert response.get_json() == {"id": 1, "name": "Garden", "description": "Outdoor"}

    response = client.delete("/categories/1")
    assert response.status_code == 204
    assert response.data == b""
    assert client.get("/categories/1").status_code == 404


def test_product_crud(app: Erlen, front: Front) -> None:
    client = front(app)
    category = make_category(client)
    response = client.post(
        "/products",
        json={"name": "Hammer", "sku": "HAM-1", "price": 12.5, "stock": 4, "category_id": category["id"]},
    )
    assert response.status_code == 201
    product = response.get_json()
    assert product["id"] == 1
    assert product["name"] == "Hammer"
    assert product["stock"] == 4
    assert product["category_id"] == category["id"]
    assert product["description"] == ""
    assert "created_at" in product
    assert response.headers["Location"].endswith("/products/1")

    assert client.get("/products/1").get_json() == product

    response = client.patch("/products/1", json={"price": 10})
    assert response.status_code == 200
    assert response.get_json()["price"] == 10.0
    assert response.get_json()["name"] == "Hammer"

    response = client.put("/products/1", json={"name": "Mallet", "sku": "MAL-1", "price": 7})
    replaced = response.get_json()
    assert (replaced["name"], replaced["sku"], replaced["stock"], replaced["category_id"]) == (
        "Mallet",
        "MAL-1",
        0,
        None,
    )

    assert client.delete("/products/1").status_code == 204
    assert client.get("/products/1").status_code == 404
    assert client.delete("/products/1").status_code == 404


def test_category_with_products_cannot_be_deleted(client: ErlenClient) -> None:
    category = make_category(client)
    make_product(client, "A", category_id=category["id"])
    response = client.delete(f"/categories/{category['id']}")
    assert response.status_code == 409
    assert "still has 1 product" in response.get_json()["message"]


def test_duplicates_conflict(client: ErlenClient) -> None:
    make_category(client, "Tools")
    response = client.post("/categories", json={"name": "Tools"})
    assert response.status_code == 409
    assert response.get_json()["message"] == "A category with this name already exists."

    make_product(client, "SKU-1")
    make_product(client, "SKU-2")
    response = client.patch("/products/2", json={"sku": "SKU-1"})
    assert response.status_code == 409
    assert response.get_json()["message"] == "A product with this SKU already exists."
    assert client.get("/products/2").get_json()["sku"] == "SKU-2"


# -- validation --------------------------------------------------------------


def test_product_validation_errors(client: ErlenClient) -> None:
    response = client.post(
        "/products", json={"name": "", "sku": "no spaces", "price": -1, "stock": "many"}
    )
    assert response.status_code == 400
    body = response.get_json()
    assert body["code"] == 400
    assert body["name"] == "Bad Request"
    errors = body["errors"]["json"]
    assert set(errors) == {"name", "sku", "price", "stock"}
    assert errors["price"] == ["Must be greater than or equal to 0."]
    assert errors["stock"] == ["Not a valid integer."]

    response = client.post("/products", json={})
    errors = response.get_json()["errors"]["json"]
    assert errors == {
        "name": ["Missing data for required field."],
        "sku": ["Missing data for required field."],
        "price": ["Missing data for required field."],
    }

    response = client.post("/products", json={"name": "x", "sku": "x", "price": 1, "colour": "red"})
    assert response.get_json()["errors"]["json"] == {"colour": ["Unknown field."]}

    response = client.post("/products", json={"name": "x", "sku": "x", "price": 1, "category_id": 9})
    assert response.status_code == 400
    assert response.get_json()["errors"]["json"] == {"category_id": ["Category 9 does not exist."]}


def test_body_must_be_a_json_object(client: ErlenClient) -> None:
    for kwargs in ({"data": "name=x"}, {"json": [1, 2]}, {"data": "{", "content_type": "application/json"}):
        response = client.post("/categories", **kwargs)
        assert response.status_code == 400
        assert response.get_json()["errors"] == {"json": {"_schema": ["The body must be a JSON object."]}}


def test_patch_validates_only_given_fields(client: ErlenClient) -> None:
    make_product(client, "P")
    response = client.patch("/products/1", json={"price": "cheap"})
    assert response.status_code == 400
    assert response.get_json()["errors"]["json"] == {"price": ["Not a valid number."]}
    response = client.put("/products/1", json={"price": 3})
    assert response.status_code == 400
    assert set(response.get_json()["errors"]["json"]) == {"name", "sku"}


def test_query_validation_errors(client: ErlenClient) -> None:
    response = client.get("/products?page=0&per_page=1000&sort=colour&min_price=x")
    assert response.status_code == 400
    errors = response.get_json()["errors"]["query"]
    assert set(errors) == {"page", "per_page", "sort", "min_price"}
    response = client.get("/products?min_price=5&max_price=2")
    assert response.get_json()["errors"]["query"] == {"max_price": ["Must not be below min_price."]}


# -- filtering, sorting, pagination ------------------------------------------


@pytest.fixture
def catalog(client: ErlenClient) -> ErlenClient:
    tools = make_category(client, "Tools")["id"]
    garden = make_category(client, "Garden")["id"]
    make_product(client, "HAM", name="Hammer", price=12.0, stock=5, category_id=tools)
    make_product(client, "SAW", name="Saw", price=25.0, stock=0, category_id=tools)
    make_product(client, "RAKE", name="Rake", price=18.0, stock=2, category_id=garden)
    make_product(client, "HOSE", name="Garden hose", price=30.0, stock=7, category_id=garden)
    make_product(client, "GLUE", name="Glue 100%", price=3.5, stock=0)
    return client


def skus(client: ErlenClient, query: str) -> list[str]:
    response = client.get(f"/products?{query}")
    assert response.status_code == 200, response.get_json()
    return [item["sku"] for item in response.get_json()["items"]]


def test_product_filters(catalog: ErlenClient) -> None:
    assert skus(catalog, "") == ["HAM", "SAW", "RAKE", "HOSE", "GLUE"]
    assert skus(catalog, "category_id=2") == ["RAKE", "HOSE"]
    assert skus(catalog, "min_price=12&max_price=25") == ["HAM", "SAW", "RAKE"]
    assert skus(catalog, "in_stock=true") == ["HAM", "RAKE", "HOSE"]
    assert skus(catalog, "in_stock=false") == ["SAW", "GLUE"]
    assert skus(catalog, "q=HA") == ["HAM"]
    assert skus(catalog, "q=%25") == ["GLUE"]  # "%" is matched literally
    assert skus(catalog, "q=a&category_id=1&in_stock=1") == ["HAM"]


def test_product_sorting(catalog: ErlenClient) -> None:
    assert skus(catalog, "sort=price") == ["GLUE", "HAM", "RAKE", "SAW", "HOSE"]
    assert skus(catalog, "sort=-price") == ["HOSE", "SAW", "RAKE", "HAM", "GLUE"]
    assert skus(catalog, "sort=name") == ["HOSE", "GLUE", "HAM", "RAKE", "SAW"]
    # Ties are broken by id.
    assert skus(catalog, "sort=-stock") == ["HOSE", "HAM", "RAKE", "SAW", "GLUE"]


def test_product_pagination(catalog: ErlenClient) -> None:
    body = catalog.get("/products?per_page=2&page=2&sort=price").get_json()
    assert [item["sku"] for item in body["items"]] == ["RAKE", "SAW"]
    assert (body["page"], body["per_page"], body["total"], body["pages"]) == (2, 2, 5, 3)
    body = catalog.get("/products?per_page=2&page=3&sort=price").get_json()
    assert [item["sku"] for item in body["items"]] == ["HOSE"]
    body = catalog.get("/products?per_page=2&page=9").get_json()
    assert (body["items"], body["total"]) == ([], 5)
    body = catalog.get("/products?in_stock=false&per_page=1").get_json()
    assert (body["total"], body["pages"], len(body["items"])) == (2, 2, 1)


def test_category_list(catalog: ErlenClient) -> None:
    body = catalog.get("/categories?sort=name").get_json()
    assert [item["name"] for item in body["items"]] == ["Garden", "Tools"]
    assert (body["page"], body["per_page"], body["total"], body["pages"]) == (1, 20, 2, 1)
    body = catalog.get("/categories?sort=-id&per_page=1").get_json()
    assert [item["name"] for item in body["items"]] == ["Garden"]
    body = catalog.get("/categories?q=OO").get_json()
    assert [item["name"] for item in body["items"]] == ["Tools"]
    assert catalog.get("/categories?sort=price").status_code == 400


# -- stock -------------------------------------------------------------------


def test_stock_adjustments(client: ErlenClient) -> None:
    make_product(client, "P", stock=3)
    response = client.post("/products/1/stock", json={"delta": 4})
    assert response.status_code == 200
    assert response.get_json()["stock"] == 7
    assert client.post("/products/1/stock", json={"delta": -7}).get_json()["stock"] == 0

    response = client.post("/products/1/stock", json={"delta": -1})
    assert response.status_code == 409
    assert response.get_json() == {
        "code": 409,
        "name": "Conflict",
        "message": "Not enough stock: 0 in stock, cannot apply -1.",
    }
    assert client.get("/products/1").get_json()["stock"] == 0


def test_stock_adjustment_errors(client: ErlenClient) -> None:
    assert client.post("/products/5/stock", json={"delta": 1}).status_code == 404
    make_product(client, "P")
    for delta, message in [(0, "Must not be zero."), (1.5, "Not a valid integer."), ("2", "Not a valid integer.")]:
        response = client.post("/products/1/stock", json={"delta": delta})
        assert response.status_code == 400
        assert response.get_json()["errors"]["json"] == {"delta": [message]}
    response = client.post("/products/1/stock", json={})
    assert response.get_json()["errors"]["json"] == {"delta": ["Missing data for required field."]}


def test_stock_cannot_be_set_negative_directly(client: ErlenClient) -> None:
    make_product(client, "P")
    response = client.patch("/products/1", json={"stock": -1})
    assert response.status_code == 400
    assert response.get_json()["errors"]["json"] == {"stock": ["Must be greater than or equal to 0."]}


# -- HTTP errors as JSON -----------------------------------------------------


def test_404_is_json(app: Erlen, front: Front) -> None:
    client = front(app)
    for url in ("/nowhere", "/products/42", "/categories/42", "/products/abc"):
        response = client.get(url)
        assert response.status_code == 404
        assert response.is_json
        body = response.get_json()
        assert (body["code"], body["name"]) == (404, "Not Found")
    assert client.get("/products/42").get_json()["message"] == "Product 42 does not exist."


def test_405_is_json(app: Erlen, front: Front) -> None:
    client = front(app)
    response = client.delete("/products")
    assert response.status_code == 405
    assert response.is_json
    assert response.get_json()["name"] == "Method Not Allowed"
    assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS", "POST"}
    response = client.get("/products/1/stock")
    assert response.status_code == 405
    assert "POST" in response.headers["Allow"]


def test_default_database_is_sqlite_in_instance_folder(
    tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("INVENTORY_DATABASE_URL", raising=False)
    if str(INVENTORY_ROOT) not in sys.path:
        sys.path.insert(0, str(INVENTORY_ROOT))
    inventory = importlib.import_module("inventory")
    instance = tmp_path / "instance"
    app: Erlen = inventory.create_app({"TESTING": True}, instance_path=str(instance))
    make_category(app.test_client())
    assert app.config["DATABASE_URL"] == f"sqlite:///{instance / 'inventory.sqlite3'}"
    assert (instance / "inventory.sqlite3").exists()

    monkeypatch.setenv("INVENTORY_DATABASE_URL", f"sqlite:///{tmp_path / 'env.sqlite3'}")
    app = inventory.create_app({"TESTING": True}, instance_path=str(instance))
    make_category(app.test_client(), "From env")
    assert (tmp_path / "env.sqlite3").exists()
