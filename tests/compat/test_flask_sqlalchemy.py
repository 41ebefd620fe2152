"""Flask-SQLAlchemy on erlen: models, a session per app context, pagination, get_or_404."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from flask import Flask
from flask import abort
from flask import jsonify
from flask import request
from flask.typing import ResponseReturnValue
from flask_sqlalchemy import SQLAlchemy
from flask_sqlalchemy.model import Model
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

import erlen

#: Every test runs on the WSGI and on the ASGI front.
pytestmark = pytest.mark.usefixtures("front")


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


class Author(db.Model):  # type: ignore[name-defined,misc]
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(50), unique=True)


class Book(db.Model):  # type: ignore[name-defined,misc]
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str]
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("author.id"))


def create_app(uri: str) -> Flask:
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = uri
    db.init_app(app)

    @app.get("/authors/<int:author_id>")
    def author(author_id: int) -> ResponseReturnValue:
        found = db.get_or_404(Author, author_id, description="no such author")
        return {"id": found.id, "name": found.name}

    @app.get("/authors/by-name/<name>")
    def author_by_name(name: str) -> ResponseReturnValue:
        found = db.first_or_404(sa.select(Author).filter_by(name=name))
        return {"id": found.id}

    @app.post("/books")
    def add_book() -> ResponseReturnValue:
        data = request.get_json()
        if db.session.get(Author, data["author_id"]) is None:
            abort(400)
        book = Book(title=data["title"], author_id=data["author_id"])
        db.session.add(book)
        db.session.commit()
        return jsonify(id=book.id), 201

    @app.get("/books")
    def books() -> ResponseReturnValue:
        page = db.paginate(sa.select(Book).order_by(Book.id), max_per_page=10)
        return {
            "items": [b.title for b in page.items],
            "page": page.page,
            "pages": page.pages,
            "total": page.total,
            "has_next": page.has_next,
            "next_num": page.next_num,
            "iter_pages": list(page.iter_pages()),
        }

    return app


@pytest.fixture
def app(sqlite_uri: str) -> Iterator[Flask]:
    app = create_app(sqlite_uri)
    with app.app_context():
        db.create_all()
        db.session.add(Author(name="Ursula"))
        db.session.commit()
    yield app
    with app.app_context():
        db.drop_all()
        db.engine.dispose()


def test_extension_registered_on_erlen_app(app: Flask, erlen_only: None) -> None:
    assert isinstance(app, erlen.Erlen)
    assert app.extensions["sqlalchemy"] is db
    assert issubclass(Author, Model)


def test_models_and_queries(app: Flask, sqlite_uri: str) -> None:
    client = app.test_client()
    for i in range(25):
        response = client.post("/books", json={"title": f"Book {i}", "author_id": 1})
        assert response.status_code == 201
        assert response.get_json() == {"id": i + 1}
    assert client.post("/books", json={"title": "x", "author_id": 9}).status_code == 400
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Book)) == 25
    # the data is really in the SQLite file
    engine = sa.create_engine(sqlite_uri)
    with engine.connect() as conn:
        assert conn.scalar(sa.text("select count(*) from book")) == 25
    engine.dispose()


def test_pagination(app: Flask) -> None:
    client = app.test_client()
    for i in range(25):
        client.post("/books", json={"title": f"B{i}", "author_id": 1})
    first = client.get("/books?per_page=10").get_json()
    assert first["items"] == [f"B{i}" for i in range(10)]
    assert first["pages"] == 3 and first["total"] == 25 and first["has_next"]
    assert first["next_num"] == 2 and first["iter_pages"] == [1, 2, 3]
    last = client.get("/books?page=3&per_page=10").get_json()
    assert last["items"] == [f"B{i}" for i in range(20, 25)] and not last["has_next"]
    # max_per_page caps per_page; a page past the end is a 404, as in Flask
    assert len(client.get("/books?per_page=50").get_json()["items"]) == 10
    assert client.get("/books?page=9").status_code == 404


def test_get_or_404_and_first_or_404(app: Flask) -> None:
    client = app.test_client()
    assert client.get("/authors/1").get_json() == {"id": 1, "name": "Ursula"}
    missing = client.get("/authors/2")
    assert missing.status_code == 404
    assert b"no such author" in missing.data
    assert client.get("/authors/by-name/Ursula").get_json() == {"id": 1}
    assert client.get("/authors/by-name/Nobody").status_code == 404


def test_session_is_scoped_to_the_app_context(app: Flask) -> None:
    with app.app_context():
        first = db.session()
        assert db.session() is first
        with app.app_context():
            assert db.session() is not first
        assert db.session() is first
    with app.app_context():
        assert db.session() is not first


def test_session_removed_on_teardown(app: Flask) -> None:
    with app.app_context():
        author = db.session.get(Author, 1)
        assert author is not None
        author.name = "changed but not committed"
    with app.app_context():
        # the uncommitted change was rolled back when the context was torn down
        assert db.session.get(Author, 1).name == "Ursula"  # type: ignore[union-attr]
