// Lesson 4, "Everything crossing over is copied", driven through its panel in Chromium:
// the closure is refused with the browser's real DataCloneError (shown as text), the
// named workload runs and matches the sequential checksum, payloads are shipped three
// ways with every byte checked, clamped settings are reported, Cancel works, and the
// non-isolated page explains why shared memory is missing. No test asserts a timing.
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

const PANEL = '#lesson-copying .lesson-body';

function openLesson(url = ISOLATED_URL) {
  return openLessonAt(browser, 'copying', url);
}

async function setRange(page, testid, value) {
  await page.evaluate(
    ({ testid, value }) => {
      const input = document.querySelector(`[data-testid="${testid}"]`);
      input.value = String(value);
      input.dispatchEvent(new Event('input', { bubbles: true }));
    },
    { testid, value },
  );
}

/** Moves the log-scale size slider to the step that shows `label` (e.g. "100 KB"). */
async function setSize(page, label) {
  const found = await page.evaluate((wanted) => {
    const input = document.querySelector('[data-testid="copying-size"]');
    const output = document.querySelector('[data-testid="copying-size-value"]');
    for (let i = Number(input.min); i <= Number(input.max); i++) {
      input.value = String(i);
      input.dispatchEvent(new Event('input', { bubbles: true }));
      if (output.value === wanted) return true;
    }
    return false;
  }, label);
  assert.ok(found, `the size slider offers ${label}`);
}

async function clickAndWait(page, testid, state = 'done') {
  await page.click(`[data-testid=${testid}]`);
  await page.waitForSelector(`${PANEL}[data-state=${state}]`, { timeout: 60_000 });
}

function tableRows(page) {
  return page.$$eval('#copying-results-table-body tr', (rows) =>
    rows.map((tr) => ({ bytes: Number(tr.dataset.bytes), mode: tr.dataset.mode, available: tr.dataset.available === 'true', text: tr.textContent, checked: tr.querySelector('td.verified') !== null })),
  );
}

test('a closure is refused with the real DataCloneError, and the named workload runs', async () => {
  const { page, problems } = await openLesson();
  await clickAndWait(page, 'copying-send');
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

  await clickAndWait(page, 'copying-fix');
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
  const inputs = fix.items.flatMap((line) => line.replace(/^worker \d+ squared /, '').split(', ').map(Number)).sort((a, b) => a - b);
  assert.deepEqual(inputs, [0, 1, 2, 3, 4, 5, 6, 7]);
  assert.deepEqual(problems, []);
  await page.close();
});

