// The page's handle on the Python runtime. Thin on purpose: Python runs in a
// module worker (../worker/main-worker.js) that owns a pool of worker
// interpreters, so nothing here blocks and nothing is downloaded until start().
//
//   import { PythonSession } from '/python/client/session.js';
//   const session = new PythonSession({
//     onOutput({ worker, stream, text, t }) {}, // worker: 'main' | 'worker 0' | 'worker 1' ...;
//                                              // stream: 'stdout' | 'stderr'; t: when printed (epoch ms)
//     onStatus({ phase, ready, total, main }) {}, // phase: 'starting' | 'ready' | 'running'
//   });                                       //        | 'cancelling' | 'idle' | 'stopped'
//   await session.start(4);   // -> { startup_ms, main_ms, workers: [{ worker, load_ms, ready_ms, restored }],
//                             //      mode, snapshot, reused }
//   const r = await session.run(code);
//   // r = { ok, error: { type, message, traceback } | null, cancelled,
//   //       output: [{ worker, stream, text, t }],   // every line of the run, in printing order
//   //       timeline: [{ worker, kind: 'task' | 'import', task, label, items, ok, start_ms, end_ms }],
//   //       startup_ms,   // interpreters started during this run() (0 when the pool was warm)
//   //       run_ms,       // the script itself, start-up excluded
//   //       mode }        // how Python blocked: 'sab' | 'jspi' | 'none'
//   await session.cancel();   // stops the run; the next run works
//   session.close();          // ends every worker
//
// start(n) is idempotent: the same n answers at once; another n resizes the
// warm pool (extra workers end, missing ones start). n must be an integer in
// 1..PythonSession.maxWorkers() (twice the cores, never more than 8).
// Timeline times are ms relative to the start of the run, measured in the
// workers with performance.timeOrigin + performance.now().
//
// Options: `mode` ('auto' | 'sab' | 'jspi') picks how the main interpreter
// blocks; 'auto' takes shared memory where the page is cross-origin isolated
// and JavaScript Promise Integration otherwise. `snapshot` (default true)
// starts pool workers from a memory snapshot of the freshly started parent
// (restored: true), falling back to a full start wherever that fails.

import { CANCEL, CONTROL_BYTES, ringDoorbell } from '../worker/channel.js';
import { sharedMemoryProblem } from '../../lib/shared-memory.js';

const CANCEL_GRACE_MS = 400; // then interrupt the main interpreter (isolated pages)
const KILL_GRACE_MS = 1500; // then end every worker; the next run starts afresh

const cores = () => navigator.hardwareConcurrency || 1;
// Shared memory for the control words only where the workers can really use it.
const isolated = () => sharedMemoryProblem() === null;

export class PythonSession {
  static maxWorkers() {
    return Math.min(8, 2 * cores());
  }

  static defaultWorkers() {
    return Math.min(cores(), PythonSession.maxWorkers());
  }

  #onOutput;
  #onStatus;
  #mode;
  #snapshot;
  #worker = null;
  #size = 0;
  #lastStart = null;
  #pending = new Map(); // request id -> { resolve, reject, kind }
  #ids = 0;
  #run = null; // the run in progress: { output, promise, cancelRequested }
  #waiting = new Set(); // runs still waiting for the pool to start
  #received = {}; // output lines received per pool-worker generation
  #drained = null; // while a finished run waits for its last lines: checks whether they came
  #control = null;
  #interrupt = null;
  #queue = Promise.resolve();

  constructor({ onOutput = () => {}, onStatus = () => {}, mode = 'auto', snapshot = true } = {}) {
    this.#onOutput = onOutput;
    this.#onStatus = onStatus;
    this.#mode = mode;
    this.#snapshot = snapshot;
  }

  get workers() {
    return this.#size;
  }

  get running() {
    return this.#run !== null;
  }

  /** Starts (or resizes) the pool; resolves when every interpreter is ready. */
  start(workers = this.#size || PythonSession.defaultWorkers()) {
    const max = PythonSession.maxWorkers();
    if (!Number.isInteger(workers) || workers < 1 || workers > max) {
      return Promise.reject(new RangeError(`Choose between 1 and ${max} workers (twice this machine's ${cores()} cores, at most 8); got ${workers}.`));
    }
    return this.#serial(() => this.#start(workers));
  }

