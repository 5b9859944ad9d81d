// The browser side of `cargo xtask bench`: drives one browser through
// `window.parallelPlayground` (and nothing else of the page) and writes every raw
// sample to BENCH_OUT as JSON. It computes no statistics: xtask does, so the numbers in
// the table and in bench/results.json come from one place. xtask runs it once per
// browser, each in a process of its own, so a browser that fails costs only its table.
//
// Environment (set by `cargo xtask bench`): PLAYGROUND_URL (cross-origin isolated
// server), PLAYGROUND_URL_PLAIN (the same files without COOP/COEP), BENCH_BROWSER
// (`chromium`, the default, or a name of tests/browser/drivers: `firefox`, `webkit-sab`),
// CHROMIUM, or FIREFOX/GECKODRIVER/WEBKIT_WEBDRIVER/XVFB_RUN for the drivers, BENCH_OUT,
// BENCH_REPS (timed repetitions of everything; at least 7 in Chromium, 5 elsewhere).
//
// Plan in Chromium, in order:
//   1. start-up: fresh browser contexts (empty HTTP cache), isolated and plain pages
//      alternating; time to ready and to the first result, module and pool start-up,
//      and every URL each page loads (page weight);
//   2. one long-lived isolated page: a warm-up round, then BENCH_REPS rounds that run
//      every case once (scaling per engine and worker count, wasm sequential for the
//      native comparison, per-chunk overhead), so A B A B … rather than A A A B B B;
//   3. the process pool including its start-up: fresh pool + run, paired with sequential;
//   4. a run of about five seconds with a long-task observer on the page's thread;
//   5. the course's four-task Python cell, PYTHON_RUNS runs in one fresh Python session.
// In Firefox and WebKit only the core of it, on one isolated page: 2 without the
// per-chunk overhead cases, then 3 and 5. Start-up needs fresh contexts and request events,
// and long tasks the longtask observer, which those drivers do not offer.
import { readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { launch } from '../browser/browser.mjs';

const ISOLATED_URL = process.env.PLAYGROUND_URL ?? 'http://127.0.0.1:8000/';
const PLAIN_URL = process.env.PLAYGROUND_URL_PLAIN ?? 'http://127.0.0.1:8001/';
const OUT = process.env.BENCH_OUT ?? 'bench-raw.json';
const BROWSER = process.env.BENCH_BROWSER ?? 'chromium';
/** Fewer rounds outside Chromium keep the whole bench within minutes on 2 cores. */
const MIN_REPS = BROWSER === 'chromium' ? 7 : 5;
const REPS = Math.max(MIN_REPS, Number(process.env.BENCH_REPS ?? MIN_REPS) || MIN_REPS);
/**
 * The machine's cores as xtask counts them. A browser may report another number (WebKit
 * reports a fixed 4 on 2 cores): worker counts then go to twice the smaller one.
 */
const MACHINE_CORES = Number(process.env.BENCH_MACHINE_CORES) || Infinity;
/** A browser that has not finished by then is given up, so that the others still run. */
const DEADLINE_MS = Number(process.env.BENCH_DEADLINE_MS ?? 10 * 60_000);
/** Runs of the four-task Python cell: the issue's target is a median of five, the first included. */
const PYTHON_RUNS = 5;

/** Seconds of sequential work the scaling runs aim at, and of the long-task run. */
const SCALING_TARGET_MS = 1000;
const LONGTASK_RUN_MS = 5000;
/**
 * Tasks of the scaling runs: 12 is divisible by 1, 2, 3 and 4 workers (no idle tail from
 * rounding on 2 cores); a machine with more cores gets the least multiple of 12 that its
 * largest worker count divides too (48 for 16 workers, 96 for 32), so the worker counts
 * that matter most (the core count and twice it) never wait on a last, partial round.
 */
const gcd = (a, b) => (b === 0 ? a : gcd(b, a % b));
const scalingTasks = (maxWorkers) => (12 * maxWorkers) / gcd(12, maxWorkers);
const RATIO_CASES = [
  { workload: 'sum_of_squares', n: 50_000_000, tasks: 4 },
  { workload: 'is_prime', n: 1_000_000_000_000, tasks: 200 },
];
const OVERHEAD = {
  // Same inputs, fewer or more chunks: only the number of dispatches changes.
  threads: { tasks: 16_000, chunksizes: [1, 2, 4, 8] },
  processes: { tasks: 2_000, chunksizes: [1, 2, 4, 8] },
};

const log = (...parts) => console.error(`bench (${BROWSER}):`, ...parts);
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(0)} s`;

// Runs in the page before its own scripts: a long-task observer from navigation on, and
// a hook that starts `first` as soon as the page publishes its scriptable surface.
function bootstrap(first) {
  const bench = { longTasks: [], done: false, error: null };
  window.__bench = bench;
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) bench.longTasks.push({ start: entry.startTime, duration: entry.duration });
    }).observe({ type: 'longtask', buffered: true });
    bench.observing = true;
  } catch (error) {
    bench.observing = false;
  }
  if (!first) return;
  let launched = false;
  const go = async (api) => {
    if (launched || !api) return;
    launched = true;
    bench.api_ms = performance.now();
    try {
      await api.ready;
      bench.ready_ms = performance.now();
      const result = await api.run(first);
      bench.first_result_ms = performance.now();
      bench.first = { engine: result.config.engine, ms: result.runs[0].ms, startup_ms: result.startup_ms };
    } catch (error) {
      bench.error = `${error?.name}: ${error?.message}`;
    }
    bench.done = true;
  };
  // The page assigns `window.parallelPlayground`: catch the assignment, and poll in case
  // it is ever defined another way.
  let value;
  try {
    Object.defineProperty(window, 'parallelPlayground', {
      configurable: true,
      enumerable: true,
      get: () => value,
      set: (api) => {
        value = api;
        go(api);
      },
    });
  } catch {
    /* polling below */
  }
  const poll = setInterval(() => {
    if (launched) return clearInterval(poll);
    go(window.parallelPlayground);
  }, 5);
}

/** Page-clock windows of every call, to tell which run a long task happened in. */
const windows = [];

async function pageCall(page, name, params, label = name) {
  const answer = await page.evaluate(
    async ([name, params]) => {
      const start = performance.now();
      try {
        const result = await window.parallelPlayground.call(name, params);
        const end = performance.now();
        // Only what the benchmark uses: handing a 16 000-chunk timeline to Playwright
        // would cost the page's thread seconds of serialisation (a long task of ours).
        const slim = name === 'map' ? { runs: result.runs, summary: result.summary, checksum: result.checksum, startup_ms: result.startup_ms, chunks: result.timeline.length } : result;
        return { result: slim, start, end };
      } catch (error) {
        return { error: `${error.name}: ${error.message}` };
      }
    },
    [name, params],
  );
  if (answer.error) throw new Error(`${name}(${JSON.stringify(params)}): ${answer.error}`);
  windows.push({ label, start: answer.start, end: answer.end });
  return answer.result;
}

const runOnce = (page, config, label) => pageCall(page, 'map', { ...config, warmup: 0, repetitions: 1 }, label);

/** Everything one freshly opened page costs: start-up timings and the files it loads. */
async function coldStart(browser, kind) {
  const url = kind === 'isolated' ? ISOLATED_URL : PLAIN_URL;
  // The first thing a learner would run: two workers on the page's parallel engine.
  const engine = kind === 'isolated' ? 'threads' : 'processes';
  const first = { engine, workers: 2, workload: 'sum_of_squares', tasks: 4, n: 10_000_000, warmup: 0, repetitions: 1 };
  const context = await browser.newContext();
  const urls = new Set();
  context.on('request', (request) => {
    if (/^https?:/.test(request.url())) urls.add(request.url());
  });
  const problems = [];
  const page = await context.newPage();
  page.on('pageerror', (error) => problems.push(String(error)));
  await page.addInitScript(bootstrap, first);
  const navigated = Date.now();
  await page.goto(url);
  await page.waitForFunction(() => window.__bench?.done, null, { timeout: 60_000 });
  const wall_first_result_ms = Date.now() - navigated;
  const bench = await page.evaluate(() => window.__bench);
  if (bench.error) throw new Error(`${kind} page: first run failed: ${bench.error}`);
  const caps = await page.evaluate(() => window.parallelPlayground.capabilities());
  const pageOrigin = await page.evaluate(() => performance.timeOrigin);
  // A fresh process pool on this page: on the isolated page this is the first time the
  // plain build is fetched, so it is cold, like a learner's first process-pool run.
  const pool = await pageCall(page, 'restartPool', { workers: 2 });
  await context.close();
  if (problems.length) log(`${kind} page reported errors: ${problems.join(' | ')}`);
  return {
    kind,
    build: caps.build,
    isolated: caps.isolated,
    cores: caps.cores,
    timings: caps.timings ?? null,
    api_ms: bench.api_ms,
    driver_start_ms: caps.timings?.started_at ? caps.timings.started_at - pageOrigin : null,
    ready_ms: bench.ready_ms,
    first_result_ms: bench.first_result_ms,
    wall_first_result_ms,
    first: bench.first,
    pool_start_ms: pool.startup_ms,
    pool_worker_load_ms: pool.workers.map((w) => w.load_ms),
    load_long_tasks: bench.longTasks,
    urls: [...urls],
  };
}

/** Raw and gzipped size of every file a page loaded, fetched again from the server. */
async function weigh(urls) {
  const files = [];
  for (const url of [...urls].sort()) {
    const response = await fetch(url);
    const bytes = Buffer.from(await response.arrayBuffer());
    files.push({ path: new URL(url).pathname, status: response.status, bytes: bytes.length, gzip: gzipSync(bytes, { level: 6 }).length });
  }
  return files;
}

/** Busy fraction of all CPUs over `ms` (Linux /proc/stat), or null elsewhere. */
async function busyFraction(ms = 300) {
  const read = () => {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const idle = fields[3] + (fields[4] ?? 0);
    return { idle, total: fields.reduce((a, b) => a + b, 0) };
  };
  try {
    const a = read();
    await new Promise((resolve) => setTimeout(resolve, ms));
    const b = read();
    return b.total > a.total ? 1 - (b.idle - a.idle) / (b.total - a.total) : null;
  } catch {
    return null;
  }
}

/**
 * This machine is shared: before a round, wait (at most `patience` ms) for the other
 * processes to leave the CPUs mostly idle, and say how busy they were.
 */
let quietBudgetMs = BROWSER === 'chromium' ? 90_000 : 30_000;
async function quiet(patience = 15_000) {
  const began = Date.now();
  let busy = await busyFraction();
  while (busy !== null && busy > 0.15 && Date.now() - began < Math.min(patience, quietBudgetMs)) {
    await new Promise((resolve) => setTimeout(resolve, 700));
    busy = await busyFraction();
  }
  const waited = Date.now() - began;
  quietBudgetMs = Math.max(0, quietBudgetMs - waited);
  return { busy: busy === null ? null : Math.round(busy * 100) / 100, waited_ms: waited };
}

function rotate(list, by) {
  const k = by % list.length;
  return [...list.slice(k), ...list.slice(0, k)];
}

/** Calibrates the scaling workload to about a second of sequential work in this browser. */
async function scalingWorkload(page, maxWorkers) {
  const probe = await pageCall(page, 'map', { engine: 'sequential', ...RATIO_CASES[0], warmup: 1, repetitions: 3 });
  const nsPerIteration = (probe.summary.median * 1e6) / (RATIO_CASES[0].n * RATIO_CASES[0].tasks);
  const tasks = scalingTasks(maxWorkers);
  const n = Math.max(1e6, Math.round((SCALING_TARGET_MS * 1e6) / nsPerIteration / tasks / 1e6) * 1e6);
  log(`scaling workload: ${tasks} tasks of n = ${n} (${nsPerIteration.toFixed(3)} ns per iteration)`);
  return { workload: 'sum_of_squares', n, tasks, chunksize: 1 };
}

/** The cases every browser runs: scaling per engine the page offers, and wasm against native. */
function coreCases(scaling, maxWorkers, engines) {
  const cases = [{ id: 'scaling/sequential/1', group: 'scaling', engine: 'sequential', workers: 1, config: { ...scaling, engine: 'sequential', workers: 1 } }];
  for (const engine of ['gil', 'threads', 'processes'].filter((e) => engines.includes(e))) {
    for (let workers = 1; workers <= maxWorkers; workers++) {
      cases.push({ id: `scaling/${engine}/${workers}`, group: 'scaling', engine, workers, config: { ...scaling, engine, workers } });
    }
  }
  for (const c of RATIO_CASES) {
    cases.push({ id: `native/${c.workload}`, group: 'native', engine: 'sequential', workers: 1, config: { ...c, engine: 'sequential', workers: 1 } });
  }
  return cases;
}

/** A warm-up round, then REPS rounds of every case once, each round in a rotated order. */
async function interleavedRounds(page, cases, raw) {
  raw.cases = cases.map(({ id, group, engine, workers, chunks, config }) => ({ id, group, engine, workers, chunks: chunks ?? null, config, samples: [], warmup: [] }));
  const byId = Object.fromEntries(raw.cases.map((c) => [c.id, c]));
  raw.rounds = [];
  for (let round = -1; round < REPS; round++) {
    const before = await quiet();
    raw.rounds.push({ round, ...before });
    if (before.busy > 0.15) log(`other processes keep ${Math.round(before.busy * 100)}% of the CPUs busy: this round will be noisy`);
    const order = rotate(cases, round + 1);
    for (const c of order) {
      const result = await runOnce(page, c.config, c.id);
      (round < 0 ? byId[c.id].warmup : byId[c.id].samples).push(result.runs[0].ms);
      byId[c.id].checksum = result.checksum;
    }
    log(round < 0 ? `warm-up round done (${elapsed()})` : `round ${round + 1}/${REPS} done (${elapsed()})`);
  }
  return byId;
}

/** The process pool including its start-up: a fresh pool + a run, paired with sequential. */
async function coldPool(page, scaling) {
  const cold = { workers: 2, sequential: [], startup: [], run: [], worker_load_ms: [] };
  for (let rep = 0; rep < REPS; rep++) {
    if (rep % 3 === 0) await quiet(5_000);
    cold.sequential.push((await runOnce(page, { ...scaling, engine: 'sequential', workers: 1 }, 'cold/sequential')).runs[0].ms);
    const pool = await pageCall(page, 'restartPool', { workers: 2 }, 'cold/restartPool');
    const result = await runOnce(page, { ...scaling, engine: 'processes', workers: 2 }, 'cold/processes/2');
    cold.startup.push(pool.startup_ms);
    cold.run.push(result.runs[0].ms);
    cold.worker_load_ms.push(...pool.workers.map((w) => w.load_ms));
  }
  log(`process pool with start-up done (${elapsed()})`);
  return cold;
}

/**
 * The course's four-task cell (lessons/python-examples/four-tasks.py, the script the Python lesson's menu loads) through the lesson's own Python
 * session on 2 workers: started fresh, then run PYTHON_RUNS times, as a learner presses Run. Each run keeps the two times the script prints and
 * every task's span in a pool worker (the lesson's timeline), to weigh a worker's task against the parent's loop.
 */
async function pythonCell(page) {
  await quiet(5_000);
  const cell = await page.evaluate(
    async ([runs, workers]) => {
      const { PythonSession } = await import(new URL('python/client/session.js', location.href).href);
      const response = await fetch(new URL('lessons/python-examples/four-tasks.py', location.href));
      if (!response.ok) return { workers, runs: [], error: `the cell's script answered ${response.status}` };
      const code = await response.text();
      const session = new PythonSession({ onOutput() {}, onStatus() {} });
      const out = { workers, startup_ms: null, runs: [], error: null };
      try {
        out.startup_ms = (await session.start(workers)).startup_ms;
        for (let i = 0; i < runs; i++) {
          const r = await session.run(code, { workers });
          if (!r.ok) throw new Error(`${r.error?.type ?? 'Error'}: ${r.error?.message ?? 'the cell failed'}`);
          // The script prints "4 tasks one after another: 5.12s" and "4 tasks in processes: 2.71s".
          const printed = (start) => 1000 * Number(r.output.find((l) => l.text.startsWith(start))?.text.match(/([\d.]+)s$/)?.[1]);
          const [sequential_ms, pool_ms] = [printed('4 tasks one after another'), printed('4 tasks in processes')];
          if (!(sequential_ms > 0 && pool_ms > 0)) throw new Error(`the cell printed no times: ${r.output.map((l) => l.text).join(' | ')}`);
          out.runs.push({ sequential_ms, pool_ms, task_ms: r.timeline.filter((t) => t.kind === 'task').map((t) => t.end_ms - t.start_ms) });
        }
      } catch (error) {
        out.error = String(error?.message ?? error);
      } finally {
        session.close();
      }
      return out;
    },
    [PYTHON_RUNS, 2],
  );
  log(`python cell: ${cell.runs.map((r) => (r.sequential_ms / r.pool_ms).toFixed(2) + 'x').join(', ')}${cell.error ? ` (${cell.error})` : ''} (${elapsed()})`);
  return cell;
}

