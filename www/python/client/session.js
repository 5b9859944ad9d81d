// The page's handle on the Python runtime. Thin on purpose: Python runs in a module worker (../worker/main-worker.js) that owns a pool of worker
// interpreters, so nothing here blocks and nothing is downloaded until start(). docs/protocol.md has the messages.
//
//   const session = new PythonSession({ onOutput, onStatus, mode, snapshot });
//   await session.start(4);  // { startup_ms, main_ms, workers: [{ worker, load_ms, ready_ms, restored }], mode, snapshot, reused }
//   const r = await session.run(code, { workers }); // starts (or resizes) the pool first if needed
//   await session.cancel();  // stops the run; the next run works
//   session.close();         // ends every worker
//
// onOutput({ worker, stream, text, t }): worker 'main', 'worker 0', …; stream 'stdout' or 'stderr'; t when printed (epoch ms). onStatus({ phase,
// ready, total, main }): phase 'starting', 'ready', 'running', 'cancelling', 'idle' or 'stopped'. run() answers { ok, error: { type, message,
// traceback } | null, cancelled, output (every line of the run, in printing order), timeline: [{ worker, kind: 'task' | 'import' | 'turn', task,
// label, items, ok, start_ms, end_ms }] (ms since the run began, on the workers' wall clock; a 'turn' is a ThreadPoolExecutor task taking its turn on
// the parent, worker 'main'), startup_ms (interpreters started during this run; 0 when warm), run_ms (the script alone), mode (how Python blocked:
// 'sab', 'jspi' or 'none') }.
//
// start(n) is idempotent: the same n answers at once; another n resizes the warm pool. n is an integer in 1..PythonSession.maxWorkers() (twice the
// cores, at most 8). Options: `mode` ('auto' | 'sab' | 'jspi') picks how the main interpreter blocks; 'auto' takes shared memory where the page is
// cross-origin isolated and JavaScript Promise Integration otherwise. `snapshot` (default true) starts pool workers from a memory snapshot of the
// freshly started parent (restored: true), else (or where that fails) in full.

import { CANCEL, CONTROL_BYTES, ringDoorbell } from '../worker/channel.js';
import { sharedMemoryProblem } from '../../lib/shared-memory.js';

const CANCEL_GRACE_MS = 400; // then interrupt the main interpreter (isolated pages)
const KILL_GRACE_MS = 1500; // then end every worker; the next run starts afresh

const cores = () => navigator.hardwareConcurrency || 1;

export class PythonSession {
  static maxWorkers() {
    return Math.min(8, 2 * cores());
  }

  #options; // { onOutput, onStatus, mode, snapshot }
  #worker = null;
  #lastStart = null; // what the last start() answered, while its pool stands
  #pending = null; // the one request in flight (requests are serial): { id, kind, resolve, reject }
  #ids = 0;
  #run = null; // the run in progress: { output, promise, cancelRequested }
  #waiting = new Set(); // runs still waiting for the pool to start
  #received = {}; // output lines received per pool-worker generation
  #drained = null; // while a finished run waits for its last lines: checks whether they came
  #control = null; // isolated pages: the shared control words (cancel flag, doorbell)
  #interrupt = null; // isolated pages: the main interpreter's SIGINT word
  #queue = Promise.resolve();

  constructor({ onOutput = () => {}, onStatus = () => {}, mode = 'auto', snapshot = true } = {}) {
    this.#options = { onOutput, onStatus, mode, snapshot };
  }

  /** The pool's size once started, else 0. */
  get workers() {
    return this.#lastStart?.workers.length ?? 0;
  }

  /** Starts (or resizes) the pool; resolves when every interpreter is ready. */
  start(workers) {
    return this.#serial(() => this.#start(workers));
  }

