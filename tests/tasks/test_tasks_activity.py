"""The activity log: what is recorded, who sees which entries, pagination."""

from __future__ import annotations

import typing as t

import pytest

from erlen import Erlen
from erlen.testing import ErlenClient

ALICE, BOB = 3, 4

FrontFactory = t.Callable[[Erlen], ErlenClient]


def client_for(app: Erlen, front: FrontFactory, username: str) -> ErlenClient:
    client = front(app)
    response = client.post("/login", json={"username": username, "password": f"{username}-password"})
    assert response.status_code == 200, response.get_json()
    return client


def create(manager: ErlenClient, title: str, assignee_id: int | None) -> int:
    response = manager.post("/api/tasks", json={"title": title, "assignee_id": assignee_id})
    assert response.status_code == 201
    return t.cast(int, response.get_json()["id"])


def test_changes_and_comments_are_recorded_newest_first(app: Erlen, front: FrontFactory) -> None:
    manager, alice = client_for(app, front, "manager"), client_for(app, front, "alice")
    task_id = create(manager, "Write report", ALICE)
    assert alice.patch(f"/api/tasks/{task_id}", json={"status": "doing"}).status_code == 200
    assert alice.post(f"/api/tasks/{task_id}/comments", json={"body": "Started"}).status_code == 201
    assert manager.delete(f"/api/tasks/{task_id}").status_code == 204

    data = manager.get("/api/activity").get_json()
    assert (data["total"], data["page"], data["per_page"], data["pages"]) == (4, 1, 20, 1)
    entries = data["activity"]
    assert [(e["action"], e["actor"], e["task_id"]) for e in entries] == [
        ("task.deleted", "manager", task_id),
        ("comment.created", "alice", task_id),
        ("task.updated", "alice", task_id),
        ("task.created", "manager", task_id),
    ]
    assert entries[0]["details"] == {"title": "Write report"}
    assert entries[2]["details"] == {"changes": {"status": {"from": "todo", "to": "doing"}}}
    assert entries[3]["actor_id"] == 2
    assert all(entry["created_at"] for entry in entries)
    assert [entry["id"] for entry in entries] == sorted((e["id"] for e in entries), reverse=True)


def test_employees_see_only_their_tasks_activity(app: Erlen, front: FrontFactory) -> None:
    manager, admin = client_for(app, front, "manager"), client_for(app, front, "admin")
    alice, bob = client_for(app, front, "alice"), client_for(app, front, "bob")
    hers = create(manager, "Hers", ALICE)
    create(manager, "Bob's", BOB)
    create(manager, "Nobody's", None)
    manager.post(f"/api/tasks/{hers}/comments", json={"body": "Note"})

    assert admin.get("/api/activity").get_json()["total"] == 4
    assert manager.get("/api/activity").get_json()["total"] == 4
    mine = alice.get("/api/activity").get_json()
    assert mine["total"] == 2
    assert {entry["task_id"] for entry in mine["activity"]} == {hers}
    assert [entry["action"] for entry in bob.get("/api/activity").get_json()["activity"]] == [
        "task.created"
    ]
    assert front(app).get("/api/activity").status_code == 401


def test_pagination(app: Erlen, front: FrontFactory) -> None:
    manager = client_for(app, front, "manager")
    ids = [create(manager, f"Task {n}", None) for n in range(5)]
    first = manager.get("/api/activity?per_page=2").get_json()
    assert (first["total"], first["pages"]) == (5, 3)
    assert [e["task_id"] for e in first["activity"]] == [ids[4], ids[3]]
    last = manager.get("/api/activity?per_page=2&page=3").get_json()
    assert [e["task_id"] for e in last["activity"]] == [ids[0]]
    assert manager.get("/api/activity?per_page=2&page=4").get_json()["activity"] == []


@pytest.mark.parametrize(
    ("query", "fields"),
    [
        ("page=0", {"page"}),
        ("page=abc", {"page"}),
        ("page=-1", {"page"}),
        ("page=99999999999999999999999", {"page"}),
        ("per_page=101", {"per_page"}),
        ("per_page=0&page=x", {"page", "per_page"}),
        ("per_page=%C2%B2", {"per_page"}),
    ],
)
def test_pagination_validation(
    app: Erlen, front: FrontFactory, query: str, fields: set[str]
) -> None:
    response = client_for(app, front, "manager").get(f"/api/activity?{query}")
    assert response.status_code == 400
    assert set(response.get_json()["fields"]) == fields


def test_deleting_a_user_logs_the_unassigned_tasks(app: Erlen, front: FrontFactory) -> None:
    admin = client_for(app, front, "admin")
    task_id = create(admin, "Bob's", BOB)
    assert admin.delete(f"/api/users/{BOB}").status_code == 204
    entry = admin.get("/api/activity").get_json()["activity"][0]
    assert (entry["action"], entry["actor"], entry["task_id"]) == ("task.updated", "admin", task_id)
    assert entry["details"] == {"changes": {"assignee_id": {"from": BOB, "to": None}}}
