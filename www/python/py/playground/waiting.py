"""Blocking in the main interpreter.

Pyodide runs Python on one thread, so nothing could ever notify a waiting
``threading.Condition`` -- except the pool. The only way a wait here can end
is a message from a worker (a result, a failed import, a stopped worker), the
learner pressing Cancel, or a queued task of the thread-pool stand-in running
its turn (turns.py). So ``Condition.wait`` is replaced by a loop that takes
those turns and handles those messages until the waiter has been notified or
time runs out.

Everything in ``concurrent.futures`` waits through ``Condition.wait``
(``Future.result``, ``as_completed``, ``wait``, ``Event.wait``), so the real
stdlib functions keep working on real ``Future`` objects.

How a message is waited for depends on the browser (see worker/main-worker.js):
with a SharedArrayBuffer channel the JavaScript side blocks with
``Atomics.wait``; with JavaScript Promise Integration, ``run_sync`` suspends
the interpreter until the worker's event loop delivers a message.

Every function here is handed what it works with (the JavaScript host, or a
way to find the run's dispatcher); this module imports nothing from the package.
"""

import threading
import time


class NoBlockingError(RuntimeError):
    pass


def next_message(host, timeout):
    """The next message from the pool (a JsProxy), or None after ``timeout`` s."""
    message = host.poll()
    if message is not None or timeout == 0:
        return message
    ms = -1 if timeout is None else max(0.0, timeout * 1000.0)
    mode = host.mode
    if mode == "sab":
        return host.wait_sync(ms)
    if mode == "jspi":
        from pyodide.ffi import can_run_sync, run_sync

        if can_run_sync():
            return run_sync(host.wait(ms))
    raise NoBlockingError(
        "This browser can't pause Python while it waits for the pool: it needs "
        "either JavaScript Promise Integration or a cross-origin isolated page "
        "(SharedArrayBuffer). Try a current Chromium-based browser."
    )


def can_block(host):
    """Whether this interpreter can wait for the pool at all right now."""
    mode = host.mode
    if mode == "sab":
        return True
    if mode == "jspi":
        from pyodide.ffi import can_run_sync

        return can_run_sync()
    return False


def wait_for_workers(host, count):
    """Makes sure pool workers 0..count-1 exist and have started.

    Starting a worker needs this Web Worker's event loop, which Atomics.wait
    blocks; so a missing worker is waited for by suspending the interpreter
    (JSPI), and where that is impossible the learner is told what to change.
    """
    if host.workers_ready(count):
        return
    from pyodide.ffi import can_run_sync, run_sync

    if not can_run_sync():
        raise RuntimeError(
            f"This pool needs {count} workers but only {int(host.pool_size())} "
            f"are running, and this browser can't start more in the middle of a "
            f"run. Set the number of workers to {count} and run again."
        )
    run_sync(host.start_workers(count))


def _pumping_wait(self, dispatcher, take_turn, timeout):
    if not self._is_owned():
        raise RuntimeError("cannot wait on un-acquired lock")
    waiter = threading._allocate_lock()
    waiter.acquire()
    self._waiters.append(waiter)
    saved_state = self._release_save()
    deadline = None if timeout is None else time.monotonic() + timeout
    notified = False
    try:
        while True:
            # notify() releases the waiter; that can only happen inside pump().
            if waiter.acquire(False):
                notified = True
                return True
            remaining = None if deadline is None else deadline - time.monotonic()
            if remaining is not None and remaining <= 0:
                return False
            # A task queued on the thread-pool stand-in runs while we wait, as
            # a thread would run while this one waits; what the pool has
            # already sent back is handled first, without waiting for more.
            if dispatcher is not None and dispatcher.busy() and dispatcher.pump(0):
                continue
            if take_turn():
                continue
            if dispatcher is None or not dispatcher.busy():
                if remaining is None:
                    raise RuntimeError(
                        "Waiting forever: nothing is running in the pool that "
                        "could finish this wait."
                    )
                time.sleep(remaining)
                return False
            dispatcher.pump(remaining)
    finally:
        self._acquire_restore(saved_state)
        if not notified:
            try:
                self._waiters.remove(waiter)
            except ValueError:
                pass


def install(current, take_turn=lambda: False):
    """Makes ``Condition.wait`` handle pool messages while it waits.

    ``current()`` answers the dispatcher of the run in progress (or None): an
    object whose ``busy()`` says whether the pool still owes it anything and
    whose ``pump(timeout)`` handles one message (False if none came in time).
    ``take_turn()`` runs one queued task of the thread-pool stand-in (see
    turns.py), answering False when none is queued.
    """

    def wait(self, timeout=None):
        return _pumping_wait(self, current(), take_turn, timeout)

    threading.Condition.wait = wait
