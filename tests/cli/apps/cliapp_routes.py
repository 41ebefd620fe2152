"""Routes from the app and from blueprints, for ``erlen routes``."""

from __future__ import annotations

from erlen import Blueprint
from erlen import Erlen

app = Erlen("cliapp_routes")


@app.route("/")
def index() -> str:
    return "index"


@app.route("/items", methods=["GET", "POST"])
def items() -> str:
    return "items"


@app.route("/items/<int:item_id>", methods=["PUT", "DELETE", "PATCH"])
def item(item_id: int) -> str:
    return str(item_id)


api = Blueprint("api", __name__, url_prefix="/api")


@api.route("/users")
def users() -> str:
    return "users"


@api.post("/zebra")
def zebra() -> str:
    return "zebra"


app.register_blueprint(api)
