"""Routes with subdomains, so ``erlen routes`` shows a Subdomain column."""

from __future__ import annotations

from erlen import Blueprint
from erlen import Erlen

app = Erlen("cliapp_subdomains", subdomain_matching=True)
app.config["SERVER_NAME"] = "example.test"


@app.route("/")
def index() -> str:
    return "index"


admin = Blueprint("admin", __name__, subdomain="admin")


@admin.route("/dashboard")
def dashboard() -> str:
    return "dashboard"


app.register_blueprint(admin)
