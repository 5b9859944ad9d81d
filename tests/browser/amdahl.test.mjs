// Lesson 6, "Amdahl's law", through its panel: the prediction and the 1/s ceiling show
// before anything runs (20% serial caps at 5x), a sweep fills one row per worker count
// with consistent speedups and predictions and a timeline of the serial chunk and one
// parallel chunk per worker, Gustafson's toggle grows the job, bad settings give
// messages shown as text, Cancel works, and a page without isolation still shows the
// theory. No test asserts a timing or a speedup.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, ISOLATED_URL, PLAIN_URL, openLesson as openLessonAt } from './browser.mjs';

const LESSON = 'amdahl';
const BODY = `#lesson-${LESSON} .lesson-body`;

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

function openLesson(url = ISOLATED_URL) {
  return openLessonAt(browser, LESSON, url);
}

async function runAndWait(page, states = ['done']) {
  await page.click(`[data-testid=${LESSON}-run]`);
  await page.waitForFunction(
    (selector) => ['done', 'error', 'cancelled'].includes(document.querySelector(selector)?.dataset.state),
    BODY,
    { timeout: 60_000 },
  );
  const state = await page.getAttribute(BODY, 'data-state');
  assert.ok(states.includes(state), `ended ${state}: ${await messages(page)}`);
  return state;
}

function messages(page) {
  return page.locator(`[data-testid=${LESSON}-messages]`).innerText();
}

/** A short sweep: small job, one timed run, no warm-up. */
async function smallSweep(page, { most = 3, serial = 20 } = {}) {
  await page.fill(`[data-testid=${LESSON}-serial]`, String(serial));
  await page.fill(`[data-testid=${LESSON}-workers]`, String(most));
  await page.selectOption(`[data-testid=${LESSON}-total]`, '20000000');
  await page.fill(`[data-testid=${LESSON}-repetitions]`, '1');
  await page.fill(`[data-testid=${LESSON}-warmup]`, '0');
}

function sweepRows(page) {
  return page.$$eval(`#${LESSON}-results-table tbody tr`, (trs) =>
    trs.map((r) => Object.fromEntries(Object.entries(r.dataset).map(([k, v]) => [k, Number(v)]))),
  );
}

function near(actual, expected, what) {
  assert.ok(Math.abs(actual - expected) < 1e-9, `${what}: ${actual} is not ${expected}`);
}

