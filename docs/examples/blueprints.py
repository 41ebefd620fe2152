from erlen import Blueprint, Erlen, abort, g, request, url_for

# --8<-- [start:define]
# In a real project each blueprint lives in its own module, e.g. shop/admin.py.
admin = Blueprint("admin", __name__, url_prefix="/admin")


@admin.before_request
def require_token():
    # Runs only for this blueprint's views.
    if request.headers.get("X-Admin-Token") != "letmein":
        abort(403)


@admin.get("/")
def dashboard():
    # ".users" is relative: admin.users, the endpoint in this blueprint.
    return {"page": "dashboard", "users": url_for(".users")}


@admin.get("/users")
def users():
    return {"page": "users"}


@admin.errorhandler(403)
def forbidden(error):
    # Handles 403s raised by this blueprint's views and hooks.
    return {"error": "admin token required"}, 403
# --8<-- [end:define]


# --8<-- [start:nested]
api = Blueprint("api", __name__, url_prefix="/api")
v1 = Blueprint("v1", __name__, url_prefix="/v1")


@v1.url_value_preprocessor
def note_version(endpoint, values):
    g.api_version = 1


@v1.get("/items/<int:item_id>")
def item(item_id):
    return {"id": item_id, "version": g.api_version, "self": url_for("api.v1.item", item_id=item_id)}


api.register_blueprint(v1)  # /api/v1/items/<id>, endpoint "api.v1.item"
# --8<-- [end:nested]


# --8<-- [start:register]
def create_app():
    app = Erlen(__name__)
    app.register_blueprint(admin)
    app.register_blueprint(api)
    # The same blueprint twice, under another name and prefix.
    app.register_blueprint(admin, name="staff", url_prefix="/staff")

    @app.get("/")
    def index():
        return {"admin": url_for("admin.dashboard"), "staff": url_for("staff.dashboard")}

    return app
# --8<-- [end:register]
