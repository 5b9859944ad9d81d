"""State shared by the playground modules, and the pieces both roles need."""

import linecache
import os
import traceback

# "main" in the parent interpreter, "worker" in a pool worker.
role = None
# In a pool worker: its index (0, 1, ...).
worker_index = None
# True while a pool worker is importing the learner's script (its "bootstrap").
importing_main = False
# True once the learner pressed Cancel during the current run (main only).
cancelled = False
# The JavaScript side of the main interpreter (see worker/main-worker.js).
host = None
# Where the learner's script claims to live; tracebacks show only its frames.
SCRIPT = "main.py"


def install(role_name, cpu_count, index=None, js_host=None):
    """Called once per interpreter, right after Pyodide has started."""
    global role, worker_index, host
    role, worker_index, host = role_name, index, js_host

    count = int(cpu_count) if cpu_count else 1
    # Pyodide answers 1; the learner should see the machine's cores.
    os.cpu_count = lambda: count
    os.process_cpu_count = lambda: count

    import concurrent.futures
    import concurrent.futures.process
    from . import executor

    concurrent.futures.ProcessPoolExecutor = executor.ProcessPoolExecutor
    concurrent.futures.process.ProcessPoolExecutor = executor.ProcessPoolExecutor

    if role == "main":
        from . import waiting

        waiting.install()


def remember_source(source, filename=SCRIPT):
    """Lets tracebacks quote lines of the learner's script (there is no file)."""
    lines = source.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    # An mtime of None tells linecache never to re-check this entry on disk.
    linecache.cache[filename] = (len(source), None, lines, filename)


def _keep_script_frames(te, seen):
    """Drops the plumbing (Pyodide, this package, the stdlib) from a traceback."""
    if te is None or id(te) in seen:
        return
    seen.add(id(te))
    te.stack = traceback.StackSummary.from_list(
        [frame for frame in te.stack if frame.filename == SCRIPT]
    )
    _keep_script_frames(te.__cause__, seen)
    _keep_script_frames(te.__context__, seen)
    for group_member in te.exceptions or ():
        _keep_script_frames(group_member, seen)


def format_exception(exc):
    """The traceback text a learner should see for ``exc``."""
    te = traceback.TracebackException.from_exception(exc)
    _keep_script_frames(te, set())
    return "".join(te.format())


def describe(exc):
    """``exc`` as a plain dict for JavaScript: type, message, traceback."""
    return {
        "type": type(exc).__name__,
        "message": str(exc),
        "traceback": format_exception(exc),
    }
