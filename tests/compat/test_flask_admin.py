"""Flask-Admin on erlen: SQLAlchemy model views (list, create, edit, delete, search), custom views."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from flask_admin import Admin
from flask_admin import BaseView
from flask_admin import expose
from flask_admin.contrib.sqla import ModelView
from flask_babel import Babel
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

#: Every test runs on the WSGI and on the ASGI front.
pytestmark = pytest.mark.usefixtures("front")


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


class Planet(db.Model):  # type: ignore[name-defined]
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(40), unique=True)
    moons: Mapped[int] = mapped_column(default=0)


class PlanetView(ModelView):
    column_searchable_list = ["name"]
    column_default_sort = "name"


class StatsView(BaseView):
    @expose("/")
    def index(self) -> str:
        count = db.session.scalar(sa.select(sa.func.count()).select_from(Planet))
        return f"{count} planets"


@pytest.fixture
def app(sqlite_uri: str) -> Iterator[Flask]:
    app = Flask(__name__)
    app.config.update(SQLALCHEMY_DATABASE_URI=sqlite_uri, SECRET_KEY="admin")
    db.init_app(app)
    # Flask-Admin translates through Flask-Babel when it is installed
    Babel(app)
    admin = Admin(app, name="Solar")
    admin.add_view(PlanetView(Planet, db))
    admin.add_view(StatsView(name="Stats", endpoint="stats"))
    with app.app_context():
        db.create_all()
        db.session.add_all([Planet(name="Mars", moons=2), Planet(name="Earth", moons=1)])
        db.session.commit()
    yield app
    with app.app_context():
        db.drop_all()
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def test_index_and_menu(client: FlaskClient) -> None:
    page = client.get("/admin/").get_data(as_text=True)
    assert "Solar" in page
    assert 'href="/admin/planet/"' in page and 'href="/admin/stats/"' in page
    assert client.get("/admin/stats/").get_data(as_text=True) == "2 planets"


def test_list_and_search(client: FlaskClient) -> None:
    listing = client.get("/admin/planet/").get_data(as_text=True)
    assert listing.index("Earth") < listing.index("Mars")
    found = client.get("/admin/planet/?search=mar").get_data(as_text=True)
    assert "Mars" in found and "Earth" not in found


def test_create_edit_delete(app: Flask, client: FlaskClient) -> None:
    form = client.get("/admin/planet/new/").get_data(as_text=True)
    assert 'name="name"' in form and 'name="moons"' in form
    created = client.post("/admin/planet/new/", data={"name": "Jupiter", "moons": "95"})
    assert created.status_code == 302
    with app.app_context():
        jupiter = db.session.scalar(sa.select(Planet).filter_by(name="Jupiter"))
        assert jupiter is not None and jupiter.moons == 95
        jupiter_id = jupiter.id
    # the flashed confirmation shows on the next page
    assert "Record was successfully created." in client.get("/admin/planet/").get_data(as_text=True)

    edited = client.post(
        f"/admin/planet/edit/?id={jupiter_id}", data={"name": "Jupiter", "moons": "97"}
    )
    assert edited.status_code == 302
    with app.app_context():
        assert db.session.get(Planet, jupiter_id).moons == 97  # type: ignore[union-attr]

    deleted = client.post("/admin/planet/delete/", data={"id": str(jupiter_id)})
    assert deleted.status_code == 302
    with app.app_context():
        assert db.session.get(Planet, jupiter_id) is None


def test_validation_error_keeps_the_form(client: FlaskClient) -> None:
    response = client.post("/admin/planet/new/", data={"name": "Mars", "moons": "x"})
    assert response.status_code == 200
    assert "Not a valid integer value." in response.get_data(as_text=True)
