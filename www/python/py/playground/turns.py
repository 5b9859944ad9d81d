"""``ThreadPoolExecutor`` for an interpreter that cannot start threads.

Pyodide runs Python on one thread: ``threading.Thread.start`` raises
``RuntimeError: can't start new thread``, and so would every ``submit`` of the
standard ``ThreadPoolExecutor``. The lesson still wants the learner to swap
``ProcessPoolExecutor`` for ``ThreadPoolExecutor`` and see that CPU-bound work
gets no faster. So where threads are missing (``threads_work()`` says so at
start-up) this module's executor takes the standard one's place; where a build
of Pyodide has real threads, nothing here is installed.

What it is, plainly: the tasks take turns on the one interpreter, as CPython's
threads take turns holding the GIL. The futures, ``map``, ``as_completed``,
``wait`` and ``shutdown`` are the standard library's own or behave like them;
only the "threads" are turns.

When a turn is taken. ``submit`` only queues the task and answers a pending
future at once, as CPython's does. Queued tasks run, oldest first, when the
script gives up the interpreter: while it waits on a future (``result``,
``as_completed``, ``wait``, ``map``'s iterator, the ``with`` block's
``shutdown``), while it sleeps, and at the end of the script (CPython joins
pool threads at exit). That is where a CPython main thread hands over the GIL
to CPU-bound workers, so the observable shape is the same: ``submit`` never
blocks, the total time is the sequential time, and a timeout on a wait can
expire. Running each task eagerly inside ``submit`` would instead make
``submit`` take as long as the task and leave no pending future to wait on.
What differs: a turn is a whole task, never the 5 ms slice CPython's switch
interval gives, so tasks finish one after another instead of all near the end,
and a task that has started runs to its end even when a wait's timeout passes.

Imports nothing from this package; ``install`` is handed what it needs.
"""

import collections
import itertools
import threading
import time

from concurrent.futures import _base
from concurrent.futures.thread import BrokenThreadPool

NOTICE = (
    "Note: this browser build of Python has no OS threads, so the tasks of a "
    "ThreadPoolExecutor take turns on this one interpreter, one after another, "
    "much as CPython's threads take turns holding the GIL. CPU-bound work gets "
    "no faster this way."
)

_queue = collections.deque()  # _Turn objects not yet run, oldest first
_ids = itertools.count()
_told = False  # the notice was printed during this run
_record = None  # record(task, label, ok, start, end): a span for the timeline
_now = time.monotonic  # the clock the spans are measured on
_sleep = time.sleep  # the real sleep, kept before install replaces it


def threads_work():
    """Whether this interpreter can start a thread (checked once, at start-up)."""
    try:
        thread = threading.Thread(target=lambda: None, name="playground-probe")
        thread.start()
    except RuntimeError:
        return False
    thread.join()
    return True


class _Turn:
    __slots__ = ("executor", "future", "fn", "args", "kwargs", "task")

    def __init__(self, executor, future, fn, args, kwargs):
        self.executor, self.future = executor, future
        self.fn, self.args, self.kwargs = fn, args, kwargs
        self.task = next(_ids)


def _label(fn):
    return getattr(fn, "__qualname__", None) or getattr(fn, "__name__", None) or type(fn).__name__


def take_turn():
    """Runs the oldest queued task; False if there was none to run."""
    while _queue:
        turn = _queue.popleft()
        if not turn.future.set_running_or_notify_cancel():
            continue  # cancelled while it waited
        start = _now()
        ok = False
        try:
            if turn.executor._thread_ready():
                value = turn.fn(*turn.args, **turn.kwargs)
                ok = True
        except BaseException as exc:
            turn.future.set_exception(exc)
            # The learner's Cancel arrives as KeyboardInterrupt: it ends the
            # run, not just this task.
            if isinstance(exc, KeyboardInterrupt):
                raise
        finally:
            if _record is not None:
                _record(turn.task, _label(turn.fn), ok, start, _now())
        if ok:
            turn.future.set_result(value)
        elif not turn.future.done():
            turn.future.set_exception(BrokenThreadPool(turn.executor._broken))
        return True
    return False


def _turns_during_sleep(seconds):
    """``time.sleep`` that lets queued tasks run first, as a sleeping thread releases the GIL."""
    if not _queue or seconds <= 0:
        return _sleep(seconds)  # and its own errors, for a negative time say
    deadline = time.monotonic() + seconds
    while _queue and time.monotonic() < deadline and take_turn():
        pass
    _sleep(max(0.0, deadline - time.monotonic()))