test("the prediction and its ceiling show before any run: 20% serial caps at 5x", async () => {
  const { page, problems } = await openLesson();
  const ceiling = page.locator(`[data-testid=${LESSON}-ceiling]`);
  await page.fill(`[data-testid=${LESSON}-serial]`, '20');
  assert.equal(await ceiling.getAttribute('data-ceiling'), '5');
  assert.match(await ceiling.innerText(), /Ceiling 1\/s = 5x/);
  const chart = await page.evaluate(() => {
    const c = window.Chart.getChart(document.getElementById('amdahl-chart-speedup'));
    const amdahl = c.data.datasets[0].data;
    return { labels: c.data.datasets.map((d) => d.label), first: amdahl[0], ceiling: c.options.plugins.referenceLine.value, measured: c.data.datasets.some((d) => d.ranges) };
  });
  assert.match(chart.labels[0], /^Amdahl/);
  assert.deepEqual(chart.first, { x: 1, y: 1 });
  assert.equal(chart.ceiling, 5);
  assert.equal(chart.measured, false, 'nothing measured yet');

  await page.fill(`[data-testid=${LESSON}-serial]`, '50');
  assert.equal(await ceiling.getAttribute('data-ceiling'), '2');
  await page.fill(`[data-testid=${LESSON}-serial]`, '0');
  assert.equal(await ceiling.getAttribute('data-ceiling'), 'none');
  assert.match(await ceiling.innerText(), /No ceiling/);
  // The slider is clamped by construction.
  await page.evaluate(() => {
    const input = document.querySelector('[data-testid=amdahl-serial]');
    input.value = '90';
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
  assert.equal(await page.inputValue(`[data-testid=${LESSON}-serial]`), '50');
  assert.deepEqual(problems, []);
  await page.close();
});

test('a sweep fills one consistent row per worker count, with a timeline of the last run', async () => {
  const { page, problems } = await openLesson();
  await smallSweep(page, { most: 3, serial: 20 });
  await runAndWait(page);
  const rows = await sweepRows(page);
  assert.deepEqual(rows.map((r) => r.workers), [1, 2, 3]);
  for (const r of rows) {
    assert.equal(r.total, 20_000_000, 'a fixed job');
    near(r.predicted, 1 / (0.2 + 0.8 / r.workers), `predicted at k=${r.workers}`);
    assert.ok(r.speedupMin <= r.speedup && r.speedup <= r.speedupMax, `min ≤ median ≤ max at k=${r.workers}`);
  }
  near(rows[1].predicted, 1 / 0.6, 'k = 2 predicts 1.67x');

  // The timeline: the serial chunk, then one chunk per worker of the last sweep step.
  const timeline = page.locator(`[data-testid=${LESSON}-timeline]`);
  assert.equal(await timeline.getAttribute('data-workers'), '3');
  assert.equal(await timeline.getAttribute('data-chunks'), '4');
  const chart = await page.evaluate(() => {
    const c = window.Chart.getChart(document.getElementById('amdahl-chart-speedup'));
    const measured = c.data.datasets.find((d) => d.ranges);
    return { points: measured.data.map((p) => p.x), fitted: c.data.datasets.some((d) => /fitted/.test(d.label)) };
  });
  assert.deepEqual(chart.points, [1, 2, 3]);
  assert.equal(chart.fitted, true);

  const reading = await page.locator(`[data-testid=${LESSON}-reading]`).innerText();
  assert.match(reading, /caps the speedup at 1\/s = 5x/);
  assert.match(reading, /Fitting Amdahl's curve to these points gives a serial fraction of \d/);
  assert.match(await messages(page), /^Done\./m);
  assert.match(await page.locator(`#${LESSON}-table-note`).innerText(), /matched the sequential sum ✓/);
  assert.equal(await page.isEnabled(`[data-testid=${LESSON}-download-csv]`), true);
  assert.deepEqual(problems, []);
  await page.close();
});

test("Gustafson's toggle grows the job with the workers and predicts s + (1 − s)k", async () => {
  const { page, problems } = await openLesson();
  await smallSweep(page, { most: 3, serial: 25 });
  await page.check(`[data-testid=${LESSON}-gustafson]`);
  const labels = await page.evaluate(() => window.Chart.getChart(document.getElementById('amdahl-chart-speedup')).data.datasets.map((d) => d.label));
  assert.ok(labels.some((l) => /^Gustafson/.test(l)), 'its own prediction line');
  await runAndWait(page);
  const rows = await sweepRows(page);
  assert.deepEqual(rows.map((r) => r.workers), [1, 2, 3]);
  for (const r of rows) {
    assert.equal(r.total, 5_000_000 + 15_000_000 * r.workers, `job size at k=${r.workers}`);
    near(r.predicted, 0.25 + 0.75 * r.workers, `predicted at k=${r.workers}`);
  }
  assert.match(await page.locator(`[data-testid=${LESSON}-reading]`).innerText(), /Gustafson's s \+ \(1 − s\)k has no ceiling/);
  // Changing the settings after a run says the points are for the old ones.
  await page.uncheck(`[data-testid=${LESSON}-gustafson]`);
  assert.match(await page.locator(`[data-testid=${LESSON}-stale]`).innerText(), /measured points are for 25% serial with a growing job/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the readings are computed from the numbers', async () => {
  const { page } = await openLesson();
  const out = await page.evaluate(async () => {
    const m = await import(new URL('lessons/amdahl.js', location.href).href);
    const pts = [1, 2, 3, 4].map((k, i) => ({ workers: k, predicted: m.amdahlPrediction(0.2, k), speedup: [1, 1.6, 1.62, 1.55][i] }));
    return {
      twenty: m.describeAmdahl({ serialFraction: 0.2, gustafson: false, cores: 2, points: pts, fitted: 0.3 }),
      none: m.describeAmdahl({ serialFraction: 0, gustafson: false, cores: 2, points: pts.slice(0, 2), fitted: 0 }),
      grow: m.describeAmdahl({ serialFraction: 0.2, gustafson: true, cores: 8, points: [{ workers: 1, speedup: 1, predicted: 1 }, { workers: 2, speedup: 1.5, predicted: 1.8 }], fitted: null }),
      predictions: [m.amdahlPrediction(0.2, 1e9), m.ceilingOf(0.2), m.ceilingOf(0), m.gustafsonPrediction(0.2, 10), m.formatPercent(0.125)],
    };
  });
  assert.match(out.twenty[0], /caps the speedup at 1\/s = 5x .*20% serial can never beat 5x/);
  assert.match(out.twenty[1], /Best measured: 1\.62x with 3 workers, against 2\.14x predicted — 76% of the prediction/);
  assert.match(out.twenty[2], /Past 2 cores, extra workers only take turns: 4 workers measured 1\.55x while the curve .* says 2\.50x/);
  assert.match(out.twenty[3], /serial fraction of 30%, more than the 20% built into the job/);
  assert.match(out.none[0], /no ceiling: only the 2 cores limit/);
  assert.match(out.grow[0], /no ceiling: 1\.80x for 2 workers at 20% serial/);
  assert.equal(out.grow.length, 2, 'no fit and no oversubscription sentence for Gustafson on 8 cores');
  assert.ok(out.predictions[0] < 5 && out.predictions[0] > 4.99);
  assert.deepEqual(out.predictions.slice(1), [5, Infinity, 8.2, '12.5%']);
  await page.close();
});

test('a setting that is not a number is refused with a message shown as text; Cancel stops a long sweep', async () => {
  const { page, problems } = await openLesson();
  await page.evaluate(() => {
    const select = document.querySelector('[data-testid=amdahl-total]');
    select.append(new Option('huge', '<b id="bold">lots</b>'));
    select.value = '<b id="bold">lots</b>';
  });
  await runAndWait(page, ['error']);
  assert.match(await messages(page), /Settings refused: total must be a number, not "<b id=\\"bold\\">lots<\/b>"/);
  assert.equal(await page.locator('#bold').count(), 0);

  await page.selectOption(`[data-testid=${LESSON}-total]`, '1000000000');
  await page.fill(`[data-testid=${LESSON}-workers]`, '4');
  await page.fill(`[data-testid=${LESSON}-repetitions]`, '5');
  await page.click(`[data-testid=${LESSON}-run]`);
  await page.waitForFunction((selector) => document.querySelector(selector)?.dataset.state === 'running', BODY);
  await page.click(`[data-testid=${LESSON}-cancel]`);
  await page.waitForFunction((selector) => document.querySelector(selector)?.dataset.state === 'cancelled', BODY, { timeout: 10_000 });
  assert.match(await messages(page), /Cancelled\./);

  await smallSweep(page, { most: 2 });
  await runAndWait(page);
  assert.equal((await sweepRows(page)).length, 2);
  assert.deepEqual(problems, []);
  await page.close();
});

test('without cross-origin isolation the theory still shows and Run says why it cannot measure', async () => {
  const { page, problems } = await openLesson(PLAIN_URL);
  assert.equal(await page.isDisabled(`[data-testid=${LESSON}-run]`), true);
  assert.match(await page.locator(`[data-testid=${LESSON}-unavailable]`).innerText(), /cross-origin isolated/);
  assert.equal(await page.locator(`[data-testid=${LESSON}-ceiling]`).getAttribute('data-ceiling'), '5');
  assert.equal(await page.evaluate(() => Boolean(window.Chart.getChart(document.getElementById('amdahl-chart-speedup')))), true);
  assert.deepEqual(problems, []);
  await page.close();
});
