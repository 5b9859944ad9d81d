// Lesson 4, "Everything crossing over is copied", driven through its panel in Chromium:
// the closure is refused with the browser's real DataCloneError (shown as text), the
// named workload runs and matches the sequential checksum, payloads are shipped three
// ways with every byte checked, clamped settings are reported, Cancel works, and the
// non-isolated page explains why shared memory is missing. Measurements add up: a sweep
// keeps the sizes measured before. The readings are the core's findings (what they say is
// tested in Rust, src/findings/payload.rs), and the sweep's sizes come from the core's
// plan, which arrives after a change, so the tests wait for it. No test asserts a timing.
import assert from 'node:assert/strict';
import { PLAIN_URL, lessonHarness } from './browser.mjs';

const lesson = lessonHarness('copying');

/** Moves the log-scale size slider to the step that shows `label` (e.g. "100 KB"). */
const setSize = (page, label) => lesson.pick(page, 'payload', label);

lesson.test('a closure is refused with the real DataCloneError, and the named workload runs', async (page) => {
  await lesson.run(page, 'done', 'send');
  const shown = await page.evaluate(() => {
    const box = document.querySelector('[data-testid=copying-send-error]');
    const code = box.querySelector('code');
    return { text: code.textContent, elements: [...code.querySelectorAll('*')].map((e) => e.tagName), result: document.querySelector('[data-testid=copying-send-result]').dataset };
  });
  // The message is the browser's own, shown verbatim and as text only.
  const direct = await page.evaluate(() => window.parallelPlayground.call('sendFunction', {}));
  assert.equal(direct.sent, false);
  assert.equal(direct.name, 'DataCloneError');
  assert.equal(shown.text, `DataCloneError: ${direct.message}`);
  assert.match(shown.text, /could not be cloned/);
  assert.deepEqual(shown.elements, ['STRONG']);
  assert.equal(shown.result.sent, 'false');
  assert.equal(shown.result.errorName, 'DataCloneError');

  await lesson.run(page, 'done', 'fix');
  const fix = await page.evaluate(() => {
    const out = document.querySelector('[data-testid=copying-fix-result]');
    const chart = globalThis.Chart.getChart(document.querySelector('[data-testid=copying-chart-fix]'));
    return { ...out.dataset, text: out.textContent, items: [...out.querySelectorAll('li')].map((li) => li.textContent), bars: chart?.data.datasets[0].data.length };
  });
  assert.equal(fix.chunks, '8');
  assert.equal(fix.verified, 'true');
  assert.equal(fix.bars, 8);
  assert.match(fix.text, /map\(square, range\(8\)\) ran on the process pool: 8 chunks on \d workers?/);
  assert.match(fix.text, /✓ checksum [0-9a-f]{16} matches the sequential run/);
  // Every input 0..7 was squared exactly once, by some worker.
  const inputs = fix.items
    .flatMap((line) =>
      line
        .replace(/^worker \d+ squared /, '')
        .split(', ')
        .map(Number),
    )
    .sort((a, b) => a - b);
  assert.deepEqual(inputs, [0, 1, 2, 3, 4, 5, 6, 7]);
});

