"""An in-process broadcaster: one bounded asyncio queue per WebSocket connection."""

from __future__ import annotations

import asyncio
import threading
import typing as t
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

Event = dict[str, t.Any]


class Subscription:
    """One connection's queue of events; ``None`` in it means "you fell behind, close"."""

    def __init__(self, maxsize: int) -> None:
        self.loop = asyncio.get_running_loop()
        self.queue: asyncio.Queue[Event | None] = asyncio.Queue(maxsize)
        self.dropped = False

    def _put(self, event: Event) -> bool:
        """Queue ``event`` (on the subscription's loop); ``False`` when the queue was full."""
        if self.dropped:
            return True
        try:
            self.queue.put_nowait(event)
        except asyncio.QueueFull:
            self.dropped = True
            while not self.queue.empty():
                self.queue.get_nowait()
            self.queue.put_nowait(None)
            return False
        return True

    async def get(self) -> Event | None:
        """The next event, or ``None`` once the subscriber was dropped for being too slow."""
        return await self.queue.get()


class Broadcaster:
    """Fan events out to every subscribed connection of this process.

    ``publish`` never waits: a subscriber whose queue is full is dropped (its
    handler then closes the WebSocket) instead of slowing the publisher down.
    Publishing from another thread or event loop is safe.
    """

    def __init__(self, maxsize: int = 256) -> None:
        self.maxsize = maxsize
        self._subscriptions: set[Subscription] = set()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        """How many connections are subscribed."""
        return len(self._subscriptions)

    @asynccontextmanager
    async def subscribe(self) -> AsyncIterator[Subscription]:
        """Subscribe for the duration of the ``async with`` block."""
        subscription = Subscription(self.maxsize)
        with self._lock:
            self._subscriptions.add(subscription)
        try:
            yield subscription
        finally:
            with self._lock:
                self._subscriptions.discard(subscription)

    def publish(self, event: Event) -> None:
        """Send ``event`` to every subscriber."""
        with self._lock:
            subscriptions = list(self._subscriptions)
        try:
            running: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        for subscription in subscriptions:
            if subscription.loop is running:
                if not subscription._put(event):
                    self._drop(subscription)
            elif not subscription.loop.is_closed():
                subscription.loop.call_soon_threadsafe(self._put_or_drop, subscription, event)

    def _put_or_drop(self, subscription: Subscription, event: Event) -> None:
        if not subscription._put(event):
            self._drop(subscription)

    def _drop(self, subscription: Subscription) -> None:
        with self._lock:
            self._subscriptions.discard(subscription)
