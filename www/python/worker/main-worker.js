// The main-interpreter worker: the learner's "parent process". It owns the main Pyodide interpreter and the pool of worker interpreters (nested
// workers, see pool.js), so the page's thread never runs Python and never blocks.
//
// How Python blocks here (`list(pool.map(...))` is synchronous code), chosen once at start:
// - "sab":  the page is cross-origin isolated. Pool workers answer through
//           shared-memory mailboxes and the interpreter waits with
//           Atomics.wait (channel.js). Fastest; Cancel arrives as a shared flag.
// - "jspi": JavaScript Promise Integration. Python calls run_sync() on a
//           promise of the next answer; the interpreter is suspended and this
//           worker's event loop keeps delivering messages meanwhile. Messages
//           from the page that would re-enter Python are refused while a run is
//           in progress; Cancel is always handled.
// - "none": neither is available; a run that has to wait for the pool fails
//           with a message saying what the browser lacks.
//
// The messages to and from the page and the pool workers are in docs/protocol.md.

import { loadInterpreter, wallClock, errorText } from './interpreter.js';
import { Pool } from './pool.js';
import { CANCEL, DOORBELL, canShareMemory } from './channel.js';

const cores = navigator.hardwareConcurrency || 1;

let main = null; // the started main interpreter: { flush, runScript } (playground.parent.run, bound to `host`)
let pool = null;
let control = null; // Int32Array over the page's control SharedArrayBuffer
let mainInterrupt = null; // Int32Array the page writes SIGINT into
let jspi = false; // JavaScript Promise Integration works (whatever the mode)
let busy = false; // a start or a run is in progress
let chosenWorkers = 1; // the pool size asked for by start(); max_workers defaults to it
let starting = null; // during start(): { total, mainReady }
let run = null; // the run in progress
let runIds = 0;
const inbox = []; // answers waiting for the main interpreter
let waiter = null; // a pending JSPI wait

self.onmessage = async ({ data }) => {
  if (data.type === 'cancel') return cancel();
  if (busy) return postMessage({ type: 'failed', id: data.id, message: 'Python is busy: wait for the current run or cancel it.' });
  busy = true;
  try {
    if (data.type === 'start') await start(data);
    else if (data.type === 'run') await runCode(data);
  } catch (error) {
    postMessage({ type: 'failed', id: data.id, message: errorText(error) });
  } finally {
    busy = false;
  }
};

// -- answers for the main interpreter ---------------------------------------

/** Queues an answer (a cancel goes ahead of any still queued) and hands it to a JSPI wait. */
function deliver(message, first = false) {
  if (first) inbox.unshift(message);
  else inbox.push(message);
  if (!waiter) return;
  const { resolve, timer } = waiter;
  waiter = null;
  clearTimeout(timer);
  resolve(inbox.shift());
}

function checkCancelFlag() {
  if (control && Atomics.exchange(control, CANCEL, 0) !== 0) cancel();
}

function cancel() {
  if (run && !run.cancelled) {
    run.cancelled = true;
    deliver({ type: 'cancel' }, true);
  }
  pool?.stopBusy('Cancel');
}

// What Python's dispatcher sees as `host` (arrow functions: called through a JsProxy). `mode` is how Python blocks, fixed by the first start().
const host = {
  mode: 'none',
  max_workers: Math.min(8, 2 * cores), // as PythonSession.maxWorkers()
  pool_size: () => pool.size,
  default_workers: () => chosenWorkers,
  workers_ready: (count) => pool.size >= count && pool.members.slice(0, count).every((m) => m.readyAt !== null),
  // More workers than start() made (max_workers above the setting), or ones replaced during this run: start them and wait. Their start-up is reported
  // as start-up, not as run time.
  start_workers: async (count) => {
    const began = performance.now();
    pool.grow(count);
    await Promise.all(pool.members.slice(0, count).map((m) => m.ready));
    if (run) run.startup_ms += performance.now() - began;
  },
  send_bootstrap: (worker, executor, init) => pool.post(worker, { type: 'bootstrap', run: run.id, executor, source: run.code, init }, init ? [init.buffer] : []),
  send_task: (worker, executor, task, payload, label, items) => pool.post(worker, { type: 'task', run: run.id, executor, task, payload, label, items }, [payload.buffer]),
  send_forget: (worker, executor) => pool.post(worker, { type: 'forget', executor }),
  stop_worker: (worker, reason) => pool.replace(worker, reason),
  // A thread-pool task's turn on this interpreter (python/py/playground/turns.py), timed by now().
  now: wallClock,
  record_turn: (task, label, ok, start, end) =>
    run.timeline.push({ worker: 'main', kind: 'turn', task, label, items: 1, ok, start_ms: start - run.started, end_ms: end - run.started }),
  poll: () => {
    if (control) pool.drain();
    checkCancelFlag();
    return inbox.shift();
  },
  // JSPI: a promise of the next answer, or undefined after `ms` (-1: no limit).
  wait: (ms) =>
    new Promise((resolve) => {
      if (inbox.length) return resolve(inbox.shift());
      // Past `ms`, the wait forgets itself and answers undefined.
      waiter = { resolve, timer: ms >= 0 ? setTimeout(() => resolve((waiter = undefined)), ms) : null };
    }),
  // SAB: blocks this thread until an answer, the cancel flag, or the time limit.
  wait_sync: (ms) => {
    const deadline = ms >= 0 ? performance.now() + ms : Infinity;
    for (;;) {
      const seen = Atomics.load(control, DOORBELL);
      pool.drain();
      checkCancelFlag();
      if (inbox.length) return inbox.shift();
      const left = deadline - performance.now();
      if (left <= 0) return undefined;
      Atomics.wait(control, DOORBELL, seen, left === Infinity ? undefined : left);
    }
  },
};

