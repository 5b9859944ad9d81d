"""``ProcessPoolExecutor`` on a pool of Pyodide interpreters.

The learner's code gets real ``concurrent.futures.Future`` objects; only the
transport is ours. A task is pickled in the parent, sent to a pool worker (its
own interpreter in its own Web Worker), unpickled and run there, and its result
or exception is pickled on the way back -- so everything that fails to pickle
in CPython fails here too, with the same exception.

Like spawn-mode ``multiprocessing``, each worker first imports the learner's
script under the name ``__mp_main__`` (so top-level code runs again in every
worker, and the ``if __name__ == "__main__":`` guard matters) and maps
``__main__`` to that module, so functions pickled by reference as
``__main__.<name>`` are found by their qualified name.

Each worker runs one task at a time. The dispatcher hands the next queued task
to a worker as soon as that worker's previous result comes back.
"""

import collections
import functools
import itertools
import pickle

from concurrent.futures import _base
from concurrent.futures.process import BrokenProcessPool, _RemoteTraceback

from . import runtime, waiting


def _run_batch(fn, batch):
    """What a pool worker runs for one chunk of ``map``."""
    return [fn(*args) for args in batch]


def _name(fn):
    return getattr(fn, "__qualname__", None) or getattr(fn, "__name__", None) or type(fn).__name__


def _describe(fn, args):
    """A label for the timeline, and how many inputs the task covers."""
    if isinstance(fn, functools.partial) and fn.func is _run_batch and args:
        return _name(fn.args[0]), len(args[0])
    return _name(fn), 1


def _guard_message():
    if runtime.importing_main:
        return (
            "A ProcessPoolExecutor was created while a pool worker was importing "
            "your script. Every worker imports the script (as '__mp_main__') "
            "before it runs tasks, so code at the top level runs again in each "
            "worker; without a guard, each worker would start a pool of its own, "
            "whose workers would import the script and start more pools, without "
            "end. Move the code that creates the pool under\n"
            "    if __name__ == '__main__':\n"
            "so that only the parent runs it."
        )
    return (
        "A task running in a pool worker tried to create a ProcessPoolExecutor. "
        "Pool workers can't start workers of their own: create pools only in the "
        "parent, under if __name__ == '__main__':"
    )


class _Item:
    __slots__ = ("executor", "future", "payload", "label", "items", "task")

    def __init__(self, executor, future, payload, label, items, task):
        self.executor, self.future, self.payload = executor, future, payload
        self.label, self.items, self.task = label, items, task


