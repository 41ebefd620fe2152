"""test_malformed.py rerun with every erlen test client going through the ASGI front.

The Flask comparisons of that module then check the ASGI front against
Flask; see the ``asgi_test_clients`` fixture in tests/conftest.py.
"""

from __future__ import annotations

import pytest
from rerun import rerun

globals().update(rerun("test_malformed"))

pytestmark = pytest.mark.usefixtures("asgi_test_clients")

ASGI_DIFFERENCES = {
    "test_invalid_content_length[abc-hello]": (
        "protocol: an ASGI server refuses an invalid Content-Length itself; the test client passes it on, and the front reads the body the server framed (WSGI ignores the body without a valid length)"
    ),
    "test_invalid_content_length[-1-hello]": (
        "protocol: an ASGI server refuses an invalid Content-Length itself; the test client passes it on, and the front reads the body the server framed (WSGI ignores the body without a valid length)"
    ),
    "test_invalid_content_length[1e3-hello]": (
        "protocol: an ASGI server refuses an invalid Content-Length itself; the test client passes it on, and the front reads the body the server framed (WSGI ignores the body without a valid length)"
    ),
    "test_invalid_content_length[5, 5-hello]": (
        "protocol: an ASGI server refuses an invalid Content-Length itself; the test client passes it on, and the front reads the body the server framed (WSGI ignores the body without a valid length)"
    ),
    "test_invalid_content_length[-hello]": (
        "protocol: an ASGI server refuses an invalid Content-Length itself; the test client passes it on, and the front reads the body the server framed (WSGI ignores the body without a valid length)"
    ),
    "test_invalid_content_length[0x5-hello]": (
        "protocol: an ASGI server refuses an invalid Content-Length itself; the test client passes it on, and the front reads the body the server framed (WSGI ignores the body without a valid length)"
    ),
    "test_proxy_fix[headers1-*": (
        "protocol: WSGI middleware wraps app.wsgi_app, which ASGI requests do not pass through (wrap app.asgi_app with ASGI middleware instead)"
    ),
    "test_proxy_fix[headers2-*": (
        "protocol: WSGI middleware wraps app.wsgi_app, which ASGI requests do not pass through (wrap app.asgi_app with ASGI middleware instead)"
    ),
    "test_proxy_fix[headers3-*": (
        "protocol: WSGI middleware wraps app.wsgi_app, which ASGI requests do not pass through (wrap app.asgi_app with ASGI middleware instead)"
    ),
    "test_proxy_fix[headers4-*": (
        "protocol: WSGI middleware wraps app.wsgi_app, which ASGI requests do not pass through (wrap app.asgi_app with ASGI middleware instead)"
    ),
}
