// The driver worker: the only place experiments run. It loads the threaded wasm build
// when the page is cross-origin isolated (rayon over Web Workers sharing one memory) and
// the plain build otherwise, owns the process pool, and answers the bridge's calls.
// Every answer is `{ ok: true, result }` or `{ ok: false, errors }` for refused settings.
import * as Comlink from '../vendor/comlink.mjs';
import { ProcessPool } from './pool.js';
import { experiments } from './experiments.js';
import { sharedMemoryProblem } from '../lib/shared-memory.js';

const ENGINES = [
  { id: 'sequential', label: 'Sequential', threaded: false },
  { id: 'gil', label: 'Threads with a GIL', threaded: true },
  { id: 'threads', label: 'Threads (shared memory)', threaded: true },
  { id: 'processes', label: 'Process pool', threaded: false },
];
const NEEDS_ISOLATION = 'needs SharedArrayBuffer, which only a cross-origin isolated page has; open the full playground';
// wasm-bindgen-rayon waits for every thread to answer, and a thread whose start fails in
// the worker (not in this one) never does: past this, the threaded build counts as failed.
const THREAD_POOL_DEADLINE_MS = 30_000;

const context = {
  wasm: null,
  maxWorkers: 1,
  pool: new ProcessPool(),
  // Why the thread engines are off on an isolated page, in the browser's own words.
  threadsUnavailable: null,
  // Sequential checksums by workload and inputs: the reference every engine must match.
  references: new Map(),
  crashed: false,
};

async function init(options) {
  context.maxWorkers = options.maxWorkers;
  const isolated = self.crossOriginIsolated === true;
  // Start-up timings for `cargo xtask bench`: the glue module, the wasm module's fetch,
  // compile and instantiate, and the thread pool's start (threaded build only).
  const started = performance.now();
  let loaded = null;
  if (isolated) {
    const problem = sharedMemoryProblem();
    if (problem) context.threadsUnavailable = `shared memory cannot be passed between workers (${problem}).`;
    else {
      try {
        loaded = await load('threaded', context.maxWorkers);
      } catch (error) {
        context.threadsUnavailable = `the threaded build did not start (${error?.name ?? 'Error'}: ${error?.message ?? error}).`;
      }
    }
  }
  loaded ??= await load('plain');
  const { wasm, build, imported, instantiated, pooled } = loaded;
  context.wasm = wasm;
  const reason = threadsReason();
  return {
    timings: {
      // On the shared wall clock, so the page can place it on its own timeline.
      started_at: performance.timeOrigin + started,
      glue_ms: imported - started,
      instantiate_ms: instantiated - imported,
      thread_pool_ms: wasm.hasThreads() ? pooled - instantiated : null,
    },
    isolated,
    build,
    threadsUnavailable: context.threadsUnavailable,
    cores: navigator.hardwareConcurrency || 1,
    maxWorkers: context.maxWorkers,
    engines: ENGINES.map(({ id, label, threaded }) => ({
      id,
      label,
      available: !threaded || wasm.hasThreads(),
      reason: threaded && !wasm.hasThreads() ? reason : '',
    })),
  };
}

/** Why an engine or experiment that needs threads cannot run here. */
function threadsReason() {
  return context.threadsUnavailable ? `needs shared-memory threads, which do not work in this browser: ${context.threadsUnavailable}` : NEEDS_ISOLATION;
}

/** Loads one build; with `threads`, also starts its thread pool of that size. */
async function load(build, threads = 0) {
  const wasm = await import(`../pkg/${build}/parallel_playground.js`);
  const imported = performance.now();
  await wasm.default();
  const instantiated = performance.now();
  if (threads > 0) {
    let timer;
    const late = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`its ${threads} threads did not all start within ${THREAD_POOL_DEADLINE_MS / 1000} s`)), THREAD_POOL_DEADLINE_MS);
    });
    try {
      await Promise.race([wasm.initThreadPool(threads), late]);
    } finally {
      clearTimeout(timer);
    }
  }
  return { wasm, build, imported, instantiated, pooled: performance.now() };
}

/** Runs experiment `name` with raw `params`; progress goes to the optional callback. */
async function call(name, params, onProgress) {
  if (context.crashed) throw new Error('the engine crashed earlier and is restarting; try again');
  const experiment = experiments[name];
  if (!experiment) return { ok: false, errors: [`unknown experiment '${name}'`] };
  const checked = experiment.settings ? check(experiment.settings, params) : { ok: true, values: params ?? {}, warnings: [] };
  if (!checked.ok) return checked;
  if (experiment.threaded && !context.wasm.hasThreads()) throw new Error(`this experiment ${threadsReason()}`);
  const progress = (phase, done, total, extra = {}) => onProgress?.({ phase, done, total, ...extra });
  const result = await experiment.run(checked.values, { ...context, progress, guard });
  return { ok: true, result: { ...result, warnings: [...checked.warnings, ...(result.warnings ?? [])] } };
}

function check(settings, params) {
  const raw = JSON.stringify(params ?? null);
  if (settings === 'map') {
    const answer = JSON.parse(context.wasm.checkConfig(raw, context.maxWorkers));
    return answer.ok ? { ok: true, values: answer.config, warnings: answer.warnings } : answer;
  }
  return JSON.parse(context.wasm.checkSettings(settings, raw, context.maxWorkers));
}

// A panic leaves the wasm instance unusable: say so with the panic's own message, so the
// bridge can replace this worker.
function guard(callWasm) {
  try {
    return callWasm();
  } catch (error) {
    const panic = self.lastWasmPanic;
    if (panic === undefined) throw error;
    context.crashed = true;
    throw Object.assign(new Error(`the engine panicked: ${panic}`), { name: 'EnginePanic' });
  }
}

function panicForTesting() {
  guard(() => context.wasm.panicForTesting());
}

Comlink.expose({ init, call, panicForTesting });
