"""test_logging.py rerun with every erlen test client going through the ASGI front.

The Flask comparisons of that module then check the ASGI front against
Flask; see the ``asgi_test_clients`` fixture in tests/conftest.py.
"""

from __future__ import annotations

import pytest
from rerun import rerun

globals().update(rerun("test_logging"))

pytestmark = pytest.mark.usefixtures("asgi_test_clients")

ASGI_DIFFERENCES = {
    "test_logs_to_wsgi_errors[erlen]": (
        "protocol: ASGI has no per-request error stream (wsgi.errors is sys.stderr on the ASGI front)"
    ),
    "test_unhandled_exception_logged[erlen]": (
        "protocol: ASGI has no per-request error stream (wsgi.errors is sys.stderr on the ASGI front)"
    ),
}
