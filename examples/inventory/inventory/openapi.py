"""The OpenAPI 3 document (``/openapi.json``) and a self-contained docs page (``/docs``).

Schemas come from the marshmallow schemas through apispec; the paths are
written here. The docs page is plain HTML and JavaScript that fetches the
document and lists every operation; it loads nothing from elsewhere.
"""

from __future__ import annotations

import typing as t

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin

from erlen import Blueprint
from erlen import Response
from erlen import current_app
from erlen import jsonify

from . import schemas

bp = Blueprint("openapi", __name__)

_JSON = "application/json"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _body(schema: str, description: str) -> dict[str, t.Any]:
    return {"description": description, "content": {_JSON: {"schema": _ref(schema)}}}


def _error(description: str) -> dict[str, t.Any]:
    return _body("Error", description)


def _query(name: str, schema: dict[str, t.Any], description: str) -> dict[str, t.Any]:
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


def _path_id(name: str) -> dict[str, t.Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "integer"}}


def _page_params(sort_fields: tuple[str, ...]) -> list[dict[str, t.Any]]:
    choices = [prefix + name for name in sort_fields for prefix in ("", "-")]
    return [
        _query("page", {"type": "integer", "minimum": 1, "default": 1}, "Page number."),
        _query("per_page", {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}, "Items per page."),
        _query("sort", {"type": "string", "enum": choices, "default": "id"}, "Sort field; '-' for descending."),
    ]


def _crud(
    collection: str,
    tag: str,
    schema: str,
    page_schema: str,
    id_name: str,
    list_params: list[dict[str, t.Any]],
) -> dict[str, dict[str, t.Any]]:
    lower = tag.lower()
    plural = collection.strip("/")
    invalid = _error("Validation failed; `errors` holds the field errors.")
    conflict = _error("Conflicts with stored data.")
    missing = _error(f"No such {lower}.")
    return {
        collection: {
            "get": {
                "tags": [tag],
                "summary": f"List {plural}",
                "operationId": f"list_{plural}",
                "parameters": list_params,
                "responses": {"200": _body(page_schema, f"A page of {plural}."), "400": invalid},
            },
            "post": {
                "tags": [tag],
                "summary": f"Create a {lower}",
                "operationId": f"create_{lower}",
                "requestBody": {"required": True, "content": {_JSON: {"schema": _ref(schema)}}},
                "responses": {"201": _body(schema, f"The new {lower}."), "400": invalid, "409": conflict},
            },
        },
        f"{collection}/{{{id_name}}}": {
            "parameters": [_path_id(id_name)],
            "get": {
                "tags": [tag],
                "summary": f"Get a {lower}",
                "operationId": f"get_{lower}",
                "responses": {"200": _body(schema, f"The {lower}."), "404": missing},
            },
            "put": {
                "tags": [tag],
                "summary": f"Replace a {lower}",
                "operationId": f"replace_{lower}",
                "requestBody": {"required": True, "content": {_JSON: {"schema": _ref(schema)}}},
                "responses": {"200": _body(schema, f"The {lower}."), "400": invalid, "404": missing, "409": conflict},
            },
            "patch": {
                "tags": [tag],
                "summary": f"Update some fields of a {lower}",
                "operationId": f"update_{lower}",
                "requestBody": {"required": True, "content": {_JSON: {"schema": {"type": "object"}}}},
                "responses": {"200": _body(schema, f"The {lower}."), "400": invalid, "404": missing, "409": conflict},
            },
            "delete": {
                "tags": [tag],
                "summary": f"Delete a {lower}",
                "operationId": f"delete_{lower}",
                "responses": {"204": {"description": "Deleted."}, "404": missing, "409": conflict},
            },
        },
    }