function onPoolMessage(member, message) {
  if (!run || message.run !== run.id) return; // left over from a cancelled run
  run.lines[member.gen] = message.lines;
  const [kind, label] = message.type === 'booted' ? ['import', 'import script'] : ['task', message.label];
  const [start_ms, end_ms] = [message.start - run.started, message.end - run.started];
  run.timeline.push({ worker: message.worker, kind, task: message.task ?? null, label, items: message.items ?? 0, ok: message.ok, start_ms, end_ms });
  deliver(message);
}

// -- start ------------------------------------------------------------------

async function startMain(wantedMode, makeSnapshot) {
  const started = performance.now();
  const { py, flush, snapshot } = await loadInterpreter({
    makeSnapshot,
    onLine: (stream, text) => postMessage({ type: 'output', worker: 'main', stream, text, t: wallClock() }),
  });
  pool.snapshot = snapshot;
  if (mainInterrupt) py.setInterruptBuffer(mainInterrupt);
  jspi = await py.runPythonAsync('from pyodide.ffi import can_run_sync\ncan_run_sync()');
  // Shared memory first (`control` is only set when the mode allows it), then JSPI unless `sab` was asked for.
  host.mode = control ? 'sab' : jspi && wantedMode !== 'sab' ? 'jspi' : 'none';
  main = { flush, runScript: py.pyimport('playground.parent').install(cores, host) };
  starting.mainReady = true;
  return performance.now() - started;
}

/** Start-up progress for the page: the parent, and pool workers ready of total. */
function status() {
  if (!starting) return;
  const ready = pool.members.slice(0, starting.total).filter((m) => m.readyAt !== null).length;
  postMessage({ type: 'status', phase: 'starting', main: starting.mainReady, total: starting.total, ready });
}

async function start({ id, workers, control: controlBuffer, interrupt, mode: wantedMode = 'auto', snapshot = true }) {
  const started = wallClock();
  if (!pool) {
    // The page offers shared words when it can make them; use them only if this worker can block on them too (see lib/shared-memory.js), else JSPI
    // decides below.
    const shared = canShareMemory();
    if (controlBuffer && wantedMode !== 'jspi' && shared) control = new Int32Array(controlBuffer);
    if (interrupt && shared) mainInterrupt = new Int32Array(interrupt);
    pool = new Pool({
      cpuCount: cores,
      control: control?.buffer ?? null,
      shared,
      onMessage: onPoolMessage,
      onPort: (member, port) => postMessage({ type: 'port', worker: member.index, gen: member.gen, port }, [port]),
      onReady: status,
      onLost: (index, reason) => run && deliver({ type: 'lost', worker: index, reason }),
    });
  }
  starting = { total: workers, mainReady: main !== null };
  chosenWorkers = workers;
  let main_ms = 0;
  if (!main && snapshot) {
    // The parent first; a snapshot of its fresh memory then starts each worker in a fraction of the time (all of them at once would share the cores).
    status();
    main_ms = await startMain(wantedMode, true);
  }
  const resized = pool.resize(workers);
  if (!main) main_ms = await startMain(wantedMode, false); // meanwhile the workers start in full
  status();
  const members = await resized.finally(() => (starting = null));
  postMessage({ type: 'started', id, mode: host.mode, main_ms, workers: members, startup_ms: wallClock() - started, snapshot: pool.snapshot !== null });
}

// -- run ----------------------------------------------------------------------

async function runCode({ id, code }) {
  if (!main) throw new Error('start() must finish before run()');
  await pool.idle(); // answers still owed by a cancelled run
  if (mainInterrupt) Atomics.store(mainInterrupt, 0, 0);
  if (control) Atomics.store(control, CANCEL, 0);
  inbox.length = 0;
  run = { id: ++runIds, code, timeline: [], lines: {}, cancelled: false, started: wallClock(), startup_ms: 0 };
  let text;
  try {
    // Through callPromising whenever JSPI exists, even in SAB mode: starting a worker mid-run needs this worker's event loop (see
    // waiting.wait_for_workers).
    text = jspi ? await main.runScript.callPromising(code, run.id) : main.runScript(code, run.id);
  } catch (error) {
    // Python itself broke down (not the learner's exception): the page replaces this worker before the next run.
    const message = errorText(error);
    text = JSON.stringify({ ok: false, fatal: true, error: { type: 'InternalError', message, traceback: message } });
  }
  const finished = wallClock();
  main.flush();
  checkCancelFlag(); // a Cancel that came while Python never waited
  const { ok, error, fatal = false } = JSON.parse(text);
  const { timeline, lines, cancelled, started, startup_ms } = run;
  run = null;
  if (mainInterrupt) Atomics.store(mainInterrupt, 0, 0);
  timeline.sort((a, b) => a.start_ms - b.start_ms);
  postMessage({ type: 'done', id, ok, error, fatal, cancelled, timeline, lines, mode: host.mode, startup_ms, run_ms: finished - started - startup_ms });
}
