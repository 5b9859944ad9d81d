// Lesson 3, "Overhead is real: chunk your work", driven through its panel in Chromium:
// the sweep runs, every measurement's chunk count is ceil(tasks / chunksize) in the
// table, the timeline and its chart, results match the sequential checksum, the per-chunk
// fit is shown, bad input gets a message (as text), Cancel works, and the non-isolated
// page keeps the process pool. No test asserts a timing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, PLAIN_URL, ISOLATED_URL, openLesson as openLessonAt } from './browser.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const PANEL = '#lesson-chunking .lesson-body';

function openLesson(url = ISOLATED_URL) {
  return openLessonAt(browser, 'chunking', url);
}

/** Sets a range input to `value` (or, for the log slider, the step showing `shown`) as a learner would. */
async function setRange(page, testid, value) {
  await page.evaluate(
    ({ testid, value }) => {
      const input = document.querySelector(`[data-testid="${testid}"]`);
      input.value = String(value);
      input.dispatchEvent(new Event('input', { bubbles: true }));
      input.dispatchEvent(new Event('change', { bubbles: true }));
    },
    { testid, value },
  );
}

async function setChunkSize(page, chunksize) {
  const found = await page.evaluate((wanted) => {
    const input = document.querySelector('[data-testid="chunking-chunksize"]');
    const output = document.querySelector('[data-testid="chunking-chunksize-value"]');
    for (let i = Number(input.min); i <= Number(input.max); i++) {
      input.value = String(i);
      input.dispatchEvent(new Event('input', { bubbles: true }));
      if (output.value === wanted.toLocaleString('en-US')) return true;
    }
    return false;
  }, chunksize);
  assert.ok(found, `the chunk-size slider offers ${chunksize}`);
}

async function runAndWait(page, state = 'done') {
  await page.click('[data-testid=chunking-run]');
  await page.waitForSelector(`${PANEL}[data-state=${state}]`, { timeout: 60_000 });
}

/** The measurement table's rows as plain data. */
function tableRows(page) {
  return page.$$eval('#chunking-results-table-body tr', (rows) =>
    rows.map((tr) => ({
      engine: tr.dataset.engine,
      chunksize: Number(tr.dataset.chunksize),
      chunks: Number(tr.dataset.chunks),
      checksum: tr.querySelector('code')?.textContent ?? '',
      verified: tr.querySelector('td.verified') !== null,
    })),
  );
}

test('a sweep runs from the panel and every chunk count is ceil(tasks / chunksize)', async () => {
  const { page, problems } = await openLesson();
  await setRange(page, 'chunking-tasks', 2000);
  await setRange(page, 'chunking-repetitions', 2);
  await setRange(page, 'chunking-warmup', 0);
  await setRange(page, 'chunking-workers', 2);
  await setChunkSize(page, 20);
  assert.equal(await page.textContent('[data-testid=chunking-chunk-count]'), '2,000 inputs ÷ 20 per chunk = 100 chunks');
  await runAndWait(page);

  // Sweep for 2000 inputs on 2 workers with 20 chosen: the ×3 ladder below 1000, one chunk
  // per worker (1000), a single chunk (2000) and the chosen 20.
  const sizes = [1, 3, 10, 20, 30, 100, 300, 1000, 2000];
  const rows = await tableRows(page);
  assert.equal(rows[0].engine, 'sequential');
  assert.equal(rows[0].chunks, 1);
  for (const engine of ['threads', 'processes']) {
    const mine = rows.filter((r) => r.engine === engine);
    assert.deepEqual(mine.map((r) => r.chunksize), sizes, engine);
    for (const r of mine) assert.equal(r.chunks, Math.ceil(2000 / r.chunksize), `${engine} chunk size ${r.chunksize}`);
  }
  assert.equal(rows.length, 1 + 2 * sizes.length);
  assert.ok(rows.every((r) => r.verified && r.checksum === rows[0].checksum), 'every run matched the sequential checksum');

  // The timeline opens on the chosen size on the process pool, with one bar per chunk
  // and a grey messaging bar out and back for each.
  const timeline = async () =>
    page.evaluate(() => {
      const box = document.querySelector('[data-testid=chunking-timeline]');
      const chart = globalThis.Chart.getChart(document.querySelector('[data-testid=chunking-chart-timeline]'));
      return { ...box.dataset, bars: chart.data.datasets[0].data.length, grey: chart.data.datasets[1]?.data.length ?? 0, note: document.querySelector('[data-testid=chunking-timeline-note]').textContent };
    });
  let t = await timeline();
  assert.equal(t.engine, 'processes');
  assert.equal(Number(t.chunksize), 20);
  assert.equal(Number(t.chunks), 100);
  assert.equal(t.bars, 100);
  assert.equal(t.grey, 200);
  assert.match(t.note, /100 chunks \(2,000 ÷ 20, rounded up\) on 2 workers/);
  await page.selectOption('[data-testid=chunking-timeline-size]', '300');
  t = await timeline();
  assert.equal(Number(t.chunks), 7);
  assert.equal(t.bars, 7);
  await page.selectOption('[data-testid=chunking-timeline-engine]', 'threads');
  await page.selectOption('[data-testid=chunking-timeline-size]', '3');
  t = await timeline();
  assert.equal(t.engine, 'threads');
  assert.equal(Number(t.chunks), 667);
  assert.equal(t.bars, 667);
  assert.equal(t.grey, 0);

  // The per-chunk fit: a price per engine, and a reading per engine plus the cost line.
  const fit = await page.$$eval('#chunking-fit-table-body tr', (trs) => trs.map((tr) => [tr.dataset.engine, tr.querySelectorAll('td')[0].textContent]));
  assert.deepEqual(fit.map(([engine]) => engine), ['threads', 'processes']);
  for (const [engine, price] of fit) assert.ok(Number.isFinite(Number.parseFloat(price)), `${engine} has a fitted price: ${price}`);
  const readings = await page.$$eval('[data-testid=chunking-reading] li', (lis) => lis.map((li) => li.textContent));
  assert.equal(readings.length, 3);
  assert.match(readings[0], /^Threads \(shared memory\): /);
  assert.match(readings[1], /^Process pool: /);
  assert.match(readings[2], /2,000 inputs: about [\d.]+ µs of work per input/);
  const charts = await page.evaluate(() => ['sweep', 'fit'].map((name) => globalThis.Chart.getChart(document.querySelector(`[data-testid=chunking-chart-${name}]`))?.data.datasets.length ?? 0));
  assert.equal(charts[0], 3, 'sweep chart: two engines and the sequential line');
  assert.equal(charts[1], 5, 'fit chart: two engines, their lines, and the sequential line');

  // "Only this chunk size" adds one point per engine and keeps the sweep.
  await page.check('[data-testid=chunking-mode-single]');
  await setChunkSize(page, 50);
  assert.equal(await page.textContent('[data-testid=chunking-run]'), 'Run chunk size 50');
  await runAndWait(page);
  const more = await tableRows(page);
  assert.equal(more.length, rows.length + 2);
  assert.deepEqual(more.filter((r) => r.chunksize === 50).map((r) => [r.engine, r.chunks]), [['threads', 40], ['processes', 40]]);
  t = await timeline();
  assert.equal(Number(t.chunksize), 50);
  assert.equal(Number(t.chunks), 40);
  assert.deepEqual(problems, []);
  await page.close();
});

