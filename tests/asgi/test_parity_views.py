"""test_views.py rerun with every erlen test client going through the ASGI front.

The Flask comparisons of that module then check the ASGI front against
Flask; see the ``asgi_test_clients`` fixture in tests/conftest.py.
"""

from __future__ import annotations

import pytest
from rerun import rerun

globals().update(rerun("test_views"))

pytestmark = pytest.mark.usefixtures("asgi_test_clients")
