import os

from werkzeug.middleware.proxy_fix import ProxyFix

from erlen import Erlen, request, url_for


def create_app():
    app = Erlen(__name__)
    app.config.from_prefixed_env("SHOP")  # SHOP_SECRET_KEY, SHOP_DATABASE_URL...

    @app.get("/whoami")
    def whoami():
        return {
            "client": request.remote_addr,
            "scheme": request.scheme,
            "host": request.host,
            "url": url_for("whoami", _external=True),
        }

    return app


app = create_app()

# --8<-- [start:proxyfix]
# Behind one reverse proxy (nginx) that sets X-Forwarded-For, -Proto and -Host:
# trust one hop of each. Wrap the WSGI callable, not the app object.
app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)
# --8<-- [end:proxyfix]

# --8<-- [start:asgi_proxy]
if os.environ.get("SHOP_ASGI_PROXY_HEADERS", "1") == "1":
    # The ASGI front reads the client address and scheme from the ASGI scope;
    # uvicorn's middleware sets them from X-Forwarded-For and -Proto sent by
    # the listed proxies. (uvicorn --proxy-headers does the same for you.)
    from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

    app.asgi_app = ProxyHeadersMiddleware(app.asgi_app, trusted_hosts="127.0.0.1")
# --8<-- [end:asgi_proxy]
