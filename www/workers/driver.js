// The driver worker: the only place experiments run. It loads the threaded wasm build
// when the page is cross-origin isolated (rayon over Web Workers sharing one memory) and
// the plain build otherwise, owns the process pool, and answers the bridge's calls.
// Every answer is `{ ok: true, result }` or `{ ok: false, errors }` for refused settings.
import * as Comlink from '../vendor/comlink.mjs';
import { ProcessPool } from './pool.js';
import { experiments } from './experiments.js';

const ENGINES = [
  { id: 'sequential', label: 'Sequential', threaded: false },
  { id: 'gil', label: 'Threads with a GIL', threaded: true },
  { id: 'threads', label: 'Threads (shared memory)', threaded: true },
  { id: 'processes', label: 'Process pool', threaded: false },
];
const NEEDS_ISOLATION = 'needs SharedArrayBuffer, which only a cross-origin isolated page has; open the full playground';

const context = {
  wasm: null,
  maxWorkers: 1,
  pool: new ProcessPool(),
  // Sequential checksums by workload and inputs: the reference every engine must match.
  references: new Map(),
  crashed: false,
};

async function init(options) {
  context.maxWorkers = options.maxWorkers;
  const isolated = self.crossOriginIsolated === true;
  const build = isolated ? 'threaded' : 'plain';
  // Start-up timings for `cargo xtask bench`: the glue module, the wasm module's fetch,
  // compile and instantiate, and the thread pool's start (threaded build only).
  const started = performance.now();
  const wasm = await import(`../pkg/${build}/parallel_playground.js`);
  const imported = performance.now();
  await wasm.default();
  const instantiated = performance.now();
  if (wasm.hasThreads()) await wasm.initThreadPool(context.maxWorkers);
  const pooled = performance.now();
  context.wasm = wasm;
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
    cores: navigator.hardwareConcurrency || 1,
    maxWorkers: context.maxWorkers,
    engines: ENGINES.map(({ id, label, threaded }) => ({
      id,
      label,
      available: !threaded || wasm.hasThreads(),
      reason: threaded && !wasm.hasThreads() ? NEEDS_ISOLATION : '',
    })),
  };
}

/** Runs experiment `name` with raw `params`; progress goes to the optional callback. */
async function call(name, params, onProgress) {
  if (context.crashed) throw new Error('the engine crashed earlier and is restarting; try again');
  const experiment = experiments[name];
  if (!experiment) return { ok: false, errors: [`unknown experiment '${name}'`] };
  const checked = experiment.settings ? check(experiment.settings, params) : { ok: true, values: params ?? {}, warnings: [] };
  if (!checked.ok) return checked;
  if (experiment.threaded && !context.wasm.hasThreads()) throw new Error(`this experiment ${NEEDS_ISOLATION}`);
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
