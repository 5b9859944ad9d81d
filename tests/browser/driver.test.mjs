// The driver's experiments through the scriptable surface, in Chromium: the catalog the
// page's lists must match, the one-call comparisons and sweeps with their progress and
// reports, their settings checked in Rust, and the error classes the bridge rebuilds.
// No test asserts a speedup: timings belong to the benchmark.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, openPlayground, PLAIN_URL, ENGINES, enginesOf } from './browser.mjs';

const browser = useBrowser();

/** Calls experiment `name` in the page; answers `{ result, progress }` or `{ error }`. */
function callInPage(page, name, params) {
  return page.evaluate(
    async ([name, params]) => {
      const progress = [];
      try {
        const result = await window.parallelPlayground.call(name, params, { onProgress: (p) => progress.push(p) });
        return { result, progress };
      } catch (error) {
        return { error: { name: error.name, message: error.message, errors: error.errors ?? null } };
      }
    },
    [name, params],
  );
}

const SMALL = { workload: 'sum_of_squares', n: 200_000, tasks: 6, workers: 2, repetitions: 2, warmup: 1 };

test("the URL presets' engine and workload lists are the core's catalog", async () => {
  const { page, problems } = await openPlayground(browser());
  const lists = await page.evaluate(async () => {
    const { PARAMETERS } = await import(new URL('lib/url-state.js', location.href).href);
    const caps = await window.parallelPlayground.capabilities();
    return {
      presetEngines: PARAMETERS.engine.values,
      presetWorkloads: PARAMETERS.workload.values,
      engines: caps.engines.map((e) => e.id),
      labels: caps.engines.map((e) => e.label),
      workloads: caps.workloads.map((w) => w.id),
    };
  });
  assert.deepEqual(lists.engines, ENGINES);
  assert.deepEqual(lists.labels, ['Sequential', 'Threads with a GIL', 'Threads (shared memory)', 'Process pool']);
  assert.deepEqual(lists.workloads, ['sum_of_squares', 'is_prime', 'square']);
  assert.deepEqual(lists.presetEngines, lists.engines, 'www/lib/url-state.js ENGINE_IDS must list the catalog engines in order');
  assert.deepEqual(lists.presetWorkloads, lists.workloads, 'www/lib/url-state.js WORKLOADS must list the catalog workloads in order');
  assert.deepEqual(problems, []);
  await page.close();
});

test('compare runs the engines in one call, sequential first, every one checked, with one progress bar', async () => {
  const { page } = await openPlayground(browser());
  const { result, progress, error } = await callInPage(page, 'compare', { ...SMALL, engines: ['processes', 'threads', 'gil'] });
  assert.ok(result, JSON.stringify(error));
  assert.deepEqual(enginesOf(result.rows), ['sequential', 'processes', 'threads', 'gil']);
  assert.deepEqual(
    result.rows.map((r) => r.workers),
    [1, 2, 2, 2],
  );
  assert.ok(
    result.rows.every((r) => r.verified && r.checksum === result.rows[0].checksum),
    JSON.stringify(result.rows.map((r) => r.checksum)),
  );
  assert.ok(result.rows.every((r) => r.summary.count === SMALL.repetitions && r.with_warmup.count === SMALL.repetitions + SMALL.warmup));
  assert.ok(result.rows.every((r) => r.timeline.length === SMALL.tasks));
  assert.equal(result.findings.length, 3, 'one verdict per parallel engine');
  assert.deepEqual(result.warnings, []);
  // One bar over all four engines' runs: it never goes back and ends at the last run.
  const runs = 4 * (SMALL.repetitions + SMALL.warmup);
  assert.ok(
    progress.every((p) => p.total === runs),
    JSON.stringify(progress.slice(0, 3)),
  );
  assert.ok(progress.every((p, i) => i === 0 || p.done >= progress[i - 1].done));
  assert.equal(progress.at(-1).done, runs - 1);
  assert.deepEqual([...new Set(progress.map((p) => p.engine))], ['sequential', 'processes', 'threads', 'gil']);
  await page.close();
});