test('lowering the inputs lowers a chunk size that no longer fits, with a note', async () => {
  const { page } = await openLesson();
  await setRange(page, 'chunking-tasks', 10000);
  await setChunkSize(page, 10000);
  assert.equal(await page.isHidden('[data-testid=chunking-chunksize-note]'), true);
  await setRange(page, 'chunking-tasks', 1000);
  assert.equal(await page.textContent('[data-testid=chunking-chunksize-value]'), '1,000');
  assert.match(await page.textContent('[data-testid=chunking-chunksize-note]'), /lowered from 10,000 to 1,000/);
  assert.equal(await page.textContent('[data-testid=chunking-chunk-count]'), '1,000 inputs ÷ 1,000 per chunk = 1 chunk');
  // A range input cannot be pushed past its ends.
  await setRange(page, 'chunking-tasks', 5_000_000);
  assert.equal(await page.textContent('[data-testid=chunking-tasks-value]'), '20,000');
  await page.close();
});

test('a refused setting is reported as text, never as markup', async () => {
  const { page, problems } = await openLesson();
  await page.evaluate(() => {
    const option = document.querySelector('[data-testid=chunking-workload] option');
    option.value = '<img src=x onerror="window.__injected = 1">';
    option.selected = true;
  });
  await runAndWait(page, 'error');
  const messages = await page.textContent('[data-testid=chunking-messages]');
  assert.match(messages, /Settings refused: workload must be one of .*, not "<img src=x onerror=/);
  assert.equal(await page.$$eval(`${PANEL} img`, (imgs) => imgs.length), 0);
  assert.equal(await page.evaluate(() => window.__injected), undefined);
  assert.equal(await page.isEnabled('[data-testid=chunking-run]'), true);
  assert.deepEqual(problems, []);
  await page.close();
});

test('Cancel stops a long sweep and the lesson runs again afterwards', async () => {
  const { page, problems } = await openLesson();
  await setRange(page, 'chunking-tasks', 20000);
  await setRange(page, 'chunking-repetitions', 9);
  await page.click('[data-testid=chunking-run]');
  await page.waitForSelector(`${PANEL}[data-state=running]`);
  await page.click('[data-testid=chunking-cancel]');
  await page.waitForSelector(`${PANEL}[data-state=cancelled]`, { timeout: 10_000 });
  assert.equal(await page.textContent('[data-testid=chunking-progress-text]'), 'Cancelled.');
  assert.match(await page.textContent('[data-testid=chunking-messages]'), /Cancelled/);

  await setRange(page, 'chunking-tasks', 1000);
  await setRange(page, 'chunking-repetitions', 1);
  await page.check('[data-testid=chunking-mode-single]');
  await setChunkSize(page, 100);
  await runAndWait(page);
  const rows = await tableRows(page);
  assert.deepEqual(rows.map((r) => [r.engine, r.chunks]), [['sequential', 1], ['threads', 10], ['processes', 10]]);
  assert.deepEqual(problems, []);
  await page.close();
});

test('without isolation the threads engine is off with its reason and the pool still sweeps', async () => {
  const { page, problems } = await openLesson(PLAIN_URL);
  assert.equal(await page.isDisabled('[data-testid=chunking-engine-threads]'), true);
  assert.match(await page.textContent('#chunking-engine-threads-reason'), /cross-origin isolated/);
  await setRange(page, 'chunking-tasks', 1000);
  await setRange(page, 'chunking-repetitions', 1);
  await setRange(page, 'chunking-warmup', 0);
  await runAndWait(page);
  const rows = await tableRows(page);
  assert.deepEqual([...new Set(rows.map((r) => r.engine))], ['sequential', 'processes']);
  for (const r of rows.slice(1)) assert.equal(r.chunks, Math.ceil(1000 / r.chunksize));
  assert.ok(rows.every((r) => r.verified));
  assert.deepEqual(problems, []);
  await page.close();
});

test('the readings are computed from the numbers', async () => {
  const { page } = await openLesson();
  const out = await page.evaluate(async () => {
    const r = await import(new URL('lib/chunking-reading.js', location.href).href);
    const points = (medians) => Object.entries(medians).map(([size, median]) => ({ chunksize: Number(size), chunks: Math.ceil(1000 / Number(size)), median }));
    return {
      crossover: r.describeEngineSweep({ label: 'Pool', points: points({ 1: 80, 10: 12, 100: 4, 500: 6, 1000: 11 }), sequentialMs: 10, overheadUs: 70, workers: 2 }),
      never: r.describeEngineSweep({ label: 'Pool', points: points({ 1: 80, 100: 12 }), sequentialMs: 10, workers: 2 }),
      always: r.describeEngineSweep({ label: 'Threads', points: points({ 1: 9, 100: 5 }), sequentialMs: 10, workers: 2 }),
      costs: r.describeCosts({ sequentialMs: 10, tasks: 1000, engines: [{ label: 'Pool', overheadUs: 50, predicted: 12 }, { label: 'Threads', overheadUs: -1 }] }),
      predicted: r.predictedCrossover({ line: { slope: 0.05, intercept: 5 }, sequentialMs: 10, tasks: 1000 }),
      hopeless: r.predictedCrossover({ line: { slope: 0.05, intercept: 12 }, sequentialMs: 10, tasks: 1000 }),
      sizes: r.sweepChunkSizes(5000, 2, 7),
      counts: [r.chunkCount(500, 50), r.chunkCount(501, 50), r.chunkCount(4, 1)],
      messaging: r.describeTimeline(
        [
          { worker: 0, start_ms: 1, end_ms: 2, sent_ms: 0, received_ms: 4 },
          { worker: 1, start_ms: 2, end_ms: 3, sent_ms: 0, received_ms: 4 },
        ],
        { label: 'Pool', tasks: 2, chunksize: 1 },
      ),
    };
  });
  assert.equal(out.crossover, 'Pool: slower than the sequential loop up to chunk size 10 (8.00x slower at chunk size 1, with 1,000 chunks); from chunk size 100 on it wins, best 2.50x at chunk size 100 (10 chunks). From chunk size 1,000 (1 chunk) up it loses again: too few chunks to keep 2 workers busy. Each extra chunk added about 70 µs.');
  assert.match(out.never, /^Pool: slower than the sequential loop at every chunk size measured; even at its best, chunk size 100 \(10 chunks\), it took 12\.0 ms against the loop's 10\.0 ms/);
  assert.match(out.always, /^Threads: faster than the sequential loop even with chunk size 1 \(1,000 chunks\), 1\.11x; best 2\.00x at chunk size 100/);
  assert.match(out.costs, /about 10 µs of work per input\. Pool: one chunk costs about 50 µs, as much as the work of 5 inputs\. The fitted line says it stops losing at about 12 inputs per chunk\. Threads: no per-chunk cost stood out/);
  assert.equal(out.predicted, 10); // 1000 × 0.05 / (10 − 5)
  assert.equal(out.hopeless, null);
  assert.deepEqual(out.sizes, [1, 3, 7, 10, 30, 100, 300, 1000, 2500, 5000]);
  assert.deepEqual(out.counts, [10, 11, 4]);
  assert.match(out.messaging, /2 chunks \(2 ÷ 1, rounded up\) on 2 workers\. Chunks spent 2\.00 ms computing and 6\.00 ms being copied out and back: 75% of each round trip was messaging/);
  await page.close();
});
