"""The eight scenarios as a Falcon ASGI app (resources, media handlers, a Jinja2 environment).

Falcon has no sessions: the session resource signs a JSON cookie with
itsdangerous, as Falcon's docs suggest doing in the app.
"""

from __future__ import annotations

import falcon
import falcon.asgi
import jinja2
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
from itsdangerous import BadSignature
from itsdangerous import URLSafeSerializer

templates = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
    autoescape=jinja2.select_autoescape(),
)
signer = URLSafeSerializer(SECRET_KEY, salt="session")


class Index:
    async def on_get(self, req, resp):
        resp.content_type = falcon.MEDIA_TEXT
        resp.text = "Hello, World!"


class JsonItem:
    async def on_get(self, req, resp, id):
        resp.media = json_payload(id)


class StaticRoute:
    def __init__(self, i):
        self.i = i

    async def on_get(self, req, resp):
        resp.content_type = falcon.MEDIA_TEXT
        resp.text = static_text(self.i)


class DynamicRoute:
    def __init__(self, i):
        self.i = i

    async def on_get(self, req, resp, id):
        resp.content_type = falcon.MEDIA_TEXT
        resp.text = dynamic_text(self.i, id)


class Template:
    async def on_get(self, req, resp):
        resp.content_type = falcon.MEDIA_HTML
        resp.text = templates.get_template("page.html").render(title=TITLE, items=ITEMS)


class Form:
    async def on_post(self, req, resp):
        form = await req.get_media()
        resp.content_type = falcon.MEDIA_TEXT
        resp.text = form_text(len(form), form["f9"])


class Session:
    async def on_get(self, req, resp):
        data = {}
        raw = req.cookies.get("session")
        if raw:
            try:
                data = signer.loads(raw)
            except BadSignature:
                data = {}
        data["count"] = data.get("count", 0) + 1
        resp.set_cookie("session", signer.dumps(data), secure=False, path="/")
        resp.content_type = falcon.MEDIA_TEXT
        resp.text = str(data["count"])


class Upload:
    async def on_post(self, req, resp):
        async for part in await req.get_media():
            if part.name == "file":
                resp.content_type = falcon.MEDIA_TEXT
                resp.text = upload_text(part.filename, len(await part.get_data()))
                return
        raise falcon.HTTPBadRequest()


app = falcon.asgi.App()
app.add_route("/", Index())
app.add_route("/json/{id:int}", JsonItem())
for _i in range(ROUTE_PAIRS):
    app.add_route(f"/route{_i}", StaticRoute(_i))
    app.add_route(f"/route{_i}/{{id:int}}", DynamicRoute(_i))
app.add_route("/template", Template())
app.add_route("/form", Form())
app.add_route("/session", Session())
app.add_route("/upload", Upload())
