"""Security headers on every response."""

from erlen import current_app


def set_security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    if current_app.config["HSTS"]:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response


def init_app(app):
    app.after_request(set_security_headers)
