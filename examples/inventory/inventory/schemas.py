"""Marshmallow schemas: request validation and response serialization."""

from __future__ import annotations

import typing as t

from marshmallow import Schema
from marshmallow import ValidationError
from marshmallow import fields
from marshmallow import validate
from marshmallow import validates_schema

PRODUCT_SORT_FIELDS = ("id", "name", "sku", "price", "stock", "created_at")
CATEGORY_SORT_FIELDS = ("id", "name")


def _sort_choices(names: t.Iterable[str]) -> list[str]:
    return [prefix + name for name in names for prefix in ("", "-")]


class CategorySchema(Schema):
    id = fields.Integer(dump_only=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=80))
    description = fields.String(load_default="", validate=validate.Length(max=500))


class ProductSchema(Schema):
    id = fields.Integer(dump_only=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=120))
    sku = fields.String(
        required=True,
        validate=[
            validate.Length(min=1, max=40),
            validate.Regexp(r"^[A-Za-z0-9_-]+$", error="Only letters, digits, '-' and '_'."),
        ],
    )
    description = fields.String(load_default="", validate=validate.Length(max=2000))
    price = fields.Float(
        required=True, allow_nan=False, validate=validate.Range(min=0)
    )
    stock = fields.Integer(strict=True, load_default=0, validate=validate.Range(min=0))
    category_id = fields.Integer(strict=True, allow_none=True, load_default=None)
    created_at = fields.DateTime(dump_only=True)


class StockAdjustmentSchema(Schema):
    delta = fields.Integer(
        required=True,
        strict=True,
        validate=validate.NoneOf([0], error="Must not be zero."),
    )


class PageArgsSchema(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1))
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))


class CategoryListArgsSchema(PageArgsSchema):
    q = fields.String(validate=validate.Length(min=1, max=80))
    sort = fields.String(
        load_default="id", validate=validate.OneOf(_sort_choices(CATEGORY_SORT_FIELDS))
    )


class ProductListArgsSchema(PageArgsSchema):
    q = fields.String(validate=validate.Length(min=1, max=120))
    category_id = fields.Integer()
    min_price = fields.Float(allow_nan=False, validate=validate.Range(min=0))
    max_price = fields.Float(allow_nan=False, validate=validate.Range(min=0))
    in_stock = fields.Boolean()
    sort = fields.String(
        load_default="id", validate=validate.OneOf(_sort_choices(PRODUCT_SORT_FIELDS))
    )

    @validates_schema
    def _price_range(self, data: dict[str, t.Any], **_kwargs: t.Any) -> None:
        low, high = data.get("min_price"), data.get("max_price")
        if low is not None and high is not None and low > high:
            raise ValidationError("Must not be below min_price.", "max_price")


class PageMetaSchema(Schema):
    page = fields.Integer()
    per_page = fields.Integer()
    total = fields.Integer()
    pages = fields.Integer()


class CategoryPageSchema(PageMetaSchema):
    items = fields.List(fields.Nested(CategorySchema))


class ProductPageSchema(PageMetaSchema):
    items = fields.List(fields.Nested(ProductSchema))


class ErrorSchema(Schema):
    code = fields.Integer()
    name = fields.String()
    message = fields.String()
    errors = fields.Dict(
        metadata={"description": "Field errors, by location then field name."}
    )
