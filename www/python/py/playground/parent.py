"""Runs the learner's script in the main interpreter, as ``__main__``."""

import builtins
import functools
import json
import sys
import types

from . import executor, runtime, turns, waiting


def install(cpu_count, host):
    """Sets up the main interpreter; answers ``run(source, run_id)`` for ``host``,
    the JavaScript side of this interpreter (see worker/main-worker.js)."""
    runtime.install(cpu_count, executor.ProcessPoolExecutor)
    if not turns.threads_work():
        turns.install(record=host.record_turn, now=host.now)
    waiting.install(executor.current, turns.take_turn)
    return functools.partial(run, host)


def run(host, source, run_id):
    """Runs ``source``; answers JSON ``{"ok": bool, "error": {...} | null}``."""
    dispatcher = executor.begin_run(host, run_id)
    turns.begin_run()
    runtime.remember_source(source)

    module = types.ModuleType("__main__")
    module.__file__ = runtime.SCRIPT
    module.__builtins__ = builtins
    # Workers send back objects of classes defined in the script as
    # ``__mp_main__.<name>`` (that is the script's name over there).
    sys.modules["__main__"] = sys.modules["__mp_main__"] = module

    error = None
    try:
        code = compile(source, runtime.SCRIPT, "exec")
        exec(code, module.__dict__)
    except SystemExit as exc:
        if exc.code not in (None, 0):
            error = runtime.describe(exc)
    except BaseException as exc:
        error = runtime.describe(exc)
    try:
        turns.finish_run(cancelled=dispatcher.cancelled or (error or {}).get("type") == "KeyboardInterrupt")
    except BaseException as exc:
        if error is None:
            error = runtime.describe(exc)
    try:
        executor.finish_run(dispatcher)
    except BaseException as exc:
        if error is None:
            error = runtime.describe(exc)
    runtime.flush_output()
    return json.dumps({"ok": error is None, "error": error})
