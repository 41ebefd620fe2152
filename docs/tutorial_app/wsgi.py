"""The blog for production servers, configured from the environment.

    BLOG_CONFIG=production SECRET_KEY=... gunicorn -w 4 wsgi:app
    BLOG_CONFIG=production SECRET_KEY=... uvicorn --workers 4 wsgi:asgi
"""

import os

from blog import create_app

app = create_app(os.environ.get("BLOG_CONFIG", "production"))
asgi = app.asgi_app