  /** Runs `code` as the script `main.py`; starts the pool first if needed. */
  run(code, { workers } = {}) {
    if (typeof code !== 'string') return Promise.reject(new TypeError('run(code) needs the script as a string'));
    const ticket = { cancelled: false };
    this.#waiting.add(ticket);
    return this.#serial(async () => {
      try {
        const info = await this.#start(workers ?? (this.#size || PythonSession.defaultWorkers()));
        const startup_ms = info.reused ? 0 : info.startup_ms;
        return ticket.cancelled ? cancelledBeforeStart(startup_ms) : await this.#runNow(code, startup_ms);
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
    this.#onStatus({ phase: 'cancelling' });
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
    if (this.#worker && this.#size === workers && this.#lastStart) {
      return { ...this.#lastStart, reused: true };
    }
    if (!this.#worker) this.#spawn();
    let info;
    try {
      info = await this.#request({ type: 'start', workers, mode: this.#mode, snapshot: this.#snapshot, control: this.#control?.buffer, interrupt: this.#interrupt?.buffer });
    } catch (error) {
      this.#hardStop(error.message); // half-started: begin afresh next time
      throw error;
    }
    this.#size = workers;
    this.#lastStart = { startup_ms: info.startup_ms, main_ms: info.main_ms, workers: info.workers, mode: info.mode, snapshot: info.snapshot };
    this.#onStatus({ phase: 'ready', ready: workers, total: workers, main: true });
    return { ...this.#lastStart, reused: false };
  }

  async #runNow(code, startup_ms) {
    const output = [];
    const promise = this.#request({ type: 'run', code }).catch((error) => ({
      ok: false,
      error: { type: 'InternalError', message: error.message, traceback: error.message },
      timeline: [],
      run_ms: 0,
    }));
    this.#run = { output, promise };
    this.#onStatus({ phase: 'running' });
    const done = await promise;
    if (done.lines) await this.#outputDrained(done.lines);
    const { cancelRequested = false } = this.#run;
    this.#run = null;
    if (done.fatal) this.#hardStop('Python stopped working; it starts afresh on the next run.');
    // Lines from different workers arrive on different channels; order them by
    // when they were printed.
    output.sort((a, b) => a.t - b.t);
    this.#onStatus({ phase: this.#worker ? 'idle' : 'stopped' });
    return {
      ok: done.ok,
      error: done.error ?? null,
      cancelled: Boolean(done.cancelled || (cancelRequested && !done.ok)),
      output,
      timeline: done.timeline ?? [],
      startup_ms: startup_ms + (done.startup_ms ?? 0),
      run_ms: done.run_ms ?? 0,
      mode: done.mode ?? this.#lastStart?.mode ?? 'none',
    };
  }

  #spawn() {
    if (isolated()) {
      if (this.#mode !== 'jspi') this.#control = new Int32Array(new SharedArrayBuffer(CONTROL_BYTES));
      this.#interrupt = new Int32Array(new SharedArrayBuffer(4));
    }
    this.#received = {};
    this.#worker = new Worker(new URL('../worker/main-worker.js', import.meta.url), { type: 'module', name: 'python main' });
    this.#worker.onmessage = ({ data }) => this.#receive(data);
    this.#worker.onerror = (event) => {
      event.preventDefault?.();
      this.#failAll(new Error(`The Python worker failed: ${event.message ?? 'unknown error'}`));
    };
  }

  #request(message) {
    const id = ++this.#ids;
    return new Promise((resolve, reject) => {
      this.#worker.postMessage({ ...message, id });
      this.#pending.set(id, { kind: message.type, resolve, reject });
    });
  }

  #receive(data) {
    const { type } = data;
    if (type === 'status') this.#onStatus({ phase: data.phase, ready: data.ready, total: data.total, main: data.main });
    else if (type === 'output') this.#emit({ worker: 'main', stream: data.stream, text: data.text, t: data.t });
    else if (type === 'port') this.#listen(data.port, data.gen);
    else if (type === 'started' || type === 'done') this.#settle(data.id, 'resolve', data);
    else if (type === 'failed') this.#settle(data.id, 'reject', new Error(data.message));
  }

  #settle(id, how, value) {
    const entry = this.#pending.get(id);
    this.#pending.delete(id);
    entry?.[how](value);
  }

  #listen(port, gen) {
    this.#received[gen] = 0;
    port.onmessage = ({ data }) => {
      this.#received[gen] = (this.#received[gen] ?? 0) + 1;
      this.#emit({ worker: `worker ${data.worker}`, stream: data.stream, text: data.text, t: data.t });
      this.#drained?.();
    };
  }

  #emit(line) {
    this.#run?.output.push(line);
    try {
      this.#onOutput(line);
    } catch (error) {
      console.error(error);
    }
  }

  /**
   * Waits (a second at most) until every line the pool workers printed during
   * the run has arrived: `lines` counts them per worker generation. Runs are
   * serial, so one run at a time waits here.
   */
  #outputDrained(lines) {
    return new Promise((resolve) => {
      const timer = setTimeout(() => finish(), 1000);
      const finish = () => {
        clearTimeout(timer);
        this.#drained = null;
        resolve();
      };
      this.#drained = () => Object.entries(lines).every(([gen, n]) => (this.#received[gen] ?? 0) >= n) && finish();
      this.#drained();
    });
  }

  /** Settles every request still pending; a run answers `stopped` instead, if given. */
  #failAll(error, stopped = null) {
    const entries = [...this.#pending.values()];
    this.#pending.clear();
    for (const { kind, resolve, reject } of entries) {
      if (kind === 'run' && stopped) resolve(stopped);
      else reject(error);
    }
  }

  #hardStop(message) {
    const active = this.#run;
    this.#worker?.terminate();
    this.#worker = null;
    this.#size = 0;
    this.#lastStart = null;
    this.#control = null;
    this.#interrupt = null;
    this.#failAll(new Error(message), { ok: false, cancelled: true, error: interrupted(message), timeline: [], run_ms: 0 });
    if (!active) this.#onStatus({ phase: 'stopped' });
  }
}

/** The error of a run stopped from outside Python. */
function interrupted(message) {
  return { type: 'KeyboardInterrupt', message, traceback: `KeyboardInterrupt: ${message}\n` };
}

function cancelledBeforeStart(startup_ms) {
  const error = interrupted('Cancelled before the script started.');
  return { ok: false, cancelled: true, error, output: [], timeline: [], startup_ms, run_ms: 0, mode: 'none' };
}

function settledWithin(promise, ms) {
  return Promise.race([promise.then(() => true), new Promise((resolve) => setTimeout(() => resolve(false), ms))]);
}
