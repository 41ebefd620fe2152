"""HTML error pages."""

from werkzeug.exceptions import HTTPException

from erlen import render_template

MESSAGES = {
    403: "You are not allowed to do that.",
    404: "There is nothing here.",
    500: "Something went wrong on our side.",
}


def handle_http_exception(error):
    status = error.code or 500
    message = MESSAGES.get(status, error.description)
    return render_template("errors/error.html", status=status, title=error.name, message=message), status


def init_app(app):
    app.register_error_handler(HTTPException, handle_http_exception)
