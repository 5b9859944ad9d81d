// Lesson 5, "Share results, not state", through its panel: the process pool's list stays
// empty while each worker's copy fills, the shared counter's numbers add up (counted +
// lost = expected, nothing lost by the correct strategies), the readings are the core's
// findings, the CSV holds every run, bad settings give messages and are shown as text,
// Cancel works, and a page without isolation keeps the pool part. What the numbers mean
// is tested in Rust (src/findings/counting.rs). No test asserts a timing.
import assert from 'node:assert/strict';
import { PLAIN_URL, MARKUP, lessonHarness } from './browser.mjs';

const LESSON = 'shared-state';
const lesson = lessonHarness(LESSON);

lesson.test('both experiments run from the panel and their numbers add up', async (page) => {
  await page.fill(`[data-testid=${LESSON}-workers]`, '2');
  await page.fill(`[data-testid=${LESSON}-repetitions]`, '2');
  await page.selectOption(`[data-testid=${LESSON}-increments]`, '10000000');
  assert.equal(await page.isChecked(`[data-testid=${LESSON}-part-pool]`), true);
  assert.equal(await page.isChecked(`[data-testid=${LESSON}-part-count]`), true);
  await lesson.run(page);

  // The process pool: the page's list is empty, each worker's copy holds what it appended.
  const lists = await page.$$eval(`#${LESSON}-list-table tbody tr`, (rows) => rows.map((r) => [r.dataset.list, Number(r.dataset.items)]));
  assert.deepEqual(lists, [
    ['page', 0],
    ['worker-0', 1000],
    ['worker-1', 1000],
  ]);

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
  assert.deepEqual(
    rows.map((r) => r.strategy),
    ['racy_increment', 'atomic_increment', 'return_and_combine'],
  );
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

  // A reading per finding (the list, then each strategy), charts drawn, a success message
  // that ends with the counting summary, no console errors.
  const reading = await lesson.reading(page);
  assert.deepEqual(
    reading.map((r) => [r.kind, r.engine]),
    [
      ['shared_list', undefined],
      ['counting', 'racy_increment'],
      ['counting', 'atomic_increment'],
      ['counting', 'return_and_combine'],
    ],
  );
  assert.ok(
    reading.every((r) => r.text.length > 20),
    JSON.stringify(reading),
  );
  assert.match(reading[0].text, /still empty \(0 items\), although each of the 2 workers appended 1,000 items/);
  assert.match(reading[2].text, /^Atomic increment: exactly 20 million in every run/);
  assert.match(await lesson.messageText(page), /Done\. The page's list stayed empty\. The racy counter lost/);
  const charts = await page.evaluate(() => ['list', 'count', 'time'].map((name) => Boolean(window.Chart.getChart(document.getElementById(`shared-state-chart-${name}`)))));
  assert.deepEqual(charts, [true, true, true]);

  // The CSV: the lists, then every run of every strategy.
  const csv = (await lesson.csv(page)).lines;
  assert.equal(csv[0], 'experiment,what,run,workers,increments_per_worker,expected,counted,lost,ms,items,cores');
  assert.equal(csv.length, 1 + 3 + 3 * 2);
  assert.match(csv[1], /^pool,page_list,,2,,,,,,0,\d+$/);
  assert.match(csv[3], /^pool,worker_1_copy,,2,,,,,,1000,\d+$/);
  assert.match(csv[6], /^shared_memory,atomic_increment,1,2,10000000,20000000,20000000,0,[\d.]+,,\d+$/);
});

lesson.test('settings out of range are clamped with a message; bad ones are refused and shown as text', async (page) => {
  // Only the counter, one worker, far more increments than allowed: clamped, with a warning.
  await page.uncheck(`[data-testid=${LESSON}-part-pool]`);
  await page.fill(`[data-testid=${LESSON}-workers]`, '1');
  await page.fill(`[data-testid=${LESSON}-repetitions]`, '1');
  await lesson.force(page, 'increments', '999999999');
  await lesson.run(page);
  assert.match(await lesson.messageText(page), /increments 999999999 is above the maximum 50000000; using 50000000/);
  const expected = await page.$$eval(`#${LESSON}-count-table tbody tr`, (trs) => trs.map((r) => Number(r.dataset.expected)));
  assert.deepEqual(expected, [50_000_000, 50_000_000, 50_000_000]);
  assert.equal(await page.isHidden(`[data-testid=${LESSON}-pool]`), true, 'the pool part did not run');
  assert.match(await page.locator(`[data-testid=${LESSON}-reading]`).innerText(), /one worker has nobody to race with/);

  // Something that is not a number is refused, and the message shows it as text.
  await lesson.force(page, 'increments', MARKUP);
  await lesson.refused(page, /Settings refused: increments must be a number, not "<img src=x onerror=/);

  // With neither experiment chosen there is nothing to run.
  await page.uncheck(`[data-testid=${LESSON}-part-count]`);
  assert.equal(await page.isDisabled(`[data-testid=${LESSON}-run]`), true);
  assert.match(await page.locator(`[data-testid=${LESSON}-progress-text]`).innerText(), /Choose at least one experiment/);
});

lesson.test('Cancel stops a long count, and the lesson runs again', async (page) => {
  await page.uncheck(`[data-testid=${LESSON}-part-pool]`);
  await page.fill(`[data-testid=${LESSON}-workers]`, '4');
  await page.fill(`[data-testid=${LESSON}-repetitions]`, '10');
  await page.selectOption(`[data-testid=${LESSON}-increments]`, '50000000');
  await lesson.start(page);
  await lesson.cancel(page);

  await page.check(`[data-testid=${LESSON}-part-pool]`);
  await page.fill(`[data-testid=${LESSON}-workers]`, '2');
  await page.fill(`[data-testid=${LESSON}-repetitions]`, '1');
  await page.selectOption(`[data-testid=${LESSON}-increments]`, '1000000');
  await lesson.run(page);
  assert.equal(await page.$$eval(`#${LESSON}-count-table tbody tr`, (trs) => trs.length), 3);
});

lesson.test('without cross-origin isolation the counter is switched off with its reason and the list still runs', PLAIN_URL, async (page) => {
  assert.equal(await page.isDisabled(`[data-testid=${LESSON}-part-count]`), true);
  assert.equal(await page.isChecked(`[data-testid=${LESSON}-part-count]`), false);
  assert.match(await page.locator(`[data-testid=${LESSON}-part-count-reason]`).innerText(), /cross-origin isolated/);
  await page.fill(`[data-testid=${LESSON}-workers]`, '3');
  await lesson.run(page);
  const lists = await page.$$eval(`#${LESSON}-list-table tbody tr`, (rows) => rows.map((r) => Number(r.dataset.items)));
  assert.deepEqual(lists, [0, 1000, 1000, 1000]);
  assert.equal(await page.isHidden(`[data-testid=${LESSON}-count]`), true);
});
