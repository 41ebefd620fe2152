"""A small Flask application written for Flask, without a word about erlen."""

import flask
from flask import Blueprint
from flask import Flask
from flask import abort
from flask import current_app
from flask import jsonify
from flask import render_template_string
from flask import request
from flask import session

app = Flask(__name__)
app.config["SECRET_KEY"] = "not secret"

api = Blueprint("api", __name__, url_prefix="/api")


@api.get("/items/<int:item_id>")
def item(item_id):
    if item_id == 0:
        abort(404)
    return jsonify(id=item_id, tags=request.args.getlist("tag"))


@api.errorhandler(404)
def api_not_found(error):
    return {"error": "not found"}, 404


app.register_blueprint(api)


@app.get("/")
def index():
    return render_template_string(
        "<p>{{ greeting }} from {{ kind }}</p>",
        greeting="Hello",
        kind=type(current_app._get_current_object()).__module__,
    )


@app.post("/count")
def count():
    session["n"] = session.get("n", 0) + 1
    return {"n": session["n"], "is_flask": isinstance(current_app, flask.Flask)}


@app.cli.command("greet")
def greet():
    """Say which application class runs."""
    print(f"hello from {type(current_app._get_current_object()).__name__}")
