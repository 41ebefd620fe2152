"""The eight scenarios as a Quart app (async views, awaited form/files/templates)."""

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
from quart import Quart
from quart import render_template
from quart import request
from quart import session

app = Quart(__name__)
app.secret_key = SECRET_KEY


@app.route("/")
async def index():
    return "Hello, World!"


@app.route("/json/<int:id>")
async def json_item(id):
    return json_payload(id)


def _static_view(i):
    async def view():
        return static_text(i)

    return view


def _dynamic_view(i):
    async def view(id):
        return dynamic_text(i, id)

    return view


for _i in range(ROUTE_PAIRS):
    app.add_url_rule(f"/route{_i}", f"static{_i}", _static_view(_i))
    app.add_url_rule(f"/route{_i}/<int:id>", f"dynamic{_i}", _dynamic_view(_i))


@app.route("/template")
async def template():
    return await render_template("page.html", title=TITLE, items=ITEMS)


@app.post("/form")
async def form():
    data = await request.form
    return form_text(len(data), data["f9"])


@app.route("/session")
async def counter():
    session["count"] = session.get("count", 0) + 1
    return str(session["count"])


@app.post("/upload")
async def upload():
    files = await request.files
    f = files["file"]
    return upload_text(f.filename, len(f.read()))
