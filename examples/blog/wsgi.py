"""The blog for a production WSGI or ASGI server, configured from the environment.

    BLOG_CONFIG=production SECRET_KEY=... gunicorn --chdir examples/blog wsgi:app
    BLOG_CONFIG=production SECRET_KEY=... uvicorn --app-dir examples/blog wsgi:asgi
"""

from __future__ import annotations

import os

from blog import create_app

app = create_app(os.environ.get("BLOG_CONFIG", "production"))
asgi = app.asgi_app
