"""User management (admins only), the login form and the board page, through the sync client."""

from __future__ import annotations

import typing as t

import pytest
from examples.tasks.app import create_app

from erlen import Erlen
from erlen.testing import ErlenClient

ADMIN, MANAGER, ALICE, BOB = 1, 2, 3, 4


def login(app: Erlen, username: str, password: str | None = None) -> ErlenClient:
    client = app.test_client()
    response = client.post(
        "/login", json={"username": username, "password": password or f"{username}-password"}
    )
    assert response.status_code == 200, response.get_json()
    return client


@pytest.fixture
def admin(app: Erlen) -> ErlenClient:
    return login(app, "admin")


def test_admin_creates_a_user_who_can_log_in(app: Erlen, admin: ErlenClient) -> None:
    response = admin.post(
        "/api/users", json={"username": "carol", "password": "carol-secret", "role": "manager"}
    )
    assert response.status_code == 201
    carol = response.get_json()
    assert carol == {"id": 5, "username": "carol", "role": "manager"}
    assert "password" not in str(admin.get("/api/users").get_json())
    client = login(app, "carol", "carol-secret")
    assert client.post("/api/tasks", json={"title": "Carol's first"}).status_code == 201


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({}, {"username": "Required.", "password": "Required.", "role": "Required."}),
        (
            {"username": "a", "password": "short", "role": "boss"},
            {
                "username": "2 to 40 letters, digits, '.', '_' or '-'.",
                "password": "At least 8 characters.",
                "role": "One of: admin, manager, employee.",
            },
        ),
        (
            {"username": "alice", "password": "long-enough", "role": "employee", "x": 1},
            {"username": "Already taken.", "x": "Unknown field."},
        ),
    ],
)
def test_user_validation(admin: ErlenClient, body: dict[str, t.Any], fields: dict[str, str]) -> None:
    response = admin.post("/api/users", json=body)
    assert response.status_code == 400
    assert response.get_json() == {"error": "validation", "fields": fields}


@pytest.mark.parametrize("username", ["manager", "alice"])
def test_only_admins_manage_users(app: Erlen, username: str) -> None:
    client = login(app, username)
    for method, path, body in [
        ("POST", "/api/users", {"username": "eve", "password": "eve-password", "role": "admin"}),
        ("PATCH", f"/api/users/{ALICE if username == 'alice' else MANAGER}", {"role": "admin"}),
        ("DELETE", f"/api/users/{BOB}", None),
    ]:
        response = client.open(path, method=method, json=body)
        assert response.status_code == 403, (method, path)
        assert response.get_json()["error"] == "forbidden"
    # Managers may read the user list (to assign tasks); employees may not.
    expected = 200 if username == "manager" else 403
    assert client.get("/api/users").status_code == expected


def test_admin_changes_role_and_password(app: Erlen, admin: ErlenClient) -> None:
    response = admin.patch(
        f"/api/users/{ALICE}", json={"role": "manager", "password": "new-alice-pw"}
    )
    assert response.get_json() == {"id": ALICE, "username": "alice", "role": "manager"}
    assert app.test_client().post(
        "/login", json={"username": "alice", "password": "alice-password"}
    ).status_code == 401
    alice = login(app, "alice", "new-alice-pw")
    assert alice.post("/api/tasks", json={"title": "Now I can"}).status_code == 201


def test_admin_cannot_demote_or_delete_themselves(admin: ErlenClient) -> None:
    response = admin.patch(f"/api/users/{ADMIN}", json={"role": "employee"})
    assert response.status_code == 400
    assert response.get_json()["fields"] == {"role": "Admins cannot demote themselves."}
    assert admin.patch(f"/api/users/{ADMIN}", json={"username": "admin"}).status_code == 200
    assert admin.delete(f"/api/users/{ADMIN}").status_code == 403
    assert admin.get("/api/me").get_json()["role"] == "admin"


def test_deleting_a_user_unassigns_their_tasks_and_ends_their_session(
    app: Erlen, admin: ErlenClient
) -> None:
    bob = login(app, "bob")
    task = admin.post("/api/tasks", json={"title": "Bob's", "assignee_id": BOB}).get_json()
    assert admin.delete(f"/api/users/{BOB}").status_code == 204
    assert admin.get(f"/api/tasks/{task['id']}").get_json()["assignee_id"] is None
    assert bob.get("/api/tasks").status_code == 401
    assert admin.delete(f"/api/users/{BOB}").status_code == 404


def test_missing_user_is_a_json_404(admin: ErlenClient) -> None:
    response = admin.patch("/api/users/99", json={"role": "manager"})
    assert response.status_code == 404
    assert response.get_json()["error"] == "not_found"


def test_board_page_needs_a_login(app: Erlen) -> None:
    client = app.test_client()
    response = client.get("/")
    assert response.status_code == 302
    assert response.location.endswith("/login")
    form = client.get("/login")
    assert b'name="password"' in form.data


def test_login_form_then_board_then_logout(app: Erlen) -> None:
    client = app.test_client()
    wrong = client.post("/login", data={"username": "alice", "password": "nope"})
    assert wrong.status_code == 401
    assert b"Wrong username or password." in wrong.data
    response = client.post(
        "/login", data={"username": "alice", "password": "alice-password"}, follow_redirects=True
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "alice (employee)" in page
    for status in ("todo", "doing", "done"):
        assert f'id="column-{status}"' in page
    assert 'id="new-task"' not in page  # employees get no "new task" form
    assert "/static/board.js" in page
    assert client.get("/static/board.js").status_code == 200
    assert client.post("/logout").status_code == 302
    assert client.get("/").status_code == 302


def test_managers_get_the_new_task_form(app: Erlen) -> None:
    page = login(app, "manager").get("/").get_data(as_text=True)
    assert 'id="new-task"' in page


def test_session_cookie_is_signed_and_http_only(app: Erlen) -> None:
    client = login(app, "alice")
    cookie = client.get_cookie("session")
    assert cookie is not None and cookie.http_only and cookie.same_site == "Lax"
    client.set_cookie("session", cookie.value[:-2] + "xx")
    assert client.get("/api/me").status_code == 401


def test_secret_key_is_required() -> None:
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"SEED_USERS": []})
