"""The example guestbook app, through the test client, on a real SQLite file."""

from __future__ import annotations

import importlib.util
import pathlib
import sys
import typing as t

import pytest

from erlen import Erlen

APP_FILE = pathlib.Path(__file__).parent.parent / "examples" / "hello" / "app.py"


@pytest.fixture
def app(tmp_path: pathlib.Path) -> t.Iterator[Erlen]:
    spec = importlib.util.spec_from_file_location("hello_app", APP_FILE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["hello_app"] = module
    try:
        spec.loader.exec_module(module)
        yield module.create_app(
            {"DATABASE": str(tmp_path / "guestbook.sqlite3"), "TESTING": True}
        )
    finally:
        sys.modules.pop("hello_app", None)


def test_sign_then_list(app: Erlen) -> None:
    client = app.test_client()
    response = client.post(
        "/sign", data={"name": "Ann", "message": "<b>hi</b>"}, follow_redirects=True
    )
    assert response.status_code == 200
    assert b"Thank you, Ann!" in response.data
    assert b"&lt;b&gt;hi&lt;/b&gt;" in response.data
    entries = client.get("/api/entries").get_json()
    assert [(e["name"], e["message"]) for e in entries] == [("Ann", "<b>hi</b>")]
    one = client.get(f"/api/entries/{entries[0]['id']}")
    assert one.get_json()["name"] == "Ann"


def test_validation_and_errors(app: Erlen) -> None:
    client = app.test_client()
    response = client.post("/sign", data={"name": "", "message": "x"})
    assert response.status_code == 400
    assert b"Please give both" in response.data
    assert client.get("/api/entries/999").get_json() == {"error": "not found"}
    assert client.get("/nowhere").status_code == 404
    assert b"Page not found" in client.get("/nowhere").data
    too_big = client.post("/sign", data={"name": "x", "message": "y" * 70_000})
    assert too_big.status_code == 413


def test_session_counts_visits(app: Erlen) -> None:
    client = app.test_client()
    client.get("/")
    assert b"visited this page 2 times" in client.get("/").data
