// The foundation, end to end in Chromium: both builds load, every engine returns the
// sequential result, workers show up in the timeline, Cancel and panics recover, and
// bad input gets a message; then lesson 1's panel, built on the lesson kit, does the same
// through its controls. No test asserts a speedup: timings belong to the benchmark.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { launch, openLesson, openPlayground, runInPage, ISOLATED_URL, PLAIN_URL } from './browser.mjs';

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

// ---- lesson 1 through its panel --------------------------------------------------------

const BODY = '#lesson-engines .lesson-body';

/** Sets a range or select control the way a learner would, firing input and change. */
function setControl(page, id, value) {
  return page.$eval(
    `#${id}`,
    (control, value) => {
      control.value = String(value);
      control.dispatchEvent(new Event('input', { bubbles: true }));
      control.dispatchEvent(new Event('change', { bubbles: true }));
      return control.value;
    },
    value,
  );
}

async function smallPanel(page, { workers = 2, tasks = 4, n = 1e6, repetitions = 2, warmup = 0 } = {}) {
  await setControl(page, 'engines-workers', workers);
  await setControl(page, 'engines-tasks', tasks);
  await setControl(page, 'engines-n', n);
  await setControl(page, 'engines-repetitions', repetitions);
  await setControl(page, 'engines-warmup', warmup);
}

async function runPanel(page, timeout = 60_000) {
  await page.click('#engines-run');
  await page.waitForSelector(`${BODY}:is([data-state="done"],[data-state="error"],[data-state="cancelled"])`, { timeout });
  return page.$eval(BODY, (b) => b.dataset.state);
}

const panelMessages = (page) => page.$$eval('#engines-messages p', (ps) => ps.map((p) => ({ kind: p.dataset.kind, text: p.textContent })));

const panelRows = (page) =>
  page.$$eval('#engines-results-table-body tr', (rows) =>
    rows.map((r) => ({
      engine: r.dataset.engine,
      label: r.querySelector('th').textContent,
      workers: r.querySelector('td[data-label="Workers"]').textContent,
      speedup: r.querySelector('td[data-label="Speedup"]').textContent,
      verified: Boolean(r.querySelector('td.verified')),
      checksum: r.querySelector('code')?.textContent ?? '',
    })),
  );