class Dispatcher:
    """Hands queued tasks to idle workers and applies what the workers send back.

    A fresh dispatcher is made for every run (``begin_run``); the JavaScript
    side drops any message that belongs to an earlier run. ``host`` is the
    JavaScript side of the main interpreter (see worker/main-worker.js).
    """

    def __init__(self, host, run_id):
        self.host = host
        self.run_id = run_id
        self.cancelled = False  # the learner pressed Cancel during this run
        self.queues = {}  # executor id -> deque of _Item not yet sent, oldest first
        self.running = {}  # task id -> _Item
        self.worker_task = {}  # worker index -> task id
        self.booting = collections.Counter()  # (executor id, worker) -> imports pending
        self.executors = {}  # executor id -> executor (until it is forgotten)
        self.task_ids = itertools.count()
        self.executor_ids = itertools.count()

    def busy(self):
        return bool(self.running or self.booting or any(self.queues.values()))

    def can_block(self):
        return waiting.can_block(self.host)

    def pump(self, timeout=None):
        """Handles one message from the pool; False if none came within ``timeout``."""
        message = waiting.next_message(self.host, timeout)
        if message is None:
            return False
        self.handle(message)
        return True

    # -- sending ------------------------------------------------------------

    def enqueue(self, item):
        self.queues.setdefault(item.executor._id, collections.deque()).append(item)
        self.dispatch()

    def bootstrap(self, executor, worker):
        self.booting[(executor._id, worker)] += 1
        init = executor._init_payload
        self.host.send_bootstrap(
            worker, executor._id, None if init is None else _to_js(init)
        )

    def dispatch(self):
        if self.cancelled:
            return
        size = int(self.host.pool_size())
        for worker in range(size):
            if worker in self.worker_task:
                continue
            while True:
                item = self._take_for(worker)
                if item is None:
                    break
                if item.future.set_running_or_notify_cancel():
                    self._send(item, worker)
                    break
                # Cancelled while it waited in the queue.
                self._settled(item.executor)

    def _take_for(self, worker):
        """The next task ``worker`` may run: executors use workers 0..max_workers-1."""
        for queue in self.queues.values():
            if queue and worker < queue[0].executor._max_workers:
                return queue.popleft()
        return None

    def drop_queued(self, executor):
        """Removes ``executor``'s unsent tasks; answers them, oldest first."""
        queue = self.queues.pop(executor._id, None) or ()
        executor._outstanding -= len(queue)
        return list(queue)

    def _send(self, item, worker):
        executor = item.executor
        limit = executor._max_tasks_per_child
        if limit is not None:
            done = executor._tasks_on[worker]
            if done >= limit:
                # A fresh import stands in for a fresh process.
                self.bootstrap(executor, worker)
                done = 0
            executor._tasks_on[worker] = done + 1
        self.running[item.task] = item
        self.worker_task[worker] = item.task
        payload, item.payload = item.payload, None
        self.host.send_task(
            worker, executor._id, item.task, _to_js(payload), item.label, item.items
        )

    # -- receiving ----------------------------------------------------------

    def handle(self, message):
        kind = message.type
        if kind == "result":
            self._result(message)
        elif kind == "booted":
            self._booted(message)
        elif kind == "lost":
            self._lost(message)
        elif kind == "cancel":
            self._cancel()
            raise KeyboardInterrupt("the run was cancelled")
        self.dispatch()

    def _result(self, message):
        item = self.running.pop(message.task, None)
        if self.worker_task.get(message.worker) == message.task:
            del self.worker_task[message.worker]
        if item is None:
            return
        future = item.future
        try:
            if future.done():
                return  # failed already: its pool broke meanwhile
            if message.payload is None:
                future.set_exception(BrokenProcessPool(
                    f"Worker {message.worker} failed: {message.crash}"))
                return
            data = message.payload.to_bytes()
            try:
                if message.ok:
                    value = pickle.loads(data)
                else:
                    value, remote = pickle.loads(data)
                    value.__cause__ = _RemoteTraceback('\n"""\n' + remote + '"""')
            except Exception as exc:  # the parent can't unpickle it
                future.set_exception(exc)
                return
            if message.ok:
                future.set_result(value)
            else:
                future.set_exception(value)
        finally:
            self._settled(item.executor)

    def _booted(self, message):
        key = (message.executor, message.worker)
        self.booting[key] -= 1
        if self.booting[key] <= 0:
            del self.booting[key]
        executor = self.executors.get(message.executor)
        if executor is None:
            return
        if not message.ok:
            self._break(
                executor,
                f"Worker {message.worker} failed while importing your script as "
                f"'__mp_main__', so this pool can't run tasks. The worker's "
                f"error was: {message.error}",
                message.traceback,
            )
        self._settled(executor, task=False)

    def _lost(self, message):
        worker = message.worker
        task = self.worker_task.pop(worker, None)
        item = self.running.pop(task, None) if task is not None else None
        for key in [key for key in self.booting if key[1] == worker]:
            del self.booting[key]
        text = f"Worker {worker} was stopped ({message.reason}) while the pool was using it."
        for executor in list(self.executors.values()):
            if worker < executor._max_workers and executor._started:
                self._break(executor, text, None)
        if item is not None:
            if not item.future.done():
                item.future.set_exception(BrokenProcessPool(text))
            self._settled(item.executor)

    def _cancel(self):
        self.cancelled = True
        for executor in list(self.executors.values()):
            for item in self.drop_queued(executor):
                item.future.cancel()

    def _break(self, executor, text, remote):
        if executor._broken:
            return
        executor._broken = text

        def fail(future):
            if not future.done():
                error = BrokenProcessPool(text)
                if remote:
                    error.__cause__ = _RemoteTraceback('\n"""\n' + remote + '"""')
                future.set_exception(error)

        for item in self.drop_queued(executor):
            fail(item.future)
        # Tasks already sent stay "running" until their workers answer.
        for item in self.running.values():
            if item.executor is executor:
                fail(item.future)

    def _settled(self, executor, task=True):
        """Called when one of ``executor``'s tasks (or imports) has left the pool."""
        if task:
            executor._outstanding -= 1
        if executor._shutdown_requested and not self.involves(executor):
            self.forget(executor)

    def involves(self, executor):
        if executor._outstanding > 0:
            return True
        return any(key[0] == executor._id for key in self.booting)

    def forget(self, executor):
        if self.executors.pop(executor._id, None) is None:
            return
        for worker in range(executor._max_workers):
            self.host.send_forget(worker, executor._id)


def _to_js(data):
    from pyodide.ffi import to_js

    return to_js(data)


# The dispatcher of the run in progress (or of the last one). Only begin_run
# sets it; it stays None in a pool worker, where no pool may be created.
_current = None


def current():
    """The dispatcher of the run in progress, or None."""
    return _current


def begin_run(host, run_id):
    """Starts a run with no tasks, executors or workers in use; answers its dispatcher."""
    global _current
    _current = Dispatcher(host, run_id)
    return _current


