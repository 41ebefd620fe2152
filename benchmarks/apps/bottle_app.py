"""The eight scenarios as a Bottle app (its router, forms, files, signed cookies, jinja2_template).

The Jinja2 adapter gets ``autoescape=True`` (the others autoescape .html by
default) and ``auto_reload=False``: Bottle's loader reports every template as
stale, so with Jinja2's default the base template would be recompiled on
every request.
"""

from __future__ import annotations

import functools

import bottle
from bench_shared import ITEMS
from bench_shared import ROUTE_PAIRS
from bench_shared import SECRET_KEY
from bench_shared import TEMPLATES_DIR
from bench_shared import TITLE
from bench_shared import dynamic_text
from bench_shared import form_text
from bench_shared import json_payload
from bench_shared import static_text
from bench_shared import upload_text
from bottle import request
from bottle import response

app = bottle.Bottle()
template = functools.partial(
    bottle.jinja2_template,
    template_lookup=[TEMPLATES_DIR],
    template_settings={"autoescape": True, "auto_reload": False},
)


@app.get("/")
def index():
    response.content_type = "text/plain"
    return "Hello, World!"


@app.get("/json/<id:int>")
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
    app.route(f"/route{_i}", callback=_static_view(_i))
    app.route(f"/route{_i}/<id:int>", callback=_dynamic_view(_i))


@app.get("/template")
def page():
    return template("page.html", title=TITLE, items=ITEMS)


@app.post("/form")
def form():
    return form_text(len(request.forms), request.forms.getunicode("f9"))


@app.get("/session")
def counter():
    count = request.get_cookie("session", secret=SECRET_KEY) or 0
    count += 1
    response.set_cookie("session", count, secret=SECRET_KEY, path="/", httponly=True)
    return str(count)


@app.post("/upload")
def upload():
    f = request.files.get("file")
    return upload_text(f.raw_filename, len(f.file.read()))