test('the panel runs every engine, and its table, reading, charts, timeline and CSV agree', async () => {
  const { page, problems } = await openLesson(browser, 'engines');
  await smallPanel(page);
  assert.equal(await page.$eval('#engines-run', (b) => b.textContent), 'Run on 4 engines');
  assert.equal(await runPanel(page), 'done', JSON.stringify(await panelMessages(page)));

  const rows = await panelRows(page);
  assert.deepEqual(rows.map((r) => r.engine), ['sequential', 'gil', 'threads', 'processes']);
  assert.deepEqual(rows.map((r) => r.workers), ['1', '2', '2', '2']);
  assert.ok(rows.every((r) => r.verified), JSON.stringify(rows));
  assert.equal(new Set(rows.map((r) => r.checksum)).size, 1);
  assert.match(rows[0].checksum, /^[0-9a-f]{16}$/);
  assert.equal(rows[0].speedup, '1.00x');
  assert.ok(rows.every((r) => /^\d+\.\d\dx$/.test(r.speedup)), JSON.stringify(rows));
  assert.equal(await page.$eval('#engines-results', (e) => e.dataset.engines), '4');
  assert.equal(await page.$eval('#engines-empty', (e) => e.hidden), true);
  assert.match(await page.$eval('#engines-results-table-note', (e) => e.textContent), /^4 tasks of n = 1 million each, 2 timed runs per engine on \d+ cores?\./);

  // One sentence per parallel engine, each naming it; the success message repeats the last.
  const reading = await page.$$eval('#engines-reading li', (lis) => lis.map((li) => ({ engine: li.dataset.engine, text: li.textContent })));
  assert.deepEqual(reading.map((r) => r.engine), ['gil', 'threads', 'processes']);
  for (const r of reading) assert.ok(r.text.startsWith(`${rows.find((x) => x.engine === r.engine).label}, 2 workers: `), r.text);
  const shown = await panelMessages(page);
  assert.equal(shown[0].text, 'Running 4 engines: Sequential, Threads with a GIL, Threads (shared memory), Process pool.');
  assert.equal(shown.at(-1).kind, 'success');
  assert.equal(shown.at(-1).text, `Done. ${reading.at(-1).text}`);
  assert.equal(await page.$eval('#engines-progress-text', (e) => e.textContent), 'Finished: 4 engines measured.');

  // The charts describe their numbers.
  const time = await page.$eval('#engines-chart-time', (e) => e.getAttribute('aria-label'));
  assert.match(time, /^Median time per engine: Sequential [\d.]+ ms; Threads with a GIL [\d.]+ ms; Threads \(shared memory\) [\d.]+ ms; Process pool [\d.]+ ms\.$/);
  const speedup = await page.$eval('#engines-chart-speedup', (e) => e.getAttribute('aria-label'));
  assert.match(speedup, /^Speedup over sequential: Sequential 1\.00x; .* ideal on this machine: \dx\.$/);
  assert.equal(await page.$eval('#engines-chart-error', (e) => e.hidden), true);

  // The timeline starts on the last parallel engine and follows the picker.
  const timeline = () => page.$eval('#engines-timeline', (e) => ({ hidden: e.hidden, ...e.dataset }));
  assert.deepEqual(await page.$$eval('#engines-timeline-engine option', (os) => os.map((o) => o.value)), ['sequential', 'gil', 'threads', 'processes']);
  let t = await timeline();
  assert.equal(t.hidden, false);
  assert.equal(t.engine, 'processes');
  assert.equal(t.chunks, '4');
  await page.selectOption('#engines-timeline-engine', 'threads');
  t = await timeline();
  assert.equal(t.engine, 'threads');
  assert.ok(Number(t.workers) >= 1 && Number(t.workers) <= 2);
  assert.match(await page.$eval('#engines-timeline-note', (e) => e.textContent), /really ran at the same time/);
  assert.match(await page.$eval('#engines-chart-timeline', (e) => e.getAttribute('aria-label')), /^Timeline of the last timed run of Threads \(shared memory\): 4 chunks on [12] workers?, finished after [\d.]+ ms\.$/);

  // The CSV has the same rows, every line as wide as its header, and nothing a spreadsheet would run.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#engines-download-csv')]);
  assert.match(download.suggestedFilename(), /^parallel-playground-engines-\d{4}-\d\d-\d\dT\d{6}\.csv$/);
  const csv = (await readFile(await download.path(), 'utf8')).trim().split('\r\n');
  assert.equal(csv[0], 'engine,label,workers,cores,tasks,n,repetitions,median_ms,min_ms,max_ms,mean_ms,speedup,verified,checksum,pool_startup_ms');
  assert.equal(csv.length, 5);
  assert.deepEqual(csv.slice(1).map((line) => line.split(',')[0]), ['sequential', 'gil', 'threads', 'processes']);
  assert.ok(csv.slice(1).every((line) => line.split(',').length === 15 && line.includes(`,true,${rows[0].checksum},`)), csv.join('\n'));
  assert.deepEqual(problems, []);
  await page.close();
});

