// The foundation, end to end in Chromium: both builds load, every engine returns the
// sequential result, workers show up in the timeline, Cancel and panics recover, and
// bad input gets a message; then lesson 1's panel, built on the lesson kit, does the same
// through its controls. No test asserts a speedup: timings belong to the benchmark.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lessonHarness, openPlayground, runInPage, ISOLATED_URL, PLAIN_URL, MARKUP, ENGINES, enginesOf } from './browser.mjs';

const lesson = lessonHarness('engines', { quick: { workers: 2, tasks: 4, n: 1e6, repetitions: 2, warmup: 0 } });
const browser = lesson.browser;

const SMALL = { workload: 'sum_of_squares', n: 2_000_000, tasks: 6, chunksize: 1, workers: 2, repetitions: 2, warmup: 1 };

test('the isolated page loads the threaded build with every engine available', async () => {
  const { page, problems } = await openPlayground(browser());
  const caps = await page.evaluate(() => window.parallelPlayground.capabilities());
  assert.equal(caps.isolated, true);
  assert.equal(caps.build, 'threaded');
  assert.ok(caps.cores >= 1);
  assert.ok(caps.maxWorkers >= Math.max(8, 2 * caps.cores));
  assert.deepEqual(
    caps.engines.map((e) => [e.id, e.available]),
    ENGINES.map((id) => [id, true]),
  );
  assert.deepEqual(problems, []);
  await page.close();
});

test('every engine returns the sequential checksum', async () => {
  const { page } = await openPlayground(browser());
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
      assert.deepEqual(
        result.timeline.map((c) => c.first),
        Array.from({ length: 14 }, (_, i) => 3 * i),
      );
      assert.equal(
        result.timeline.reduce((sum, c) => sum + c.len, 0),
        40,
      );
    }
  }
  await page.close();
});

