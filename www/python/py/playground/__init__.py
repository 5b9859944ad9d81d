"""Support code the playground loads into every Pyodide interpreter.

The page runs one *main* interpreter (the parent process of the learner's
script) and a pool of *worker* interpreters (the child processes). Each lives in
its own Web Worker, so the pool really does run on several cores:

- ``runtime``  shared state, the ``os.cpu_count`` patch, readable tracebacks
- ``waiting``  how the single-threaded main interpreter blocks: while it waits,
               it handles what the pool workers send back
- ``executor`` ``ProcessPoolExecutor`` backed by the pool
- ``parent``   runs the learner's script as ``__main__`` in the main interpreter
- ``child``    runs in each pool worker: imports the script as ``__mp_main__``
               and executes the pickled tasks
"""
