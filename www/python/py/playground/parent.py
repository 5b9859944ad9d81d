"""Runs the learner's script in the main interpreter, as ``__main__``."""

import builtins
import json
import sys
import types

from . import executor, runtime


def _flush():
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            pass


def run(source, run_id):
    """Runs ``source``; answers JSON ``{"ok": bool, "error": {...} | null}``."""
    runtime.cancelled = False
    executor.reset(run_id)
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
        executor.finish_run()
    except BaseException as exc:
        if error is None:
            error = runtime.describe(exc)
    _flush()
    return json.dumps({"ok": error is None, "error": error})
