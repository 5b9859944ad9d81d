// The foundation, end to end in Chromium: both builds load, every engine returns the
// sequential result, workers show up in the timeline, Cancel and panics recover, and
// bad input gets a message. No test asserts a speedup: timings belong to the benchmark.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPlayground, runInPage, ISOLATED_URL, PLAIN_URL } from './browser.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const SMALL = { workload: 'sum_of_squares', n: 2_000_000, tasks: 6, chunksize: 1, workers: 2, repetitions: 2, warmup: 1 };

test('the isolated page loads the threaded build with every engine available', async () => {
  const { page, problems } = await openPlayground(browser);
  const caps = await page.evaluate(() => window.parallelPlayground.capabilities());
  assert.equal(caps.isolated, true);
  assert.equal(caps.build, 'threaded');
  assert.ok(caps.cores >= 1);
  assert.ok(caps.maxWorkers >= Math.max(8, 2 * caps.cores));
  assert.deepEqual(caps.engines.map((e) => [e.id, e.available]), [
    ['sequential', true], ['gil', true], ['threads', true], ['processes', true],
  ]);
  assert.deepEqual(problems, []);
  await page.close();
});

test('every engine returns the sequential checksum', async () => {
  const { page } = await openPlayground(browser);
  for (const workload of ['sum_of_squares', 'is_prime', 'square']) {
    const base = { ...SMALL, workload, n: workload === 'sum_of_squares' ? 500_000 : 1_000_000, tasks: 40, chunksize: 3 };
    const sequential = await runInPage(page, { ...base, engine: 'sequential' });
    assert.ok(sequential.result, JSON.stringify(sequential.error));
    for (const engine of ['gil', 'threads', 'processes']) {
      const { result, error } = await runInPage(page, { ...base, engine });
      assert.ok(result, `${engine} ${workload}: ${JSON.stringify(error)}`);
      assert.equal(result.checksum, sequential.result.checksum, `${engine} ${workload}`);
      assert.equal(result.expected, sequential.result.checksum);
      assert.equal(result.verified, true);
      assert.equal(result.runs.length, base.warmup + base.repetitions);
      assert.equal(result.runs.filter((r) => r.warmup).length, base.warmup);
      assert.equal(result.summary.count, base.repetitions);
      assert.ok(result.summary.min <= result.summary.median && result.summary.median <= result.summary.max);
      // 40 tasks in chunks of 3: 14 chunks, each input exactly once.
      assert.equal(result.timeline.length, 14);
      assert.deepEqual(result.timeline.map((c) => c.first), Array.from({ length: 14 }, (_, i) => 3 * i));
      assert.equal(result.timeline.reduce((sum, c) => sum + c.len, 0), 40);
    }
  }
  await page.close();
});

test('the workers setting changes how many distinct workers the timeline shows', async () => {
  const { page } = await openPlayground(browser);
  for (const engine of ['threads', 'processes']) {
    for (const workers of [1, 2, 3]) {
      // Chunks of several ms each, so no worker can drain the queue before the others start.
      const { result, error } = await runInPage(page, { ...SMALL, engine, workers, n: 10_000_000, tasks: 9, repetitions: 1, warmup: 0 });
      assert.ok(result, JSON.stringify(error));
      const seen = new Set(result.timeline.map((c) => c.worker));
      assert.equal(seen.size, workers, `${engine} with ${workers} workers saw ${[...seen]}`);
      assert.ok([...seen].every((w) => w >= 0 && w < workers));
    }
  }
  await page.close();
});

test('Cancel stops a long run and the engines keep working', async () => {
  const { page } = await openPlayground(browser);
  for (const engine of ['threads', 'processes', 'sequential']) {
    const outcome = await page.evaluate(async (engine) => {
      const pp = window.parallelPlayground;
      // Minutes of work: only a working Cancel ends this before the test's timeout.
      let computing;
      const timed = new Promise((resolve) => (computing = resolve));
      const running = pp.run(
        { engine, workers: 2, workload: 'sum_of_squares', n: 1_000_000_000, tasks: 8, repetitions: 3, warmup: 0 },
        { onProgress: () => computing() },
      );
      const settled = running.then(() => 'finished', (error) => error.name);
      // Cancel once the driver has taken the call and reported its first step.
      await timed;
      await pp.cancel();
      return await settled;
    }, engine);
    assert.equal(outcome, 'CancelledError', engine);
    const after = await runInPage(page, { ...SMALL, engine });
    assert.ok(after.result?.verified, `${engine} after cancel: ${JSON.stringify(after.error)}`);
  }
  await page.close();
});

test('a panic in wasm surfaces as a readable error and the engine recovers', async () => {
  const { page } = await openPlayground(browser);
  const message = await page.evaluate(() => window.parallelPlayground.panicForTesting().then(() => 'no error', (e) => `${e.name}: ${e.message}`));
  assert.match(message, /^EnginePanic: the engine panicked: .*deliberate panic/s);
  const after = await runInPage(page, { ...SMALL, engine: 'threads' });
  assert.ok(after.result?.verified, JSON.stringify(after.error));
  await page.close();
});

