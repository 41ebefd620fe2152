"""Live updates over ``/ws/board`` and the API on the ASGI front, through the async ASGIClient."""

from __future__ import annotations

import asyncio
import threading
import typing as t

import pytest
from examples.tasks.broadcast import Broadcaster

from erlen import Erlen
from erlen import WebsocketDisconnect
from erlen.testing import ASGIClient
from erlen.testing import WebsocketRejected

pytestmark = pytest.mark.anyio

ALICE, BOB = 3, 4


async def login(app: Erlen, username: str) -> ASGIClient:
    # A short timeout: an event that never comes fails the test in seconds.
    client = ASGIClient(app, timeout=5)
    response = await client.post(
        "/login", json={"username": username, "password": f"{username}-password"}
    )
    assert response.status_code == 200, response.get_json()
    return client


def broadcaster(app: Erlen) -> Broadcaster:
    return t.cast(Broadcaster, app.extensions["tasks.broadcaster"])


async def test_role_rules_on_the_async_client(app: Erlen) -> None:
    manager, alice = await login(app, "manager"), await login(app, "alice")
    assert (await alice.post("/api/tasks", json={"title": "Mine"})).status_code == 403
    invalid = await manager.post("/api/tasks", json={"title": "", "priority": "urgent"})
    assert invalid.status_code == 400
    assert set(invalid.get_json()["fields"]) == {"title", "priority"}
    created = await manager.post("/api/tasks", json={"title": "Plan", "assignee_id": ALICE})
    assert created.status_code == 201
    task_id = created.get_json()["id"]
    assert (await alice.patch(f"/api/tasks/{task_id}", json={"title": "x"})).status_code == 403
    moved = await alice.patch(f"/api/tasks/{task_id}", json={"status": "done"})
    assert moved.get_json()["status"] == "done"
    assert (await alice.delete(f"/api/tasks/{task_id}")).status_code == 403
    missing = await manager.delete("/api/tasks/999")
    assert missing.status_code == 404
    assert missing.get_json()["error"] == "not_found"
    assert (await ASGIClient(app).get("/api/tasks")).status_code == 401


async def test_two_clients_receive_the_events_in_order(app: Erlen) -> None:
    manager, admin = await login(app, "manager"), await login(app, "admin")
    async with manager.websocket("/ws/board") as ws1, admin.websocket("/ws/board") as ws2:
        assert (await ws1.receive_json())["user"]["username"] == "manager"
        assert (await ws2.receive_json())["user"]["username"] == "admin"
        assert len(broadcaster(app)) == 2

        created = (await manager.post("/api/tasks", json={"title": "Ship it"})).get_json()
        path = f"/api/tasks/{created['id']}"
        doing = (await manager.patch(path, json={"status": "doing", "assignee_id": BOB})).get_json()
        done = (await manager.patch(path, json={"status": "done"})).get_json()
        assert (await manager.delete(path)).status_code == 204

        expected = [
            {"type": "task.created", "task": created},
            {"type": "task.updated", "task": doing},
            {"type": "task.updated", "task": done},
            {"type": "task.deleted", "task": done},
        ]
        for ws in (ws1, ws2):
            assert [await ws.receive_json() for _ in expected] == expected
        assert doing["assignee"] == "bob"


async def test_concurrent_changes_reach_every_client_once(app: Erlen) -> None:
    manager = await login(app, "manager")
    async with manager.websocket("/ws/board") as ws1, manager.websocket("/ws/board") as ws2:
        await ws1.receive_json()
        await ws2.receive_json()
        responses = await asyncio.gather(
            *(manager.post("/api/tasks", json={"title": f"Task {n}"}) for n in range(10))
        )
        ids = [response.get_json()["id"] for response in responses]
        for ws in (ws1, ws2):
            events = [await ws.receive_json() for _ in ids]
            assert sorted(event["task"]["id"] for event in events) == sorted(ids)
            assert {event["type"] for event in events} == {"task.created"}