test('a cold compare restarts the pool and reports each worker loading its module', async () => {
  const { page } = await openPlayground(browser());
  const { result, error } = await callInPage(page, 'compare', { ...SMALL, engines: ['processes'], cold: true });
  assert.ok(result, JSON.stringify(error));
  assert.ok(result.pool.startup_ms > 0);
  assert.ok(result.pool.load_min_ms > 0 && result.pool.load_min_ms <= result.pool.load_max_ms);
  assert.equal(result.rows[1].startup_ms, result.pool.startup_ms);
  await page.close();
});

test('sweepWorkers sweeps k = 1 … workers per engine against one baseline', async () => {
  const { page } = await openPlayground(browser());
  const { result, progress, error } = await callInPage(page, 'sweepWorkers', { ...SMALL, workers: 3, engines: ['threads', 'processes'], warmup: 0, repetitions: 1 });
  assert.ok(result, JSON.stringify(error));
  assert.equal(result.largest, 3);
  assert.deepEqual(
    result.series.map((s) => s.engine),
    ['sequential', 'threads', 'processes'],
  );
  assert.deepEqual(
    result.series.map((s) => s.points.map((p) => p.workers)),
    [[1], [1, 2, 3], [1, 2, 3]],
  );
  assert.ok(result.series.every((s) => s.points.every((p) => p.verified)));
  assert.equal(progress.at(-1).total, 7);
  assert.deepEqual(
    progress.filter((p) => p.phase === 'timed').map((p) => [p.engine, p.workers]),
    [
      ['sequential', 1],
      ['threads', 1],
      ['threads', 2],
      ['threads', 3],
      ['processes', 1],
      ['processes', 2],
      ['processes', 3],
    ],
  );
  await page.close();
});

test("sweepChunks measures the core's chunk plan, or the chosen size alone", async () => {
  const { page } = await openPlayground(browser());
  const settings = { workload: 'is_prime', tasks: 300, workers: 2, chunksize: 7, repetitions: 1, warmup: 0, engines: ['threads'] };
  const plan = await callInPage(page, 'chunkPlan', { tasks: 300, workers: 2, chunksize: 7 });
  assert.deepEqual(plan.result.sizes, [1, 3, 7, 10, 30, 100, 150, 300]);
  const { result, error } = await callInPage(page, 'sweepChunks', settings);
  assert.ok(result, JSON.stringify(error));
  assert.equal(result.chosen, 7);
  assert.deepEqual(
    result.series.map((s) => s.engine),
    ['threads'],
  );
  assert.deepEqual(
    result.series[0].points.map((p) => p.chunksize),
    plan.result.sizes,
  );
  assert.deepEqual(
    result.series[0].points.map((p) => p.chunks),
    [300, 100, 43, 30, 10, 3, 2, 1],
  );
  assert.ok(result.series[0].points.every((p) => p.verified));
  const single = await callInPage(page, 'sweepChunks', { ...settings, sweep: false });
  assert.deepEqual(
    single.result.series[0].points.map((p) => p.chunksize),
    [7],
  );
  await page.close();
});

test('sweepPayload ships each size of the plan three ways', async () => {
  const { page } = await openPlayground(browser());
  const { result, progress, error } = await callInPage(page, 'sweepPayload', { bytes: 50_000, repetitions: 2 });
  assert.ok(result, JSON.stringify(error));
  assert.deepEqual(
    result.sizes.map((s) => s.bytes),
    [1000, 10_000, 50_000],
  );
  assert.ok(result.sizes.every((s) => s.modes.map((m) => m.mode).join() === 'copy,transfer,shared' && s.modes.every((m) => m.available && m.ship_runs.length === 2)));
  assert.equal(progress.at(-1).total, 3 * 3 * 2);
  await page.close();
});

