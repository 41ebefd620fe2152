"""The task API's role rules, validation and JSON errors, through the sync test client.

Every test runs on both fronts (``front``: WSGI, and ASGI through
``app.test_client(asgi=True)``).
"""

from __future__ import annotations

import typing as t

import pytest

from erlen import Erlen
from erlen.testing import ErlenClient

ALICE, BOB = 3, 4

FrontFactory = t.Callable[[Erlen], ErlenClient]


def client_for(app: Erlen, front: FrontFactory, username: str | None) -> ErlenClient:
    client = front(app)
    if username is not None:
        response = client.post(
            "/login", json={"username": username, "password": f"{username}-password"}
        )
        assert response.status_code == 200, response.get_json()
    return client


def create(client: ErlenClient, **fields: t.Any) -> dict[str, t.Any]:
    response = client.post("/api/tasks", json={"title": "A task", **fields})
    assert response.status_code == 201, response.get_json()
    return t.cast(dict[str, t.Any], response.get_json())


@pytest.fixture
def manager(app: Erlen, front: FrontFactory) -> ErlenClient:
    return client_for(app, front, "manager")


@pytest.fixture
def alice(app: Erlen, front: FrontFactory) -> ErlenClient:
    return client_for(app, front, "alice")


def test_login_with_json_and_logout(app: Erlen, front: FrontFactory) -> None:
    client = front(app)
    response = client.post("/login", json={"username": "alice", "password": "alice-password"})
    assert response.get_json() == {"id": ALICE, "username": "alice", "role": "employee"}
    assert client.get("/api/me").get_json()["username"] == "alice"
    assert client.post("/logout", json={}).get_json() == {"ok": True}
    assert client.get("/api/me").status_code == 401


@pytest.mark.parametrize(
    "body", [{"username": "alice", "password": "wrong"}, {"username": "nobody", "password": "x"}, {}]
)
def test_login_refused(app: Erlen, front: FrontFactory, body: dict[str, str]) -> None:
    client = front(app)
    response = client.post("/login", json=body)
    assert response.status_code == 401
    assert response.get_json()["error"] == "unauthorized"
    assert client.get("/api/me").status_code == 401


def test_anonymous_api_calls_get_401_json(app: Erlen, front: FrontFactory) -> None:
    client = front(app)
    for method, path in [("GET", "/api/tasks"), ("POST", "/api/tasks"), ("GET", "/api/tasks/1")]:
        response = client.open(path, method=method, json={})
        assert response.status_code == 401
        assert response.is_json
        assert response.get_json()["error"] == "unauthorized"


def test_manager_creates_a_task_with_defaults(manager: ErlenClient) -> None:
    response = manager.post(
        "/api/tasks",
        json={"title": "  Write report ", "assignee_id": ALICE, "due_date": "2026-12-01"},
    )
    assert response.status_code == 201
    task = response.get_json()
    assert response.headers["Location"] == f"/api/tasks/{task['id']}"
    assert task["title"] == "Write report"
    assert (task["status"], task["priority"], task["description"]) == ("todo", "medium", "")
    assert (task["assignee_id"], task["assignee"]) == (ALICE, "alice")
    assert task["due_date"] == "2026-12-01"
    assert task["created_by"] == 2
    assert manager.get(f"/api/tasks/{task['id']}").get_json() == task


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({}, {"title": "Required."}),
        ({"title": "   "}, {"title": "Must not be empty."}),
        ({"title": 5}, {"title": "Must be a string."}),
        ({"title": "x" * 201}, {"title": "At most 200 characters."}),
        (
            {"title": "ok", "status": "blocked", "priority": 3},
            {"status": "One of: todo, doing, done.", "priority": "One of: low, medium, high."},
        ),
        (
            {"title": "ok", "assignee_id": 99, "due_date": "2026-02-30"},
            {"assignee_id": "No such user.", "due_date": "A date as YYYY-MM-DD, or null."},
        ),
        (
            {"title": "ok", "assignee_id": "3", "due_date": "tomorrow"},
            {"assignee_id": "A user id or null.", "due_date": "A date as YYYY-MM-DD, or null."},
        ),
        ({"title": "ok", "id": 7, "owner": "me"}, {"id": "Unknown field.", "owner": "Unknown field."}),
    ],
)
def test_task_validation_lists_field_errors(
    manager: ErlenClient, body: dict[str, t.Any], fields: dict[str, str]
) -> None:
    response = manager.post("/api/tasks", json=body)
    assert response.status_code == 400
    assert response.get_json() == {"error": "validation", "fields": fields}
    assert manager.get("/api/tasks").get_json() == {"tasks": []}


@pytest.mark.parametrize("data", ["[1, 2]", "not json", ""])
def test_body_must_be_a_json_object(manager: ErlenClient, data: str) -> None:
    response = manager.post("/api/tasks", data=data, content_type="application/json")
    assert response.status_code == 400
    assert "body" in response.get_json()["fields"]


