"""The REST API: categories, products and stock adjustments."""

from __future__ import annotations

import math
import typing as t

from marshmallow import Schema
from marshmallow import ValidationError
from sqlalchemy import Select
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import BadRequest
from werkzeug.exceptions import Conflict
from werkzeug.exceptions import HTTPException
from werkzeug.exceptions import NotFound

from erlen import Blueprint
from erlen import Response
from erlen import jsonify
from erlen import request
from erlen import url_for

from .models import Category
from .models import Product
from .models import get_session
from .schemas import CategoryListArgsSchema
from .schemas import CategoryPageSchema
from .schemas import CategorySchema
from .schemas import ProductListArgsSchema
from .schemas import ProductPageSchema
from .schemas import ProductSchema
from .schemas import StockAdjustmentSchema

bp = Blueprint("api", __name__)

category_schema = CategorySchema()
product_schema = ProductSchema()

ModelT = t.TypeVar("ModelT", Category, Product)


class InvalidInput(BadRequest):
    """400 carrying marshmallow's field errors and where they were found."""

    def __init__(self, location: str, errors: t.Any) -> None:
        super().__init__("The request failed validation.")
        self.location = location
        self.errors = errors


def _json_body() -> dict[str, t.Any]:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise InvalidInput("json", {"_schema": ["The body must be a JSON object."]})
    return data


def _load(schema: Schema, data: t.Mapping[str, t.Any], location: str, *, partial: bool = False) -> dict[str, t.Any]:
    try:
        loaded: dict[str, t.Any] = schema.load(data, partial=partial)
    except ValidationError as error:
        raise InvalidInput(location, error.messages) from error
    return loaded


def _query_args(schema: Schema) -> dict[str, t.Any]:
    # Only the first value of each query argument counts.
    return _load(schema, request.args.to_dict(), "query")


def _get_or_404(model: type[ModelT], ident: int) -> ModelT:
    obj = get_session().get(model, ident)
    if obj is None:
        raise NotFound(f"{model.__name__} {ident} does not exist.")
    return obj


def _commit() -> None:
    session = get_session()
    try:
        session.commit()
    except IntegrityError as error:
        session.rollback()
        raise Conflict(_conflict_message(str(error.orig))) from error


def _conflict_message(detail: str) -> str:
    if "product.sku" in detail:
        return "A product with this SKU already exists."
    if "category.name" in detail:
        return "A category with this name already exists."
    if "FOREIGN KEY" in detail.upper():
        return "The referenced category does not exist."
    return "The change conflicts with the stored data."


def _check_category(category_id: int | None) -> None:
    if category_id is not None and get_session().get(Category, category_id) is None:
        raise InvalidInput("json", {"category_id": [f"Category {category_id} does not exist."]})


def _page(query: Select[t.Any], args: dict[str, t.Any], schema: Schema) -> Response:
    session = get_session()
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    page, per_page = args["page"], args["per_page"]
    items = session.scalars(query.limit(per_page).offset((page - 1) * per_page)).all()
    body = {
        "items": items,
        "page": page,
        "per_page": per_page,
        "total": total,
        "pages": math.ceil(total / per_page),
    }
    return jsonify(schema.dump(body))


def _order_by(model: type[Category] | type[Product], sort: str) -> t.Any:
    column = getattr(model, sort.lstrip("-"))
    return column.desc() if sort.startswith("-") else column.asc()


def _created(body: t.Any, location: str) -> tuple[Response, int, dict[str, str]]:
    return jsonify(body), 201, {"Location": location}


# -- categories --------------------------------------------------------------


@bp.get("/categories")
def list_categories() -> Response:
    args = _query_args(CategoryListArgsSchema())
    query = select(Category)
    if "q" in args:
        query = query.where(Category.name.icontains(args["q"], autoescape=True))
    query = query.order_by(_order_by(Category, args["sort"]), Category.id)
    return _page(query, args, CategoryPageSchema())


@bp.post("/categories")
def create_category() -> tuple[Response, int, dict[str, str]]:
    data = _load(category_schema, _json_body(), "json")
    category = Category(**data)
    get_session().add(category)
    _commit()
    return _created(
        category_schema.dump(category), url_for(".get_category", category_id=category.id)
    )


@bp.get("/categories/<int:category_id>")
def get_category(category_id: int) -> Response:
    return jsonify(category_schema.dump(_get_or_404(Category, category_id)))


