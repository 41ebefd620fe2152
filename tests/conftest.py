"""Fixtures shared by the whole suite: the WSGI/ASGI ``front`` and the ASGI rerun harness."""

from __future__ import annotations

import logging
import typing as t

import pytest
from werkzeug.datastructures import Headers

import erlen
import erlen.asgi.http
from erlen.testing import ErlenClient


class Front:
    """One protocol front to test through: ``front(app)`` returns a test client using it.

    ``name`` is ``"wsgi"`` or ``"asgi"``; the ASGI client sends every request
    through ``app.asgi_app`` (see :class:`erlen.testing.ErlenClient`).
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self.asgi = name == "asgi"

    def __call__(self, app: erlen.Erlen, **kwargs: t.Any) -> ErlenClient:
        return app.test_client(asgi=self.asgi, **kwargs)

    def __repr__(self) -> str:
        return f"<front {self.name}>"


@pytest.fixture(params=["wsgi", "asgi"])
def front(request: pytest.FixtureRequest) -> Front:
    """Run the test once through each front; ``front(app)`` is the client factory."""
    return Front(request.param)


@pytest.fixture
def asgi_test_clients(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make every ``Erlen.test_client()`` of the test send its requests through ``app.asgi_app``.

    Used to rerun whole Flask-comparison modules on the ASGI front
    (``tests/asgi/test_parity_*.py``). ASGI cannot carry two things a WSGI
    response has, so they are restored from the response objects the app
    built, and everything else is compared as sent: the case of header names
    (ASGI sends them lower-case) and the reason phrase of the status line
    (ASGI sends only the code).
    """
    # The names the front itself may add, then those of every response sent.
    names = {n.lower(): n for n in ("Content-Length", "Location", "Content-Location")}
    reasons: dict[int, str] = {}
    # Every response the ASGI front sends goes through _buffered_headers
    # first (buffered ones are sent from handle_http, others by send_response).
    buffered_headers = erlen.asgi.http._buffered_headers

    def recording(response: erlen.Response, method: str) -> t.Any:
        names.update((name.lower(), name) for name in response.headers.keys())
        reasons[response.status_code] = response.status
        return buffered_headers(response, method)

    run_wsgi_app = ErlenClient.run_wsgi_app

    def restoring(
        self: ErlenClient, environ: dict[str, t.Any], buffered: bool = False
    ) -> tuple[t.Iterable[bytes], str, Headers]:
        body, status, headers = run_wsgi_app(self, environ, buffered)
        if self.asgi:
            status = reasons.get(int(status.split()[0]), status)
            headers = Headers([(names.get(k, k), v) for k, v in headers.items()])
        return body, status, headers

    test_client = erlen.Erlen.test_client

    def asgi_client(self: erlen.Erlen, use_cookies: bool = True, **kwargs: t.Any) -> ErlenClient:
        kwargs.setdefault("asgi", True)
        return test_client(self, use_cookies, **kwargs)

    # NOTE: a rerun module runs its tests a second time in the process, where
    # a test of the first run may have left its module's logger disabled
    # (app.logger.disabled = True): start with loggers enabled, restore after.
    for logger in list(logging.root.manager.loggerDict.values()):
        if isinstance(logger, logging.Logger):
            monkeypatch.setattr(logger, "disabled", False)
    monkeypatch.setattr(erlen.asgi.http, "_buffered_headers", recording)
    monkeypatch.setattr(ErlenClient, "run_wsgi_app", restoring)
    monkeypatch.setattr(erlen.Erlen, "test_client", asgi_client)
