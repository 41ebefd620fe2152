"""Flask-WTF on erlen: forms, validation, CSRF protection and its error, file fields."""

from __future__ import annotations

import io
import re

import pytest
from flask import Blueprint
from flask import Flask
from flask import render_template_string
from flask.testing import FlaskClient
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFError
from flask_wtf.csrf import CSRFProtect
from flask_wtf.file import FileAllowed
from flask_wtf.file import FileField
from flask_wtf.file import FileRequired
from wtforms import IntegerField
from wtforms import StringField
from wtforms.validators import DataRequired
from wtforms.validators import NumberRange

#: Every test runs on the WSGI and on the ASGI front.
pytestmark = pytest.mark.usefixtures("front")

FORM = """<form method=post enctype=multipart/form-data>
{{ form.hidden_tag() }}{{ form.name() }}{{ form.age() }}
{% for field, errors in form.errors.items() %}{{ field }}: {{ errors|join(', ') }};{% endfor %}
</form>"""


class ProfileForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired()])
    age = IntegerField("Age", validators=[NumberRange(min=0, max=150)])


class UploadForm(FlaskForm):
    document = FileField(validators=[FileRequired(), FileAllowed(["txt"], "Text files only")])


csrf = CSRFProtect()


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["SECRET_KEY"] = "wtf secret"
    csrf.init_app(app)

    @app.route("/profile", methods=["GET", "POST"])
    def profile() -> ResponseReturnValue:
        form = ProfileForm()
        if form.validate_on_submit():
            return {"name": form.name.data, "age": form.age.data}
        return render_template_string(FORM, form=form)

    @app.route("/upload", methods=["GET", "POST"])
    def upload() -> ResponseReturnValue:
        form = UploadForm()
        if form.validate_on_submit():
            data = form.document.data
            return {"filename": data.filename, "body": data.read().decode()}
        return render_template_string(
            "{{ form.hidden_tag() }}{{ form.document.errors|join(', ') }}", form=form
        )

    @app.post("/hook")
    @csrf.exempt
    def hook() -> str:
        return "no token needed"

    api = Blueprint("api", __name__)

    @api.post("/api/ping")
    def ping() -> str:
        return "pong"

    csrf.exempt(api)
    app.register_blueprint(api)

    @app.errorhandler(CSRFError)
    def csrf_error(e: CSRFError) -> tuple[str, int]:
        return f"csrf: {e.description}", 400

    return app


@pytest.fixture
def client() -> FlaskClient:
    return create_app().test_client()


def _token(client: FlaskClient, path: str) -> str:
    page = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert match is not None, page
    return match.group(1)


def test_valid_form(client: FlaskClient) -> None:
    token = _token(client, "/profile")
    response = client.post("/profile", data={"csrf_token": token, "name": "Ada", "age": "36"})
    assert response.get_json() == {"name": "Ada", "age": 36}


def test_validation_errors_are_rendered(client: FlaskClient) -> None:
    token = _token(client, "/profile")
    response = client.post("/profile", data={"csrf_token": token, "name": "", "age": "200"})
    body = response.get_data(as_text=True)
    assert "name: This field is required.;" in body
    assert "age: Number must be between 0 and 150.;" in body


def test_csrf_missing_and_wrong_token(client: FlaskClient) -> None:
    missing = client.post("/profile", data={"name": "Ada", "age": "1"})
    assert missing.status_code == 400
    assert missing.get_data(as_text=True) == "csrf: The CSRF token is missing."
    _token(client, "/profile")  # the session now holds a token
    wrong = client.post("/profile", data={"csrf_token": "forged", "name": "Ada", "age": "1"})
    assert wrong.get_data(as_text=True) == "csrf: The CSRF token is invalid."
    # a token from another session is rejected too
    other = create_app().test_client()
    stolen = _token(other, "/profile")
    response = client.post("/profile", data={"csrf_token": stolen, "name": "A", "age": "1"})
    assert response.get_data(as_text=True) == "csrf: The CSRF tokens do not match."


def test_csrf_token_in_header(client: FlaskClient) -> None:
    token = _token(client, "/profile")
    response = client.post(
        "/profile", data={"name": "Ada", "age": "5"}, headers={"X-CSRFToken": token}
    )
    assert response.get_json() == {"name": "Ada", "age": 5}


def test_exempt_view_and_blueprint(client: FlaskClient) -> None:
    assert client.post("/hook").data == b"no token needed"
    assert client.post("/api/ping").data == b"pong"


def test_file_field(client: FlaskClient) -> None:
    token = _token(client, "/upload")
    ok = client.post(
        "/upload",
        data={"csrf_token": token, "document": (io.BytesIO(b"hello file"), "notes.txt")},
    )
    assert ok.get_json() == {"filename": "notes.txt", "body": "hello file"}
    wrong_type = client.post(
        "/upload",
        data={"csrf_token": token, "document": (io.BytesIO(b"MZ"), "tool.exe")},
    )
    assert "Text files only" in wrong_type.get_data(as_text=True)
    missing = client.post("/upload", data={"csrf_token": token})
    assert "This field is required." in missing.get_data(as_text=True)


def test_csrf_disabled_in_config() -> None:
    app = create_app()
    app.config["WTF_CSRF_ENABLED"] = False
    response = app.test_client().post("/profile", data={"name": "Ada", "age": "2"})
    assert response.get_json() == {"name": "Ada", "age": 2}
