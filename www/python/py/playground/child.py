"""The pool worker's side: import the script as ``__mp_main__``, run tasks."""

import builtins
import pickle
import sys
import types

from concurrent.futures.process import BrokenProcessPool

from . import executor, runtime, turns, waiting

_modules = {}  # executor id -> the script imported for that executor
_run = None


def install(cpu_count):
    """Sets up a pool worker's interpreter. Its ``ProcessPoolExecutor`` only
    explains why a worker can't start a pool: no run is ever begun here. A
    task may still use a ``ThreadPoolExecutor``; its turns keep no spans."""
    runtime.install(cpu_count, executor.ProcessPoolExecutor)
    if not turns.threads_work():
        turns.install()
    waiting.install(executor.current, turns.take_turn)


def _use(module):
    sys.modules["__main__"] = sys.modules["__mp_main__"] = module


def bootstrap(run_id, executor_id, source, init_payload):
    """Imports the script for one executor; answers [ok, error line, traceback]."""
    global _run
    if run_id != _run:
        _modules.clear()
        _run = run_id
        turns.begin_run()
    runtime.remember_source(source)
    module = types.ModuleType("__mp_main__")
    module.__file__ = runtime.SCRIPT
    module.__builtins__ = builtins
    _use(module)
    runtime.importing_main = True
    try:
        exec(compile(source, runtime.SCRIPT, "exec"), module.__dict__)
        if init_payload is not None:
            initializer, initargs = pickle.loads(init_payload.to_bytes())
            initializer(*initargs)
    except BaseException as exc:
        return [False, f"{type(exc).__name__}: {exc}", runtime.format_exception(exc)]
    finally:
        runtime.importing_main = False
        runtime.flush_output()
    _modules[executor_id] = module
    return [True, None, None]


def _failure(exc):
    remote = runtime.format_exception(exc)
    try:
        return [False, pickle.dumps((exc, remote), pickle.HIGHEST_PROTOCOL)]
    except Exception:
        stand_in = RuntimeError(f"{type(exc).__name__}: {exc} (the exception itself could not be pickled)")
        return [False, pickle.dumps((stand_in, remote), pickle.HIGHEST_PROTOCOL)]


def run_task(run_id, executor_id, payload):
    """Runs one pickled call; answers [ok, pickled result or (exception, traceback)]."""
    module = _modules.get(executor_id) if run_id == _run else None
    if module is None:
        return _failure(BrokenProcessPool("this worker could not import the script"))
    _use(module)
    try:
        fn, args, kwargs = pickle.loads(payload.to_bytes())
        value = fn(*args, **kwargs)
        # Turns the task left queued end with it, as its process would wait for its threads.
        turns.finish_run(cancelled=False)
        return [True, pickle.dumps(value, pickle.HIGHEST_PROTOCOL)]
    except BaseException as exc:
        turns.finish_run(cancelled=True)
        return _failure(exc)
    finally:
        runtime.flush_output()


def forget(executor_id):
    _modules.pop(executor_id, None)


def stand_in(text):
    """Answers for a task whose call broke down outside the learner's code
    (typically Cancel's interrupt landing between two of its steps)."""
    last = (text or "").strip().splitlines()[-1:] or [""]
    if "KeyboardInterrupt" in last[0]:
        return _failure(KeyboardInterrupt())
    return _failure(RuntimeError(f"the worker failed outside your code: {last[0]}"))