def begin_run():
    """Forgets what an earlier run left queued; the notice is due again."""
    global _told
    _queue.clear()
    _told = False


def finish_run(cancelled):
    """Like CPython at exit, which joins the pool's threads: runs what is still
    queued, unless the run was cancelled."""
    if cancelled:
        for turn in list(_queue):
            turn.future.cancel()
        _queue.clear()
        return
    while take_turn():
        pass


def install(record=None, now=None):
    """Puts ``ThreadPoolExecutor`` in place of the standard one, for an
    interpreter without threads. ``record(task, label, ok, start, end)`` gets
    each turn's span, timed by ``now()``; without them no spans are kept."""
    global _record, _now
    import concurrent.futures
    import concurrent.futures.thread

    _record = record
    if now is not None:
        _now = now
    concurrent.futures.ThreadPoolExecutor = ThreadPoolExecutor
    concurrent.futures.thread.ThreadPoolExecutor = ThreadPoolExecutor
    time.sleep = _turns_during_sleep


class ThreadPoolExecutor(_base.Executor):
    """Runs calls in turns on this interpreter, like threads under the GIL.

    Same arguments and checks as CPython's: ``max_workers`` defaults to
    ``min(32, os.process_cpu_count() + 4)`` and must be above 0;
    ``initializer(*initargs)`` runs once for each "thread" the pool would
    start (one per task submitted, up to ``max_workers``), before that
    thread's first task, and if it raises the pool is broken.
    ``thread_name_prefix`` is accepted and names nothing: every task runs on
    the interpreter's one thread.
    """

    _counter = itertools.count()

    def __init__(self, max_workers=None, thread_name_prefix="", initializer=None, initargs=()):
        import os

        if max_workers is None:
            max_workers = min(32, (os.process_cpu_count() or 1) + 4)
        if max_workers <= 0:
            raise ValueError("max_workers must be greater than 0")
        if initializer is not None and not callable(initializer):
            raise TypeError("initializer must be a callable")
        self._max_workers = max_workers
        self._thread_name_prefix = thread_name_prefix or f"ThreadPoolExecutor-{next(self._counter)}"
        self._initializer = initializer
        self._initargs = tuple(initargs)
        self._threads = 0  # "threads" the pool has started (they only count turns)
        self._started = 0  # of those, how many ran their initializer
        self._broken = False
        self._shutdown = False
        global _told
        if not _told:
            _told = True
            print(NOTICE, flush=True)

    def submit(self, fn, /, *args, **kwargs):
        if self._broken:
            raise BrokenThreadPool(self._broken)
        if self._shutdown:
            raise RuntimeError("cannot schedule new futures after shutdown")
        future = _base.Future()
        # CPython starts a thread for a submit while it has fewer than
        # max_workers and none is idle; here none ever is before a turn.
        self._threads = min(self._max_workers, self._threads + 1)
        _queue.append(_Turn(self, future, fn, args, kwargs))
        return future

    submit.__doc__ = _base.Executor.submit.__doc__

    def _thread_ready(self):
        """Runs the initializer of a "thread" that has not run one yet; False
        once the pool is broken (then every task still queued has failed)."""
        if self._broken:
            return False
        if self._initializer is None or self._started >= self._threads:
            return True
        self._started += 1
        try:
            self._initializer(*self._initargs)
        except Exception:
            _base.LOGGER.critical("Exception in initializer:", exc_info=True)
            self._broken = "A thread initializer failed, the thread pool is not usable anymore"
            for turn in [t for t in _queue if t.executor is self]:
                _queue.remove(turn)
                turn.future.set_exception(BrokenThreadPool(self._broken))
            return False
        return True

    def shutdown(self, wait=True, *, cancel_futures=False):
        self._shutdown = True
        if cancel_futures:
            mine = [t for t in _queue if t.executor is self]
            for t in mine:
                _queue.remove(t)
                t.future.cancel()
        if wait:
            # Joining this pool's threads lets every queued task run its turn,
            # other pools' older tasks included, as the GIL would.
            while any(t.executor is self for t in _queue) and take_turn():
                pass

    shutdown.__doc__ = _base.Executor.shutdown.__doc__