def finish_run(dispatcher):
    """Like CPython at exit: waits for executors the script left open."""
    for executor in list(dispatcher.executors.values()):
        executor._shutdown_requested = True
    if dispatcher.cancelled or not dispatcher.can_block():
        return
    while dispatcher.busy() and any(
        dispatcher.involves(ex) for ex in list(dispatcher.executors.values())
    ):
        dispatcher.pump()
    for executor in list(dispatcher.executors.values()):
        dispatcher.forget(executor)


class ProcessPoolExecutor(_base.Executor):
    """Runs calls in a pool of interpreters, each in its own Web Worker.

    ``max_workers`` defaults to the playground's pool size (the learner's
    "workers" setting); ``mp_context`` is accepted and ignored (workers always
    start the way spawn does); ``initializer``/``initargs`` run in each worker
    after it imports the script; ``max_tasks_per_child`` re-imports the script
    in a worker after that many tasks, standing in for a fresh process.
    """

    def __init__(self, max_workers=None, mp_context=None, initializer=None,
                 initargs=(), *, max_tasks_per_child=None):
        dispatcher = _current
        if dispatcher is None:
            raise RuntimeError(_guard_message())
        host = dispatcher.host
        cap = int(host.max_workers)
        if max_workers is None:
            max_workers = max(1, int(host.default_workers()))
        else:
            if max_workers <= 0:
                raise ValueError("max_workers must be greater than 0")
            if max_workers > cap:
                raise ValueError(
                    f"max_workers={max_workers} is more than this playground allows: "
                    f"at most {cap} workers (twice the cores, and never more than 8)"
                )
        if initializer is not None and not callable(initializer):
            raise TypeError("initializer must be a callable")
        if max_tasks_per_child is not None:
            if not isinstance(max_tasks_per_child, int):
                raise TypeError("max_tasks_per_child must be an integer")
            if max_tasks_per_child <= 0:
                raise ValueError("max_tasks_per_child must be >= 1")
        self._max_workers = max_workers
        self._max_tasks_per_child = max_tasks_per_child
        self._tasks_on = collections.Counter()
        self._init_payload = (
            None if initializer is None
            else pickle.dumps((initializer, tuple(initargs)), pickle.HIGHEST_PROTOCOL)
        )
        self._dispatcher = dispatcher
        self._id = next(dispatcher.executor_ids)
        self._started = False
        self._shutdown_requested = False
        self._broken = None
        self._outstanding = 0

    def _start(self):
        waiting.wait_for_workers(self._dispatcher.host, self._max_workers)
        self._started = True
        d = self._dispatcher
        d.executors[self._id] = self
        # Spawn starts every worker at the first submit; each imports the script.
        for worker in range(self._max_workers):
            d.bootstrap(self, worker)

    def submit(self, fn, /, *args, **kwargs):
        if self._broken:
            raise BrokenProcessPool(self._broken)
        if self._shutdown_requested:
            raise RuntimeError("cannot schedule new futures after shutdown")
        if _current.cancelled:
            raise KeyboardInterrupt("the run was cancelled")
        if self._dispatcher is not _current:
            raise RuntimeError("this executor belongs to an earlier run")
        future = _base.Future()
        try:
            payload = pickle.dumps((fn, args, kwargs), pickle.HIGHEST_PROTOCOL)
        except Exception as exc:
            # CPython pickles in a feeder thread and fails the future, so the
            # error surfaces when the result is asked for. So do we.
            future.set_exception(exc)
            return future
        if not self._started:
            self._start()
        label, items = _describe(fn, args)
        self._outstanding += 1
        self._dispatcher.enqueue(
            _Item(self, future, payload, label, items, next(self._dispatcher.task_ids))
        )
        return future

    submit.__doc__ = _base.Executor.submit.__doc__

    def map(self, fn, *iterables, timeout=None, chunksize=1, buffersize=None):
        """Like ``Executor.map``; ``chunksize`` inputs travel to a worker together."""
        if chunksize < 1:
            raise ValueError("chunksize must be >= 1.")
        chunks = super().map(
            functools.partial(_run_batch, fn),
            itertools.batched(zip(*iterables), chunksize),
            timeout=timeout,
            buffersize=buffersize,
        )
        return itertools.chain.from_iterable(chunks)

    def shutdown(self, wait=True, *, cancel_futures=False):
        self._shutdown_requested = True
        d = self._dispatcher
        if cancel_futures:
            for item in d.drop_queued(self):
                item.future.cancel()
        if wait and d is _current and not d.cancelled and d.can_block():
            while d.involves(self) and d.busy():
                d.pump()
        if not d.involves(self):
            d.forget(self)

    shutdown.__doc__ = _base.Executor.shutdown.__doc__

    def terminate_workers(self):
        """Stops the pool at once: pending tasks are cancelled, running ones fail."""
        self.shutdown(wait=False, cancel_futures=True)
        for worker in range(self._max_workers):
            if worker in self._dispatcher.worker_task:
                self._dispatcher.host.stop_worker(worker, "terminate_workers()")

    kill_workers = terminate_workers