async def test_employees_hear_only_about_their_own_tasks(app: Erlen) -> None:
    manager, alice = await login(app, "manager"), await login(app, "alice")
    async with alice.websocket("/ws/board") as ws:
        assert (await ws.receive_json())["user"]["role"] == "employee"
        await manager.post("/api/tasks", json={"title": "Bob's", "assignee_id": BOB})
        await manager.post("/api/tasks", json={"title": "Nobody's"})
        mine = (await manager.post("/api/tasks", json={"title": "Mine", "assignee_id": ALICE})).get_json()
        assert await ws.receive_json() == {"type": "task.created", "task": mine}

        # Moving her own task is heard like any other change.
        moved = (await alice.patch(f"/api/tasks/{mine['id']}", json={"status": "doing"})).get_json()
        assert await ws.receive_json() == {"type": "task.updated", "task": moved}

        # A task taken away from her disappears from her board.
        await manager.patch(f"/api/tasks/{mine['id']}", json={"assignee_id": BOB})
        assert await ws.receive_json() == {"type": "task.deleted", "task": {"id": mine["id"]}}
        given = (await manager.post("/api/tasks", json={"title": "New", "assignee_id": ALICE})).get_json()
        assert (await ws.receive_json())["task"]["id"] == given["id"]


async def test_deleting_a_user_announces_their_unassigned_tasks(app: Erlen) -> None:
    admin = await login(app, "admin")
    task = (await admin.post("/api/tasks", json={"title": "Bob's", "assignee_id": BOB})).get_json()
    async with admin.websocket("/ws/board") as ws:
        await ws.receive_json()
        assert (await admin.delete(f"/api/users/{BOB}")).status_code == 204
        event = await ws.receive_json()
        assert event["type"] == "task.updated"
        assert (event["task"]["id"], event["task"]["assignee_id"]) == (task["id"], None)


async def test_a_disconnected_client_is_removed_from_the_broadcaster(app: Erlen) -> None:
    manager = await login(app, "manager")
    async with manager.websocket("/ws/board") as staying:
        await staying.receive_json()
        async with manager.websocket("/ws/board") as leaving:
            await leaving.receive_json()
            assert len(broadcaster(app)) == 2
            await leaving.close()
        # Leaving the block waited for the handler, which unsubscribed.
        assert len(broadcaster(app)) == 1
        created = (await manager.post("/api/tasks", json={"title": "After"})).get_json()
        assert await staying.receive_json() == {"type": "task.created", "task": created}
    assert len(broadcaster(app)) == 0


async def test_anonymous_websocket_is_refused(app: Erlen) -> None:
    with pytest.raises(WebsocketRejected) as info:
        async with ASGIClient(app, timeout=5).websocket("/ws/board"):
            pass
    assert info.value.status_code == 401
    assert len(broadcaster(app)) == 0


async def test_too_slow_client_is_dropped_and_closed(app: Erlen) -> None:
    broadcaster(app).maxsize = 2
    manager = await login(app, "manager")
    async with manager.websocket("/ws/board") as ws:
        await ws.receive_json()
        # The handler is not scheduled between these publishes: its queue overflows.
        for n in range(3):
            broadcaster(app).publish({"type": "task.created", "task": {"id": n, "assignee_id": None}})
        assert len(broadcaster(app)) == 0
        with pytest.raises(WebsocketDisconnect) as info:
            await ws.receive_json()
        assert info.value.code == 1013


async def test_broadcaster_accepts_events_from_other_threads() -> None:
    hub = Broadcaster()
    async with hub.subscribe() as first, hub.subscribe() as second:
        thread = threading.Thread(target=hub.publish, args=({"type": "ping"},))
        thread.start()
        thread.join()
        assert await asyncio.wait_for(first.get(), 5) == {"type": "ping"}
        assert await asyncio.wait_for(second.get(), 5) == {"type": "ping"}
    assert len(hub) == 0
