// Lesson 5, "Share results, not state", through its panel: the process pool's list stays
// empty while each worker's copy fills, the shared counter's numbers add up (counted +
// lost = expected, nothing lost by the correct strategies), bad settings give messages
// and are shown as text, Cancel works, and a page without isolation keeps the pool part.
// No test asserts a timing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, ISOLATED_URL, PLAIN_URL, openLesson as openLessonAt } from './browser.mjs';

const LESSON = 'shared-state';
const BODY = `#lesson-${LESSON} .lesson-body`;

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** Opens the lesson and waits until its panel is mounted; collects console errors. */
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

/** Adds an option with `value` to a select and chooses it: input no slider can give. */
function forceOption(page, testId, value) {
  return page.evaluate(
    ({ testId, value }) => {
      const select = document.querySelector(`[data-testid=${testId}]`);
      select.append(new Option(value, value));
      select.value = value;
      select.dispatchEvent(new Event('change', { bubbles: true }));
    },
    { testId, value },
  );
}

test('both experiments run from the panel and their numbers add up', async () => {
  const { page, problems } = await openLesson();
  await page.fill(`[data-testid=${LESSON}-workers]`, '2');
  await page.fill(`[data-testid=${LESSON}-repetitions]`, '2');
  await page.selectOption(`[data-testid=${LESSON}-increments]`, '10000000');
  assert.equal(await page.isChecked(`[data-testid=${LESSON}-part-pool]`), true);
  assert.equal(await page.isChecked(`[data-testid=${LESSON}-part-count]`), true);
  await runAndWait(page);

  // The process pool: the page's list is empty, each worker's copy holds what it appended.
  const lists = await page.$$eval(`#${LESSON}-list-table tbody tr`, (rows) => rows.map((r) => [r.dataset.list, Number(r.dataset.items)]));
  assert.deepEqual(lists, [['page', 0], ['worker-0', 1000], ['worker-1', 1000]]);

  // Shared memory: every run of every strategy adds up to the expected count.
  const rows = await page.$$eval(`#${LESSON}-count-table tbody tr`, (trs) =>
    trs.map((r) => ({
      strategy: r.dataset.strategy,
      expected: Number(r.dataset.expected),
      counted: r.dataset.counted.split(',').map(Number),
      lost: r.dataset.lost.split(',').map(Number),
      exact: r.dataset.exact,
    })),
  );
  assert.deepEqual(rows.map((r) => r.strategy), ['racy_increment', 'atomic_increment', 'return_and_combine']);
  for (const r of rows) {
    assert.equal(r.expected, 2 * 10_000_000, r.strategy);
    assert.equal(r.counted.length, 2, `${r.strategy}: every repetition is kept`);
    r.counted.forEach((counted, i) => {
      assert.ok(r.lost[i] >= 0 && r.lost[i] <= r.expected, `${r.strategy} lost ${r.lost[i]}`);
      assert.equal(counted + r.lost[i], r.expected, `${r.strategy} run ${i}: counted + lost = expected`);
    });
  }
  for (const strategy of ['atomic_increment', 'return_and_combine']) {
    const r = rows.find((row) => row.strategy === strategy);
    assert.deepEqual(r.lost, [0, 0], `${strategy} never loses an update`);
    assert.equal(r.exact, 'true');
  }

  // A reading per finding, charts drawn, a success message, no console errors.
  const reading = await page.$$eval(`[data-testid=${LESSON}-reading] li`, (items) => items.map((li) => li.textContent));
  assert.equal(reading.length, 4);
  assert.match(reading[0], /still empty \(0 items\)/);
  assert.match(await messages(page), /Done\. The page's list stayed empty\./);
  const charts = await page.evaluate(() => ['list', 'count', 'time'].map((name) => Boolean(window.Chart.getChart(document.getElementById(`shared-state-chart-${name}`)))));
  assert.deepEqual(charts, [true, true, true]);
  assert.equal(await page.isEnabled(`[data-testid=${LESSON}-download-csv]`), true);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the readings are computed from the numbers', async () => {
  const { page } = await openLesson();
  const out = await page.evaluate(async () => {
    const m = await import(new URL('lessons/shared-state.js', location.href).href);
    const run = (counted, lost, ms) => ({ counted, lost, expected: 1000, ms });
    const result = {
      workers: 2,
      increments: 500,
      strategies: [
        { strategy: 'racy_increment', expected: 1000, runs: [run(900, 100, 5), run(700, 300, 6), run(800, 200, 7)], summary: { median: 6, min: 5, max: 7 } },
        { strategy: 'atomic_increment', expected: 1000, runs: [run(1000, 0, 40), run(1000, 0, 40)], summary: { median: 40, min: 40, max: 40 } },
        { strategy: 'return_and_combine', expected: 1000, runs: [run(1000, 0, 4), run(1000, 0, 4)], summary: { median: 4, min: 4, max: 4 } },
      ],
    };
    const rows = m.countRows(result);
    const quietRacy = m.countRows({ ...result, strategies: [{ ...result.strategies[0], runs: [run(1000, 0, 1)] }] });
    return {
      shown: rows[0].counted,
      lines: rows.map((r) => m.describeStrategy(r, rows, 2)),
      summary: m.summarizeCounts(rows, 2),
      alone: m.describeStrategy(quietRacy[0], quietRacy, 1),
      overlapless: m.describeStrategy(quietRacy[0], quietRacy, 2),
      list: m.describeSharedList({ parentLength: 0, workerLengths: [1000, 1000, 1000], appendedPerWorker: 1000 }),
      leaked: m.describeSharedList({ parentLength: 5, workerLengths: [1000], appendedPerWorker: 1000 }),
    };
  });
  assert.equal(out.shown, 800, 'the median run is shown');
  assert.match(out.lines[0], /ended at 800 instead of 1,000 .* 200 updates \(20%\).*100 to 300/);
  assert.match(out.lines[1], /exactly 1,000 in every run, but 10\.0x as slow as returning and combining \(40\.0 ms against 4\.00 ms\)/);
  assert.match(out.lines[2], /the fastest exact way \(4\.00 ms\)/);
  assert.match(out.summary, /^The racy counter lost 20% of its updates; atomic increments were exact but 10\.0x as slow/);
  assert.match(out.alone, /one worker has nobody to race with/);
  assert.match(out.overlapless, /hardly ran at the same moment/);
  assert.match(out.list, /still empty \(0 items\), although each of the 3 workers appended 1,000 items/);
  assert.match(out.leaked, /should not happen/);
  await page.close();
});

test('settings out of range are clamped with a message; bad ones are refused and shown as text', async () => {
  const { page, problems } = await openLesson();
  // Only the counter, one worker, far more increments than allowed: clamped, with a warning.
  await page.uncheck(`[data-testid=${LESSON}-part-pool]`);
  await page.fill(`[data-testid=${LESSON}-workers]`, '1');
  await page.fill(`[data-testid=${LESSON}-repetitions]`, '1');
  await forceOption(page, `${LESSON}-increments`, '999999999');
  await runAndWait(page);
  assert.match(await messages(page), /increments 999999999 is above the maximum 50000000; using 50000000/);
  const expected = await page.$$eval(`#${LESSON}-count-table tbody tr`, (trs) => trs.map((r) => Number(r.dataset.expected)));
  assert.deepEqual(expected, [50_000_000, 50_000_000, 50_000_000]);
  assert.equal(await page.isHidden(`[data-testid=${LESSON}-pool]`), true, 'the pool part did not run');
  assert.match(await page.locator(`[data-testid=${LESSON}-reading]`).innerText(), /one worker has nobody to race with/);

  // Something that is not a number is refused, and the message shows it as text.
  const hostile = '<img src=x onerror="window.__injected = 1">';
  await forceOption(page, `${LESSON}-increments`, hostile);
  await runAndWait(page, ['error']);
  const text = await messages(page);
  assert.match(text, /Settings refused: increments must be a number, not "<img src=x onerror=/);
  assert.equal(await page.locator(`#lesson-${LESSON} img`).count(), 0);
  assert.equal(await page.evaluate(() => window.__injected), undefined);

  // With neither experiment chosen there is nothing to run.
  await page.uncheck(`[data-testid=${LESSON}-part-count]`);
  assert.equal(await page.isDisabled(`[data-testid=${LESSON}-run]`), true);
  assert.match(await page.locator(`[data-testid=${LESSON}-progress-text]`).innerText(), /Choose at least one experiment/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('Cancel stops a long count, and the lesson runs again', async () => {
  const { page, problems } = await openLesson();
  await page.uncheck(`[data-testid=${LESSON}-part-pool]`);
  await page.fill(`[data-testid=${LESSON}-workers]`, '4');
  await page.fill(`[data-testid=${LESSON}-repetitions]`, '10');
  await page.selectOption(`[data-testid=${LESSON}-increments]`, '50000000');
  await page.click(`[data-testid=${LESSON}-run]`);
  await page.waitForFunction((selector) => document.querySelector(selector)?.dataset.state === 'running', BODY);
  await page.click(`[data-testid=${LESSON}-cancel]`);
  await page.waitForFunction((selector) => document.querySelector(selector)?.dataset.state === 'cancelled', BODY, { timeout: 10_000 });
  assert.match(await messages(page), /Cancelled\./);
  assert.equal(await page.isEnabled(`[data-testid=${LESSON}-run]`), true);

  await page.check(`[data-testid=${LESSON}-part-pool]`);
  await page.fill(`[data-testid=${LESSON}-workers]`, '2');
  await page.fill(`[data-testid=${LESSON}-repetitions]`, '1');
  await page.selectOption(`[data-testid=${LESSON}-increments]`, '1000000');
  await runAndWait(page);
  assert.equal(await page.$$eval(`#${LESSON}-count-table tbody tr`, (trs) => trs.length), 3);
  assert.deepEqual(problems, []);
  await page.close();
});

test('without cross-origin isolation the counter is switched off with its reason and the list still runs', async () => {
  const { page, problems } = await openLesson(PLAIN_URL);
  assert.equal(await page.isDisabled(`[data-testid=${LESSON}-part-count]`), true);
  assert.equal(await page.isChecked(`[data-testid=${LESSON}-part-count]`), false);
  assert.match(await page.locator(`[data-testid=${LESSON}-part-count-reason]`).innerText(), /cross-origin isolated/);
  await page.fill(`[data-testid=${LESSON}-workers]`, '3');
  await runAndWait(page);
  const lists = await page.$$eval(`#${LESSON}-list-table tbody tr`, (rows) => rows.map((r) => Number(r.dataset.items)));
  assert.deepEqual(lists, [0, 1000, 1000, 1000]);
  assert.equal(await page.isHidden(`[data-testid=${LESSON}-count]`), true);
  assert.deepEqual(problems, []);
  await page.close();
});
