"""Attachments: upload checks (size, type, content), safe stored names, downloads, permissions."""

from __future__ import annotations

import io
import os
import typing as t

import pytest

from erlen import Erlen
from erlen.testing import ErlenClient

ALICE, BOB = 3, 4
MIB = 1024 * 1024

FrontFactory = t.Callable[[Erlen], ErlenClient]

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
TEXT = "Notes: café\n".encode()


def client_for(app: Erlen, front: FrontFactory, username: str) -> ErlenClient:
    client = front(app)
    response = client.post("/login", json={"username": username, "password": f"{username}-password"})
    assert response.status_code == 200, response.get_json()
    return client


def task_for(manager: ErlenClient, assignee_id: int | None) -> int:
    response = manager.post("/api/tasks", json={"title": "Files", "assignee_id": assignee_id})
    assert response.status_code == 201
    return t.cast(int, response.get_json()["id"])


def upload(client: ErlenClient, task_id: int, data: bytes, filename: str) -> t.Any:
    return client.post(
        f"/api/tasks/{task_id}/attachments",
        data={"file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


def stored_files(app: Erlen) -> list[str]:
    folder = app.config["ATTACHMENT_FOLDER"]
    return sorted(os.listdir(folder)) if os.path.isdir(folder) else []


@pytest.mark.parametrize(
    ("data", "filename", "content_type"),
    [
        (PNG, "screen.png", "image/png"),
        (JPEG, "photo.JPG", "image/jpeg"),
        (JPEG, "photo.jpeg", "image/jpeg"),
        (PDF, "spec.pdf", "application/pdf"),
        (TEXT, "notes.txt", "text/plain"),
    ],
)
def test_upload_list_and_download(
    app: Erlen, front: FrontFactory, data: bytes, filename: str, content_type: str
) -> None:
    manager, alice = client_for(app, front, "manager"), client_for(app, front, "alice")
    task_id = task_for(manager, ALICE)
    response = upload(alice, task_id, data, filename)
    assert response.status_code == 201, response.get_json()
    attachment = response.get_json()
    assert attachment["filename"] == filename
    assert (attachment["content_type"], attachment["size"]) == (content_type, len(data))
    assert (attachment["task_id"], attachment["uploader"]) == (task_id, "alice")
    assert "stored_name" not in attachment
    assert response.headers["Location"] == attachment["url"]

    listed = manager.get(f"/api/tasks/{task_id}/attachments").get_json()["attachments"]
    assert listed == [attachment]

    download = manager.get(attachment["url"])
    assert download.status_code == 200
    assert download.get_data() == data
    assert download.mimetype == content_type
    disposition = download.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert filename in disposition
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    download.close()

    (stored,) = stored_files(app)
    assert stored.endswith("_" + filename)
    assert len(stored) > len(filename) + 30  # a random prefix


def test_the_same_name_twice_is_stored_twice(app: Erlen, front: FrontFactory) -> None:
    manager = client_for(app, front, "manager")
    task_id = task_for(manager, None)
    first = upload(manager, task_id, b"one", "a.txt").get_json()
    second = upload(manager, task_id, b"two", "a.txt").get_json()
    assert len(stored_files(app)) == 2
    assert manager.get(first["url"]).get_data() == b"one"
    assert manager.get(second["url"]).get_data() == b"two"


@pytest.mark.parametrize(
    ("filename", "shown"),
    [
        ("../../etc/passwd.txt", "etc_passwd.txt"),
        ("..\\..\\windows\\win.ini.txt", "windowswin.ini.txt"),
        ("/abs/path/report.txt", "abs_path_report.txt"),
        ("my notes (final).txt", "my_notes_final.txt"),
    ],
)
def test_client_paths_are_never_trusted(
    app: Erlen, front: FrontFactory, tmp_path: t.Any, filename: str, shown: str
) -> None:
    manager = client_for(app, front, "manager")
    task_id = task_for(manager, None)
    response = upload(manager, task_id, b"harmless", filename)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["filename"] == shown
    (stored,) = stored_files(app)
    assert stored.endswith("_" + shown)
    assert os.path.basename(stored) == stored and not stored.startswith(".")
    folder = app.config["ATTACHMENT_FOLDER"]
    assert os.path.isfile(os.path.join(folder, stored))
    # Nothing was written anywhere else under the test's directory.
    written = {
        os.path.relpath(os.path.join(root, name), tmp_path)
        for root, _dirs, files in os.walk(tmp_path)
        for name in files
    }
    assert written == {"tasks.sqlite3", os.path.join("attachments", stored)}


def test_passwd_without_an_allowed_extension_is_refused(app: Erlen, front: FrontFactory) -> None:
    manager = client_for(app, front, "manager")
    response = upload(manager, task_for(manager, None), b"root:x:0:0\n", "../../etc/passwd")
    assert response.status_code == 400
    assert "file" in response.get_json()["fields"]
    assert stored_files(app) == []


@pytest.mark.parametrize(
    ("data", "filename"),
    [
        (b"MZ\x90\x00", "tool.exe"),
        (b"<script>alert(1)</script>", "page.html"),
        (b"no extension", "README"),
        (TEXT, "notes.png"),  # the content is not a PNG
        (PNG, "image.txt"),  # binary content in a .txt
        (PDF, "doc.jpg"),
        (b"\xff\xfe\x00bad", "bad.txt"),
        (b"", "empty.txt"),
        (b"x", ""),
        (b"x", "../.."),
    ],
)
def test_types_are_checked_by_extension_and_content(
    app: Erlen, front: FrontFactory, data: bytes, filename: str
) -> None:
    manager = client_for(app, front, "manager")
    task_id = task_for(manager, None)
    response = upload(manager, task_id, data, filename)
    assert response.status_code == 400
    assert response.get_json()["error"] == "validation"
    assert set(response.get_json()["fields"]) == {"file"}
    assert stored_files(app) == []
    assert manager.get(f"/api/tasks/{task_id}/attachments").get_json() == {"attachments": []}


def test_missing_file_field(app: Erlen, front: FrontFactory) -> None:
    manager = client_for(app, front, "manager")
    task_id = task_for(manager, None)
    response = manager.post(
        f"/api/tasks/{task_id}/attachments",
        data={"other": (io.BytesIO(b"x"), "a.txt")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert set(response.get_json()["fields"]) == {"file"}
    assert manager.post(f"/api/tasks/{task_id}/attachments", json={}).status_code == 400


def test_size_limits(app: Erlen, front: FrontFactory) -> None:
    manager = client_for(app, front, "manager")
    task_id = task_for(manager, None)
    assert upload(manager, task_id, b"a" * (2 * MIB), "max.txt").status_code == 201
    # Just over the per-file limit: the body fits MAX_CONTENT_LENGTH, the view refuses it.
    over = upload(manager, task_id, b"a" * (2 * MIB + 1), "over.txt")
    assert over.status_code == 413
    assert over.get_json()["error"] == "request_entity_too_large"
    # Far over: MAX_CONTENT_LENGTH refuses the request body itself.
    huge = upload(manager, task_id, b"a" * (3 * MIB), "huge.txt")
    assert huge.status_code == 413
    assert huge.get_json()["error"] == "request_entity_too_large"
    assert len(stored_files(app)) == 1


def test_permissions_follow_the_task(app: Erlen, front: FrontFactory) -> None:
    manager, admin = client_for(app, front, "manager"), client_for(app, front, "admin")
    alice, bob = client_for(app, front, "alice"), client_for(app, front, "bob")
    task_id = task_for(manager, ALICE)
    url = upload(alice, task_id, TEXT, "a.txt").get_json()["url"]
    assert upload(admin, task_id, TEXT, "b.txt").status_code == 201
    assert upload(bob, task_id, TEXT, "c.txt").status_code == 403
    assert bob.get(f"/api/tasks/{task_id}/attachments").status_code == 403
    assert bob.get(url).status_code == 403
    anonymous = front(app)
    assert anonymous.get(url).status_code == 401
    assert upload(anonymous, task_id, TEXT, "d.txt").status_code == 401
    assert anonymous.get(f"/api/tasks/{task_id}/attachments").status_code == 401
    # Reassigning the task moves access with it.
    manager.patch(f"/api/tasks/{task_id}", json={"assignee_id": BOB})
    assert alice.get(url).status_code == 403
    response = bob.get(url)
    assert response.status_code == 200
    response.close()
    assert len(stored_files(app)) == 2


def test_unknown_task_or_attachment_is_404(app: Erlen, front: FrontFactory) -> None:
    manager = client_for(app, front, "manager")
    assert upload(manager, 999, TEXT, "a.txt").status_code == 404
    assert manager.get("/api/tasks/999/attachments").status_code == 404
    missing = manager.get("/api/attachments/999")
    assert missing.status_code == 404
    assert missing.get_json()["error"] == "not_found"


def test_deleting_the_task_removes_its_files_and_logs_uploads(
    app: Erlen, front: FrontFactory
) -> None:
    manager = client_for(app, front, "manager")
    task_id = task_for(manager, None)
    attachment = upload(manager, task_id, PDF, "spec.pdf").get_json()
    entry = manager.get("/api/activity").get_json()["activity"][0]
    assert (entry["action"], entry["task_id"]) == ("attachment.created", task_id)
    assert entry["details"] == {"attachment_id": attachment["id"], "filename": "spec.pdf"}
    assert len(stored_files(app)) == 1
    assert manager.delete(f"/api/tasks/{task_id}").status_code == 204
    assert stored_files(app) == []
    assert manager.get(attachment["url"]).status_code == 404
