"""The inventory REST API, an example erlen app: see examples/inventory/README.md."""

from __future__ import annotations

import os
import typing as t

from sqlalchemy.orm import sessionmaker
from werkzeug.exceptions import HTTPException

from erlen import Erlen

from . import openapi
from . import views
from .models import Base
from .models import close_session
from .models import make_engine


def create_app(
    config: t.Mapping[str, t.Any] | None = None, *, instance_path: str | None = None
) -> Erlen:
    """Create the app; ``DATABASE_URL`` defaults to a SQLite file in the instance folder.

    ``INVENTORY_DATABASE_URL`` in the environment overrides the default;
    ``config`` overrides both.
    """
    app = Erlen(__name__, instance_path=instance_path, instance_relative_config=True)
    app.config.from_mapping(
        DATABASE_URL=os.environ.get("INVENTORY_DATABASE_URL")
        or "sqlite:///" + os.path.join(app.instance_path, "inventory.sqlite3"),
    )
    if config is not None:
        app.config.from_mapping(config)
    if app.config["DATABASE_URL"].startswith("sqlite:///" + app.instance_path):
        os.makedirs(app.instance_path, exist_ok=True)

    engine = make_engine(app.config["DATABASE_URL"])
    Base.metadata.create_all(engine)
    app.extensions["inventory.engine"] = engine
    app.extensions["inventory.sessionmaker"] = sessionmaker(engine, expire_on_commit=False)
    app.extensions["inventory.openapi"] = openapi.build_spec()
    app.teardown_appcontext(close_session)

    app.register_blueprint(views.bp)
    app.register_blueprint(openapi.bp)
    app.register_error_handler(HTTPException, views.http_error)
    return app
