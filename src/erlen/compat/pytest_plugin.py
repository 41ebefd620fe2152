"""A pytest plugin that runs a test suite written for Flask on erlen.

Load it with ``pytest -p erlen.compat.pytest_plugin`` (or put
``-p erlen.compat.pytest_plugin`` in the project's pytest ``addopts``). pytest
imports ``-p`` plugins before any ``conftest.py`` or test module, so
:func:`erlen.compat.flask.install` is in effect when they ``import flask``:
an unmodified Flask application is tested on erlen by its own tests.

.. versionadded:: 0.1
"""

from __future__ import annotations

from .flask import install

install()
