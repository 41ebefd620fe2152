import logging

from werkzeug.exceptions import HTTPException, InternalServerError

from erlen import Erlen, abort, jsonify, request

app = Erlen(__name__)


# --8<-- [start:custom]
class OutOfStock(Exception):
    """Raised by the shop's code; not an HTTP error by itself."""

    def __init__(self, item):
        super().__init__(item)
        self.item = item


@app.errorhandler(OutOfStock)
def out_of_stock(error):
    return {"error": f"{error.item} is out of stock"}, 409


@app.post("/orders/<item>")
def order(item):
    if item == "tea":
        raise OutOfStock(item)
    return {"ordered": item}, 201
# --8<-- [end:custom]


# --8<-- [start:http]
@app.errorhandler(HTTPException)
def http_error(error):
    """Every HTTP error (404, 405, abort(403)...) as JSON under /api/."""
    if not request.path.startswith("/api/"):
        return error  # keep the default HTML page
    response = jsonify(error=error.name, description=error.description)
    response.status_code = error.code
    return response


@app.get("/api/secret")
def secret():
    abort(403, description="You need the key.")
# --8<-- [end:http]


# --8<-- [start:500]
@app.errorhandler(InternalServerError)
def server_error(error):
    # For an unhandled exception, error.original_exception is that exception.
    # It was already logged with its traceback before this handler runs.
    return {"error": "Something went wrong on our side."}, 500


@app.get("/broken")
def broken():
    return 1 / 0
# --8<-- [end:500]


# --8<-- [start:logging]
# app.logger is the standard logger named app.name (here the module's name).
# Its level is unset (WARNING via the root logger) unless debug mode is on.
app.logger.setLevel(logging.INFO)


@app.post("/login")
def login():
    user = request.form.get("user", "")
    app.logger.info("login attempt for %r from %s", user, request.remote_addr)
    return {"ok": True}
# --8<-- [end:logging]
