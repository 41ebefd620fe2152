"""flask-smorest on erlen: schemas, argument validation, pagination, ETags, and a valid OpenAPI document."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask.views import MethodView
from flask_smorest import Api
from flask_smorest import Blueprint
from flask_smorest import Page
from flask_smorest import abort
from openapi_spec_validator import validate

#: Every test runs on the WSGI and on the ASGI front.
pytestmark = pytest.mark.usefixtures("front")


class PetSchema(ma.Schema):
    id = ma.fields.Int(dump_only=True)
    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1))
    species = ma.fields.String(load_default="cat")


class PetQuerySchema(ma.Schema):
    species = ma.fields.String()


def create_app() -> Flask:
    app = Flask(__name__)
    app.config.update(
        API_TITLE="Pets",
        API_VERSION="v1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/doc",
        OPENAPI_JSON_PATH="openapi.json",
    )
    api = Api(app)
    pets: dict[int, dict[str, Any]] = {}
    blp = Blueprint("pets", __name__, url_prefix="/pets", description="Pet operations")

    @blp.route("/")
    class Pets(MethodView):
        @blp.arguments(PetQuerySchema, location="query")
        @blp.response(200, PetSchema(many=True))
        @blp.paginate(Page)
        def get(self, args: dict[str, Any]) -> list[dict[str, Any]]:
            species = args.get("species")
            return [p for p in pets.values() if species in (None, p["species"])]

        @blp.arguments(PetSchema)
        @blp.response(201, PetSchema)
        def post(self, data: dict[str, Any]) -> dict[str, Any]:
            pet = {"id": len(pets) + 1, **data}
            pets[pet["id"]] = pet
            return pet

    @blp.route("/<int:pet_id>")
    class PetById(MethodView):
        @blp.etag
        @blp.response(200, PetSchema)
        def get(self, pet_id: int) -> dict[str, Any]:
            if pet_id not in pets:
                abort(404, message="no such pet")
            return pets[pet_id]

    api.register_blueprint(blp)
    return app


@pytest.fixture
def client() -> FlaskClient:
    return create_app().test_client()


def test_create_list_paginate(client: FlaskClient) -> None:
    for i in range(12):
        created = client.post("/pets/", json={"name": f"p{i}", "species": "dog" if i % 2 else "cat"})
        assert created.status_code == 201
    assert created.get_json() == {"id": 12, "name": "p11", "species": "dog"}
    page = client.get("/pets/?page=2&page_size=5")
    assert [p["id"] for p in page.get_json()] == [6, 7, 8, 9, 10]
    assert page.headers["X-Pagination"] == (
        '{"total": 12, "total_pages": 3, "first_page": 1, "last_page": 3,'
        ' "page": 2, "previous_page": 1, "next_page": 3}'
    )
    dogs = client.get("/pets/?species=dog&page_size=100").get_json()
    assert {p["species"] for p in dogs} == {"dog"} and len(dogs) == 6


def test_validation_errors(client: FlaskClient) -> None:
    response = client.post("/pets/", json={"name": ""})
    assert response.status_code == 422
    assert response.get_json()["errors"] == {"json": {"name": ["Shorter than minimum length 1."]}}
    assert client.get("/pets/?page=0").status_code == 422


def test_abort_and_etag(client: FlaskClient) -> None:
    missing = client.get("/pets/1")
    assert missing.status_code == 404
    assert missing.get_json()["message"] == "no such pet"
    client.post("/pets/", json={"name": "rex"})
    first = client.get("/pets/1")
    etag = first.headers["ETag"]
    assert first.get_json() == {"id": 1, "name": "rex", "species": "cat"}
    assert client.get("/pets/1", headers={"If-None-Match": etag}).status_code == 304


def test_openapi_document_is_valid(client: FlaskClient) -> None:
    response = client.get("/doc/openapi.json")
    assert response.status_code == 200
    spec = response.get_json()
    validate(spec)
    assert spec["info"] == {"title": "Pets", "version": "v1"}
    assert set(spec["paths"]) == {"/pets/", "/pets/{pet_id}"}
    assert set(spec["paths"]["/pets/"]) == {"get", "post"}
    assert "Pet" in spec["components"]["schemas"]