test('the workers setting changes how many distinct workers the timeline shows', async () => {
  const { page } = await openPlayground(browser());
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
  const { page } = await openPlayground(browser());
  for (const engine of ['threads', 'processes', 'sequential']) {
    const outcome = await page.evaluate(async (engine) => {
      const pp = window.parallelPlayground;
      // Minutes of work: only a working Cancel ends this before the test's timeout.
      let computing;
      const timed = new Promise((resolve) => (computing = resolve));
      const running = pp.run({ engine, workers: 2, workload: 'sum_of_squares', n: 1_000_000_000, tasks: 8, repetitions: 3, warmup: 0 }, { onProgress: () => computing() });
      const settled = running.then(
        () => 'finished',
        (error) => error.name,
      );
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
  const { page } = await openPlayground(browser());
  const message = await page.evaluate(() =>
    window.parallelPlayground.panicForTesting().then(
      () => 'no error',
      (e) => `${e.name}: ${e.message}`,
    ),
  );
  assert.match(message, /^EnginePanic: the engine panicked: .*deliberate panic/s);
  const after = await runInPage(page, { ...SMALL, engine: 'threads' });
  assert.ok(after.result?.verified, JSON.stringify(after.error));
  await page.close();
});

test('bad settings are refused or clamped with a message', async () => {
  const { page } = await openPlayground(browser());
  const refused = await runInPage(page, { engine: 'threads', workers: 'abc', n: -2.5 });
  assert.equal(refused.error?.name, 'ConfigError');
  assert.ok(
    refused.error.errors.some((m) => m.includes('workers must be a number')),
    refused.error.message,
  );
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
  const { page, problems } = await openPlayground(browser(), PLAIN_URL);
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

test("window.parallelPlayground is there for the first script after the page's own, and announces readiness", async () => {
  const page = await browser().newPage();
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

const panelRows = async (page) => (await lesson.rows(page)).map((r) => ({ ...r, label: r.cells.head, workers: r.cells.Workers, speedup: r.cells.Speedup }));

lesson.test('the panel runs every engine, and its table, reading, charts, timeline and CSV agree', async (page) => {
  await lesson.small(page);
  assert.equal(await page.$eval('#engines-run', (b) => b.textContent), 'Run on 4 engines');
  await lesson.run(page);

  const rows = await panelRows(page);
  assert.deepEqual(enginesOf(rows), ENGINES);
  assert.deepEqual(
    rows.map((r) => r.workers),
    ['1', '2', '2', '2'],
  );
  assert.ok(
    rows.every((r) => r.verified),
    JSON.stringify(rows),
  );
  assert.equal(new Set(rows.map((r) => r.checksum)).size, 1);
  assert.match(rows[0].checksum, /^[0-9a-f]{16}$/);
  assert.equal(rows[0].speedup, '1.00x');
  assert.ok(
    rows.every((r) => /^\d+\.\d\dx$/.test(r.speedup)),
    JSON.stringify(rows),
  );
  assert.equal(await page.$eval('#engines-results', (e) => e.dataset.engines), '4');
  assert.equal(await page.$eval('#engines-empty', (e) => e.hidden), true);
  assert.match(await page.$eval('#engines-results-table-note', (e) => e.textContent), /^4 tasks of n = 1 million each, 2 timed runs per engine on \d+ cores?\./);

  // One finding per parallel engine, each in words naming it; the success message repeats the last.
  const reading = await lesson.reading(page);
  assert.deepEqual(enginesOf(reading), ['gil', 'threads', 'processes']);
  assert.ok(
    reading.every((r) => r.kind === 'engine_speedup'),
    JSON.stringify(reading),
  );
  for (const r of reading) assert.ok(r.text.startsWith(`${rows.find((x) => x.engine === r.engine).label}, 2 workers: `), r.text);
  const shown = await lesson.messages(page);
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
  assert.deepEqual(await page.$$eval('#engines-timeline-engine option', (os) => os.map((o) => o.value)), ENGINES);
  let t = await timeline();
  assert.equal(t.hidden, false);
  assert.equal(t.engine, 'processes');
  assert.equal(t.chunks, '4');
  await page.selectOption('#engines-timeline-engine', 'threads');
  t = await timeline();
  assert.equal(t.engine, 'threads');
  assert.ok(Number(t.workers) >= 1 && Number(t.workers) <= 2);
  assert.match(await page.$eval('#engines-timeline-note', (e) => e.textContent), /really ran at the same time/);
  assert.match(
    await page.$eval('#engines-chart-timeline', (e) => e.getAttribute('aria-label')),
    /^Timeline of the last timed run of Threads \(shared memory\): 4 chunks on [12] workers?, finished after [\d.]+ ms\.$/,
  );

  // The CSV has the same rows, every line as wide as its header, and nothing a spreadsheet would run.
  const { name, lines: csv } = await lesson.csv(page);
  assert.match(name, /^parallel-playground-engines-\d{4}-\d\d-\d\dT\d{6}\.csv$/);
  assert.equal(csv[0], 'engine,label,workers,cores,tasks,n,repetitions,median_ms,min_ms,max_ms,mean_ms,speedup,verified,checksum,pool_startup_ms');
  assert.equal(csv.length, 5);
  assert.deepEqual(
    csv.slice(1).map((line) => line.split(',')[0]),
    ENGINES,
  );
  assert.ok(
    csv.slice(1).every((line) => line.split(',').length === 15 && line.includes(`,true,${rows[0].checksum},`)),
    csv.join('\n'),
  );
});

lesson.test('the panel says what its settings mean and shows refused settings as text', async (page) => {
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  const max = await page.evaluate(() => window.parallelPlayground.maxWorkers);
  assert.equal(await lesson.set(page, 'workers', 999), String(max));
  assert.equal(await page.$eval('#engines-workers-value', (e) => e.textContent), String(max));
  assert.equal(await page.$eval('#engines-workers-note', (e) => e.hidden), max <= cores);
  assert.match(await page.$eval('#engines-workers-note', (e) => e.textContent), max > cores ? /more workers than cores/ : /^$/);
  await lesson.set(page, 'workers', 1);
  assert.equal(await page.$eval('#engines-workers-note', (e) => e.hidden), true);
  assert.equal(await page.$eval('#engines-engine-sequential', (b) => b.checked && b.disabled), true, 'the baseline always runs');
  for (const engine of ['gil', 'threads', 'processes']) await page.locator(`#engines-engine-${engine}`).uncheck();
  assert.equal(await page.$eval('#engines-run', (b) => b.textContent), 'Run sequential only');

  // A value the controls cannot produce still reaches the driver, whose refusal is text.
  await lesson.force(page, 'n', MARKUP);
  await lesson.refused(page, /^Settings refused: n must be a number.*<img/);
  assert.equal(await page.$eval('#engines-results', (e) => e.hidden), true);
  assert.equal(await page.$eval('#engines-sizes', (f) => f.disabled), false, 'the settings are unlocked again');
});

lesson.test('Cancel in the panel stops the run, unlocks the settings, and the next run works', async (page) => {
  await lesson.small(page, { n: 3e8, tasks: 8, repetitions: 5, warmup: 1 });
  await lesson.start(page);
  assert.equal(await page.$eval('#engines-sizes', (f) => f.disabled), true, 'settings are locked while running');
  assert.equal(await page.$eval('#engines-run', (b) => b.disabled), true);
  await lesson.cancelAndRunAgain(page);
  assert.equal(await page.$eval('#engines-cancel', (b) => b.disabled), true);
  assert.equal(await page.$eval('#engines-sizes', (f) => f.disabled), false);
  assert.equal((await panelRows(page)).length, 4);
});

lesson.test('without isolation the panel turns the thread engines off with the reason and still compares the pool', PLAIN_URL, async (page) => {
  await lesson.runWithoutIsolation(page);
  assert.equal(await page.$eval('#engines-run', (b) => b.textContent), 'Run on 2 engines');
  const rows = await panelRows(page);
  assert.deepEqual(enginesOf(rows), ['sequential', 'processes']);
  assert.ok(rows.every((r) => r.verified));
  assert.match(await page.$eval('#engines-results-table-note', (e) => e.textContent), /Starting the pool's 2 workers took [\d.]+ ms before the first run/);
});

// ---- the lesson kit's other pieces -------------------------------------------------------

/**
 * Mounts a probe lesson that declares every kind of control, chart and result the kit
 * offers, on a stand-in bridge whose report carries findings, and answers what it shows.
 */
test('the lesson kit builds every control, chart, table and reading a lesson can declare', async () => {
  const { page, problems } = await lesson.open();
  const out = await page.evaluate(async () => {
    const kit = await import(new URL('kit/lesson-kit.js', location.href).href);
    const caps = await window.parallelPlayground.capabilities();
    const calls = [];
    const report = {
      findings: [{ kind: 'only_baseline' }, { kind: 'within_cores', largest: 2, cores: 4 }],
      warnings: ['careful', 'careful'],
      points: [1, 2, 3].map((k) => ({ workers: k, speedup: k * 0.9, lo: k * 0.8, hi: k, chunks: [{ worker: k - 1, chunk: 0, first: 0, len: 1, start_ms: 0, end_ms: 5 }] })),
    };
    const bridge = {
      async call(name, params, { onProgress } = {}) {
        calls.push({ name, params });
        onProgress?.({ done: 1, total: 2 });
        return structuredClone(report);
      },
      cancel: async () => {},
    };
    const lesson = kit.defineLesson({
      id: 'probe',
      title: 'Probe',
      intro: new URL('lessons/engines.html', location.href),
      controls: (c) => [
        kit.enginePicker(c, { ids: ['sequential', 'threads'] }),
        {
          legend: 'Settings',
          fields: [
            { kind: 'range', name: 'workers', label: 'Workers', min: 1, max: 8, value: 2, warn: (v) => (v.workers > 4 ? 'many' : '') },
            { kind: 'range', name: 'tasks', label: 'Tasks', min: (v) => 2 * v.workers, max: 64, value: 4, hint: (v) => `${v.tasks} tasks` },
            { kind: 'log', name: 'chunksize', label: 'Chunk size', values: (v) => [1, 10, 100, 1000].filter((x) => x <= v.tasks * 10), value: 10 },
            {
              kind: 'select',
              name: 'workload',
              label: 'Workload',
              options: [
                { value: 'square', text: 'square' },
                { value: 'is_prime', text: 'is_prime' },
              ],
              value: 'is_prime',
            },
            { kind: 'check', name: 'cold', label: 'Cold', value: true, hint: 'a fresh pool' },
            { kind: 'check', name: 'warm', label: 'Count warm-ups', value: false, live: true },
          ],
        },
        {
          kind: 'checks',
          name: 'size',
          legend: 'Sizes',
          options: [
            { value: 1e6, label: 'small', checked: true },
            { value: 1e9, label: 'big' },
            { value: 5, label: 'off', reason: 'not here' },
          ],
        },
        {
          kind: 'radio',
          name: 'mode',
          legend: 'Mode',
          options: [
            { value: 'sweep', label: 'sweep', checked: true },
            { value: 'single', label: 'single' },
          ],
        },
      ],
      blocked: (v) => (v.size.length ? '' : 'Choose a size.'),
      runText: (v) => `Run ${v.mode}`,
      run: { experiment: 'compare', params: (v) => ({ ...v }), progress: (p) => [p.done / p.total, `step ${p.done}`] },
      buttons: [{ name: 'again', text: 'Again', run: async (v, k) => ({ ...k.previous, again: true }), keep: true }],
      done: (r) => `Done with ${r.points.length} points.`,
      figures: (r) => [{ label: 'Points', value: String(r.points.length), engine: 'threads', testid: 'probe-points' }],
      sections: [
        {
          name: 'model',
          always: true,
          charts: [
            {
              name: 'model',
              draw: (r, v) => ({
                type: 'line',
                title: 'Model',
                x: { title: 'k', log: true, ticks: 'powers', min: 1, max: 8 },
                series: [],
                refs: [
                  { y: v.workers, legend: `${v.workers} workers` },
                  { y: 2, label: 'two', legend: 'two' },
                  { x: 4, shade: true, label: 'past the cores' },
                ],
              }),
            },
          ],
        },
        {
          charts: [
            {
              name: 'sweep',
              draw: (r) => ({
                type: 'line',
                title: 'Sweep',
                aria: 'Speedup against workers',
                x: { title: 'k', ticks: 'integers', min: 0.6, max: 3.4 },
                format: (y) => `${y.toFixed(2)}x`,
                series: [{ label: 'Threads', color: 'threads', points: r.points.map((p) => ({ x: p.workers, y: p.speedup, lo: p.lo, hi: p.hi, mark: p.workers === 2 })) }],
              }),
            },
            {
              name: 'log',
              draw: (r) => ({
                type: 'line',
                title: 'Log',
                x: { log: true },
                y: { log: true },
                series: [{ label: 'L', color: 'purple', line: false, points: r.points.map((p) => ({ x: 10 ** p.workers, y: p.hi })) }],
              }),
            },
            {
              name: 'bars',
              draw: (r) => ({
                type: 'columns',
                title: 'Bars',
                labels: ['a', 'b'],
                series: [
                  { label: 'one', color: 'blue', values: [1, 2] },
                  { label: 'two', color: ['gil', 'processes'], values: [3, 4] },
                ],
              }),
            },
            {
              name: 'strip',
              draw: (r) => ({
                type: 'strip',
                title: 'Strip',
                groups: [{ label: 'G', color: 'gil', runs: [{ y: 3, first: true, hollow: true }, { y: 2 }], median: 2.5 }],
                legend: [{ text: 'first run', style: 'triangle', hollow: true }],
              }),
            },
            { name: 'none', draw: () => null },
          ],
          table: {
            caption: 'Points',
            rows: (r, v) => r.points.map((p) => ({ ...p, engine: 'threads', verified: true, checksum: '=cafe', warm: v.warm })),
            row: (p) => ({ workers: String(p.workers) }),
            fold: (rows) => `All ${rows.length} points`,
            columns: [
              { key: 'engine' },
              { key: 'workers', name: 'Workers', type: 'engine' },
              { key: 'speedup', name: 'Speedup', type: 'num', text: (p) => p.speedup.toFixed(2) },
              { key: 'checksum', name: 'Checksum', type: 'check' },
              { name: (v) => (v.warm ? 'Warm' : 'Cold'), text: (p) => String(p.warm) },
            ],
            note: (r) => `${r.points.length} points.`,
          },
        },
      ],
      csv: { table: 'results' },
      timeline: {
        heading: 'Timeline',
        pickers: [{ name: 'k', label: 'Workers' }],
        runs: (r) =>
          r.points.map((p) => ({
            engine: 'threads',
            label: `k = ${p.workers}`,
            pick: p.workers,
            text: String(p.workers),
            chunks: p.chunks,
            note: `note ${p.workers}`,
            preferred: p.workers === 2,
          })),
      },
    });
    const container = document.createElement('div');
    container.className = 'lesson-body';
    document.querySelector('#lessons').append(container);
    lesson.intro(container);
    lesson.mount(container, { caps, bridge });
    const $ = (selector) => container.querySelector(selector);
    const set = (id, value) => {
      const control = $(`#${id}`);
      control.value = String(value);
      control.dispatchEvent(new Event('input', { bubbles: true }));
      return control.value;
    };
    const seen = {};
    // The intro is fetched: it holds its place before the form, filled in when it arrives; a missing one says so.
    const missing = document.createElement('div');
    kit.defineLesson({ id: 'missing', title: 'Missing', intro: new URL('lessons/missing.html', location.href), controls: () => [] }).intro(missing);
    await new Promise((resolve) => {
      const check = () => (!container.querySelector('.intro[aria-busy]') && !missing.querySelector('.intro[aria-busy]') ? resolve() : setTimeout(check, 20));
      check();
    });
    seen.intro = [
      $('.intro').nextElementSibling.textContent,
      $('.intro .lead').textContent.slice(0, 10),
      $('.intro dt .swatch').dataset.engine,
      $('.snippet code').textContent.split('\n')[0],
    ];
    seen.missing = missing.textContent;
    seen.engines = [...container.querySelectorAll('#probe-engines input')].map((b) => b.id);
    seen.tasksMin = [$('#probe-tasks').min, $('#probe-tasks').value, $('#probe-tasks-hint').textContent];
    set('probe-workers', 6);
    seen.afterWorkers = [$('#probe-tasks').min, $('#probe-tasks').value, $('#probe-workers-note').hidden, $('#probe-workers-note').textContent];
    seen.chunk = [$('#probe-chunksize').max, $('#probe-chunksize-value').textContent];
    seen.notes = lesson.applyPreset(container, { chunksize: 900, workers: 2, tasks: 20 });
    seen.state = lesson.readState(container);
    $('#probe-size-1000000').click();
    seen.blocked = [$('#probe-run').disabled, $('#probe-progress-text').textContent];
    $('#probe-size-1000000000').click();
    $('#probe-mode-single').click();
    seen.unblocked = [
      $('#probe-run').disabled,
      $('#probe-progress-text').textContent,
      $('#probe-run').textContent,
      $('#probe-size-5').disabled,
      $('#probe-size-5-reason').textContent,
    ];
    // The chart library loads on the first chart due; the kit redraws as soon as it has.
    await (await import(new URL('kit/charts.js', location.href).href)).loadCharts();
    seen.modelBefore = $('#probe-chart-model').getAttribute('aria-label');
    seen.resultsBefore = $('#probe-results').hidden;
    $('#probe-run').click();
    await new Promise((resolve) => {
      const check = () => (container.dataset.state === 'done' ? resolve() : setTimeout(check, 20));
      check();
    });
    seen.call = calls[0];
    seen.messages = [...container.querySelectorAll('#probe-messages p')].map((p) => `${p.dataset.kind}: ${p.textContent}`);
    seen.reading = [...container.querySelectorAll('#probe-reading li')].map((li) => `${li.dataset.kind}: ${li.textContent}`);
    const words = await import(new URL('kit/findings.js', location.href).href);
    seen.words = words.readings(report.findings, (engine) => engine, report).map((r) => `${r.kind}: ${r.text}`);
    seen.figures = $('[data-testid="probe-points"]').textContent;
    seen.labels = ['sweep', 'log', 'bars', 'strip'].map((name) => $(`#probe-chart-${name}`).getAttribute('aria-label'));
    seen.noneHidden = $('#probe-chart-none').parentElement.hidden;
    seen.chartError = [$('#probe-chart-error').hidden, $('#probe-chart-error').textContent];
    seen.table = [...container.querySelectorAll('#probe-results-table-body tr')].map((tr) => [tr.dataset.workers, ...[...tr.children].map((c) => c.textContent)]);
    seen.tableNote = $('#probe-results-table-note').textContent;
    const heads = () => [...container.querySelectorAll('#probe-results-table th[scope="col"]')].map((th) => th.textContent).join(',');
    seen.fold = [$('#probe-results-table-fold').open, $('#probe-results-table-fold summary').textContent, heads(), $('#probe-results-table-body td:last-child').dataset.label];
    seen.timeline = [$('#probe-timeline').hidden, $('#probe-timeline-k').value, $('#probe-timeline-note').textContent];
    const warm = $('#probe-warm');
    warm.click();
    seen.live = [...container.querySelectorAll('#probe-results-table-body tr')].map((tr) => tr.lastElementChild.textContent);
    seen.liveHead = [heads(), $('#probe-results-table-body td:last-child').dataset.label];
    $('#probe-again').click();
    await new Promise((resolve) => {
      const check = () => (container.dataset.state === 'done' && !$('#probe-again').disabled ? resolve() : setTimeout(check, 20));
      check();
    });
    seen.again = [calls.length, $('#probe-again').textContent, container.querySelectorAll('#probe-results-table-body tr').length];
    container.remove();
    return seen;
  });
  assert.deepEqual(out.intro, ['Try it', 'In Python,', 'sequential', 'import time']);
  assert.match(out.missing, /^The introduction could not be loaded \(HTTP 404\)/);
  assert.deepEqual(out.engines, ['probe-engine-sequential', 'probe-engine-threads']);
  assert.deepEqual(out.tasksMin, ['4', '4', '4 tasks']);
  assert.deepEqual(out.afterWorkers, ['12', '12', false, 'many'], 'a limit that depends on another control follows it');
  assert.deepEqual(out.chunk, ['2', '10'], 'the log slider offers the values its function allows');
  assert.deepEqual(out.notes, ["chunksize=900 is not one of this lesson's choices; using 100."]);
  assert.equal(out.state.chunksize, 100, 'a log slider reads back its value, not its position');
  assert.equal(out.state.workers, '2');
  assert.deepEqual(out.blocked, [true, 'Choose a size.']);
  assert.deepEqual(out.unblocked, [false, 'Ready.', 'Run single', true, 'unavailable: not here']);
  assert.match(out.modelBefore, /^Model\. \. 2 workers\. two\.$/);
  assert.equal(out.resultsBefore, true);
  assert.equal(out.call.name, 'compare');
  assert.deepEqual(out.call.params.size, [1e9]);
  assert.equal(out.call.params.mode, 'single');
  assert.deepEqual(out.call.params.engine, ['sequential', 'threads']);
  assert.equal(out.call.params.workload, 'is_prime');
  assert.equal(out.call.params.cold, true);
  assert.deepEqual(out.messages, ['warning: careful', 'success: Done with 3 points.'], 'a warning is said once');
  assert.equal(out.reading.length, 2, 'a reading per finding');
  assert.deepEqual(out.reading, out.words, 'the findings in the words of kit/findings.js');
  assert.match(out.reading[1], /^within_cores: .*\b4 cores\b/);
  assert.equal(out.figures, 'Points3');
  assert.equal(out.labels[0], 'Speedup against workers. Threads: 1 → 0.90x, 2 → 1.80x, 3 → 2.70x.');
  assert.match(out.labels[1], /^Log\. L: 10 → 1, 100 → 2, 1000 → 3\.$/);
  assert.equal(out.labels[2], 'Bars: a one 1, two 3; b one 2, two 4.');
  assert.equal(out.labels[3], 'Strip. G: 3, 2; median 2.5.');
  assert.equal(out.noneHidden, true);
  assert.deepEqual(out.chartError, [true, '']);
  assert.deepEqual(out.table, [
    ['1', '1', '0.90', '✓ verified, checksum =cafe', 'false'],
    ['2', '2', '1.80', '✓ verified, checksum =cafe', 'false'],
    ['3', '3', '2.70', '✓ verified, checksum =cafe', 'false'],
  ]);
  assert.equal(out.tableNote, '3 points.');
  assert.deepEqual(out.fold, [false, 'All 3 points', 'Workers,Speedup,Checksum,Cold', 'Cold'], 'a folded table, a head that follows the values');
  assert.deepEqual(out.timeline, [false, '2', 'note 2'], 'the preferred run is shown first');
  assert.deepEqual(out.live, ['true', 'true', 'true'], 'a live control redraws the results');
  assert.deepEqual(out.liveHead, ['Workers,Speedup,Checksum,Warm', 'Warm']);
  assert.deepEqual(out.again, [1, 'Again', 3], 'an extra button runs its own task and may keep the report');
  assert.deepEqual(
    problems.filter((p) => !p.includes('lessons/missing.html')),
    [],
    'only the missing intro is an error',
  );
  await page.close();
});

lesson.test('the lesson kit writes CSV fields a spreadsheet cannot run as formulas', async (page) => {
  const csv = await page.evaluate(async () => {
    const { toCsv } = await import(new URL('kit/lesson-kit.js', location.href).href);
    const columns = [{ key: 'a' }, { key: 'b', value: (r) => r.b * 2 }, { name: 'table only' }, { key: 'c' }];
    return toCsv(columns, [
      { a: '=1+1', b: 0.12345, c: 'x,"y"' },
      { a: '@SUM', b: NaN, c: null },
    ]);
  });
  assert.equal(csv, 'a,b,c\r\n\'=1+1,0.247,"x,""y"""\r\n\'@SUM,,\r\n');
});