/**
 * What the page says about itself, recorded in `raw` (cores as navigator.hardwareConcurrency,
 * engines refused and why); answers the engines offered and the largest worker count to scale to.
 */
async function describePage(page, raw) {
  const caps = await page.evaluate(async () => {
    await window.parallelPlayground.ready;
    const caps = await window.parallelPlayground.capabilities();
    return { ...caps, hardware_concurrency: navigator.hardwareConcurrency, user_agent: navigator.userAgent };
  });
  if (!caps.isolated) throw new Error('the benchmark page is not cross-origin isolated');
  const offered = caps.engines.filter((e) => e.available).map((e) => e.id);
  const refused = caps.engines.filter((e) => !e.available).map((e) => ({ engine: e.id, reason: e.reason ?? null }));
  const cores = Math.min(caps.hardware_concurrency, MACHINE_CORES);
  const maxWorkers = Math.min(2 * cores, caps.maxWorkers);
  Object.assign(raw, { cores: caps.hardware_concurrency, scaling_cores: cores, max_workers: maxWorkers, user_agent: caps.user_agent, refused_engines: refused });
  return { offered, refused, maxWorkers };
}

async function main() {
  if (BROWSER !== 'chromium') return other(BROWSER);
  const browser = await launch();
  const version = browser.version();
  log(`Chromium ${version}; ${REPS} repetitions`);
  const raw = { browser: 'chromium', chromium: version, version: `Chromium ${version}`, reps: REPS, started_at: new Date().toISOString() };

  // 1. Start-up and page weight, fresh contexts, isolated and plain alternating.
  raw.startup = [];
  for (let rep = 0; rep < REPS; rep++) {
    await quiet(5_000);
    for (const kind of ['isolated', 'plain']) raw.startup.push(await coldStart(browser, kind));
  }
  raw.page_weight = {};
  for (const kind of ['isolated', 'plain']) {
    const urls = new Set(raw.startup.filter((s) => s.kind === kind).flatMap((s) => s.urls));
    raw.page_weight[kind] = await weigh(urls);
    for (const s of raw.startup) if (s.kind === kind) delete s.urls;
  }
  log(`start-up and page weight done (${elapsed()})`);

  // 2. One long-lived isolated page for everything warm.
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.addInitScript(bootstrap, null);
  await page.goto(ISOLATED_URL);
  await page.waitForFunction(() => window.parallelPlayground !== undefined, null, { timeout: 60_000 });
  const { offered, maxWorkers } = await describePage(page, raw);
  raw.session_started_ms = await page.evaluate(() => performance.now());

  const scaling = await scalingWorkload(page, maxWorkers);
  raw.scaling_workload = scaling;
  const cases = coreCases(scaling, maxWorkers, offered);
  for (const [engine, { tasks, chunksizes }] of Object.entries(OVERHEAD)) {
    for (const workers of [1, 2]) {
      for (const chunksize of chunksizes) {
        cases.push({
          id: `overhead/${engine}/${workers}/${chunksize}`,
          group: 'overhead',
          engine,
          workers,
          chunks: Math.ceil(tasks / chunksize),
          config: { engine, workers, workload: 'square', n: 1, tasks, chunksize },
        });
      }
    }
  }
  const byId = await interleavedRounds(page, cases, raw);

  // 3. The process pool including its start-up, paired with sequential runs.
  raw.cold_pool = await coldPool(page, scaling);

  // 4. About five seconds of running with the long-task observer watching, progress
  // callbacks crossing to the page as they do for the lessons.
  await quiet(5_000);
  const perRun = Math.min(...byId['scaling/threads/2'].samples); // about 5 s when undisturbed
  const repetitions = Math.min(50, Math.max(1, Math.round(LONGTASK_RUN_MS / perRun)));
  raw.longtask_run = await page.evaluate(
    async (config) => {
      const startedAt = performance.now();
      let progress = 0;
      await window.parallelPlayground.run(config, { onProgress: () => progress++ });
      const endedAt = performance.now();
      const bench = window.__bench;
      return {
        config,
        observing: bench.observing,
        duration_ms: endedAt - startedAt,
        progress_events: progress,
        long_tasks: bench.longTasks.filter((t) => t.start + t.duration >= startedAt && t.start <= endedAt),
      };
    },
    { ...scaling, engine: 'threads', workers: 2, warmup: 0, repetitions },
  );
  const session = await page.evaluate((since) => window.__bench.longTasks.filter((t) => t.start >= since), raw.session_started_ms);
  // Name the call each long task began in (or 'between calls').
  raw.session_long_tasks = session.map((t) => ({
    ...t,
    during: windows.find((w) => t.start >= w.start && t.start <= w.end)?.label ?? 'between calls',
  }));
  raw.session_ms = (await page.evaluate(() => performance.now())) - raw.session_started_ms;
  log(`long-task run done (${elapsed()})`);

  // 5. The course's four-task Python cell.
  raw.python = await pythonCell(page);

  await context.close();
  await browser.close();
  raw.finished_at = new Date().toISOString();
  writeFileSync(OUT, JSON.stringify(raw, null, 1));
  log(`wrote ${OUT} (${elapsed()})`);
}

