"""WSGI/ASGI entry point: ``gunicorn wsgi:app`` or ``uvicorn wsgi:asgi``."""

from __future__ import annotations

from inventory import create_app

app = create_app()
asgi = app.asgi_app
