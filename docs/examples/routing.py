from werkzeug.routing import BaseConverter, ValidationError

from erlen import Erlen, g, url_for

app = Erlen(__name__)


# --8<-- [start:converters]
@app.get("/files/<path:name>")
def show_file(name):
    # path accepts slashes: /files/docs/intro.md gives "docs/intro.md".
    return f"File {name}"


@app.get("/mode/<any(light, dark):mode>")
def set_mode(mode):
    return f"Mode {mode}"
# --8<-- [end:converters]


# --8<-- [start:custom]
class ListConverter(BaseConverter):
    """A comma-separated list in one path segment: /tags/a,b,c."""

    def to_python(self, value):
        items = value.split(",")
        if not all(items):
            # Not a match: the router tries other rules, then answers 404.
            raise ValidationError()
        return items

    def to_url(self, value):
        quote = super().to_url  # escapes each item for a URL
        return ",".join(quote(item) for item in value)


# Register converters before adding rules that use them.
app.url_map.converters["list"] = ListConverter


@app.get("/tags/<list:names>")
def tags(names):
    return {"tags": names, "url": url_for("tags", names=names)}
# --8<-- [end:custom]


# --8<-- [start:slashes]
@app.get("/projects/")
def projects():
    # /projects redirects (308) to /projects/, like a folder.
    return "All projects"


@app.get("/about")
def about():
    # /about/ is a 404, like a file.
    return "About"
# --8<-- [end:slashes]


# --8<-- [start:add_url_rule]
def health():
    return {"status": "ok"}


# The same as @app.get("/health", endpoint="health_check") on the function.
app.add_url_rule("/health", endpoint="health_check", view_func=health, methods=["GET"])
# --8<-- [end:add_url_rule]


# --8<-- [start:defaults]
@app.get("/docs/", defaults={"page": "index"})
@app.get("/docs/<page>")
def docs(page):
    return f"Docs page {page}"
# --8<-- [end:defaults]


# --8<-- [start:building]
@app.get("/build")
def build():
    return {
        "plain": url_for("docs", page="routing"),
        "default": url_for("docs", page="index"),
        "query": url_for("show_file", name="a b/c.txt", download=1),
        "anchor": url_for("about", _anchor="team"),
        "external": url_for("about", _external=True),
        "static": url_for("static", filename="style.css"),
    }
# --8<-- [end:building]


# --8<-- [start:preprocess]
@app.url_value_preprocessor
def pull_lang(endpoint, values):
    # Take lang_code out of the view arguments and keep it on g.
    if values and "lang_code" in values:
        g.lang_code = values.pop("lang_code")


@app.url_defaults
def add_lang(endpoint, values):
    # Fill it back in when building URLs for rules that need it.
    if "lang_code" not in values and app.url_map.is_endpoint_expecting(endpoint, "lang_code"):
        values["lang_code"] = g.get("lang_code", "en")


@app.get("/<lang_code>/welcome")
def welcome():
    return {"lang": g.lang_code, "self": url_for("welcome")}
# --8<-- [end:preprocess]