def build_spec(title: str = "Inventory API", version: str = "1.0.0") -> dict[str, t.Any]:
    """The OpenAPI 3.0.3 document of the API, as a dict."""
    spec = APISpec(title=title, version=version, openapi_version="3.0.3", plugins=[MarshmallowPlugin()])
    for name, schema in [
        ("Category", schemas.CategorySchema),
        ("Product", schemas.ProductSchema),
        ("CategoryPage", schemas.CategoryPageSchema),
        ("ProductPage", schemas.ProductPageSchema),
        ("StockAdjustment", schemas.StockAdjustmentSchema),
        ("Error", schemas.ErrorSchema),
    ]:
        spec.components.schema(name, schema=schema)
    q = _query("q", {"type": "string"}, "Case-insensitive substring of the name.")
    paths = _crud("/categories", "Category", "Category", "CategoryPage", "category_id", [q, *_page_params(schemas.CATEGORY_SORT_FIELDS)])
    paths.update(
        _crud(
            "/products",
            "Product",
            "Product",
            "ProductPage",
            "product_id",
            [
                q,
                _query("category_id", {"type": "integer"}, "Only products of this category."),
                _query("min_price", {"type": "number", "minimum": 0}, "Lowest price."),
                _query("max_price", {"type": "number", "minimum": 0}, "Highest price."),
                _query("in_stock", {"type": "boolean"}, "true: stock > 0; false: stock = 0."),
                *_page_params(schemas.PRODUCT_SORT_FIELDS),
            ],
        )
    )
    paths["/products/{product_id}/stock"] = {
        "parameters": [_path_id("product_id")],
        "post": {
            "tags": ["Product"],
            "summary": "Adjust the stock by a signed delta",
            "description": "Atomic; the stock never goes below zero.",
            "operationId": "adjust_stock",
            "requestBody": {"required": True, "content": {_JSON: {"schema": _ref("StockAdjustment")}}},
            "responses": {
                "200": _body("Product", "The product with its new stock."),
                "400": _error("Validation failed."),
                "404": _error("No such product."),
                "409": _error("Not enough stock."),
            },
        },
    }
    for path, item in paths.items():
        operations = {key: value for key, value in item.items() if key != "parameters"}
        spec.path(path=path, operations=operations, parameters=item.get("parameters"))
    return spec.to_dict()


@bp.get("/openapi.json")
def openapi_json() -> Response:
    document: dict[str, t.Any] = current_app.extensions["inventory.openapi"]
    return jsonify(document)


@bp.get("/docs")
def docs() -> Response:
    return Response(DOCS_PAGE, mimetype="text/html")


DOCS_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Inventory API</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }
details { border: 1px solid #ccc; border-radius: 4px; margin: .4rem 0; padding: .3rem .6rem; }
summary { cursor: pointer; }
.method { display: inline-block; width: 4.5rem; font-weight: bold; text-transform: uppercase; }
.get { color: #1565c0; } .post { color: #2e7d32; } .put, .patch { color: #ef6c00; } .delete { color: #c62828; }
pre { background: #f5f5f5; padding: .5rem; overflow: auto; }
</style>
</head>
<body>
<h1 id="title">Inventory API</h1>
<p>The raw document: <a href="openapi.json">openapi.json</a></p>
<div id="operations">Loading&hellip;</div>
<h2>Schemas</h2>
<div id="schemas"></div>
<script>
function el(tag, attrs, children) {
  const node = document.createElement(tag);
  Object.assign(node, attrs || {});
  for (const child of children || []) {
    node.append(child);
  }
  return node;
}
function pretty(value) {
  return el("pre", {textContent: JSON.stringify(value, null, 2)});
}
fetch("openapi.json").then(r => r.json()).then(spec => {
  document.getElementById("title").textContent = spec.info.title + " " + spec.info.version;
  const ops = document.getElementById("operations");
  ops.textContent = "";
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (method === "parameters") continue;
      const params = (item.parameters || []).concat(op.parameters || []);
      const body = [];
      if (op.description) body.push(el("p", {textContent: op.description}));
      if (params.length) body.push(el("h4", {textContent: "Parameters"}), pretty(params));
      if (op.requestBody) body.push(el("h4", {textContent: "Request body"}), pretty(op.requestBody.content));
      body.push(el("h4", {textContent: "Responses"}), pretty(op.responses));
      ops.append(el("details", {}, [
        el("summary", {}, [
          el("span", {className: "method " + method, textContent: method}),
          el("code", {textContent: path}), " \\u2014 " + (op.summary || "")
        ]),
        ...body
      ]));
    }
  }
  const schemas = document.getElementById("schemas");
  for (const [name, schema] of Object.entries(spec.components.schemas)) {
    schemas.append(el("details", {}, [el("summary", {textContent: name}), pretty(schema)]));
  }
}).catch(error => {
  document.getElementById("operations").textContent = "Could not load openapi.json: " + error;
});
</script>
</body>
</html>
"""