test('amortisation restarts the pool for each run length and times its first and warm runs', async () => {
  const { page } = await openPlayground(browser());
  const { result, progress, error } = await callInPage(page, 'amortisation', { workers: 2, repetitions: 1, tasks: 2, sizes: [200_000, 20_000] });
  assert.ok(result, JSON.stringify(error));
  assert.equal(result.workers, 2);
  assert.deepEqual(
    result.rows.map((r) => r.n),
    [20_000, 200_000],
  );
  assert.ok(
    result.rows.every((r) => r.verified && r.startup_ms > 0 && r.first_ms > 0 && r.warm.count === 1),
    JSON.stringify(result.rows),
  );
  assert.ok(result.rows.every((r) => r.timeline.length === 2));
  // Per size: one sequential run, the start, the first run, one warm run.
  assert.ok(progress.every((p) => p.total === 8));
  assert.deepEqual(
    progress.filter((p) => p.phase !== 'reference').map((p) => [p.step, p.phase, p.done]),
    [
      ['sequential', 'timed', 0],
      ['first', 'startup', 1],
      ['first', 'timed', 2],
      ['warm', 'timed', 3],
      ['sequential', 'timed', 4],
      ['first', 'startup', 5],
      ['first', 'timed', 6],
      ['warm', 'timed', 7],
    ],
  );
  await page.close();
});

test('settings of every experiment are checked, and errors arrive as the classes of lib/errors.js', async () => {
  const { page } = await openPlayground(browser());
  const outcome = await page.evaluate(async () => {
    const errors = await import(new URL('lib/errors.js', location.href).href);
    const pp = window.parallelPlayground;
    const caught = async (promise) =>
      promise.then(
        () => null,
        (error) => error,
      );
    const refused = await caught(pp.call('fit', { model: 'cubic', xs: [1, 'x'], ys: [1, 2] }));
    const sweep = await caught(pp.call('sweepWorkers', { engines: ['fork'], workers: 'many' }));
    // A long run, a second call while it runs, then Cancel.
    let started;
    const running = new Promise((resolve) => (started = resolve));
    const long = caught(pp.call('compare', { engines: ['threads'], n: 1_000_000_000, tasks: 8, repetitions: 3, warmup: 0 }, { onProgress: () => started() }));
    await running;
    const busy = await caught(pp.call('sendFunction', {}));
    await pp.cancel();
    const cancelled = await long;
    const panic = await caught(pp.panicForTesting());
    const after = await pp.call('sendFunction');
    return {
      refused: { config: refused instanceof errors.ConfigError, name: refused.name, errors: refused.errors },
      sweep: { config: sweep instanceof errors.ConfigError, errors: sweep.errors },
      busy: { busy: busy instanceof errors.BusyError, name: busy.name },
      cancelled: { cancelled: cancelled instanceof errors.CancelledError, name: cancelled.name },
      panic: { panic: panic instanceof errors.EnginePanic, name: panic.name, message: panic.message },
      after: after.name,
    };
  });
  assert.deepEqual(outcome.refused.config, true);
  assert.equal(outcome.refused.name, 'ConfigError');
  assert.equal(outcome.refused.errors.length, 2, JSON.stringify(outcome.refused.errors));
  assert.equal(outcome.sweep.config, true);
  assert.ok(
    outcome.sweep.errors.some((e) => e.includes('engines must list only')),
    JSON.stringify(outcome.sweep.errors),
  );
  assert.ok(
    outcome.sweep.errors.some((e) => e.includes('workers must be a number')),
    JSON.stringify(outcome.sweep.errors),
  );
  assert.deepEqual(outcome.busy, { busy: true, name: 'BusyError' });
  assert.deepEqual(outcome.cancelled, { cancelled: true, name: 'CancelledError' });
  assert.equal(outcome.panic.panic, true);
  assert.match(outcome.panic.message, /deliberate panic/);
  assert.equal(outcome.after, 'DataCloneError');
  await page.close();
});

test('without isolation the engine lists leave the thread engines out, and refuse them by name', async () => {
  const { page } = await openPlayground(browser(), PLAIN_URL);
  const defaults = await callInPage(page, 'compare', { ...SMALL, repetitions: 1, warmup: 0 });
  assert.ok(defaults.result, JSON.stringify(defaults.error));
  assert.deepEqual(enginesOf(defaults.result.rows), ['sequential', 'processes']);
  const refused = await callInPage(page, 'sweepWorkers', { ...SMALL, engines: ['threads'] });
  assert.equal(refused.error?.name, 'ConfigError');
  assert.match(refused.error.message, /threads needs shared-memory threads.*cross-origin isolated/);
  await page.close();
});