/**
 * Firefox or WebKit through the test drivers: the core cases on one isolated page. Any
 * failure (a driver that does not start, a page that throws, the deadline) is written to
 * BENCH_OUT as `error`, for xtask to print in that browser's place.
 */
async function other(name) {
  const raw = { browser: name, reps: REPS, started_at: new Date().toISOString() };
  let browser;
  const deadline = setTimeout(async () => {
    raw.error = `not finished within ${DEADLINE_MS / 60_000} minutes (the last step logged above is where it was)`;
    writeFileSync(OUT, JSON.stringify(raw, null, 1));
    log(raw.error);
    await Promise.race([browser?.close(), new Promise((resolve) => setTimeout(resolve, 20_000))]).catch(() => {});
    process.exit(1);
  }, DEADLINE_MS);
  try {
    const { openBrowser } = await import('../browser/drivers/index.mjs');
    browser = await openBrowser(name);
    raw.version = browser.version;
    log(`${browser.version}; ${REPS} repetitions`);
    const page = await browser.open(ISOLATED_URL);
    await page.waitFor(() => window.parallelPlayground !== undefined, null, { timeout: 120_000, what: "the page's API" });
    const { offered, refused, maxWorkers } = await describePage(page, raw);
    for (const r of refused) log(`engine ${r.engine} not offered: ${r.reason}`);
    const scaling = await scalingWorkload(page, maxWorkers);
    raw.scaling_workload = scaling;
    await interleavedRounds(page, coreCases(scaling, maxWorkers, offered), raw);
    raw.cold_pool = await coldPool(page, scaling);
    raw.python = await pythonCell(page);
    await page.close();
  } catch (error) {
    raw.error = String(error?.message ?? error);
  }
  await browser?.close().catch(() => {});
  clearTimeout(deadline);
  raw.finished_at = new Date().toISOString();
  writeFileSync(OUT, JSON.stringify(raw, null, 1));
  log(raw.error ? `failed: ${raw.error}` : `wrote ${OUT} (${elapsed()})`);
  process.exit(raw.error ? 1 : 0);
}

main().catch((error) => {
  console.error(`bench: ${error?.stack ?? error}`);
  process.exit(1);
});
