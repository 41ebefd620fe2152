"""erlen: Flask's programming model, on WSGI and ASGI, with less overhead per request."""

from __future__ import annotations

import typing as t

from . import json as json
from .app import Erlen as Erlen
from .blueprints import Blueprint as Blueprint
from .config import Config as Config
from .ctx import after_this_request as after_this_request
from .ctx import copy_current_request_context as copy_current_request_context
from .ctx import has_app_context as has_app_context
from .ctx import has_request_context as has_request_context
from .globals import current_app as current_app
from .globals import g as g
from .globals import request as request
from .globals import session as session
from .globals import websocket as websocket
from .helpers import abort as abort
from .helpers import flash as flash
from .helpers import get_flashed_messages as get_flashed_messages
from .helpers import get_template_attribute as get_template_attribute
from .helpers import make_response as make_response
from .helpers import redirect as redirect
from .helpers import send_file as send_file
from .helpers import send_from_directory as send_from_directory
from .helpers import stream_request_body as stream_request_body
from .helpers import stream_with_context as stream_with_context
from .helpers import url_for as url_for
from .json import jsonify as jsonify
from .signals import appcontext_popped as appcontext_popped
from .signals import appcontext_pushed as appcontext_pushed
from .signals import appcontext_tearing_down as appcontext_tearing_down
from .signals import before_render_template as before_render_template
from .signals import got_request_exception as got_request_exception
from .signals import message_flashed as message_flashed
from .signals import request_finished as request_finished
from .signals import request_started as request_started
from .signals import request_tearing_down as request_tearing_down
from .signals import template_rendered as template_rendered
from .templating import render_template as render_template
from .templating import render_template_string as render_template_string
from .templating import stream_template as stream_template
from .templating import stream_template_string as stream_template_string
from .wrappers import Request as Request
from .wrappers import Response as Response

if t.TYPE_CHECKING:  # pragma: no cover
    from .asgi.websocket import Websocket as Websocket
    from .asgi.websocket import WebsocketDisconnect as WebsocketDisconnect

__version__ = "0.1.0"

# PERF: names whose module is imported on first access. The ASGI modules
# import asyncio, which a WSGI app does not otherwise load.
_LAZY: dict[str, str] = {
    "Websocket": "erlen.asgi.websocket",
    "WebsocketDisconnect": "erlen.asgi.websocket",
}


def __getattr__(name: str) -> t.Any:
    import importlib

    if name == "cli":
        # ``erlen.cli`` after a bare ``import erlen``, as with Flask, even
        # when no app has made its command group (which imports it) yet.
        return importlib.import_module("erlen.cli")
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import sys

    value = getattr(importlib.import_module(module_name), name)
    # NOTE: not globals(): in this package that name is erlen.globals.
    setattr(sys.modules[__name__], name, value)
    return value


def __dir__() -> list[str]:
    import sys

    return sorted({*vars(sys.modules[__name__]), *_LAZY})
