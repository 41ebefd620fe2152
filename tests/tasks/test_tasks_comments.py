"""Comments on tasks: who may read and write them, validation, and the live event."""

from __future__ import annotations

import typing as t

import pytest

from erlen import Erlen
from erlen.testing import ASGIClient
from erlen.testing import ErlenClient

ALICE, BOB = 3, 4

FrontFactory = t.Callable[[Erlen], ErlenClient]


def client_for(app: Erlen, front: FrontFactory, username: str) -> ErlenClient:
    client = front(app)
    response = client.post("/login", json={"username": username, "password": f"{username}-password"})
    assert response.status_code == 200, response.get_json()
    return client


def task_for(manager: ErlenClient, assignee_id: int | None) -> int:
    response = manager.post("/api/tasks", json={"title": "Talk", "assignee_id": assignee_id})
    assert response.status_code == 201
    return t.cast(int, response.get_json()["id"])


def test_comments_are_listed_oldest_first(app: Erlen, front: FrontFactory) -> None:
    manager, alice = client_for(app, front, "manager"), client_for(app, front, "alice")
    task_id = task_for(manager, ALICE)
    path = f"/api/tasks/{task_id}/comments"
    assert manager.get(path).get_json() == {"comments": []}
    first = manager.post(path, json={"body": "  Please start today.  "})
    assert first.status_code == 201
    comment = first.get_json()
    assert comment["body"] == "Please start today."
    assert (comment["task_id"], comment["author_id"], comment["author"]) == (task_id, 2, "manager")
    assert comment["created_at"]
    assert alice.post(path, json={"body": "On it."}).status_code == 201
    listed = alice.get(path).get_json()["comments"]
    assert [(c["author"], c["body"]) for c in listed] == [
        ("manager", "Please start today."),
        ("alice", "On it."),
    ]


def test_only_those_who_see_the_task_may_comment(app: Erlen, front: FrontFactory) -> None:
    manager, alice = client_for(app, front, "manager"), client_for(app, front, "alice")
    admin, bob = client_for(app, front, "admin"), client_for(app, front, "bob")
    path = f"/api/tasks/{task_for(manager, ALICE)}/comments"
    assert admin.post(path, json={"body": "Admins see all."}).status_code == 201
    assert alice.get(path).status_code == 200
    assert bob.get(path).status_code == 403
    assert bob.post(path, json={"body": "Not mine."}).status_code == 403
    assert front(app).get(path).status_code == 401
    assert front(app).post(path, json={"body": "anonymous"}).status_code == 401
    assert len(manager.get(path).get_json()["comments"]) == 1


def test_unknown_task_is_404(app: Erlen, front: FrontFactory) -> None:
    manager = client_for(app, front, "manager")
    missing = manager.get("/api/tasks/999/comments")
    assert missing.status_code == 404
    assert missing.get_json()["error"] == "not_found"
    assert manager.post("/api/tasks/999/comments", json={"body": "x"}).status_code == 404


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({}, {"body"}),
        ({"body": ""}, {"body"}),
        ({"body": "   "}, {"body"}),
        ({"body": 5}, {"body"}),
        ({"body": "x" * 2001}, {"body"}),
        ({"body": "ok", "author_id": 1}, {"author_id"}),
        ([], {"body"}),
    ],
)
def test_comment_validation(
    app: Erlen, front: FrontFactory, body: t.Any, fields: set[str]
) -> None:
    manager = client_for(app, front, "manager")
    path = f"/api/tasks/{task_for(manager, None)}/comments"
    response = manager.post(path, json=body)
    assert response.status_code == 400
    assert response.get_json()["error"] == "validation"
    assert set(response.get_json()["fields"]) == fields
    assert manager.post(path, json={"body": "x" * 2000}).status_code == 201
    assert len(manager.get(path).get_json()["comments"]) == 1


async def asgi_login(app: Erlen, username: str) -> ASGIClient:
    client = ASGIClient(app, timeout=5)
    response = await client.post(
        "/login", json={"username": username, "password": f"{username}-password"}
    )
    assert response.status_code == 200, response.get_json()
    return client


@pytest.mark.anyio
async def test_comment_created_is_broadcast(app: Erlen) -> None:
    manager, alice = await asgi_login(app, "manager"), await asgi_login(app, "alice")
    bob = await asgi_login(app, "bob")
    task = (await manager.post("/api/tasks", json={"title": "Hers", "assignee_id": ALICE})).get_json()
    other = (await manager.post("/api/tasks", json={"title": "Bob's", "assignee_id": BOB})).get_json()
    async with manager.websocket("/ws/board") as ws_manager, alice.websocket("/ws/board") as ws_alice:
        await ws_manager.receive_json()
        await ws_alice.receive_json()
        response = await bob.post(f"/api/tasks/{other['id']}/comments", json={"body": "Bob's note"})
        assert response.status_code == 201
        hidden = response.get_json()
        response = await alice.post(f"/api/tasks/{task['id']}/comments", json={"body": "Done soon"})
        comment = response.get_json()
        expected = {"type": "comment.created", "task": task, "comment": comment}
        # The manager hears both; Alice only the one on her own task.
        assert await ws_manager.receive_json() == {
            "type": "comment.created",
            "task": other,
            "comment": hidden,
        }
        assert await ws_manager.receive_json() == expected
        assert await ws_alice.receive_json() == expected
