"""ASGI lifespan: ``before_serving`` and ``after_serving`` functions."""

from __future__ import annotations

import contextvars
import traceback
import typing as t

if t.TYPE_CHECKING:  # pragma: no cover
    from ..app import Erlen
    from ..app import Steps


def _serving_steps(funcs: list[t.Callable[[], t.Any]]) -> Steps[None]:
    for func in funcs:
        yield func, (), {}


async def _run(app: Erlen, funcs: list[t.Callable[[], t.Any]]) -> None:
    with app.app_context():
        await app._drive_async(_serving_steps(funcs), contextvars.copy_context())


async def handle_lifespan(
    app: Erlen, scope: t.MutableMapping[str, t.Any], receive: t.Any, send: t.Any
) -> None:
    """Answer lifespan startup and shutdown, reporting failures to the server."""
    while True:
        message = await receive()
        kind = message["type"]
        if kind == "lifespan.startup":
            try:
                await _run(app, app.before_serving_funcs)
            except BaseException:
                await send(
                    {"type": "lifespan.startup.failed", "message": traceback.format_exc()}
                )
                return
            await send({"type": "lifespan.startup.complete"})
        elif kind == "lifespan.shutdown":
            try:
                await _run(app, app.after_serving_funcs)
            except BaseException:
                await send(
                    {"type": "lifespan.shutdown.failed", "message": traceback.format_exc()}
                )
                return
            finally:
                if app._executor is not None:
                    app._executor.shutdown(wait=False)
                    app._executor = None
            await send({"type": "lifespan.shutdown.complete"})
            return