test('bad settings are refused or clamped with a message', async () => {
  const { page } = await openPlayground(browser);
  const refused = await runInPage(page, { engine: 'threads', workers: 'abc', n: -2.5 });
  assert.equal(refused.error?.name, 'ConfigError');
  assert.ok(refused.error.errors.some((m) => m.includes('workers must be a number')), refused.error.message);
  assert.ok(refused.error.errors.some((m) => m.includes('n must be a whole number')));

  const unknown = await runInPage(page, { engine: '<img src=x onerror=alert(1)>' });
  assert.equal(unknown.error?.name, 'ConfigError');

  const tooBig = await runInPage(page, { engine: 'sequential', n: 2_000_000_000, tasks: 1000 });
  assert.equal(tooBig.error?.name, 'ConfigError');
  assert.match(tooBig.error.message, /lower n or tasks/);

  const clamped = await runInPage(page, { ...SMALL, engine: 'threads', workload: 'square', workers: 0, tasks: 1e12, n: 1000, chunksize: 5000, repetitions: -1 });
  assert.ok(clamped.result, JSON.stringify(clamped.error));
  assert.equal(clamped.result.config.workers, 1);
  assert.equal(clamped.result.config.repetitions, 1);
  assert.equal(clamped.result.config.tasks, 100_000);
  assert.ok(clamped.result.warnings.some((w) => w.includes('workers 0 is below the minimum 1')));

  const huge = await runInPage(page, { ...SMALL, engine: 'processes', workers: 1e9 });
  assert.equal(huge.result?.config.workers, await page.evaluate(() => window.parallelPlayground.maxWorkers));
  await page.close();
});

test('without cross-origin isolation the plain build still runs the process pool', async () => {
  const { page, problems } = await openPlayground(browser, PLAIN_URL);
  const caps = await page.evaluate(() => window.parallelPlayground.capabilities());
  assert.equal(caps.isolated, false);
  assert.equal(caps.build, 'plain');
  const byId = Object.fromEntries(caps.engines.map((e) => [e.id, e]));
  assert.equal(byId.sequential.available, true);
  assert.equal(byId.processes.available, true);
  for (const id of ['gil', 'threads']) {
    assert.equal(byId[id].available, false);
    assert.match(byId[id].reason, /cross-origin isolated/);
  }
  const sequential = await runInPage(page, { ...SMALL, engine: 'sequential' });
  const processes = await runInPage(page, { ...SMALL, engine: 'processes' });
  assert.ok(processes.result?.verified, JSON.stringify(processes.error));
  assert.equal(processes.result.checksum, sequential.result.checksum);
  assert.ok(processes.result.startup_ms > 0, 'the first pool run pays its start-up');
  const threads = await runInPage(page, { ...SMALL, engine: 'threads' });
  assert.match(threads.error?.message ?? '', /cross-origin isolated/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('window.parallelPlayground is there for the first script after the page\'s own, and announces readiness', async () => {
  const page = await browser.newPage();
  // A course author's script, placed right after the page's first script: it looks for
  // the object at once, awaits `ready` on load, and listens for the event.
  await page.route('**/author-probe.js', (route) =>
    route.fulfill({
      contentType: 'text/javascript',
      body: `
        window.__seen = typeof window.parallelPlayground;
        window.__readyType = typeof window.parallelPlayground?.ready?.then;
        addEventListener('parallelplayground:ready', (event) => { window.__event = event.detail.capabilities.build; });
        addEventListener('load', async () => {
          try {
            await window.parallelPlayground.ready;
            window.__onLoad = 'ready';
          } catch (error) {
            window.__onLoad = 'rejected: ' + error.message;
          }
        });`,
    }),
  );
  await page.route(ISOLATED_URL, async (route) => {
    const response = await route.fetch();
    const html = await response.text();
    assert.match(html, /<script src="api\.js"><\/script>/);
    await route.fulfill({ response, body: html.replace('<script src="api.js"></script>', '<script src="api.js"></script><script src="author-probe.js"></script>') });
  });
  await page.goto(ISOLATED_URL);
  await page.waitForFunction(() => window.__onLoad !== undefined && window.__event !== undefined, null, { timeout: 60_000 });
  assert.equal(await page.evaluate(() => window.__seen), 'object');
  assert.equal(await page.evaluate(() => window.__readyType), 'function');
  assert.equal(await page.evaluate(() => window.__onLoad), 'ready');
  assert.equal(await page.evaluate(() => window.__event), 'threaded');
  assert.equal(await page.evaluate(() => self.crossOriginIsolated), true, 'the rewritten page kept its headers');
  const { result, error } = await runInPage(page, { ...SMALL, engine: 'threads' });
  assert.ok(result?.verified, JSON.stringify(error));
  await page.close();
});