lesson.test('one payload size is shipped three ways, every byte checked', async (page) => {
  await setSize(page, '1 MB');
  await lesson.set(page, 'repetitions', 2);
  assert.equal(await page.textContent('[data-testid=copying-run]'), 'Measure 1 MB');
  await lesson.run(page);
  const rows = await lesson.rows(page);
  assert.deepEqual(
    rows.map((r) => [r.bytes, r.mode, r.available, r.verified]),
    [
      [1e6, 'copy', true, true],
      [1e6, 'transfer', true, true],
      [1e6, 'shared', true, true],
    ],
  );
  // The readings are the core's findings on the size, one per mode, then what costs there.
  const readings = await lesson.reading(page);
  assert.deepEqual(
    readings.map((r) => r.kind),
    ['copied', 'transferred', 'shared', 'bytes_or_message'],
  );
  assert.match(readings[0].text, /^Copy: shipping 1 MB took /);
  assert.match(readings[3].text, /^At 1 MB /);
  assert.match(await page.textContent('[data-testid=copying-messages]'), /Done\. Copy: shipping 1 MB took /);
  const bars = await page.evaluate(() => globalThis.Chart.getChart(document.querySelector('[data-testid=copying-chart-bars]')).data.datasets.map((d) => d.data.length));
  assert.deepEqual(bars, [3, 3]);
  assert.equal(await page.isHidden('[data-testid=copying-chart-sweep]'), true, 'one size: no size chart yet');

  // A sweep adds the smaller sizes and the size chart.
  await setSize(page, '100 KB');
  await lesson.waitForText(page, 'sweep', 'Sweep 1 KB → 100 KB');
  assert.equal(await page.textContent('#copying-run-hint'), 'Sweep measures 1 KB, 10 KB, 100 KB.');
  await lesson.run(page, 'done', 'sweep');
  const swept = await lesson.rows(page);
  assert.deepEqual([...new Set(swept.map((r) => r.bytes))], [1e3, 1e4, 1e5, 1e6]);
  assert.equal(swept.length, 12);
  assert.ok(swept.every((r) => r.verified));
  const lines = await page.evaluate(() => globalThis.Chart.getChart(document.querySelector('[data-testid=copying-chart-sweep]')).data.datasets.map((d) => d.label));
  assert.deepEqual(lines.slice(0, 3), ['shipping: copy', 'shipping: transfer', 'shipping: shared']);
  assert.match(await page.textContent('[data-testid=copying-reading]'), /From 1 KB to 1 MB \(1,000 times the bytes\), copying went from/);

  // The CSV has one line per size and mode, each as wide as its header.
  const { name, lines: csv } = await lesson.csv(page);
  assert.match(name, /^parallel-playground-copying-\d{4}-\d\d-\d\dT\d{6}\.csv$/);
  assert.equal(csv[0], 'bytes,mode,available,ship_median_ms,ship_min_ms,ship_max_ms,compute_median_ms,compute_min_ms,compute_max_ms,ship_runs_ms,reason');
  assert.deepEqual(
    csv.slice(1).map((line) => line.split(',').slice(0, 3).join()),
    swept.map((r) => `${r.bytes},${r.mode},true`),
  );
  assert.ok(
    csv.slice(1).every((line) => line.split(',').length === 11),
    csv.join('\n'),
  );
});

lesson.test('a setting pushed past its range is clamped by the driver, with its message shown', async (page) => {
  await setSize(page, '1 KB');
  // Past the slider's end, as a script could set it: the page sends it as it stands.
  await page.evaluate(() => {
    const input = document.querySelector('[data-testid=copying-repetitions]');
    input.max = '25';
    input.value = '25';
  });
  await lesson.run(page);
  const messages = await page.$$eval('[data-testid=copying-messages] .message-warning', (ps) => ps.map((p) => p.textContent));
  assert.deepEqual(messages, ['repetitions 25 is above the maximum 20; using 20']);
  assert.equal((await lesson.rows(page)).length, 3);
});

lesson.test('Cancel stops a big payload and the lesson measures again afterwards', async (page) => {
  await setSize(page, '200 MB');
  assert.match(await page.textContent('#copying-payload-note'), /Cancel stops it/);
  // Ids are unique in the lesson: the size slider's id belongs to it alone.
  const ids = await page.$$eval('#lesson-copying [id]', (nodes) => nodes.map((n) => n.id));
  assert.deepEqual(
    ids.filter((id, i) => ids.indexOf(id) !== i),
    [],
  );
  await lesson.set(page, 'repetitions', 10);
  await lesson.start(page);
  await lesson.cancel(page);

  await setSize(page, '10 KB');
  await lesson.set(page, 'repetitions', 1);
  await lesson.run(page);
  assert.deepEqual(
    (await lesson.rows(page)).map((r) => r.bytes),
    [1e4, 1e4, 1e4],
  );
});

lesson.test('without isolation, shared memory is explained as unavailable and the rest still works', PLAIN_URL, async (page) => {
  assert.match(await page.textContent('#copying-shared-reason'), /cross-origin isolated/);
  await lesson.run(page, 'done', 'send');
  assert.match(await page.textContent('[data-testid=copying-send-error]'), /DataCloneError: .*could not be cloned/);
  await lesson.run(page, 'done', 'fix');
  assert.equal(await page.getAttribute('[data-testid=copying-fix-result]', 'data-verified'), 'true');
  await setSize(page, '10 KB');
  await lesson.set(page, 'repetitions', 2);
  await lesson.run(page);
  const rows = await lesson.rows(page);
  assert.deepEqual(
    rows.map((r) => [r.mode, r.available, r.verified]),
    [
      ['copy', true, true],
      ['transfer', true, true],
      ['shared', false, false],
    ],
  );
  assert.match(rows[2].text, /unavailable: shared memory needs a cross-origin isolated page/);
  const unavailable = await page.$eval('[data-testid=copying-reading] li[data-kind=mode_unavailable]', (li) => [li.dataset.engine, li.textContent]);
  assert.equal(unavailable[0], 'shared');
  assert.match(unavailable[1], /^Shared memory: not measured here: shared memory needs a cross-origin isolated page\./);
});
