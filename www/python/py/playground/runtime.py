"""What both roles need: the interpreter's patches, the script's name, tracebacks.

A leaf on purpose: it imports nothing from this package, so every other module
may import it. It knows nothing about the pool; whoever installs it passes in
the ``ProcessPoolExecutor`` the learner should get.
"""

import concurrent.futures
import concurrent.futures.process
import linecache
import os
import sys
import traceback

# True while a pool worker is importing the learner's script (its "bootstrap").
importing_main = False
# Where the learner's script claims to live; tracebacks show only its frames.
SCRIPT = "main.py"


def install(cpu_count, pool_executor):
    """Called once per interpreter, right after Pyodide has started: the learner
    sees the machine's cores and ``pool_executor`` as ``ProcessPoolExecutor``."""
    count = int(cpu_count) if cpu_count else 1
    # Pyodide answers 1; the learner should see the machine's cores.
    os.cpu_count = lambda: count
    os.process_cpu_count = lambda: count
    concurrent.futures.ProcessPoolExecutor = pool_executor
    concurrent.futures.process.ProcessPoolExecutor = pool_executor


def flush_output():
    """Passes on what the script printed without a newline yet."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            pass


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
