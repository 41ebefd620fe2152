"""The threads that run an ASGI app's synchronous code off the event loop."""

from __future__ import annotations

import asyncio
import contextvars
import os
import queue
import threading
import typing as t

#: Bumped in a forked child, whose copies of the parent's pools have no threads.
_generation = 0


def _after_fork() -> None:  # pragma: no cover - runs in a forked child
    global _generation
    _generation += 1


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork)

#: ``(loop, future, context, func, args)``: one call for a worker thread.
_Job = tuple[
    asyncio.AbstractEventLoop,
    "asyncio.Future[t.Any]",
    contextvars.Context,
    t.Callable[..., t.Any],
    tuple[t.Any, ...],
]


def _set_result(future: asyncio.Future[t.Any], result: t.Any) -> None:
    if not future.cancelled():
        future.set_result(result)


def _set_exception(future: asyncio.Future[t.Any], error: BaseException) -> None:
    if not future.cancelled():
        future.set_exception(error)


class SyncWorkers:
    """A bounded set of threads running sync callables for coroutines on event loops.

    PERF: one trip costs a queue put, the worker's call and one
    ``call_soon_threadsafe`` that resolves an asyncio future; the
    ``loop.run_in_executor`` route this replaces also makes a
    ``concurrent.futures.Future`` and chains it to the asyncio one. Threads
    are started on demand, up to ``limit``, and kept; calls past the limit
    wait in the queue.

    Args:
        limit: the most threads running at once.
        name: the threads' name prefix.
    """

    def __init__(self, limit: int, name: str = "erlen-sync") -> None:
        self._limit = max(1, limit)
        self._name = name
        self._queue: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._threads = 0
        self._idle = 0
        self._closed = False
        self.generation = _generation

    @property
    def usable(self) -> bool:
        """Whether calls can be submitted (not shut down, not a copy from before a fork)."""
        return not self._closed and self.generation == _generation

    def submit(
        self,
        loop: asyncio.AbstractEventLoop,
        context: contextvars.Context,
        func: t.Callable[..., t.Any],
        args: tuple[t.Any, ...],
    ) -> asyncio.Future[t.Any]:
        """Run ``context.run(func, *args)`` in a worker thread.

        Returns:
            A future of ``loop`` resolved with the result or the exception.

        Raises:
            RuntimeError: the workers were shut down.
        """
        if self._closed:
            raise RuntimeError("cannot run sync code after the workers were shut down")
        future = loop.create_future()
        self._queue.put((loop, future, context, func, args))
        with self._lock:
            if self._idle:
                # A waiting thread takes it.
                self._idle -= 1
                return future
            if self._threads >= self._limit:
                # All busy: it waits for the first to finish.
                return future
            self._threads += 1
            number = self._threads
        thread = threading.Thread(
            target=self._work, name=f"{self._name}_{number}", daemon=True
        )
        thread.start()
        return future

    def _work(self) -> None:
        get = self._queue.get
        while True:
            job = get()
            if job is None:
                return
            loop, future, context, func, args = job
            del job
            try:
                result = context.run(func, *args)
            except BaseException as e:
                done: t.Callable[[asyncio.Future[t.Any], t.Any], None] = _set_exception
                result = e
            else:
                done = _set_result
            # PERF: counted idle before waking the loop, so that this thread
            # is back in get() (the GIL released) by the time the loop
            # thread runs, instead of waking it only to make it wait for
            # the GIL.
            with self._lock:
                self._idle += 1
            try:
                loop.call_soon_threadsafe(done, future, result)
            except RuntimeError:  # pragma: no cover - the loop was closed meanwhile
                pass
            # Hold no reference to the last call's objects while waiting.
            del loop, future, context, func, args, result, done

    def shutdown(self, wait: bool = False) -> None:
        """Stop the threads once they finish the calls already submitted.

        Args:
            wait: accepted for :class:`concurrent.futures.Executor`
                compatibility; threads are never waited for.
        """
        with self._lock:
            self._closed = True
            count = self._threads
        for _ in range(count):
            self._queue.put(None)
