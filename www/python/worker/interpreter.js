// Starts one Pyodide interpreter and installs the playground's Python package (www/python/py/playground) into it. Shared by the main-interpreter
// worker and the pool workers. Pyodide comes from www/vendor/pyodide, never from a CDN.

const VENDOR = new URL('../../vendor/pyodide/', import.meta.url);
const PACKAGE = new URL('../py/playground/', import.meta.url);
const PACKAGE_FILES = ['__init__.py', 'runtime.py', 'waiting.py', 'turns.py', 'executor.py', 'parent.py', 'child.py'];
const SITE = '/home/pyodide/.playground'; // not a URL: a folder in Pyodide's in-memory file system

/** Absolute wall-clock milliseconds, comparable between workers. */
export const wallClock = () => performance.timeOrigin + performance.now();

/** What went wrong, as text that survives postMessage. */
export const errorText = (error) => String(error?.message ?? error);

async function fetchSource(name) {
  const url = new URL(name, PACKAGE);
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
      const lines = (pending + decoder.decode(buffer, { stream: true })).split('\n');
      pending = lines.pop(); // after the last newline: not a line yet
      for (const line of lines) emit(line);
      return buffer.length;
    },
    flush() {
      if (pending) emit(pending);
      pending = '';
    },
  };
}

/**
 * Loads Pyodide and the playground package. `onLine(stream, text)` gets what
 * Python prints ('stdout' or 'stderr') one line at a time. Answers
 * `{ py, load_ms, flush, snapshot, restored }`; flush() passes on partial lines.
 *
 * Memory snapshots (Pyodide's undocumented `_makeSnapshot`/`_loadSnapshot`):
 * with `makeSnapshot`, the fresh interpreter's memory is captured before
 * anything else touches it (`snapshot`, about 30 MB); a pool worker given that
 * `snapshot` restores it in a fraction of a full start. Any failure there falls
 * back to a full start (`restored` says which happened).
 */
export async function loadInterpreter({ onLine, makeSnapshot = false, snapshot = null }) {
  const started = performance.now();
  const { loadPyodide } = await import(new URL('pyodide.mjs', VENDOR).href).catch((error) => {
    throw new Error(`Pyodide is not installed in www/vendor/pyodide (${error.message})`);
  });
  const sourcesLoaded = Promise.all(PACKAGE_FILES.map(fetchSource));
  const load = (options) => loadPyodide({ indexURL: VENDOR.href, ...options });
  let py = null;
  let madeSnapshot = null;
  if (snapshot) {
    py = await load({ _loadSnapshot: snapshot }).catch((error) => {
      console.warn(`Python worker: restoring the memory snapshot failed, starting in full (${errorText(error)})`);
      return null;
    });
  }
  const restored = py !== null;
  if (!py && makeSnapshot) {
    try {
      py = await load({ _makeSnapshot: true });
      madeSnapshot = py.makeMemorySnapshot();
    } catch (error) {
      console.warn(`Python: no memory snapshot, workers start in full (${errorText(error)})`);
    }
  }
  py ??= await load();
  const sources = await sourcesLoaded;
  py.FS.mkdirTree(`${SITE}/playground`);
  PACKAGE_FILES.forEach((name, i) => py.FS.writeFile(`${SITE}/playground/${name}`, sources[i]));
  const [out, err] = ['stdout', 'stderr'].map((stream) => lineWriter((text) => onLine(stream, text)));
  py.setStdout(out);
  py.setStderr(err);
  // There is no console to type into: input() meets end-of-file (EOFError).
  py.setStdin({ stdin: () => null });
  // Line buffering, so each print reaches the page as it happens.
  py.runPython(`import sys\nsys.stdout.reconfigure(line_buffering=True)\nsys.path.insert(0, ${JSON.stringify(SITE)})`);
  const flush = () => [out, err].forEach((writer) => writer.flush());
  return { py, load_ms: performance.now() - started, flush, snapshot: madeSnapshot, restored };
}
