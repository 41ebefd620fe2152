"""Concurrent stock adjustments against the example inventory API on a real server.

A threaded werkzeug server on 127.0.0.1 serves the app on a SQLite file;
many threads adjust the same product's stock at once. The conditional UPDATE
must keep the stock from going negative, and every successful adjustment
must be counted exactly once.
"""

from __future__ import annotations

import http.client
import importlib
import json
import pathlib
import sys
import threading
import typing as t

import pytest
from werkzeug.serving import BaseWSGIServer
from werkzeug.serving import WSGIRequestHandler
from werkzeug.serving import make_server

from erlen import Erlen

INVENTORY_ROOT = pathlib.Path(__file__).resolve().parents[2] / "examples" / "inventory"
THREADS = 20


class QuietHandler(WSGIRequestHandler):
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


@pytest.fixture
def server(tmp_path: pathlib.Path) -> t.Iterator[BaseWSGIServer]:
    if str(INVENTORY_ROOT) not in sys.path:
        sys.path.insert(0, str(INVENTORY_ROOT))
    app: Erlen = importlib.import_module("inventory").create_app(
        {"DATABASE_URL": f"sqlite:///{tmp_path / 'inventory.sqlite3'}"}
    )
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)
        app.extensions["inventory.engine"].dispose()


def request(
    server: BaseWSGIServer, method: str, path: str, body: t.Any = None
) -> tuple[int, t.Any]:
    connection = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=30)
    try:
        payload = None if body is None else json.dumps(body)
        headers = {} if body is None else {"Content-Type": "application/json"}
        connection.request(method, path, body=payload, headers=headers)
        response = connection.getresponse()
        return response.status, json.loads(response.read() or b"null")
    finally:
        connection.close()


def adjust_concurrently(server: BaseWSGIServer, product_id: int, deltas: list[int]) -> list[tuple[int, int]]:
    """POST every delta from its own thread, all released at once; (delta, status) pairs."""
    barrier = threading.Barrier(len(deltas))
    results: list[tuple[int, int]] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def worker(delta: int) -> None:
        try:
            barrier.wait(10)
            status, _body = request(server, "POST", f"/products/{product_id}/stock", {"delta": delta})
            with lock:
                results.append((delta, status))
        except BaseException as error:  # reported by the main thread
            with lock:
                errors.append(error)

    threads = [threading.Thread(target=worker, args=(delta,)) for delta in deltas]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    assert len(results) == len(deltas)
    return results


def create_product(server: BaseWSGIServer, stock: int) -> int:
    status, body = request(server, "POST", "/products", {"name": "Widget", "sku": "W-1", "price": 2.5, "stock": stock})
    assert status == 201, body
    product_id: int = body["id"]
    return product_id


def test_concurrent_decrements_never_oversell(server: BaseWSGIServer) -> None:
    start = 7
    product_id = create_product(server, start)
    results = adjust_concurrently(server, product_id, [-1] * THREADS)

    statuses = [status for _delta, status in results]
    assert set(statuses) <= {200, 409}
    succeeded = statuses.count(200)
    assert succeeded == start
    assert statuses.count(409) == THREADS - start

    status, body = request(server, "GET", f"/products/{product_id}")
    assert status == 200
    assert body["stock"] == start - succeeded == 0


def test_concurrent_mixed_adjustments_are_all_counted(server: BaseWSGIServer) -> None:
    start = 3
    product_id = create_product(server, start)
    deltas = [-2, 1, -3, 2, -1] * (THREADS // 5)
    results = adjust_concurrently(server, product_id, deltas)

    assert {status for _delta, status in results} <= {200, 409}
    applied = [delta for delta, status in results if status == 200]
    # Increments can never be refused.
    assert all(status == 200 for delta, status in results if delta > 0)

    status, body = request(server, "GET", f"/products/{product_id}")
    assert status == 200
    assert body["stock"] >= 0
    assert body["stock"] == start + sum(applied)
