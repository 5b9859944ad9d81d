// The one bridge between the page and the engines. The page's thread never computes: every run goes to the driver worker. Cancelling terminates that
// worker (which takes its threads and pool workers with it) and starts a fresh one. The messages are described in docs/protocol.md.
import * as Comlink from './vendor/comlink.mjs';
import { BusyError, CancelledError, ConfigError, fromWorker } from './lib/errors.js';
import { experiments } from './workers/experiments.js';

/**
 * The experiments with a method of their own on the API, each the same as
 * `call(name, params, options)`: every one the driver runs but `map` (which is `run`).
 * The names are read from the driver's own table (its code runs only in the driver),
 * so the two cannot drift apart; docs/protocol.md describes each.
 */
export const EXPERIMENTS = Object.keys(experiments).filter((name) => name !== 'map');

/** The Workers slider's maximum: past the core count, so oversubscription can be seen. */
export const maxWorkers = Math.min(32, Math.max(8, 2 * (navigator.hardwareConcurrency || 1)));

let worker = null;
let driver = null;
let starting = null;
let current = null;

function start() {
  worker?.terminate();
  worker = new Worker(new URL('./workers/driver.js', import.meta.url), { type: 'module' });
  driver = Comlink.wrap(worker);
  const failed = new Promise((_, reject) => {
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      reject(new Error(`the engine worker could not start: ${event.message || 'its script failed to load'}`));
    });
  });
  starting = Promise.race([driver.init({ maxWorkers }), failed]);
  return starting;
}

/** Resolves once the engines can run; rejects with a readable reason if they cannot. */
export const ready = start().then(() => undefined);

/** What this page can run: isolation, cores, build, and each engine's availability. */
export async function capabilities() {
  return structuredClone(await starting);
}

/**
 * Runs experiment `name` (see `workers/experiments.js`) with `params` in the driver
 * worker. Rejects with a `ConfigError` (with `errors`) for refused settings, a
 * `CancelledError` after `cancel()`, a `BusyError` while another call runs, an
 * `EnginePanic` when the wasm code panicked, or a readable `Error`.
 */
export async function call(name, params, { onProgress } = {}) {
  await starting;
  if (current) throw new BusyError();
  return new Promise((resolve, reject) => {
    const mine = { reject };
    current = mine;
    const settle = (action) => (value) => {
      if (current !== mine) return; // cancelled: already rejected
      current = null;
      action(value);
    };
    driver.call(name, params, onProgress ? Comlink.proxy(onProgress) : undefined).then(
      settle((answer) => (answer.ok ? resolve(answer.result) : reject(new ConfigError(answer.errors)))),
      settle((error) => {
        const rebuilt = fromWorker(error);
        if (rebuilt.name === 'EnginePanic') start().catch(() => {});
        reject(rebuilt);
      }),
    );
  });
}

/** Runs one `map` experiment on one engine and resolves to its result. */
export function run(config, options) {
  return call('map', config, options);
}

/** One method per experiment in `EXPERIMENTS`: `compare(params, options)`, … */
const named = Object.fromEntries(EXPERIMENTS.map((name) => [name, (params, options) => call(name, params, options)]));

/** Stops the current run, if any, within about a second; resolves when usable again. */
export async function cancel() {
  const stopped = current;
  current = null;
  if (!stopped) return;
  stopped.reject(new CancelledError());
  await start();
}

/** Makes the engine panic on purpose, to show and test recovery. */
async function panicForTesting() {
  await starting;
  try {
    await driver.panicForTesting();
  } catch (error) {
    await start();
    throw fromWorker(error);
  }
}

/** The scriptable surface, published as `window.parallelPlayground`. */
export const api = Object.freeze({ ready, capabilities, run, call, ...named, cancel, maxWorkers, panicForTesting });