def test_form_body_is_refused(manager: ErlenClient) -> None:
    response = manager.post("/api/tasks", data={"title": "from a form"})
    assert response.status_code == 400
    assert "body" in response.get_json()["fields"]


def test_employee_sees_only_own_tasks(manager: ErlenClient, alice: ErlenClient) -> None:
    own = create(manager, title="Alice's", assignee_id=ALICE)
    other = create(manager, title="Bob's", assignee_id=BOB)
    unassigned = create(manager, title="Nobody's")
    assert [task["id"] for task in alice.get("/api/tasks").get_json()["tasks"]] == [own["id"]]
    assert alice.get(f"/api/tasks/{own['id']}").status_code == 200
    for task in (other, unassigned):
        response = alice.get(f"/api/tasks/{task['id']}")
        assert response.status_code == 403
        assert response.get_json()["error"] == "forbidden"
    everything = manager.get("/api/tasks").get_json()["tasks"]
    assert {task["id"] for task in everything} == {own["id"], other["id"], unassigned["id"]}
    only_bob = manager.get(f"/api/tasks?assignee_id={BOB}").get_json()["tasks"]
    assert [task["id"] for task in only_bob] == [other["id"]]


def test_employee_updates_only_the_status_of_own_tasks(
    manager: ErlenClient, alice: ErlenClient
) -> None:
    own = create(manager, assignee_id=ALICE)
    other = create(manager, assignee_id=BOB)
    response = alice.patch(f"/api/tasks/{own['id']}", json={"status": "doing"})
    assert response.status_code == 200
    assert response.get_json()["status"] == "doing"
    assert alice.get("/api/tasks?status=doing").get_json()["tasks"][0]["id"] == own["id"]

    forbidden = [
        ("PATCH", f"/api/tasks/{own['id']}", {"title": "Renamed"}),
        ("PATCH", f"/api/tasks/{own['id']}", {"status": "done", "assignee_id": BOB}),
        ("PUT", f"/api/tasks/{own['id']}", {"title": "Renamed"}),
        ("PATCH", f"/api/tasks/{other['id']}", {"status": "done"}),
        ("DELETE", f"/api/tasks/{own['id']}", None),
        ("POST", "/api/tasks", {"title": "Mine"}),
    ]
    for method, path, body in forbidden:
        response = alice.open(path, method=method, json=body)
        assert response.status_code == 403, (method, path, body)
        assert response.get_json()["error"] == "forbidden"
    assert manager.get(f"/api/tasks/{own['id']}").get_json()["title"] == "A task"
    assert manager.get(f"/api/tasks/{other['id']}").get_json()["status"] == "todo"

    invalid = alice.patch(f"/api/tasks/{own['id']}", json={"status": "finished"})
    assert invalid.status_code == 400
    assert invalid.get_json()["fields"] == {"status": "One of: todo, doing, done."}


def test_manager_edits_replaces_and_deletes(manager: ErlenClient, alice: ErlenClient) -> None:
    task = create(manager, assignee_id=ALICE, priority="high", description="details")
    patched = manager.patch(
        f"/api/tasks/{task['id']}", json={"assignee_id": BOB, "due_date": None, "status": "done"}
    ).get_json()
    assert (patched["assignee"], patched["status"], patched["priority"]) == ("bob", "done", "high")
    assert alice.get(f"/api/tasks/{task['id']}").status_code == 403

    bad_put = manager.put(f"/api/tasks/{task['id']}", json={"status": "todo"})
    assert bad_put.get_json()["fields"] == {"title": "Required."}
    replaced = manager.put(f"/api/tasks/{task['id']}", json={"title": "New"}).get_json()
    assert (replaced["title"], replaced["description"], replaced["priority"]) == ("New", "", "medium")
    assert (replaced["assignee_id"], replaced["status"]) == (None, "todo")

    assert manager.delete(f"/api/tasks/{task['id']}").status_code == 204
    response = manager.get(f"/api/tasks/{task['id']}")
    assert response.status_code == 404
    assert response.get_json()["error"] == "not_found"


def test_json_404_and_405_under_api(manager: ErlenClient) -> None:
    for method, path in [
        ("GET", "/api/tasks/999"),
        ("PATCH", "/api/tasks/999"),
        ("DELETE", "/api/tasks/999"),
        ("GET", "/api/nothing-here"),
    ]:
        response = manager.open(path, method=method, json={"status": "done"})
        assert response.status_code == 404, (method, path)
        assert response.get_json()["error"] == "not_found"
    response = manager.delete("/api/tasks")
    assert response.status_code == 405
    assert response.get_json()["error"] == "method_not_allowed"
    assert "POST" in response.headers["Allow"]


def test_html_pages_keep_html_errors(app: Erlen, front: FrontFactory) -> None:
    response = front(app).get("/no-such-page")
    assert response.status_code == 404
    assert response.mimetype == "text/html"