  /** Runs `code` as the script `main.py`; starts the pool first if needed. */
  run(code, { workers } = {}) {
    if (typeof code !== 'string') return Promise.reject(new TypeError('run(code) needs the script as a string'));
    const ticket = { cancelled: false };
    this.#waiting.add(ticket);
    return this.#serial(async () => {
      try {
        const info = await this.#start(workers);
        const startup_ms = info.reused ? 0 : info.startup_ms;
        if (!ticket.cancelled) return await this.#runNow(code, startup_ms);
        return { ok: false, cancelled: true, error: interrupted('Cancelled before the script started.'), output: [], timeline: [], startup_ms, run_ms: 0, mode: 'none' };
      } finally {
        this.#waiting.delete(ticket);
      }
    });
  }

  /** Stops the run in progress, if any; resolves when it has stopped. */
  async cancel() {
    for (const ticket of this.#waiting) ticket.cancelled = true; // not begun: never will
    const active = this.#run;
    if (!active) return;
    active.cancelRequested = true;
    this.#options.onStatus({ phase: 'cancelling' });
    this.#worker?.postMessage({ type: 'cancel' });
    if (this.#control) {
      Atomics.store(this.#control, CANCEL, 1);
      ringDoorbell(this.#control);
    }
    if (await settledWithin(active.promise, CANCEL_GRACE_MS)) return;
    // The main interpreter is busy in Python itself, not waiting for the pool.
    if (this.#interrupt) Atomics.store(this.#interrupt, 0, 2);
    if (await settledWithin(active.promise, KILL_GRACE_MS)) return;
    this.#hardStop('Cancel: the code did not stop, so every Python worker was ended.');
  }

  close() {
    this.#hardStop('The Python session was closed.');
  }

  // -- internals --------------------------------------------------------------

  #serial(job) {
    const next = this.#queue.then(job, job);
    this.#queue = next.catch(() => {});
    return next;
  }

  async #start(workers) {
    const max = PythonSession.maxWorkers();
    workers ??= this.workers || Math.min(cores(), max); // one per core when nothing was asked
    if (!Number.isInteger(workers) || workers < 1 || workers > max) {
      throw new RangeError(`Choose between 1 and ${max} workers (twice this machine's ${cores()} cores, at most 8); got ${workers}.`);
    }
    if (this.workers === workers) return { ...this.#lastStart, reused: true };
    if (!this.#worker) this.#spawn();
    const { mode, snapshot } = this.#options;
    const { id, ...info } = await this.#request({ type: 'start', workers, mode, snapshot, control: this.#control?.buffer, interrupt: this.#interrupt?.buffer }).catch((error) => {
      this.#hardStop(error.message); // half-started: begin afresh next time
      throw error;
    });
    this.#lastStart = info;
    this.#options.onStatus({ phase: 'ready', ready: workers, total: workers, main: true });
    return { ...this.#lastStart, reused: false };
  }

  async #runNow(code, startup_ms) {
    const output = [];
    const promise = this.#request({ type: 'run', code }).catch(({ message }) => ({ ok: false, error: { type: 'InternalError', message, traceback: message } }));
    this.#run = { output, promise };
    this.#options.onStatus({ phase: 'running' });
    const done = await promise;
    if (done.lines) await this.#outputDrained(done.lines);
    const { cancelRequested = false } = this.#run;
    this.#run = null;
    if (done.fatal) this.#hardStop('Python stopped working; it starts afresh on the next run.');
    // Lines from different workers arrive on different channels; order them by when they were printed.
    output.sort((a, b) => a.t - b.t);
    this.#options.onStatus({ phase: this.#worker ? 'idle' : 'stopped' });
    const { ok, error = null, timeline = [], run_ms = 0, mode = this.#lastStart?.mode ?? 'none' } = done;
    const cancelled = Boolean(done.cancelled || (cancelRequested && !ok));
    return { ok, error, cancelled, output, timeline, startup_ms: startup_ms + (done.startup_ms ?? 0), run_ms, mode };
  }

  #spawn() {
    // Shared memory for the control words only where the workers can really use it.
    const shared = sharedMemoryProblem() === null;
    this.#control = shared && this.#options.mode !== 'jspi' ? new Int32Array(new SharedArrayBuffer(CONTROL_BYTES)) : null;
    this.#interrupt = shared ? new Int32Array(new SharedArrayBuffer(4)) : null;
    this.#received = {};
    this.#worker = new Worker(new URL('../worker/main-worker.js', import.meta.url), { type: 'module', name: 'python main' });
    this.#worker.onmessage = ({ data }) => this.#receive(data);
    this.#worker.onerror = (event) => {
      event.preventDefault?.();
      this.#fail(new Error(`The Python worker failed: ${event.message ?? 'unknown error'}`));
    };
  }

  #request(message) {
    const id = ++this.#ids;
    return new Promise((resolve, reject) => {
      this.#worker.postMessage({ ...message, id });
      this.#pending = { id, kind: message.type, resolve, reject };
    });
  }

  #receive({ type, ...data }) {
    if (type === 'status') this.#options.onStatus(data);
    else if (type === 'output') this.#emit(data);
    else if (type === 'port') this.#listen(data.port, data.gen);
    else if (this.#pending?.id === data.id) {
      const { resolve, reject } = this.#pending;
      this.#pending = null;
      if (type === 'failed') reject(new Error(data.message));
      else resolve(data);
    }
  }

  #listen(port, gen) {
    this.#received[gen] = 0;
    port.onmessage = ({ data }) => {
      this.#received[gen] += 1;
      this.#emit({ worker: `worker ${data.worker}`, stream: data.stream, text: data.text, t: data.t });
      this.#drained?.();
    };
  }

  #emit(line) {
    this.#run?.output.push(line);
    try {
      this.#options.onOutput(line);
    } catch (error) {
      console.error(error);
    }
  }

  /**
   * Waits (a second at most) until every line the pool workers printed during the run has arrived: `lines` counts them per worker generation. Runs
   * are serial, so one run at a time waits here.
   */
  async #outputDrained(lines) {
    const arrived = new Promise((resolve) => (this.#drained = () => Object.entries(lines).every(([gen, n]) => (this.#received[gen] ?? 0) >= n) && resolve()));
    this.#drained();
    await settledWithin(arrived, 1000);
    this.#drained = null;
  }

  /** Settles the request in flight, if any; a run answers `stopped` instead, if given. */
  #fail(error, stopped = null) {
    const pending = this.#pending;
    this.#pending = null;
    if (pending?.kind === 'run' && stopped) pending.resolve(stopped);
    else pending?.reject(error);
  }

  #hardStop(message) {
    const active = this.#run;
    this.#worker?.terminate();
    this.#worker = null;
    this.#lastStart = null;
    this.#fail(new Error(message), { ok: false, cancelled: true, error: interrupted(message) });
    if (!active) this.#options.onStatus({ phase: 'stopped' });
  }
}

/** Whether `promise` settles within `ms`. */
function settledWithin(promise, ms) {
  return Promise.race([promise.then(() => true), new Promise((resolve) => setTimeout(() => resolve(false), ms))]);
}

/** The error of a run stopped from outside Python. */
function interrupted(message) {
  return { type: 'KeyboardInterrupt', message, traceback: `KeyboardInterrupt: ${message}\n` };
}
