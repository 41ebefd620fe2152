"""The dashboard: task counts by status and priority, as JSON and as a page."""

from __future__ import annotations

import typing as t

from erlen import Erlen
from erlen.testing import ErlenClient

ALICE, BOB = 3, 4

FrontFactory = t.Callable[[Erlen], ErlenClient]


def client_for(app: Erlen, front: FrontFactory, username: str) -> ErlenClient:
    client = front(app)
    response = client.post("/login", json={"username": username, "password": f"{username}-password"})
    assert response.status_code == 200, response.get_json()
    return client


def seed(manager: ErlenClient) -> None:
    for fields in (
        {"assignee_id": ALICE, "status": "todo", "priority": "high"},
        {"assignee_id": ALICE, "status": "done", "priority": "high"},
        {"assignee_id": BOB, "status": "doing", "priority": "low"},
        {"assignee_id": None},
    ):
        assert manager.post("/api/tasks", json={"title": "T", **fields}).status_code == 201


def test_managers_and_admins_count_every_task(app: Erlen, front: FrontFactory) -> None:
    manager = client_for(app, front, "manager")
    empty = manager.get("/api/dashboard").get_json()
    assert empty == {
        "total": 0,
        "by_status": {"todo": 0, "doing": 0, "done": 0},
        "by_priority": {"low": 0, "medium": 0, "high": 0},
        "scope": "all",
    }
    seed(manager)
    for client in (manager, client_for(app, front, "admin")):
        data = client.get("/api/dashboard").get_json()
        assert data["total"] == 4
        assert data["by_status"] == {"todo": 2, "doing": 1, "done": 1}
        assert data["by_priority"] == {"low": 1, "medium": 1, "high": 2}


def test_employees_count_their_own_tasks(app: Erlen, front: FrontFactory) -> None:
    seed(client_for(app, front, "manager"))
    alice = client_for(app, front, "alice").get("/api/dashboard").get_json()
    assert alice == {
        "total": 2,
        "by_status": {"todo": 1, "doing": 0, "done": 1},
        "by_priority": {"low": 0, "medium": 0, "high": 2},
        "scope": "mine",
    }
    bob = client_for(app, front, "bob").get("/api/dashboard").get_json()
    assert (bob["total"], bob["by_status"]["doing"]) == (1, 1)
    assert front(app).get("/api/dashboard").status_code == 401


def test_dashboard_page(app: Erlen, front: FrontFactory) -> None:
    seed(client_for(app, front, "manager"))
    page = client_for(app, front, "alice").get("/dashboard")
    assert page.status_code == 200
    assert page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    assert "Your tasks: <strong>2</strong>" in html
    assert '<th>high</th><td data-count="high">2</td>' in html
    assert '<th>doing</th><td data-count="doing">0</td>' in html
    html = client_for(app, front, "admin").get("/dashboard").get_data(as_text=True)
    assert "All tasks: <strong>4</strong>" in html
    anonymous = front(app).get("/dashboard")
    assert anonymous.status_code == 302
    assert anonymous.headers["Location"].endswith("/login")