@bp.route("/categories/<int:category_id>", methods=["PUT", "PATCH"])
def update_category(category_id: int) -> Response:
    category = _get_or_404(Category, category_id)
    data = _load(category_schema, _json_body(), "json", partial=request.method == "PATCH")
    for key, value in data.items():
        setattr(category, key, value)
    _commit()
    return jsonify(category_schema.dump(category))


@bp.delete("/categories/<int:category_id>")
def delete_category(category_id: int) -> tuple[str, int]:
    category = _get_or_404(Category, category_id)
    session = get_session()
    in_use = session.scalar(
        select(func.count()).select_from(Product).where(Product.category_id == category_id)
    )
    if in_use:
        raise Conflict(f"Category {category_id} still has {in_use} product(s).")
    session.delete(category)
    _commit()
    return "", 204


# -- products ----------------------------------------------------------------


@bp.get("/products")
def list_products() -> Response:
    args = _query_args(ProductListArgsSchema())
    query = select(Product)
    if "q" in args:
        query = query.where(Product.name.icontains(args["q"], autoescape=True))
    if "category_id" in args:
        query = query.where(Product.category_id == args["category_id"])
    if "min_price" in args:
        query = query.where(Product.price >= args["min_price"])
    if "max_price" in args:
        query = query.where(Product.price <= args["max_price"])
    if "in_stock" in args:
        query = query.where(Product.stock > 0 if args["in_stock"] else Product.stock == 0)
    query = query.order_by(_order_by(Product, args["sort"]), Product.id)
    return _page(query, args, ProductPageSchema())


@bp.post("/products")
def create_product() -> tuple[Response, int, dict[str, str]]:
    data = _load(product_schema, _json_body(), "json")
    _check_category(data["category_id"])
    product = Product(**data)
    get_session().add(product)
    _commit()
    return _created(
        product_schema.dump(product), url_for(".get_product", product_id=product.id)
    )


@bp.get("/products/<int:product_id>")
def get_product(product_id: int) -> Response:
    return jsonify(product_schema.dump(_get_or_404(Product, product_id)))


@bp.route("/products/<int:product_id>", methods=["PUT", "PATCH"])
def update_product(product_id: int) -> Response:
    product = _get_or_404(Product, product_id)
    data = _load(product_schema, _json_body(), "json", partial=request.method == "PATCH")
    if "category_id" in data:
        _check_category(data["category_id"])
    for key, value in data.items():
        setattr(product, key, value)
    _commit()
    return jsonify(product_schema.dump(product))


@bp.delete("/products/<int:product_id>")
def delete_product(product_id: int) -> tuple[str, int]:
    session = get_session()
    session.delete(_get_or_404(Product, product_id))
    _commit()
    return "", 204


@bp.post("/products/<int:product_id>/stock")
def adjust_stock(product_id: int) -> Response:
    """Add a signed ``delta`` to the stock in one conditional UPDATE.

    The database checks and changes the stock in the same statement, so
    concurrent adjustments can never take it below zero: an UPDATE that
    would matches no row, and the request gets 409.
    """
    delta: int = _load(StockAdjustmentSchema(), _json_body(), "json")["delta"]
    session = get_session()
    result = session.execute(
        update(Product)
        .where(Product.id == product_id, Product.stock + delta >= 0)
        .values(stock=Product.stock + delta)
        .execution_options(synchronize_session=False)
    )
    session.commit()
    if getattr(result, "rowcount", 0) != 1:
        product = _get_or_404(Product, product_id)
        raise Conflict(
            f"Not enough stock: {product.stock} in stock, cannot apply {delta}."
        )
    product = _get_or_404(Product, product_id)
    session.refresh(product)
    return jsonify(product_schema.dump(product))


# -- errors ------------------------------------------------------------------


def http_error(error: HTTPException) -> tuple[Response, int]:
    """Every HTTP error as JSON: ``{"code", "name", "message"[, "errors"]}``."""
    body: dict[str, t.Any] = {
        "code": error.code,
        "name": error.name,
        "message": error.description,
    }
    if isinstance(error, InvalidInput):
        body["errors"] = {error.location: error.errors}
    response = jsonify(body)
    if error.code == 405:
        valid = error.get_response().headers.get("Allow")
        if valid:
            response.headers["Allow"] = valid
    return response, error.code or 500
