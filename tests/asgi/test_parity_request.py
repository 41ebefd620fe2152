"""test_request.py rerun with every erlen test client going through the ASGI front.

The Flask comparisons of that module then check the ASGI front against
Flask; see the ``asgi_test_clients`` fixture in tests/conftest.py.
"""

from __future__ import annotations

import pytest
from rerun import rerun

globals().update(rerun("test_request"))

pytestmark = pytest.mark.usefixtures("asgi_test_clients")

ASGI_DIFFERENCES = {
    "test_limits {'config': {'MAX_CONTENT_LENGTH': 2}, 'path': '/override/500'*": (
        "deliberate: the ASGI front enforces MAX_CONTENT_LENGTH while receiving, before the view runs, so a view cannot raise request.max_content_length past it (use @stream_request_body)"
    ),
}
