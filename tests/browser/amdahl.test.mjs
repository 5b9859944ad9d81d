// Lesson 6, "Amdahl's law", through its panel: the prediction and the 1/s ceiling, which
// the core computes for the settings shown, appear before anything runs (20% serial caps
// at 5x); a sweep fills one row per worker count with consistent speedups and
// predictions, a reading rendered from the core's findings, and a timeline of the serial
// chunk and one parallel chunk per worker; Gustafson's toggle grows the job, bad settings
// give messages shown as text, Cancel works, and a page without isolation still shows
// the theory. What the findings say is tested in Rust (src/findings/phased.rs). No test
// asserts a timing or a speedup.
import assert from 'node:assert/strict';
import { PLAIN_URL, lessonHarness } from './browser.mjs';

const LESSON = 'amdahl';
const lesson = lessonHarness(LESSON);

/** A short sweep: small job, one timed run, no warm-up. */
async function smallSweep(page, { most = 3, serial = 20 } = {}) {
  await page.fill(`[data-testid=${LESSON}-serial]`, String(serial));
  await page.fill(`[data-testid=${LESSON}-workers]`, String(most));
  await page.selectOption(`[data-testid=${LESSON}-total]`, '20000000');
  await page.fill(`[data-testid=${LESSON}-repetitions]`, '1');
  await page.fill(`[data-testid=${LESSON}-warmup]`, '0');
}

/** Runs the sweep and answers its rows, checking there is one per worker count from 1 to `most`. */
async function runSweep(page, most) {
  await lesson.run(page);
  const rows = await page.$$eval(`#${LESSON}-results-table tbody tr`, (trs) => trs.map((r) => Object.fromEntries(Object.entries(r.dataset).map(([k, v]) => [k, Number(v)]))));
  assert.deepEqual(
    rows.map((r) => r.workers),
    Array.from({ length: most }, (_, i) => i + 1),
  );
  return rows;
}

/** Waits until the note under the speedup chart (the ceiling, then any stale note) matches `pattern`. */
function noteMatches(page, pattern) {
  return page.waitForFunction(
    ([source, flags]) => new RegExp(source, flags).test(document.querySelector('#amdahl-speedup-note')?.textContent ?? ''),
    [pattern.source, pattern.flags],
  );
}

/** The speedup chart as drawn (once the chart library, loaded on the first chart due, has drawn it): each series' label, its points and whether it
 * has whiskers, and its description. */
async function speedupChart(page) {
  await page.waitForFunction(() => window.Chart?.getChart(document.getElementById('amdahl-chart-speedup')));
  return page.evaluate(() => {
    const canvas = document.getElementById('amdahl-chart-speedup');
    const c = window.Chart.getChart(canvas);
    const series = c.data.datasets.map((d) => ({ label: d.label, points: d.data.map((p) => ({ x: p.x, y: p.y })), whiskers: d.ranges.some(Boolean) }));
    return { series, aria: canvas.getAttribute('aria-label') };
  });
}

function near(actual, expected, what) {
  assert.ok(Math.abs(actual - expected) < 1e-9, `${what}: ${actual} is not ${expected}`);
}

