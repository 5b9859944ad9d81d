// The driver worker: the only place experiments run. It loads the threaded wasm build when the page is cross-origin isolated (rayon over Web Workers
// sharing one memory) and the plain build otherwise, owns the process pool, and answers the bridge's calls. Every answer is `{ ok: true, result }` or
// `{ ok: false, errors }` for refused settings; other failures reject, and Comlink carries their name and message to the bridge. The messages are
// described in docs/protocol.md.
import * as Comlink from '../vendor/comlink.mjs';
import { ProcessPool } from './pool.js';
import { experiments, THREADED } from './experiments.js';
import { sharedMemoryProblem } from '../lib/shared-memory.js';
import { EnginePanic } from '../lib/errors.js';
const NEEDS_ISOLATION = 'needs SharedArrayBuffer, which only a cross-origin isolated page has; open the full playground';
// wasm-bindgen-rayon waits for every thread to answer, and a thread whose start fails in the worker (not in this one) never does: past this, the
// threaded build counts as failed.
const THREAD_POOL_DEADLINE_MS = 30_000;

const context = {
  wasm: null,
  maxWorkers: 1,
  pool: null,
  // Why the thread engines are off on an isolated page, in the browser's own words.
  threadsUnavailable: null,
  // Sequential checksums by workload and inputs: the reference every engine must match.
  references: new Map(),
  // Cores the browser reports: the reports read speedups against them.
  cores: navigator.hardwareConcurrency || 1,
  crashed: false,
};

async function init(options) {
  context.maxWorkers = options.maxWorkers;
  const isolated = self.crossOriginIsolated === true;
  // Start-up timings for `cargo xtask bench`: the glue module, the wasm module's fetch, compile and instantiate, and the thread pool's start
  // (threaded build only).
  const started = performance.now();
  let loaded = null;
  const problem = isolated && sharedMemoryProblem();
  if (problem) context.threadsUnavailable = `shared memory cannot be passed between workers (${problem}).`;
  else if (isolated) {
    loaded = await load('threaded', context.maxWorkers).catch((error) => {
      context.threadsUnavailable = `the threaded build did not start (${error?.name ?? 'Error'}: ${error?.message ?? error}).`;
      return null;
    });
  }
  loaded ??= await load('plain');
  const { wasm, build, module, imported, instantiated, pooled } = loaded;
  context.wasm = wasm;
  context.pool = new ProcessPool({ build, module });
  const [threads, reason, catalog] = [wasm.hasThreads(), threadsReason(), wasm.catalog()];
  return {
    timings: {
      // On the shared wall clock, so the page can place it on its own timeline.
      started_at: performance.timeOrigin + started,
      glue_ms: imported - started,
      instantiate_ms: instantiated - imported,
      thread_pool_ms: threads ? pooled - instantiated : null,
    },
    isolated,
    build,
    threadsUnavailable: context.threadsUnavailable,
    cores: context.cores,
    maxWorkers: context.maxWorkers,
    // Every engine and workload from the core's catalog, engines with whether they run here.
    engines: catalog.engines.map(({ id, label, needs_shared_memory }) => ({
      id,
      label,
      available: threads || !needs_shared_memory,
      reason: threads || !needs_shared_memory ? '' : reason,
    })),
    workloads: catalog.workloads.map(({ id, label }) => ({ id, label })),
  };
}

/** Why an engine or experiment that needs threads cannot run here. */
function threadsReason() {
  return context.threadsUnavailable ? `needs shared-memory threads, which do not work in this browser: ${context.threadsUnavailable}` : NEEDS_ISOLATION;
}

/**
 * The module at `url`, compiled as it downloads; compiled from its bytes instead where the
 * host does not serve `.wasm` as `application/wasm`, which streaming refuses (as the glue's
 * own loader did before the driver compiled for itself).
 */
async function compile(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`fetching ${url.pathname} answered ${response.status} ${response.statusText}`);
  return WebAssembly.compileStreaming(response.clone()).catch(async () => WebAssembly.compile(await response.arrayBuffer()));
}

/**
 * Loads one build, compiled here once so the process pool's workers can instantiate the same module; with `threads`, also starts its thread pool of
 * that size.
 */
async function load(build, threads = 0) {
  const url = new URL(`../pkg/${build}/parallel_playground_bg.wasm`, import.meta.url);
  const [wasm, module] = await Promise.all([import(`../pkg/${build}/parallel_playground.js`), compile(url)]);
  const imported = performance.now();
  await wasm.default({ module_or_path: module });
  const instantiated = performance.now();
  if (threads > 0) {
    const late = new Error(`its ${threads} threads did not all start within ${THREAD_POOL_DEADLINE_MS / 1000} s`);
    let timer;
    const deadline = new Promise((_, reject) => (timer = setTimeout(() => reject(late), THREAD_POOL_DEADLINE_MS)));
    await Promise.race([wasm.initThreadPool(threads), deadline]).finally(() => clearTimeout(timer));
  }
  return { wasm, build, module, imported, instantiated, pooled: performance.now() };
}

/** Runs experiment `name` with raw `params`; progress goes to the optional callback. */
async function call(name, params, onProgress) {
  if (context.crashed) throw new Error('the engine crashed earlier and is restarting; try again');
  if (!Object.hasOwn(experiments, name)) return { ok: false, errors: [`unknown experiment '${name}'`] };
  const limits = { max_workers: context.maxWorkers, threads: context.wasm.hasThreads() };
  const checked = context.wasm.checkSettings(name, params ?? {}, limits);
  if (!checked.ok) return checked;
  if (THREADED.includes(name) && !limits.threads) throw new Error(`this experiment ${threadsReason()}`);
  const progress = (phase, done, total, extra = {}) => onProgress?.({ phase, done, total, ...extra });
  const result = await experiments[name](checked.values, { ...context, progress, guard });
  return { ok: true, result: { ...result, warnings: [...checked.warnings, ...(result.warnings ?? [])] } };
}

// A panic leaves the wasm instance unusable: say so with the panic's own message, so the bridge can replace this worker.
function guard(callWasm) {
  try {
    return callWasm();
  } catch (error) {
    const panic = self.lastWasmPanic;
    if (panic === undefined) throw error;
    context.crashed = true;
    throw new EnginePanic(`the engine panicked: ${panic}`);
  }
}

function panicForTesting() {
  guard(() => context.wasm.panicForTesting());
}

Comlink.expose({ init, call, panicForTesting });
