// Lesson 2, "Speedup versus workers", through its UI: the sweep runs on every engine,
// every point is checked against sequential, the table, fits and timeline agree with the
// settings, the reading is rendered from the core's findings, bad input gets a message,
// Cancel works and a non-isolated page keeps the process pool. What the findings say is
// tested in Rust (src/findings/sweep.rs). No test asserts a timing or a speedup.
import assert from 'node:assert/strict';
import { PLAIN_URL, MARKUP, lessonHarness } from './browser.mjs';

const lesson = lessonHarness('speedup', { quick: { workers: 3, tasks: 6, n: 1e6, repetitions: 2, warmup: 0 } });

const tableRows = async (page) => (await lesson.rows(page)).map((r) => ({ ...r, ideal: r.cells.Ideal }));

lesson.test('the sweep runs on every engine through the UI and its numbers are consistent', async (page) => {
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  await lesson.small(page);
  await lesson.run(page);

  const rows = await tableRows(page);
  assert.equal(rows.length, 1 + 3 * 3, 'the baseline plus k = 1..3 on three engines');
  assert.deepEqual(
    rows.filter((r) => r.engine === 'sequential').map((r) => r.workers),
    [1],
  );
  for (const engine of ['gil', 'threads', 'processes']) {
    assert.deepEqual(
      rows.filter((r) => r.engine === engine).map((r) => r.workers),
      [1, 2, 3],
      engine,
    );
  }
  // Every point computed the same answers as sequential, and says so.
  assert.ok(rows.every((r) => r.verified));
  assert.equal(new Set(rows.map((r) => r.checksum)).size, 1);
  assert.match(rows[0].checksum, /^[0-9a-f]{16}$/);
  for (const r of rows) assert.equal(r.ideal, `${Math.max(1, Math.min(r.workers, cores))}x`);
  assert.equal(await page.$eval('#speedup-results', (e) => e.dataset.points), '10');

  // One fitted serial fraction per swept engine, a fraction when there are points to fit.
  for (const engine of ['gil', 'threads', 'processes']) {
    const fitted = await page.$eval(`[data-testid="speedup-fit-${engine}"]`, (e) => e.dataset.serialFraction);
    if (cores >= 2) {
      const s = Number(fitted);
      assert.ok(fitted !== '' && s >= 0 && s <= 1, `${engine}: ${fitted}`);
    }
  }
  assert.equal(await page.$eval('[data-testid="speedup-cores"] dd', (e) => e.textContent), String(cores));

  // The reading is the core's findings in words: one about each engine that ran, then
  // what happened past the cores (or why the sweep cannot tell), each item marked.
  const reading = await lesson.reading(page);
  assert.deepEqual(
    reading.slice(0, 3).map((r) => `${r.kind}:${r.engine}`),
    ['gil_sweep:gil', 'engine_sweep:threads', 'engine_sweep:processes'],
  );
  for (const [i, label] of ['Threads with a GIL', 'Threads (shared memory)', 'Process pool'].entries()) assert.ok(reading[i].text.startsWith(`${label}: `), reading[i].text);
  const kinds = ['gil_sweep', 'engine_sweep', 'oversubscription', 'within_cores', 'uneven_tasks'];
  assert.ok(
    reading.every((r) => kinds.includes(r.kind) && r.text.length > 20),
    JSON.stringify(reading),
  );
  assert.equal(
    reading.some((r) => r.kind === 'within_cores'),
    cores >= 3,
    'k = 3 stays within the cores only on 3 or more',
  );
  assert.ok((await lesson.messages(page)).some((m) => m.kind === 'success' && m.text.startsWith('Done.')));

  // The timeline shows the last run at the largest k: 6 chunks, on at most 3 workers.
  const timeline = await page.$eval('#speedup-timeline', (e) => ({ hidden: e.hidden, ...e.dataset }));
  assert.equal(timeline.hidden, false);
  assert.equal(timeline.engine, 'processes');
  assert.equal(timeline.chunks, '6');
  assert.ok(Number(timeline.workers) >= 1 && Number(timeline.workers) <= 3);
  await page.selectOption('#speedup-timeline-engine', 'threads');
  assert.equal(await page.$eval('#speedup-timeline', (e) => e.dataset.engine), 'threads');
  assert.equal(await page.$eval('#speedup-timeline', (e) => e.dataset.chunks), '6');
  const chart = await page.$eval('#speedup-chart-sweep', (e) => e.getAttribute('aria-label'));
  assert.match(chart, new RegExp(`Ideal: min\\(k, ${cores}\\) on this device: 1 → 1\\.00x, 2 → ${Math.min(2, cores)}\\.00x, 3 → ${Math.min(3, cores)}\\.00x`));
  if (cores >= 2)
    for (const engine of ['gil', 'threads', 'processes'])
      assert.match(chart, new RegExp(`Amdahl fit, ${{ gil: 'GIL', threads: 'threads', processes: 'pool' }[engine]}: [\\d.]+% serial`));

  // The CSV has a line per point.
  const csv = (await lesson.csv(page)).lines;
  assert.equal(csv.length, 1 + 10);
  assert.ok(csv[0].startsWith('engine,label,workers,cores,tasks,n,repetitions,median_ms'));
  assert.ok(csv.slice(1).every((line) => line.split(',').length === csv[0].split(',').length));
});

lesson.test('controls are clamped and refused settings are shown as text', async (page) => {
  const max = await page.evaluate(() => window.parallelPlayground.maxWorkers);
  // A range input cannot go past its limits, and tasks follow: at least 2 per worker.
  assert.equal(await lesson.set(page, 'workers', 999), String(max));
  assert.equal(await page.$eval('#speedup-workers-value', (e) => e.textContent), String(max));
  assert.ok(Number(await page.$eval('#speedup-tasks', (e) => e.value)) >= 2 * max);
  assert.equal(await lesson.set(page, 'workers', 0), '2');
  assert.equal(await lesson.set(page, 'repetitions', -5), '1');
  // A sweep that stops within the core count says how to see oversubscription.
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  assert.equal(await page.$eval('#speedup-workers-note', (e) => e.hidden), 2 > cores);

  // A value the controls cannot produce still reaches the driver's checks, and its
  // refusal is shown as text, never as markup.
  await lesson.force(page, 'n', MARKUP);
  await lesson.set(page, 'warmup', 0);
  await lesson.refused(page, /^Settings refused: n must be a number.*<img/);
});

lesson.test('Cancel stops a long sweep and the next one runs', async (page) => {
  await lesson.small(page, { workers: 4, tasks: 16, n: 1e8, repetitions: 3, warmup: 1 });
  await lesson.start(page);
  await lesson.cancelAndRunAgain(page, { workers: 2, tasks: 4 });
  assert.equal((await tableRows(page)).length, 1 + 3 * 2);
});

lesson.test('without isolation the thread engines are off with the reason and the pool still sweeps', PLAIN_URL, async (page) => {
  await lesson.runWithoutIsolation(page, { workers: 2, tasks: 4 });
  const rows = await tableRows(page);
  assert.deepEqual(
    rows.map((r) => `${r.engine}:${r.workers}`),
    ['sequential:1', 'processes:1', 'processes:2'],
  );
  assert.ok(rows.every((r) => r.verified));
});
