// Starts one Pyodide interpreter and installs the playground's Python package
// (www/python/py/playground) into it. Shared by the main-interpreter worker and
// the pool workers. Pyodide comes from www/vendor/pyodide, never from a CDN.

const VENDOR = new URL('../../vendor/pyodide/', import.meta.url);
const PACKAGE = new URL('../py/playground/', import.meta.url);
const PACKAGE_FILES = ['__init__.py', 'runtime.py', 'waiting.py', 'executor.py', 'parent.py', 'child.py'];
const SITE = '/home/pyodide/.playground'; // not a URL: a folder in Pyodide's in-memory file system

/** Absolute wall-clock milliseconds, comparable between workers. */
export const wallClock = () => performance.timeOrigin + performance.now();

async function fetchText(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url.pathname}: HTTP ${response.status}`);
  return response.text();
}

/**
 * Splits what Python writes into lines for `emit`. A partial line waits for its
 * newline, or for flush() at the end of a task or a run.
 */
function lineWriter(emit) {
  const decoder = new TextDecoder();
  let pending = '';
  return {
    isatty: false,
    write(buffer) {
      pending += decoder.decode(buffer, { stream: true });
      let newline;
      while ((newline = pending.indexOf('\n')) >= 0) {
        emit(pending.slice(0, newline));
        pending = pending.slice(newline + 1);
      }
      return buffer.length;
    },
    flush() {
      if (pending) emit(pending);
      pending = '';
    },
  };
}

/**
 * Loads Pyodide and the playground package. `stdout`/`stderr` get one line at a
 * time. Answers `{ py, load_ms, flush, snapshot, restored }`; flush() passes on
 * partial lines.
 *
 * Memory snapshots (Pyodide's undocumented `_makeSnapshot`/`_loadSnapshot`):
 * with `makeSnapshot`, the fresh interpreter's memory is captured before
 * anything else touches it (`snapshot`, about 30 MB); a pool worker given that
 * `snapshot` restores it in a fraction of a full start. Any failure there falls
 * back to a full start (`restored` says which happened).
 */
export async function loadInterpreter({ stdout, stderr, makeSnapshot = false, snapshot = null }) {
  const started = performance.now();
  let loadPyodide;
  try {
    ({ loadPyodide } = await import(new URL('pyodide.mjs', VENDOR).href));
  } catch (error) {
    throw new Error(`Pyodide is not installed in www/vendor/pyodide (${error.message})`);
  }
  const sourcesLoaded = Promise.all(PACKAGE_FILES.map((name) => fetchText(new URL(name, PACKAGE))));
  let py = null;
  let restored = false;
  let madeSnapshot = null;
  if (snapshot) {
    try {
      py = await loadPyodide({ indexURL: VENDOR.href, _loadSnapshot: snapshot });
      restored = true;
    } catch (error) {
      console.warn(`Python worker: restoring the memory snapshot failed, starting in full (${error?.message ?? error})`);
    }
  }
  if (!py && makeSnapshot) {
    try {
      py = await loadPyodide({ indexURL: VENDOR.href, _makeSnapshot: true });
      madeSnapshot = py.makeMemorySnapshot();
    } catch (error) {
      console.warn(`Python: no memory snapshot, workers start in full (${error?.message ?? error})`);
      madeSnapshot = null;
    }
  }
  if (!py) py = await loadPyodide({ indexURL: VENDOR.href });
  const sources = await sourcesLoaded;
  py.FS.mkdirTree(`${SITE}/playground`);
  PACKAGE_FILES.forEach((name, i) => py.FS.writeFile(`${SITE}/playground/${name}`, sources[i]));
  const out = lineWriter(stdout);
  const err = lineWriter(stderr);
  py.setStdout(out);
  py.setStderr(err);
  // There is no console to type into: input() meets end-of-file (EOFError).
  py.setStdin({ stdin: () => null });
  // Line buffering, so each print reaches the page as it happens.
  py.runPython(`import sys\nsys.stdout.reconfigure(line_buffering=True)\nsys.path.insert(0, ${JSON.stringify(SITE)})`);
  const flush = () => {
    out.flush();
    err.flush();
  };
  return { py, load_ms: performance.now() - started, flush, snapshot: madeSnapshot, restored };
}