test('the panel says what its settings mean and shows refused settings as text', async () => {
  const { page, problems } = await openLesson(browser, 'engines');
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  const max = await page.evaluate(() => window.parallelPlayground.maxWorkers);
  assert.equal(await setControl(page, 'engines-workers', 999), String(max));
  assert.equal(await page.$eval('#engines-workers-value', (e) => e.textContent), String(max));
  assert.equal(await page.$eval('#engines-workers-note', (e) => e.hidden), max <= cores);
  assert.match(await page.$eval('#engines-workers-note', (e) => e.textContent), max > cores ? /more workers than cores/ : /^$/);
  await setControl(page, 'engines-workers', 1);
  assert.equal(await page.$eval('#engines-workers-note', (e) => e.hidden), true);
  assert.equal(await page.$eval('#engines-engine-sequential', (b) => b.checked && b.disabled), true, 'the baseline always runs');
  for (const engine of ['gil', 'threads', 'processes']) await page.locator(`#engines-engine-${engine}`).uncheck();
  assert.equal(await page.$eval('#engines-run', (b) => b.textContent), 'Run sequential only');

  // A value the controls cannot produce still reaches the driver, whose refusal is text.
  const payload = '<img src=x onerror="window.__injected=1">';
  await page.$eval('#engines-n', (select, payload) => {
    select.append(new Option('odd', payload));
    select.value = payload;
    select.dispatchEvent(new Event('change', { bubbles: true }));
  }, payload);
  assert.equal(await runPanel(page), 'error');
  const shown = await panelMessages(page);
  assert.ok(shown.some((m) => m.kind === 'error' && m.text.startsWith('Settings refused: n must be a number') && m.text.includes('<img')), JSON.stringify(shown));
  assert.equal(await page.$$eval('#lesson-engines img', (imgs) => imgs.length), 0);
  assert.equal(await page.evaluate(() => window.__injected), undefined);
  assert.equal(await page.$eval('#engines-results', (e) => e.hidden), true);
  assert.equal(await page.$eval('#engines-run', (b) => b.disabled), false, 'Run is usable again');
  assert.equal(await page.$eval('#engines-sizes', (f) => f.disabled), false, 'the settings are unlocked again');
  assert.deepEqual(problems, []);
  await page.close();
});

test('Cancel in the panel stops the run, unlocks the settings, and the next run works', async () => {
  const { page, problems } = await openLesson(browser, 'engines');
  await smallPanel(page, { n: 3e8, tasks: 8, repetitions: 5, warmup: 1 });
  await page.click('#engines-run');
  await page.waitForSelector(`${BODY}[data-state="running"]`);
  assert.equal(await page.$eval('#engines-sizes', (f) => f.disabled), true, 'settings are locked while running');
  assert.equal(await page.$eval('#engines-run', (b) => b.disabled), true);
  await page.click('#engines-cancel');
  await page.waitForSelector(`${BODY}[data-state="cancelled"]`, { timeout: 10_000 });
  assert.ok((await panelMessages(page)).some((m) => m.kind === 'info' && m.text === 'Cancelled.'));
  assert.equal(await page.$eval('#engines-progress-text', (e) => e.textContent), 'Cancelled.');
  assert.equal(await page.$eval('#engines-cancel', (b) => b.disabled), true);
  assert.equal(await page.$eval('#engines-sizes', (f) => f.disabled), false);

  await smallPanel(page);
  assert.equal(await runPanel(page), 'done');
  assert.equal((await panelRows(page)).length, 4);
  assert.deepEqual(problems, []);
  await page.close();
});

test('without isolation the panel turns the thread engines off with the reason and still compares the pool', async () => {
  const { page, problems } = await openLesson(browser, 'engines', PLAIN_URL);
  for (const engine of ['gil', 'threads']) {
    assert.equal(await page.$eval(`#engines-engine-${engine}`, (b) => b.disabled && !b.checked), true, engine);
    assert.match(await page.$eval(`#engines-engine-${engine}-reason`, (e) => e.textContent), /^unavailable: .*cross-origin isolated/);
  }
  await smallPanel(page);
  assert.equal(await page.$eval('#engines-run', (b) => b.textContent), 'Run on 2 engines');
  assert.equal(await runPanel(page), 'done');
  const rows = await panelRows(page);
  assert.deepEqual(rows.map((r) => r.engine), ['sequential', 'processes']);
  assert.ok(rows.every((r) => r.verified));
  assert.match(await page.$eval('#engines-results-table-note', (e) => e.textContent), /Starting the pool's 2 workers took [\d.]+ ms before the first run/);
  assert.deepEqual(problems, []);
  await page.close();
});
