"""The eight scenarios as an erlen app on its ASGI front, with ``async def`` views.

Serve ``erlen_asgi:app`` (the ``asgi_app`` attribute, as erlen's docs say);
``erlen_app`` is the :class:`erlen.Erlen` instance.
"""

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

from erlen import Erlen
from erlen import render_template
from erlen import request
from erlen import session

erlen_app = Erlen(__name__)
erlen_app.secret_key = SECRET_KEY


@erlen_app.route("/")
async def index():
    return "Hello, World!"


@erlen_app.route("/json/<int:id>")
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
    erlen_app.add_url_rule(f"/route{_i}", f"static{_i}", _static_view(_i))
    erlen_app.add_url_rule(f"/route{_i}/<int:id>", f"dynamic{_i}", _dynamic_view(_i))


@erlen_app.route("/template")
async def template():
    return render_template("page.html", title=TITLE, items=ITEMS)


@erlen_app.post("/form")
async def form():
    return form_text(len(request.form), request.form["f9"])


@erlen_app.route("/session")
async def counter():
    session["count"] = session.get("count", 0) + 1
    return str(session["count"])


@erlen_app.post("/upload")
async def upload():
    f = request.files["file"]
    return upload_text(f.filename, len(f.read()))


app = erlen_app.asgi_app
