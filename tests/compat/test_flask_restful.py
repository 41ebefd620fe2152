"""Flask-RESTful on erlen: resources, reqparse, marshalling, abort, error routing, blueprints."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Blueprint
from flask import Flask
from flask import url_for
from flask.testing import FlaskClient
from flask_restful import Api
from flask_restful import Resource
from flask_restful import abort
from flask_restful import fields
from flask_restful import marshal_with
from flask_restful import reqparse

#: Every test runs on the WSGI and on the ASGI front.
pytestmark = pytest.mark.usefixtures("front")

TODO_FIELDS = {
    "id": fields.Integer,
    "task": fields.String,
    "done": fields.Boolean(default=False),
    "uri": fields.Url("todo", absolute=False),
}


class InsufficientStorage(Exception):
    pass


def create_app() -> Flask:
    app = Flask(__name__)
    todos: dict[int, dict[str, Any]] = {1: {"id": 1, "task": "write tests", "done": True}}
    parser = reqparse.RequestParser()
    parser.add_argument("task", type=str, required=True, help="task is required")
    parser.add_argument("done", type=bool, default=False)

    class Todo(Resource):
        @marshal_with(TODO_FIELDS)
        def get(self, id: int) -> dict[str, Any]:
            if id not in todos:
                abort(404, message=f"Todo {id} doesn't exist")
            return todos[id]

        def delete(self, id: int) -> tuple[str, int]:
            todos.pop(id, None)
            return "", 204

    class TodoList(Resource):
        @marshal_with(TODO_FIELDS, envelope="todos")
        def get(self) -> list[dict[str, Any]]:
            return list(todos.values())

        @marshal_with(TODO_FIELDS)
        def post(self) -> tuple[dict[str, Any], int, dict[str, str]]:
            args = parser.parse_args()
            todo_id = max(todos, default=0) + 1
            todos[todo_id] = {"id": todo_id, "task": args["task"], "done": args["done"]}
            return todos[todo_id], 201, {"Location": url_for("todo", id=todo_id)}

    class Full(Resource):
        def get(self) -> None:
            raise InsufficientStorage()

    api = Api(
        app,
        catch_all_404s=True,
        errors={"InsufficientStorage": {"message": "disk full", "status": 507}},
    )
    api.add_resource(TodoList, "/todos")
    api.add_resource(Todo, "/todos/<int:id>", endpoint="todo")
    api.add_resource(Full, "/full")

    bp = Blueprint("v2", __name__, url_prefix="/v2")
    bp_api = Api(bp)

    class Hello(Resource):
        def get(self, name: str) -> dict[str, str]:
            return {"hello": name}

    bp_api.add_resource(Hello, "/hello/<name>")
    app.register_blueprint(bp)
    return app


@pytest.fixture
def client() -> FlaskClient:
    return create_app().test_client()


def test_get_and_list(client: FlaskClient) -> None:
    assert client.get("/todos/1").get_json() == {
        "id": 1, "task": "write tests", "done": True, "uri": "/todos/1"
    }
    assert client.get("/todos").get_json() == {
        "todos": [{"id": 1, "task": "write tests", "done": True, "uri": "/todos/1"}]
    }


def test_post_with_reqparse(client: FlaskClient) -> None:
    created = client.post("/todos", json={"task": "ship it"})
    assert created.status_code == 201
    assert created.headers["Location"] == "/todos/2"
    assert created.get_json() == {"id": 2, "task": "ship it", "done": False, "uri": "/todos/2"}
    # as on Flask 3, reqparse's default "json" location refuses a form body
    assert client.post("/todos", data={"task": "form task"}).status_code == 415
    missing = client.post("/todos", json={})
    assert missing.status_code == 400
    assert missing.get_json() == {"message": {"task": "task is required"}}


def test_abort_with_message_and_delete(client: FlaskClient) -> None:
    response = client.get("/todos/9")
    assert response.status_code == 404
    assert response.get_json()["message"].startswith("Todo 9 doesn't exist")
    assert client.delete("/todos/1").status_code == 204
    assert client.get("/todos/1").status_code == 404


def test_errors_are_routed_to_json(client: FlaskClient) -> None:
    not_found = client.get("/nowhere")
    assert not_found.status_code == 404
    assert not_found.content_type == "application/json"
    assert "not found" in not_found.get_json()["message"].lower()
    not_allowed = client.put("/todos")
    assert not_allowed.status_code == 405
    assert not_allowed.content_type == "application/json"
    full = client.get("/full")
    assert full.status_code == 507
    assert full.get_json() == {"message": "disk full", "status": 507}


def test_blueprint_api(client: FlaskClient) -> None:
    assert client.get("/v2/hello/ada").get_json() == {"hello": "ada"}
