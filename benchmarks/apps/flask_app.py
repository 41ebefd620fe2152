"""The eight scenarios as a plain Flask app (also run unmodified through erlen.compat.flask)."""

from __future__ import annotations

from bench_shared import ITEMS
from bench_shared import ROUTE_PAIRS
from bench_shared import SECRET_KEY
from bench_shared import TITLE
from bench_shared import dynamic_text
from bench_shared import form_text
from bench_shared import json_payload
from bench_shared import static_text
from bench_shared import upload_text
from flask import Flask
from flask import render_template
from flask import request
from flask import session

app = Flask(__name__)
app.secret_key = SECRET_KEY


@app.route("/")
def index():
    return "Hello, World!"


@app.route("/json/<int:id>")
def json_item(id):
    return json_payload(id)


def _static_view(i):
    def view():
        return static_text(i)

    return view


def _dynamic_view(i):
    def view(id):
        return dynamic_text(i, id)

    return view


for _i in range(ROUTE_PAIRS):
    app.add_url_rule(f"/route{_i}", f"static{_i}", _static_view(_i))
    app.add_url_rule(f"/route{_i}/<int:id>", f"dynamic{_i}", _dynamic_view(_i))


@app.route("/template")
def template():
    return render_template("page.html", title=TITLE, items=ITEMS)


@app.post("/form")
def form():
    return form_text(len(request.form), request.form["f9"])


@app.route("/session")
def counter():
    session["count"] = session.get("count", 0) + 1
    return str(session["count"])


@app.post("/upload")
def upload():
    f = request.files["file"]
    return upload_text(f.filename, len(f.read()))
