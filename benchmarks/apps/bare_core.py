"""The floor: the eight scenarios with no framework, shared by bare_wsgi and bare_asgi.

Only what each scenario needs: dict lookups for routes, the stdlib for forms,
an HMAC-signed JSON cookie, a minimal multipart split, and a module-level
Jinja2 environment. No error handling beyond a 400/404.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from urllib.parse import parse_qsl

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

TEXT = [(b"content-type", b"text/plain; charset=utf-8")]
HTML = [(b"content-type", b"text/html; charset=utf-8")]
JSON = [(b"content-type", b"application/json")]
_KEY = SECRET_KEY.encode()

templates = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES_DIR), autoescape=jinja2.select_autoescape()
)


def _text(s):
    return 200, TEXT, s.encode()


def index(req):
    return 200, TEXT, b"Hello, World!"


def json_item(req, id):
    return 200, JSON, json.dumps(json_payload(id), separators=(",", ":")).encode()


def template(req):
    return 200, HTML, templates.get_template("page.html").render(title=TITLE, items=ITEMS).encode()


def form(req):
    fields = dict(parse_qsl(req["body"].decode("latin-1")))
    return _text(form_text(len(fields), fields["f9"]))


def _sign(data):
    payload = base64.urlsafe_b64encode(json.dumps(data).encode())
    sig = base64.urlsafe_b64encode(hmac.new(_KEY, payload, hashlib.sha256).digest())
    return (payload + b"." + sig).decode()


def _unsign(value):
    payload, _, sig = value.encode().partition(b".")
    good = base64.urlsafe_b64encode(hmac.new(_KEY, payload, hashlib.sha256).digest())
    if not hmac.compare_digest(sig, good):
        return {}
    return json.loads(base64.urlsafe_b64decode(payload))


def session(req):
    data = {}
    for pair in req["cookie"].split(";"):
        name, _, value = pair.strip().partition("=")
        if name == "session":
            data = _unsign(value)
    data["count"] = data.get("count", 0) + 1
    cookie = f"session={_sign(data)}; Path=/; HttpOnly".encode()
    return 200, [*TEXT, (b"set-cookie", cookie)], str(data["count"]).encode()


def upload(req):
    ctype = req["content_type"]
    boundary = ctype.partition("boundary=")[2].encode()
    for part in req["body"].split(b"--" + boundary):
        head, _, data = part.partition(b"\r\n\r\n")
        if b'name="file"' in head:
            filename = head.partition(b'filename="')[2].partition(b'"')[0].decode()
            return _text(upload_text(filename, len(data) - 2))  # minus the CRLF before the boundary
    return 400, TEXT, b"no file"


STATIC = {("GET", "/"): index, ("GET", "/template"): template, ("POST", "/form"): form,
          ("GET", "/session"): session, ("POST", "/upload"): upload}
DYNAMIC = {"/json": json_item}


def _static(i):
    return lambda req: _text(static_text(i))


def _dynamic(i):
    return lambda req, id: _text(dynamic_text(i, id))


for _i in range(ROUTE_PAIRS):
    STATIC["GET", f"/route{_i}"] = _static(_i)
    DYNAMIC[f"/route{_i}"] = _dynamic(_i)


def handle(req):
    """``req`` has method, path, cookie, content_type and body; returns (status, headers, body)."""
    view = STATIC.get((req["method"], req["path"]))
    if view is not None:
        return view(req)
    prefix, _, last = req["path"].rpartition("/")
    view = DYNAMIC.get(prefix)
    if view is not None and req["method"] == "GET" and last.isdigit():
        return view(req, int(last))
    return 404, TEXT, b"Not Found"