lesson.test('the prediction and its ceiling show before any run: 20% serial caps at 5x', async (page) => {
  await page.fill(`[data-testid=${LESSON}-serial]`, '20');
  await noteMatches(page, /^Ceiling 1\/s = 5x: Amdahl's limit for 20% serial\.$/);
  const chart = await speedupChart(page);
  assert.match(chart.series[0].label, /^Amdahl: 1\/\(s \+ \(1−s\)\/k\), s = 20%/);
  // The curve the core computed: 1 at one worker, 2.5x at four, under the ceiling at sixteen.
  assert.deepEqual(chart.series[0].points.slice(0, 1), [{ x: 1, y: 1 }]);
  near(chart.series[0].points[3].y, 2.5, 'Amdahl at k = 4');
  assert.deepEqual(
    chart.series[0].points.map((p) => p.x),
    Array.from({ length: 16 }, (_, i) => i + 1),
  );
  assert.ok(chart.series[0].points.every((p) => p.y < 5));
  // Beside it, the same law on this device: the two agree up to the cores, then part.
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  const device = chart.series.find((s) => /on this device/.test(s.label));
  for (const p of device.points) near(p.y, 1 / (0.2 + 0.8 / Math.min(p.x, cores)), `on ${cores} cores at k = ${p.x}`);
  assert.equal(/past them the curves part/.test(chart.aria), cores < 16, chart.aria);
  assert.match(chart.aria, /ceiling 1\/s = 5x\./);
  assert.equal(
    chart.series.some((s) => s.whiskers),
    false,
    'nothing measured yet',
  );

  await page.fill(`[data-testid=${LESSON}-serial]`, '50');
  await noteMatches(page, /^Ceiling 1\/s = 2x/);
  await page.fill(`[data-testid=${LESSON}-serial]`, '0');
  await noteMatches(page, /^No ceiling at 0% serial/);
  assert.doesNotMatch((await speedupChart(page)).aria, /ceiling 1\/s/);
  // The slider is clamped by construction.
  await page.evaluate(() => {
    const input = document.querySelector('[data-testid=amdahl-serial]');
    input.value = '90';
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
  assert.equal(await page.inputValue(`[data-testid=${LESSON}-serial]`), '50');
});

lesson.test('a sweep fills one consistent row per worker count, with a timeline of the last run', async (page) => {
  await smallSweep(page, { most: 3, serial: 20 });
  const rows = await runSweep(page, 3);
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  for (const r of rows) {
    assert.equal(r.total, 20_000_000, 'a fixed job');
    near(r.predicted, 1 / (0.2 + 0.8 / Math.min(r.workers, cores)), `predicted on ${cores} cores at k=${r.workers}`);
    assert.ok(r.speedupMin <= r.speedup && r.speedup <= r.speedupMax, `min ≤ median ≤ max at k=${r.workers}`);
  }
  near(rows[1].predicted, 1 / 0.6, 'k = 2 predicts 1.67x');

  // The timeline: the serial chunk, then the last sweep step's 8 chunks per worker, which its 3 workers took in turn (a worker that woke late
  // may have found none left, so the lanes shown are at most 3).
  const timeline = page.locator(`[data-testid=${LESSON}-timeline]`);
  const lanes = Number(await timeline.getAttribute('data-workers'));
  assert.ok(lanes >= 1 && lanes <= 3, `${lanes} lanes for 3 workers`);
  assert.equal(await timeline.getAttribute('data-chunks'), String(1 + 3 * 8));
  const chart = await speedupChart(page);
  const measured = chart.series.filter((s) => s.whiskers);
  assert.deepEqual(
    measured.map((s) => s.points.map((p) => p.x)),
    [[1, 2, 3]],
  );
  const fitted = chart.series.find((s) => /fitted/.test(s.label));
  assert.deepEqual(
    fitted.points.map((p) => p.x),
    [1, 2, 3],
  );
  assert.equal(fitted.points[0].y, 1);

  // The reading is the core's findings in words, each item marked with its kind.
  const items = await page.$$eval(`#${LESSON}-reading li`, (lis) => lis.map((li) => ({ kind: li.dataset.kind, text: li.textContent })));
  // A short job on a busy machine may spread too much to fit: then the page says so.
  const fit = items.at(-1).kind;
  assert.deepEqual(
    items.map((i) => i.kind),
    ['amdahl_law', 'phased_best', ...(3 > cores ? ['phased_past_cores'] : []), fit],
  );
  assert.ok(['fitted_serial', 'fit_refused'].includes(fit), fit);
  assert.match(items[0].text, /caps the speedup at 1\/s = 5x/);
  assert.match(
    items.at(-1).text,
    fit === 'fitted_serial'
      ? /^Fitting Amdahl's curve on this device's cores to these points gives a serial fraction of \d+(\.\d)?% \(the runs' spread allows \d/
      : /^No serial fraction is fitted: the runs spread so much/,
  );
  assert.match(await lesson.messageText(page), /^Done\. With 20% of the job serial/m);
  assert.match(await page.locator(`#${LESSON}-results-table-note`).innerText(), /matched the sequential sum ✓/);
  // The CSV: a line per worker count, with the settings, the summaries and the fit.
  const csv = (await lesson.csv(page)).lines.map((line) => line.split(','));
  assert.deepEqual(csv[0], [
    'workers',
    'serial_fraction',
    'gustafson',
    'iterations',
    'sequential_median_ms',
    'sequential_min_ms',
    'sequential_max_ms',
    'parallel_median_ms',
    'parallel_min_ms',
    'parallel_max_ms',
    'speedup',
    'speedup_min',
    'speedup_max',
    'predicted',
    'predicted_core_per_worker',
    'serial_ms_last_run',
    'parallel_ms_last_run',
    'fitted_serial_fraction',
    'cores',
    'verified',
  ]);
  assert.deepEqual(
    csv.slice(1).map((row) => [row[0], row[1], row[2], row[3], row.at(-2), row.at(-1)]),
    [1, 2, 3].map((k) => [String(k), '0.2', 'false', '20000000', String(cores), 'true']),
  );
});

lesson.test("Gustafson's toggle grows the job with the workers and predicts s + (1 − s)k", async (page) => {
  await smallSweep(page, { most: 3, serial: 25 });
  await page.check(`[data-testid=${LESSON}-gustafson]`);
  await noteMatches(page, /^Ceiling 1\/s = 4x: Amdahl's limit for 25% serial \(a fixed-size job\)/);
  const gustafson = (await speedupChart(page)).series.find((s) => /^Gustafson/.test(s.label));
  assert.ok(gustafson, 'its own prediction line');
  near(gustafson.points[1].y, 0.25 + 0.75 * 2, 'Gustafson at k = 2');
  const rows = await runSweep(page, 3);
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  for (const r of rows) {
    assert.equal(r.total, 5_000_000 + 15_000_000 * r.workers, `job size at k=${r.workers}`);
    // k workers on fewer cores: the grown job takes s + (1 − s)k/cores of one worker's time.
    const m = Math.min(r.workers, cores);
    near(r.predicted, (0.25 + 0.75 * r.workers) / (0.25 + (0.75 * r.workers) / m), `predicted on ${cores} cores at k=${r.workers}`);
  }
  assert.match(await page.locator(`[data-testid=${LESSON}-reading]`).innerText(), /Gustafson's s \+ \(1 − s\)k has no ceiling/);
  // Changing the settings after a run says the points are for the old ones.
  await page.uncheck(`[data-testid=${LESSON}-gustafson]`);
  await noteMatches(page, /The measured points are for 25% serial with a growing job; press Run/);
});

lesson.test('a setting that is not a number is refused with a message shown as text; Cancel stops a long sweep', async (page) => {
  await lesson.force(page, 'total', '<b id="bold">lots</b>');
  await lesson.refused(page, /Settings refused: total must be a number, not "<b id=\\"bold\\">lots<\/b>"/);
  assert.equal(await page.locator('#bold').count(), 0);

  await page.selectOption(`[data-testid=${LESSON}-total]`, '1000000000');
  await page.fill(`[data-testid=${LESSON}-workers]`, '4');
  await page.fill(`[data-testid=${LESSON}-repetitions]`, '5');
  await lesson.start(page);
  await lesson.cancel(page);

  await smallSweep(page, { most: 2 });
  await runSweep(page, 2);
});

lesson.test('without cross-origin isolation the theory still shows and Run says why it cannot measure', PLAIN_URL, async (page) => {
  assert.equal(await page.isDisabled(`[data-testid=${LESSON}-run]`), true);
  assert.match(await page.locator(`[data-testid=${LESSON}-unavailable]`).innerText(), /cross-origin isolated/);
  await noteMatches(page, /^Ceiling 1\/s = 5x/);
  assert.deepEqual(
    (await speedupChart(page)).series.map((s) => s.label.replace(/:.*/, '')),
    ['Amdahl', `Amdahl on this device's ${await page.evaluate(() => navigator.hardwareConcurrency)} cores`],
    'the prediction, as written and on this device, with nothing measured',
  );
});
