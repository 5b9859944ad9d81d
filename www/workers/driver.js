// The driver worker: the only place experiments run. It loads the threaded wasm build
// when the page is cross-origin isolated (rayon over Web Workers sharing one memory) and
// the plain build otherwise, owns the process pool, and runs the measurement loop:
// warm-up, timed repetitions, and a checksum check of every run against sequential.
import * as Comlink from '../vendor/comlink.mjs';

const wallClock = () => performance.timeOrigin + performance.now();

let wasm = null;
let maxWorkers = 1;
let crashed = false;
const pool = { workers: [], nextId: 0 };
// Sequential checksums by workload and inputs: the reference every engine must match.
const references = new Map();

const ENGINES = [
  { id: 'sequential', label: 'Sequential', threaded: false },
  { id: 'gil', label: 'Threads with a GIL', threaded: true },
  { id: 'threads', label: 'Threads (shared memory)', threaded: true },
  { id: 'processes', label: 'Process pool', threaded: false },
];

async function init(options) {
  maxWorkers = options.maxWorkers;
  const isolated = self.crossOriginIsolated === true;
  const build = isolated ? 'threaded' : 'plain';
  wasm = await import(`../pkg/${build}/parallel_playground.js`);
  await wasm.default();
  if (wasm.hasThreads()) await wasm.initThreadPool(maxWorkers);
  const unavailable = 'needs SharedArrayBuffer, which only a cross-origin isolated page has; open the full playground';
  return {
    isolated,
    build,
    cores: navigator.hardwareConcurrency || 1,
    maxWorkers,
    engines: ENGINES.map(({ id, label, threaded }) => ({
      id,
      label,
      available: !threaded || wasm.hasThreads(),
      reason: threaded && !wasm.hasThreads() ? unavailable : '',
    })),
  };
}

async function run(rawConfig, onProgress) {
  if (crashed) throw new Error('the engine crashed earlier and is restarting; try again');
  const checked = JSON.parse(wasm.checkConfig(JSON.stringify(rawConfig ?? null), maxWorkers));
  if (!checked.ok) return { ok: false, errors: checked.errors };
  const config = checked.config;
  const progress = (phase, done, total) => onProgress?.({ engine: config.engine, phase, done, total });
  if (config.engine !== 'processes' && !wasm.hasThreads() && config.engine !== 'sequential') {
    throw new Error(`the ${config.engine} engine needs a cross-origin isolated page (SharedArrayBuffer)`);
  }

  let startup_ms = null;
  if (config.engine === 'processes') {
    progress('startup', 0, 1);
    startup_ms = await ensurePool(config.workers);
  }
  const key = `${config.workload}:${config.n}:${config.tasks}`;
  let expected = references.get(key);
  if (expected === undefined && config.engine !== 'sequential') {
    progress('reference', 0, 1);
    expected = guard(() => JSON.parse(wasm.runEngine('sequential', config.workload, BigInt(config.n), config.tasks, 1, config.tasks)).checksum);
    references.set(key, expected);
  }

  const total = config.warmup + config.repetitions;
  const runs = [];
  let last = null;
  for (let i = 0; i < total; i++) {
    const warmup = i < config.warmup;
    progress(warmup ? 'warmup' : 'timed', warmup ? i : i - config.warmup, warmup ? config.warmup : config.repetitions);
    const started = performance.now();
    last = config.engine === 'processes' ? await poolMap(config) : guard(() => runInInstance(config));
    const ms = performance.now() - started;
    if (expected === undefined) {
      // The sequential engine is the reference: its first run sets it, later runs must agree.
      expected = last.checksum;
      references.set(key, expected);
    }
    if (last.checksum !== expected) {
      throw new Error(`the ${config.engine} engine's results differ from the sequential results (checksum ${last.checksum}, expected ${expected}); no timing is shown for a wrong answer`);
    }
    runs.push({ ms, warmup });
  }
  const timed = Float64Array.from(runs.filter((r) => !r.warmup).map((r) => r.ms));
  return {
    ok: true,
    result: {
      config,
      warnings: checked.warnings,
      runs,
      summary: JSON.parse(wasm.summarize(timed)),
      checksum: last.checksum,
      expected,
      verified: true,
      timeline: last.chunks,
      startup_ms,
    },
  };
}

function runInInstance(config) {
  return JSON.parse(wasm.runEngine(config.engine, config.workload, BigInt(config.n), config.tasks, config.workers, config.chunksize));
}

// A panic leaves the wasm instance unusable: say so with the panic's own message and
// let the bridge replace this worker.
function guard(call) {
  try {
    return call();
  } catch (error) {
    const panic = self.lastWasmPanic;
    if (panic === undefined) throw error;
    crashed = true;
    const crash = new Error(`the engine panicked: ${panic}`);
    crash.name = 'EnginePanic';
    throw crash;
  }
}

function panicForTesting() {
  guard(() => wasm.panicForTesting());
}

// Starts pool workers until there are `size`; answers the start-up time paid, or null.
async function ensurePool(size) {
  if (pool.workers.length >= size) return null;
  const started = performance.now();
  const fresh = [];
  while (pool.workers.length + fresh.length < size) fresh.push(startPoolWorker(pool.workers.length + fresh.length));
  pool.workers.push(...(await Promise.all(fresh)));
  return performance.now() - started;
}

function startPoolWorker(index) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./pool-worker.js', import.meta.url), { type: 'module' });
    const member = { index, worker, pending: new Map() };
    worker.onmessage = ({ data }) => {
      if (data.type === 'ready') return resolve(member);
      const call = member.pending.get(data.id);
      member.pending.delete(data.id);
      if (data.type === 'result') call?.resolve(data);
      else call?.reject(new Error(`process-pool worker ${index}: ${data.message}`));
    };
    worker.onerror = (event) => {
      event.preventDefault();
      const error = new Error(`process-pool worker ${index} failed: ${event.message || 'it could not start'}`);
      for (const call of member.pending.values()) call.reject(error);
      pool.workers = pool.workers.filter((m) => m !== member);
      worker.terminate();
      reject(error);
    };
  });
}

function sendChunk(member, workload, inputs) {
  const id = pool.nextId++;
  return new Promise((resolve, reject) => {
    member.pending.set(id, { resolve, reject });
    // Posted without a transfer list: the inputs are copied, as pickled arguments are.
    member.worker.postMessage({ type: 'chunk', id, workload, inputs });
  });
}

async function poolMap(config) {
  const plan = wasm.planChunks(config.tasks, config.chunksize);
  const inputs = wasm.taskInputs(BigInt(config.n), config.tasks);
  const results = new BigUint64Array(config.tasks);
  const chunks = [];
  const origin = wallClock();
  let next = 0;
  const lane = async (member, worker) => {
    for (let index = next++; 2 * index < plan.length; index = next++) {
      const first = plan[2 * index];
      const len = plan[2 * index + 1];
      const sent = wallClock();
      const reply = await sendChunk(member, config.workload, inputs.slice(first, first + len));
      const received = wallClock();
      results.set(reply.results, first);
      chunks.push({
        chunk: index, worker, first, len, wait_ms: 0,
        sent_ms: sent - origin, start_ms: reply.start_ms - origin,
        end_ms: reply.end_ms - origin, received_ms: received - origin,
      });
    }
  };
  await Promise.all(pool.workers.slice(0, config.workers).map(lane));
  chunks.sort((a, b) => a.chunk - b.chunk);
  return { checksum: wasm.checksum(results), chunks };
}

Comlink.expose({ init, run, panicForTesting });
