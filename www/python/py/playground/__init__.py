"""Support code the playground loads into every Pyodide interpreter.

The page runs one *main* interpreter (the parent process of the learner's
script) and a pool of *worker* interpreters (the child processes). Each lives in
its own Web Worker, so the pool really does run on several cores:

- ``runtime``  the patches both roles install, the script's name, readable
               tracebacks; imports nothing from this package
- ``waiting``  how the single-threaded main interpreter blocks: while it waits,
               it hands what the pool workers send back to the dispatcher it
               is given; imports nothing from this package either
- ``turns``    ``ThreadPoolExecutor`` where the interpreter can't start threads:
               tasks take turns on it, as threads do under the GIL; imports
               nothing from this package
- ``executor`` ``ProcessPoolExecutor`` backed by the pool, and the dispatcher
               of each run (uses ``runtime`` and ``waiting``)
- ``parent``   runs the learner's script as ``__main__`` in the main interpreter
- ``child``    runs in each pool worker: imports the script as ``__mp_main__``
               and executes the pickled tasks

``parent.install`` and ``child.install`` set an interpreter up; imports only
go down that list, never back up.
"""