test('one payload size is shipped three ways, every byte checked', async () => {
  const { page, problems } = await openLesson();
  await setSize(page, '1 MB');
  await setRange(page, 'copying-repetitions', 2);
  assert.equal(await page.textContent('[data-testid=copying-run]'), 'Measure 1 MB');
  await clickAndWait(page, 'copying-run');
  const rows = await tableRows(page);
  assert.deepEqual(rows.map((r) => [r.bytes, r.mode, r.available, r.checked]), [
    [1e6, 'copy', true, true],
    [1e6, 'transfer', true, true],
    [1e6, 'shared', true, true],
  ]);
  const readings = await page.$$eval('[data-testid=copying-reading] li', (lis) => lis.map((li) => [li.dataset.mode, li.textContent]));
  assert.deepEqual(readings.map(([mode]) => mode), ['copy', 'transfer', 'shared', 'summary']);
  assert.match(readings[0][1], /^Copy: shipping 1 MB took /);
  const bars = await page.evaluate(() => globalThis.Chart.getChart(document.querySelector('[data-testid=copying-chart-bars]')).data.datasets.map((d) => d.data.length));
  assert.deepEqual(bars, [3, 3]);
  assert.equal(await page.isHidden('[data-testid=copying-chart-sweep]'), true, 'one size: no size chart yet');

  // A sweep adds the smaller sizes and the size chart.
  await setSize(page, '100 KB');
  assert.equal(await page.textContent('[data-testid=copying-sweep]'), 'Sweep 1 KB → 100 KB');
  await clickAndWait(page, 'copying-sweep');
  const swept = await tableRows(page);
  assert.deepEqual([...new Set(swept.map((r) => r.bytes))], [1e3, 1e4, 1e5, 1e6]);
  assert.equal(swept.length, 12);
  assert.ok(swept.every((r) => r.checked));
  const lines = await page.evaluate(() => globalThis.Chart.getChart(document.querySelector('[data-testid=copying-chart-sweep]')).data.datasets.map((d) => d.label));
  assert.deepEqual(lines.slice(0, 3), ['shipping: copy', 'shipping: transfer', 'shipping: shared']);
  assert.match(await page.textContent('[data-testid=copying-reading]'), /From 1 KB to 1 MB \(1,000 times the bytes\), copying went from/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a setting pushed past its range is clamped by the driver, with its message shown', async () => {
  const { page, problems } = await openLesson();
  await setSize(page, '1 KB');
  await page.evaluate(() => {
    const input = document.querySelector('[data-testid=copying-repetitions]');
    input.max = '25';
  });
  await setRange(page, 'copying-repetitions', 25);
  await clickAndWait(page, 'copying-run');
  const messages = await page.$$eval('[data-testid=copying-messages] .message-warning', (ps) => ps.map((p) => p.textContent));
  assert.deepEqual(messages, ['repetitions 25 is above the maximum 20; using 20']);
  assert.equal((await tableRows(page)).length, 3);
  assert.deepEqual(problems, []);
  await page.close();
});

test('Cancel stops a big payload and the lesson measures again afterwards', async () => {
  const { page, problems } = await openLesson();
  await setSize(page, '200 MB');
  assert.match(await page.textContent('#copying-size-note'), /Cancel stops it/);
  await setRange(page, 'copying-repetitions', 10);
  await page.click('[data-testid=copying-run]');
  await page.waitForSelector(`${PANEL}[data-state=running]`);
  await page.click('[data-testid=copying-cancel]');
  await page.waitForSelector(`${PANEL}[data-state=cancelled]`, { timeout: 10_000 });
  assert.equal(await page.textContent('[data-testid=copying-progress-text]'), 'Cancelled.');

  await setSize(page, '10 KB');
  await setRange(page, 'copying-repetitions', 1);
  await clickAndWait(page, 'copying-run');
  assert.deepEqual((await tableRows(page)).map((r) => r.bytes), [1e4, 1e4, 1e4]);
  assert.deepEqual(problems, []);
  await page.close();
});

test('without isolation, shared memory is explained as unavailable and the rest still works', async () => {
  const { page, problems } = await openLesson(PLAIN_URL);
  assert.match(await page.textContent('#copying-shared-reason'), /cross-origin isolated/);
  await clickAndWait(page, 'copying-send');
  assert.match(await page.textContent('[data-testid=copying-send-error]'), /DataCloneError: .*could not be cloned/);
  await clickAndWait(page, 'copying-fix');
  assert.equal(await page.getAttribute('[data-testid=copying-fix-result]', 'data-verified'), 'true');
  await setSize(page, '10 KB');
  await setRange(page, 'copying-repetitions', 2);
  await clickAndWait(page, 'copying-run');
  const rows = await tableRows(page);
  assert.deepEqual(rows.map((r) => [r.mode, r.available]), [['copy', true], ['transfer', true], ['shared', false]]);
  assert.match(rows[2].text, /unavailable: shared memory needs a cross-origin isolated page/);
  assert.match(await page.textContent('[data-testid=copying-reading]'), /Shared memory: not measured here/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the readings are computed from the numbers', async () => {
  const { page } = await openLesson();
  const out = await page.evaluate(async () => {
    const r = await import(new URL('lib/copying-reading.js', location.href).href);
    const stat = (median) => ({ median, min: median, max: median, count: 3 });
    const modes = (copy, transfer, shared, compute) => [
      { mode: 'copy', available: true, ship: stat(copy), compute: stat(compute) },
      { mode: 'transfer', available: true, ship: stat(transfer), compute: stat(compute) },
      shared === null ? { mode: 'shared', available: false, reason: 'shared memory needs a cross-origin isolated page' } : { mode: 'shared', available: true, ship: stat(shared), compute: stat(compute) },
    ];
    return {
      big: r.describePayload({ bytes: 1e8, modes: modes(200, 1, 0.1, 50) }),
      small: r.describePayload({ bytes: 1e3, modes: modes(0.05, 0.04, null, 0.001) }, { resolutionMs: 0.1 }),
      sweep: r.describeSweep([
        { bytes: 1e8, modes: modes(200, 1, 0.1, 50) },
        { bytes: 1e3, modes: modes(0.05, 0.04, 0.03, 0.001) },
      ]),
      sizes: r.sweepSizes(2.56e8).map(r.formatBytes),
      bytes: [1e3, 2e4, 5e5, 2.56e8].map(r.formatBytes),
    };
  });
  assert.equal(out.big[0].text, 'Copy: shipping 100 MB took 200 ms (about 500 MB/s), against 50.0 ms for the worker to touch every byte: 4.00x the time spent using the data, so moving it cost more than the work.');
  assert.match(out.big[1].text, /^Transfer: 1\.00 ms, 200x quicker than copying\./);
  assert.match(out.big[2].text, /^Shared memory: 0\.10 ms\./);
  assert.match(out.big[3].text, /^At 100 MB the bytes themselves are the cost/);
  assert.match(out.small[0].text, /^Copy: shipping 1 KB took under 0\.10 ms \(the timer's resolution here\)/);
  assert.match(out.small[2].text, /^Shared memory: not measured here: shared memory needs a cross-origin isolated page\./);
  assert.match(out.small[3].text, /^At 1 KB the three ways cost about the same/);
  assert.equal(out.sweep, 'From 1 KB to 100 MB (100,000 times the bytes), copying went from 0.05 to 200 ms, transferring from 0.04 to 1.00 ms, sharing from 0.03 to 0.10 ms.');
  assert.deepEqual(out.sizes, ['1 KB', '10 KB', '100 KB', '1 MB', '10 MB', '100 MB', '256 MB']);
  assert.deepEqual(out.bytes, ['1 KB', '20 KB', '500 KB', '256 MB']);
  await page.close();
});
