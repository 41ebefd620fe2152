"""Signals sent by erlen, with Flask's names and arguments (blinker).

Each signal is sent only when it has receivers, so an app that connects
nothing pays nothing for them on the request path.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

#: Sent when a template was rendered: ``sender=app, template, context``.
template_rendered = _signals.signal("template-rendered")
#: Sent before a template is rendered: ``sender=app, template, context``.
before_render_template = _signals.signal("before-render-template")
#: Sent when a request starts, before dispatch: ``sender=app``.
request_started = _signals.signal("request-started")
#: Sent after the response is built: ``sender=app, response``.
request_finished = _signals.signal("request-finished")
#: Sent when the request context tears down: ``sender=app, exc``.
request_tearing_down = _signals.signal("request-tearing-down")
#: Sent when an unhandled exception reaches the app: ``sender=app, exception``.
got_request_exception = _signals.signal("got-request-exception")
#: Sent when the app context tears down: ``sender=app, exc``.
appcontext_tearing_down = _signals.signal("appcontext-tearing-down")
#: Sent when an app context is pushed: ``sender=app``.
appcontext_pushed = _signals.signal("appcontext-pushed")
#: Sent when an app context is popped: ``sender=app``.
appcontext_popped = _signals.signal("appcontext-popped")
#: Sent by :func:`~erlen.flash`: ``sender=app, message, category``.
message_flashed = _signals.signal("message-flashed")
