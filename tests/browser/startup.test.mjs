// Lesson 8, "Start-up and the entry point", through its panel: a restart reports every
// pool worker's own module load, each run length gets a row whose start-up + first run
// is the fresh pool's total and whose results match the sequential checksum, the
// readings are the core's findings, the timeline shows one chunk per task, the CSV holds
// every worker and run length, Cancel works, bad settings give messages shown as text,
// and a page without isolation runs it all (the pool needs no shared memory). What the
// numbers mean is tested in Rust (src/findings/startup.rs). No test asserts a timing or
// a speedup.
import assert from 'node:assert/strict';
import { PLAIN_URL, lessonHarness } from './browser.mjs';

const LESSON = 'startup';
const lesson = lessonHarness(LESSON);
const SIZES = ['1000000', '10000000', '100000000', '300000000', '1000000000'];

/** Ticks exactly the run lengths in `chosen`. */
async function chooseSizes(page, chosen) {
  for (const n of SIZES) {
    const box = `[data-testid=${LESSON}-size-${n}]`;
    if (chosen.includes(n)) await page.check(box);
    else await page.uncheck(box);
  }
}

async function checkRun(page, { workers, sizes }) {
  // Start-up, worker by worker: every worker loaded its own module.
  assert.equal(await page.isVisible(`[data-testid=${LESSON}-pool]`), true);
  assert.ok(Number(await page.getAttribute(`[data-testid=${LESSON}-results]`, 'data-startup')) > 0);
  const starts = await page.$$eval(`#${LESSON}-workers-table tbody tr`, (trs) =>
    trs.map((r) => ({ worker: Number(r.dataset.worker), load: Number(r.dataset.load), ready: Number(r.dataset.ready) })),
  );
  assert.deepEqual(
    starts.map((w) => w.worker),
    Array.from({ length: workers }, (_, i) => i),
  );
  for (const w of starts) {
    assert.ok(w.load > 0, `worker ${w.worker} timed its own load`);
    assert.ok(w.ready > 0 && w.ready >= w.load - 1, `worker ${w.worker}: ready ${w.ready} ms includes its load ${w.load} ms`);
  }

  // One row per run length; the fresh pool's total is start-up + first run.
  const rows = await page.$$eval(`#${LESSON}-results-table tbody tr`, (trs) =>
    trs.map((r) => ({ ...Object.fromEntries(Object.entries(r.dataset).map(([k, v]) => [k, Number(v)])), verified: r.dataset.verified })),
  );
  assert.deepEqual(
    rows.map((r) => String(r.n)),
    sizes,
  );
  for (const r of rows) {
    assert.equal(r.verified, 'true', `${r.n}: every pool result matched the sequential checksum`);
    assert.ok(r.startup > 0 && r.first > 0 && r.warm > 0 && r.sequential > 0);
    assert.ok(Math.abs(r.total - (r.startup + r.first)) < 1e-6, `${r.n}: total = start-up + first run`);
    assert.ok(Math.abs(r.speedupWith * r.total - r.sequential) < 1e-6 * r.sequential, `${r.n}: speedup with start-up`);
    assert.ok(Math.abs(r.speedupWarm * r.warm - r.sequential) < 1e-6 * r.sequential, `${r.n}: warm speedup`);
  }

  // The timeline of the fresh pool's first run: one chunk per task on the pool's workers.
  const timeline = page.locator(`[data-testid=${LESSON}-timeline]`);
  assert.equal(await timeline.getAttribute('data-chunks'), '4');
  assert.ok(Number(await timeline.getAttribute('data-workers')) <= workers);
  const options = await page.$$eval(`[data-testid=${LESSON}-timeline-size] option`, (os) => os.map((o) => o.value));
  assert.deepEqual(options, sizes);
  // The readings: the pool's start, then one start-up share per end of the range and
  // where the start-up was paid back.
  const kinds = await page.$$eval(`[data-testid=${LESSON}-reading] li`, (items) => items.map((li) => li.dataset.kind));
  const shares = sizes.length > 1 ? ['startup_share', 'startup_share'] : ['startup_share'];
  assert.deepEqual(kinds.slice(0, shares.length + 2), ['pool_started', ...shares, 'paid_back']);
  assert.ok(
    kinds.slice(shares.length + 2).every((k) => k === 'cold_workers'),
    kinds.join(),
  );
  const reading = await page.locator(`[data-testid=${LESSON}-reading]`).innerText();
  assert.match(reading, new RegExp(`Starting ${workers} pool workers? took [\\d.]+ ms`));
  assert.match(reading, new RegExp(`top-level code ran ${workers === 1 ? 'once' : `${workers} times`}`));
  assert.match(await lesson.messageText(page), /^Done\. At 4 × 1 million, start-up was \d+% of a fresh pool's time/m);
}

lesson.test('a restart times every worker, and each run length adds up against sequential', async (page) => {
  await chooseSizes(page, ['1000000', '10000000']);
  await page.fill(`[data-testid=${LESSON}-workers]`, '3');
  await page.fill(`[data-testid=${LESSON}-repetitions]`, '1');
  await lesson.run(page);
  await checkRun(page, { workers: 3, sizes: ['1000000', '10000000'] });
  const charts = await page.evaluate(() =>
    ['workers', 'amortisation', 'speedup', 'timeline'].map((name) => Boolean(window.Chart.getChart(document.getElementById(`startup-chart-${name}`)))),
  );
  assert.deepEqual(charts, [true, true, true, true]);
  // Picking another run length redraws its timeline.
  await page.selectOption(`[data-testid=${LESSON}-timeline-size]`, '1000000');
  assert.match(await page.locator(`#${LESSON}-timeline-note`).innerText(), /freshly started pool/);
  // The CSV: a line per worker's start, then one per run length.
  const csv = (await lesson.csv(page)).lines;
  assert.equal(
    csv[0],
    'part,what,tasks,n_per_task,workers,startup_ms,sequential_median_ms,sequential_min_ms,sequential_max_ms,first_run_ms,warm_median_ms,warm_min_ms,warm_max_ms,startup_plus_first_ms,load_ms,ready_ms,speedup_with_startup,speedup_warm,verified,checksum,cores',
  );
  assert.deepEqual(
    csv.slice(1).map((line) => line.split(',').slice(0, 2).join()),
    ['worker_startup,worker_0', 'worker_startup,worker_1', 'worker_startup,worker_2', 'run_length,4 × 1 million', 'run_length,4 × 10 million'],
  );
  assert.match(csv[4], /^run_length,4 × 1 million,4,1000000,3(,[\d.]+){9},,(,[\d.]+){2},true,[0-9a-f]+,\d+$/);
});

lesson.test('Cancel stops a long run; a bad run length is refused with a message shown as text', async (page) => {
  await chooseSizes(page, ['1000000000']);
  await page.fill(`[data-testid=${LESSON}-repetitions]`, '5');
  await lesson.start(page);
  await lesson.cancel(page);

  await page.evaluate(() => {
    document.querySelector('[data-testid=startup-size-1000000000]').value = '<i id="italic">many</i>';
  });
  await lesson.refused(page, /Settings refused: sizes must hold only numbers, not "<i id=\\"italic\\">many<\/i>"/);
  assert.equal(await page.locator('#italic').count(), 0);

  await chooseSizes(page, []);
  assert.equal(await page.isDisabled(`[data-testid=${LESSON}-run]`), true);
  assert.match(await page.locator(`[data-testid=${LESSON}-progress-text]`).innerText(), /Choose at least one run length/);
});

lesson.test('without cross-origin isolation the pool still starts and the lesson runs', PLAIN_URL, async (page) => {
  await chooseSizes(page, ['1000000']);
  await page.fill(`[data-testid=${LESSON}-workers]`, '2');
  await page.fill(`[data-testid=${LESSON}-repetitions]`, '1');
  await lesson.run(page);
  await checkRun(page, { workers: 2, sizes: ['1000000'] });
});
