"""pytest wiring of tests/compat: the hooks and fixtures are in compat_helpers."""

from compat_helpers import _flask_compat as _flask_compat
from compat_helpers import erlen_only as erlen_only
from compat_helpers import front as front
from compat_helpers import pytest_collectreport as pytest_collectreport
from compat_helpers import pytest_collectstart as pytest_collectstart
from compat_helpers import redis_url as redis_url
from compat_helpers import smtp_server as smtp_server
from compat_helpers import sqlite_uri as sqlite_uri
