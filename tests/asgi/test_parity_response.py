"""test_response.py rerun with every erlen test client going through the ASGI front.

The Flask comparisons of that module then check the ASGI front against
Flask; see the ``asgi_test_clients`` fixture in tests/conftest.py.
"""

from __future__ import annotations

import pytest
from rerun import rerun

globals().update(rerun("test_response"))

pytestmark = pytest.mark.usefixtures("asgi_test_clients")

ASGI_DIFFERENCES = {
    "test_stream_with_context_events": (
        "deliberate: on ASGI the request context lives until the response body has been sent, so teardown runs after a streamed body (on WSGI, as in Flask, before it is iterated)"
    ),
    "test_stream_with_context_error_in_generator": (
        "deliberate: on ASGI the request context lives until the response body has been sent, so teardown runs after a streamed body (on WSGI, as in Flask, before it is iterated)"
    ),
    "test_stream_with_context_in_async_view": (
        "deliberate: on ASGI the request context lives until the response body has been sent, so teardown runs after a streamed body (on WSGI, as in Flask, before it is iterated); the stream's context is nested in the request's, so teardown runs once"
    ),
}
