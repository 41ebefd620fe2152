"""The eight scenarios as a Starlette app (async endpoints, Jinja2Templates, SessionMiddleware)."""

from __future__ import annotations

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
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.responses import JSONResponse
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.templating import Jinja2Templates

templates = Jinja2Templates(directory=TEMPLATES_DIR)


async def index(request):
    return PlainTextResponse("Hello, World!")


async def json_item(request):
    return JSONResponse(json_payload(request.path_params["id"]))


def _static_endpoint(i):
    async def endpoint(request):
        return PlainTextResponse(static_text(i))

    return endpoint


def _dynamic_endpoint(i):
    async def endpoint(request):
        return PlainTextResponse(dynamic_text(i, request.path_params["id"]))

    return endpoint


async def template(request):
    return templates.TemplateResponse(request, "page.html", {"title": TITLE, "items": ITEMS})


async def form(request):
    async with request.form() as data:
        return PlainTextResponse(form_text(len(data), data["f9"]))


async def counter(request):
    request.session["count"] = request.session.get("count", 0) + 1
    return PlainTextResponse(str(request.session["count"]))


async def upload(request):
    async with request.form() as data:
        f = data["file"]
        return PlainTextResponse(upload_text(f.filename, len(await f.read())))


routes = [
    Route("/", index),
    Route("/json/{id:int}", json_item),
]
for _i in range(ROUTE_PAIRS):
    routes.append(Route(f"/route{_i}", _static_endpoint(_i)))
    routes.append(Route(f"/route{_i}/{{id:int}}", _dynamic_endpoint(_i)))
routes += [
    Route("/template", template),
    Route("/form", form, methods=["POST"]),
    Route("/session", counter),
    Route("/upload", upload, methods=["POST"]),
]

app = Starlette(routes=routes, middleware=[Middleware(SessionMiddleware, secret_key=SECRET_KEY)])
